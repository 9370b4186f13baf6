/* dev-setup.c — contents of --dev, hardening of --proc; see dev-setup.h.
 *
 * Owns: what goes inside a fresh /dev and which parts of /proc are
 * covered read-only.
 * Must not: mount the /dev tmpfs or procfs itself, or resolve user paths:
 * every name created here is a fixed one inside a tmpfs this process
 * mounted a moment ago, reached from its fd.
 */
#include "dev-setup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount-ops.h"
#include "resolve.h"
#include "util/cleanup.h"
#include "util/log.h"

/* Host devices a sandbox gets; nodes are never created (an unprivileged
 * user namespace cannot mknod), the host's are bind-mounted instead. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

static const struct {
	const char *name;
	const char *target;
} dev_symlinks[] = {
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "fd", "/proc/self/fd" },
	{ "core", "/proc/kcore" },
};

/* Creates DEV/name as an empty 0444 file and bind-mounts the host node
 * host_path on it, devices allowed (no nodev). */
static int bind_host_node(int dev_fd, int oldroot_fd, const char *dest, const char *name, const char *host_path)
{
	_cleanup_close_ int file = -1;
	_cleanup_close_ int src = -1;
	char src_desc[PATH_MAX], dest_desc[PATH_MAX];

	snprintf(dest_desc, sizeof dest_desc, "%s/%s", dest, name);
	/* The fd of the file just made is the mount point itself. */
	file = openat(dev_fd, name, O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0444);
	if (file < 0)
		return log_error_errno(errno, "Can't create file %s", dest_desc);
	snprintf(src_desc, sizeof src_desc, "/oldroot%s", host_path);
	src = resolve_open(oldroot_fd, host_path, O_PATH, 0);
	if (src < 0)
		return mount_ops_log_error(src, "Can't bind mount %s on %s", src_desc, dest_desc);
	return mount_ops_bind(src, file, MOUNT_OPS_NOSUID, false, src_desc, dest_desc);
}

/* The terminal on our stdout, as a path in the host tree, or -ENOTTY.
 * The path from /proc is checked against the fd's device number so a
 * stale or renamed name is never bound. */
static int find_console(int oldroot_fd, char *path, size_t size)
{
	char link[64];
	struct stat tty, host;
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (!isatty(STDOUT_FILENO) || fstat(STDOUT_FILENO, &tty) < 0 || !S_ISCHR(tty.st_mode))
		return -ENOTTY;
	snprintf(link, sizeof link, "%s/self/fd/%d", mount_ops_proc_prefix(), STDOUT_FILENO);
	n = readlink(link, path, size - 1);
	if (n < 0)
		return -errno;
	path[n] = '\0';
	if (path[0] != '/')
		return -ENOTTY;
	fd = resolve_open(oldroot_fd, path, O_PATH, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &host) < 0)
		return -errno;
	if (!S_ISCHR(host.st_mode) || host.st_rdev != tty.st_rdev)
		return -ENOTTY;
	return 0;
}

int dev_setup_populate(int dev_fd, int oldroot_fd, const char *dest)
{
	static const MountOpsOption devpts_opts[] = {
		{ "newinstance", NULL },
		{ "ptmxmode", "0666" },
		{ "mode", "620" },
	};
	_cleanup_close_ int pts = -1;
	char host[PATH_MAX], desc[PATH_MAX];
	int r;

	for (size_t i = 0; i < N_ELEMENTS(dev_nodes); i++) {
		snprintf(host, sizeof host, "/dev/%s", dev_nodes[i]);
		r = bind_host_node(dev_fd, oldroot_fd, dest, dev_nodes[i], host);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < N_ELEMENTS(dev_symlinks); i++)
		if (symlinkat(dev_symlinks[i].target, dev_fd, dev_symlinks[i].name) < 0)
			return log_error_errno(errno, "Can't create symlink %s/%s", dest, dev_symlinks[i].name);

	/* A plain directory, as bwrap has it: the payload may mount a tmpfs
	 * there if it has the privilege. */
	if (mkdirat(dev_fd, "shm", 0755) < 0)
		return log_error_errno(errno, "Can't create %s/shm", dest);

	/* A private devpts instance: ptys made inside are invisible outside
	 * and the host's ptys are invisible inside (newinstance is implied
	 * since Linux 4.7 but still accepted). */
	if (mkdirat(dev_fd, "pts", 0755) < 0)
		return log_error_errno(errno, "Can't create %s/devpts", dest);
	pts = openat(dev_fd, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pts < 0)
		return log_error_errno(errno, "Can't create %s/devpts", dest);
	snprintf(desc, sizeof desc, "%s/pts", dest);
	r = mount_ops_new_fs("devpts", devpts_opts, N_ELEMENTS(devpts_opts), MOUNT_OPS_NOSUID | MOUNT_OPS_NOEXEC, pts,
			     "devpts", desc);
	if (r < 0)
		return r;
	if (symlinkat("pts/ptmx", dev_fd, "ptmx") < 0)
		return log_error_errno(errno, "Can't make symlink at %s/ptmx", dest);

	/* If our stdout is a terminal, the payload finds it as
	 * /dev/console, as it would on a real system's console. */
	if (find_console(oldroot_fd, host, sizeof host) == 0) {
		r = bind_host_node(dev_fd, oldroot_fd, dest, "console", host);
		if (r < 0)
			return r;
	}
	return 0;
}

int dev_setup_cover_proc(int proc_fd, const char *dest)
{
	/* Writable knobs that act on the whole kernel, not on this
	 * sandbox's namespaces: sysctls, SysRq, IRQ affinity, PCI/USB bus
	 * state. Each is bound read-only onto itself (recursively, so
	 * binfmt_misc under sys/fs is covered too). */
	static const char *const covered[] = { "sys", "sysrq-trigger", "irq", "bus" };
	char desc[PATH_MAX];

	for (size_t i = 0; i < N_ELEMENTS(covered); i++) {
		_cleanup_close_ int fd = openat(proc_fd, covered[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		int r;

		if (fd < 0) {
			if (errno == ENOENT || errno == EACCES)
				continue;
			return log_error_errno(errno, "Can't access %s/%s", dest, covered[i]);
		}
		snprintf(desc, sizeof desc, "%s/%s", dest, covered[i]);
		r = mount_ops_bind(fd, fd, MOUNT_OPS_RDONLY | MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV, true, desc, desc);
		if (r < 0)
			return r;
	}
	return 0;
}
