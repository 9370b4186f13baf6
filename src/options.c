/* options.c — the option table and the parser; see options.h.
 *
 * The parser walks a word list. `--args FD` splices the NUL-separated
 * words read from FD in place of itself, so its data may hold options,
 * `--`, and even the command, exactly as if they had been typed there.
 */
#include "options.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "args-fd.h"
#include "subid.h"
#include "rlimit.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/parse.h"

/* Upper bound for --size, as bwrap's (SIZE_MAX / 2). */
#define OPTIONS_MAX_TMPFS_SIZE ((uint64_t)(SIZE_MAX >> 1))

#define OPT(n, i, na, an, g, h) { .name = n, .id = i, .n_args = na, .arg_names = an, .group = g, .help = h }
#define OPTM(n, i, na, an, g, h, m) \
	{ .name = n, .id = i, .n_args = na, .arg_names = an, .group = g, .help = h, .missing_args_message = m }

const OptionSpec option_table[] = {
	OPT("--help", OPT_HELP, 0, NULL, OPTION_GROUP_GENERAL, "Show this help and exit"),
	OPT("--version", OPT_VERSION, 0, NULL, OPTION_GROUP_GENERAL, "Show the version and exit"),
	OPT("--check", OPT_CHECK, 0, NULL, OPTION_GROUP_GENERAL,
	    "Report whether hutch can run here, and how to fix it; then exit"),
	OPT("--json", OPT_JSON, 0, NULL, OPTION_GROUP_GENERAL, "With --check: print the report as JSON"),
	OPT("--args", OPT_ARGS, 1, "FD", OPTION_GROUP_GENERAL, "Read more NUL-separated arguments from FD"),
	OPTM("--argv0", OPT_ARGV0, 1, "VALUE", OPTION_GROUP_GENERAL, "Run COMMAND with argv[0] set to VALUE",
	     "--argv0 takes one argument"),
	OPT("--level-prefix", OPT_LEVEL_PREFIX, 0, NULL, OPTION_GROUP_GENERAL,
	    "Start each diagnostic with its syslog level, e.g. <3>"),

	OPT("--unshare-all", OPT_UNSHARE_ALL, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "Unshare every namespace hutch supports (user and cgroup where possible)"),
	OPT("--share-net", OPT_SHARE_NET, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "Keep the host's network namespace (use after --unshare-all)"),
	OPT("--unshare-user", OPT_UNSHARE_USER, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "New user namespace (implied unless running as root)"),
	OPT("--unshare-user-try", OPT_UNSHARE_USER_TRY, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "New user namespace if the system allows one, else go on without"),
	OPT("--unshare-ipc", OPT_UNSHARE_IPC, 0, NULL, OPTION_GROUP_NAMESPACES, "New IPC namespace"),
	OPT("--unshare-pid", OPT_UNSHARE_PID, 0, NULL, OPTION_GROUP_NAMESPACES, "New PID namespace"),
	OPT("--unshare-net", OPT_UNSHARE_NET, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "New network namespace with only loopback, brought up"),
	OPT("--unshare-uts", OPT_UNSHARE_UTS, 0, NULL, OPTION_GROUP_NAMESPACES, "New UTS (hostname) namespace"),
	OPT("--unshare-cgroup", OPT_UNSHARE_CGROUP, 0, NULL, OPTION_GROUP_NAMESPACES, "New cgroup namespace"),
	OPT("--unshare-cgroup-try", OPT_UNSHARE_CGROUP_TRY, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "New cgroup namespace if the kernel has them, else go on without"),
	OPT("--userns", OPT_USERNS, 1, "FD", OPTION_GROUP_NAMESPACES,
	    "Join the user namespace FD instead of creating one"),
	OPT("--userns2", OPT_USERNS2, 1, "FD", OPTION_GROUP_NAMESPACES,
	    "Switch to the user namespace FD once setup is done (with --userns)"),
	OPT("--disable-userns", OPT_DISABLE_USERNS, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "Forbid creating further user namespaces inside the sandbox"),
	OPT("--assert-userns-disabled", OPT_ASSERT_USERNS_DISABLED, 0, NULL, OPTION_GROUP_NAMESPACES,
	    "Fail unless creating user namespaces inside is already forbidden"),
	OPT("--pidns", OPT_PIDNS, 1, "FD", OPTION_GROUP_NAMESPACES,
	    "Join the PID namespace FD (the parent of a new one with --unshare-pid)"),

	OPT("--uid", OPT_UID, 1, "UID", OPTION_GROUP_IDENTITY, "Your uid inside the sandbox (needs a user namespace)"),
	OPT("--gid", OPT_GID, 1, "GID", OPTION_GROUP_IDENTITY, "Your gid inside the sandbox (needs a user namespace)"),
	OPT("--map-auto", OPT_MAP_AUTO, 0, NULL, OPTION_GROUP_IDENTITY,
	    "Map sandbox ids 0-65535 too, from your ranges in /etc/subuid and /etc/subgid"),
	OPT("--map-uid", OPT_MAP_UID, 3, "INSIDE OUTSIDE COUNT", OPTION_GROUP_IDENTITY,
	    "Map COUNT host uids from OUTSIDE on sandbox uids from INSIDE (repeatable)"),
	OPT("--map-gid", OPT_MAP_GID, 3, "INSIDE OUTSIDE COUNT", OPTION_GROUP_IDENTITY,
	    "Map COUNT host gids from OUTSIDE on sandbox gids from INSIDE (repeatable)"),
	OPT("--hostname", OPT_HOSTNAME, 1, "NAME", OPTION_GROUP_IDENTITY,
	    "Hostname inside the sandbox (needs --unshare-uts)"),

	OPTM("--chdir", OPT_CHDIR, 1, "DIR", OPTION_GROUP_ENVIRONMENT, "Start COMMAND in DIR",
	     "--chdir takes one argument"),
	OPT("--clearenv", OPT_CLEARENV, 0, NULL, OPTION_GROUP_ENVIRONMENT,
	    "Start from an empty environment (PWD is still set)"),
	OPT("--setenv", OPT_SETENV, 2, "VAR VALUE", OPTION_GROUP_ENVIRONMENT, "Set VAR to VALUE"),
	OPT("--unsetenv", OPT_UNSETENV, 1, "VAR", OPTION_GROUP_ENVIRONMENT, "Remove VAR from the environment"),

	OPT("--bind", OPT_BIND, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM, "Bind the host path SRC on DEST, writable"),
	OPT("--bind-try", OPT_BIND_TRY, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM, "Like --bind; skipped if SRC is missing"),
	OPT("--dev-bind", OPT_DEV_BIND, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM,
	    "Like --bind, and device nodes under it work"),
	OPT("--dev-bind-try", OPT_DEV_BIND_TRY, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM,
	    "Like --dev-bind; skipped if SRC is missing"),
	OPT("--ro-bind", OPT_RO_BIND, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM,
	    "Bind the host path SRC on DEST, read-only with every submount"),
	OPT("--ro-bind-try", OPT_RO_BIND_TRY, 2, "SRC DEST", OPTION_GROUP_FILESYSTEM,
	    "Like --ro-bind; skipped if SRC is missing"),
	OPT("--bind-fd", OPT_BIND_FD, 2, "FD DEST", OPTION_GROUP_FILESYSTEM, "Bind the open directory or O_PATH fd FD on DEST"),
	/* bwrap reports a missing argument of either spelling as --bind-fd. */
	OPTM("--ro-bind-fd", OPT_RO_BIND_FD, 2, "FD DEST", OPTION_GROUP_FILESYSTEM, "Like --bind-fd, read-only",
	     "--bind-fd takes two arguments"),
	OPTM("--remount-ro", OPT_REMOUNT_RO, 1, "DEST", OPTION_GROUP_FILESYSTEM,
	     "Make the mount at DEST read-only (not its submounts)", "--remount-ro takes one argument"),
	OPT("--overlay-src", OPT_OVERLAY_SRC, 1, "SRC", OPTION_GROUP_FILESYSTEM,
	    "Add the host path SRC as a lower layer of the next overlay"),
	OPTM("--overlay", OPT_OVERLAY, 3, "RWSRC WORKDIR DEST", OPTION_GROUP_FILESYSTEM,
	     "Overlay on DEST; writes go to RWSRC, WORKDIR is overlayfs' scratch space",
	     "--overlay takes three arguments"),
	OPT("--tmp-overlay", OPT_TMP_OVERLAY, 1, "DEST", OPTION_GROUP_FILESYSTEM,
	    "Overlay on DEST; writes go to a hidden tmpfs and vanish"),
	OPT("--ro-overlay", OPT_RO_OVERLAY, 1, "DEST", OPTION_GROUP_FILESYSTEM, "Read-only overlay on DEST"),
	OPT("--proc", OPT_PROC, 1, "DEST", OPTION_GROUP_FILESYSTEM, "Mount a new procfs on DEST"),
	OPT("--dev", OPT_DEV, 1, "DEST", OPTION_GROUP_FILESYSTEM,
	    "Mount a minimal /dev (null, zero, full, random, urandom, tty, pts, shm) on DEST"),
	OPT("--tmpfs", OPT_TMPFS, 1, "DEST", OPTION_GROUP_FILESYSTEM, "Mount a new tmpfs on DEST"),
	OPT("--mqueue", OPT_MQUEUE, 1, "DEST", OPTION_GROUP_FILESYSTEM, "Mount a new mqueue filesystem on DEST"),
	OPT("--dir", OPT_DIR, 1, "DEST", OPTION_GROUP_FILESYSTEM, "Create the directory DEST"),
	OPT("--file", OPT_FILE, 2, "FD DEST", OPTION_GROUP_FILESYSTEM, "Create DEST with the contents read from FD"),
	OPT("--bind-data", OPT_BIND_DATA, 2, "FD DEST", OPTION_GROUP_FILESYSTEM,
	    "Bind a file holding the contents read from FD on DEST"),
	OPT("--ro-bind-data", OPT_RO_BIND_DATA, 2, "FD DEST", OPTION_GROUP_FILESYSTEM,
	    "Like --bind-data, read-only"),
	OPT("--symlink", OPT_SYMLINK, 2, "TARGET DEST", OPTION_GROUP_FILESYSTEM, "Create DEST as a symlink to TARGET"),
	OPT("--chmod", OPT_CHMOD, 2, "OCTAL PATH", OPTION_GROUP_FILESYSTEM, "Set the mode of the existing PATH"),
	OPT("--perms", OPT_PERMS, 1, "OCTAL", OPTION_GROUP_FILESYSTEM,
	    "Mode for the next --dir, --file, --tmpfs, --bind-data or --ro-bind-data"),
	OPT("--size", OPT_SIZE, 1, "BYTES", OPTION_GROUP_FILESYSTEM, "Size limit of the next --tmpfs"),
	OPT("--lock-file", OPT_LOCK_FILE, 1, "DEST", OPTION_GROUP_FILESYSTEM,
	    "Hold a lock on DEST for as long as the sandbox runs"),

	OPT("--seccomp", OPT_SECCOMP, 1, "FD", OPTION_GROUP_SECURITY,
	    "Apply the compiled seccomp program read from FD (once)"),
	OPT("--add-seccomp-fd", OPT_ADD_SECCOMP_FD, 1, "FD", OPTION_GROUP_SECURITY,
	    "Apply another compiled seccomp program read from FD"),
	OPT("--seccomp-policy", OPT_SECCOMP_POLICY, 1, "FILE", OPTION_GROUP_SECURITY,
	    "Apply the seccomp policy written in FILE (see SECCOMP POLICIES in hutch(1))"),
	OPT("--seccomp-preset", OPT_SECCOMP_PRESET, 1, "PRESET", OPTION_GROUP_SECURITY,
	    "Apply a seccomp policy shipped with hutch: desktop or build"),
	OPT("--seccomp-export", OPT_SECCOMP_EXPORT, 1, "POLICY", OPTION_GROUP_SECURITY,
	    "Write the compiled program of POLICY (a file or preset:NAME) to stdout and exit"),
	OPT("--cap-add", OPT_CAP_ADD, 1, "CAP", OPTION_GROUP_SECURITY, "Keep capability CAP (or ALL) in the sandbox"),
	OPT("--cap-drop", OPT_CAP_DROP, 1, "CAP", OPTION_GROUP_SECURITY, "Do not keep capability CAP (or ALL)"),
	OPT("--exec-label", OPT_EXEC_LABEL, 1, "LABEL", OPTION_GROUP_SECURITY, "SELinux label COMMAND runs with"),
	OPT("--file-label", OPT_FILE_LABEL, 1, "LABEL", OPTION_GROUP_SECURITY,
	    "SELinux label of files hutch creates in the sandbox"),

	OPT("--sync-fd", OPT_SYNC_FD, 1, "FD", OPTION_GROUP_STATUS, "Keep FD open for as long as the sandbox runs"),
	OPT("--block-fd", OPT_BLOCK_FD, 1, "FD", OPTION_GROUP_STATUS,
	    "Wait until FD is readable (or closed) before running COMMAND"),
	OPT("--userns-block-fd", OPT_USERNS_BLOCK_FD, 1, "FD", OPTION_GROUP_STATUS,
	    "Wait on FD before writing the id maps, so another program may"),
	OPT("--info-fd", OPT_INFO_FD, 1, "FD", OPTION_GROUP_STATUS,
	    "Write the sandbox's pid and namespaces to FD as JSON"),
	OPT("--json-status-fd", OPT_JSON_STATUS_FD, 1, "FD", OPTION_GROUP_STATUS,
	    "Write start and exit status to FD as JSON lines"),

	OPT("--new-session", OPT_NEW_SESSION, 0, NULL, OPTION_GROUP_PROCESS,
	    "Run COMMAND in a new session (no terminal injection)"),
	OPT("--die-with-parent", OPT_DIE_WITH_PARENT, 0, NULL, OPTION_GROUP_PROCESS,
	    "Kill the sandbox when hutch or its parent dies"),
	OPT("--as-pid-1", OPT_AS_PID_1, 0, NULL, OPTION_GROUP_PROCESS,
	    "Run COMMAND as pid 1 of the new PID namespace (no reaper)"),
	OPT("--no-forward-signals", OPT_NO_FORWARD_SIGNALS, 0, NULL, OPTION_GROUP_PROCESS,
	    "Do not pass signals sent to hutch on to COMMAND (as bwrap)"),
	OPT("--kill-on-exit", OPT_KILL_ON_EXIT, 0, NULL, OPTION_GROUP_PROCESS,
	    "When COMMAND exits, kill every other process in the sandbox"),
	OPT("--rlimit", OPT_RLIMIT, 1, "LIMIT", OPTION_GROUP_PROCESS,
	    "Resource limit for COMMAND: NAME=SOFT[:HARD], NAME as in prlimit(1)"),
	OPT("--timeout", OPT_TIMEOUT, 1, "SECONDS", OPTION_GROUP_PROCESS,
	    "End the sandbox after SECONDS (SIGTERM, later SIGKILL); exit 124"),
	OPT("--timeout-kill-after", OPT_TIMEOUT_KILL_AFTER, 1, "SECONDS", OPTION_GROUP_PROCESS,
	    "Seconds from --timeout's SIGTERM to SIGKILL (default 5)"),
};

const size_t option_table_size = N_ELEMENTS(option_table);

/* Options that bwrap accepts more than once but only honours the last
 * of, saying so with a warning. */
static bool option_warns_when_repeated(OptionId id)
{
	static const OptionId warned[] = {
		OPT_CHDIR, OPT_HOSTNAME, OPT_SYNC_FD, OPT_BLOCK_FD, OPT_USERNS_BLOCK_FD, OPT_INFO_FD,
		OPT_JSON_STATUS_FD, OPT_USERNS, OPT_USERNS2, OPT_PIDNS, OPT_SECCOMP, OPT_UID, OPT_GID,
		OPT_EXEC_LABEL, OPT_FILE_LABEL, OPT_TIMEOUT, OPT_TIMEOUT_KILL_AFTER,
	};

	for (size_t i = 0; i < N_ELEMENTS(warned); i++)
		if (warned[i] == id)
			return true;
	return false;
}

const OptionSpec *option_lookup(const char *name)
{
	for (size_t i = 0; i < option_table_size; i++)
		if (strcmp(option_table[i].name, name) == 0)
			return &option_table[i];
	return NULL;
}

typedef struct {
	Plan *plan;
	size_t total_words;    /* every word seen, for the PLAN_MAX_ARGS bound */
	int pending_perms;     /* from --perms, PLAN_PERMS_UNSET when none */
	uint64_t pending_size; /* from --size, 0 when none */
	size_t pending_overlay_srcs; /* --overlay-src not yet taken by an overlay */
	bool seen[OPT_COUNT];
	/* The command found inside --args data, used only when the real
	 * command line names none (bwrap would print usage there). */
	char **data_command;
	size_t n_data_command;
} Parser;

static int parse_list(Parser *p, char **words, size_t n_words, bool is_args_data, size_t *stop);

static int parse_fd_arg(const char *s, int *fd)
{
	if (parse_fd_number(s, fd) < 0)
		return log_error("Invalid fd: %s", s);
	return 0;
}

/* Parses an fd argument that hutch itself consumes (reads, writes or
 * waits on), remembering it so the child closes it before exec. */
static int parse_consumed_fd(Parser *p, const char *s, int *fd)
{
	int r = parse_fd_arg(s, fd);

	if (r < 0)
		return r;
	if (plan_add_consumed_fd(p->plan, *fd) < 0)
		return log_error_errno(ENOMEM, "Out of memory");
	return 0;
}

static PlanOp *add_op(Parser *p, PlanOpKind kind, const char *option)
{
	PlanOp *op = plan_add_op(p->plan, kind, option);

	if (!op)
		log_error_errno(ENOMEM, "Out of memory");
	return op;
}

static bool cap_spelling_is_exact(const char *value, cap_value_t cap)
{
	char *name = cap_to_name(cap);
	bool exact;
	char number[16];

	exact = name && strcasecmp(name, value) == 0;
	cap_free(name);
	snprintf(number, sizeof number, "%d", (int)cap);
	return exact || strcmp(number, value) == 0;
}

static int parse_cap(Parser *p, const char *value, bool add)
{
	PlanCapOp *op = plan_add_cap_op(p->plan);
	cap_value_t cap;

	if (!op)
		return log_error_errno(ENOMEM, "Out of memory");
	op->add = add;
	if (strcasecmp(value, "ALL") == 0) {
		op->all = true;
		return 0;
	}
	/* cap_from_name() takes names in any case, and numbers (as bwrap).
	 * It also stops at the first character that is not part of a name,
	 * so "CAP_SYS_ADMIN,CAP_NET_RAW" or "cap_kill " would quietly mean
	 * one capability: only a whole name or a plain decimal is taken. */
	if (cap_from_name(value, &cap) < 0 || !cap_spelling_is_exact(value, cap))
		return log_error("unknown cap: %s", value);
	op->cap = (int)cap;
	return 0;
}

/* --args FD: the words read from FD are parsed as options in place of
 * `--args FD`, each option complete within the data (as in bwrap). */
static int parse_args_fd(Parser *p, const char *fd_arg, bool is_args_data)
{
	_cleanup_free_ char *data = NULL;
	char **data_words = NULL;
	size_t n_data = 0, len = 0, stop = 0;
	int fd, r;

	/* One level only, as in bwrap: data that names further fds could
	 * otherwise recurse without bound. */
	if (is_args_data)
		return log_error("--args not supported in arguments file");
	/* Consumed: read here, and never seen by the payload. */
	r = parse_consumed_fd(p, fd_arg, &fd);
	if (r < 0)
		return r;
	r = args_fd_read(fd, &data, &len);
	if (r == -E2BIG)
		return log_error("Can't read --args data: more than %u MiB", ARGS_FD_MAX_BYTES >> 20);
	if (r < 0)
		return log_error_errno(r, "Can't read --args data");
	r = args_fd_split(data, len, &data_words, &n_data);
	if (r < 0)
		return log_error_errno(r, "Can't read --args data");
	/* The plan's strings may point into both buffers from now on. */
	if (plan_own_buffer(p->plan, (char *)data_words) < 0) {
		free(data_words);
		return log_error_errno(ENOMEM, "Out of memory");
	}
	if (plan_own_buffer(p->plan, data) < 0)
		return log_error_errno(ENOMEM, "Out of memory");
	data = NULL;

	p->total_words += n_data;
	if (p->total_words > PLAN_MAX_ARGS)
		return log_error("Exceeded maximum number of arguments %u", PLAN_MAX_ARGS);

	r = parse_list(p, data_words, n_data, true, &stop);
	if (r < 0)
		return r;
	if (stop < n_data && !p->data_command) {
		p->data_command = data_words + stop;
		p->n_data_command = n_data - stop;
	}
	return 0;
}

/* --map-uid/--map-gid INSIDE OUTSIDE COUNT. Overlaps and overflow are
 * validate.c's; here each number on its own, and the kernel's line limit
 * (which also bounds what a command line can make hutch allocate). */
static int parse_map_line(Parser *p, const char *option, char **a, bool gid)
{
	size_t n = gid ? p->plan->n_map_gid_lines : p->plan->n_map_uid_lines;
	uint32_t inside, outside;
	uint64_t count;
	IdMapLine *line;

	if (parse_id(a[0], &inside) < 0)
		return log_error("%s: invalid INSIDE id: %s", option, a[0]);
	if (parse_id(a[1], &outside) < 0)
		return log_error("%s: invalid OUTSIDE id: %s", option, a[1]);
	if (parse_u64(a[2], 10, &count) < 0 || count > UINT32_MAX)
		return log_error("%s: invalid COUNT: %s", option, a[2]);
	if (count == 0)
		return log_error("%s %s %s %s: COUNT must be at least 1", option, a[0], a[1], a[2]);
	if (n >= SUBID_MAX_MAP_LINES)
		return log_error("%s given more than %d times: the kernel takes at most %d lines in a map", option,
				 SUBID_MAX_MAP_LINES, SUBID_MAX_MAP_LINES);
	line = plan_add_map_line(p->plan, gid);
	if (!line)
		return log_error_errno(ENOMEM, "Out of memory");
	*line = (IdMapLine){ .inside = inside, .outside = outside, .count = (uint32_t)count };
	return 0;
}

static int handle_option(Parser *p, const OptionSpec *spec, char **a, bool is_args_data)
{
	Plan *plan = p->plan;
	PlanOp *op;
	PlanEnvOp *env;
	int r, fd;

	switch (spec->id) {
	case OPT_HELP:
		plan->show_help = true;
		return 0;
	case OPT_VERSION:
		plan->show_version = true;
		return 0;
	case OPT_CHECK:
		plan->check = true;
		return 0;
	case OPT_JSON:
		plan->check_json = true;
		return 0;
	case OPT_ARGS:
		return parse_args_fd(p, a[0], is_args_data);
	case OPT_ARGV0:
		if (plan->argv0)
			return log_error("--argv0 used multiple times");
		plan->argv0 = a[0];
		return 0;
	case OPT_LEVEL_PREFIX:
		plan->level_prefix = true;
		/* Takes effect for the rest of parsing too, as users expect
		 * every later message to carry the prefix. */
		log_set_level_prefix(true);
		return 0;
	case OPT_UNSHARE_ALL:
		plan->unshare_user_try = plan->unshare_ipc = plan->unshare_pid = true;
		plan->unshare_net = plan->unshare_uts = plan->unshare_cgroup_try = true;
		plan->share_net = false;
		return 0;
	case OPT_SHARE_NET:
		plan->share_net = true;
		plan->unshare_net = false;
		return 0;
	case OPT_UNSHARE_USER: plan->unshare_user = true; return 0;
	case OPT_UNSHARE_USER_TRY: plan->unshare_user_try = true; return 0;
	case OPT_UNSHARE_IPC: plan->unshare_ipc = true; return 0;
	case OPT_UNSHARE_PID: plan->unshare_pid = true; return 0;
	case OPT_UNSHARE_NET: plan->unshare_net = true; return 0;
	case OPT_UNSHARE_UTS: plan->unshare_uts = true; return 0;
	case OPT_UNSHARE_CGROUP: plan->unshare_cgroup = true; return 0;
	case OPT_UNSHARE_CGROUP_TRY: plan->unshare_cgroup_try = true; return 0;
	case OPT_DISABLE_USERNS: plan->disable_userns = true; return 0;
	case OPT_ASSERT_USERNS_DISABLED: plan->assert_userns_disabled = true; return 0;
	case OPT_USERNS:
		return parse_consumed_fd(p, a[0], &plan->userns_fd);
	case OPT_USERNS2:
		return parse_consumed_fd(p, a[0], &plan->userns2_fd);
	case OPT_PIDNS:
		return parse_consumed_fd(p, a[0], &plan->pidns_fd);
	case OPT_UID:
		if (parse_id(a[0], &plan->sandbox_uid) < 0)
			return log_error("Invalid uid: %s", a[0]);
		plan->uid_set = true;
		return 0;
	case OPT_GID:
		if (parse_id(a[0], &plan->sandbox_gid) < 0)
			return log_error("Invalid gid: %s", a[0]);
		plan->gid_set = true;
		return 0;
	case OPT_MAP_AUTO:
		plan->map_auto = true;
		return 0;
	case OPT_MAP_UID:
	case OPT_MAP_GID:
		return parse_map_line(p, spec->name, a, spec->id == OPT_MAP_GID);
	case OPT_HOSTNAME:
		plan->hostname = a[0];
		return 0;
	case OPT_CHDIR:
		plan->chdir_path = a[0];
		return 0;
	case OPT_CLEARENV:
	case OPT_SETENV:
	case OPT_UNSETENV:
		env = plan_add_env_op(plan, spec->id == OPT_CLEARENV ? PLAN_ENV_CLEAR
					    : spec->id == OPT_SETENV ? PLAN_ENV_SET : PLAN_ENV_UNSET);
		if (!env)
			return log_error_errno(ENOMEM, "Out of memory");
		if (spec->id != OPT_CLEARENV)
			env->name = a[0];
		if (spec->id == OPT_SETENV)
			env->value = a[1];
		return 0;
	case OPT_LOCK_FILE:
		if (plan_add_lock_file(plan, a[0]) < 0)
			return log_error_errno(ENOMEM, "Out of memory");
		return 0;
	case OPT_SYNC_FD:
		return parse_consumed_fd(p, a[0], &plan->sync_fd);
	case OPT_BIND: case OPT_BIND_TRY:
	case OPT_DEV_BIND: case OPT_DEV_BIND_TRY:
	case OPT_RO_BIND: case OPT_RO_BIND_TRY:
		op = add_op(p, (spec->id == OPT_BIND || spec->id == OPT_BIND_TRY) ? PLAN_OP_BIND
			       : (spec->id == OPT_DEV_BIND || spec->id == OPT_DEV_BIND_TRY) ? PLAN_OP_DEV_BIND
			       : PLAN_OP_RO_BIND, spec->name);
		if (!op)
			return -ENOMEM;
		if (spec->id == OPT_BIND_TRY || spec->id == OPT_DEV_BIND_TRY || spec->id == OPT_RO_BIND_TRY)
			op->flags |= PLAN_OP_ALLOW_MISSING;
		op->source = a[0];
		op->dest = a[1];
		return 0;
	case OPT_BIND_FD:
	case OPT_RO_BIND_FD:
		r = parse_consumed_fd(p, a[0], &fd);
		if (r < 0)
			return r;
		op = add_op(p, spec->id == OPT_BIND_FD ? PLAN_OP_BIND_FD : PLAN_OP_RO_BIND_FD, spec->name);
		if (!op)
			return -ENOMEM;
		op->fd = fd;
		op->dest = a[1];
		return 0;
	case OPT_TMP_OVERLAY:
	case OPT_RO_OVERLAY:
		/* A read-only overlay of a single layer would be a plain
		 * read-only bind; bwrap asks for two. */
		if (spec->id == OPT_TMP_OVERLAY && p->pending_overlay_srcs < 1)
			return log_error("--tmp-overlay requires at least one --overlay-src");
		if (spec->id == OPT_RO_OVERLAY && p->pending_overlay_srcs < 2)
			return log_error("--ro-overlay requires at least two --overlay-src");
		p->pending_overlay_srcs = 0;
		/* fall through */
	case OPT_REMOUNT_RO:
	case OPT_PROC:
	case OPT_DEV:
	case OPT_TMPFS:
	case OPT_MQUEUE:
	case OPT_DIR:
		op = add_op(p, spec->id == OPT_REMOUNT_RO ? PLAN_OP_REMOUNT_RO
			       : spec->id == OPT_TMP_OVERLAY ? PLAN_OP_TMP_OVERLAY
			       : spec->id == OPT_RO_OVERLAY ? PLAN_OP_RO_OVERLAY
			       : spec->id == OPT_PROC ? PLAN_OP_PROC
			       : spec->id == OPT_DEV ? PLAN_OP_DEV
			       : spec->id == OPT_TMPFS ? PLAN_OP_TMPFS
			       : spec->id == OPT_MQUEUE ? PLAN_OP_MQUEUE : PLAN_OP_DIR, spec->name);
		if (!op)
			return -ENOMEM;
		op->dest = a[0];
		return 0;
	case OPT_OVERLAY_SRC:
		op = add_op(p, PLAN_OP_OVERLAY_SRC, spec->name);
		if (!op)
			return -ENOMEM;
		op->source = a[0];
		p->pending_overlay_srcs++;
		return 0;
	case OPT_OVERLAY:
		if (p->pending_overlay_srcs < 1)
			return log_error("--overlay requires at least one --overlay-src");
		p->pending_overlay_srcs = 0;
		op = add_op(p, PLAN_OP_OVERLAY, spec->name);
		if (!op)
			return -ENOMEM;
		op->overlay_upper = a[0];
		op->overlay_work = a[1];
		op->dest = a[2];
		return 0;
	case OPT_EXEC_LABEL:
		plan->exec_label = a[0];
		return 0;
	case OPT_FILE_LABEL:
		plan->file_label = a[0];
		return 0;
	case OPT_FILE:
	case OPT_BIND_DATA:
	case OPT_RO_BIND_DATA:
		r = parse_consumed_fd(p, a[0], &fd);
		if (r < 0)
			return r;
		op = add_op(p, spec->id == OPT_FILE ? PLAN_OP_FILE
			       : spec->id == OPT_BIND_DATA ? PLAN_OP_BIND_DATA : PLAN_OP_RO_BIND_DATA, spec->name);
		if (!op)
			return -ENOMEM;
		op->fd = fd;
		op->dest = a[1];
		return 0;
	case OPT_SYMLINK:
		op = add_op(p, PLAN_OP_SYMLINK, spec->name);
		if (!op)
			return -ENOMEM;
		op->source = a[0];
		op->dest = a[1];
		return 0;
	case OPT_CHMOD: {
		unsigned mode;

		if (parse_octal_mode(a[0], &mode) < 0)
			return log_error("--chmod takes an octal argument <= 07777");
		op = add_op(p, PLAN_OP_CHMOD, spec->name);
		if (!op)
			return -ENOMEM;
		op->perms = (int)mode;
		op->dest = a[1];
		return 0;
	}
	case OPT_SECCOMP:
		for (size_t i = 0; i < plan->n_seccomp; i++)
			if (plan->seccomp[i].kind == PLAN_SECCOMP_ADD_FD)
				return log_error("--seccomp cannot be combined with --add-seccomp-fd");
		r = parse_consumed_fd(p, a[0], &fd);
		if (r < 0)
			return r;
		/* Only the last --seccomp counts (bwrap warns about it). */
		for (size_t i = 0; i < plan->n_seccomp; i++)
			if (plan->seccomp[i].kind == PLAN_SECCOMP_FD) {
				plan->seccomp[i].fd = fd;
				return 0;
			}
		return plan_add_seccomp(plan, PLAN_SECCOMP_FD, fd) ? 0 : log_error_errno(ENOMEM, "Out of memory");
	case OPT_ADD_SECCOMP_FD:
		for (size_t i = 0; i < plan->n_seccomp; i++)
			if (plan->seccomp[i].kind == PLAN_SECCOMP_FD)
				return log_error("--add-seccomp-fd cannot be combined with --seccomp");
		r = parse_consumed_fd(p, a[0], &fd);
		if (r < 0)
			return r;
		return plan_add_seccomp(plan, PLAN_SECCOMP_ADD_FD, fd) ? 0 : log_error_errno(ENOMEM, "Out of memory");
	case OPT_SECCOMP_POLICY:
	case OPT_SECCOMP_PRESET: {
		/* Compiled before clone, in command-line order with the fds
		 * (seccomp-fd.c); a bad file or name fails before anything runs. */
		PlanSeccomp *s;

		if (!*a[0])
			return log_error("%s takes a non-empty argument", spec->name);
		s = plan_add_seccomp(plan, spec->id == OPT_SECCOMP_POLICY ? PLAN_SECCOMP_POLICY : PLAN_SECCOMP_PRESET, -1);
		if (!s)
			return log_error_errno(ENOMEM, "Out of memory");
		s->source = a[0];
		return 0;
	}
	case OPT_SECCOMP_EXPORT:
		if (!*a[0])
			return log_error("--seccomp-export takes a non-empty argument");
		plan->seccomp_export = a[0];
		return 0;
	case OPT_BLOCK_FD:
		return parse_consumed_fd(p, a[0], &plan->block_fd);
	case OPT_USERNS_BLOCK_FD:
		return parse_consumed_fd(p, a[0], &plan->userns_block_fd);
	case OPT_INFO_FD:
		return parse_consumed_fd(p, a[0], &plan->info_fd);
	case OPT_JSON_STATUS_FD:
		return parse_consumed_fd(p, a[0], &plan->json_status_fd);
	case OPT_NEW_SESSION: plan->new_session = true; return 0;
	case OPT_DIE_WITH_PARENT: plan->die_with_parent = true; return 0;
	case OPT_AS_PID_1: plan->as_pid_1 = true; return 0;
	case OPT_NO_FORWARD_SIGNALS: plan->no_forward_signals = true; return 0;
	case OPT_KILL_ON_EXIT: plan->kill_on_exit = true; return 0;
	case OPT_RLIMIT:
		return rlimit_parse_into(plan, a[0]);
	case OPT_TIMEOUT:
	case OPT_TIMEOUT_KILL_AFTER: {
		uint64_t ms;

		r = parse_duration_ms(a[0], &ms);
		if (r == -ERANGE)
			return log_error("%s: %s is too long (at most 366 days)", spec->name, a[0]);
		if (r < 0)
			return log_error("%s takes a number of seconds (like 10, 1.5 or 2m), not \"%s\"", spec->name, a[0]);
		if (spec->id == OPT_TIMEOUT) {
			/* 0 turns it off, as for timeout(1). */
			plan->timeout_ms = ms;
		} else {
			plan->timeout_kill_after_ms = ms;
			plan->timeout_kill_after_set = true;
		}
		return 0;
	}
	case OPT_CAP_ADD:
		return parse_cap(p, a[0], true);
	case OPT_CAP_DROP:
		return parse_cap(p, a[0], false);
	case OPT_PERMS: {
		unsigned mode;

		if (p->pending_perms != PLAN_PERMS_UNSET)
			return log_error("--perms given twice for the same action");
		if (parse_octal_mode(a[0], &mode) < 0)
			return log_error("--perms takes an octal argument <= 07777");
		p->pending_perms = (int)mode;
		return 0;
	}
	case OPT_SIZE: {
		uint64_t size;

		if (p->pending_size != 0)
			return log_error("--size given twice for the same action");
		if (parse_u64(a[0], 0, &size) < 0 || size == 0)
			return log_error("--size takes a non-zero number of bytes");
		if (size > OPTIONS_MAX_TMPFS_SIZE)
			return log_error("--size (for tmpfs) is limited to %" PRIu64, OPTIONS_MAX_TMPFS_SIZE);
		p->pending_size = size;
		return 0;
	}
	case OPT_COUNT:
	default:
		break;
	}
	return log_error("Unknown option %s", spec->name);
}

static bool op_takes_perms(PlanOpKind kind)
{
	return kind == PLAN_OP_TMPFS || kind == PLAN_OP_DIR || kind == PLAN_OP_FILE ||
	       kind == PLAN_OP_BIND_DATA || kind == PLAN_OP_RO_BIND_DATA;
}

#define OVERLAY_SRC_DANGLING \
	"--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay"

/* --perms and --size modify the op created by the very next option, and
 * --overlay-src feeds the next overlay; any other option in between is
 * an error, as in bwrap. */
static int apply_pending_modifiers(Parser *p, const OptionSpec *spec, size_t n_ops_before)
{
	PlanOp *op = p->plan->n_ops > n_ops_before ? &p->plan->ops[p->plan->n_ops - 1] : NULL;

	if (spec->id != OPT_OVERLAY_SRC && p->pending_overlay_srcs > 0)
		return log_error(OVERLAY_SRC_DANGLING);
	if (spec->id == OPT_PERMS || spec->id == OPT_SIZE)
		return 0;
	if (p->pending_perms != PLAN_PERMS_UNSET) {
		if (!op || !op_takes_perms(op->kind))
			return log_error("--perms must be followed by an option that creates a file");
		op->perms = p->pending_perms;
		p->pending_perms = PLAN_PERMS_UNSET;
	}
	if (p->pending_size != 0) {
		if (!op || op->kind != PLAN_OP_TMPFS)
			return log_error("--size must be followed by --tmpfs");
		op->size = p->pending_size;
		p->pending_size = 0;
	}
	return 0;
}

/* Parses options from words[0..n_words) until the first non-option word
 * or `--` (consumed); *stop is the index where the command starts. */
static int parse_list(Parser *p, char **words, size_t n_words, bool is_args_data, size_t *stop)
{
	Plan *plan = p->plan;
	size_t pos = 0;

	while (pos < n_words) {
		const char *word = words[pos];
		const OptionSpec *spec;
		size_t n_ops_before;
		int r;

		if (strcmp(word, "--") == 0) {
			pos++;
			break;
		}
		if (word[0] != '-')
			break;
		spec = option_lookup(word);
		if (!spec)
			return log_error("Unknown option %s", word);
		pos++;
		if (n_words - pos < spec->n_args) {
			if (spec->missing_args_message)
				return log_error("%s", spec->missing_args_message);
			return log_error(spec->n_args == 1 ? "%s takes an argument"
					 : spec->n_args == 2 ? "%s takes two arguments"
							      : "%s takes three arguments", spec->name);
		}
		if (option_warns_when_repeated(spec->id) && p->seen[spec->id])
			log_warning("Only the last %s option will take effect", spec->name);
		p->seen[spec->id] = true;

		n_ops_before = plan->n_ops;
		r = handle_option(p, spec, words + pos, is_args_data);
		pos += spec->n_args;
		if (r < 0)
			return r;
		if (plan->show_help || plan->show_version || plan->seccomp_export) {
			*stop = n_words;
			return 0;
		}
		/* Ops made inside --args data had their own turn to take a
		 * pending --perms/--size; --args itself makes none. */
		if (spec->id == OPT_ARGS)
			n_ops_before = plan->n_ops;
		r = apply_pending_modifiers(p, spec, n_ops_before);
		if (r < 0)
			return r;
	}
	*stop = pos;
	return 0;
}

/* --check reports on the machine and runs nothing, so an option that
 * describes a sandbox next to it is a mistake worth saying. */
static int check_request_validate(const Parser *p, size_t n_command)
{
	if (!p->plan->check)
		return log_error("--json is only valid together with --check");
	for (size_t i = 0; i < option_table_size; i++) {
		OptionId id = option_table[i].id;

		if (p->seen[id] && id != OPT_CHECK && id != OPT_JSON)
			return log_error("--check takes no other option than --json, not %s", option_table[i].name);
	}
	if (n_command > 0)
		return log_error("--check runs no command (got %s)", p->plan->command[0]);
	return 0;
}

int options_parse(Plan *plan, int argc, char **argv)
{
	Parser p = {
		.plan = plan,
		.pending_perms = PLAN_PERMS_UNSET,
	};
	char **words = argc > 0 ? argv + 1 : argv;
	size_t n_words = argc > 0 ? (size_t)argc - 1 : 0;
	char **rest;
	size_t n_rest, stop = 0;
	int r;

	p.total_words = n_words;
	if (p.total_words > PLAN_MAX_ARGS)
		return log_error("Exceeded maximum number of arguments %u", PLAN_MAX_ARGS);

	r = parse_list(&p, words, n_words, false, &stop);
	if (r < 0)
		return r;
	if (plan->show_help || plan->show_version || plan->seccomp_export)
		return 0;
	if (p.pending_overlay_srcs > 0)
		return log_error(OVERLAY_SRC_DANGLING);

	/* Whatever is left is the command; failing that, the one the --args
	 * data named. */
	n_rest = n_words - stop;
	if (n_rest == 0 && p.data_command) {
		words = p.data_command;
		stop = 0;
		n_rest = p.n_data_command;
	}
	rest = calloc(n_rest + 1, sizeof *rest);
	if (!rest)
		return log_error_errno(ENOMEM, "Out of memory");
	memcpy(rest, words + stop, n_rest * sizeof *rest);
	free(plan->command);
	plan->command = rest;
	plan->n_command = n_rest;
	if (plan->check || plan->check_json)
		return check_request_validate(&p, n_rest);
	return 0;
}
