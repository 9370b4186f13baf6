/* rlimit.h — --rlimit NAME=SOFT[:HARD] and --timeout durations.
 *
 * Owns: the table of resource names (prlimit(1)'s: as, core, cpu, ...),
 * parsing a limit into a PlanRlimit with a message that says what is
 * wrong, checking it against hutch's own limits before anything starts,
 * and applying the limits in the payload just before exec (so that setup
 * itself is not limited).  * Must not: apply anything to the monitor or the reaper.
 */
#pragma once

#include <stdint.h>

#include "plan.h"

/* "nofile" -> RLIMIT_NOFILE (case-insensitive); -1 when unknown. */
int rlimit_resource_from_name(const char *name);

/* Parses "NAME=SOFT[:HARD]" (also "NAME=SOFT:" and "NAME=:HARD", where
 * the side not given keeps hutch's current value; "NAME=N" sets both).
 * Values are decimal numbers or "unlimited"/"infinity". Logs and returns
 * -EINVAL on bad input. Adds to or replaces the entry in plan. */
int rlimit_parse_into(Plan *plan, const char *spec);

/* Before clone: every limit must be one the payload can be given (soft
 * <= hard once the missing sides are filled in from hutch's own limits,
 * and no hard limit raised without the privilege to). Logs; -errno. */
int rlimit_check(const Plan *plan);

/* In the payload, before exec. Logs; -errno. */
int rlimit_apply(const Plan *plan);

