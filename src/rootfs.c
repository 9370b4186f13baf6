/* rootfs.c — building the sandbox's root filesystem; see rootfs.h.
 *
 * Owns: source resolution in the caller's view, the setup tmpfs and the
 * two pivot_roots, and running the Plan's filesystem ops in order.
 * Must not: touch ids, capabilities, environment, cwd policy or exec;
 * create anything on the host tree (every destination is resolved from
 * an fd of the new root, see resolve.c).
 *
 * Layout during setup (after the first pivot_root):
 *   /            private "setup" tmpfs, never visible to the payload;
 *                holds --bind-data files and --tmp-overlay upper dirs
 *   /oldroot     the caller's root (a slave of the host's mounts)
 *   /newroot     a tmpfs that becomes the sandbox's /
 */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev-setup.h"
#include "mount-ops.h"
#include "resolve.h"
#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"
#include "util/syscalls.h"

#define ROOTFS_PROC "/oldroot/proc"

typedef struct {
	const Plan *plan;
	char *const *sources;
	int setup_fd;    /* "/" during setup: the setup tmpfs */
	int oldroot_fd;  /* "/oldroot": the caller's root */
	int newroot_fd;  /* "/newroot", reopened after a mount covered it */
	struct stat newroot_st; /* what newroot_fd names */
	bool root_covered; /* an op mounted on the new root's "/" itself */
	unsigned counter; /* names of files and dirs made in the setup tmpfs */
	size_t overlay_first, n_overlay_src; /* pending --overlay-src ops */
} RootfsBuild;

/* ---- parent side ------------------------------------------------------- */

/* --overlay keeps two host paths; they travel in one sources[] string as
 * "UPPER\0WORK\0", which only this file writes and reads. */
static int resolve_overlay_dirs(const PlanOp *op, char **out)
{
	_cleanup_free_ char *upper = realpath(op->overlay_upper, NULL);
	_cleanup_free_ char *work = NULL;
	size_t lu, lw;

	if (!upper)
		return log_error_errno(errno, "Can't find source path %s", op->overlay_upper);
	work = realpath(op->overlay_work, NULL);
	if (!work)
		return log_error_errno(errno, "Can't find source path %s", op->overlay_work);
	lu = strlen(upper);
	lw = strlen(work);
	*out = malloc(lu + lw + 2);
	if (!*out)
		return log_error_errno(ENOMEM, "Out of memory");
	memcpy(*out, upper, lu + 1);
	memcpy(*out + lu + 1, work, lw + 1);
	return 0;
}

int rootfs_resolve_sources(const Plan *plan, char ***out)
{
	char **sources = calloc(plan->n_ops + 1, sizeof *sources);
	int r = 0;

	if (!sources)
		return log_error_errno(ENOMEM, "Out of memory");
	/* In op order, before any mount: a missing source fails the run even
	 * when an earlier op would have failed later (bwrap's order). */
	for (size_t i = 0; i < plan->n_ops && r >= 0; i++) {
		const PlanOp *op = &plan->ops[i];
		char fd_path[64];
		const char *path = NULL;

		switch (op->kind) {
		case PLAN_OP_BIND:
		case PLAN_OP_RO_BIND:
		case PLAN_OP_DEV_BIND:
		case PLAN_OP_OVERLAY_SRC:
			path = op->source;
			break;
		case PLAN_OP_BIND_FD:
		case PLAN_OP_RO_BIND_FD:
			/* The fd's mount lives in the caller's mount namespace,
			 * which the kernel will not clone from; its path is found
			 * again in the child and checked against the fd there. */
			snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%d", op->fd);
			path = fd_path;
			break;
		case PLAN_OP_OVERLAY:
			r = resolve_overlay_dirs(op, &sources[i]);
			continue;
		case PLAN_OP_TMP_OVERLAY:
		case PLAN_OP_RO_OVERLAY:
		case PLAN_OP_REMOUNT_RO:
		case PLAN_OP_PROC:
		case PLAN_OP_DEV:
		case PLAN_OP_TMPFS:
		case PLAN_OP_MQUEUE:
		case PLAN_OP_DIR:
		case PLAN_OP_FILE:
		case PLAN_OP_BIND_DATA:
		case PLAN_OP_RO_BIND_DATA:
		case PLAN_OP_SYMLINK:
		case PLAN_OP_CHMOD:
		default:
			continue;
		}
		sources[i] = realpath(path, NULL);
		if (!sources[i]) {
			if (errno == ENOENT && (op->flags & PLAN_OP_ALLOW_MISSING))
				continue;
			r = log_error_errno(errno, "Can't find source path %s", path);
		}
	}
	if (r < 0) {
		rootfs_free_sources(sources, plan->n_ops);
		return r;
	}
	*out = sources;
	return 0;
}

void rootfs_free_sources(char **sources, size_t n)
{
	if (!sources)
		return;
	for (size_t i = 0; i < n; i++)
		free(sources[i]);
	free(sources);
}

/* ---- child side: helpers ---------------------------------------------- */

/* The perms value an op carries: its --perms, else its default; ops that
 * take no --perms carry 0 (as in bwrap, which makes their missing parents
 * 0700 below). */
static int op_perms(const PlanOp *op)
{
	switch (op->kind) {
	case PLAN_OP_TMPFS:
	case PLAN_OP_DIR:
		return op->perms != PLAN_PERMS_UNSET ? op->perms : 0755;
	case PLAN_OP_FILE:
		return op->perms != PLAN_PERMS_UNSET ? op->perms : 0666;
	case PLAN_OP_BIND_DATA:
	case PLAN_OP_RO_BIND_DATA:
		return op->perms != PLAN_PERMS_UNSET ? op->perms : 0600;
	case PLAN_OP_BIND:
	case PLAN_OP_RO_BIND:
	case PLAN_OP_DEV_BIND:
	case PLAN_OP_BIND_FD:
	case PLAN_OP_RO_BIND_FD:
	case PLAN_OP_REMOUNT_RO:
	case PLAN_OP_OVERLAY_SRC:
	case PLAN_OP_OVERLAY:
	case PLAN_OP_TMP_OVERLAY:
	case PLAN_OP_RO_OVERLAY:
	case PLAN_OP_PROC:
	case PLAN_OP_DEV:
	case PLAN_OP_MQUEUE:
	case PLAN_OP_SYMLINK:
	case PLAN_OP_CHMOD:
	default:
		return 0;
	}
}

/* Missing parents: 0755, minus group access when the op's perms give the
 * group nothing, minus other access likewise. */
static mode_t parent_mode(const PlanOp *op)
{
	int perms = op_perms(op);
	mode_t mode = 0755;

	if (!(perms & 070))
		mode &= ~(mode_t)050;
	if (!(perms & 07))
		mode &= ~(mode_t)05;
	return mode;
}

/* "/newroot" + dest, the way bwrap names destinations in its bind,
 * remount and new-filesystem (proc, tmpfs, mqueue, overlay) errors. */
static void newroot_desc(char *buf, size_t size, const char *dest)
{
	snprintf(buf, size, "/newroot%s%s", dest[0] == '/' ? "" : "/", dest);
}

#define _cleanup_dest_ _cleanup_(resolve_dest_release)

/* Opens the directory that will hold op->dest, making its missing
 * parents. */
static int prepare_dest(RootfsBuild *b, const PlanOp *op, ResolveDest *d)
{
	int r = resolve_dest_prepare(b->newroot_fd, op->dest, parent_mode(op), d);

	if (r < 0)
		return log_error_errno(r, "Can't mkdir parents for %s", op->dest);
	return 0;
}

/* A mount on the new root's own "/" (a destination of "/", or a
 * symlink to it) covers the directory newroot_fd names; every later
 * lookup must start at the new mount instead. Only a destination that
 * was there already can be that directory. */
static void note_mount_target(RootfsBuild *b, const ResolveDest *d, int dst)
{
	struct stat st;

	if (d->existed && fstat(dst, &st) == 0 && st.st_dev == b->newroot_st.st_dev &&
	    st.st_ino == b->newroot_st.st_ino)
		b->root_covered = true;
}

/* Prepares op->dest as a directory to mount on; returns its fd. */
static int mount_dir(RootfsBuild *b, const PlanOp *op, mode_t mode)
{
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	int fd = prepare_dest(b, op, &d);

	if (fd < 0)
		return fd;
	fd = resolve_dest_dir(&d, op->dest, mode, true);
	if (fd < 0)
		return log_error_errno(fd, "Can't mkdir %s", op->dest);
	note_mount_target(b, &d, fd);
	return fd;
}

/* Prepares op->dest as a non-directory to mount on; returns its fd. */
static int mount_file(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	int fd = prepare_dest(b, op, &d);

	if (fd < 0)
		return fd;
	fd = resolve_dest_file(&d, op->dest, 0444);
	if (fd < 0)
		return log_error_errno(fd, "Can't create file at %s", op->dest);
	note_mount_target(b, &d, fd);
	return fd;
}

/* After a mount on DEST, an fd opened before it names the covered
 * directory; a fresh lookup reaches the new mount's root. */
static int reopen_dest(RootfsBuild *b, const PlanOp *op)
{
	int fd = resolve_open(b->newroot_fd, op->dest, O_PATH | O_DIRECTORY, 0);

	if (fd < 0)
		return log_error_errno(fd, "Can't open %s", op->dest);
	return fd;
}

/* ---- child side: one function per kind of op -------------------------- */

static int op_bind(RootfsBuild *b, const PlanOp *op, const char *source)
{
	bool dev = op->kind == PLAN_OP_DEV_BIND;
	bool ro = op->kind == PLAN_OP_RO_BIND || op->kind == PLAN_OP_RO_BIND_FD;
	bool is_fd = op->kind == PLAN_OP_BIND_FD || op->kind == PLAN_OP_RO_BIND_FD;
	unsigned attrs = MOUNT_OPS_NOSUID | (dev ? 0 : MOUNT_OPS_NODEV) | (ro ? MOUNT_OPS_RDONLY : 0);
	char src_desc[PATH_MAX + 16], dest_desc[PATH_MAX + 16];
	_cleanup_close_ int src = -1;
	_cleanup_close_ int dst = -1;
	struct stat st;
	int r;

	if (source) {
		src = resolve_open(b->oldroot_fd, source, O_PATH, 0);
	} else if ((op->flags & PLAN_OP_ALLOW_MISSING) && op->source && op->source[0] == '/') {
		/* A -try source the caller could not resolve: it may be a
		 * magic link that only means something in here, as in
		 * flatpak's `--ro-bind-try /proc/self/ns/user /run/.userns`
		 * (the sandbox's own user namespace). Look it up once more,
		 * in our namespaces, following links as the kernel does. */
		source = op->source;
		src = openat(b->oldroot_fd, source + 1, O_PATH | O_CLOEXEC);
		if (src < 0)
			src = -errno;
	} else {
		return 0; /* a -try op whose source was missing */
	}
	if (src == -ENOENT && (op->flags & PLAN_OP_ALLOW_MISSING))
		return 0;
	if (src < 0 || fstat(src, &st) < 0)
		return log_error_errno(src < 0 ? src : -errno, "Can't get type of source %s",
				       op->source ? op->source : source);
	if (is_fd) {
		struct stat fst;

		/* The path found in our namespace must be the inode the fd
		 * names; otherwise something was renamed in between. */
		if (fstat(op->fd, &fst) < 0)
			return log_error_errno(errno, "Can't stat fd %d", op->fd);
		if (fst.st_dev != st.st_dev || fst.st_ino != st.st_ino)
			return log_error("Race condition binding dirfd: %s is no longer fd %d", source, op->fd);
	}
	if (S_ISDIR(st.st_mode)) {
		dst = mount_dir(b, op, 0755);
		if (dst < 0)
			return dst;
	} else {
		dst = mount_file(b, op);
		if (dst < 0)
			return dst;
	}
	snprintf(src_desc, sizeof src_desc, "/oldroot%s", source);
	newroot_desc(dest_desc, sizeof dest_desc, op->dest);
	r = mount_ops_bind(src, dst, attrs, true, src_desc, dest_desc);
	if (r < 0)
		return r;
	if (is_fd)
		close(op->fd);
	return 0;
}

static int op_remount_ro(RootfsBuild *b, const PlanOp *op)
{
	char desc[PATH_MAX + 16];
	_cleanup_close_ int fd = -1;
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	int r = prepare_dest(b, op, &d);

	if (r < 0)
		return r;
	newroot_desc(desc, sizeof desc, op->dest);
	fd = resolve_open(b->newroot_fd, op->dest, O_PATH, 0);
	if (fd < 0)
		return log_error_errno(fd, "Can't remount readonly on %s", desc);
	return mount_ops_remount(fd, MOUNT_OPS_RDONLY | MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV, desc);
}

static int op_proc(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_close_ int dst = -1;
	_cleanup_close_ int proc = -1;
	char desc[PATH_MAX + 16];
	int r;

	newroot_desc(desc, sizeof desc, op->dest);
	dst = mount_dir(b, op, 0755);
	if (dst < 0)
		return dst;
	/* A fresh procfs needs privilege over the PID namespace's owner:
	 * without --unshare-pid the kernel refuses (EPERM) and, like bwrap,
	 * the caller's /proc is bound instead. */
	r = mount_ops_try_new_fs("proc", NULL, 0, MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV | MOUNT_OPS_NOEXEC, dst);
	if (r == -EPERM) {
		_cleanup_close_ int src = resolve_open(b->oldroot_fd, "/proc", O_PATH | O_DIRECTORY, 0);

		if (src < 0)
			return mount_ops_log_error(src, "Can't mount proc on %s", desc);
		r = mount_ops_bind(src, dst, MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV, true, "oldroot/proc", op->dest);
		if (r < 0)
			return r;
	} else if (r < 0) {
		return mount_ops_log_error(r, "Can't mount proc on %s", desc);
	}
	proc = reopen_dest(b, op);
	if (proc < 0)
		return proc;
	return dev_setup_cover_proc(proc, op->dest);
}

static int op_dev(RootfsBuild *b, const PlanOp *op)
{
	char desc[PATH_MAX + 16];
	MountOpsOption opts[2] = { { "mode", "0755" } };
	size_t n = 1;
	_cleanup_close_ int dst = -1;
	_cleanup_close_ int dev = -1;
	int r;

	dst = mount_dir(b, op, 0755);
	if (dst < 0)
		return dst;
	/* --file-label: the new filesystem's files carry the label. */
	if (b->plan->file_label)
		opts[n++] = (MountOpsOption){ "context", b->plan->file_label };
	newroot_desc(desc, sizeof desc, op->dest);
	r = mount_ops_new_fs("tmpfs", opts, n, MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV, dst, "tmpfs", desc);
	if (r < 0)
		return r;
	dev = reopen_dest(b, op);
	if (dev < 0)
		return dev;
	return dev_setup_populate(dev, b->oldroot_fd, op->dest);
}

static int op_tmpfs(RootfsBuild *b, const PlanOp *op)
{
	char desc[PATH_MAX + 16];
	MountOpsOption opts[3];
	char mode[16], size[32];
	size_t n = 0;
	_cleanup_close_ int dst = mount_dir(b, op, 0755);

	if (dst < 0)
		return dst;
	snprintf(mode, sizeof mode, "%#o", (unsigned)op_perms(op));
	opts[n++] = (MountOpsOption){ "mode", mode };
	if (op->size) {
		snprintf(size, sizeof size, "%llu", (unsigned long long)op->size);
		opts[n++] = (MountOpsOption){ "size", size };
	}
	if (b->plan->file_label)
		opts[n++] = (MountOpsOption){ "context", b->plan->file_label };
	newroot_desc(desc, sizeof desc, op->dest);
	return mount_ops_new_fs("tmpfs", opts, n, MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV, dst, "tmpfs", desc);
}

static int op_mqueue(RootfsBuild *b, const PlanOp *op)
{
	char desc[PATH_MAX + 16];
	_cleanup_close_ int dst = mount_dir(b, op, 0755);

	if (dst < 0)
		return dst;
	newroot_desc(desc, sizeof desc, op->dest);
	return mount_ops_new_fs("mqueue", NULL, 0, 0, dst, "mqueue", desc);
}

static int op_dir(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	int r = prepare_dest(b, op, &d);

	if (r < 0)
		return r;
	/* An existing directory is left as it is: --perms is not applied
	 * to it (bwrap's behaviour; --chmod is there for that). */
	r = resolve_dest_dir(&d, op->dest, (mode_t)op_perms(op), false);
	if (r < 0)
		return log_error_errno(r, "Can't mkdir %s", op->dest);
	return 0;
}

static int op_file(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_close_ int dst = -1;
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	int r = prepare_dest(b, op, &d);

	if (r < 0)
		return r;
	dst = resolve_open(b->newroot_fd, op->dest, O_CREAT | O_WRONLY | O_TRUNC, (mode_t)op_perms(op));
	if (dst < 0)
		return log_error_errno(dst, "Can't create file %s", op->dest);
	r = fd_copy(op->fd, dst);
	if (r < 0)
		return log_error_errno(r, "Can't write data to file %s", op->dest);
	close(op->fd);
	return 0;
}

static int op_bind_data(RootfsBuild *b, const PlanOp *op)
{
	bool ro = op->kind == PLAN_OP_RO_BIND_DATA;
	mode_t mode = (mode_t)op_perms(op);
	char name[64], src_desc[80], dest_desc[PATH_MAX + 16];
	_cleanup_close_ int data = -1;
	_cleanup_close_ int dst = -1;
	int r;

	/* The data lives in the setup tmpfs, outside the new root: after
	 * the final pivot only the bind mount still reaches it. Setup runs
	 * with umask 0 (child.c), so MODE is the file's mode exactly. */
	snprintf(name, sizeof name, "bindfile-%u", b->counter++);
	data = openat(b->setup_fd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, mode);
	if (data < 0)
		return log_error_errno(errno, "Can't create tmpfile for %s", op->dest);
	r = fd_copy(op->fd, data);
	if (r < 0)
		return log_error_errno(r, "Can't write data to file %s", op->dest);
	close(op->fd);

	dst = mount_file(b, op);
	if (dst < 0)
		return dst;
	snprintf(src_desc, sizeof src_desc, "/%s", name);
	newroot_desc(dest_desc, sizeof dest_desc, op->dest);
	/* The fd we wrote through names the file itself: it is the source. */
	r = mount_ops_bind(data, dst, MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV | (ro ? MOUNT_OPS_RDONLY : 0), false, src_desc,
			   dest_desc);
	if (r < 0)
		return r;
	unlinkat(b->setup_fd, name, 0);
	return 0;
}

static int op_symlink(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_dest_ ResolveDest d = RESOLVE_DEST_INIT;
	char existing[PATH_MAX];
	ssize_t n;
	int r = prepare_dest(b, op, &d);

	if (r < 0)
		return r;
	if (!d.last)
		return log_error("Can't make symlink at %s: destination exists and is not a symlink", op->dest);
	if (symlinkat(op->source, d.dir_fd, d.last) == 0)
		return 0;
	if (errno != EEXIST)
		return log_error_errno(errno, "Can't make symlink at %s", op->dest);
	/* Idempotent: the same link already there is success (bwrap >= 0.9). */
	n = readlinkat(d.dir_fd, d.last, existing, sizeof existing - 1);
	if (n < 0) {
		if (errno == EINVAL)
			return log_error("Can't make symlink at %s: destination exists and is not a symlink",
					 op->dest);
		return log_error_errno(errno, "Can't make symlink at %s: destination exists, and cannot read symlink "
					      "target",
				       op->dest);
	}
	existing[n] = '\0';
	/* bwrap 0.11.1's words, then the target that was asked for, so the
	 * message names both. */
	if (strcmp(existing, op->source) != 0)
		return log_error("Can't make symlink at %s: existing destination is %s, not %s", op->dest, existing,
				 op->source);
	return 0;
}

static int op_chmod(RootfsBuild *b, const PlanOp *op)
{
	_cleanup_close_ int fd = resolve_open(b->newroot_fd, op->dest, O_PATH, 0);
	int r;

	if (fd < 0)
		return log_error_errno(fd, "Can't chmod %#o %s", (unsigned)op->perms, op->dest);
	r = resolve_fchmod(fd, (mode_t)op->perms, ROOTFS_PROC);
	if (r < 0)
		return log_error_errno(r, "Can't chmod %#o %s", (unsigned)op->perms, op->dest);
	return 0;
}

/* Appends PREFIX+PATH to an overlayfs option string, escaping the
 * characters overlayfs splits on (',' between options, ':' between
 * layers) and the escape character itself. */
static int append_escaped(char *buf, size_t size, size_t *used, const char *prefix, const char *path)
{
	const char *parts[2] = { prefix, path };

	for (size_t k = 0; k < 2; k++)
		for (const char *s = parts[k]; *s; s++) {
			if (*used + 3 >= size)
				return -ENAMETOOLONG;
			if (k == 1 && (*s == '\\' || *s == ',' || *s == ':'))
				buf[(*used)++] = '\\';
			buf[(*used)++] = *s;
		}
	buf[*used] = '\0';
	return 0;
}

static int append_str(char *buf, size_t size, size_t *used, const char *s)
{
	size_t len = strlen(s);

	if (*used + len + 1 >= size)
		return -ENAMETOOLONG;
	memcpy(buf + *used, s, len + 1);
	*used += len;
	return 0;
}

static int op_overlay(RootfsBuild *b, const PlanOp *op, const char *source)
{
	bool ro = op->kind == PLAN_OP_RO_OVERLAY;
	_cleanup_free_ char *data = malloc(65536);
	_cleanup_close_ int dst = -1;
	size_t used = 0, n_src = b->n_overlay_src, first = b->overlay_first;
	char desc[PATH_MAX + 16];
	int r = 0;

	newroot_desc(desc, sizeof desc, op->dest);

	b->n_overlay_src = 0;
	if (!data)
		return log_error_errno(ENOMEM, "Out of memory");
	/* The parent always resolves an --overlay op's two directories. */
	if (op->kind == PLAN_OP_OVERLAY && !source)
		return log_error("Can't make overlay mount on %s: no directories", op->dest); // cppcheck-suppress memleak
	data[0] = '\0';
	if (op->kind == PLAN_OP_OVERLAY) {
		/* source is "UPPER\0WORK\0" (see resolve_overlay_dirs). */
		r = append_str(data, 65536, &used, "upperdir=");
		r = r ?: append_escaped(data, 65536, &used, "/oldroot", source);
		r = r ?: append_str(data, 65536, &used, ",workdir=");
		r = r ?: append_escaped(data, 65536, &used, "/oldroot", source + strlen(source) + 1);
		r = r ?: append_str(data, 65536, &used, ",");
	} else if (op->kind == PLAN_OP_TMP_OVERLAY) {
		/* Writes go to a directory of the setup tmpfs, which the
		 * payload can never reach and which vanishes with it. */
		char upper[64], work[64];
		unsigned id = b->counter++;

		snprintf(upper, sizeof upper, "tmp-overlay-upper-%u", id);
		snprintf(work, sizeof work, "tmp-overlay-work-%u", id);
		/* cppcheck does not model __attribute__((cleanup)): data is
		 * freed on these returns by _cleanup_free_. */
		if (mkdirat(b->setup_fd, upper, 0755) < 0)
			return log_error_errno(errno, "Creating --tmp-overlay upperdir failed"); // cppcheck-suppress memleak
		if (mkdirat(b->setup_fd, work, 0755) < 0)
			return log_error_errno(errno, "Creating --tmp-overlay workdir failed"); // cppcheck-suppress memleak
		r = append_str(data, 65536, &used, "upperdir=/");
		r = r ?: append_str(data, 65536, &used, upper);
		r = r ?: append_str(data, 65536, &used, ",workdir=/");
		r = r ?: append_str(data, 65536, &used, work);
		r = r ?: append_str(data, 65536, &used, ",");
	}
	/* overlayfs lists lower layers top first; the last --overlay-src
	 * given is the top one. */
	r = r ?: append_str(data, 65536, &used, "lowerdir=");
	for (size_t k = n_src; k-- > 0 && r == 0;) {
		r = append_escaped(data, 65536, &used, "/oldroot", b->sources[first + k]);
		if (r == 0 && k > 0)
			r = append_str(data, 65536, &used, ":");
	}
	/* Trusted xattrs need CAP_SYS_ADMIN in the initial namespace; in a
	 * user namespace overlayfs must keep its metadata in user.* xattrs. */
	r = r ?: append_str(data, 65536, &used, ",userxattr");
	if (r < 0)
		return log_error_errno(r, "Can't make overlay mount on %s", desc);

	dst = mount_dir(b, op, 0755);
	if (dst < 0)
		return dst;
	r = mount_ops_mount_data("overlay", data,
				 MOUNT_OPS_NOSUID | MOUNT_OPS_NODEV | (ro ? MOUNT_OPS_RDONLY : 0), dst);
	if (r == -ELOOP)
		return log_error("Can't make overlay mount on %s with options %s: Overlay directories may not overlap",
				 desc, data);
	if (r < 0)
		return mount_ops_log_error(r, "Can't make overlay mount on %s with options %s", desc, data);
	return 0;
}

static int run_op(RootfsBuild *b, size_t i)
{
	const PlanOp *op = &b->plan->ops[i];
	const char *source = b->sources ? b->sources[i] : NULL;

	switch (op->kind) {
	case PLAN_OP_BIND:
	case PLAN_OP_RO_BIND:
	case PLAN_OP_DEV_BIND:
	case PLAN_OP_BIND_FD:
	case PLAN_OP_RO_BIND_FD:
		return op_bind(b, op, source);
	case PLAN_OP_REMOUNT_RO:
		return op_remount_ro(b, op);
	case PLAN_OP_OVERLAY_SRC:
		if (b->n_overlay_src++ == 0)
			b->overlay_first = i;
		return 0;
	case PLAN_OP_OVERLAY:
	case PLAN_OP_TMP_OVERLAY:
	case PLAN_OP_RO_OVERLAY:
		return op_overlay(b, op, source);
	case PLAN_OP_PROC:
		return op_proc(b, op);
	case PLAN_OP_DEV:
		return op_dev(b, op);
	case PLAN_OP_TMPFS:
		return op_tmpfs(b, op);
	case PLAN_OP_MQUEUE:
		return op_mqueue(b, op);
	case PLAN_OP_DIR:
		return op_dir(b, op);
	case PLAN_OP_FILE:
		return op_file(b, op);
	case PLAN_OP_BIND_DATA:
	case PLAN_OP_RO_BIND_DATA:
		return op_bind_data(b, op);
	case PLAN_OP_SYMLINK:
		return op_symlink(b, op);
	case PLAN_OP_CHMOD:
		return op_chmod(b, op);
	default:
		return log_error("Unexpected filesystem operation %d", (int)op->kind);
	}
}

/* ---- child side: the two pivots --------------------------------------- */

/* Where the setup tmpfs is mounted before the first pivot_root: any
 * existing directory will do, since pivot_root moves the tmpfs away from
 * it again (the host directory is visible as /oldroot/<it> afterwards). */
static const char *choose_base(void)
{
	static const char *const candidates[] = { "/tmp", "/run", "/var/tmp", "/mnt", "/" };
	struct stat st;

	for (size_t i = 0; i < N_ELEMENTS(candidates); i++)
		if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
			return candidates[i];
	return "/";
}

static int enter_setup_root(void)
{
	const char *base;

	/* Host mount events keep propagating in (a USB stick mounted later
	 * appears in a bound /media), ours never propagate out. Must come
	 * before any mount: a mount made under a shared parent would be
	 * copied to the host's peers. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return mount_ops_log_error(-errno, "Failed to make / slave");
	base = choose_base();
	if (mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return mount_ops_log_error(-errno, "Failed to mount tmpfs");
	if (chdir(base) < 0)
		return log_error_errno(errno, "chdir base_path");
	if (mkdir("newroot", 0755) < 0)
		return log_error_errno(errno, "Creating newroot failed");
	if (mount("tmpfs", "newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return mount_ops_log_error(-errno, "setting up newroot tmpfs");
	if (mkdir("oldroot", 0755) < 0)
		return log_error_errno(errno, "Creating oldroot failed");
	/* pivot_root needs new_root to be a mount point and neither it nor
	 * the current root to be shared: both hold after MS_SLAVE above. */
	if (sys_pivot_root(".", "oldroot") < 0)
		return log_error_errno(errno, "pivot_root");
	if (chdir("/") < 0)
		return log_error_errno(errno, "chdir / (base path)");
	return 0;
}

static int leave_setup_root(void)
{
	/* The old root is made rprivate so that detaching it cannot
	 * propagate to any peer. */
	if (mount(NULL, "/oldroot", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return mount_ops_log_error(-errno, "Failed to make old root rprivate");
	/* pivot_root(".", ".") stacks the setup tmpfs on top of the new
	 * root; lazily detaching "." then removes it together with the old
	 * root mounted under it (busy host mounts are fine: nothing here
	 * keeps them), so neither the host, the setup tmpfs nor any
	 * temporary mount point is reachable from the payload. One detach,
	 * not two: each waits for an RCU grace period, which is a good part
	 * of a sandbox's start-up time. */
	if (chdir("/newroot") < 0)
		return log_error_errno(errno, "chdir /newroot");
	if (sys_pivot_root(".", ".") < 0)
		return log_error_errno(errno, "pivot_root(/newroot)");
	if (umount2(".", MNT_DETACH) < 0)
		return log_error_errno(errno, "umount old root");
	if (chdir("/") < 0)
		return log_error_errno(errno, "chdir /");
	return 0;
}

int rootfs_build(const Plan *plan, char *const *sources)
{
	RootfsBuild b = {
		.plan = plan,
		.sources = sources,
		.setup_fd = -1,
		.oldroot_fd = -1,
		.newroot_fd = -1,
	};
	int r;

	r = enter_setup_root();
	if (r < 0)
		return r;
	b.setup_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	b.oldroot_fd = open("/oldroot", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (b.setup_fd < 0 || b.oldroot_fd < 0) {
		r = log_error_errno(errno, "Can't open the setup directories");
		goto out;
	}
	mount_ops_init(ROOTFS_PROC);
	/* Kernels without the new mount API (< 5.12) mostly lack openat2
	 * (5.6) too; the forced-legacy test mode exercises both fallbacks. */
	resolve_init(mount_ops_legacy());

	for (size_t i = 0; i < plan->n_ops; i++) {
		/* Reopened after an op mounted on "/" of the new root (see
		 * note_mount_target): the old fd names the covered directory. */
		if (b.newroot_fd < 0 || b.root_covered) {
			if (b.newroot_fd >= 0)
				close(b.newroot_fd);
			b.root_covered = false;
			b.newroot_fd = open("/newroot", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (b.newroot_fd < 0 || fstat(b.newroot_fd, &b.newroot_st) < 0) {
				r = log_error_errno(errno, "Can't open /newroot");
				goto out;
			}
		}
		r = run_op(&b, i);
		if (r < 0)
			goto out;
	}
	/* Every fd into the old root or setup tree must be gone before they
	 * are detached. */
	close(b.newroot_fd);
	close(b.oldroot_fd);
	close(b.setup_fd);
	b.newroot_fd = b.oldroot_fd = b.setup_fd = -1;
	return leave_setup_root();

out:
	if (b.newroot_fd >= 0)
		close(b.newroot_fd);
	if (b.oldroot_fd >= 0)
		close(b.oldroot_fd);
	if (b.setup_fd >= 0)
		close(b.setup_fd);
	return r;
}
