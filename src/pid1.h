/* pid1.h — the reaper that runs as pid 1 of a new PID namespace.
 *
 * Owns: reaping every child re-parented to pid 1 and returning the
 * payload's status as soon as the payload exits (its exit then ends the
 * namespace: the kernel kills whatever is left).
 * Must not: hold fds the payload's readers wait on (it closes them).
 */
#pragma once

#include <sys/types.h>

/* Never returns: _exit()s with the payload's mapped status. */
__attribute__((noreturn)) void pid1_run(pid_t payload);
