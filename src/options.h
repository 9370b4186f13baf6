/* options.h — the option table and the command-line parser.
 *
 * Owns: the single table of every option (name, argument names, help
 * text, group), from which the parser, --help, and the unit test that
 * checks the man page and completions are all driven; and parsing argv
 * (and --args data) into a Plan.
 * Must not: validate cross-option rules (validate.c), touch the system
 * beyond reading --args fds, or exit.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "plan.h"

typedef enum {
	OPTION_GROUP_GENERAL,
	OPTION_GROUP_NAMESPACES,
	OPTION_GROUP_IDENTITY,
	OPTION_GROUP_ENVIRONMENT,
	OPTION_GROUP_FILESYSTEM,
	OPTION_GROUP_SECURITY,
	OPTION_GROUP_STATUS,
	OPTION_GROUP_PROCESS,
	OPTION_GROUP_COUNT,
} OptionGroup;

typedef enum {
	OPT_HELP, OPT_VERSION, OPT_CHECK, OPT_JSON, OPT_ARGS, OPT_ARGV0, OPT_LEVEL_PREFIX,
	OPT_UNSHARE_ALL, OPT_SHARE_NET, OPT_UNSHARE_USER, OPT_UNSHARE_USER_TRY,
	OPT_UNSHARE_IPC, OPT_UNSHARE_PID, OPT_UNSHARE_NET, OPT_UNSHARE_UTS,
	OPT_UNSHARE_CGROUP, OPT_UNSHARE_CGROUP_TRY, OPT_USERNS, OPT_USERNS2,
	OPT_DISABLE_USERNS, OPT_ASSERT_USERNS_DISABLED, OPT_PIDNS,
	OPT_UID, OPT_GID, OPT_HOSTNAME,
	OPT_CHDIR, OPT_CLEARENV, OPT_SETENV, OPT_UNSETENV,
	OPT_LOCK_FILE, OPT_SYNC_FD,
	OPT_BIND, OPT_BIND_TRY, OPT_DEV_BIND, OPT_DEV_BIND_TRY, OPT_RO_BIND, OPT_RO_BIND_TRY,
	OPT_BIND_FD, OPT_RO_BIND_FD, OPT_REMOUNT_RO,
	OPT_OVERLAY_SRC, OPT_OVERLAY, OPT_TMP_OVERLAY, OPT_RO_OVERLAY,
	OPT_EXEC_LABEL, OPT_FILE_LABEL,
	OPT_PROC, OPT_DEV, OPT_TMPFS, OPT_MQUEUE, OPT_DIR, OPT_FILE,
	OPT_BIND_DATA, OPT_RO_BIND_DATA, OPT_SYMLINK,
	OPT_SECCOMP, OPT_ADD_SECCOMP_FD,
	OPT_SECCOMP_POLICY, OPT_SECCOMP_PRESET, OPT_SECCOMP_EXPORT,
	OPT_BLOCK_FD, OPT_USERNS_BLOCK_FD, OPT_INFO_FD, OPT_JSON_STATUS_FD,
	OPT_NEW_SESSION, OPT_DIE_WITH_PARENT, OPT_AS_PID_1,
	OPT_NO_FORWARD_SIGNALS, OPT_KILL_ON_EXIT, OPT_RLIMIT, OPT_TIMEOUT, OPT_TIMEOUT_KILL_AFTER,
	OPT_CAP_ADD, OPT_CAP_DROP, OPT_PERMS, OPT_SIZE, OPT_CHMOD,
	OPT_MAP_AUTO, OPT_MAP_UID, OPT_MAP_GID,
	OPT_COUNT,
} OptionId;

typedef struct {
	const char *name;        /* "--bind" */
	OptionId id;
	unsigned n_args;
	const char *arg_names;   /* "SRC DEST", or NULL */
	const char *help;
	OptionGroup group;
	/* The message when arguments are missing, if it differs from
	 * "<name> takes an argument" / "<name> takes two arguments". */
	const char *missing_args_message;
} OptionSpec;

extern const OptionSpec option_table[];
extern const size_t option_table_size;

const OptionSpec *option_lookup(const char *name);
const char *option_group_title(OptionGroup group);

/* Parses argv[1..argc-1] into plan (which must be plan_init()ed). Logs
 * and returns -errno on a parse error. --help/--version set
 * plan->show_help/show_version and stop parsing. --check (with or
 * without --json) sets plan->check and must come alone: any other
 * option or a command is an error. */
int options_parse(Plan *plan, int argc, char **argv);

/* --help and --version output. The usage line names the program as it
 * was invoked (argv[0]); the version line depends on its basename. */
void options_print_help(FILE *out, const char *program_name);
void options_print_version(FILE *out, const char *program_name);
