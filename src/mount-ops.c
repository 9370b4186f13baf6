/* mount-ops.c — mount primitives over fds; see mount-ops.h.
 *
 * Owns: the new-API/legacy decision and the syscalls that mount.
 * Must not: look up user paths, create files, or pick flags for options.
 *
 * New API (Linux 5.12+, mount_setattr being the newest call used): a bind
 * is open_tree(OPEN_TREE_CLONE) of the pinned source, mount_setattr on the
 * detached copy (recursively, so every submount gets nosuid/ro in one
 * call), then move_mount onto the pinned destination. The copy is never
 * attached anywhere with weaker flags, and no path is looked up again.
 *
 * Legacy mount(2): both ends are reached through the magic links
 * <proc>/self/fd/N, so the kernel mounts exactly the pinned inodes. Flags
 * then need MS_REMOUNT|MS_BIND on the new mount and on each submount,
 * found in mountinfo. In a user namespace the kernel refuses (EPERM) a
 * remount that would clear a flag locked by a more privileged namespace
 * (MNT_LOCK_READONLY/NOSUID/NODEV/NOEXEC/ATIME), so the flags the mount
 * already has are read back with fstatvfs and kept.
 */
#include "mount-ops.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/log.h"
#include "util/syscalls.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

static bool legacy;
static const char *proc_prefix = "/proc";

void mount_ops_init(const char *prefix)
{
	struct hutch_mount_attr attr = { 0 };
	const char *force = getenv("HUTCH_TEST_FORCE_LEGACY_MOUNT");

	proc_prefix = prefix;
	if (force && strcmp(force, "1") == 0) {
		legacy = true;
		return;
	}
	/* With a bad fd an implementing kernel answers EBADF (or EINVAL);
	 * ENOSYS means too old, and EPERM a seccomp filter that denies
	 * what it does not know. Either way: legacy for the whole run. */
	if (sys_mount_setattr(-1, "", AT_EMPTY_PATH, &attr) < 0 && (errno == ENOSYS || errno == EPERM))
		legacy = true;
	else
		legacy = false;
}

bool mount_ops_legacy(void)
{
	return legacy;
}

const char *mount_ops_proc_prefix(void)
{
	return proc_prefix;
}

int mount_ops_log_error(int r, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (r == -ENOSPC || r == ENOSPC) {
		log_error("%s: Limit exceeded (ENOSPC). (Hint: Check that /proc/sys/fs/mount-max is sufficient, "
			  "typically 100000)",
			  text);
		return -ENOSPC;
	}
	return log_error_errno(r, "%s", text);
}

static void fd_link(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "%s/self/fd/%d", proc_prefix, fd);
}

static unsigned long attrs_to_ms(unsigned attrs)
{
	unsigned long f = 0;

	if (attrs & MOUNT_OPS_RDONLY)
		f |= MS_RDONLY;
	if (attrs & MOUNT_OPS_NOSUID)
		f |= MS_NOSUID;
	if (attrs & MOUNT_OPS_NODEV)
		f |= MS_NODEV;
	if (attrs & MOUNT_OPS_NOEXEC)
		f |= MS_NOEXEC;
	return f;
}

/* Legacy: MS_REMOUNT|MS_BIND of the mount whose root fd is, adding attrs
 * to the flags it has (statvfs's ST_* bits are not all MS_* values). */
static int legacy_remount_one(int fd, unsigned attrs)
{
	char link[64];
	struct statvfs sv;
	unsigned long f = attrs_to_ms(attrs);

	if (fstatvfs(fd, &sv) < 0)
		return -errno;
	if (sv.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOSYMFOLLOW)
		f |= MS_NOSYMFOLLOW;
	/* Atime flags are locked as a group: without any of them the
	 * kernel would default to relatime, so say strictatime. */
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	if (!(sv.f_flag & (ST_NOATIME | ST_RELATIME)))
		f |= MS_STRICTATIME;
	fd_link(link, sizeof link, fd);
	if (mount(NULL, link, NULL, MS_REMOUNT | MS_BIND | f, NULL) < 0)
		return -errno;
	return 0;
}

/* Legacy: true when the kernel's name for fd is PATH itself, i.e. the
 * lookup by PATH met no symlink and no rename on the way. */
static bool legacy_fd_has_path(int fd, const char *path)
{
	char link[64], real[PATH_MAX];
	ssize_t n;

	fd_link(link, sizeof link, fd);
	n = readlink(link, real, sizeof real - 1);
	if (n < 0)
		return false;
	real[n] = '\0';
	return strcmp(real, path) == 0;
}

/* Legacy: checks that fd, opened by PATH, is the inode of src_fd and
 * that the kernel's name for it is PATH itself. */
static int legacy_same_mount_root(int fd, int src_fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) < 0 || fstat(src_fd, &b) < 0)
		return -errno;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino || !legacy_fd_has_path(fd, path))
		return -ESTALE;
	return 0;
}

/* Undoes mountinfo's octal escapes (\040 for a space, ...) in place. */
static void unescape_mountinfo(char *s)
{
	char *w = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*w++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

/* Legacy: applies attrs to every mount strictly below top_path. */
static int legacy_remount_submounts(const char *top_path, unsigned attrs, const char *dest_desc)
{
	char path[PATH_MAX];
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, top_len = strlen(top_path);
	FILE *f;
	int r = 0;

	snprintf(path, sizeof path, "%s/self/mountinfo", proc_prefix);
	f = fopen(path, "re");
	if (!f)
		return mount_ops_log_error(-errno, "Can't open %s", path);
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *mp = NULL, *tok = strtok_r(line, " ", &save);
		_cleanup_close_ int fd = -1;

		/* id parent major:minor root mountpoint ... */
		for (int i = 0; tok && i < 4; i++) {
			tok = strtok_r(NULL, " ", &save);
			if (i == 3)
				mp = tok;
		}
		if (!mp)
			continue;
		unescape_mountinfo(mp);
		if (strncmp(mp, top_path, top_len) != 0 || mp[top_len] != '/')
			continue;
		fd = open(mp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			/* EACCES: a place we may not look at (bwrap skips it).
			 * ENOENT: no path leads there any more, as for a mount
			 * shadowed by a mount over one of its parents, or one
			 * whose mount point was deleted. Anything else (ELOOP,
			 * ENOTDIR: a symlink or file swapped in) means the tree
			 * changed under us: skipping would leave that submount
			 * writable. (A rename racing this loop also reads as
			 * ENOENT; the new mount API has no such window.) */
			if (errno == EACCES || errno == ENOENT)
				continue;
			r = mount_ops_log_error(-errno, "Can't bind mount on %s: \"%s\" changed while mounting", dest_desc,
						mp);
			break;
		}
		/* Found by name: refuse anything but that very place (see
		 * legacy_same_mount_root), or a submount could stay writable. */
		if (!legacy_fd_has_path(fd, mp)) {
			r = log_error("Can't bind mount on %s: \"%s\" changed while mounting", dest_desc, mp);
			break;
		}
		r = legacy_remount_one(fd, attrs);
		/* EACCES: a mount we may not touch at all (bwrap ignores it
		 * too); EINVAL: the path now shows another mount stacked over
		 * this one, which is handled on its own line. */
		if (r < 0 && r != -EACCES && r != -EINVAL) {
			mount_ops_log_error(r, "Can't bind mount on %s: Unable to apply mount flags: remount \"%s\"",
					    dest_desc, mp);
			break;
		}
		r = 0;
	}
	fclose(f);
	return r;
}

static int legacy_bind(int src_fd, int dest_fd, unsigned attrs, bool recursive, const char *src_desc,
		       const char *dest_desc)
{
	char src[64], dst[64], top_path[PATH_MAX];
	_cleanup_close_ int top = -1;
	ssize_t n;
	int r;

	fd_link(src, sizeof src, src_fd);
	fd_link(dst, sizeof dst, dest_fd);
	if (mount(src, dst, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL) < 0)
		return mount_ops_log_error(-errno, "Can't bind mount %s on %s: Unable to mount source on destination",
					   src_desc, dest_desc);
	/* dest_fd still names the covered inode; the path it had now leads
	 * to the root of the new mount. It lies in the setup tree, which
	 * only this process changes. */
	n = readlink(dst, top_path, sizeof top_path - 1);
	if (n < 0)
		return mount_ops_log_error(-errno, "Can't bind mount %s on %s: readlink(%s)", src_desc, dest_desc,
					   dst);
	top_path[n] = '\0';
	top = open(top_path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0)
		return mount_ops_log_error(-errno, "Can't bind mount %s on %s: open(\"%s\", O_PATH)", src_desc,
					   dest_desc, top_path);
	/* That lookup went by name, and a bound host directory on the way
	 * can be renamed or swapped for a symlink by a host process meanwhile
	 * (runc's CVE-2021-30465 class). Remounting whatever it found instead
	 * would leave this bind writable; so the inode found must be the
	 * source's, at exactly the path the kernel reports for it. */
	r = legacy_same_mount_root(top, src_fd, top_path);
	if (r < 0)
		return mount_ops_log_error(r, "Can't bind mount %s on %s: \"%s\" changed while mounting", src_desc,
					   dest_desc, top_path);
	r = legacy_remount_one(top, attrs);
	if (r < 0)
		return mount_ops_log_error(r,
					   "Can't bind mount %s on %s: Unable to remount destination \"%s\" with "
					   "correct flags",
					   src_desc, dest_desc, top_path);
	if (recursive)
		return legacy_remount_submounts(top_path, attrs, dest_desc);
	return 0;
}

int mount_ops_bind(int src_fd, int dest_fd, unsigned attrs, bool recursive, const char *src_desc,
		   const char *dest_desc)
{
	/* open_tree_attr() does the copy and its flags in one syscall, which
	 * counts when a sandbox has dozens of binds. Where it fails (older
	 * kernels: ENOSYS; a filter that refuses what it does not know), the
	 * two calls below do the same and report what went wrong. */
	static bool no_open_tree_attr;
	struct hutch_mount_attr attr = { .attr_set = attrs };
	unsigned tree_flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
	_cleanup_close_ int tree = -1;

	if (legacy)
		return legacy_bind(src_fd, dest_fd, attrs, recursive, src_desc, dest_desc);

	if (attrs && !no_open_tree_attr) {
		tree = sys_open_tree_attr(src_fd, "", tree_flags, &attr);
		if (tree < 0 && (errno == ENOSYS || errno == EPERM))
			no_open_tree_attr = true;
	}
	if (tree < 0) {
		tree = sys_open_tree(src_fd, "", tree_flags);
		if (tree < 0)
			return mount_ops_log_error(-errno,
						   "Can't bind mount %s on %s: Unable to mount source on destination",
						   src_desc, dest_desc);
		/* Flags go on while the copy is detached: nothing can reach it
		 * through the new place before it is read-only/nosuid. Setting
		 * a flag never conflicts with a locked one; only clearing would. */
		if (attrs && sys_mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr) < 0)
			return mount_ops_log_error(-errno, "Can't bind mount %s on %s: Unable to apply mount flags",
						   src_desc, dest_desc);
	}
	if (sys_move_mount(tree, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return mount_ops_log_error(-errno, "Can't bind mount %s on %s: Unable to mount source on destination",
					   src_desc, dest_desc);
	return 0;
}

int mount_ops_mount_data(const char *fstype, const char *data, unsigned attrs, int dest_fd)
{
	char dst[64];

	fd_link(dst, sizeof dst, dest_fd);
	if (mount(fstype, dst, fstype, attrs_to_ms(attrs), data) < 0)
		return -errno;
	return 0;
}

static int legacy_new_fs(const char *fstype, const MountOpsOption *opts, size_t n_opts, unsigned attrs, int dest_fd)
{
	char data[1024];
	size_t used = 0;

	data[0] = '\0';
	for (size_t i = 0; i < n_opts; i++) {
		/* A value with a comma (an SELinux context with categories,
		 * s0:c1,c2) must be quoted in the comma-separated string;
		 * fsconfig() takes it as it is. */
		const char *value = opts[i].value;
		bool quote = value && strchr(value, ',');
		int n;

		if (value && strchr(value, '"'))
			return -EINVAL;
		n = snprintf(data + used, sizeof data - used, "%s%s%s%s%s%s", i ? "," : "", opts[i].key,
			     value ? "=" : "", quote ? "\"" : "", value ? value : "", quote ? "\"" : "");

		if (n < 0 || (size_t)n >= sizeof data - used)
			return -E2BIG;
		used += (size_t)n;
	}
	return mount_ops_mount_data(fstype, data, attrs, dest_fd);
}

int mount_ops_try_new_fs(const char *fstype, const MountOpsOption *opts, size_t n_opts, unsigned attrs,
			 int dest_fd)
{
	_cleanup_close_ int fs = -1;
	_cleanup_close_ int mnt = -1;

	if (legacy)
		return legacy_new_fs(fstype, opts, n_opts, attrs, dest_fd);
	fs = sys_fsopen(fstype, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	/* The source mountinfo shows, as mount(8) and the legacy path set it. */
	if (sys_fsconfig(fs, FSCONFIG_SET_STRING, "source", fstype, 0) < 0)
		return -errno;
	for (size_t i = 0; i < n_opts; i++)
		if (sys_fsconfig(fs, opts[i].value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opts[i].key,
				 opts[i].value, 0) < 0)
			return -errno;
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return -errno;
	if (sys_move_mount(mnt, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

int mount_ops_new_fs(const char *fstype, const MountOpsOption *opts, size_t n_opts, unsigned attrs, int dest_fd,
		     const char *what, const char *dest_desc)
{
	int r = mount_ops_try_new_fs(fstype, opts, n_opts, attrs, dest_fd);

	if (r < 0)
		return mount_ops_log_error(r, "Can't mount %s on %s", what, dest_desc);
	return 0;
}

int mount_ops_remount(int dest_fd, unsigned attrs, const char *dest_desc)
{
	struct hutch_mount_attr attr = { .attr_set = attrs };
	int r;

	if (legacy) {
		r = legacy_remount_one(dest_fd, attrs);
		if (r < 0)
			return mount_ops_log_error(r, "Can't remount readonly on %s", dest_desc);
		return 0;
	}
	/* Not AT_RECURSIVE: --remount-ro affects only this mount. */
	if (sys_mount_setattr(dest_fd, "", AT_EMPTY_PATH, &attr) < 0)
		return mount_ops_log_error(-errno, "Can't remount readonly on %s", dest_desc);
	return 0;
}
