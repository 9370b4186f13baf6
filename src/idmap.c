/* idmap.c — see idmap.h. */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"

int idmap_format_line(char *buf, size_t size, uint32_t inside, uint32_t outside, uint32_t count)
{
	int n = snprintf(buf, size, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n", inside, outside, count);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

/* proc_dir: "/proc/PID", or "/proc/self" for the caller's own files. */
static int write_proc_file(const char *proc_dir, const char *name, const char *text)
{
	char path[64];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof path, "%s/%s", proc_dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* A map must be written in one write(2); the kernel rejects a
	 * second write to the same file. */
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return errno ? -errno : -EIO;
	return 0;
}

static int write_single(const char *proc_dir, uint32_t inside_uid, uint32_t outside_uid, uint32_t inside_gid,
			uint32_t outside_gid)
{
	char line[96];
	int r;

	r = write_proc_file(proc_dir, "setgroups", "deny\n");
	/* ENOENT: kernels before 3.19 have no setgroups file and need none. */
	if (r < 0 && r != -ENOENT)
		return log_error_errno(r, "setting up setgroups: can't write %s/setgroups", proc_dir);

	idmap_format_line(line, sizeof line, inside_uid, outside_uid, 1);
	r = write_proc_file(proc_dir, "uid_map", line);
	if (r < 0)
		return log_error_errno(r, "setting up uid map");

	idmap_format_line(line, sizeof line, inside_gid, outside_gid, 1);
	r = write_proc_file(proc_dir, "gid_map", line);
	if (r < 0)
		return log_error_errno(r, "setting up gid map");
	return 0;
}

int idmap_write_single(pid_t pid, uint32_t inside_uid, uint32_t outside_uid, uint32_t inside_gid,
		       uint32_t outside_gid)
{
	char dir[32];

	snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	return write_single(dir, inside_uid, outside_uid, inside_gid, outside_gid);
}

int idmap_write_single_self(uint32_t inside_uid, uint32_t outside_uid, uint32_t inside_gid, uint32_t outside_gid)
{
	return write_single("/proc/self", inside_uid, outside_uid, inside_gid, outside_gid);
}
