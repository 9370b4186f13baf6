/* seccomp-compile.c — write a compiled seccomp BPF program to stdout.
 *
 * Owns: turning a few command-line rules into the raw `struct sock_filter`
 * array that `--seccomp FD` and `--add-seccomp-fd FD` read, so that the
 * integration tests and the flatpak example need no Python.
 * Must not: install any filter itself, or depend on anything but libc and
 * libseccomp (never glib).
 *
 * Usage:
 *   seccomp-compile [--default allow|kill|errno:ERRNO]
 *                   [--errno SYSCALL:ERRNO]... [--kill SYSCALL]...
 *                   [--allow SYSCALL]...
 *
 * ERRNO is a number or one of the names in errno_names[] (EPERM, EACCES,
 * ENOSYS, ...). SYSCALL is a name libseccomp knows for the native
 * architecture, or a number; an unknown name is an error, so a test never runs with a
 * filter weaker than it asked for. "?NAME" makes a rule optional: it is
 * left out where the architecture has no such call (mkdir exists on
 * x86_64, not on aarch64, which has only mkdirat). The program checks the architecture
 * first (libseccomp's default: a foreign-architecture call is killed).
 *
 * Exit status: 0 on success, 2 on a usage error, 1 when libseccomp fails.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int value;
} errno_names[] = {
	{ "EPERM", EPERM },     { "ENOENT", ENOENT }, { "EIO", EIO },       { "EACCES", EACCES },
	{ "EFAULT", EFAULT },   { "EBUSY", EBUSY },   { "EEXIST", EEXIST }, { "EINVAL", EINVAL },
	{ "ENOSPC", ENOSPC },   { "EROFS", EROFS },   { "ENOSYS", ENOSYS }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "ENOTSUP", ENOTSUP }, { "EXDEV", EXDEV },
};

static void usage(void)
{
	fprintf(stderr, "usage: seccomp-compile [--default allow|kill|errno:ERRNO]\n"
			"                       [--errno SYSCALL:ERRNO]... [--kill SYSCALL]... [--allow SYSCALL]...\n");
	exit(2);
}

static int parse_errno(const char *text)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
		if (strcmp(text, errno_names[i].name) == 0)
			return errno_names[i].value;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0 || v > 4095) {
		fprintf(stderr, "seccomp-compile: bad errno '%s'\n", text);
		exit(2);
	}
	return (int)v;
}

/* The call's number, or __NR_SCMP_ERROR for an optional ("?NAME") call
 * this architecture lacks. */
static int parse_syscall(const char *name)
{
	bool optional = name[0] == '?';
	int nr;
	char *end;
	long num;

	/* A bare number: a call newer than this libseccomp knows by name
	 * (open_tree_attr is 467 on x86_64). */
	errno = 0;
	num = strtol(name, &end, 10);
	if (end != name && *end == '\0' && errno == 0 && num >= 0 && num < 4096)
		return (int)num;
	nr = seccomp_syscall_resolve_name(optional ? name + 1 : name);

	if (nr == __NR_SCMP_ERROR && !optional) {
		fprintf(stderr, "seccomp-compile: unknown system call '%s' on this architecture\n", name);
		exit(2);
	}
	return nr;
}

static uint32_t parse_default(const char *text)
{
	if (strcmp(text, "allow") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(text, "kill") == 0)
		return SCMP_ACT_KILL;
	if (strncmp(text, "errno:", 6) == 0)
		return SCMP_ACT_ERRNO((uint32_t)parse_errno(text + 6));
	fprintf(stderr, "seccomp-compile: bad default action '%s'\n", text);
	exit(2);
}

static void add_rule(scmp_filter_ctx ctx, uint32_t action, const char *syscall_name)
{
	int nr = parse_syscall(syscall_name);
	int r;

	if (nr == __NR_SCMP_ERROR)
		return;
	r = seccomp_rule_add(ctx, action, nr, 0);
	if (r < 0) {
		fprintf(stderr, "seccomp-compile: seccomp_rule_add(%s): %s\n", syscall_name, strerror(-r));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	uint32_t default_action = SCMP_ACT_ALLOW;
	scmp_filter_ctx ctx;
	int i, r;

	/* First pass, over OPTION VALUE pairs: the default action, which
	 * seccomp_init needs. */
	for (i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			usage();
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--default") == 0)
			default_action = parse_default(argv[i + 1]);
	}

	ctx = seccomp_init(default_action);
	if (!ctx) {
		fprintf(stderr, "seccomp-compile: seccomp_init failed\n");
		return 1;
	}

	for (i = 1; i + 1 < argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];

		if (strcmp(opt, "--default") == 0) {
			continue;
		} else if (strcmp(opt, "--errno") == 0) {
			const char *colon = strrchr(val, ':');
			char name[128];

			if (!colon || colon == val || (size_t)(colon - val) >= sizeof name) {
				fprintf(stderr, "seccomp-compile: --errno wants SYSCALL:ERRNO, got '%s'\n", val);
				return 2;
			}
			memcpy(name, val, (size_t)(colon - val));
			name[colon - val] = '\0';
			add_rule(ctx, SCMP_ACT_ERRNO((uint32_t)parse_errno(colon + 1)), name);
		} else if (strcmp(opt, "--kill") == 0) {
			add_rule(ctx, SCMP_ACT_KILL, val);
		} else if (strcmp(opt, "--allow") == 0) {
			add_rule(ctx, SCMP_ACT_ALLOW, val);
		} else {
			fprintf(stderr, "seccomp-compile: unknown option '%s'\n", opt);
			usage();
		}
	}

	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "seccomp-compile: refusing to write a binary program to a terminal\n");
		seccomp_release(ctx);
		return 2;
	}
	r = seccomp_export_bpf(ctx, STDOUT_FILENO);
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "seccomp-compile: seccomp_export_bpf: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
