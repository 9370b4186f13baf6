/* seccomp-filter.c — writes a flatpak-style seccomp BPF program (the
 * format --seccomp FD reads) to the file named by argv[1]. Needs
 * libseccomp: cc seccomp-filter.c -lseccomp.
 *
 * The rules are the shape of flatpak's default filter: a list of syscalls
 * failing with EPERM or ENOSYS, argument filters on clone, ioctl, socket
 * and personality. Only its size and shape matter for the benchmark.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif

static const char *const eperm[] = {
	"syslog", "uselib", "acct", "quotactl", "add_key", "keyctl", "request_key", "move_pages", "mbind",
	"get_mempolicy", "set_mempolicy", "migrate_pages", "unshare", "setns", "mount", "umount2", "pivot_root",
	"chroot", "open_by_handle_at", "name_to_handle_at", "init_module", "finit_module", "delete_module",
	"kexec_load", "kexec_file_load", "bpf", "userfaultfd", "modify_ldt", "perf_event_open", "fsopen",
	"fsconfig", "fsmount", "fspick", "open_tree", "move_mount", "mount_setattr",
};
static const char *const enosys[] = { "clone3" };

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int fd, r = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTPUT\n", argv[0]);
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 1;
	for (size_t i = 0; i < sizeof eperm / sizeof *eperm && r == 0; i++) {
		int nr = seccomp_syscall_resolve_name(eperm[i]);

		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	for (size_t i = 0; i < sizeof enosys / sizeof *enosys && r == 0; i++) {
		int nr = seccomp_syscall_resolve_name(enosys[i]);

		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	}
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFu, (int)TIOCSTI));
	for (int fam = AF_UNIX + 1; fam < 46 && r == 0; fam++) {
		if (fam == AF_INET || fam == AF_INET6 || fam == AF_NETLINK)
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				     SCMP_A0(SCMP_CMP_EQ, fam));
	}
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
				     SCMP_A0(SCMP_CMP_GT, 0x0008 /* PER_LINUX32 ... */));
	if (r < 0) {
		fprintf(stderr, "seccomp_rule_add: %d\n", r);
		return 1;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || close(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	seccomp_release(ctx);
	return 0;
}
