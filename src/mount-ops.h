/* mount-ops.h — the mount primitives the root filesystem is built from.
 *
 * Owns: the choice (once per run) between the new mount API (open_tree,
 * mount_setattr, move_mount, fsopen/fsmount) and legacy mount(2), and one
 * function per kind of mount, each working on fds, never on paths a
 * second lookup could redirect. Every function logs its own failure,
 * naming the descriptions its caller passes.
 * Must not: resolve user paths (resolve.c does), create files, or decide
 * which flags an option implies (rootfs.c does).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Flags for mount attributes: the MOUNT_ATTR_* values of the new API,
 * translated to MS_* on the legacy path. */
enum {
	MOUNT_OPS_RDONLY = 0x1,
	MOUNT_OPS_NOSUID = 0x2,
	MOUNT_OPS_NODEV = 0x4,
	MOUNT_OPS_NOEXEC = 0x8,
};

/* Probes the kernel once. HUTCH_TEST_FORCE_LEGACY_MOUNT=1 in the
 * environment forces the legacy path. proc_prefix is where a procfs is
 * reachable during setup ("/oldroot/proc"); the legacy path reaches fds
 * through it. */
void mount_ops_init(const char *proc_prefix);
bool mount_ops_legacy(void);
const char *mount_ops_proc_prefix(void);

/* Logs "<message>: <errno text>", except that ENOSPC gets the hint about
 * fs.mount-max. Returns r (negative errno). */
int mount_ops_log_error(int r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bind mounts what src_fd refers to on what dest_fd refers to, with its
 * submounts when recursive, then sets attrs on the new mount (and its
 * submounts). Locked flags of the source are kept. */
int mount_ops_bind(int src_fd, int dest_fd, unsigned attrs, bool recursive, const char *src_desc,
		   const char *dest_desc);

/* One key=value option of a new filesystem; value NULL for a flag. */
typedef struct {
	const char *key;
	const char *value;
} MountOpsOption;

/* Mounts a new filesystem of fstype on dest_fd. what is how messages
 * name it ("tmpfs", "proc", ...). */
int mount_ops_new_fs(const char *fstype, const MountOpsOption *opts, size_t n_opts, unsigned attrs, int dest_fd,
		     const char *what, const char *dest_desc);
/* The same, returning -errno without logging (for callers with a
 * fallback). */
int mount_ops_try_new_fs(const char *fstype, const MountOpsOption *opts, size_t n_opts, unsigned attrs,
			 int dest_fd);

/* mount(2) with a preformatted data string on dest_fd (reached through
 * the proc prefix), for filesystems whose options are path lists with
 * their own escaping (overlayfs). Returns -errno without logging. */
int mount_ops_mount_data(const char *fstype, const char *data, unsigned attrs, int dest_fd);

/* Makes the mount whose root dest_fd is read-only (adding attrs too),
 * not recursively. */
int mount_ops_remount(int dest_fd, unsigned attrs, const char *dest_desc);
