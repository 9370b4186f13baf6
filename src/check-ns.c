/* check-ns.c — the namespace probe of `hutch --check` (see check-ns.h).
 *
 * Owns: the forked child and the order of its steps; every namespace and
 * mount it makes dies with it (the mount tree is made private first).
 * Must not: print, or touch anything the host can see.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check-ns.h"
#include "util/cleanup.h"
#include "util/syscalls.h"


static int write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		return -errno;
	return 0;
}

#define PROBE_FAIL(field, step_field, step)                                 \
	do {                                                                \
		res->field = errno ? errno : EIO;                           \
		snprintf(res->step_field, sizeof res->step_field, "%s", step); \
	} while (0)

/* Runs in the forked child, which owns its namespaces and throws them
 * away when it exits: nothing here can reach the host's mount table
 * (the mount tree is made private first). */
static void ns_probe_child(NsProbe *res, uid_t uid, gid_t gid)
{
	static const char *const scratch_dirs[] = { "/tmp", "/mnt", "/run", "/dev" };
	char map[64], l[64], u[64], w[64], m[64], opts[256];
	const char *scratch = NULL;
	struct stat st;
	int fd;

	if (unshare(CLONE_NEWUSER) < 0) {
		PROBE_FAIL(userns, userns_step, "unshare(CLONE_NEWUSER)");
		if (uid != 0)
			return;
	} else {
		snprintf(map, sizeof map, "%lu %lu 1\n", (unsigned long)uid, (unsigned long)uid);
		if (write_file("/proc/self/uid_map", map) < 0) {
			PROBE_FAIL(userns, userns_step, "writing /proc/self/uid_map");
			return;
		}
		/* gid_map needs setgroups denied first for an unprivileged
		 * writer (Linux 3.19, CVE-2014-8989). */
		if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT) {
			PROBE_FAIL(userns, userns_step, "writing /proc/self/setgroups");
			return;
		}
		snprintf(map, sizeof map, "%lu %lu 1\n", (unsigned long)gid, (unsigned long)gid);
		if (write_file("/proc/self/gid_map", map) < 0) {
			PROBE_FAIL(userns, userns_step, "writing /proc/self/gid_map");
			return;
		}
	}

	if (unshare(CLONE_NEWNS) < 0) {
		PROBE_FAIL(mountns, mountns_step, "unshare(CLONE_NEWNS)");
		return;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		PROBE_FAIL(mountns, mountns_step, "making / private");
		return;
	}
	for (size_t i = 0; i < sizeof scratch_dirs / sizeof *scratch_dirs && !scratch; i++)
		if (stat(scratch_dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			scratch = scratch_dirs[i];
	if (!scratch) {
		errno = ENOENT;
		PROBE_FAIL(mountns, mountns_step, "finding a directory to mount on");
		return;
	}
	if (mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0) {
		PROBE_FAIL(mountns, mountns_step, "mounting a tmpfs");
		return;
	}
	snprintf(l, sizeof l, "%s/l", scratch);
	snprintf(u, sizeof u, "%s/u", scratch);
	snprintf(w, sizeof w, "%s/w", scratch);
	snprintf(m, sizeof m, "%s/m", scratch);
	if (mkdir(l, 0700) < 0 || mkdir(u, 0700) < 0 || mkdir(w, 0700) < 0 || mkdir(m, 0700) < 0) {
		PROBE_FAIL(mountns, mountns_step, "mkdir in the tmpfs");
		return;
	}

	snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s", l, u, w);
	res->overlay = mount("overlay", m, "overlay", 0, opts) < 0 ? errno : 0;
	if (res->overlay == 0)
		(void)umount2(m, MNT_DETACH);

	/* The new mount API, as hutch uses it for a recursive read-only bind. */
	fd = sys_open_tree(AT_FDCWD, l, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0) {
		PROBE_FAIL(mount_api, mount_api_step, "open_tree");
		return;
	}
	struct hutch_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	if (sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0) {
		PROBE_FAIL(mount_api, mount_api_step, "mount_setattr");
		close(fd);
		return;
	}
	if (sys_move_mount(fd, "", AT_FDCWD, m, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		PROBE_FAIL(mount_api, mount_api_step, "move_mount");
		close(fd);
		return;
	}
	close(fd);
	res->mount_api = 0;
}

/* Forks the probe child and collects what it found. */
int check_ns_probe(NsProbe *res, uid_t uid, gid_t gid)
{
	int p[2];
	pid_t pid;
	ssize_t n;
	int status;

	*res = (NsProbe){ .overlay = -1, .mount_api = -1 };
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(p[0]);
		close(p[1]);
		return -err;
	}
	if (pid == 0) {
		close(p[0]);
		errno = 0;
		ns_probe_child(res, uid, gid);
		_exit(write(p[1], res, sizeof *res) == (ssize_t)sizeof *res ? 0 : 1);
	}
	close(p[1]);
	do
		n = read(p[0], res, sizeof *res);
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof *res) {
		*res = (NsProbe){ .overlay = -1, .mount_api = -1 };
		return -EIO;
	}
	return 0;
}
