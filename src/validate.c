/* validate.c — see validate.h. The order of the checks follows bwrap's,
 * so that a command line with several mistakes reports the same first
 * one under both. */
#include "validate.h"

#include "util/log.h"

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
	if (!plan->unshare_uts && plan->hostname)
		return log_error("Specifying --hostname requires --unshare-uts");
	if (plan->as_pid_1 && !plan->unshare_pid)
		return log_error("Specifying --as-pid-1 requires --unshare-pid");
	if (plan->as_pid_1 && plan->n_lock_files > 0)
		return log_error("Specifying --as-pid-1 and --lock-file is not permitted");

	if (plan->unshare_cgroup && !facts->cgroupns_available)
		return log_error("Cannot create new cgroup namespace because the kernel does not support it");

	if ((plan->exec_label || plan->file_label) && !facts->selinux_enabled)
		return log_error("labeling not supported on this system");

	return 0;
}
