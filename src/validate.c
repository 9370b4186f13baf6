/* validate.c — see validate.h. The order of the checks follows bwrap's,
 * so that a command line with several mistakes reports the same first
 * one under both. */
#include "validate.h"

#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "subid.h"
#include "util/log.h"

static const char *map_option_names(const Plan *plan)
{
	if (plan->map_auto)
		return "--map-auto";
	if (plan->n_map_uid_lines > 0 && plan->n_map_gid_lines > 0)
		return "--map-uid/--map-gid";
	return plan->n_map_uid_lines > 0 ? "--map-uid" : "--map-gid";
}

/* --map-uid or --map-gid lines: what the kernel would refuse, named by
 * the lines the user typed. */
static int validate_map_lines(const IdMapLine *lines, size_t n, const char *option)
{
	size_t bad, other;
	const IdMapLine *b, *o;
	const char *kind = NULL;

	switch (subid_check_lines(lines, n, &bad, &other)) {
	case SUBID_LINES_OK:
		return 0;
	case SUBID_LINES_COUNT_ZERO:
		return log_error("%s: COUNT must be at least 1", option);
	case SUBID_LINES_OVERFLOW:
		b = &lines[bad];
		return log_error("%s %" PRIu32 " %" PRIu32 " %" PRIu32 ": the range runs past the largest id, %" PRIu32,
				 option, b->inside, b->outside, b->count, SUBID_MAX_ID);
	case SUBID_LINES_OVERLAP_INSIDE:
		kind = "sandbox";
		break;
	case SUBID_LINES_OVERLAP_OUTSIDE:
		kind = "host";
		break;
	case SUBID_LINES_TOO_MANY:
		return log_error("%s given more than %d times: the kernel takes at most %d lines in a map", option,
				 SUBID_MAX_MAP_LINES, SUBID_MAX_MAP_LINES);
	case SUBID_LINES_TOO_LONG:
		return log_error("%s: the map is longer than the %d bytes the kernel takes; use fewer, larger ranges",
				 option, SUBID_MAX_MAP_TEXT);
	default:
		return log_error("%s: invalid map", option);
	}
	b = &lines[bad];
	o = &lines[other];
	return log_error("%s %" PRIu32 " %" PRIu32 " %" PRIu32 " overlaps %s %" PRIu32 " %" PRIu32 " %" PRIu32
			 " (%s ids): each id may be mapped only once",
			 option, b->inside, b->outside, b->count, option, o->inside, o->outside, o->count, kind);
}

/* The sandbox id with an explicit map: --uid/--gid when given (it must be
 * mapped), else whatever the caller's own id is mapped on. Setup runs
 * with the caller's own ids, so they must be mapped either way. */
static int validate_map_id(const IdMapLine *lines, size_t n, const char *option, const char *id_option,
			   const char *kind, uint32_t real_id, bool id_set, uint32_t *sandbox_id)
{
	uint32_t own_inside;

	if (n == 0)
		return 0;
	if (!subid_lines_find_outside(lines, n, real_id, &own_inside))
		return log_error("%s does not map your own %s %" PRIu32 " (hutch sets the sandbox up as it): "
				 "add a line for it, e.g. %s 0 %" PRIu32 " 1", option, kind, real_id, option, real_id);
	if (!id_set) {
		*sandbox_id = own_inside;
		return 0;
	}
	if (!subid_lines_have_inside(lines, n, *sandbox_id))
		return log_error("%s %" PRIu32 " is not a sandbox %s that %s maps", id_option, *sandbox_id, kind, option);
	return 0;
}

static int validate_maps(Plan *plan, const ValidateFacts *facts)
{
	const char *names = map_option_names(plan);

	if (plan->map_auto && (plan->n_map_uid_lines > 0 || plan->n_map_gid_lines > 0))
		return log_error("--map-auto cannot be combined with --map-uid or --map-gid");
	if (plan->userns_fd >= 0)
		return log_error("%s needs a new user namespace: it cannot be used with --userns", names);
	if (validate_map_lines(plan->map_uid_lines, plan->n_map_uid_lines, "--map-uid") < 0 ||
	    validate_map_lines(plan->map_gid_lines, plan->n_map_gid_lines, "--map-gid") < 0)
		return -1;
	if (validate_map_id(plan->map_uid_lines, plan->n_map_uid_lines, "--map-uid", "--uid", "uid", facts->real_uid,
			    plan->uid_set, &plan->sandbox_uid) < 0 ||
	    validate_map_id(plan->map_gid_lines, plan->n_map_gid_lines, "--map-gid", "--gid", "gid", facts->real_gid,
			    plan->gid_set, &plan->sandbox_gid) < 0)
		return -1;
	return 0;
}

#ifndef HOST_NAME_MAX
#define HOST_NAME_MAX 64
#endif

/* A path the kernel would refuse anyway (ENAMETOOLONG) is refused here,
 * before anything starts, with a message that shows only its start
 * instead of echoing megabytes of it from half-way through setup. */
static int check_path_length(const char *option, const char *path)
{
	if (!path || strlen(path) < PATH_MAX)
		return 0;
	return log_error("%s %.40s...: File name too long (%zu bytes, the limit is %d)", option, path, strlen(path),
			 PATH_MAX - 1);
}

static int check_lengths(const Plan *plan)
{
	int r = 0;

	for (size_t i = 0; i < plan->n_ops && r == 0; i++) {
		const PlanOp *op = &plan->ops[i];

		r = check_path_length(op->option, op->source);
		if (r == 0)
			r = check_path_length(op->option, op->dest);
		if (r == 0)
			r = check_path_length(op->option, op->overlay_upper);
		if (r == 0)
			r = check_path_length(op->option, op->overlay_work);
	}
	for (size_t i = 0; i < plan->n_lock_files && r == 0; i++)
		r = check_path_length("--lock-file", plan->lock_files[i]);
	if (r == 0)
		r = check_path_length("--chdir", plan->chdir_path);
	if (r == 0 && plan->n_command > 0)
		r = check_path_length("COMMAND", plan->command[0]);
	if (r == 0 && plan->hostname && strlen(plan->hostname) > HOST_NAME_MAX)
		r = log_error("--hostname %.40s...: longer than %d bytes", plan->hostname, HOST_NAME_MAX);
	return r;
}

int validate_plan(Plan *plan, const ValidateFacts *facts)
{
	bool is_root = facts->real_uid == 0;

	if (plan->userns_block_fd >= 0 && !plan->unshare_user)
		return log_error("--userns-block-fd requires --unshare-user");
	if (plan->userns_block_fd >= 0 && plan->info_fd < 0)
		return log_error("--userns-block-fd requires --info-fd");
	if (plan->userns_fd >= 0 && plan->unshare_user)
		return log_error("--userns not compatible --unshare-user");
	if (plan->userns_fd >= 0 && plan->unshare_user_try)
		return log_error("--userns not compatible --unshare-user-try");
	if (plan->disable_userns && !plan->unshare_user)
		return log_error("--disable-userns requires --unshare-user");
	if (plan->disable_userns && plan->userns_block_fd >= 0)
		/* sic: bwrap's message has two spaces here; clients may match it. */
		return log_error("--disable-userns is not compatible with  --userns-block-fd");

	/* Without privileges nothing works outside a user namespace, so one
	 * is implied; root may do without (package builds in chroots). */
	if (!is_root && plan->userns_fd < 0)
		plan->unshare_user = true;
	/* Maps need a new user namespace, as root too; no "-try" fallback
	 * that would run without the ids asked for. */
	if (plan_has_id_maps(plan) && plan->userns_fd < 0) {
		plan->unshare_user = true;
		plan->unshare_user_try = false;
	}
	if (plan->unshare_user_try && facts->userns_available)
		plan->unshare_user = true;
	if (plan->unshare_cgroup_try && facts->cgroupns_available)
		plan->unshare_cgroup = true;

	if (plan->n_command == 0)
		return VALIDATE_USAGE;

	if (!plan->uid_set)
		plan->sandbox_uid = facts->real_uid;
	if (!plan->gid_set)
		plan->sandbox_gid = facts->real_gid;
	if (!plan->unshare_user && plan->userns_fd < 0 && plan->sandbox_uid != facts->real_uid)
		return log_error("Specifying --uid requires --unshare-user or --userns");
	if (!plan->unshare_user && plan->userns_fd < 0 && plan->sandbox_gid != facts->real_gid)
		return log_error("Specifying --gid requires --unshare-user or --userns");
	if (plan_has_id_maps(plan) && validate_maps(plan, facts) < 0)
		return -1;
	if (!plan->unshare_uts && plan->hostname)
		return log_error("Specifying --hostname requires --unshare-uts");
	if (plan->as_pid_1 && !plan->unshare_pid)
		return log_error("Specifying --as-pid-1 requires --unshare-pid");
	if (plan->as_pid_1 && plan->n_lock_files > 0)
		return log_error("Specifying --as-pid-1 and --lock-file is not permitted");

	if (plan->timeout_kill_after_set && plan->timeout_ms == 0)
		return log_error("--timeout-kill-after requires --timeout");

	if (plan->unshare_cgroup && !facts->cgroupns_available)
		return log_error("Cannot create new cgroup namespace because the kernel does not support it");

	if ((plan->exec_label || plan->file_label) && !facts->selinux_enabled)
		return log_error("labeling not supported on this system");

	return check_lengths(plan);
}
