/* plan.h — what the user asked for, as data.
 *
 * Owns: the Plan (namespaces, ids, ordered filesystem ops, environment
 * ops, capabilities, fds, argv) and its memory. The parser fills it, the
 * validator checks it, the launcher and the setup child read it.
 * Must not: perform any system call beyond free(); a Plan is pure data so
 * that it can be built and inspected by unit tests and fuzzers.
 *
 * Strings in a Plan point either into the process's argv or into buffers
 * the Plan owns (the contents of --args fds); both outlive the Plan's use.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* bwrap caps the total number of arguments, including those read
 * through --args, at 9000. */
#define PLAN_MAX_ARGS 9000

/* Filesystem operations, run in command-line order inside the new root. */
typedef enum {
	PLAN_OP_BIND,          /* --bind, --bind-try */
	PLAN_OP_RO_BIND,       /* --ro-bind, --ro-bind-try */
	PLAN_OP_DEV_BIND,      /* --dev-bind, --dev-bind-try */
	PLAN_OP_BIND_FD,       /* --bind-fd */
	PLAN_OP_RO_BIND_FD,    /* --ro-bind-fd */
	PLAN_OP_REMOUNT_RO,    /* --remount-ro */
	PLAN_OP_OVERLAY_SRC,   /* --overlay-src (collected by the next overlay op) */
	PLAN_OP_OVERLAY,       /* --overlay RWSRC WORKDIR DEST */
	PLAN_OP_TMP_OVERLAY,   /* --tmp-overlay */
	PLAN_OP_RO_OVERLAY,    /* --ro-overlay */
	PLAN_OP_PROC,          /* --proc */
	PLAN_OP_DEV,           /* --dev */
	PLAN_OP_TMPFS,         /* --tmpfs */
	PLAN_OP_MQUEUE,        /* --mqueue */
	PLAN_OP_DIR,           /* --dir */
	PLAN_OP_FILE,          /* --file FD DEST */
	PLAN_OP_BIND_DATA,     /* --bind-data FD DEST */
	PLAN_OP_RO_BIND_DATA,  /* --ro-bind-data FD DEST */
	PLAN_OP_SYMLINK,       /* --symlink TARGET DEST */
	PLAN_OP_CHMOD,         /* --chmod OCTAL PATH */
} PlanOpKind;

/* PlanOp.flags */
enum {
	PLAN_OP_ALLOW_MISSING = 1u << 0, /* the -try variants: skip when the source is missing */
};

#define PLAN_PERMS_UNSET (-1)

typedef struct {
	PlanOpKind kind;
	unsigned flags;
	const char *option;  /* the option as the user spelled it, for messages */
	/* Host path as given (bind/overlay sources), symlink target, or NULL. */
	const char *source;
	/* Path inside the sandbox; NULL for --overlay-src. */
	const char *dest;
	/* --overlay: the upper and work directories on the host. */
	const char *overlay_upper;
	const char *overlay_work;
	/* --file, --bind-data, --ro-bind-data, --bind-fd, --ro-bind-fd. -1 otherwise. */
	int fd;
	/* From a preceding --perms (or --chmod's own argument); PLAN_PERMS_UNSET if none. */
	int perms;
	/* From a preceding --size (tmpfs only); 0 if none. */
	uint64_t size;
} PlanOp;

typedef enum {
	PLAN_ENV_SET,
	PLAN_ENV_UNSET,
	PLAN_ENV_CLEAR,
} PlanEnvKind;

typedef struct {
	PlanEnvKind kind;
	const char *name;
	const char *value;
} PlanEnvOp;

/* Seccomp programs, applied last before exec in command-line order. */
typedef enum {
	PLAN_SECCOMP_FD,       /* --seccomp FD (at most one) */
	PLAN_SECCOMP_ADD_FD,   /* --add-seccomp-fd FD */
	PLAN_SECCOMP_POLICY,   /* --seccomp-policy FILE (compiled before clone) */
	PLAN_SECCOMP_PRESET,   /* --seccomp-preset NAME (compiled before clone) */
} PlanSeccompKind;

typedef struct {
	PlanSeccompKind kind;
	int fd;                /* the fd kinds; -1 otherwise */
	const char *source;    /* the policy file or preset name; NULL otherwise */
} PlanSeccomp;

/* --rlimit NAME=SOFT[:HARD], applied to the payload just before exec.
 * PLAN_RLIM_INFINITY stands for "unlimited". A side that was not given
 * (prlimit's "SOFT:" and ":HARD" forms) keeps the limit hutch has. */
#define PLAN_RLIM_INFINITY UINT64_MAX
#define PLAN_MAX_RLIMITS 16

typedef struct {
	int resource;         /* RLIMIT_* */
	const char *name;     /* "nofile", for messages */
	bool has_soft, has_hard;
	uint64_t soft, hard;
} PlanRlimit;

/* Capability edits, applied in order to an initially empty set. */
typedef struct {
	bool add;       /* --cap-add (true) or --cap-drop (false) */
	bool all;       /* the value was ALL */
	int cap;        /* CAP_* number when !all */
} PlanCapOp;

/* One line of a uid_map or gid_map: COUNT ids from OUTSIDE (host) on
 * INSIDE (sandbox). */
typedef struct {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
} IdMapLine;

typedef struct {
	/* Namespaces. */
	bool unshare_user;
	bool unshare_user_try;
	bool unshare_ipc;
	bool unshare_pid;
	bool unshare_net;
	bool unshare_uts;
	bool unshare_cgroup;
	bool unshare_cgroup_try;
	bool share_net;          /* --share-net after --unshare-all */
	bool disable_userns;
	bool assert_userns_disabled;
	int userns_fd;           /* --userns, -1 if unset */
	int userns2_fd;          /* --userns2, -1 if unset */
	int pidns_fd;            /* --pidns, -1 if unset */

	/* Ids inside the sandbox. */
	bool uid_set, gid_set;
	uint32_t sandbox_uid, sandbox_gid;
	/* --map-auto, --map-uid, --map-gid (in command-line order): maps of
	 * many ids, made by newuidmap/newgidmap (directly as root). */
	bool map_auto;
	IdMapLine *map_uid_lines, *map_gid_lines;
	size_t n_map_uid_lines, cap_map_uid_lines;
	size_t n_map_gid_lines, cap_map_gid_lines;

	const char *hostname;
	const char *chdir_path;
	const char *argv0;

	/* Filesystem operations in order. */
	PlanOp *ops;
	size_t n_ops, cap_ops;

	PlanEnvOp *env_ops;
	size_t n_env_ops, cap_env_ops;

	PlanCapOp *cap_ops_list;
	size_t n_cap_ops, cap_cap_ops;

	PlanSeccomp *seccomp;
	size_t n_seccomp, cap_seccomp;

	/* Process options. */
	bool new_session;
	bool die_with_parent;
	bool as_pid_1;
	bool level_prefix;
	/* Process control: signals, --kill-on-exit, --timeout, --rlimit. */
	bool no_forward_signals;
	bool kill_on_exit;
	uint64_t timeout_ms;            /* --timeout; 0: none */
	uint64_t timeout_kill_after_ms; /* --timeout-kill-after */
	bool timeout_kill_after_set;    /* else the default (5 s) */
	PlanRlimit rlimits[PLAN_MAX_RLIMITS]; /* one per resource, the last given wins */
	size_t n_rlimits;

	/* Status and synchronisation fds, -1 if unset. */
	int info_fd;
	int json_status_fd;
	int sync_fd;
	int block_fd;
	int userns_block_fd;
	/* --lock-file DEST, each held by pid 1 in command-line order. */
	const char **lock_files;
	size_t n_lock_files, cap_lock_files;

	const char *exec_label;
	const char *file_label;

	/* Every fd named on the command line that hutch consumes itself, so
	 * the child can close them before the payload runs. */
	int *consumed_fds;
	size_t n_consumed_fds, cap_consumed_fds;

	/* Buffers holding --args data; the strings above may point into them. */
	char **owned_buffers;
	size_t n_owned_buffers, cap_owned_buffers;

	/* The command: argv[0..argc-1], NULL-terminated. */
	char **command;
	size_t n_command;

	/* Set by --help/--version: print and exit 0 without running anything. */
	bool show_help;
	bool show_version;
	/* Set by --seccomp-export: write that policy's program to stdout and exit. */
	const char *seccomp_export;
	/* Set by --check (and --json): report on the machine (check.c), run
	 * nothing, exit 0 only when a default sandbox starts. */
	bool check;
	bool check_json;
} Plan;

void plan_init(Plan *plan);
void plan_free(Plan *plan);

/* Each append returns a pointer to the new zero-initialised element (with
 * fd/perms fields set to their "unset" values), or NULL on ENOMEM. */
PlanOp *plan_add_op(Plan *plan, PlanOpKind kind, const char *option);
PlanEnvOp *plan_add_env_op(Plan *plan, PlanEnvKind kind);
PlanCapOp *plan_add_cap_op(Plan *plan);
PlanSeccomp *plan_add_seccomp(Plan *plan, PlanSeccompKind kind, int fd);
int plan_add_consumed_fd(Plan *plan, int fd);
int plan_add_lock_file(Plan *plan, const char *path);
IdMapLine *plan_add_map_line(Plan *plan, bool gid);

/* Whether the sandbox gets maps of more than the caller's own ids. */
static inline bool plan_has_id_maps(const Plan *plan)
{
	return plan->map_auto || plan->n_map_uid_lines > 0 || plan->n_map_gid_lines > 0;
}
int plan_own_buffer(Plan *plan, char *buf);

const char *plan_op_kind_name(PlanOpKind kind);
