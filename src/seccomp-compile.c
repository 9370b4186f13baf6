/* seccomp-compile.c — see seccomp-compile.h. */
#include "seccomp-compile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "seccomp-presets.h"
#include "util/errno-text.h"
#include "util/array.h"
#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"

/* What each chained filter returns for "no rule of mine matched". The
 * policy language cannot produce SECCOMP_RET_TRACE, so no rule's own
 * return value can be mistaken for it. */
#define NO_MATCH SCMP_ACT_TRACE(0x0bad)
/* What an exception filter returns for "this call is an exception to the
 * next filter's rule": skip that filter. */
#define SKIP_NEXT SCMP_ACT_TRACE(0x0bae)

/* A rule whose conditions expand into more alternatives than this is
 * refused rather than compiled into a program the kernel would reject. */
#define MAX_ALTERNATIVES 1024

/* ------------------------------------------------------------ loading */

int seccomp_compile_loader(void *userdata, const char *from_file, const char *target, bool is_preset,
			   char **name, char **text, size_t *len, char **why)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -1;
	int r;

	*why = NULL;
	if (is_preset) {
		const SeccompPreset *preset = seccomp_preset_find(target);
		_cleanup_free_ char *known = NULL;

		if (!preset) {
			size_t n = 1;

			for (size_t i = 0; i < seccomp_n_presets; i++)
				n += strlen(seccomp_presets[i].name) + 2;
			known = calloc(1, n);
			if (!known)
				return -ENOMEM;
			for (size_t i = 0; i < seccomp_n_presets; i++) {
				if (i)
					strcat(known, ", ");
				strcat(known, seccomp_presets[i].name);
			}
			if (asprintf(why, "no such preset (hutch has: %s)", known) < 0)
				*why = NULL;
			return -ENOENT;
		}
		if (asprintf(name, "preset:%s", preset->name) < 0)
			return -ENOMEM;
		*text = malloc(preset->len + 1);
		if (!*text) {
			free(*name);
			*name = NULL;
			return -ENOMEM;
		}
		memcpy(*text, preset->text, preset->len + 1);
		*len = preset->len;
		return 0;
	}
	/* A relative include is relative to the including file, as a C
	 * #include is; a preset's includes, and the top file, to the cwd. */
	if (from_file && target[0] != '/' && strncmp(from_file, "preset:", 7) != 0) {
		_cleanup_free_ char *copy = strdup(from_file);

		if (!copy)
			return -ENOMEM;
		if (asprintf(&path, "%s/%s", dirname(copy), target) < 0)
			return -ENOMEM;
	} else {
		path = strdup(target);
		if (!path)
			return -ENOMEM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	r = fd_read_all(fd, SECCOMP_POLICY_MAX_BYTES, text, len);
	if (r == -E2BIG) {
		if (asprintf(why, "larger than %u bytes", SECCOMP_POLICY_MAX_BYTES) < 0)
			*why = NULL;
		return r;
	}
	if (r < 0)
		return r;
	*name = TAKE_PTR(path);
	return 0;
}

/* ------------------------------------------------------------ conditions */

typedef struct {
	struct scmp_arg_cmp cmp[6];
	bool used[6];
} Conj;

typedef struct {
	Conj *items;
	size_t n, cap;
} ConjList;

static int conj_list_add(ConjList *l, const Conj *c)
{
	if (l->n >= MAX_ALTERNATIVES)
		return -E2BIG;
	if (array_reserve((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items) < 0)
		return -ENOMEM;
	l->items[l->n++] = *c;
	return 0;
}

/* One alternative: (arg & mask) == value, or a native comparison. */
typedef struct {
	enum scmp_compare op;
	uint64_t a, b; /* MASKED_EQ: mask, value; others: datum, unused */
} Alt;

/* x OP v over the low width bits, as a union of masked equalities: x < v
 * when, at the highest bit where they differ, v has 1 and x 0. */
static size_t ordered_alts(SeccompPolicyOp op, uint64_t v, unsigned width, Alt *alts)
{
	uint64_t all = width == 64 ? UINT64_MAX : ((uint64_t)1 << width) - 1;
	bool less = op == SECCOMP_POLICY_OP_LT || op == SECCOMP_POLICY_OP_LE;
	size_t n = 0;

	for (int b = (int)width - 1; b >= 0; b--) {
		uint64_t bit = (uint64_t)1 << b;
		uint64_t above = all & ~((bit << 1) - 1);

		if (b == 63)
			above = 0;
		if (less && (v & bit))
			alts[n++] = (Alt){ SCMP_CMP_MASKED_EQ, above | bit, v & above };
		if (!less && !(v & bit))
			alts[n++] = (Alt){ SCMP_CMP_MASKED_EQ, above | bit, (v & above) | bit };
	}
	if (op == SECCOMP_POLICY_OP_LE || op == SECCOMP_POLICY_OP_GE)
		alts[n++] = (Alt){ SCMP_CMP_MASKED_EQ, all, v };
	return n;
}

/* The alternatives one condition stands for. decompose: express it with
 * masked equalities only (the argument has another condition in the
 * rule, or is 32 bits wide). */
static size_t cond_alts(const SeccompPolicyCond *c, bool decompose, Alt *alts)
{
	unsigned width = c->low32 ? 32 : 64;
	uint64_t all = c->low32 ? UINT32_MAX : UINT64_MAX;

	switch (c->op) {
	case SECCOMP_POLICY_OP_MASKED_EQ:
		alts[0] = (Alt){ SCMP_CMP_MASKED_EQ, c->mask & all, c->value & all };
		return 1;
	case SECCOMP_POLICY_OP_EQ:
		alts[0] = (Alt){ SCMP_CMP_MASKED_EQ, all, c->value };
		return 1;
	case SECCOMP_POLICY_OP_NE:
	case SECCOMP_POLICY_OP_MASKED_NE:
		return 0; /* never here: != becomes an exception filter */
	case SECCOMP_POLICY_OP_LT:
	case SECCOMP_POLICY_OP_LE:
	case SECCOMP_POLICY_OP_GT:
	case SECCOMP_POLICY_OP_GE:
		if (!decompose) {
			static const enum scmp_compare native[] = {
				[SECCOMP_POLICY_OP_LT] = SCMP_CMP_LT, [SECCOMP_POLICY_OP_LE] = SCMP_CMP_LE,
				[SECCOMP_POLICY_OP_GT] = SCMP_CMP_GT, [SECCOMP_POLICY_OP_GE] = SCMP_CMP_GE,
			};

			alts[0] = (Alt){ native[c->op], c->value, 0 };
			return 1;
		}
		return ordered_alts(c->op, c->value, width, alts);
	default:
		return 0;
	}
}

static bool rule_has_ne(const SeccompPolicyRule *rule)
{
	for (size_t i = 0; i < rule->n_conds; i++)
		if (rule->conds[i].op == SECCOMP_POLICY_OP_NE || rule->conds[i].op == SECCOMP_POLICY_OP_MASKED_NE)
			return true;
	return false;
}

/* The rule's conditions as a list of conjunctions (their union is the
 * rule), each at most one comparison per argument, as libseccomp wants.
 * Conditions with != are left out: they become exceptions, compiled
 * into a filter of their own that runs first (see compile_policy). */
static int rule_conjunctions(const SeccompPolicyRule *rule, ConjList *out)
{
	ConjList cur = { 0 }, next = { 0 };
	Conj empty = { 0 };
	int r;

	r = conj_list_add(&cur, &empty);
	if (r < 0)
		return r;
	for (size_t i = 0; i < rule->n_conds; i++) {
		const SeccompPolicyCond *c = &rule->conds[i];
		Alt alts[65];
		size_t n_alts;
		unsigned uses = 0;

		if (c->op == SECCOMP_POLICY_OP_NE || c->op == SECCOMP_POLICY_OP_MASKED_NE)
			continue;
		for (size_t j = 0; j < rule->n_conds; j++)
			uses += rule->conds[j].arg == c->arg && rule->conds[j].op != SECCOMP_POLICY_OP_NE &&
				rule->conds[j].op != SECCOMP_POLICY_OP_MASKED_NE;
		n_alts = cond_alts(c, uses > 1 || c->low32, alts);
		next.n = 0;
		for (size_t k = 0; k < cur.n; k++) {
			for (size_t a = 0; a < n_alts; a++) {
				Conj x = cur.items[k];
				struct scmp_arg_cmp *cmp = &x.cmp[c->arg];

				if (x.used[c->arg]) {
					/* Both masked equalities (see cond_alts). */
					if ((cmp->datum_b ^ alts[a].b) & cmp->datum_a & alts[a].a)
						continue; /* contradiction: never true */
					cmp->datum_a |= alts[a].a;
					cmp->datum_b |= alts[a].b;
				} else {
					*cmp = (struct scmp_arg_cmp){ .arg = c->arg, .op = alts[a].op,
								      .datum_a = alts[a].a, .datum_b = alts[a].b };
					x.used[c->arg] = true;
				}
				r = conj_list_add(&next, &x);
				if (r < 0)
					goto out;
			}
		}
		ConjList t = cur;
		cur = next;
		next = t;
	}
	*out = cur;
	cur = (ConjList){ 0 };
	r = 0;
out:
	free(cur.items);
	free(next.items);
	return r;
}

/* ------------------------------------------------------------ compiling */

static uint32_t action_value(const SeccompPolicyAction *a)
{
	switch (a->kind) {
	case SECCOMP_POLICY_ALLOW: return SCMP_ACT_ALLOW;
	case SECCOMP_POLICY_ERRNO: return SCMP_ACT_ERRNO((uint32_t)a->errno_value);
	case SECCOMP_POLICY_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SECCOMP_POLICY_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SECCOMP_POLICY_TRAP: return SCMP_ACT_TRAP;
	case SECCOMP_POLICY_LOG: return SCMP_ACT_LOG;
	default: return SCMP_ACT_KILL_PROCESS;
	}
}

/* The compat ABIs of the native architecture: a filter that forgot one
 * would let a 32-bit call through (int 0x80 on x86_64 needs no 32-bit
 * binary, only a 32-bit syscall number). */
static int add_arches(scmp_filter_ctx ctx)
{
	uint32_t native = seccomp_arch_native();
	uint32_t compat[2] = { 0, 0 };
	int r;

	if (native == SCMP_ARCH_X86_64) {
		compat[0] = SCMP_ARCH_X86;
		compat[1] = SCMP_ARCH_X32;
	} else if (native == SCMP_ARCH_AARCH64) {
		compat[0] = SCMP_ARCH_ARM;
	} else if (native == SCMP_ARCH_PPC64) {
		compat[0] = SCMP_ARCH_PPC;
	} else if (native == SCMP_ARCH_S390X) {
		compat[0] = SCMP_ARCH_S390;
	}
	for (size_t i = 0; i < N_ELEMENTS(compat); i++) {
		if (!compat[i])
			continue;
		r = seccomp_arch_add(ctx, compat[i]);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

typedef struct {
	struct sock_filter *insns;
	size_t n;
} Insns;

static int export_ctx(scmp_filter_ctx ctx, Insns *out)
{
	_cleanup_close_ int fd = memfd_create("hutch-seccomp", MFD_CLOEXEC);
	char *data = NULL;
	size_t len = 0;
	int r;

	if (fd < 0)
		return log_error_errno(errno, "Can't create a memfd for the seccomp program");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return log_error_errno(-r, "libseccomp can't export the seccomp program");
	if (lseek(fd, 0, SEEK_SET) < 0)
		return log_error_errno(errno, "Can't rewind the seccomp program");
	r = fd_read_all(fd, 2 * BPF_MAXINSNS * sizeof(struct sock_filter), &data, &len);
	if (r < 0)
		return log_error_errno(r == -E2BIG ? E2BIG : -r, "Can't read back the seccomp program");
	out->insns = (struct sock_filter *)data;
	out->n = len / sizeof(struct sock_filter);
	return 0;
}

/* The exceptions of one rule: for each of its `argN != V` (or
 * `argN & M != V`), the call with argN == V (argN & M == V) returns SKIP_NEXT (the rule, compiled next, does not
 * apply), anything else NO_MATCH. */
static int add_exceptions(scmp_filter_ctx ctx, const SeccompPolicyRule *rule, int nr, size_t *added)
{
	for (size_t i = 0; i < rule->n_conds; i++) {
		const SeccompPolicyCond *c = &rule->conds[i];
		struct scmp_arg_cmp cmp = {
			.arg = c->arg,
			.op = SCMP_CMP_MASKED_EQ,
			.datum_a = (c->low32 ? UINT32_MAX : UINT64_MAX) &
				   (c->op == SECCOMP_POLICY_OP_MASKED_NE ? c->mask : UINT64_MAX),
			.datum_b = c->value,
		};
		int r;

		if (c->op != SECCOMP_POLICY_OP_NE && c->op != SECCOMP_POLICY_OP_MASKED_NE)
			continue;
		r = seccomp_rule_add_array(ctx, SKIP_NEXT, nr, 1, &cmp);
		if (r < 0 && r != -EEXIST)
			return log_error_errno(-r, "%s:%u:%u: libseccomp refused the rule for '%s'", rule->loc.file,
					       rule->loc.line, rule->loc.col, rule->syscall);
		(*added)++;
	}
	return 0;
}

/* Rules [from, to) share an action: one libseccomp filter returning it,
 * or NO_MATCH; with exceptions, the filter of the != conditions of the
 * single rule from. *out gets its instructions (n == 0: no rule
 * compiled). */
static int compile_run(const SeccompPolicy *policy, const int *nrs, size_t from, size_t to, bool exceptions,
		       Insns *out)
{
	scmp_filter_ctx ctx;
	uint32_t action = action_value(&policy->rules[from].action);
	size_t added = 0;
	int r;

	memset(out, 0, sizeof *out);
	ctx = seccomp_init(NO_MATCH);
	if (!ctx)
		return log_error_errno(ENOMEM, "libseccomp can't create a filter");
	r = add_arches(ctx);
	if (r >= 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) {
		seccomp_release(ctx);
		return log_error_errno(-r, "libseccomp can't add the compat architectures");
	}
	for (size_t i = from; i < to; i++) {
		const SeccompPolicyRule *rule = &policy->rules[i];
		ConjList conjs = { 0 };

		if (nrs[i] == __NR_SCMP_ERROR)
			continue; /* an optional name libseccomp does not know */
		if (exceptions) {
			r = add_exceptions(ctx, rule, nrs[i], &added);
			if (r < 0) {
				seccomp_release(ctx);
				return r;
			}
			continue;
		}
		r = rule_conjunctions(rule, &conjs);
		if (r == -E2BIG) {
			seccomp_release(ctx);
			return log_error("%s:%u:%u: the conditions of this rule expand to more than %d comparisons; "
					 "split it into simpler rules", rule->loc.file, rule->loc.line, rule->loc.col,
					 MAX_ALTERNATIVES);
		}
		if (r < 0) {
			seccomp_release(ctx);
			return log_error_errno(-r, "Can't compile the seccomp policy");
		}
		for (size_t k = 0; k < conjs.n; k++) {
			struct scmp_arg_cmp cmps[6];
			unsigned n = 0;

			for (unsigned a = 0; a < 6; a++)
				if (conjs.items[k].used[a])
					cmps[n++] = conjs.items[k].cmp[a];
			r = seccomp_rule_add_array(ctx, action, nrs[i], n, cmps);
			if (r < 0 && r != -EEXIST) {
				free(conjs.items);
				seccomp_release(ctx);
				return log_error_errno(-r, "%s:%u:%u: libseccomp refused the rule for '%s'", rule->loc.file,
						       rule->loc.line, rule->loc.col, rule->syscall);
			}
			added++;
		}
		free(conjs.items);
	}
	r = added ? export_ctx(ctx, out) : 0;
	seccomp_release(ctx);
	return r;
}

int seccomp_compile_policy(const SeccompPolicy *policy, SeccompProgram *out)
{
	_cleanup_free_ int *nrs = NULL;
	Insns *runs = NULL;
	bool *is_exceptions = NULL;
	size_t n_runs = 0, total = 1;
	struct sock_filter *prog;
	int r = 0;

	memset(out, 0, sizeof *out);
	nrs = calloc(policy->n_rules + 1, sizeof *nrs);
	/* At most two filters a rule: its exceptions and itself. */
	runs = calloc(2 * policy->n_rules + 1, sizeof *runs);
	is_exceptions = calloc(2 * policy->n_rules + 1, sizeof *is_exceptions);
	if (!nrs || !runs || !is_exceptions) {
		free(runs);
		free(is_exceptions);
		return log_error_errno(ENOMEM, "Out of memory");
	}
	for (size_t i = 0; i < policy->n_rules; i++) {
		const SeccompPolicyRule *rule = &policy->rules[i];

		nrs[i] = seccomp_syscall_resolve_name(rule->syscall);
		if (nrs[i] != __NR_SCMP_ERROR)
			continue;
		if (!rule->optional) {
			r = log_error("%s:%u:%u: unknown system call '%s' (write '?%s' if it may be missing)",
				      rule->loc.file, rule->loc.line, rule->loc.col, rule->syscall, rule->syscall);
			goto out;
		}
		log_warning("%s:%u:%u: unknown system call '%s', rule skipped", rule->loc.file, rule->loc.line,
			    rule->loc.col, rule->syscall);
	}
	for (size_t i = 0; i < policy->n_rules;) {
		size_t j = i + 1;
		const SeccompPolicyAction *a = &policy->rules[i].action;

		if (rule_has_ne(&policy->rules[i])) {
			/* `argN != V` as an exception: a filter that skips the
			 * rule's own when argN == V. (Expanding != into "some
			 * bit differs" costs one alternative per bit, and
			 * several of them multiply.) */
			r = compile_run(policy, nrs, i, j, true, &runs[n_runs]);
			if (r >= 0)
				r = compile_run(policy, nrs, i, j, false, &runs[n_runs + 1]);
			if (r < 0)
				goto out;
			if (runs[n_runs + 1].n == 0) {
				/* The rule can never match: drop both. */
				free(runs[n_runs].insns);
				runs[n_runs].insns = NULL;
				runs[n_runs].n = 0;
			} else if (runs[n_runs].n > 0) {
				is_exceptions[n_runs] = true;
				total += runs[n_runs].n + runs[n_runs + 1].n;
				n_runs += 2;
			}
			i = j;
			continue;
		}
		while (j < policy->n_rules && policy->rules[j].action.kind == a->kind &&
		       policy->rules[j].action.errno_value == a->errno_value && !rule_has_ne(&policy->rules[j]))
			j++;
		r = compile_run(policy, nrs, i, j, false, &runs[n_runs]);
		if (r < 0)
			goto out;
		if (runs[n_runs].n > 0) {
			total += runs[n_runs].n;
			n_runs++;
		}
		i = j;
	}
	if (total > BPF_MAXINSNS) {
		r = log_error("%s: the seccomp policy compiles to %zu instructions, more than the kernel's %d",
			      policy->n_files ? policy->files[0] : "policy", total, BPF_MAXINSNS);
		goto out;
	}
	prog = calloc(total, sizeof *prog);
	if (!prog) {
		r = log_error_errno(ENOMEM, "Out of memory");
		goto out;
	}
	/* Chain the filters: each "no match" return jumps to the start of
	 * the next filter, and an exception filter's "skip" to the one after
	 * (a return and a jump are both one instruction, so no other jump
	 * moves); the policy's default ends the program. */
	size_t at = 0;
	for (size_t k = 0; k < n_runs; k++) {
		size_t next = at + runs[k].n;
		size_t after_next = next + (is_exceptions[k] ? runs[k + 1].n : 0);

		for (size_t i = 0; i < runs[k].n; i++) {
			struct sock_filter insn = runs[k].insns[i];

			if (BPF_CLASS(insn.code) == BPF_RET) {
				if (BPF_RVAL(insn.code) != BPF_K) {
					free(prog);
					r = log_error("libseccomp made a seccomp program hutch can't chain");
					goto out;
				}
				if (insn.k == NO_MATCH)
					insn = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(next - (at + i + 1)), 0, 0);
				else if (insn.k == SKIP_NEXT && is_exceptions[k])
					insn = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
									    (uint32_t)(after_next - (at + i + 1)), 0, 0);
			}
			prog[at + i] = insn;
		}
		at = next;
	}
	prog[at] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action_value(&policy->default_action));
	out->filter = prog;
	out->n_insns = total;
	r = 0;
out:
	for (size_t k = 0; k <= 2 * policy->n_rules; k++)
		free(runs[k].insns);
	free(runs);
	free(is_exceptions);
	return r;
}

static int parse_source(const char *source, bool is_preset, SeccompPolicy *policy)
{
	_cleanup_free_ char *name = NULL, *text = NULL, *why = NULL, *error = NULL;
	size_t len = 0;
	int r;

	r = seccomp_compile_loader(NULL, NULL, source, is_preset, &name, &text, &len, &why);
	if (r == -ENOMEM)
		return log_error_errno(ENOMEM, "Out of memory");
	if (r < 0) {
		if (is_preset)
			return log_error("Unknown seccomp preset '%s': %s", source, why ? why : errno_text(-r));
		if (why)
			return log_error("Can't read seccomp policy '%s': %s", source, why);
		return log_error_errno(-r, "Can't read seccomp policy '%s'", source);
	}
	r = seccomp_policy_parse(policy, name, text, len, seccomp_compile_loader, NULL, &error);
	if (r < 0) {
		if (error)
			return log_error("%s", error);
		return log_error_errno(-r, "Can't parse seccomp policy '%s'", name);
	}
	return 0;
}

int seccomp_compile_source(const char *source, bool is_preset, SeccompProgram *out)
{
	SeccompPolicy policy;
	int r;

	seccomp_policy_init(&policy);
	r = parse_source(source, is_preset, &policy);
	if (r >= 0)
		r = seccomp_compile_policy(&policy, out);
	seccomp_policy_free(&policy);
	return r;
}

int seccomp_compile_export(const char *spec, int fd)
{
	SeccompProgram prog;
	bool is_preset = strncmp(spec, "preset:", 7) == 0;
	int r;

	/* Binary data would garble the terminal; nobody wants it there. */
	if (isatty(fd))
		return log_error("--seccomp-export writes a binary program: redirect standard output to a file or pipe");
	r = seccomp_compile_source(is_preset ? spec + 7 : spec, is_preset, &prog);
	if (r < 0)
		return r;
	r = fd_write_all(fd, prog.filter, prog.n_insns * sizeof(struct sock_filter));
	free(prog.filter);
	if (r < 0)
		return log_error_errno(-r, "Can't write the seccomp program");
	return 0;
}
