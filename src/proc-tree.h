/* proc-tree.h — the monitor's view of the processes below it.
 *
 * Owns: making the monitor a child subreaper (so that nothing started in
 * the sandbox can leave hutch's process tree: an orphan is re-parented to
 * the monitor, not to the host's init), killing that whole tree, and
 * telling whether a pid belongs to it.
 * Must not: signal anything that is not a child of the caller (a child
 * cannot be reused as a pid before the caller reaps it, so no race).
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* prctl(PR_SET_CHILD_SUBREAPER). Logs; -errno. */
int proc_tree_become_subreaper(void);

/* SIGKILLs every child of the caller, reaps it, and goes on with the
 * orphans it leaves (which the subreaper inherits) until the caller has
 * no child left. With a PID namespace, killing its pid 1 (a child) takes
 * every process in it along. */
void proc_tree_kill_all(void);

/* Whether pid is a descendant of ancestor (walks /proc/PID/stat). A pid
 * that exits meanwhile gives false. */
bool proc_tree_is_descendant(pid_t pid, pid_t ancestor);
