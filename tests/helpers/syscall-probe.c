/* syscall-probe.c — makes one system call the way an attacker would and
 * prints what came back: "ok" (with the return value for `raw`) or the
 * errno's name (EPERM, ENOSYS, ...). Exit status 0 whatever the call
 * returned; 2 for a usage error. Built without sanitizers: they make
 * system calls of their own that a filter under test may refuse.
 *
 *   syscall-probe [-32|-x32] [--catch-sigsys] PROBE [ARGS...]
 *
 *   ioctl-tiocsti            ioctl(pipe, TIOCSTI, &c)
 *   ioctl-tiocsti-highbits   the same with bit 32 set in the request
 *                            (CVE-2019-10063: the kernel ignores it)
 *   ioctl-tioclinux          ioctl(pipe, TIOCLINUX, &c)
 *   ioctl-fionread           ioctl(pipe, FIONREAD, &n): must pass
 *   clone3                   clone3() of a child that exits at once
 *   fork                     fork() of a child that exits at once
 *   clone-newuser            clone(CLONE_NEWUSER|SIGCHLD)
 *   unshare-user             unshare(CLONE_NEWUSER)
 *   socket FAMILY            socket(FAMILY, SOCK_DGRAM or SOCK_STREAM, 0);
 *                            FAMILY is AF_... or a number
 *   personality VALUE        personality(VALUE), then back to PER_LINUX
 *   mount-api NAME           open_tree/fsopen/fspick/move_mount/fsconfig/
 *                            fsmount/mount_setattr with harmless arguments
 *   raw NAME-OR-NR [ARGS...] syscall(NR, ARGS...) (numbers in C syntax);
 *                            names are resolved by libseccomp
 *
 * -32 makes the call through the i386 ABI (int $0x80) from this 64-bit
 * process, -x32 through the x32 ABI (x86_64 only): no 32-bit binary
 * is needed to try to slip past a filter that forgot those ABIs. Only
 * the ioctl, socket, personality, unshare-user and raw probes take them.
 * --catch-sigsys: print "SIGSYS" and exit 0 when a SIGSYS arrives (the
 * `trap` action); without it SIGSYS kills the probe.
 */
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ABI_NATIVE, ABI_I386, ABI_X32 };
static int abi = ABI_NATIVE;

static void usage(void)
{
	fprintf(stderr, "usage: syscall-probe [-32|-x32] [--catch-sigsys] PROBE [ARGS...] (see the source)\n");
	exit(2);
}

static void on_sigsys(int sig)
{
	static const char msg[] = "SIGSYS\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0)
		_exit(3);
	_exit(0);
}

/* Same-named system calls under another ABI. */
static long nr_for_abi(const char *name)
{
	uint32_t arch = abi == ABI_I386 ? SCMP_ARCH_X86 : abi == ABI_X32 ? SCMP_ARCH_X32 : seccomp_arch_native();
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "syscall-probe: unknown system call %s\n", name);
		exit(2);
	}
	return nr;
}

static long do_syscall(const char *name, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	/* libseccomp maps i386 socket() to the socketcall() multiplexer;
	 * the probe wants the direct call (359 since Linux 4.3). */
	if (nr < 0 && abi == ABI_I386 && strcmp(name, "socket") == 0)
		nr = 359;
	if (nr < 0)
		nr = nr_for_abi(name);
#if defined(__x86_64__)
	if (abi == ABI_I386) {
		long ret;

		/* The i386 entry: eax = nr, then ebx, ecx, edx, esi, edi (the
		 * sixth argument, in ebp, is never needed here). The kernel
		 * clears r8-r11 on the way back. */
		(void)a5;
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "0"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
				 : "memory", "cc", "r8", "r9", "r10", "r11");
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			return -1;
		}
		return ret;
	}
#else
	if (abi != ABI_NATIVE) {
		fprintf(stderr, "syscall-probe: -32 and -x32 are for x86_64\n");
		exit(2);
	}
#endif
	return syscall(nr, a0, a1, a2, a3, a4, a5);
}

static void report(long ret)
{
	if (ret < 0) {
		const char *name = strerrorname_np(errno);

		printf("%s\n", name ? name : "E?");
	} else {
		printf("ok\n");
	}
}

static long parse_long(const char *s)
{
	uint64_t v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (s[0] == '-')
		v = (uint64_t)strtoll(s, &end, 0);
	if (errno || *end || end == s)
		usage();
	return (long)v;
}

static long family(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} families[] = {
		{ "AF_UNSPEC", AF_UNSPEC }, { "AF_UNIX", AF_UNIX }, { "AF_INET", AF_INET },
		{ "AF_INET6", AF_INET6 }, { "AF_NETLINK", AF_NETLINK }, { "AF_PACKET", AF_PACKET },
		{ "AF_BLUETOOTH", AF_BLUETOOTH }, { "AF_CAN", AF_CAN }, { "AF_VSOCK", AF_VSOCK },
		{ "AF_ALG", AF_ALG }, { "AF_KEY", AF_KEY }, { "AF_APPLETALK", AF_APPLETALK },
	};

	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (strcmp(families[i].name, s) == 0)
			return families[i].value;
	return parse_long(s);
}

static long ioctl_probe(unsigned long request)
{
	int p[2];
	/* Below 4 GiB, so that a call through the i386 ABI can pass it. */
	int *n = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (pipe(p) < 0 || n == MAP_FAILED) {
		perror("syscall-probe: pipe or mmap");
		exit(2);
	}
	return do_syscall("ioctl", -1, p[0], (long)request, (long)n, 0, 0, 0);
}

static long child_result(pid_t pid)
{
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, __WALL) < 0) {
		perror("syscall-probe: waitpid");
		exit(2);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *probe;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-32") == 0)
			abi = ABI_I386;
		else if (strcmp(argv[i], "-x32") == 0)
			abi = ABI_X32;
		else if (strcmp(argv[i], "--catch-sigsys") == 0)
			signal(SIGSYS, on_sigsys);
		else
			usage();
	}
	if (i >= argc)
		usage();
	probe = argv[i++];
	setvbuf(stdout, NULL, _IONBF, 0);

	if (strcmp(probe, "ioctl-tiocsti") == 0) {
		report(ioctl_probe(TIOCSTI));
	} else if (strcmp(probe, "ioctl-tiocsti-highbits") == 0) {
		if (abi == ABI_I386) /* registers are 32 bits there */
			usage();
		report(ioctl_probe((1UL << 32) | TIOCSTI));
	} else if (strcmp(probe, "ioctl-tioclinux") == 0) {
		report(ioctl_probe(TIOCLINUX));
	} else if (strcmp(probe, "ioctl-fionread") == 0) {
		report(ioctl_probe(FIONREAD));
	} else if (strcmp(probe, "clone3") == 0) {
		struct clone_args args = { .exit_signal = SIGCHLD };

		report(child_result((pid_t)syscall(SYS_clone3, &args, sizeof args)));
	} else if (strcmp(probe, "fork") == 0) {
		report(child_result(fork()));
	} else if (strcmp(probe, "clone-newuser") == 0) {
		report(child_result((pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
	} else if (strcmp(probe, "unshare-user") == 0) {
		report(do_syscall("unshare", -1, CLONE_NEWUSER, 0, 0, 0, 0, 0));
	} else if (strcmp(probe, "socket") == 0 && i < argc) {
		long fam = family(argv[i]);
		long r = do_syscall("socket", -1, fam, SOCK_DGRAM, 0, 0, 0, 0);

		/* Some families have no datagram sockets: the family was let
		 * through if the kernel says so about the type. */
		if (r < 0 && (errno == ESOCKTNOSUPPORT || errno == EPROTONOSUPPORT || errno == EPROTOTYPE))
			r = do_syscall("socket", -1, fam, SOCK_STREAM, 0, 0, 0, 0);
		if (r < 0 && (errno == ESOCKTNOSUPPORT || errno == EPROTONOSUPPORT || errno == EPROTOTYPE))
			r = do_syscall("socket", -1, fam, SOCK_SEQPACKET, 0, 0, 0, 0);
		report(r);
	} else if (strcmp(probe, "personality") == 0 && i < argc) {
		long r = do_syscall("personality", -1, parse_long(argv[i]), 0, 0, 0, 0, 0);
		int saved = errno;

		personality(PER_LINUX);
		errno = saved;
		report(r);
	} else if (strcmp(probe, "mount-api") == 0 && i < argc) {
		const char *name = argv[i];
		long r;

		/* Arguments that fail harmlessly (EBADF, EINVAL, ENOENT) if
		 * the call gets through; a filter answers first. */
		if (strcmp(name, "open_tree") == 0)
			r = do_syscall(name, -1, -1, (long)"/nonexistent-hutch-probe", 0, 0, 0, 0);
		else if (strcmp(name, "fsopen") == 0)
			r = do_syscall(name, -1, (long)"hutch-no-such-fs", 0, 0, 0, 0, 0);
		else if (strcmp(name, "fspick") == 0)
			r = do_syscall(name, -1, -1, (long)"/nonexistent-hutch-probe", 0, 0, 0, 0);
		else
			r = do_syscall(name, -1, -1, 0, -1, 0, ~0L, 0);
		report(r);
	} else if (strcmp(probe, "raw") == 0 && i < argc) {
		const char *name = argv[i++];
		long a[6] = { 0 };
		long nr = (name[0] >= '0' && name[0] <= '9') ? parse_long(name) : -1;
		long r;

		for (int k = 0; k < 6 && i < argc; k++, i++)
			a[k] = parse_long(argv[i]);
		if (i < argc)
			usage();
		r = do_syscall(name, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r < 0)
			report(r);
		else
			printf("ok %ld\n", r);
	} else {
		usage();
	}
	return 0;
}
