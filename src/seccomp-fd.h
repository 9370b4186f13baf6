/* seccomp-fd.h — compiled seccomp programs passed on fds.
 *
 * Owns: reading --seccomp/--add-seccomp-fd programs (classic BPF, a
 * multiple of 8 bytes, at most BPF_MAXINSNS instructions) before the
 * sandbox starts, so a bad program is refused before anything runs; and
 * installing them, in command-line order, as the last step before exec.
 * --seccomp-policy and --seccomp-preset take their place in the same
 * list: seccomp_fd_read_all() has seccomp-compile.c compile them, so
 * every program exists before clone and is installed in order.
 * Must not: compile policies itself (seccomp-compile.c does, with libseccomp).
 */
#pragma once

#include <stddef.h>

#include "plan.h"

typedef struct {
	void *filter;      /* struct sock_filter[] */
	size_t n_insns;
} SeccompProgram;

typedef struct {
	SeccompProgram *programs;
	size_t n_programs;
} SeccompPrograms;

/* Reads every program of the plan. Logs. */
int seccomp_fd_read_all(const Plan *plan, SeccompPrograms *out);
void seccomp_fd_free(SeccompPrograms *programs);

/* Installs the programs (no_new_privs must already be set). Logs. */
int seccomp_fd_install(const SeccompPrograms *programs);

/* Checks a program's raw size; returns the instruction count or -EINVAL/-E2BIG. Pure. */
long seccomp_fd_check_size(size_t bytes);
