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

/* Splits PATH into its components ("." and empty ones dropped).
 * Returns the last component in *ret_last (NULL when PATH names the root
 * itself or ends in ".."), and an O_PATH fd of the directory containing
 * it (or of the directory PATH names, when *ret_last is NULL).
 * *ret_last points into *ret_buf, which the caller frees. */
int resolve_open_parent(int root_fd, const char *path, char **ret_buf, const char **ret_last);

/* Creates every missing directory above the last component of PATH
 * with MODE. Existing components are followed like any lookup. */
int resolve_mkdir_parents(int root_fd, const char *path, mode_t mode);

/* Returns an O_PATH fd of the directory at PATH, creating it with MODE
 * when missing (parents must exist). -ENOTDIR when PATH is something
 * else. *ret_created (may be NULL) says whether it was created. */
int resolve_ensure_dir(int root_fd, const char *path, mode_t mode, bool *ret_created);

/* Returns an O_PATH fd of the non-directory at PATH, creating an empty
 * regular file with MODE when missing (parents must exist). -EISDIR when
 * PATH is a directory. */
int resolve_ensure_file(int root_fd, const char *path, mode_t mode);

/* chmod of the inode an O_PATH fd refers to, without a path lookup that
 * could be redirected. proc_prefix ("/oldroot/proc") is used only on
 * kernels without fchmodat2 for non-directories. */
int resolve_fchmod(int path_fd, mode_t mode, const char *proc_prefix);
