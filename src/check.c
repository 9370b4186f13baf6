/* check.c — `hutch --check`: probes this machine and reports, for each
 * thing hutch depends on, whether it works and how to fix it when not.
 *
 * Owns: the probes. Each reads a sysctl, a file or a binary's mode, or
 * tries the real thing: user and mount namespaces, tmpfs, overlayfs and
 * the new mount API are tried in a forked child that unshares its own
 * namespaces and then exits (check-ns.c), so nothing is left on the host.
 * The last probes run hutch itself (/proc/self/exe): with the README's
 * default command line, which decides the exit status, and with
 * --map-auto --uid 0.
 * Must not: write anywhere on the host, or print outside the report.
 *
 * A failed probe is FAIL only when it stops a default sandbox (one
 * mapping the caller's own ids, no --map-auto, no seccomp): everything
 * else that does not work is WARN, with the options it affects.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "config.h"
#include "check-report.h"
#include "check.h"
#include "check-ns.h"
#include "subid.h"
#include "util/errno-text.h"
#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/syscalls.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* How long the real sandbox may take before it counts as hung. */
#define CHECK_SANDBOX_TIMEOUT_MS 30000
#define CHECK_MAX_FILE (1024 * 1024)

/* Reads a whole (small) file as a string. -errno when it cannot. */
static int read_text(const char *path, char **out)
{
	char *text = NULL;
	size_t len;
	int r = file_read_all(path, CHECK_MAX_FILE, &text, &len);

	if (r < 0)
		return r;
	/* fd_read_all's contract, stated for the analyzer, which does not
	 * look into another file. */
	assert(text);
	*out = text;
	return 0;
}

/* A sysctl under /proc/sys as a number; -ENOENT when this kernel has no
 * such knob. */
static int read_sysctl(const char *path, long *value)
{
	_cleanup_free_ char *text = NULL;
	char *end;
	int r = read_text(path, &text);

	if (r < 0)
		return r;
	errno = 0;
	*value = strtol(text, &end, 10);
	if (errno || end == text)
		return -EINVAL;
	return 0;
}

/* ---------------------------------------------------------------- the setuid bit */

static void check_setuid_bit(CheckReport *rep, const char *self)
{
	struct stat st;
	CheckItem *it;

	if (stat("/proc/self/exe", &st) < 0) {
		check_report_add(rep, "not-setuid", CHECK_INFO, "can't stat /proc/self/exe: %s", errno_text(errno));
		return;
	}
	if (!(st.st_mode & (S_ISUID | S_ISGID))) {
		/* File capabilities are the other way to hand hutch privileges
		 * it was never written to guard (and the uid check in main.c
		 * does not see them). */
		cap_t caps = cap_get_file("/proc/self/exe");

		if (caps) {
			char *text = cap_to_text(caps, NULL);

			it = check_report_add(rep, "not-setuid", CHECK_FAIL,
					      "%s has file capabilities (%s): hutch needs no privileges and must not "
					      "have them",
					      self, text ? text : "?");
			cap_free(text);
			cap_free(caps);
			if (it)
				check_item_set_fix(it, "sudo setcap -r %s", self);
			return;
		}
		check_report_add(rep, "not-setuid", CHECK_OK, "%s is neither setuid nor setgid, and has no file capabilities",
				 self);
		return;
	}
	it = check_report_add(rep, "not-setuid", CHECK_FAIL,
			      "%s is installed %s: hutch needs no privileges and must not have them", self,
			      (st.st_mode & S_ISUID) && (st.st_mode & S_ISGID) ? "setuid and setgid"
			      : (st.st_mode & S_ISUID)			     ? "setuid"
										     : "setgid");
	if (it)
		check_item_set_fix(it, "sudo chmod u-s,g-s %s", self);
}

/* ---------------------------------------------------------------- sysctls */

/* Why a blocked user namespace matters: for an ordinary user, nothing
 * runs; real root only loses --unshare-user and friends. */
static CheckStatus userns_blocker(uid_t uid)
{
	return uid == 0 ? CHECK_WARN : CHECK_FAIL;
}

static void check_sysctls(CheckReport *rep, uid_t uid, bool probe_ok)
{
	long v;
	CheckItem *it;

	/* Debian's (and older Ubuntu's) switch; mainline kernels have none. */
	if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone", &v) == 0) {
		if (v != 0) {
			check_report_add(rep, "unprivileged-userns-clone", CHECK_OK, "kernel.unprivileged_userns_clone = %ld",
					 v);
		} else {
			it = check_report_add(rep, "unprivileged-userns-clone", userns_blocker(uid),
					      "kernel.unprivileged_userns_clone = 0: only root may create user namespaces");
			if (it)
				check_item_set_fix(it,
						   "sudo sysctl -w kernel.unprivileged_userns_clone=1\n"
						   "to keep it after a reboot: echo kernel.unprivileged_userns_clone=1 | "
						   "sudo tee /etc/sysctl.d/50-hutch-userns.conf");
		}
	}

	if (read_sysctl("/proc/sys/user/max_user_namespaces", &v) == 0) {
		if (v > 0) {
			check_report_add(rep, "max-user-namespaces", CHECK_OK, "user.max_user_namespaces = %ld", v);
		} else {
			it = check_report_add(rep, "max-user-namespaces", userns_blocker(uid),
					      "user.max_user_namespaces = 0: no user namespace can be created");
			if (it)
				check_item_set_fix(it,
						   "sudo sysctl -w user.max_user_namespaces=15000\n"
						   "to keep it after a reboot: echo user.max_user_namespaces=15000 | "
						   "sudo tee /etc/sysctl.d/50-hutch-userns.conf");
		}
	}

	/* Ubuntu 23.10+: unshare(CLONE_NEWUSER) still succeeds, but the new
	 * namespace grants no capabilities unless an AppArmor profile with
	 * `userns,` covers the program. Only the probe can tell whether one
	 * does. */
	if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &v) == 0) {
		_cleanup_free_ char *label = NULL;

		if (v == 0) {
			check_report_add(rep, "apparmor-userns", CHECK_OK,
					 "kernel.apparmor_restrict_unprivileged_userns = 0");
			return;
		}
		if (read_text("/proc/self/attr/apparmor/current", &label) < 0)
			(void)read_text("/proc/self/attr/current", &label);
		if (label)
			label[strcspn(label, "\n")] = '\0';
		if (probe_ok || uid == 0) {
			it = check_report_add(rep, "apparmor-userns", CHECK_OK,
					      "kernel.apparmor_restrict_unprivileged_userns = %ld, and hutch may use "
					      "user namespaces%s",
					      v, uid == 0 ? " (as root)" : " (an AppArmor profile allows it)");
		} else {
			it = check_report_add(rep, "apparmor-userns", CHECK_FAIL,
					      "kernel.apparmor_restrict_unprivileged_userns = %ld and no AppArmor "
					      "profile allows hutch to use user namespaces",
					      v);
			if (it)
				check_item_set_fix(it,
						   "install hutch's AppArmor profile (meson setup -Dapparmor=true, then "
						   "meson install; or copy data/apparmor/hutch.in to /etc/apparmor.d/hutch "
						   "with @HUTCH_PATH@ replaced by this binary's path), then:\n"
						   "sudo apparmor_parser -r /etc/apparmor.d/hutch\n"
						   "(or lift the restriction for every program: sudo sysctl -w "
						   "kernel.apparmor_restrict_unprivileged_userns=0)");
		}
		if (it && label && *label)
			check_item_add_detail(it, "AppArmor label of this process: %s", label);
	}
}

/* ---------------------------------------------------------------- namespaces (check-ns.c) */

/* What an errno from unshare(CLONE_NEWUSER) or a map write means here. */
static const char *userns_errno_hint(int err)
{
	switch (err) {
	case ENOSPC:
		return " (user.max_user_namespaces or the nesting limit of 32 is reached)";
	case EPERM:
	case EACCES:
		return " (forbidden by a sysctl, an AppArmor or SELinux policy, or a seccomp filter)";
	case EINVAL:
		return " (a kernel without CONFIG_USER_NS?)";
	case EUSERS:
		return " (the nesting limit of 32 is reached)";
	default:
		return "";
	}
}

static void report_ns_probe(CheckReport *rep, const NsProbe *res, int probe_r, uid_t uid)
{
	CheckItem *it;

	if (probe_r < 0) {
		check_report_add(rep, "user-namespace", CHECK_FAIL, "the probe process failed: %s", errno_text(-probe_r));
		return;
	}
	if (res->userns == 0) {
		check_report_add(rep, "user-namespace", CHECK_OK,
				 "a user namespace can be created and its one-id maps written");
	} else {
		it = check_report_add(rep, "user-namespace", userns_blocker(uid),
				      "can't create a user namespace: %s failed: %s%s%s", res->userns_step,
				      errno_text(res->userns), userns_errno_hint(res->userns),
				      uid == 0 ? "; root needs one only for --unshare-user and the like" : "");
		if (it)
			check_item_set_fix(it, "see the sysctl and AppArmor items; inside a container, the "
					       "container's seccomp profile may forbid unshare(2)");
	}
	if (res->userns != 0 && uid != 0)
		return; /* nothing below could be tried */

	if (res->mountns == 0) {
		check_report_add(rep, "mount-namespace", CHECK_OK,
				 "a mount namespace with a tmpfs can be made%s", uid == 0 ? "" : " in it");
	} else {
		it = check_report_add(rep, "mount-namespace", CHECK_FAIL, "%s failed: %s", res->mountns_step,
				      errno_text(res->mountns));
		if (it)
			check_item_set_fix(it, "a kernel with CONFIG_USER_NS and CONFIG_TMPFS; inside a container, "
					       "a profile that allows mount(2) and unshare(2)");
		return;
	}

	if (res->overlay == 0) {
		check_report_add(rep, "overlayfs", CHECK_OK, "overlayfs mounts in a user namespace");
	} else if (res->overlay > 0) {
		it = check_report_add(rep, "overlayfs", CHECK_WARN,
				      "overlayfs can't be mounted here (%s): --overlay, --tmp-overlay and "
				      "--ro-overlay will fail",
				      errno_text(res->overlay));
		if (it)
			check_item_set_fix(it, "Linux 5.11 or later with the overlay module (sudo modprobe overlay)");
	}

	if (res->mount_api == 0) {
		check_report_add(rep, "mount-api", CHECK_OK, "open_tree, mount_setattr and move_mount work");
	} else if (res->mount_api > 0) {
		it = check_report_add(rep, "mount-api", CHECK_WARN,
				      "the new mount API is unavailable (%s: %s): hutch falls back to mount(2), "
				      "which reads /proc/self/mountinfo for every recursive read-only bind",
				      res->mount_api_step, errno_text(res->mount_api));
		if (it)
			check_item_set_fix(it, "Linux 5.12 or later (mount_setattr)");
	}
}

/* ---------------------------------------------------------------- id-map helpers, subuid */

/* Where idmap-setup.c looks for shadow's helpers, in its order: never in
 * PATH, since a setuid helper found through the caller's PATH would be
 * whatever the caller put there. */
static const char *const map_helper_dirs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin" };

/* The same tests idmap-setup.c makes before it runs a helper. For real
 * root, hutch writes the maps itself, so a missing helper is only info. */
static void check_map_helper(CheckReport *rep, const char *name, const char *cap, uid_t uid)
{
	CheckStatus bad = uid == 0 ? CHECK_INFO : CHECK_WARN;
	char path[64] = "";
	struct stat st;
	struct statvfs vfs;
	CheckItem *it;
	cap_t caps;

	for (size_t i = 0; i < sizeof map_helper_dirs / sizeof *map_helper_dirs && !path[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", map_helper_dirs[i], name);
		if (stat(path, &st) < 0)
			path[0] = '\0';
	}
	if (!path[0]) {
		it = check_report_add(rep, name, bad,
				      "%s is not installed (looked in /usr/bin, /usr/sbin, /bin, /sbin): --map-auto, "
				      "--map-uid and --map-gid will not work%s",
				      name, uid == 0 ? " for other users (root needs none)" : "");
		if (it)
			check_item_set_fix(it, "sudo apt install uidmap   (Debian, Ubuntu)\n"
					       "sudo dnf install shadow-utils   (Fedora)\n"
					       "sudo pacman -S shadow   (Arch)");
		return;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		it = check_report_add(rep, name, bad, "%s is not an executable file", path);
		if (it)
			check_item_set_fix(it, "sudo apt install --reinstall uidmap   (or your distribution's package)");
		return;
	}
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID)) {
		it = check_report_add(rep, name, bad,
				      "%s is on a file system mounted nosuid, so it cannot gain the privileges it needs",
				      path);
		if (it)
			check_item_set_fix(it, "remount that file system without nosuid, or install uidmap on another");
		return;
	}
	if (st.st_uid == 0 && (st.st_mode & S_ISUID)) {
		check_report_add(rep, name, CHECK_OK, "%s (setuid root)", path);
		return;
	}
	caps = cap_get_file(path);
	if (caps) {
		char *text = cap_to_text(caps, NULL);

		check_report_add(rep, name, CHECK_OK, "%s (file capabilities: %s)", path, text ? text : "?");
		cap_free(text);
		cap_free(caps);
		return;
	}
	it = check_report_add(rep, name, bad,
			      "%s is neither setuid root nor has file capabilities, so it cannot write id maps", path);
	if (it)
		check_item_set_fix(it, "sudo setcap %s+ep %s   (or reinstall the package that ships it)", cap, path);
}

/* A setuid helper gains nothing under no_new_privs (inherited from
 * another sandbox, or systemd's NoNewPrivileges=). */
static void check_no_new_privs(CheckReport *rep, uid_t uid)
{
	CheckItem *it;

	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		check_report_add(rep, "no-new-privs", CHECK_OK, "no_new_privs is not set on this process");
		return;
	}
	it = check_report_add(rep, "no-new-privs", uid == 0 ? CHECK_INFO : CHECK_WARN,
			      "no_new_privs is set (inherited from whatever started this process), so setuid "
			      "newuidmap and newgidmap cannot work: no --map-auto, --map-uid or --map-gid%s",
			      uid == 0 ? " for other users" : "");
	if (it)
		check_item_set_fix(it, "start hutch from a process without no_new_privs (not from inside another "
				       "sandbox, nor a systemd unit with NoNewPrivileges=yes)");
}

/* The caller's ranges as --map-auto reads them (subid_parse, by name
 * and by uid), and whether --map-auto --uid 0 can build its map from
 * them (subid_build_auto, the same arithmetic). */
static void check_subids(CheckReport *rep, const char *file, const char *kind, const char *user, uid_t id,
			 uint32_t own_id, const char *const *all_texts, size_t n_texts)
{
	IdMapLine lines[SUBID_MAX_MAP_LINES];
	size_t n_lines = 0;
	uint64_t got = 0, needed = 0;
	const char *why = NULL;
	char why_buf[128];
	_cleanup_free_ char *text = NULL;
	SubidRanges ranges = { 0 };
	const char *owner;
	unsigned long suggest;
	uint64_t total = 0;
	char uid_text[24];
	CheckItem *it;
	int r = read_text(file, &text);

	snprintf(uid_text, sizeof uid_text, "%lu", (unsigned long)id);
	owner = user ? user : uid_text;
	if (r >= 0 && subid_parse(text, strlen(text), user, (uint32_t)id, &ranges) < 0) {
		check_report_add(rep, kind, CHECK_WARN, "can't parse %s: out of memory", file);
		return;
	}
	for (size_t i = 0; i < ranges.n; i++)
		total += ranges.ranges[i].count;

	if (ranges.n > 0) {
		bool enough;

		r = subid_build_auto(&ranges, 0, own_id, lines, SUBID_MAX_MAP_LINES, &n_lines, &got, &needed);
		if (r == -ERANGE) {
			snprintf(why_buf, sizeof why_buf, ": --map-auto needs %" PRIu64 " ids besides your own, these give %" PRIu64,
				 needed, got);
			why = why_buf;
		} else if (r < 0) {
			why = ": --map-auto would need more map lines than the kernel takes";
		}
		enough = !why;
		it = check_report_add(rep, kind, enough ? CHECK_OK : CHECK_WARN, "%zu range%s for %s in %s, %" PRIu64
				      " ids in all%s",
				      ranges.n, ranges.n == 1 ? "" : "s", owner, file, total, why ? why : "");
		for (size_t i = 0; it && i < ranges.n && i < 16; i++)
			check_item_add_detail(it, "%s:%" PRIu32 ":%" PRIu32, owner, ranges.ranges[i].start,
					      ranges.ranges[i].count);
		if (it && ranges.n_malformed)
			check_item_add_detail(it, "(%zu malformed line%s in %s skipped)", ranges.n_malformed,
					      ranges.n_malformed == 1 ? "" : "s", file);
		if (it && !enough) {
			suggest = check_subid_suggest(all_texts, n_texts, 65536);
			if (suggest)
				check_item_set_fix(it, "sudo usermod --add-sub%ss %lu-%lu %s", kind + 3, suggest,
						   suggest + 65535, owner);
		}
		subid_ranges_free(&ranges);
		return;
	}
	subid_ranges_free(&ranges);

	it = check_report_add(rep, kind, CHECK_WARN, "%s has no entry for %s%s%s%s: --map-auto has no ids to map",
			      file, owner, user ? " (uid " : "", user ? uid_text : "", user ? ")" : "");
	if (!it)
		return;
	if (r < 0 && r != -ENOENT)
		check_item_add_detail(it, "can't read %s: %s", file, errno_text(-r));
	suggest = check_subid_suggest(all_texts, n_texts, 65536);
	if (suggest)
		check_item_set_fix(it, "sudo usermod --add-sub%ss %lu-%lu %s", kind + 3, suggest, suggest + 65535,
				   owner);
	else
		check_item_set_fix(it, "add a line \"%s:START:65536\" to %s with a range no other line uses", owner,
				   file);
}

/* ---------------------------------------------------------------- kernel features */

static void check_openat2(CheckReport *rep)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = sys_openat2(AT_FDCWD, "/", &how);
	CheckItem *it;

	if (fd >= 0) {
		close(fd);
		check_report_add(rep, "openat2", CHECK_OK, "openat2 with RESOLVE_IN_ROOT works");
		return;
	}
	it = check_report_add(rep, "openat2", CHECK_WARN,
			      "openat2 is unavailable (%s): hutch resolves destinations one component at a time "
			      "instead, which is slower",
			      errno_text(errno));
	if (it)
		check_item_set_fix(it, "Linux 5.6 or later");
}

static void check_seccomp(CheckReport *rep)
{
	int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	CheckItem *it;

	if (mode < 0) {
		it = check_report_add(rep, "seccomp", CHECK_WARN,
				      "this kernel has no seccomp (%s): --seccomp and --add-seccomp-fd will fail",
				      errno_text(errno));
		if (it)
			check_item_set_fix(it, "a kernel built with CONFIG_SECCOMP_FILTER");
		return;
	}
	/* A NULL program: EFAULT means filter mode exists (the copy of the
	 * program is the first thing it does), EINVAL that it does not. */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) == 0 || errno != EFAULT) {
		it = check_report_add(rep, "seccomp", CHECK_WARN,
				      "seccomp filters are unavailable (%s): --seccomp and --add-seccomp-fd will fail",
				      errno_text(errno));
		if (it)
			check_item_set_fix(it, "a kernel built with CONFIG_SECCOMP_FILTER");
		return;
	}
	it = check_report_add(rep, "seccomp", CHECK_OK, "seccomp filters are available");
	if (it && mode == SECCOMP_MODE_FILTER)
		check_item_add_detail(it, "hutch itself already runs under a seccomp filter (a container?); "
					  "the sandbox's filters stack on it, and it may forbid what hutch needs");
}

static void check_landlock(CheckReport *rep)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	CheckItem *it;

	if (abi > 0) {
		check_report_add(rep, "landlock", CHECK_OK, "Landlock ABI version %ld", abi);
		return;
	}
	if (errno == EOPNOTSUPP) {
		it = check_report_add(rep, "landlock", CHECK_INFO,
				      "Landlock is built into the kernel but not enabled; no hutch option needs "
				      "it yet");
		if (it)
			check_item_set_fix(it, "add landlock to the lsm= kernel boot parameter");
		return;
	}
	check_report_add(rep, "landlock", CHECK_INFO, "no Landlock in this kernel (%s); no hutch option needs it yet",
			 errno_text(errno));
}

/* ---------------------------------------------------------------- a real sandbox */

/* Runs this very binary with argv, stdin and stdout on /dev/null, and
 * collects the first bytes of its stderr. Returns 0 when it exited 0;
 * otherwise a message for the summary goes to why. */
static int run_self(const char *const *argv, char *err, size_t err_size, char *why, size_t why_size)
{
	size_t len = 0;
	int p[2], status = 0;
	pid_t pid;
	bool timed_out = false;
	struct timespec start, now;

	err[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(why, why_size, "can't make a pipe: %s", errno_text(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_size, "can't fork: %s", errno_text(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(p[1], 2) < 0)
			_exit(127);
		execv("/proc/self/exe", (char **)argv);
		dprintf(2, "can't run /proc/self/exe: %s\n", errno_text(errno));
		_exit(127);
	}
	close(p[1]);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long elapsed;
		ssize_t n;
		char discard[512];

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= CHECK_SANDBOX_TIMEOUT_MS) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, (int)(CHECK_SANDBOX_TIMEOUT_MS - elapsed)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (len < err_size - 1)
			n = read(p[0], err + len, err_size - 1 - len);
		else
			n = read(p[0], discard, sizeof discard);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < err_size - 1)
			len += (size_t)n;
	}
	close(p[0]);
	err[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (timed_out)
		snprintf(why, why_size, "did not finish in %d seconds", CHECK_SANDBOX_TIMEOUT_MS / 1000);
	else if (WIFSIGNALED(status))
		snprintf(why, why_size, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(why, why_size, "failed (exit status %d)", WEXITSTATUS(status));
	return -1;
}

/* Every line of err as a detail of it (a few at most). */
static void add_error_lines(CheckItem *it, char *err)
{
	for (char *line = err, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (it->n_details < 8)
			check_item_add_detail(it, "%s", line);
	}
}

static void check_sandbox(CheckReport *rep, const char *self)
{
	/* The README's quick start, running hutch --version as the payload
	 * (bound in by itself, since the binary may live under /tmp). */
	const char *argv[] = {
		"hutch",   "--ro-bind", "/",	  "/",	 "--unshare-all", "--proc", "/proc",
		"--dev",   "/dev",	"--tmpfs", "/tmp", "--ro-bind",	  self,	    self,
		"--die-with-parent", "--", self, "--version", NULL,
	};
	char err[4096], why[128];
	CheckItem *it;

	if (run_self(argv, err, sizeof err, why, sizeof why) == 0) {
		check_report_add(rep, "sandbox", CHECK_OK,
				 "hutch --ro-bind / / --unshare-all --proc /proc --dev /dev --tmpfs /tmp ran a command");
		return;
	}
	it = check_report_add(rep, "sandbox", CHECK_FAIL, "a default sandbox %s", why);
	if (!it)
		return;
	add_error_lines(it, err);
	check_item_set_fix(it, "fix the FAIL items above; to see the whole error, run:\n"
			       "hutch --ro-bind / / --unshare-all --proc /proc --dev /dev --tmpfs /tmp true");
}

/* --map-auto for real, as the manual's package-build examples use it. */
static void check_map_auto(CheckReport *rep, const char *self)
{
	const char *argv[] = {
		"hutch",   "--map-auto", "--uid",   "0",    "--gid",	 "0",	   "--ro-bind",
		"/",	   "/",		 "--unshare-all", "--proc", "/proc", "--dev",	  "/dev",
		"--tmpfs", "/tmp",	 "--ro-bind",	  self,	    self,    "--die-with-parent", "--",
		self,	   "--version",	 NULL,
	};
	char err[4096], why[128];
	CheckItem *it;

	if (run_self(argv, err, sizeof err, why, sizeof why) == 0) {
		check_report_add(rep, "map-auto", CHECK_OK, "hutch --map-auto --uid 0 --gid 0 ... ran a command");
		return;
	}
	it = check_report_add(rep, "map-auto", CHECK_WARN,
			      "a sandbox with --map-auto --uid 0 --gid 0 %s: no full id space (fake root) here", why);
	if (!it)
		return;
	add_error_lines(it, err);
	check_item_set_fix(it, "see the newuidmap, newgidmap, no-new-privs, subuid and subgid items above");
}

/* ---------------------------------------------------------------- the report */

int check_run(FILE *out, bool json)
{
	CheckReport rep;
	struct utsname uts;
	Account account;
	char self[PATH_MAX];
	ssize_t n;
	uid_t uid = getuid();
	gid_t gid = getgid();
	NsProbe ns;
	int probe_r, code;
	_cleanup_free_ char *subuid = NULL, *subgid = NULL;
	const char *texts[2];

	check_report_init(&rep);
	rep.version = HUTCH_VERSION;
	rep.kernel = uname(&uts) == 0 ? uts.release : "?";
	rep.uid = uid;
	if (account_by_uid(uid, &account) == 0)
		rep.user = strdup(account.name);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		snprintf(self, sizeof self, "/proc/self/exe");
	else
		self[n] = '\0';

	check_setuid_bit(&rep, self);
	probe_r = check_ns_probe(&ns, uid, gid);
	check_sysctls(&rep, uid, probe_r == 0 && ns.userns == 0 && ns.mountns == 0);
	report_ns_probe(&rep, &ns, probe_r, uid);

	check_map_helper(&rep, "newuidmap", "cap_setuid", uid);
	check_map_helper(&rep, "newgidmap", "cap_setgid", uid);
	check_no_new_privs(&rep, uid);
	(void)read_text("/etc/subuid", &subuid);
	(void)read_text("/etc/subgid", &subgid);
	texts[0] = subuid;
	texts[1] = subgid;
	check_subids(&rep, "/etc/subuid", "subuid", rep.user, uid, uid, texts, 2);
	check_subids(&rep, "/etc/subgid", "subgid", rep.user, uid, gid, texts, 2);

	check_openat2(&rep);
	check_seccomp(&rep);
	check_landlock(&rep);
	check_sandbox(&rep, self);
	check_map_auto(&rep, self);

	if (json)
		check_report_print_json(&rep, out);
	else
		check_report_print_text(&rep, out);
	code = check_report_ok(&rep) ? 0 : 1;
	check_report_free(&rep);
	if (fflush(out) != 0)
		code = 1;
	return code;
}
