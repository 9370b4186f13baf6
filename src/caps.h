/* caps.h — the capabilities the payload keeps.
 *
 * Owns: turning --cap-add/--cap-drop (applied in order to an empty set)
 * into a set, and making the process's bounding, permitted, effective,
 * inheritable and ambient sets match it so that it survives execve for
 * uid 0 and for any other uid alike.
 * Must not: set no_new_privs or seccomp (child.c orders those).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/* Bit N set means CAP number N is kept. Pure. */
uint64_t caps_compute_kept(const Plan *plan, int last_cap);

/* The highest capability number the running kernel knows. */
int caps_last_cap(void);

/* The capabilities --cap-add names one by one (not through ALL, and
 * not dropped again later), which must really be kept. Pure. */
uint64_t caps_compute_named(const Plan *plan, int last_cap);

/* Reduces every set of the calling process to `kept`, less what the
 * process does not hold itself (real root's bounding set may lack some:
 * --cap-add ALL means all that hutch has); a capability in `named` that
 * is not held is an error naming it. Logs. */
int caps_apply(uint64_t kept, uint64_t named, int last_cap);

/* pid 1 after setup: no capability in any set, and no_new_privs. pid 1
 * never execs, but once dumpable the payload may ptrace it and make it;
 * with no_new_privs an execve grants nothing it does not already have,
 * not even to uid 0, which is what emptying the bounding set would
 * otherwise ensure at the price of a credential commit per capability.
 * Logs. */
int caps_drop_all(void);
