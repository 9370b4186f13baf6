/* idmap-setup.c — see idmap-setup.h. */
#include "idmap-setup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "account.h"
#include "util/errno-text.h"
#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"

#define SUBUID_FILE "/etc/subuid"
#define SUBGID_FILE "/etc/subgid"
/* More than any real subordinate id file; the bound is for a broken one. */
#define SUBID_FILE_MAX (16u << 20)

/* Where shadow's helpers live; searched in this order, never through
 * $PATH: the caller's environment does not choose a setuid program. */
static const char *const helper_dirs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin" };

typedef struct {
	const char *file;      /* /etc/subuid */
	const char *kind;      /* "uid" */
	const char *user;      /* the caller's name, or NULL */
	uint32_t uid;          /* the caller's uid: both files are looked up by it */
	uint32_t own_id;       /* the caller's own uid or gid */
} SubidSource;

static const char *user_label(const SubidSource *src, char *buf, size_t size)
{
	if (src->user)
		snprintf(buf, size, "%s (uid %" PRIu32 ")", src->user, src->uid);
	else
		snprintf(buf, size, "uid %" PRIu32, src->uid);
	return buf;
}

/* Reads the caller's ranges from src->file. A missing file is no entry. */
static int read_ranges(const SubidSource *src, SubidRanges *out)
{
	_cleanup_close_ int fd = open(src->file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	*out = (SubidRanges){ 0 };
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return log_error_errno(errno, "Can't open %s", src->file);
	}
	r = fd_read_all(fd, SUBID_FILE_MAX, &text, &len);
	if (r < 0)
		return log_error_errno(r, "Can't read %s", src->file);
	r = subid_parse(text, len, src->user, src->uid, out);
	if (r < 0)
		return log_error_errno(r, "Can't parse %s", src->file);
	if (out->n_ignored > 0)
		log_warning("%s: only the first %d ranges of one user are used; %zu more ignored", src->file,
			    SUBID_MAX_RANGES, out->n_ignored);
	return 0;
}

static int no_entry_error(const SubidSource *src, const char *option)
{
	char who[128];

	user_label(src, who, sizeof who);
	return log_error("%s: no entry for %s in %s: an administrator must give you a subordinate %s range, "
			 "e.g. the line \"%s:100000:65536\" (usermod --add-sub%ss 100000-165535 %s)",
			 option, who, src->file, src->kind, src->user ? src->user : "UID", src->kind,
			 src->user ? src->user : "USER");
}

/* --map-auto for one kind of id. */
static int build_auto(const SubidSource *src, uint32_t sandbox_id, IdMapLine *lines, size_t *n_lines)
{
	SubidRanges ranges;
	uint64_t got = 0, needed = 0;
	size_t bad, other;
	char who[128];
	int r;

	r = read_ranges(src, &ranges);
	if (r < 0)
		return r;
	if (ranges.n == 0) {
		subid_ranges_free(&ranges);
		return no_entry_error(src, "--map-auto");
	}
	r = subid_build_auto(&ranges, sandbox_id, src->own_id, lines, SUBID_MAX_MAP_LINES, n_lines, &got, &needed);
	subid_ranges_free(&ranges);
	user_label(src, who, sizeof who);
	if (r == -ERANGE)
		return log_error("--map-auto: the subordinate %s ranges of %s in %s hold %" PRIu64 " usable ids; "
				 "%" PRIu64 " are needed (sandbox %ss 0-65535 besides your own): ask for a range of "
				 "at least 65536, or map fewer ids with --map-%s",
				 src->kind, who, src->file, got, needed, src->kind, src->kind);
	if (r == -E2BIG)
		return log_error("--map-auto: the subordinate %s ranges of %s in %s are split into more pieces than "
				 "the %d lines a map may have", src->kind, who, src->file, SUBID_MAX_MAP_LINES);
	if (r < 0)
		return log_error_errno(r, "--map-auto");
	/* Overlaps are impossible by construction; the length is not. */
	if (subid_check_lines(lines, *n_lines, &bad, &other) != SUBID_LINES_OK)
		return log_error("--map-auto: the %s map made from the ranges in %s is more than the kernel takes "
				 "(%zu lines)", src->kind, src->file, *n_lines);
	return 0;
}

/* Explicit lines, or the caller's own id alone when only the other kind
 * was given. Unprivileged, each line must be one newuidmap accepts: the
 * caller's own id alone, or ids inside the caller's ranges. */
static int build_explicit(const SubidSource *src, const IdMapLine *given, size_t n_given, uint32_t sandbox_id,
			  bool check_ranges, IdMapLine *lines, size_t *n_lines)
{
	SubidRanges ranges = { 0 };
	bool have_ranges = false;
	char option[16];
	int r = 0;

	snprintf(option, sizeof option, "--map-%s", src->kind);
	if (n_given == 0) {
		lines[0] = (IdMapLine){ .inside = sandbox_id, .outside = src->own_id, .count = 1 };
		*n_lines = 1;
		return 0;
	}
	memcpy(lines, given, n_given * sizeof *lines);
	*n_lines = n_given;
	if (!check_ranges)
		return 0;
	for (size_t i = 0; i < n_given && r >= 0; i++) {
		const IdMapLine *l = &given[i];

		if (l->count == 1 && l->outside == src->own_id)
			continue;
		if (!have_ranges) {
			r = read_ranges(src, &ranges);
			if (r < 0)
				break;
			have_ranges = true;
			if (ranges.n == 0) {
				r = no_entry_error(src, option);
				break;
			}
		}
		if (!subid_ranges_cover(&ranges, l->outside, l->count))
			r = log_error("%s %" PRIu32 " %" PRIu32 " %" PRIu32 ": host %ss %" PRIu32 "-%" PRIu64
				      " are not all in your subordinate %s ranges in %s (besides those, only your "
				      "own %s may be mapped, alone)",
				      option, l->inside, l->outside, l->count, src->kind, l->outside,
				      (uint64_t)l->outside + l->count - 1, src->kind, src->file, src->kind);
	}
	subid_ranges_free(&ranges);
	return r < 0 ? r : 0;
}

/* shadow's GRANT_AUX_GROUP_SUBIDS (login.defs) lets newgidmap run for a
 * process whose gid is one of the user's other groups. */
static bool login_defs_grant_aux_groups(void)
{
	FILE *f = fopen("/etc/login.defs", "re");
	char line[512], key[64], value[16];
	bool yes = false;

	if (!f)
		return false;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, " %63s %15s", key, value) == 2 && strcmp(key, "GRANT_AUX_GROUP_SUBIDS") == 0)
			yes = strcasecmp(value, "yes") == 0;
	fclose(f);
	return yes;
}

/* Finds name in helper_dirs and checks that it can gain the privileges
 * it needs. */
static int find_helper(const char *name, char *path, size_t size)
{
	struct stat st;
	struct statvfs vfs;

	path[0] = '\0';
	for (size_t i = 0; i < N_ELEMENTS(helper_dirs); i++) {
		snprintf(path, size, "%s/%s", helper_dirs[i], name);
		if (stat(path, &st) == 0)
			break;
		path[0] = '\0';
	}
	if (!path[0])
		return log_error("%s not found (looked in /usr/bin, /usr/sbin, /bin and /sbin): mapping subordinate "
				 "ids needs shadow's newuidmap and newgidmap; install the uidmap package (Debian, "
				 "Ubuntu) or shadow-utils (Fedora, Arch)", name);
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return log_error("%s is not an executable file: reinstall the uidmap package", path);
	if (!((st.st_mode & S_ISUID) && st.st_uid == 0) && getxattr(path, "security.capability", NULL, 0) <= 0)
		return log_error("%s is neither setuid root nor has file capabilities, so it cannot map subordinate "
				 "ids: reinstall the uidmap package (or restore its setuid bit)", path);
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return log_error("%s is on a file system mounted nosuid, so it cannot gain the privileges it needs "
				 "to map subordinate ids", path);
	return 0;
}

int idmap_setup_prepare(const Plan *plan, uint32_t real_uid, uint32_t real_gid, IdMapSetup *out)
{
	Account account;
	const Account *pw = NULL;
	SubidSource uids, gids;
	int r;

	out->active = false;
	out->n_uid_lines = out->n_gid_lines = 0;
	if (!plan->unshare_user || !plan_has_id_maps(plan))
		return 0;
	out->active = true;
	out->use_helpers = real_uid != 0;

	if (account_by_uid(real_uid, &account) == 0)
		pw = &account;
	uids = (SubidSource){ .file = SUBUID_FILE, .kind = "uid", .user = pw ? pw->name : NULL, .uid = real_uid,
			      .own_id = real_uid };
	gids = (SubidSource){ .file = SUBGID_FILE, .kind = "gid", .user = uids.user, .uid = real_uid,
			      .own_id = real_gid };

	if (out->use_helpers) {
		/* Before anything else: newgidmap refuses outright when the
		 * caller's gid is not the primary group of its account. */
		if (!pw)
			return log_error("%s: uid %" PRIu32 " has no entry in the password database; newuidmap and "
					 "newgidmap refuse to run for it", plan->map_auto ? "--map-auto" : "--map-uid",
					 real_uid);
		if (pw->gid != real_gid && !login_defs_grant_aux_groups())
			return log_error("your gid %" PRIu32 " is not %s's primary group (%" PRIu32 "), so newgidmap "
					 "will not map ids for this process (started through sg or newgrp?)",
					 real_gid, pw->name, pw->gid);
	}

	/* The subordinate-id files hold the user's ranges. The gid ranges are
	 * looked up by the caller's uid and name, as newgidmap does. */
	if (plan->map_auto) {
		r = build_auto(&uids, plan->sandbox_uid, out->uid_lines, &out->n_uid_lines);
		if (r >= 0)
			r = build_auto(&gids, plan->sandbox_gid, out->gid_lines, &out->n_gid_lines);
	} else {
		r = build_explicit(&uids, plan->map_uid_lines, plan->n_map_uid_lines, plan->sandbox_uid,
				   out->use_helpers, out->uid_lines, &out->n_uid_lines);
		if (r >= 0)
			r = build_explicit(&gids, plan->map_gid_lines, plan->n_map_gid_lines, plan->sandbox_gid,
					   out->use_helpers, out->gid_lines, &out->n_gid_lines);
	}
	if (r < 0)
		return r;

	if (!out->use_helpers)
		return 0;
	r = find_helper("newuidmap", out->newuidmap, sizeof out->newuidmap);
	if (r >= 0)
		r = find_helper("newgidmap", out->newgidmap, sizeof out->newgidmap);
	if (r < 0)
		return r;
	/* Inherited from whoever started hutch; it stops a setuid program
	 * from gaining anything, so the helpers would fail half-way. */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return log_error("no_new_privs is set on hutch (inherited from the process that started it: another "
				 "sandbox, or systemd's NoNewPrivileges=), so setuid newuidmap and newgidmap cannot "
				 "gain privileges and subordinate ids cannot be mapped: start hutch from outside it, "
				 "or drop %s", plan->map_auto ? "--map-auto" : "--map-uid/--map-gid");
	return 0;
}

/* The one write(2) the kernel takes per map file. */
static int write_map_file(pid_t pid, const char *name, const IdMapLine *lines, size_t n)
{
	char path[64], text[SUBID_MAX_MAP_TEXT + 1];
	_cleanup_close_ int fd = -1;
	int len = subid_format_lines(lines, n, text, sizeof text);

	if (len < 0)
		return log_error("the %s is longer than the kernel takes", name);
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return log_error_errno(errno, "Can't open %s", path);
	if (write(fd, text, (size_t)len) != len)
		return log_error_errno(errno ? errno : EIO, "Can't write the %s (%s)", name, path);
	return 0;
}

/* Output of a helper kept for the message when it fails. */
#define HELPER_OUTPUT_MAX 2048

/* Runs path PID INSIDE OUTSIDE COUNT... with a fixed environment, its
 * stdout and stderr captured; success is exit status 0. */
static int run_helper(const char *path, pid_t pid, const IdMapLine *lines, size_t n)
{
	static char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	/* "NNNNNNNNNN" for each number, plus the pid. */
	_cleanup_free_ char *numbers = malloc((3 * n + 1) * 12);
	_cleanup_free_ char **argv = calloc(3 * n + 3, sizeof *argv);
	char output[HELPER_OUTPUT_MAX + 1];
	size_t out_len = 0;
	int pipefd[2], status;
	pid_t helper;

	if (!numbers || !argv)
		return log_error_errno(ENOMEM, "Out of memory");
	argv[0] = (char *)path;
	snprintf(numbers, 12, "%d", (int)pid);
	argv[1] = numbers;
	for (size_t i = 0; i < n; i++) {
		const uint32_t v[3] = { lines[i].inside, lines[i].outside, lines[i].count };

		for (size_t k = 0; k < 3; k++) {
			char *slot = numbers + (1 + 3 * i + k) * 12;

			snprintf(slot, 12, "%" PRIu32, v[k]);
			argv[2 + 3 * i + k] = slot;
		}
	}

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return log_error_errno(errno, "Can't create a pipe for %s", path);
	helper = fork();
	if (helper < 0) {
		int e = errno;

		close(pipefd[0]);
		close(pipefd[1]);
		return log_error_errno(e, "Can't fork to run %s", path);
	}
	if (helper == 0) {
		sigset_t none;
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(127);
		/* Nothing of hutch's (the caller's fds included) reaches a
		 * setuid program. */
		syscall(SYS_close_range, 3U, ~0U, 0U);
		execve(path, argv, envp);
		dprintf(2, "can't execute %s: %s\n", path, errno_text(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[512];
		ssize_t k = out_len < HELPER_OUTPUT_MAX ? read(pipefd[0], output + out_len, HELPER_OUTPUT_MAX - out_len)
							 : read(pipefd[0], sink, sizeof sink);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (out_len < HELPER_OUTPUT_MAX)
			out_len += (size_t)k;
	}
	close(pipefd[0]);
	while (waitpid(helper, &status, 0) < 0) {
		if (errno != EINTR)
			return log_error_errno(errno, "Can't wait for %s", path);
	}
	while (out_len > 0 && (output[out_len - 1] == '\n' || output[out_len - 1] == ' '))
		out_len--;
	output[out_len] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return log_error("%s failed (exit status %d)%s%s", path, WEXITSTATUS(status), out_len ? ": " : "",
				 output);
	return log_error("%s was killed by signal %d%s%s", path, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
			 out_len ? ": " : "", output);
}

int idmap_setup_apply(const IdMapSetup *setup, pid_t pid)
{
	int r;

	if (!setup->active)
		return 0;
	if (!setup->use_helpers) {
		/* Real root may write any map; setgroups stays allowed. */
		r = write_map_file(pid, "uid_map", setup->uid_lines, setup->n_uid_lines);
		if (r >= 0)
			r = write_map_file(pid, "gid_map", setup->gid_lines, setup->n_gid_lines);
		return r;
	}
	r = run_helper(setup->newuidmap, pid, setup->uid_lines, setup->n_uid_lines);
	if (r >= 0)
		r = run_helper(setup->newgidmap, pid, setup->gid_lines, setup->n_gid_lines);
	return r;
}
