/* status.c — see status.h. */
#include "status.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fd-util.h"
#include "util/log.h"

static const char *const namespace_names[STATUS_N_NAMESPACES] = { "cgroup", "ipc", "mnt", "net", "pid", "uts" };

int status_read_namespaces(pid_t pid, StatusNamespaces *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		char path[64];
		struct stat theirs, ours;

		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, namespace_names[i]);
		if (stat(path, &theirs) < 0) {
			/* ENOENT: a namespace type this kernel lacks. Anything
			 * else (EACCES on a non-dumpable child) would make the
			 * document lie by omission. */
			if (errno == ENOENT)
				continue;
			return log_error_errno(errno, "Can't stat %s", path);
		}
		snprintf(path, sizeof path, "/proc/self/ns/%s", namespace_names[i]);
		if (stat(path, &ours) == 0 && ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev)
			continue;
		out->name[out->n] = namespace_names[i];
		out->id[out->n] = (uint64_t)theirs.st_ino;
		out->n++;
	}
	return 0;
}

int status_format_own_namespaces(char *buf, size_t size)
{
	size_t used = 0;

	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		char path[64];
		struct stat st;
		uint64_t id = 0;
		int n;

		snprintf(path, sizeof path, "/proc/self/ns/%s", namespace_names[i]);
		if (stat(path, &st) == 0)
			id = (uint64_t)st.st_ino;
		else if (errno != ENOENT)
			return log_error_errno(errno, "Can't stat %s", path);
		n = snprintf(buf + used, size - used, "%s%" PRIu64, i ? " " : "", id);
		if (n < 0 || (size_t)n >= size - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	return (int)used;
}

int status_namespaces_from_text(const char *text, StatusNamespaces *out)
{
	const char *p = text;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < STATUS_N_NAMESPACES; i++) {
		char path[64], *end;
		struct stat ours;
		uint64_t id;

		errno = 0;
		id = strtoull(p, &end, 10);
		if (end == p || errno != 0 || (*end != ' ' && *end != '\0'))
			return -EBADMSG;
		p = end;
		if (id == 0)
			continue;
		snprintf(path, sizeof path, "/proc/self/ns/%s", namespace_names[i]);
		if (stat(path, &ours) == 0 && (uint64_t)ours.st_ino == id)
			continue;
		out->name[out->n] = namespace_names[i];
		out->id[out->n] = id;
		out->n++;
	}
	return *p == '\0' ? 0 : -EBADMSG;
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
