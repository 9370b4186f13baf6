/* test-seccomp-policy.c — the seccomp policy parser and compiler.
 *
 * The parser on its own: a table of malformed policies and the exact
 * message each gets (file:line:column), what well-formed ones parse to,
 * argument widths and includes through a fake loader. The compiler: the
 * programs it makes are run here by a small classic-BPF interpreter on
 * made-up seccomp_data, for the x86_64 and i386 ABIs, and compared with
 * what the policy says should happen, including every operator on
 * random values and the high-bits case of CVE-2019-10063.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "seccomp-compile.h"
#include "seccomp-policy.h"
#include "test-support.h"

/* ------------------------------------------------------------ parser */

/* A loader with two files and the real presets. */
static int fake_loader(void *userdata, const char *from_file, const char *target, bool is_preset, char **name,
		       char **text, size_t *len, char **why)
{
	static const struct {
		const char *name, *text;
	} files[] = {
		{ "inc.policy", "allow getpid\nerrno EPRM getppid\n" },
		{ "ok.policy", "errno ENOSYS clone3\n" },
		{ "self.policy", "include self.policy\n" },
		{ "deep.policy", "include deep2.policy\n" },
	};

	(void)userdata;
	(void)from_file;
	if (is_preset)
		return seccomp_compile_loader(NULL, from_file, target, true, name, text, len, why);
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
		if (strcmp(files[i].name, target) == 0) {
			*name = g_strdup(target);
			*text = g_strdup(files[i].text);
			*len = strlen(files[i].text);
			return 0;
		}
	/* deepN.policy includes deepN+1.policy, for ever. */
	if (g_str_has_prefix(target, "deep")) {
		int n = atoi(target + 4);

		*name = g_strdup(target);
		*text = g_strdup_printf("include deep%d.policy\n", n + 1);
		*len = strlen(*text);
		return 0;
	}
	*why = g_strdup("not in the fake loader");
	return -ENOENT;
}

static int parse(SeccompPolicy *p, const char *text, char **error)
{
	seccomp_policy_init(p);
	return seccomp_policy_parse(p, "t.policy", text, strlen(text), fake_loader, NULL, error);
}

static const struct {
	const char *text;
	const char *message;
} malformed[] = {
	{ "frobnicate getppid", "t.policy:1:1: expected an action (allow, errno, kill-process, kill-thread, trap, log), "
				"'default' or 'include', got 'frobnicate'" },
	{ "# comment\n\n  errno EPRM getppid", "t.policy:3:9: unknown errno 'EPRM' (use a name such as EPERM, or a "
					     "number from 1 to 4095)" },
	{ "errno 4096 getppid", "t.policy:1:7: unknown errno '4096' (use a name such as EPERM, or a number from 1 to 4095)" },
	{ "errno", "t.policy:1:6: 'errno' needs an errno name or number, e.g. EPERM" },
	{ "allow", "t.policy:1:6: expected a system call name after 'allow'" },
	{ "kill-process # nothing", "t.policy:1:14: expected a system call name after 'kill-process'" },
	{ "allow Getppid", "t.policy:1:7: invalid system call name 'Getppid'" },
	{ "allow ??x", "t.policy:1:7: invalid system call name '??x'" },
	{ "allow getppid == 1", "t.policy:1:15: expected a system call name, 'if' or the end of the line, got '=='" },
	{ "allow getppid if", "t.policy:1:17: expected an argument (arg0 to arg5, optionally with :32), got 'end of line'" },
	{ "allow ioctl if arg6 == 1", "t.policy:1:16: expected an argument (arg0 to arg5, optionally with :32), got 'arg6'" },
	{ "allow ioctl if arg1:64 == 1", "t.policy:1:16: expected an argument (arg0 to arg5, optionally with :32), got 'arg1:64'" },
	{ "allow getppid if arg0", "t.policy:1:22: expected a comparison (==, !=, <, <=, >, >= or &) after arg0" },
	{ "allow getppid if arg0 | 1", "t.policy:1:23: expected a comparison (==, !=, <, <=, >, >= or &) after arg0" },
	{ "allow ioctl if arg1 = 1", "t.policy:1:21: unknown operator '=' (did you mean '=='?)" },
	{ "allow ioctl if arg1 ! 1", "t.policy:1:21: unknown operator '!' (did you mean '!='?)" },
	{ "allow getppid if arg0 ==", "t.policy:1:25: expected a value (a number or a constant such as TIOCSTI)" },
	{ "allow ioctl if arg1 == FOO", "t.policy:1:24: unknown constant 'FOO'" },
	{ "allow ioctl if arg1 == tiocsti", "t.policy:1:24: unknown constant 'tiocsti'" },
	{ "allow ioctl if arg1 == 0x1g", "t.policy:1:24: invalid number '0x1g'" },
	{ "allow ioctl if arg1 == 09", "t.policy:1:24: invalid number '09'" },
	{ "allow getppid if arg0 == 0x10000000000000000", "t.policy:1:26: number '0x10000000000000000' does not fit in 64 bits" },
	{ "allow ioctl if arg1 == 0x100005412", "t.policy:1:24: '0x100005412' does not fit in 32 bits, and the kernel "
					       "reads this argument as 32 bits" },
	{ "allow getppid if arg2:32 == 0x100000000", "t.policy:1:29: '0x100000000' does not fit in 32 bits, and the "
						    "kernel reads this argument as 32 bits" },
	{ "allow ioctl if arg1 == -2147483649", "t.policy:1:24: number '-2147483649' is too small" },
	{ "allow ioctl if arg1 == TIOCSTI|", "t.policy:1:32: expected a value (a number or a constant such as TIOCSTI)" },
	{ "allow getppid if arg0 & 0xf0 == 0x5", "t.policy:1:33: the value has bits outside the mask, so the condition "
						"never holds" },
	{ "allow getppid if arg0 & 0xf0 != 0x5", "t.policy:1:33: the value has bits outside the mask, so the condition "
						"always holds" },
	{ "allow getppid if arg0 & 0xf0 0x50", "t.policy:1:30: expected '==' or '!=' after the mask (arg0 & MASK == VALUE)" },
	{ "allow getppid if arg0 & 0xf0 < 0x50", "t.policy:1:30: expected '==' or '!=' after the mask (arg0 & MASK == VALUE)" },
	{ "allow getppid if arg0 == 1 or arg1 == 2", "t.policy:1:28: expected 'and' or the end of the line, got 'or'" },
	{ "allow getppid if arg0 == 1 and", "t.policy:1:31: expected an argument (arg0 to arg5, optionally with :32), "
					   "got 'end of line'" },
	{ "allow getppid if arg0 == 1 and arg0 == 2 and arg0 == 3 and arg0 == 4 and arg0 == 5 and arg0 == 6 "
	  "and arg0 == 7", "t.policy:1:102: too many conditions (at most 6 in a rule)" },
	{ "default allow\n# x\ndefault errno EPERM", "t.policy:3:1: a second 'default' (the first is at t.policy:1:1)" },
	{ "default", "t.policy:1:8: 'default' needs an action (allow, errno ERRNO, kill-process, kill-thread, trap or log)" },
	{ "default deny", "t.policy:1:9: 'default' needs an action (allow, errno ERRNO, kill-process, kill-thread, trap or log)" },
	{ "default allow extra", "t.policy:1:15: unexpected 'extra' after the default action" },
	{ "default errno", "t.policy:1:14: 'errno' needs an errno name or number, e.g. EPERM" },
	{ "include", "t.policy:1:8: 'include' needs a file name or preset:NAME" },
	{ "include preset:", "t.policy:1:9: 'include' needs a file name or preset:NAME" },
	{ "include \"open", "t.policy:1:9: unterminated quoted string" },
	{ "include a b", "t.policy:1:11: unexpected 'b' after the file to include (quote a name with spaces)" },
	{ "include missing.policy", "t.policy:1:9: can't include 'missing.policy': not in the fake loader" },
	{ "include preset:nope", "t.policy:1:9: can't include 'preset:nope': no such preset (hutch has: build, desktop)" },
	{ "allow getpid\ninclude inc.policy", "inc.policy:2:7: unknown errno 'EPRM' (use a name such as EPERM, or a "
					    "number from 1 to 4095)" },
	{ "include self.policy", "self.policy:1:9: 'self.policy' includes itself" },
	{ "include deep1.policy", "deep7.policy:1:9: includes nested too deeply (at most 8 levels)" },
	{ "allow getppid\nallow x\"y", "t.policy:2:8: unterminated quoted string" },
};

static void test_malformed(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		SeccompPolicy p;
		g_autofree char *error = NULL;
		int r = parse(&p, malformed[i].text, &error);

		if (r >= 0)
			g_error("policy %zu parsed, expected: %s", i, malformed[i].message);
		g_assert_cmpint(r, ==, -EINVAL);
		g_assert_cmpstr(error, ==, malformed[i].message);
		seccomp_policy_free(&p);
	}
}

static void test_too_many_includes(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	SeccompPolicy p;
	g_autofree char *error = NULL;

	for (int i = 0; i < 300; i++)
		g_string_append(text, "include ok.policy\n");
	g_assert_cmpint(parse(&p, text->str, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "t.policy:256:9: too many includes (at most 256 files in a policy)");
	seccomp_policy_free(&p);
}

static void test_nul_byte(void)
{
	static const char text[] = "allow getppid\nallow\0getpid\n";
	SeccompPolicy p;
	g_autofree char *error = NULL;

	seccomp_policy_init(&p);
	g_assert_cmpint(seccomp_policy_parse(&p, "t.policy", text, sizeof text - 1, NULL, NULL, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "t.policy:2:6: NUL byte in the policy");
	seccomp_policy_free(&p);
}

static void test_no_loader(void)
{
	SeccompPolicy p;
	g_autofree char *error = NULL;

	seccomp_policy_init(&p);
	g_assert_cmpint(seccomp_policy_parse(&p, "t", "include x", 9, NULL, NULL, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "t:1:9: can't include 'x': includes are not available here");
	seccomp_policy_free(&p);
}

static void test_well_formed(void)
{
	SeccompPolicy p;
	g_autofree char *error = NULL;
	const SeccompPolicyRule *r;

	g_assert_cmpint(parse(&p,
			      "# a comment\n"
			      "default errno EACCES   # trailing comment\n"
			      "\n"
			      "\tallow read write ?no_such_call\n"
			      "errno 38 clone3\n"
			      "errno EPERM ioctl if arg1==TIOCSTI|0x10\n"
			      "kill-process getppid if arg0 & 0xff == 0x12 and arg1 >= -1 and arg2:32 != -1\n"
			      "errno EAFNOSUPPORT socket if arg0 > AF_INET6\n"
			      "trap getpid\nlog gettid\nkill-thread uname\n"
			      "allow personality if arg0 == 0755\n"
			      "include ok.policy\n",
			      &error),
			==, 0);
	g_assert_null(error);
	g_assert_true(p.has_default);
	g_assert_cmpint(p.default_action.kind, ==, SECCOMP_POLICY_ERRNO);
	g_assert_cmpint(p.default_action.errno_value, ==, EACCES);
	g_assert_cmpuint(p.n_rules, ==, 12);

	r = &p.rules[0];
	g_assert_cmpstr(r->syscall, ==, "read");
	g_assert_cmpint(r->action.kind, ==, SECCOMP_POLICY_ALLOW);
	g_assert_cmpuint(r->loc.line, ==, 4);
	g_assert_cmpuint(r->loc.col, ==, 8);
	g_assert_cmpstr(p.rules[1].syscall, ==, "write");
	g_assert_cmpstr(p.rules[2].syscall, ==, "no_such_call");
	g_assert_true(p.rules[2].optional);
	g_assert_false(p.rules[1].optional);

	r = &p.rules[3];
	g_assert_cmpint(r->action.errno_value, ==, ENOSYS);

	r = &p.rules[4];
	g_assert_cmpuint(r->n_conds, ==, 1);
	g_assert_cmpuint(r->conds[0].arg, ==, 1);
	g_assert_true(r->conds[0].low32);
	g_assert_cmpint(r->conds[0].op, ==, SECCOMP_POLICY_OP_EQ);
	g_assert_cmphex(r->conds[0].value, ==, TIOCSTI | 0x10);

	r = &p.rules[5];
	g_assert_cmpuint(r->n_conds, ==, 3);
	g_assert_cmpint(r->conds[0].op, ==, SECCOMP_POLICY_OP_MASKED_EQ);
	g_assert_cmphex(r->conds[0].mask, ==, 0xff);
	g_assert_cmphex(r->conds[0].value, ==, 0x12);
	g_assert_false(r->conds[0].low32);
	g_assert_cmpint(r->conds[1].op, ==, SECCOMP_POLICY_OP_GE);
	g_assert_cmphex(r->conds[1].value, ==, UINT64_MAX); /* -1 as a 64-bit value */
	g_assert_true(r->conds[2].low32);
	g_assert_cmphex(r->conds[2].value, ==, 0xffffffffu); /* -1 as a 32-bit value */
	g_assert_cmpuint(r->conds[2].loc.col, ==, 64);

	g_assert_cmpint(p.rules[6].conds[0].op, ==, SECCOMP_POLICY_OP_GT);
	g_assert_true(p.rules[6].conds[0].low32);
	g_assert_cmpint(p.rules[7].action.kind, ==, SECCOMP_POLICY_TRAP);
	g_assert_cmpint(p.rules[8].action.kind, ==, SECCOMP_POLICY_LOG);
	g_assert_cmpint(p.rules[9].action.kind, ==, SECCOMP_POLICY_KILL_THREAD);
	g_assert_cmphex(p.rules[10].conds[0].value, ==, 0755);
	g_assert_cmpstr(p.rules[11].syscall, ==, "clone3");
	g_assert_cmpstr(p.rules[11].loc.file, ==, "ok.policy");
	g_assert_cmpuint(p.rules[11].loc.line, ==, 1);
	seccomp_policy_free(&p);
}

static void test_negative_numbers(void)
{
	SeccompPolicy p;
	g_autofree char *error = NULL;

	g_assert_cmpint(parse(&p, "errno EPERM getppid if arg0 == -9223372036854775808 and arg1 == -1\n"
				  "errno EPERM ioctl if arg1 == -2147483648 and arg0 == -1\n", &error), ==, 0);
	g_assert_cmphex(p.rules[0].conds[0].value, ==, UINT64_C(0x8000000000000000));
	g_assert_cmphex(p.rules[0].conds[1].value, ==, UINT64_MAX);
	g_assert_cmphex(p.rules[1].conds[0].value, ==, 0x80000000u);
	g_assert_cmphex(p.rules[1].conds[1].value, ==, 0xffffffffu);
	seccomp_policy_free(&p);
	g_assert_cmpint(parse(&p, "errno EPERM getppid if arg0 == -9223372036854775809\n", &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "t.policy:1:32: number '-9223372036854775809' is too small");
	seccomp_policy_free(&p);
}

static void test_multi_syscall_widths(void)
{
	SeccompPolicy p;
	g_autofree char *error = NULL;

	/* One rule, two calls: ioctl's arg1 is 32 bits, getppid's is not. */
	g_assert_cmpint(parse(&p, "errno EPERM ioctl getppid if arg1 == 5\n", &error), ==, 0);
	g_assert_cmpuint(p.n_rules, ==, 2);
	g_assert_true(p.rules[0].conds[0].low32);
	g_assert_false(p.rules[1].conds[0].low32);
	seccomp_policy_free(&p);
	g_clear_pointer(&error, free);
	/* ... so a 64-bit value is refused for the one that is 32 bits. */
	g_assert_cmpint(parse(&p, "errno EPERM getppid ioctl if arg1 == 0x100000000\n", &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "t.policy:1:38: '0x100000000' does not fit in 32 bits, and the kernel reads this "
				   "argument as 32 bits");
	seccomp_policy_free(&p);
}

static void test_tables(void)
{
	uint64_t v;

	g_assert_true(seccomp_policy_constant("TIOCSTI", &v));
	g_assert_cmphex(v, ==, TIOCSTI);
	g_assert_true(seccomp_policy_constant("TIOCLINUX", &v));
	g_assert_cmphex(v, ==, TIOCLINUX);
	g_assert_true(seccomp_policy_constant("CLONE_NEWUSER", &v));
	g_assert_cmphex(v, ==, 0x10000000);
	g_assert_false(seccomp_policy_constant("NOPE", &v));
	g_assert_cmpint(seccomp_policy_errno("EPERM"), ==, EPERM);
	g_assert_cmpint(seccomp_policy_errno("ENOTSUP"), ==, ENOTSUP);
	g_assert_cmpint(seccomp_policy_errno("EWOULDBLOCK"), ==, EWOULDBLOCK);
	g_assert_cmpint(seccomp_policy_errno("1"), ==, 1);
	g_assert_cmpint(seccomp_policy_errno("0"), ==, -1);
	g_assert_cmpint(seccomp_policy_errno("eperm"), ==, -1);
	g_assert_true(seccomp_policy_arg_is_32bit("ioctl", 1));
	g_assert_false(seccomp_policy_arg_is_32bit("ioctl", 2));
	g_assert_true(seccomp_policy_arg_is_32bit("clone", 0));
	g_assert_false(seccomp_policy_arg_is_32bit("getppid", 0));
}

static void test_presets_parse(void)
{
	static const char *const names[] = { "desktop", "build" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *text = g_strdup_printf("include preset:%s\n", names[i]);
		SeccompPolicy p;
		g_autofree char *error = NULL;

		g_assert_cmpint(parse(&p, text, &error), ==, 0);
		g_assert_null(error);
		g_assert_false(p.has_default);
		g_assert_cmpuint(p.n_rules, >, 40);
		seccomp_policy_free(&p);
	}
}

/* ------------------------------------------------------------ compiler */

typedef struct {
	uint32_t nr, arch;
	uint64_t ip;
	uint64_t args[6];
} Data;

/* Classic BPF as the kernel runs a seccomp filter (the instructions
 * libseccomp and the chaining use). */
static uint32_t run_bpf(const struct sock_filter *prog, size_t n, const Data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const uint8_t *bytes = (const uint8_t *)d;

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &prog[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS && BPF_SIZE(i->code) == BPF_W) {
				g_assert_cmpuint(i->k + 4, <=, sizeof *d);
				memcpy(&a, bytes + i->k, 4);
			} else if (BPF_MODE(i->code) == BPF_IMM) {
				a = i->k;
			} else if (BPF_MODE(i->code) == BPF_MEM) {
				a = mem[i->k];
			} else {
				g_error("unexpected load 0x%x", i->code);
			}
			break;
		case BPF_LDX:
			x = BPF_MODE(i->code) == BPF_MEM ? mem[i->k] : i->k;
			break;
		case BPF_ST:
			mem[i->k] = a;
			break;
		case BPF_STX:
			mem[i->k] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			default: g_error("unexpected alu 0x%x", i->code);
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(i->code)) {
			case BPF_JA: pc += i->k; break;
			case BPF_JEQ: pc += a == src ? i->jt : i->jf; break;
			case BPF_JGT: pc += a > src ? i->jt : i->jf; break;
			case BPF_JGE: pc += a >= src ? i->jt : i->jf; break;
			case BPF_JSET: pc += (a & src) ? i->jt : i->jf; break;
			default: g_error("unexpected jump 0x%x", i->code);
			}
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			g_error("unexpected instruction 0x%x", i->code);
		}
	}
	g_error("fell off the end of the program");
	return 0;
}

typedef struct {
	SeccompProgram prog;
} Compiled;

static void compile(const char *text, Compiled *c)
{
	SeccompPolicy p;
	g_autofree char *error = NULL;

	if (parse(&p, text, &error) < 0)
		g_error("%s", error);
	g_assert_cmpint(seccomp_compile_policy(&p, &c->prog), ==, 0);
	seccomp_policy_free(&p);
}

static uint32_t eval(const Compiled *c, uint32_t arch, const char *syscall, const uint64_t *args)
{
	Data d = { .arch = arch == AUDIT_ARCH_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64 };
	int nr = seccomp_syscall_resolve_name_arch(arch == AUDIT_ARCH_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64,
						   syscall);

	/* libseccomp names i386's socketcall() multiplexer "socket"; the
	 * direct call is 359 there. */
	if (nr < 0 && arch == AUDIT_ARCH_I386 && strcmp(syscall, "socket") == 0)
		nr = 359;
	g_assert_cmpint(nr, >=, 0);
	d.nr = (uint32_t)nr;
	for (int i = 0; i < 6; i++)
		d.args[i] = arch == AUDIT_ARCH_I386 ? (uint32_t)args[i] : args[i];
	return run_bpf(c->prog.filter, c->prog.n_insns, &d);
}

#define ARGS(...) ((const uint64_t[6]){ __VA_ARGS__ })

static void test_compile_first_match(void)
{
	Compiled c;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		g_test_skip("the interpreter checks x86_64 programs");
		return;
	}
	compile("default errno EACCES\n"
		"allow getppid if arg0 == 1\n"
		"errno ENOSYS getppid if arg0 == 2\n"
		"errno EPERM getppid\n"
		"errno ENOSYS getppid\n"
		"kill-process getpid\n"
		"trap gettid\nlog uname\nkill-thread getuid\n"
		"allow ioctl\n",
		&c);
	for (int k = 0; k < 2; k++) {
		uint32_t arch = k ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;

		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(1)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(2)), ==, SECCOMP_RET_ERRNO | ENOSYS);
		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(3)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "getpid", ARGS(0)), ==, SECCOMP_RET_KILL_PROCESS);
		g_assert_cmphex(eval(&c, arch, "gettid", ARGS(0)), ==, SECCOMP_RET_TRAP);
		g_assert_cmphex(eval(&c, arch, "uname", ARGS(0)), ==, SECCOMP_RET_LOG);
		g_assert_cmphex(eval(&c, arch, "getuid", ARGS(0)), ==, SECCOMP_RET_KILL_THREAD);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "read", ARGS(0)), ==, SECCOMP_RET_ERRNO | EACCES);
	}
	free(c.prog.filter);
}

static void test_compile_desktop(void)
{
	Compiled c;
	Data bad_arch = { .arch = AUDIT_ARCH_AARCH64 };

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		g_test_skip("the interpreter checks x86_64 programs");
		return;
	}
	compile("include preset:desktop\n", &c);
	for (int k = 0; k < 2; k++) {
		uint32_t arch = k ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;

		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, TIOCSTI)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, TIOCLINUX)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, FIONREAD)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "clone3", ARGS(0)), ==, SECCOMP_RET_ERRNO | ENOSYS);
		g_assert_cmphex(eval(&c, arch, "fsopen", ARGS(0)), ==, SECCOMP_RET_ERRNO | ENOSYS);
		g_assert_cmphex(eval(&c, arch, "clone", ARGS(0x10000000 | 17)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "clone", ARGS(17)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "personality", ARGS(0xffffffff)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "personality", ARGS(8)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "read", ARGS(0)), ==, SECCOMP_RET_ALLOW);
	}
	/* CVE-2019-10063: the kernel reads the request as an unsigned int. */
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "ioctl", ARGS(0, (1ULL << 32) | TIOCSTI)), ==,
			SECCOMP_RET_ERRNO | EPERM);
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "ioctl", ARGS(0, 0xffffffff00000000ULL | TIOCLINUX)), ==,
			SECCOMP_RET_ERRNO | EPERM);
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "socket", ARGS(0xffffffff00000000ULL | 2)), ==, SECCOMP_RET_ALLOW);
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "socket", ARGS(0x100000000ULL | 17)), ==,
			SECCOMP_RET_ERRNO | EAFNOSUPPORT);
	/* An architecture the filter does not cover is killed. */
	g_assert_cmphex(run_bpf(c.prog.filter, c.prog.n_insns, &bad_arch), ==, SECCOMP_RET_KILL_PROCESS);
	free(c.prog.filter);
}

static bool reference(SeccompPolicyOp op, uint64_t x, uint64_t v)
{
	switch (op) {
	case SECCOMP_POLICY_OP_EQ: return x == v;
	case SECCOMP_POLICY_OP_NE: return x != v;
	case SECCOMP_POLICY_OP_LT: return x < v;
	case SECCOMP_POLICY_OP_LE: return x <= v;
	case SECCOMP_POLICY_OP_GT: return x > v;
	case SECCOMP_POLICY_OP_GE: return x >= v;
	case SECCOMP_POLICY_OP_MASKED_EQ:
	case SECCOMP_POLICY_OP_MASKED_NE:
	default: g_assert_not_reached();
	}
}

/* Random values near the boundaries, for every operator, on a 32-bit
 * argument (ioctl's request: high bits ignored) and a 64-bit one. */
static void test_compile_operators(void)
{
	static const char *const op_text[] = { "==", "!=", "<", "<=", ">", ">=" };
	GRand *rand = g_rand_new_with_seed(20260101);

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		g_test_skip("the interpreter checks x86_64 programs");
		g_rand_free(rand);
		return;
	}
	for (int round = 0; round < 60; round++) {
		SeccompPolicyOp op = (SeccompPolicyOp)(round % 6);
		uint64_t v32 = g_rand_int(rand) >> g_rand_int_range(rand, 0, 32);
		uint64_t v64 = ((uint64_t)g_rand_int(rand) << 32 | g_rand_int(rand)) >> g_rand_int_range(rand, 0, 64);
		g_autofree char *text = g_strdup_printf("errno EPERM ioctl if arg1 %s 0x%" G_GINT64_MODIFIER "x\n"
							"errno EPERM getppid if arg0 %s 0x%" G_GINT64_MODIFIER "x\n",
							op_text[op], v32, op_text[op], v64);
		Compiled c;

		compile(text, &c);
		for (int t = 0; t < 40; t++) {
			uint64_t high = (uint64_t)g_rand_int(rand) << 32;
			int64_t delta = g_rand_int_range(rand, -3, 4);
			uint64_t x32 = (uint32_t)(v32 + (uint64_t)delta);
			uint64_t x64 = v64 + (uint64_t)delta;
			uint32_t want, got;

			if (t % 4 == 0)
				x32 = g_rand_int(rand);
			if (t % 4 == 1)
				x64 = (uint64_t)g_rand_int(rand) << 32 | g_rand_int(rand);

			want = reference(op, x32, v32) ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW;
			got = eval(&c, AUDIT_ARCH_X86_64, "ioctl", ARGS(0, high | x32));
			if (want != got)
				g_error("ioctl arg1 0x%" G_GINT64_MODIFIER "x %s 0x%" G_GINT64_MODIFIER "x: want 0x%x, got 0x%x",
					high | x32, op_text[op], v32, want, got);
			got = eval(&c, AUDIT_ARCH_I386, "ioctl", ARGS(0, x32));
			g_assert_cmphex(want, ==, got);

			want = reference(op, x64, v64) ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW;
			got = eval(&c, AUDIT_ARCH_X86_64, "getppid", ARGS(x64));
			if (want != got)
				g_error("getppid arg0 0x%" G_GINT64_MODIFIER "x %s 0x%" G_GINT64_MODIFIER "x: want 0x%x, got 0x%x",
					x64, op_text[op], v64, want, got);
		}
		free(c.prog.filter);
	}
	g_rand_free(rand);
}

static void test_compile_two_conditions_one_arg(void)
{
	Compiled c;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		g_test_skip("the interpreter checks x86_64 programs");
		return;
	}
	compile("errno EPERM getppid if arg0 >= 5 and arg0 <= 10 and arg0 & 1 == 1\n", &c);
	for (uint64_t x = 0; x < 20; x++) {
		uint32_t want = (x >= 5 && x <= 10 && (x & 1)) ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW;

		g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "getppid", ARGS(x)), ==, want);
		g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "getppid", ARGS(x | 1ULL << 40)), ==, SECCOMP_RET_ALLOW);
	}
	free(c.prog.filter);
}

/* != conditions are exceptions to their rule, checked first. */
static void test_compile_not_equal(void)
{
	Compiled c;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		g_test_skip("the interpreter checks x86_64 programs");
		return;
	}
	compile("errno EAFNOSUPPORT socket if arg0 != AF_UNIX and arg0 != AF_INET and arg0 != AF_INET6\n"
		"errno EPERM getppid if arg0 != 5 and arg1 == 2\n"
		"errno ENOSYS getppid\n"
		"allow ioctl if arg1 != 3 and arg1 != 4\n"
		"errno EPERM ioctl\n"
		"errno EACCES openat if arg2 & O_CREAT|O_TRUNC != 0 and arg2 & O_ACCMODE != O_RDONLY\n",
		&c);
	for (int k = 0; k < 2; k++) {
		uint32_t arch = k ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;

		for (uint64_t fam = 0; fam < 50; fam++) {
			uint32_t want = fam == 1 || fam == 2 || fam == 10 ? SECCOMP_RET_ALLOW
									  : SECCOMP_RET_ERRNO | EAFNOSUPPORT;

			g_assert_cmphex(eval(&c, arch, "socket", ARGS(fam)), ==, want);
		}
		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(4, 2)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(5, 2)), ==, SECCOMP_RET_ERRNO | ENOSYS);
		g_assert_cmphex(eval(&c, arch, "getppid", ARGS(4, 3)), ==, SECCOMP_RET_ERRNO | ENOSYS);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, 2)), ==, SECCOMP_RET_ALLOW);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, 3)), ==, SECCOMP_RET_ERRNO | EPERM);
		g_assert_cmphex(eval(&c, arch, "ioctl", ARGS(0, 4)), ==, SECCOMP_RET_ERRNO | EPERM);
	}
	for (uint64_t flags = 0; flags < 0x1000; flags++) {
		bool want = (flags & (O_CREAT | O_TRUNC)) && (flags & O_ACCMODE) != O_RDONLY;

		g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "openat", ARGS(0, 0, flags | 0x7700000000ULL)), ==,
				want ? SECCOMP_RET_ERRNO | EACCES : SECCOMP_RET_ALLOW);
	}
	/* 32-bit arguments: high bits change nothing. */
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "socket", ARGS(0x100000001ULL)), ==, SECCOMP_RET_ALLOW);
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "socket", ARGS(0x100000011ULL)), ==, SECCOMP_RET_ERRNO | EAFNOSUPPORT);
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "ioctl", ARGS(0, 0xff00000003ULL)), ==, SECCOMP_RET_ERRNO | EPERM);
	/* 64-bit ones: they count. */
	g_assert_cmphex(eval(&c, AUDIT_ARCH_X86_64, "getppid", ARGS(0x100000005ULL, 2)), ==, SECCOMP_RET_ERRNO | EPERM);
	free(c.prog.filter);
}

static void test_compile_errors(void)
{
	SeccompPolicy p;
	SeccompProgram prog;
	CapturedLog log;
	g_autofree char *error = NULL;

	g_assert_cmpint(parse(&p, "allow getppid\nerrno EPERM  no_such_call_hutch\n", &error), ==, 0);
	captured_log_start(&log);
	g_assert_cmpint(seccomp_compile_policy(&p, &prog), <, 0);
	g_assert_cmpstr(captured_log_last_error(&log), ==,
			"t.policy:2:14: unknown system call 'no_such_call_hutch' (write '?no_such_call_hutch' if it may be missing)");
	captured_log_stop(&log);
	seccomp_policy_free(&p);

	g_assert_cmpint(parse(&p, "errno EPERM ?no_such_call_hutch\n", &error), ==, 0);
	captured_log_start(&log);
	g_assert_cmpint(seccomp_compile_policy(&p, &prog), ==, 0);
	g_assert_true(captured_log_has(&log, "W: t.policy:1:13: unknown system call 'no_such_call_hutch', rule skipped"));
	captured_log_stop(&log);
	/* Nothing left but the default. */
	g_assert_cmpuint(prog.n_insns, ==, 1);
	free(prog.filter);
	seccomp_policy_free(&p);

	/* < on three 32-bit arguments: 32 x 32 x 32 alternatives. */
	g_assert_cmpint(parse(&p, "errno EPERM socket if arg0 < 0xffffffff and arg1 < 0xffffffff and arg2 < 0xffffffff\n",
			      &error), ==, 0);
	captured_log_start(&log);
	g_assert_cmpint(seccomp_compile_policy(&p, &prog), <, 0);
	g_assert_cmpstr(captured_log_last_error(&log), ==,
			"t.policy:1:13: the conditions of this rule expand to more than 1024 comparisons; split it into "
			"simpler rules");
	captured_log_stop(&log);
	seccomp_policy_free(&p);
}

/* Alternating actions make one filter each: past the kernel's 4096
 * instructions the policy is refused, naming it. */
static void test_compile_too_large(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	SeccompPolicy p;
	SeccompProgram prog;
	CapturedLog log;
	g_autofree char *error = NULL;
	const char *error_text;

	for (int i = 0; i < 400; i++)
		g_string_append_printf(text, "%s getppid if arg0 == %d\n", i % 2 ? "allow" : "errno EPERM", i);
	g_assert_cmpint(parse(&p, text->str, &error), ==, 0);
	captured_log_start(&log);
	g_assert_cmpint(seccomp_compile_policy(&p, &prog), <, 0);
	error_text = captured_log_last_error(&log);
	g_assert_nonnull(error_text);
	g_assert_true(g_str_has_prefix(error_text, "t.policy: the seccomp policy compiles to "));
	g_assert_true(g_str_has_suffix(error_text, " instructions, more than the kernel's 4096"));
	captured_log_stop(&log);
	seccomp_policy_free(&p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seccomp-policy/parse/malformed", test_malformed);
	g_test_add_func("/seccomp-policy/parse/nul-byte", test_nul_byte);
	g_test_add_func("/seccomp-policy/parse/too-many-includes", test_too_many_includes);
	g_test_add_func("/seccomp-policy/parse/no-loader", test_no_loader);
	g_test_add_func("/seccomp-policy/parse/well-formed", test_well_formed);
	g_test_add_func("/seccomp-policy/parse/multi-syscall-widths", test_multi_syscall_widths);
	g_test_add_func("/seccomp-policy/parse/negative-numbers", test_negative_numbers);
	g_test_add_func("/seccomp-policy/parse/tables", test_tables);
	g_test_add_func("/seccomp-policy/parse/presets", test_presets_parse);
	g_test_add_func("/seccomp-policy/compile/first-match", test_compile_first_match);
	g_test_add_func("/seccomp-policy/compile/desktop", test_compile_desktop);
	g_test_add_func("/seccomp-policy/compile/operators", test_compile_operators);
	g_test_add_func("/seccomp-policy/compile/two-conditions-one-arg", test_compile_two_conditions_one_arg);
	g_test_add_func("/seccomp-policy/compile/not-equal", test_compile_not_equal);
	g_test_add_func("/seccomp-policy/compile/errors", test_compile_errors);
	g_test_add_func("/seccomp-policy/compile/too-large", test_compile_too_large);
	return g_test_run();
}
