/* launch.h — starting the sandbox.
 *
 * Owns: the sync socketpair, clone() with CLONE_NEWUSER and every other
 * requested namespace in one call, writing the child's id maps from the
 * parent, and handing over to the monitor.
 * Must not: do any setup that belongs inside the namespaces (child.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

typedef struct {
	uint32_t real_uid;
	uint32_t real_gid;
} LaunchFacts;

/* Returns hutch's exit code. */
int launch_run(Plan *plan, const LaunchFacts *facts);
