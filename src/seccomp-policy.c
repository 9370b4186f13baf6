/* seccomp-policy.c — see seccomp-policy.h. The grammar, in short (the
 * manual has it in full):
 *
 *   line      = [ statement ] [ "#" comment ]
 *   statement = "default" action
 *             | "include" ( path | "preset:" NAME | '"' path '"' )
 *             | action syscall { syscall } [ "if" cond { "and" cond } ]
 *   action    = "allow" | "errno" ERRNO | "kill-process" | "kill-thread"
 *             | "trap" | "log"
 *   syscall   = [ "?" ] NAME
 *   cond      = arg ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) value
 *             | arg "&" value ( "==" | "!=" ) value
 *   arg       = "arg0" .. "arg5" [ ":32" ]
 *   value     = term { "|" term }        term = number | CONSTANT
 */
#include "seccomp-policy.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "util/errno-text.h"
#include "util/array.h"
#include "util/cleanup.h"

/* ------------------------------------------------------------ tables */

typedef struct {
	const char *name;
	uint64_t value;
} Constant;

#define C(x) { #x, (uint64_t)(x) }
static const Constant constants[] = {
	/* ioctl requests (values as this architecture's kernel has them) */
	C(TIOCSTI), C(TIOCLINUX), C(TIOCSCTTY), C(TIOCNOTTY), C(TIOCSETD), C(TIOCCONS),
	C(FIONREAD), C(FIONBIO), C(FIOCLEX), C(FIONCLEX), C(TIOCGWINSZ), C(TIOCSWINSZ),
	/* socket families */
	C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK), C(AF_PACKET),
	C(AF_BLUETOOTH), C(AF_CAN), C(AF_VSOCK), C(AF_ALG), C(AF_KEY), C(AF_APPLETALK), C(AF_X25),
	C(AF_AX25), C(AF_IPX), C(AF_NETROM), C(AF_ROSE), C(AF_DECnet), C(AF_LLC), C(AF_IB), C(AF_MPLS),
	C(AF_RDS), C(AF_TIPC), C(AF_IRDA), C(AF_PPPOX), C(AF_ATMPVC), C(AF_ATMSVC), C(AF_ISDN),
	C(AF_PHONET), C(AF_IEEE802154), C(AF_CAIF), C(AF_NFC), C(AF_KCM), C(AF_QIPCRTR), C(AF_SMC),
	C(AF_XDP), C(AF_RXRPC), C(AF_IUCV), C(AF_SECURITY), C(AF_WANPIPE), C(AF_SNA), C(AF_ECONET),
	C(AF_BRIDGE), C(AF_NETBEUI), C(AF_ASH),
	/* socket types and flags */
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_RDM), C(SOCK_SEQPACKET), C(SOCK_PACKET),
	C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	/* clone and unshare flags */
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD), C(CLONE_PTRACE),
	C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD), C(CLONE_NEWNS), C(CLONE_SYSVSEM),
	C(CLONE_SETTLS), C(CLONE_PARENT_SETTID), C(CLONE_CHILD_CLEARTID), C(CLONE_UNTRACED),
	C(CLONE_CHILD_SETTID), C(CLONE_NEWCGROUP), C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWUSER),
	C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_IO),
	{ "CLONE_NEWTIME", 0x00000080 },
	/* personalities */
	C(PER_LINUX), C(PER_LINUX32), C(PER_LINUX_32BIT), C(PER_BSD), C(PER_SVR4), C(PER_MASK),
	C(ADDR_NO_RANDOMIZE), C(ADDR_COMPAT_LAYOUT), C(READ_IMPLIES_EXEC), C(ADDR_LIMIT_32BIT),
	C(UNAME26), C(SHORT_INODE), C(WHOLE_SECONDS), C(STICKY_TIMEOUTS), C(ADDR_LIMIT_3GB),
	{ "PER_QUERY", 0xffffffffu },
	/* open flags */
	C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_ACCMODE), C(O_CREAT), C(O_EXCL), C(O_NOCTTY), C(O_TRUNC),
	C(O_APPEND), C(O_NONBLOCK), C(O_DIRECTORY), C(O_NOFOLLOW), C(O_CLOEXEC), C(O_PATH), C(O_TMPFILE),
	/* mode bits */
	C(S_ISUID), C(S_ISGID), C(S_ISVTX),
	/* mmap and mprotect */
	C(PROT_NONE), C(PROT_READ), C(PROT_WRITE), C(PROT_EXEC), C(MAP_SHARED), C(MAP_PRIVATE),
	C(MAP_FIXED), C(MAP_ANONYMOUS),
	/* a few prctl options */
	C(PR_SET_DUMPABLE), C(PR_SET_NO_NEW_PRIVS), C(PR_SET_SECCOMP), C(PR_CAPBSET_DROP),
	C(PR_SET_PDEATHSIG), C(PR_SET_NAME), C(PR_SET_PTRACER), C(PR_SET_MM),
};
#undef C

/* Arguments the kernel declares as int or unsigned int (or truncates to
 * 32 bits, as clone does with its flags): a rule on them compares only
 * the low 32 bits. The mask has bit N set for argument N. */
static const struct {
	const char *syscall;
	unsigned args;
} args_32bit[] = {
	{ "ioctl", 0x03 },          /* fd, request */
	{ "socket", 0x07 },         /* family, type, protocol */
	{ "socketpair", 0x07 },
	{ "personality", 0x01 },
	{ "clone", 0x01 },          /* kernel_clone_args.flags = lower_32_bits() */
	{ "unshare", 0x01 },
	{ "setns", 0x03 },
	{ "prctl", 0x01 },
	{ "fcntl", 0x03 },
	{ "fcntl64", 0x03 },
	{ "kill", 0x03 },
	{ "tgkill", 0x07 },
	{ "tkill", 0x03 },
	{ "setsockopt", 0x07 },
	{ "getsockopt", 0x07 },
	{ "bpf", 0x01 },
	{ "keyctl", 0x01 },
	{ "syslog", 0x01 },
	{ "quotactl", 0x01 },
	{ "open", 0x06 },
	{ "openat", 0x0d },
	{ "madvise", 0x04 },
	{ "seccomp", 0x03 },
	{ "flock", 0x03 },
	{ "dup3", 0x07 },
	{ "mknod", 0x06 },
	{ "mknodat", 0x0d },
	{ "chmod", 0x02 },
	{ "fchmod", 0x03 },
	{ "fchmodat", 0x0d },
};

bool seccomp_policy_arg_is_32bit(const char *syscall, unsigned arg)
{
	for (size_t i = 0; i < N_ELEMENTS(args_32bit); i++)
		if (strcmp(args_32bit[i].syscall, syscall) == 0)
			return arg < 32 && (args_32bit[i].args >> arg) & 1;
	return false;
}

bool seccomp_policy_constant(const char *name, uint64_t *value)
{
	for (size_t i = 0; i < N_ELEMENTS(constants); i++)
		if (strcmp(constants[i].name, name) == 0) {
			*value = constants[i].value;
			return true;
		}
	return false;
}

int seccomp_policy_errno(const char *word)
{
	char *end;
	unsigned long n;

	if (word[0] >= '0' && word[0] <= '9') {
		errno = 0;
		n = strtoul(word, &end, 10);
		if (errno || *end || n < 1 || n > 4095)
			return -1;
		return (int)n;
	}
	if (word[0] != 'E')
		return -1;
	/* Names glibc knows only as aliases of another. */
	if (strcmp(word, "ENOTSUP") == 0)
		return EOPNOTSUPP;
	if (strcmp(word, "EWOULDBLOCK") == 0)
		return EAGAIN;
	if (strcmp(word, "EDEADLOCK") == 0)
		return EDEADLK;
	return errno_from_name(word);
}

const char *seccomp_policy_action_name(SeccompPolicyActionKind kind)
{
	switch (kind) {
	case SECCOMP_POLICY_ALLOW: return "allow";
	case SECCOMP_POLICY_ERRNO: return "errno";
	case SECCOMP_POLICY_KILL_PROCESS: return "kill-process";
	case SECCOMP_POLICY_KILL_THREAD: return "kill-thread";
	case SECCOMP_POLICY_TRAP: return "trap";
	case SECCOMP_POLICY_LOG: return "log";
	default: return "?";
	}
}

/* ------------------------------------------------------------ lexer */

typedef enum {
	TOK_END,     /* end of line (or of a comment) */
	TOK_WORD,
	TOK_STRING,  /* "..." without the quotes */
	TOK_OP,      /* == != < <= > >= & | */
} TokKind;

typedef struct {
	TokKind kind;
	char text[256];
	unsigned col;
} Token;

typedef struct {
	SeccompPolicy *policy;
	SeccompPolicyLoader loader;
	void *userdata;
	const char *file;        /* interned in policy->files */
	const char *line;        /* the current line */
	size_t line_len;
	size_t pos;
	unsigned line_no;
	unsigned depth;
	const char **stack;      /* files being read, for include loops */
	char **error;
} Parser;

__attribute__((format(printf, 3, 4)))
static int fail_at(Parser *p, unsigned col, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	if (*p->error) /* the first error is the one reported */
		return -EINVAL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg || asprintf(p->error, "%s:%u:%u: %s", p->file, p->line_no, col, msg) < 0) {
		*p->error = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

static bool is_op_char(char c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|';
}

static int next_token(Parser *p, Token *t)
{
	const char *s = p->line;
	size_t n = 0;

	while (p->pos < p->line_len && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\r'))
		p->pos++;
	t->col = (unsigned)p->pos + 1;
	t->text[0] = '\0';
	if (p->pos >= p->line_len || s[p->pos] == '#') {
		t->kind = TOK_END;
		return 0;
	}
	if (s[p->pos] == '"') {
		size_t start = ++p->pos;

		while (p->pos < p->line_len && s[p->pos] != '"')
			p->pos++;
		if (p->pos >= p->line_len)
			return fail_at(p, t->col, "unterminated quoted string");
		n = p->pos - start;
		p->pos++;
		if (n >= sizeof t->text)
			return fail_at(p, t->col, "quoted string too long (at most %zu bytes)", sizeof t->text - 1);
		memcpy(t->text, s + start, n);
		t->text[n] = '\0';
		t->kind = TOK_STRING;
		return 0;
	}
	if (is_op_char(s[p->pos])) {
		char c = s[p->pos++];

		t->kind = TOK_OP;
		t->text[0] = c;
		t->text[1] = '\0';
		if ((c == '=' || c == '!' || c == '<' || c == '>') && p->pos < p->line_len && s[p->pos] == '=') {
			t->text[1] = '=';
			t->text[2] = '\0';
			p->pos++;
		}
		if (strcmp(t->text, "=") == 0 || strcmp(t->text, "!") == 0)
			return fail_at(p, t->col, "unknown operator '%s' (did you mean '%s='?)", t->text,
				       t->text[0] == '=' ? "=" : "!");
		return 0;
	}
	while (p->pos + n < p->line_len) {
		char c = s[p->pos + n];

		if (c == ' ' || c == '\t' || c == '\r' || c == '#' || c == '"' || is_op_char(c))
			break;
		n++;
	}
	if (n >= sizeof t->text)
		return fail_at(p, t->col, "word too long (at most %zu bytes)", sizeof t->text - 1);
	memcpy(t->text, s + p->pos, n);
	t->text[n] = '\0';
	p->pos += n;
	t->kind = TOK_WORD;
	return 0;
}

/* ------------------------------------------------------------ parser */

static int intern_file(SeccompPolicy *policy, const char *name, const char **out)
{
	char *copy;

	if (array_reserve((void **)&policy->files, &policy->cap_files, policy->n_files + 1, sizeof *policy->files) < 0)
		return -ENOMEM;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	policy->files[policy->n_files++] = copy;
	*out = copy;
	return 0;
}

static int parse_action(Parser *p, Token *t, SeccompPolicyAction *action, bool *is_action)
{
	static const struct {
		const char *word;
		SeccompPolicyActionKind kind;
	} words[] = {
		{ "allow", SECCOMP_POLICY_ALLOW },
		{ "errno", SECCOMP_POLICY_ERRNO },
		{ "kill-process", SECCOMP_POLICY_KILL_PROCESS },
		{ "kill-thread", SECCOMP_POLICY_KILL_THREAD },
		{ "trap", SECCOMP_POLICY_TRAP },
		{ "log", SECCOMP_POLICY_LOG },
	};
	int r;

	*is_action = false;
	if (t->kind != TOK_WORD)
		return 0;
	for (size_t i = 0; i < N_ELEMENTS(words); i++) {
		if (strcmp(words[i].word, t->text) != 0)
			continue;
		*is_action = true;
		action->kind = words[i].kind;
		action->errno_value = 0;
		if (action->kind != SECCOMP_POLICY_ERRNO)
			return 0;
		r = next_token(p, t);
		if (r < 0)
			return r;
		if (t->kind != TOK_WORD)
			return fail_at(p, t->col, "'errno' needs an errno name or number, e.g. EPERM");
		action->errno_value = seccomp_policy_errno(t->text);
		if (action->errno_value < 0)
			return fail_at(p, t->col, "unknown errno '%s' (use a name such as EPERM, or a number from 1 to 4095)",
				       t->text);
		return 0;
	}
	return 0;
}

static int parse_number(const char *s, uint64_t *out, bool *negative)
{
	const char *digits = s;
	unsigned base = 10;
	uint64_t v = 0;

	*negative = false;
	if (*digits == '-') {
		*negative = true;
		digits++;
	}
	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
		base = 16;
		digits += 2;
	} else if (digits[0] == '0' && digits[1]) {
		base = 8;
		digits++;
	}
	if (!*digits)
		return -EINVAL;
	for (; *digits; digits++) {
		unsigned d;

		if (*digits >= '0' && *digits <= '9')
			d = (unsigned)(*digits - '0');
		else if (*digits >= 'a' && *digits <= 'f')
			d = (unsigned)(*digits - 'a' + 10);
		else if (*digits >= 'A' && *digits <= 'F')
			d = (unsigned)(*digits - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* value = term { "|" term }. low32: the value is compared with a 32-bit
 * argument, so it must fit (negative numbers are taken as a C int). */
static int parse_value(Parser *p, Token *t, bool low32, const char *what, uint64_t *out)
{
	uint64_t v = 0;
	int r;

	for (;;) {
		uint64_t term;
		bool negative;

		if (t->kind != TOK_WORD)
			return fail_at(p, t->col, "expected %s (a number or a constant such as TIOCSTI)", what);
		if ((t->text[0] >= '0' && t->text[0] <= '9') || t->text[0] == '-') {
			r = parse_number(t->text, &term, &negative);
			if (r == -ERANGE)
				return fail_at(p, t->col, "number '%s' does not fit in 64 bits", t->text);
			if (r < 0)
				return fail_at(p, t->col, "invalid number '%s'", t->text);
			if (negative) {
				if (term > (low32 ? (uint64_t)1 << 31 : (uint64_t)1 << 63))
					return fail_at(p, t->col, "number '%s' is too small", t->text);
				/* Two's complement, in unsigned arithmetic (no overflow). */
				term = low32 ? (uint32_t)(UINT32_C(0) - (uint32_t)term) : UINT64_C(0) - term;
			}
		} else if (!seccomp_policy_constant(t->text, &term)) {
			return fail_at(p, t->col, "unknown constant '%s'", t->text);
		}
		if (low32 && term > UINT32_MAX)
			return fail_at(p, t->col,
				       "'%s' does not fit in 32 bits, and the kernel reads this argument as 32 bits",
				       t->text);
		v |= term;
		r = next_token(p, t);
		if (r < 0)
			return r;
		if (t->kind != TOK_OP || strcmp(t->text, "|") != 0)
			break;
		r = next_token(p, t);
		if (r < 0)
			return r;
	}
	*out = v;
	return 0;
}

static const struct {
	const char *text;
	SeccompPolicyOp op;
} ops[] = {
	{ "==", SECCOMP_POLICY_OP_EQ }, { "!=", SECCOMP_POLICY_OP_NE }, { "<", SECCOMP_POLICY_OP_LT },
	{ "<=", SECCOMP_POLICY_OP_LE }, { ">", SECCOMP_POLICY_OP_GT },  { ">=", SECCOMP_POLICY_OP_GE },
	{ "&", SECCOMP_POLICY_OP_MASKED_EQ },
};

/* One condition, for the rule's first syscall; t is its first token and
 * on return the token after it. */
static int parse_cond(Parser *p, Token *t, const char *syscall, SeccompPolicyCond *cond)
{
	unsigned arg;
	bool explicit32 = false;
	int r;

	memset(cond, 0, sizeof *cond);
	cond->loc = (SeccompPolicyLoc){ .file = p->file, .line = p->line_no, .col = t->col };
	if (t->kind != TOK_WORD || strncmp(t->text, "arg", 3) != 0 || t->text[3] < '0' || t->text[3] > '5' ||
	    (t->text[4] && strcmp(t->text + 4, ":32") != 0))
		return fail_at(p, t->col, "expected an argument (arg0 to arg5, optionally with :32), got '%s'",
			       t->kind == TOK_END ? "end of line" : t->text);
	arg = (unsigned)(t->text[3] - '0');
	explicit32 = t->text[4] != '\0';
	cond->arg = arg;
	cond->low32 = explicit32 || seccomp_policy_arg_is_32bit(syscall, arg);

	r = next_token(p, t);
	if (r < 0)
		return r;
	if (t->kind != TOK_OP || strcmp(t->text, "|") == 0)
		return fail_at(p, t->col, "expected a comparison (==, !=, <, <=, >, >= or &) after arg%u", arg);
	for (size_t i = 0; i < N_ELEMENTS(ops); i++)
		if (strcmp(ops[i].text, t->text) == 0)
			cond->op = ops[i].op;
	r = next_token(p, t);
	if (r < 0)
		return r;
	if (cond->op == SECCOMP_POLICY_OP_MASKED_EQ) {
		unsigned value_col;

		r = parse_value(p, t, cond->low32, "a mask", &cond->mask);
		if (r < 0)
			return r;
		if (t->kind != TOK_OP || (strcmp(t->text, "==") != 0 && strcmp(t->text, "!=") != 0))
			return fail_at(p, t->col, "expected '==' or '!=' after the mask (arg%u & MASK == VALUE)", arg);
		if (strcmp(t->text, "!=") == 0)
			cond->op = SECCOMP_POLICY_OP_MASKED_NE;
		r = next_token(p, t);
		if (r < 0)
			return r;
		value_col = t->col;
		r = parse_value(p, t, cond->low32, "a value", &cond->value);
		if (r < 0)
			return r;
		if (cond->value & ~cond->mask)
			return fail_at(p, value_col, "the value has bits outside the mask, so the condition %s holds",
				       cond->op == SECCOMP_POLICY_OP_MASKED_EQ ? "never" : "always");
		return 0;
	}
	return parse_value(p, t, cond->low32, "a value", &cond->value);
}

static int add_rule(Parser *p, unsigned col, const SeccompPolicyRule *tmpl, const char *name, bool optional)
{
	SeccompPolicy *policy = p->policy;
	SeccompPolicyRule *rule;

	if (policy->n_rules >= SECCOMP_POLICY_MAX_RULES)
		return fail_at(p, col, "too many rules (at most %u in a policy and its includes)",
			       SECCOMP_POLICY_MAX_RULES);
	if (array_reserve((void **)&policy->rules, &policy->cap_rules, policy->n_rules + 1, sizeof *policy->rules) < 0)
		return -ENOMEM;
	rule = &policy->rules[policy->n_rules];
	*rule = *tmpl;
	rule->syscall = strdup(name);
	if (!rule->syscall)
		return -ENOMEM;
	rule->optional = optional;
	rule->loc = (SeccompPolicyLoc){ .file = p->file, .line = p->line_no, .col = col };
	policy->n_rules++;
	return 0;
}

static bool valid_syscall_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* action syscall { syscall } [ "if" cond { "and" cond } ] */
static int parse_rule(Parser *p, Token *t, const SeccompPolicyAction *action)
{
	struct {
		char name[256];
		bool optional;
		unsigned col;
	} names[64];
	size_t n_names = 0;
	SeccompPolicyRule tmpl = { .action = *action };
	int r;

	r = next_token(p, t);
	if (r < 0)
		return r;
	while (t->kind == TOK_WORD && strcmp(t->text, "if") != 0) {
		const char *name = t->text[0] == '?' ? t->text + 1 : t->text;

		if (!valid_syscall_name(name))
			return fail_at(p, t->col, "invalid system call name '%s'", t->text);
		if (n_names == N_ELEMENTS(names))
			return fail_at(p, t->col, "too many system calls in one rule (at most %zu)", N_ELEMENTS(names));
		/* snprintf only writes names[n_names].name; cppcheck takes it
		 * for a read of the uninitialized array. */
		// cppcheck-suppress legacyUninitvar
		snprintf(names[n_names].name, sizeof names[n_names].name, "%s", name);
		names[n_names].optional = t->text[0] == '?';
		names[n_names].col = t->col;
		n_names++;
		r = next_token(p, t);
		if (r < 0)
			return r;
	}
	if (n_names == 0)
		return fail_at(p, t->col, "expected a system call name after '%s'", seccomp_policy_action_name(action->kind));
	if (t->kind != TOK_END && !(t->kind == TOK_WORD && strcmp(t->text, "if") == 0))
		return fail_at(p, t->col, "expected a system call name, 'if' or the end of the line, got '%s'", t->text);

	if (t->kind == TOK_WORD) { /* "if" */
		size_t start = p->pos;

		/* The conditions are parsed once per system call: the width
		 * of an argument depends on the call. */
		for (size_t i = 0; i < n_names; i++) {
			p->pos = start;
			tmpl.n_conds = 0;
			r = next_token(p, t);
			if (r < 0)
				return r;
			for (;;) {
				if (tmpl.n_conds == SECCOMP_POLICY_MAX_CONDS)
					return fail_at(p, t->col, "too many conditions (at most %d in a rule)",
						       SECCOMP_POLICY_MAX_CONDS);
				r = parse_cond(p, t, names[i].name, &tmpl.conds[tmpl.n_conds]);
				if (r < 0)
					return r;
				tmpl.n_conds++;
				if (t->kind == TOK_END)
					break;
				if (t->kind != TOK_WORD || strcmp(t->text, "and") != 0)
					return fail_at(p, t->col, "expected 'and' or the end of the line, got '%s'", t->text);
				r = next_token(p, t);
				if (r < 0)
					return r;
			}
			r = add_rule(p, names[i].col, &tmpl, names[i].name, names[i].optional);
			if (r < 0)
				return r;
		}
		return 0;
	}
	for (size_t i = 0; i < n_names; i++) {
		r = add_rule(p, names[i].col, &tmpl, names[i].name, names[i].optional);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_text(Parser *p, const char *text, size_t len);

static int parse_include(Parser *p, Token *t)
{
	_cleanup_free_ char *name = NULL, *text = NULL, *why = NULL;
	bool is_preset;
	const char *target;
	size_t len = 0;
	unsigned col;
	Parser sub;
	int r;

	r = next_token(p, t);
	if (r < 0)
		return r;
	if (t->kind != TOK_WORD && t->kind != TOK_STRING)
		return fail_at(p, t->col, "'include' needs a file name or preset:NAME");
	col = t->col;
	is_preset = t->kind == TOK_WORD && strncmp(t->text, "preset:", 7) == 0;
	target = is_preset ? t->text + 7 : t->text;
	if (!*target)
		return fail_at(p, col, "'include' needs a file name or preset:NAME");
	char saved[sizeof t->text];
	memcpy(saved, t->text, sizeof saved);
	r = next_token(p, t);
	if (r < 0)
		return r;
	if (t->kind != TOK_END)
		return fail_at(p, t->col, "unexpected '%s' after the file to include (quote a name with spaces)", t->text);
	target = is_preset ? saved + 7 : saved;

	if (p->depth + 1 >= SECCOMP_POLICY_MAX_DEPTH)
		return fail_at(p, col, "includes nested too deeply (at most %d levels)", SECCOMP_POLICY_MAX_DEPTH);
	if (p->policy->n_files >= SECCOMP_POLICY_MAX_FILES)
		return fail_at(p, col, "too many includes (at most %d files in a policy)", SECCOMP_POLICY_MAX_FILES);
	if (!p->loader)
		return fail_at(p, col, "can't include '%s': includes are not available here", saved);
	r = p->loader(p->userdata, p->file, target, is_preset, &name, &text, &len, &why);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (why)
			return fail_at(p, col, "can't include '%s': %s", saved, why);
		return fail_at(p, col, "can't include '%s': %s", saved, errno_text(-r));
	}
	for (unsigned i = 0; i <= p->depth; i++)
		if (strcmp(p->stack[i], name) == 0)
			return fail_at(p, col, "'%s' includes itself", name);

	sub = *p;
	r = intern_file(p->policy, name, &sub.file);
	if (r < 0)
		return r;
	sub.depth = p->depth + 1;
	sub.stack[sub.depth] = sub.file;
	return parse_text(&sub, text, len);
}

static int parse_line(Parser *p)
{
	SeccompPolicyAction action;
	bool is_action;
	Token t;
	int r;

	r = next_token(p, &t);
	if (r < 0)
		return r;
	if (t.kind == TOK_END)
		return 0;
	if (t.kind == TOK_WORD && strcmp(t.text, "default") == 0) {
		unsigned col = t.col;

		r = next_token(p, &t);
		if (r < 0)
			return r;
		r = parse_action(p, &t, &action, &is_action);
		if (r < 0)
			return r;
		if (!is_action)
			return fail_at(p, t.col,
				       "'default' needs an action (allow, errno ERRNO, kill-process, kill-thread, trap or log)");
		if (p->policy->has_default)
			return fail_at(p, col, "a second 'default' (the first is at %s:%u:%u)",
				       p->policy->default_loc.file, p->policy->default_loc.line,
				       p->policy->default_loc.col);
		r = next_token(p, &t);
		if (r < 0)
			return r;
		if (t.kind != TOK_END)
			return fail_at(p, t.col, "unexpected '%s' after the default action", t.text);
		p->policy->has_default = true;
		p->policy->default_action = action;
		p->policy->default_loc = (SeccompPolicyLoc){ .file = p->file, .line = p->line_no, .col = col };
		return 0;
	}
	if (t.kind == TOK_WORD && strcmp(t.text, "include") == 0)
		return parse_include(p, &t);
	r = parse_action(p, &t, &action, &is_action);
	if (r < 0)
		return r;
	if (!is_action)
		return fail_at(p, t.col,
			       "expected an action (allow, errno, kill-process, kill-thread, trap, log), "
			       "'default' or 'include', got '%s'", t.text);
	return parse_rule(p, &t, &action);
}

static int parse_text(Parser *p, const char *text, size_t len)
{
	size_t start = 0;
	int r;

	p->line_no = 0;
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *nul;

		p->line_no++;
		p->line = text + start;
		p->line_len = end - start;
		p->pos = 0;
		nul = memchr(p->line, '\0', p->line_len);
		if (nul)
			return fail_at(p, (unsigned)(nul - p->line) + 1, "NUL byte in the policy");
		r = parse_line(p);
		if (r < 0)
			return r;
		start = end + 1;
	}
	return 0;
}

/* ------------------------------------------------------------ API */

void seccomp_policy_init(SeccompPolicy *policy)
{
	memset(policy, 0, sizeof *policy);
	policy->default_action.kind = SECCOMP_POLICY_ALLOW;
}

void seccomp_policy_free(SeccompPolicy *policy)
{
	for (size_t i = 0; i < policy->n_rules; i++)
		free(policy->rules[i].syscall);
	free(policy->rules);
	for (size_t i = 0; i < policy->n_files; i++)
		free(policy->files[i]);
	free(policy->files);
	seccomp_policy_init(policy);
}

int seccomp_policy_parse(SeccompPolicy *policy, const char *name, const char *text, size_t len,
			 SeccompPolicyLoader loader, void *userdata, char **error)
{
	const char *stack[SECCOMP_POLICY_MAX_DEPTH];
	Parser p = {
		.policy = policy,
		.loader = loader,
		.userdata = userdata,
		.stack = stack,
		.error = error,
	};
	int r;

	*error = NULL;
	if (len > SECCOMP_POLICY_MAX_BYTES) {
		if (asprintf(error, "%s: the policy is larger than %u bytes", name, SECCOMP_POLICY_MAX_BYTES) < 0)
			*error = NULL;
		return -E2BIG;
	}
	r = intern_file(policy, name, &p.file);
	if (r < 0)
		return r;
	stack[0] = p.file;
	return parse_text(&p, text, len);
}
