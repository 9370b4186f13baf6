/* rootfs.h — building the sandbox's root filesystem.
 *
 * Owns: resolving bind sources in the caller's view (before clone), and,
 * in the setup child, turning the Plan's filesystem ops into a fresh root:
 * host tree made a slave, a private setup tmpfs, every op in order with
 * destinations resolved inside the new root, then pivot_root into it with
 * the old root and the setup tmpfs detached.
 * Must not: touch ids, capabilities, environment, cwd policy or exec.
 */
#pragma once

#include "plan.h"

/* Parent side, before clone: resolves every op's host source path in the
 * caller's view (symlinks resolved, so the child never follows a host
 * symlink). On success *out is an array of plan->n_ops entries: the
 * canonical source for ops that have one, NULL for ops without a source
 * and for -try ops whose source does not exist (those ops are skipped).
 * Logs and returns -errno on failure ("Can't find source path ..."). */
int rootfs_resolve_sources(const Plan *plan, char ***out);
void rootfs_free_sources(char **sources, size_t n);

/* Child side, in the new mount namespace with full capabilities in the
 * user namespace (after the id maps are written). On success the process
 * is rooted in the new root with cwd "/". Logs and returns -errno. */
int rootfs_build(const Plan *plan, char *const *sources);
