/* child.h — the setup child, inside the new namespaces.
 *
 * Owns: the order of everything between clone and exec: wait for the id
 * maps, build the root, hostname, loopback, environment, cwd, then (with
 * a PID namespace) fork the payload under a pid-1 reaper, and finally
 * session, capabilities, no_new_privs, seccomp, exec.
 * Must not: return. Errors are sent to the monitor, then _exit(1).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "seccomp-fd.h"

typedef struct {
	const Plan *plan;
	char *const *sources;   /* from rootfs_resolve_sources */
	int sync_fd;            /* child's end of the sync socket */
	const char *old_cwd;    /* the caller's cwd, or NULL */
	int last_cap;
	const SeccompPrograms *seccomp; /* read by the monitor before clone */
	bool announce_pid;      /* say hello first: an intermediate process cloned us */
} ChildContext;

/* Whether a reaper runs the payload as its child (else the setup child
 * execs the payload itself). */
bool child_has_reaper(const Plan *plan);

__attribute__((noreturn)) void child_main(const ChildContext *ctx);
