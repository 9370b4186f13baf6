/* idmap-setup.h — maps of many ids: --map-auto, --map-uid, --map-gid.
 *
 * Owns: turning those options into uid_map/gid_map lines before anything
 * is started (reading /etc/subuid and /etc/subgid, looking the caller up,
 * and every check that makes a later failure unlikely: a helper that is
 * missing or cannot gain privileges, no_new_privs, a user without a
 * range, a range too small), and, once the child exists, writing the
 * maps: through shadow's newuidmap/newgidmap for an unprivileged caller
 * (fork + execve with a fixed environment, their output shown on
 * failure), directly for real root.
 * Must not: touch setgroups (newgidmap leaves it allowed when it maps
 * subordinate gids, so that the payload can have supplementary groups),
 * or kill the child (the launcher does that on failure).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"
#include "subid.h"

typedef struct {
	bool active;      /* the plan asks for maps of many ids */
	bool use_helpers; /* not root: newuidmap/newgidmap write them */
	char newuidmap[64];
	char newgidmap[64];
	IdMapLine uid_lines[SUBID_MAX_MAP_LINES];
	IdMapLine gid_lines[SUBID_MAX_MAP_LINES];
	size_t n_uid_lines, n_gid_lines;
} IdMapSetup;

/* Monitor, before clone. Fills *out (out->active false when the plan has
 * no map option). Logs; returns -errno on any reason not to start. */
int idmap_setup_prepare(const Plan *plan, uint32_t real_uid, uint32_t real_gid, IdMapSetup *out);

/* Monitor, after clone, while the child waits for its maps. Logs. */
int idmap_setup_apply(const IdMapSetup *setup, pid_t pid);
