/* child.h — the setup child, inside the new namespaces.
 *
 * Owns: the order of everything between clone and exec: wait for the id
 * maps, build the root, hostname, loopback, environment, cwd, then (with
 * a PID namespace) fork the payload under a pid-1 reaper, and finally
 * session, capabilities, no_new_privs, seccomp, exec.
 * Must not: return. Errors are sent to the monitor, then _exit(1).
 */
#pragma once

#include <signal.h>
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
	const sigset_t *caller_mask; /* restored first: the monitor blocked signals before clone */
	/* Who maps the ids: with wait_for_go the monitor does (newuidmap,
	 * --userns-block-fd) and sends MAPS_DONE; otherwise, in a new user
	 * namespace (plan->unshare_user, as the clone left it), the child
	 * maps outside_uid/gid itself and, with announce_ids, reports its
	 * namespaces (IDS_MAPPED). */
	bool wait_for_go;
	bool announce_ids;
	uint32_t outside_uid, outside_gid;
} ChildContext;

/* Whether a reaper runs the payload as its child (else the setup child
 * execs the payload itself). */
bool child_has_reaper(const Plan *plan);

__attribute__((noreturn)) void child_main(const ChildContext *ctx);
