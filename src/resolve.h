/* resolve.h — path lookups confined to a tree, and mount-point creation.
 *
 * Owns: opening a path inside the tree rooted at an fd so that neither a
 * symlink (absolute or relative) nor ".." can lead out of it (openat2
 * with RESOLVE_IN_ROOT, or an O_NOFOLLOW component walk with the same
 * semantics on kernels without openat2), creating missing parent
 * directories, and creating mount points of the right type.
 * Must not: mount anything, log (callers name the option and path), or
 * resolve anything relative to the process's root or cwd.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Decides once whether openat2 is used; force_walk selects the component
 * walk even when openat2 exists (used by the legacy-kernel test mode). */
void resolve_init(bool force_walk);
bool resolve_uses_walk(void);

/* Opens PATH inside the tree rooted at root_fd. PATH may be absolute or
 * relative; either way it starts at root_fd, and ".." never climbs above
 * it. A final symlink is followed (inside the tree) unless O_NOFOLLOW is
 * in flags. O_CLOEXEC is always added. Returns the fd or -errno. */
int resolve_open(int root_fd, const char *path, int flags, mode_t mode);

/* Where a destination goes: the directory that holds its last
 * component, opened once so that creating the destination there costs
 * one syscall, not another lookup from the root. */
typedef struct {
	int root_fd;      /* the tree's root, as passed in (not owned) */
	int dir_fd;       /* the parent directory: root_fd itself, or owned */
	const char *last; /* last component, in buf; NULL when the path names
			   * the root or ends in ".." (dir_fd is then the
			   * directory the path names) */
	bool existed;     /* set by resolve_dest_dir/_file: the destination
			   * was there already (maybe through a symlink) */
	char *buf;
} ResolveDest;

#define RESOLVE_DEST_INIT { .root_fd = -1, .dir_fd = -1 }

/* Fills D for PATH inside the tree at root_fd, creating every missing
 * directory above the last component with MODE. Existing components are
 * followed like any lookup (symlinks resolve inside the tree). When the
 * parent exists, which is the common case, this is one openat2 (none at
 * all for a child of the root). Returns 0 or -errno; D must be released
 * with resolve_dest_release() either way. */
int resolve_dest_prepare(int root_fd, const char *path, mode_t mode, ResolveDest *d);
void resolve_dest_release(ResolveDest *d);

/* Makes the directory at D's PATH with MODE when missing, and returns an
 * O_PATH fd of it (of what is there, when it already was: -ENOTDIR if
 * that is no directory); with want_fd false returns 0 instead of an fd.
 * path is the one given to resolve_dest_prepare. */
int resolve_dest_dir(ResolveDest *d, const char *path, mode_t mode, bool want_fd);

/* Makes an empty regular file at D's PATH with MODE when missing, and
 * returns an fd of it (O_PATH when it already was; -EISDIR for a
 * directory). */
int resolve_dest_file(ResolveDest *d, const char *path, mode_t mode);

/* chmod of the inode an O_PATH fd refers to, without a path lookup that
 * could be redirected. proc_prefix ("/oldroot/proc") is used only on
 * kernels without fchmodat2 for non-directories. */
int resolve_fchmod(int path_fd, mode_t mode, const char *proc_prefix);
