/* resolve.c — path lookups confined to a tree; see resolve.h.
 *
 * Owns: the openat2(RESOLVE_IN_ROOT) lookup and its fallback walk, parent
 * directory creation and mount-point creation.
 * Must not: mount, log, or look anything up from the process's root or
 * cwd: every lookup starts at an fd the caller passes.
 *
 * Why confine: the setup child holds CAP_SYS_ADMIN over its mount
 * namespace and creates directories and files as it goes. A destination
 * that walked through a symlink such as /newroot/x -> /oldroot/etc, or
 * through "/../..", would let the command line (or content of a bound
 * host directory) make setup create or mount things on the host tree
 * (the class of bug behind CVE-2017-5226-style sandbox escapes and
 * runc's CVE-2021-30465 symlink-exchange race on mount destinations).
 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/syscalls.h"

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

/* Linux's own limit on symlinks followed in one lookup. */
#define RESOLVE_MAX_SYMLINKS 40
/* Directory depth the fallback walk keeps fds for. */
#define RESOLVE_MAX_DEPTH 256
/* openat2 with RESOLVE_IN_ROOT returns EAGAIN when a rename or mount
 * anywhere in the system raced with a ".." step; retrying is the
 * documented answer. */
#define RESOLVE_EAGAIN_RETRIES 64

static bool use_walk;
static bool decided;

void resolve_init(bool force_walk)
{
	if (force_walk) {
		use_walk = true;
		decided = true;
	}
}

bool resolve_uses_walk(void)
{
	return use_walk;
}

/* Next component of *p (skipping slashes); returns its length, 0 at end. */
static size_t next_component(const char **p, const char **start)
{
	const char *s = *p;
	size_t len;

	while (*s == '/')
		s++;
	len = strcspn(s, "/");
	*start = s;
	*p = s + len;
	return len;
}

/* True when the rest of a path holds no component but "." ones. */
static bool only_dots_left(const char *p)
{
	const char *c;
	size_t len;

	while ((len = next_component(&p, &c)) > 0)
		if (!(len == 1 && c[0] == '.'))
			return false;
	return true;
}

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
/* procfs's root directory inode (PROC_ROOT_INO in the kernel). */
#define RESOLVE_PROC_ROOT_INO 1

/* RESOLVE_NO_MAGICLINKS for the walk: procfs's magic links (the
 * /proc/PID/{cwd,root,exe,fd/N,ns/X,map_files/X} kind) name a kernel
 * object, and their text is only a description of it. The walk would
 * splice that text in and resolve it inside the tree, which openat2
 * refuses outright; refuse here too, so both paths agree. The plain
 * symlinks at the top of a procfs ("self", "thread-self", "mounts",
 * "net") stay followable, as openat2 follows them. */
static bool is_magic_link(int dir_fd, int link_fd)
{
	struct statfs sfs;
	struct stat dst;

	if (fstatfs(link_fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return false;
	if (fstat(dir_fd, &dst) == 0 && dst.st_ino == RESOLVE_PROC_ROOT_INO && fstatfs(dir_fd, &sfs) == 0 &&
	    sfs.f_type == PROC_SUPER_MAGIC)
		return false;
	return true;
}

/* Emulates RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS with one O_NOFOLLOW
 * openat() per component: symlink targets are spliced into the remaining
 * path (absolute ones restart at root_fd), ".." pops a stack of fds and
 * stops at root_fd. No lookup ever starts anywhere but an fd on the
 * stack, so nothing resolves outside the tree. */
static int walk_open(int root_fd, const char *path, int flags, mode_t mode)
{
	int stack[RESOLVE_MAX_DEPTH];
	size_t depth = 0;
	unsigned symlinks = 0;
	_cleanup_free_ char *rest = strdup(path);
	const char *p;
	int r = 0;

	if (!rest)
		return -ENOMEM;
	stack[0] = root_fd;
	p = rest;
	for (;;) {
		const char *c;
		size_t len = next_component(&p, &c);
		int cur = stack[depth];
		_cleanup_free_ char *name = NULL;
		_cleanup_close_ int fd = -1;
		bool last, slash;
		struct stat st;

		if (len == 0) {
			/* The path named a directory already on the stack. */
			r = openat(cur, ".", (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
			r = r < 0 ? -errno : r;
			break;
		}
		if (len == 1 && c[0] == '.')
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			if (depth > 0)
				close(stack[depth--]);
			continue;
		}
		name = strndup(c, len);
		if (!name) {
			r = -ENOMEM;
			break;
		}
		last = only_dots_left(p);
		/* "name/" (or "name/."): as for the kernel, it must be a
		 * directory, a symlink there is followed even with O_NOFOLLOW,
		 * and O_CREAT cannot make it. */
		slash = last && *p != '\0';

		if (last && (flags & O_CREAT) && !slash) {
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			if (fd >= 0) {
				r = TAKE_FD(fd);
				break;
			}
			if (errno != ELOOP || (flags & (O_NOFOLLOW | O_EXCL))) {
				r = -errno;
				break;
			}
			/* A symlink: follow it below. */
		}
		fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			r = -errno;
			if (r == -ENOENT && slash && (flags & O_CREAT))
				r = -EISDIR;
			break;
		}
		if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW) && !slash)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
			char *nrest;

			if (++symlinks > RESOLVE_MAX_SYMLINKS || is_magic_link(cur, fd)) {
				r = -ELOOP;
				break;
			}
			if (n < 0) {
				r = -errno;
				break;
			}
			target[n] = '\0';
			/* Nothing after the link: its target alone, so that no
			 * trailing slash is made up. */
			if (asprintf(&nrest, "%s%s%s", target, *p ? "/" : "", p) < 0) {
				r = -ENOMEM;
				break;
			}
			free(rest);
			rest = nrest;
			p = rest;
			if (target[0] == '/')
				while (depth > 0)
					close(stack[depth--]);
			continue;
		}
		if (last) {
			if ((flags & O_DIRECTORY || slash) && !S_ISDIR(st.st_mode)) {
				r = -ENOTDIR;
				break;
			}
			if ((flags & O_CREAT) && S_ISDIR(st.st_mode)) {
				r = -EISDIR;
				break;
			}
			if (flags & O_PATH) {
				r = TAKE_FD(fd);
			} else {
				/* Reopen the inode we checked, not the name. */
				r = openat(cur, name, (flags & ~(O_CREAT | O_EXCL)) | O_NOFOLLOW | O_CLOEXEC);
				r = r < 0 ? -errno : r;
			}
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			r = -ENOTDIR;
			break;
		}
		if (depth + 1 >= RESOLVE_MAX_DEPTH) {
			r = -ENAMETOOLONG;
			break;
		}
		stack[++depth] = TAKE_FD(fd);
	}
	while (depth > 0)
		close(stack[depth--]);
	return r;
}

int resolve_open(int root_fd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	const char *p = path;

	while (*p == '/')
		p++;
	if (*p == '\0')
		p = ".";

	if (!use_walk) {
		for (int i = 0; i < RESOLVE_EAGAIN_RETRIES; i++) {
			int fd = sys_openat2(root_fd, p, &how);

			if (fd >= 0) {
				decided = true;
				return fd;
			}
			if (errno == EAGAIN)
				continue;
			if (errno == ENOSYS && !decided) {
				/* Kernel older than 5.6: decided once for the run. */
				use_walk = true;
				decided = true;
				break;
			}
			decided = true;
			return -errno;
		}
		if (!use_walk)
			return -EAGAIN;
	}
	return walk_open(root_fd, p, flags, mode);
}

/* The directory NAME that was just made in AT, opened by a single
 * O_NOFOLLOW step: whatever races, it cannot lead out of AT. */
static int open_made_dir(int at, const char *name)
{
	int fd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Opens the directory PATH names, creating each missing component with
 * MODE. Returns an fd the caller owns, or -errno. */
static int mkdir_walk(int root_fd, char *path, mode_t mode)
{
	_cleanup_close_ int parent = -1;
	bool below_created = false;
	const char *p = path;
	const char *c;
	size_t len;

	while ((len = next_component(&p, &c)) > 0) {
		bool dotdot = len == 2 && c[0] == '.' && c[1] == '.';
		char saved = *p;
		int at = parent >= 0 ? parent : root_fd;
		int fd;

		if (len == 1 && c[0] == '.')
			continue;
		*(char *)p = '\0';
		if (below_created && !dotdot) {
			/* Inside a directory made a moment ago: nothing can be
			 * there but what we make. */
			fd = mkdirat(at, c, mode) < 0 && errno != EEXIST ? -errno : open_made_dir(at, c);
		} else {
			/* Each existing prefix is resolved from the root again
			 * (not from the previous fd: RESOLVE_IN_ROOT would treat
			 * that as the root), so a symlink met on the way
			 * resolves inside the tree exactly as it would for the
			 * final lookup. */
			fd = resolve_open(root_fd, path, O_PATH | O_DIRECTORY, 0);
			if (fd == -ENOENT && !dotdot) {
				if (mkdirat(at, c, mode) == 0) {
					below_created = true;
					fd = open_made_dir(at, c);
				} else if (errno == EEXIST) {
					/* A dangling symlink says EEXIST here and
					 * ENOENT again below: refused, never
					 * created through. */
					fd = resolve_open(root_fd, path, O_PATH | O_DIRECTORY, 0);
				} else {
					fd = -errno;
				}
			} else if (dotdot) {
				below_created = false;
			}
		}
		*(char *)p = saved;
		if (fd < 0)
			return fd;
		if (parent >= 0)
			close(parent);
		parent = fd;
	}
	if (parent < 0)
		return resolve_open(root_fd, ".", O_PATH | O_DIRECTORY, 0);
	return TAKE_FD(parent);
}

int resolve_dest_prepare(int root_fd, const char *path, mode_t mode, ResolveDest *d)
{
	char *end, *last;
	int fd;

	*d = (ResolveDest)RESOLVE_DEST_INIT;
	d->root_fd = root_fd;
	d->buf = strdup(path);
	if (!d->buf)
		return -ENOMEM;
	/* Drop trailing slashes and "." components. */
	for (;;) {
		end = d->buf + strlen(d->buf);
		while (end > d->buf && end[-1] == '/')
			*--end = '\0';
		if (end - d->buf >= 2 && end[-1] == '.' && end[-2] == '/')
			end[-1] = '\0';
		else if (end - d->buf == 1 && d->buf[0] == '.')
			d->buf[0] = '\0';
		else
			break;
	}
	end = strrchr(d->buf, '/');
	last = end ? end + 1 : d->buf;
	if (*last == '\0' || strcmp(last, "..") == 0) {
		/* The root, or a directory reached by "..": everything the
		 * path names is a parent to be made, then the path itself is
		 * the directory. */
		fd = mkdir_walk(root_fd, d->buf, mode);
		if (fd < 0)
			return fd;
		d->dir_fd = fd;
		return 0;
	}
	d->last = last;
	if (end)
		*end = '\0';
	if (only_dots_left(d->buf)) {
		d->dir_fd = root_fd; /* a child of the root: nothing to open */
		return 0;
	}
	fd = resolve_open(root_fd, d->buf, O_PATH | O_DIRECTORY, 0);
	if (fd == -ENOENT)
		fd = mkdir_walk(root_fd, d->buf, mode);
	if (end)
		*end = '/';
	if (fd < 0)
		return fd;
	d->dir_fd = fd;
	return 0;
}

void resolve_dest_release(ResolveDest *d)
{
	if (d->dir_fd >= 0 && d->dir_fd != d->root_fd)
		close(d->dir_fd);
	d->dir_fd = -1;
	free(d->buf);
	d->buf = NULL;
	d->last = NULL;
}

int resolve_dest_dir(ResolveDest *d, const char *path, mode_t mode, bool want_fd)
{
	int fd;

	d->existed = true;
	if (!d->last) {
		fd = resolve_open(d->root_fd, path, O_PATH | O_DIRECTORY, 0);
	} else if (mkdirat(d->dir_fd, d->last, mode) == 0) {
		/* Ours, just made: no lookup from the root needed. */
		d->existed = false;
		return want_fd ? open_made_dir(d->dir_fd, d->last) : 0;
	} else if (errno != EEXIST) {
		return -errno;
	} else {
		/* There already, maybe as a symlink to follow inside the tree
		 * (a dangling one says ENOENT here: refused, never created
		 * through). */
		fd = resolve_open(d->root_fd, path, O_PATH | O_DIRECTORY, 0);
	}
	if (fd >= 0 && !want_fd) {
		close(fd);
		return 0;
	}
	return fd;
}

int resolve_dest_file(ResolveDest *d, const char *path, mode_t mode)
{
	struct stat st;
	int fd;

	d->existed = true;
	if (!d->last)
		return -EISDIR;
	fd = openat(d->dir_fd, d->last, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC, mode);
	if (fd >= 0) {
		d->existed = false;
		return fd;
	}
	if (errno != EEXIST)
		return -errno;
	fd = resolve_open(d->root_fd, path, O_PATH, 0);
	if (fd >= 0) {
		int r = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;

		if (r < 0) {
			close(fd);
			return r;
		}
	}
	return fd;
}

int resolve_fchmod(int path_fd, mode_t mode, const char *proc_prefix)
{
	char link[PATH_MAX];
	struct stat st;

	if (fstat(path_fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		_cleanup_close_ int dfd = openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd < 0)
			return -errno;
		return fchmod(dfd, mode) < 0 ? -errno : 0;
	}
	/* Opening a fifo or device to fchmod it could block or have side
	 * effects; fchmodat2 (Linux 6.6) works on the O_PATH fd itself. */
	if (syscall(__NR_fchmodat2, path_fd, "", mode, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -EOPNOTSUPP;
	/* chmod follows the magic link to exactly this inode. */
	snprintf(link, sizeof link, "%s/self/fd/%d", proc_prefix, path_fd);
	return chmod(link, mode) < 0 ? -errno : 0;
}
