/* monitor.h — the original hutch process while the sandbox runs.
 *
 * Owns: printing what the setup child reports (once, with hutch's own
 * prefix), noticing whether setup failed, waiting for the child and
 * turning its status into hutch's exit code.
 * Must not: touch the sandbox's namespaces.
 */
#pragma once

#include <sys/types.h>

/* Reads the sync socket to EOF, then reaps child. Returns the exit code
 * hutch should exit with: 1 if setup failed, else the payload's status
 * (128+N for signal N). When the payload was really exec'd and
 * json_status_fd >= 0, its exit code is written there. */
int monitor_run(pid_t child, int sync_fd, int json_status_fd);
