/* monitor.h — the original hutch process while the sandbox runs.
 *
 * Owns: printing what the setup child reports (once, with hutch's own
 * prefix), noticing whether setup failed, relaying signals to the
 * payload (relay.h has the rule), --timeout, --kill-on-exit, the
 * process-control lines of --json-status-fd, waiting for the child and
 * turning its status into hutch's exit code.
 * Must not: touch the sandbox's namespaces.
 */
#pragma once

#include <stdbool.h>
#include <signal.h>
#include <sys/types.h>

#include "plan.h"

/* hutch's exit status when --timeout ended the sandbox, as timeout(1). */
#define MONITOR_TIMEOUT_EXIT 124

typedef struct {
	const Plan *plan;
	pid_t child;
	int sync_fd;
	int signal_fd;   /* relayed signals (relay_open), or -1 */
	sigset_t caller_mask; /* the signal mask hutch was started with */
	/* The child maps its own ids and reports its namespaces; the status
	 * documents (--info-fd, --json-status-fd) are written then. */
	bool status_on_ids_mapped;
} Monitor;

/* Before the child is cloned: blocks and opens the relayed signals
 * (unless --no-forward-signals), so that from the moment anything runs
 * in the sandbox a signal to hutch reaches the payload instead of ending
 * hutch; and, for --kill-on-exit and --timeout, makes hutch a child
 * subreaper so that no sandbox process can leave its tree. The child
 * inherits the blocked mask and restores m->caller_mask. Logs; -errno. */
int monitor_prepare(Monitor *m, const Plan *plan, int sync_fd);

/* Once the child exists: its pid, and what must not reach it (hutch
 * ignores SIGPIPE from here on; the child keeps the default). */
void monitor_set_child(Monitor *m, pid_t child);

/* Reads the sync socket to EOF, then reaps child, relaying signals and
 * enforcing --timeout meanwhile. Returns the exit code hutch should exit
 * with: 1 if setup failed, 124 after a timeout, else the payload's status
 * (128+N for signal N). When the payload was really exec'd and
 * --json-status-fd was given, its exit code is written there. */
int monitor_run(Monitor *m);
