/* pid1.h — the reaper: pid 1 of a new PID namespace, or the payload's
 * parent when --sync-fd/--lock-file need a process to hold them.
 *
 * Owns: reaping every child, telling the monitor the payload's status the
 * moment the payload exits (so hutch returns then, as bwrap does), and
 * going on reaping until no child is left; background processes of the
 * payload live on until they finish (or --die-with-parent ends them).
 * Must not: hold fds the payload's readers wait on (child.c closes them).
 */
#pragma once

#include <sys/types.h>

/* Never returns: _exit()s with the payload's mapped status once every
 * child is gone. report_fd is the sync socket (or -1). */
__attribute__((noreturn)) void pid1_run(pid_t payload, int report_fd);
