/* validate.h — cross-option rules, checked before anything starts.
 *
 * Owns: every rule that relates two options or an option to the caller
 * (root or not, user namespaces available or not), each with a precise
 * message, in the order bwrap checks them; and the decisions those rules
 * imply (a user namespace when not root, default ids, the -try options).
 * Must not: make system calls. Facts about the system come in as data.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

typedef struct {
	uint32_t real_uid;
	uint32_t real_gid;
	bool userns_available;   /* the kernel lets this caller create one */
	bool cgroupns_available; /* /proc/self/ns/cgroup exists */
	bool selinux_enabled;
} ValidateFacts;

/* Result codes beyond -errno. */
#define VALIDATE_USAGE 1  /* no command: the caller prints usage to stderr, exit 1 */

/* Returns 0 when the plan can run, VALIDATE_USAGE when there is no
 * command, or a negative errno after logging the reason. Fills in the
 * implied decisions (plan->unshare_user, plan->sandbox_uid/gid). */
int validate_plan(Plan *plan, const ValidateFacts *facts);
