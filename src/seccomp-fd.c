/* seccomp-fd.c — see seccomp-fd.h. */
#include "seccomp-fd.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "seccomp-compile.h"
#include "util/fd-util.h"
#include "util/log.h"

long seccomp_fd_check_size(size_t bytes)
{
	if (bytes == 0 || bytes % sizeof(struct sock_filter) != 0)
		return -EINVAL;
	if (bytes / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return -E2BIG;
	return (long)(bytes / sizeof(struct sock_filter));
}

int seccomp_fd_read_all(const Plan *plan, SeccompPrograms *out)
{
	memset(out, 0, sizeof *out);
	if (plan->n_seccomp == 0)
		return 0;
	out->programs = calloc(plan->n_seccomp, sizeof *out->programs);
	if (!out->programs)
		return log_error_errno(ENOMEM, "Out of memory");
	for (size_t i = 0; i < plan->n_seccomp; i++) {
		char *data = NULL;
		size_t len = 0;
		long n;
		int r = 0;

		if (plan->seccomp[i].kind == PLAN_SECCOMP_POLICY || plan->seccomp[i].kind == PLAN_SECCOMP_PRESET) {
			r = seccomp_compile_source(plan->seccomp[i].source, plan->seccomp[i].kind == PLAN_SECCOMP_PRESET,
						   &out->programs[i]);
			if (r < 0) {
				seccomp_fd_free(out);
				return r;
			}
			out->n_programs++;
			continue;
		}
		/* A program's fd is used up once read (bwrap closes it), so
		 * naming the same fd again is a read of a closed fd. */
		for (size_t j = 0; j < i; j++)
			if (plan->seccomp[j].fd >= 0 && plan->seccomp[j].fd == plan->seccomp[i].fd &&
			    plan->seccomp[j].kind != PLAN_SECCOMP_POLICY && plan->seccomp[j].kind != PLAN_SECCOMP_PRESET)
				r = -EBADF;
		/* One byte over the largest valid program, so "too big" is
		 * told apart from a read error. */
		if (r == 0)
			r = fd_read_all(plan->seccomp[i].fd, BPF_MAXINSNS * sizeof(struct sock_filter) + 1, &data, &len);

		if (r == -E2BIG || (r == 0 && len > BPF_MAXINSNS * sizeof(struct sock_filter))) {
			free(data);
			seccomp_fd_free(out);
			return log_error("Invalid seccomp data: more than %d instructions", BPF_MAXINSNS);
		}
		if (r < 0) {
			seccomp_fd_free(out);
			return log_error_errno(r, "Can't read seccomp data");
		}
		n = len == 0 ? 0 : seccomp_fd_check_size(len);
		if (n < 0) {
			free(data);
			seccomp_fd_free(out);
			return log_error("Invalid seccomp data, must be multiple of 8");
		}
		out->programs[i].filter = data;
		out->programs[i].n_insns = (size_t)n;
		out->n_programs++;
	}
	/* An empty program is refused only once every program has been
	 * read, so a later unreadable or misaligned one is reported as
	 * bwrap reports it (it reads them all, then fails on the empty). */
	for (size_t i = 0; i < out->n_programs; i++)
		if (out->programs[i].n_insns == 0) {
			seccomp_fd_free(out);
			return log_error("Invalid seccomp data: the program is empty");
		}
	return 0;
}

void seccomp_fd_free(SeccompPrograms *programs)
{
	for (size_t i = 0; i < programs->n_programs; i++)
		free(programs->programs[i].filter);
	free(programs->programs);
	memset(programs, 0, sizeof *programs);
}

int seccomp_fd_install(const SeccompPrograms *programs)
{
	for (size_t i = 0; i < programs->n_programs; i++) {
		struct sock_fprog prog = {
			.len = (unsigned short)programs->programs[i].n_insns,
			.filter = programs->programs[i].filter,
		};

		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
			if (errno == EINVAL)
				return log_error("Can't install the seccomp program: the kernel said EINVAL "
						 "(it needs CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER)");
			return log_error_errno(errno, "prctl(PR_SET_SECCOMP)");
		}
	}
	return 0;
}
