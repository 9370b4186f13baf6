/* status.c — see status.h. */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"

static const char *const namespace_names[STATUS_N_NAMESPACES] = { "cgroup", "ipc", "mnt", "net", "pid", "uts" };

/* The inode numbers of PROC_DIR/ns/<type> for each type (0 for one this
 * kernel lacks). Read from the links' text, "mnt:[4026531841]", which
 * the kernel formats from the namespace itself: a stat would make it
 * allocate an inode for each brand-new namespace first. Logs. */
static int read_ns_ids(const char *proc_dir, uint64_t ids[STATUS_N_NAMESPACES])
{
	char path[64];
	_cleanup_close_ int dir = -1;

	snprintf(path, sizeof path, "%s/ns", proc_dir);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return log_error_errno(errno, "Can't open %s", path);
	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		char text[64];
		const char *open_bracket;
		char *end;
		ssize_t n = readlinkat(dir, namespace_names[i], text, sizeof text - 1);

		ids[i] = 0;
		if (n < 0) {
			/* ENOENT: a namespace type this kernel lacks. Anything
			 * else (EACCES on a non-dumpable child) would make the
			 * document lie by omission. */
			if (errno == ENOENT)
				continue;
			return log_error_errno(errno, "Can't read %s/%s", path, namespace_names[i]);
		}
		text[n] = '\0';
		open_bracket = strchr(text, '[');
		if (open_bracket)
			ids[i] = strtoull(open_bracket + 1, &end, 10);
		if (!open_bracket || *end != ']' || ids[i] == 0)
			return log_error("Can't read %s/%s: unexpected link text \"%s\"", path, namespace_names[i],
					 text);
	}
	return 0;
}

static uint64_t own_ids[STATUS_N_NAMESPACES];
static bool own_ids_read;

void status_read_own_namespaces(void)
{
	if (!own_ids_read && read_ns_ids("/proc/self", own_ids) < 0)
		memset(own_ids, 0, sizeof own_ids);
	own_ids_read = true;
}

/* The namespaces among IDS that are not the caller's own. */
static void keep_differing(const uint64_t ids[STATUS_N_NAMESPACES], StatusNamespaces *out)
{
	memset(out, 0, sizeof *out);
	status_read_own_namespaces();
	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		if (ids[i] == 0 || ids[i] == own_ids[i])
			continue;
		out->name[out->n] = namespace_names[i];
		out->id[out->n] = ids[i];
		out->n++;
	}
}

int status_read_namespaces(pid_t pid, StatusNamespaces *out)
{
	uint64_t ids[STATUS_N_NAMESPACES];
	char dir[32];

	snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	if (read_ns_ids(dir, ids) < 0)
		return -1;
	keep_differing(ids, out);
	return 0;
}

int status_format_own_namespaces(char *buf, size_t size)
{
	uint64_t ids[STATUS_N_NAMESPACES];
	size_t used = 0;

	if (read_ns_ids("/proc/self", ids) < 0)
		return -1;
	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		int n = snprintf(buf + used, size - used, "%s%" PRIu64, i ? " " : "", ids[i]);

		if (n < 0 || (size_t)n >= size - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	return (int)used;
}

int status_namespaces_from_text(const char *text, StatusNamespaces *out)
{
	uint64_t ids[STATUS_N_NAMESPACES];
	const char *p = text;

	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		char *end;

		errno = 0;
		ids[i] = strtoull(p, &end, 10);
		if (end == p || errno != 0 || (*end != ' ' && *end != '\0'))
			return -EBADMSG;
		p = end;
	}
	if (*p != '\0')
		return -EBADMSG;
	keep_differing(ids, out);
	return 0;
}

int status_format_start(char *buf, size_t size, pid_t child_pid, const StatusNamespaces *ns, bool pretty)
{
	const char *open = pretty ? "{\n    " : "{ ";
	const char *sep = pretty ? ",\n    " : ", ";
	const char *close = pretty ? "\n}\n" : " }\n";
	size_t used = 0;
	int n;

	n = snprintf(buf, size, "%s\"child-pid\": %d", open, (int)child_pid);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	used = (size_t)n;
	for (size_t i = 0; i < ns->n; i++) {
		n = snprintf(buf + used, size - used, "%s\"%s-namespace\": %" PRIu64, sep, ns->name[i], ns->id[i]);
		if (n < 0 || (size_t)n >= size - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	n = snprintf(buf + used, size - used, "%s", close);
	if (n < 0 || (size_t)n >= size - used)
		return -ENOSPC;
	return (int)(used + (size_t)n);
}

int status_format_exit(char *buf, size_t size, int exit_code)
{
	int n = snprintf(buf, size, "{ \"exit-code\": %d }\n", exit_code);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

int status_format_member(char *buf, size_t size, const char *key, const char *json_value)
{
	int n = snprintf(buf, size, "{ \"%s\": %s }\n", key, json_value);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

static int write_document(int fd, const char *what, const char *text, int len)
{
	int r;

	if (len < 0)
		return log_error_errno(len, "Can't format %s", what);
	r = fd_write_all(fd, text, (size_t)len);
	if (r < 0)
		return log_error_errno(r, "Write to %s", what);
	return 0;
}

int status_write_info(int fd, pid_t child_pid, const StatusNamespaces *ns)
{
	char buf[1024];

	return write_document(fd, "info_fd", buf, status_format_start(buf, sizeof buf, child_pid, ns, true));
}

int status_write_json_start(int fd, pid_t child_pid, const StatusNamespaces *ns)
{
	char buf[1024];

	return write_document(fd, "json_status_fd", buf, status_format_start(buf, sizeof buf, child_pid, ns, false));
}

int status_write_json_exit(int fd, int exit_code)
{
	char buf[64];

	return write_document(fd, "json_status_fd", buf, status_format_exit(buf, sizeof buf, exit_code));
}

int status_write_json_member(int fd, const char *key, const char *json_value)
{
	char buf[128];

	return write_document(fd, "json_status_fd", buf, status_format_member(buf, sizeof buf, key, json_value));
}

int status_write_documents(const Plan *plan, pid_t child_pid, const StatusNamespaces *ns)
{
	if (plan->info_fd >= 0) {
		int r = status_write_info(plan->info_fd, child_pid, ns);

		close(plan->info_fd);
		if (r < 0)
			return r;
	}
	if (plan->json_status_fd >= 0)
		return status_write_json_start(plan->json_status_fd, child_pid, ns);
	return 0;
}
