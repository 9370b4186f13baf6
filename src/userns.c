/* userns.c — see userns.h. */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "subid.h"
#include "util/fd-util.h"
#include "util/cleanup.h"
#include "util/log.h"

int userns_join_before_clone(const Plan *plan)
{
	/* The user namespace first: joining a PID namespace needs
	 * CAP_SYS_ADMIN in the user namespace that owns it. */
	if (plan->userns_fd >= 0 && setns(plan->userns_fd, CLONE_NEWUSER) < 0) {
		if (errno == EINVAL)
			return log_error("Joining the specified user namespace failed, it might not be a "
					 "descendant of the current user namespace.");
		return log_error_errno(errno, "Joining specified user namespace failed");
	}
	/* Affects only children: the clone that follows is created in (or,
	 * with --unshare-pid, below) this PID namespace. */
	if (plan->pidns_fd >= 0 && setns(plan->pidns_fd, CLONE_NEWPID) < 0)
		return log_error_errno(errno, "Setting pidns failed");
	return 0;
}

static int write_at(int dirfd, const char *path, const char *text)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	return 0;
}

/* A user namespace below the current one, mapping our ids to themselves.
 * setgroups stays denied: a new namespace inherits that from its parent. */
static int enter_nested_userns(const Plan *plan, int proc_fd)
{
	char line[64];
	int r;

	if (unshare(CLONE_NEWUSER) < 0)
		return log_error_errno(errno, "unshare user ns");
	/* A non-dumpable process's /proc files belong to the global root,
	 * which this namespace does not map: dumpable just for the writes. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return log_error_errno(errno, "can't set dumpable");
	idmap_format_line(line, sizeof line, plan->sandbox_uid, plan->sandbox_uid, 1);
	r = write_at(proc_fd, "self/uid_map", line);
	if (r < 0)
		return log_error_errno(r, "setting up uid map");
	idmap_format_line(line, sizeof line, plan->sandbox_gid, plan->sandbox_gid, 1);
	r = write_at(proc_fd, "self/gid_map", line);
	if (r < 0)
		return log_error_errno(r, "setting up gid map");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return log_error_errno(errno, "can't set dumpable");
	return 0;
}

/* The sandbox's own map (/proc/self/uid_map or gid_map) as an identity
 * map of the same sandbox ids, "INSIDE INSIDE COUNT" a line: what a
 * namespace nested in it needs to see every sandbox id as itself. */
static int nested_identity_map(int proc_fd, const char *name, char *text, size_t size)
{
	char path[32];
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	IdMapLine lines[SUBID_MAX_MAP_LINES];
	size_t len = 0, n = 0;
	char *line, *save = NULL;
	int r;

	snprintf(path, sizeof path, "self/%s", name);
	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_error_errno(errno, "Can't open /proc/%s", path);
	r = fd_read_all(fd, 64 * 1024, &buf, &len);
	if (r < 0)
		return log_error_errno(r, "Can't read /proc/%s", path);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned inside, outside, count;

		if (sscanf(line, "%u %u %u", &inside, &outside, &count) != 3 || n >= N_ELEMENTS(lines))
			return log_error("Can't use /proc/%s for the nested user namespace", path);
		lines[n++] = (IdMapLine){ .inside = inside, .outside = inside, .count = count };
	}
	if (subid_format_lines(lines, n, text, size) < 0)
		return log_error("the %s of the nested user namespace is longer than the kernel takes", name);
	return 0;
}

/* --disable-userns with maps of many ids: the nested namespace maps every
 * sandbox id on itself. Writing a map of more than one id takes
 * CAP_SETUID/CAP_SETGID over the parent namespace, both for the writer
 * and for whoever opens the file, which this process loses by entering
 * the new namespace: a child forked first, still in the sandbox's
 * namespace with its capabilities, writes the maps. setgroups stays
 * allowed, inherited from the sandbox's namespace. */
static int enter_nested_userns_many(int proc_fd)
{
	char uid_text[SUBID_MAX_MAP_TEXT + 1], gid_text[SUBID_MAX_MAP_TEXT + 1];
	char self[32], path[48], byte = 0;
	ssize_t k;
	int go[2], status, r;
	pid_t writer;

	r = nested_identity_map(proc_fd, "uid_map", uid_text, sizeof uid_text);
	if (r >= 0)
		r = nested_identity_map(proc_fd, "gid_map", gid_text, sizeof gid_text);
	if (r < 0)
		return r;
	/* Our pid as the procfs behind proc_fd numbers it (with
	 * --unshare-pid, getpid() counts in another namespace). */
	k = readlinkat(proc_fd, "self", self, sizeof self - 1);
	if (k <= 0)
		return log_error_errno(k < 0 ? errno : EIO, "Can't read /proc/self");
	self[k] = '\0';
	if (pipe2(go, O_CLOEXEC) < 0)
		return log_error_errno(errno, "pipe2()");
	writer = fork();
	if (writer < 0) {
		r = log_error_errno(errno, "Can't fork");
		close(go[0]);
		close(go[1]);
		return r;
	}
	if (writer == 0) {
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(1);
		snprintf(path, sizeof path, "%s/uid_map", self);
		r = write_at(proc_fd, path, uid_text);
		if (r < 0) {
			log_error_errno(r, "setting up the nested uid map");
			_exit(1);
		}
		snprintf(path, sizeof path, "%s/gid_map", self);
		r = write_at(proc_fd, path, gid_text);
		if (r < 0) {
			log_error_errno(r, "setting up the nested gid map");
			_exit(1);
		}
		_exit(0);
	}
	close(go[0]);
	r = unshare(CLONE_NEWUSER) < 0 ? -errno : 0;
	/* Our /proc files must belong to us for the writer to open them. */
	if (r >= 0 && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		r = -errno;
	if (r >= 0 && write(go[1], "x", 1) != 1)
		r = -errno;
	close(go[1]); /* EOF: a writer that was not told to go exits */
	while (waitpid(writer, &status, 0) < 0) {
		if (errno != EINTR)
			return log_error_errno(errno, "Can't wait for the map writer");
	}
	if (r < 0)
		return log_error_errno(r, "unshare user ns");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return log_error("Can't map the ids of the nested user namespace");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return log_error_errno(errno, "can't set dumpable");
	return 0;
}

int userns_after_setup(const Plan *plan, int proc_fd)
{
	int r;

	if (plan->userns2_fd >= 0 && setns(plan->userns2_fd, CLONE_NEWUSER) < 0)
		return log_error_errno(errno, "Setting userns2 failed");

	if (plan->disable_userns) {
		/* The limit counts namespaces below this one, at every level;
		 * the nested namespace uses up the one allowed, and the
		 * payload inside it has no capability over this one to raise
		 * the limit again. */
		r = write_at(proc_fd, "sys/user/max_user_namespaces", "1");
		if (r < 0)
			return log_error_errno(r, "sysctl user.max_user_namespaces = 1");
		r = plan_has_id_maps(plan) ? enter_nested_userns_many(proc_fd) : enter_nested_userns(plan, proc_fd);
		if (r < 0)
			return r;
	}

	if (plan->disable_userns || plan->assert_userns_disabled) {
		if (unshare(CLONE_NEWUSER) == 0)
			return log_error("creation of new user namespaces was not disabled as requested");
	}
	return 0;
}

static int raise_effective_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

/* With a map of many gids the payload starts with the sandbox gid as its
 * only supplementary group, as after a login: the caller's other host
 * groups have no id inside (they would show as the overflow gid), and
 * setgroups is allowed (newgidmap leaves it so when it maps subordinate
 * gids; root may anyway). An explicit map that newgidmap made with the
 * caller's own gid alone has setgroups denied: the groups stay as they
 * were, as in a sandbox without maps. */
static int set_sandbox_groups(const Plan *plan)
{
	gid_t gid = plan->sandbox_gid;

	if (!plan->map_auto && plan->n_map_gid_lines == 0)
		return 0;
	if (setgroups(1, &gid) == 0)
		return 0;
	if (errno == EPERM && !plan->map_auto)
		return 0;
	return log_error_errno(errno, "Can't set the supplementary groups to %u", plan->sandbox_gid);
}

int userns_become_sandbox_ids(const Plan *plan)
{
	/* In a joined namespace the caller already has whatever ids it maps
	 * to there; only --uid/--gid ask for others. With maps of many ids
	 * the caller's own ids are mapped on the sandbox ids unless --uid
	 * or --gid chose another mapped id. */
	if (plan_has_id_maps(plan) && set_sandbox_groups(plan) < 0)
		return -1;
	if (plan->userns_fd < 0 && !plan_has_id_maps(plan))
		return 0;
	if (plan->gid_set && getegid() != plan->sandbox_gid && setresgid(plan->sandbox_gid, plan->sandbox_gid, plan->sandbox_gid) < 0)
		return log_error_errno(errno, "unable to switch to gid %u", plan->sandbox_gid);
	if (plan->uid_set && geteuid() != plan->sandbox_uid) {
		/* Keep the permitted set across the uid change, so that
		 * caps_apply() can still set what --cap-add keeps. */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return log_error_errno(errno, "prctl(PR_SET_KEEPCAPS) failed");
		if (setresuid(plan->sandbox_uid, plan->sandbox_uid, plan->sandbox_uid) < 0)
			return log_error_errno(errno, "unable to switch to uid %u", plan->sandbox_uid);
		/* Leaving uid 0 cleared the effective set; caps_apply()
		 * needs CAP_SETPCAP in it to shrink the bounding set. */
		if (raise_effective_caps() < 0)
			return log_error_errno(errno, "capset failed");
	}
	return 0;
}
