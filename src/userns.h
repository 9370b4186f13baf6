/* userns.h — joining existing namespaces and closing user namespaces off.
 *
 * Owns: --userns and --pidns (joined by the monitor before clone, so the
 * child is created inside them), and, in the setup child once the root is
 * built, --userns2, --disable-userns (user.max_user_namespaces = 1 in the
 * sandbox's user namespace, then a nested one the payload cannot raise
 * that limit from) and --assert-userns-disabled.
 * Must not: write the first-level id maps (idmap.c) or touch mounts.
 */
#pragma once

#include "plan.h"

/* Monitor, before clone. Logs. */
int userns_join_before_clone(const Plan *plan);

/* Child, after the new root is built and before capabilities are
 * dropped. proc_fd is an O_PATH fd of a procfs opened before the pivot
 * (the sandbox may have none). Logs. */
int userns_after_setup(const Plan *plan, int proc_fd);

/* Child, just before capabilities are reduced: with --userns the caller
 * may appear as another uid in the joined namespace; become the sandbox
 * ids there, keeping capabilities for caps_apply(). Logs. */
int userns_become_sandbox_ids(const Plan *plan);
