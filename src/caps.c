/* caps.c — see caps.h. */
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/log.h"

uint64_t caps_compute_kept(const Plan *plan, int last_cap)
{
	uint64_t all = last_cap >= 63 ? UINT64_MAX : ((UINT64_C(1) << (last_cap + 1)) - 1);
	/* With maps of many ids, uid 0 in the sandbox is a root that can
	 * chown, as in a container (the capabilities act only on what the
	 * sandbox's user namespace owns): it starts with every capability,
	 * which --cap-drop can remove. Otherwise the set starts empty. */
	uint64_t kept = plan_has_id_maps(plan) && plan->sandbox_uid == 0 ? all : 0;

	for (size_t i = 0; i < plan->n_cap_ops; i++) {
		const PlanCapOp *op = &plan->cap_ops_list[i];
		uint64_t bits = op->all ? all : (op->cap >= 0 && op->cap < 64 ? UINT64_C(1) << op->cap : 0);

		if (op->add)
			kept |= bits;
		else
			kept &= ~bits;
	}
	return kept & all;
}

uint64_t caps_compute_named(const Plan *plan, int last_cap)
{
	uint64_t all = last_cap >= 63 ? UINT64_MAX : ((UINT64_C(1) << (last_cap + 1)) - 1);
	uint64_t named = 0;

	for (size_t i = 0; i < plan->n_cap_ops; i++) {
		const PlanCapOp *op = &plan->cap_ops_list[i];
		uint64_t bits = op->all ? all : (op->cap >= 0 && op->cap < 64 ? UINT64_C(1) << op->cap : 0);

		if (op->add && !op->all)
			named |= bits;
		else if (!op->add)
			named &= ~bits;
	}
	return named & all;
}

int caps_last_cap(void)
{
	int lo = 0, hi = 63;
	FILE *f;
	int last = CAP_LAST_CAP;

	/* PR_CAPBSET_READ answers EINVAL exactly for numbers above the
	 * kernel's last capability: six calls find it, cheaper than reading
	 * /proc/sys at every start. */
	if (prctl(PR_CAPBSET_READ, 0, 0, 0, 0) >= 0) {
		while (lo < hi) {
			int mid = (lo + hi + 1) / 2;

			if (prctl(PR_CAPBSET_READ, mid, 0, 0, 0) >= 0)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo;
	}
	/* prctl refused (a seccomp filter, say): the kernel's own answer. */
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

static int capset_raw(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)effective, .permitted = (uint32_t)permitted,
		  .inheritable = (uint32_t)inheritable },
		{ .effective = (uint32_t)(effective >> 32), .permitted = (uint32_t)(permitted >> 32),
		  .inheritable = (uint32_t)(inheritable >> 32) },
	};

	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

static int capget_permitted(uint64_t *permitted)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	*permitted = (uint64_t)data[0].permitted | ((uint64_t)data[1].permitted << 32);
	return 0;
}

int caps_apply(uint64_t kept, uint64_t named, int last_cap)
{
	uint64_t permitted = 0;
	int r;

	r = capget_permitted(&permitted);
	if (r < 0)
		return log_error_errno(r, "capget failed");
	if (named & ~permitted) {
		int cap = __builtin_ctzll(named & ~permitted);

		return log_error("Can't keep capability %d (--cap-add): hutch does not hold it here", cap);
	}
	kept &= permitted;

	/* The bounding set first, while CAP_SETPCAP is still effective. */
	for (int cap = 0; cap <= last_cap; cap++) {
		if (kept & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return log_error_errno(errno, "Can't drop capability %d from the bounding set", cap);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return log_error_errno(errno, "Can't clear the ambient capabilities");

	/* Kept capabilities go into inheritable too: for a uid other than 0
	 * execve keeps only ambient ones, and ambient ⊆ inheritable. */
	r = capset_raw(kept, kept, kept);
	if (r < 0)
		return log_error_errno(r, "capset failed");

	/* Ambient too, for every uid (as bwrap): a uid other than 0 keeps
	 * only ambient capabilities across execve, and uid 0 keeps them
	 * even if the payload changes its uid later. */
	for (int cap = 0; cap <= last_cap; cap++) {
		if (!(kept & (UINT64_C(1) << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return log_error_errno(errno, "Adding ambient capability %d", cap);
	}
	return 0;
}

int caps_drop_all(void)
{
	int r = capset_raw(0, 0, 0);

	/* capset also empties the ambient set (ambient ⊆ permitted ∩
	 * inheritable). */
	if (r < 0)
		return log_error_errno(r, "capset failed");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_error_errno(errno, "prctl(PR_SET_NO_NEW_PRIVS) failed");
	return 0;
}
