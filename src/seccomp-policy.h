/* seccomp-policy.h — hutch's seccomp policy language, parsed.
 *
 * Owns: reading policy text (the grammar is documented in man/hutch.1,
 * section "SECCOMP POLICIES") into an ordered list of rules, one per
 * system call name, with their conditions already checked and widened or
 * narrowed to the width the kernel reads each argument at; `include`
 * through a caller-supplied loader; the symbolic constants and errno
 * names the language knows; and messages that name file:line:column.
 * Must not: call libseccomp or touch the file system itself (the loader
 * does), so that unit tests and the fuzzer can drive it on plain text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on what a policy may make hutch do. */
#define SECCOMP_POLICY_MAX_BYTES (1u << 20)   /* one file */
#define SECCOMP_POLICY_MAX_DEPTH 8            /* nested includes */
#define SECCOMP_POLICY_MAX_FILES 256          /* files read, all includes counted */
#define SECCOMP_POLICY_MAX_RULES 4096         /* after expansion, all files */
#define SECCOMP_POLICY_MAX_CONDS 6            /* conditions in one rule */

typedef enum {
	SECCOMP_POLICY_ALLOW,
	SECCOMP_POLICY_ERRNO,
	SECCOMP_POLICY_KILL_PROCESS,
	SECCOMP_POLICY_KILL_THREAD,
	SECCOMP_POLICY_TRAP,
	SECCOMP_POLICY_LOG,
} SeccompPolicyActionKind;

typedef struct {
	SeccompPolicyActionKind kind;
	int errno_value;        /* SECCOMP_POLICY_ERRNO only */
} SeccompPolicyAction;

typedef struct {
	const char *file;       /* owned by the SeccompPolicy (files[]) */
	unsigned line, col;     /* 1-based */
} SeccompPolicyLoc;

typedef enum {
	SECCOMP_POLICY_OP_EQ,
	SECCOMP_POLICY_OP_NE,
	SECCOMP_POLICY_OP_LT,
	SECCOMP_POLICY_OP_LE,
	SECCOMP_POLICY_OP_GT,
	SECCOMP_POLICY_OP_GE,
	SECCOMP_POLICY_OP_MASKED_EQ, /* (arg & mask) == value */
	SECCOMP_POLICY_OP_MASKED_NE, /* (arg & mask) != value */
} SeccompPolicyOp;

typedef struct {
	unsigned arg;           /* 0..5 */
	/* Compare only the low 32 bits: the kernel reads this argument as
	 * an int or unsigned int (ioctl's request, socket's family, ...),
	 * so bits above 31 must not let a call slip past a rule
	 * (CVE-2019-10063). value and mask then fit in 32 bits. */
	bool low32;
	SeccompPolicyOp op;
	uint64_t mask;          /* MASKED_EQ and MASKED_NE only */
	uint64_t value;
	SeccompPolicyLoc loc;
} SeccompPolicyCond;

typedef struct {
	SeccompPolicyAction action;
	char *syscall;          /* the name, without a leading '?' */
	bool optional;          /* written as ?name: unknown is a warning */
	SeccompPolicyCond conds[SECCOMP_POLICY_MAX_CONDS];
	size_t n_conds;
	SeccompPolicyLoc loc;   /* of the syscall name */
} SeccompPolicyRule;

typedef struct {
	bool has_default;
	SeccompPolicyAction default_action; /* allow when !has_default */
	SeccompPolicyLoc default_loc;
	SeccompPolicyRule *rules;           /* in policy order; first match wins */
	size_t n_rules, cap_rules;
	char **files;                       /* names of every file read */
	size_t n_files, cap_files;
} SeccompPolicy;

/* Supplies the text of an `include`. target is what the policy wrote
 * (a path, or NAME for `include preset:NAME` with is_preset set);
 * from_file is the name of the including file, for relative paths. On
 * success *name is the malloc'd name messages will use for the file and
 * *text its malloc'd contents (NUL-terminated; *len bytes). On failure
 * returns -errno and may set *why to a malloc'd explanation. */
typedef int (*SeccompPolicyLoader)(void *userdata, const char *from_file, const char *target, bool is_preset,
				   char **name, char **text, size_t *len, char **why);

void seccomp_policy_init(SeccompPolicy *policy);
void seccomp_policy_free(SeccompPolicy *policy);

/* Parses text (len bytes, NUL bytes are an error) named name into
 * policy. On error returns -EINVAL (or -ENOMEM) and sets *error to a
 * malloc'd "name:line:col: message". loader may be NULL (then every
 * include is an error). Logs nothing. */
int seccomp_policy_parse(SeccompPolicy *policy, const char *name, const char *text, size_t len,
			 SeccompPolicyLoader loader, void *userdata, char **error);

/* Names for messages and the man page's tables. */
const char *seccomp_policy_action_name(SeccompPolicyActionKind kind);
/* Looks up a symbolic constant (TIOCSTI, AF_INET, ...); false if unknown. */
bool seccomp_policy_constant(const char *name, uint64_t *value);
/* errno by name (EPERM) or number; -1 when neither. */
int seccomp_policy_errno(const char *word);
/* Whether the kernel reads argument arg of syscall as 32 bits wide. */
bool seccomp_policy_arg_is_32bit(const char *syscall, unsigned arg);
