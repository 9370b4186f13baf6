/* escape-probe.c — the attacks tests/integration/escape.sh makes from
 * inside a sandbox, and the pty the TIOCSTI case needs outside it.
 *
 * Owns: one attempt per mode, reported as one line per attempt
 * ("NAME ok" or "NAME ERRNO-NAME"), so the test asserts what the kernel
 * answered rather than a shell's wording.
 * Must not: retry, or treat a refusal as its own failure (exit 0 after a
 * refused attempt; exit 2 on a usage error, 1 when the probe itself
 * cannot run).
 *
 * Modes:
 *   tiocsti             push "x" into fd 0's terminal input (TIOCSTI)
 *   mount-api           open_tree, fsopen, fsmount-less move_mount,
 *                       mount_setattr and mount(2) on "/"
 *   ptrace PID          PTRACE_SEIZE of PID, open /proc/PID/exe for
 *                       writing and /proc/PID/mem for reading
 *   uid-exec PROG ARG.. runs PROG with a pipe as stdin that stays open,
 *                       and reports the Uid: line of /proc/CHILD/status
 *                       once it has exec'd (setuid effect or not)
 *   with-socket KIND FD PROG ARG..
 *                       runs PROG with an AF_UNIX stream socket on FD
 *                       that is "unconnected" or "listening" (for the
 *                       hostile-input cases: a socket as a data fd)
 *   fds                 lists this process's open fds as "N:TARGET",
 *                       leaving out the directory it reads them from
 *   pty-run PROG ARG..  (outside the sandbox) runs PROG in a new session
 *                       whose controlling terminal is a new pty; copies
 *                       its output, then reports how many bytes are
 *                       waiting in the terminal's input ("pending N"),
 *                       and exits with PROG's status
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

struct probe_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

static void report(const char *what, long r)
{
	if (r < 0)
		printf("%s %s\n", what, strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
	else
		printf("%s ok\n", what);
	fflush(stdout);
}

static int mode_tiocsti(void)
{
	char c = 'x';

	report("tiocsti", ioctl(0, TIOCSTI, &c));
	return 0;
}

static int mode_mount_api(void)
{
	struct probe_mount_attr attr = { .attr_clr = 1 /* MOUNT_ATTR_RDONLY */ };
	long tree = syscall(__NR_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | AT_RECURSIVE);

	report("open_tree", tree);
	report("fsopen", syscall(__NR_fsopen, "tmpfs", 0));
	report("move_mount", syscall(__NR_move_mount, tree >= 0 ? (int)tree : AT_FDCWD, "", AT_FDCWD, "/tmp",
				     MOVE_MOUNT_F_EMPTY_PATH));
	report("mount_setattr", syscall(__NR_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof attr));
	report("mount_bind", mount("/", "/", NULL, MS_BIND, NULL));
	report("mount_remount_rw", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
	report("umount", umount2("/", MNT_DETACH));
	return 0;
}

static int mode_ptrace(const char *pid)
{
	char path[64];
	pid_t p = (pid_t)atoi(pid);

	report("ptrace", ptrace(PTRACE_SEIZE, p, NULL, NULL));
	snprintf(path, sizeof path, "/proc/%d/exe", (int)p);
	report("exe_write", open(path, O_WRONLY | O_CLOEXEC));
	snprintf(path, sizeof path, "/proc/%d/mem", (int)p);
	report("mem_read", open(path, O_RDONLY | O_CLOEXEC));
	return 0;
}

static int mode_uid_exec(char **argv)
{
	char path[64], line[256];
	int in[2];
	pid_t pid;
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (pipe2(in, O_CLOEXEC) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	/* Wait until the child runs PROG (its Name: changes at exec), then
	 * read its ids; PROG blocks reading the pipe this process holds. */
	for (int i = 0; i < 20000; i++) {
		FILE *f = fopen(path, "re");
		char name[64] = "", uid[256] = "";

		if (!f)
			break;
		while (fgets(line, sizeof line, f)) {
			if (strncmp(line, "Name:", 5) == 0)
				sscanf(line + 5, " %63s", name);
			else if (strncmp(line, "Uid:", 4) == 0)
				snprintf(uid, sizeof uid, "%s", line);
		}
		fclose(f);
		if (strncmp(name, base, 15) == 0 && uid[0]) {
			printf("%s", uid);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 0;
		}
		usleep(1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("never-ran\n");
	return 1;
}

static int mode_with_socket(const char *kind, const char *fd_arg, char **argv)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), fd = atoi(fd_arg);

	if (s < 0)
		return 1;
	if (strcmp(kind, "listening") == 0) {
		/* An abstract address: nothing on disk to clean up. */
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "hutch-escape-probe-%d", (int)getpid());
		if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0)
			return 1;
	} else if (strcmp(kind, "unconnected") != 0) {
		return 2;
	}
	if (s != fd && (dup2(s, fd) < 0 || close(s) < 0))
		return 1;
	execvp(argv[0], argv);
	return 127;
}

static int mode_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return 1;
	while ((e = readdir(d)) != NULL) {
		char path[300], target[4096];
		ssize_t n;

		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof target - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("%s:%s\n", e->d_name, target);
	}
	closedir(d);
	return 0;
}

static int mode_pty_run(char **argv)
{
	int master, slave, status;
	char buf[4096];
	ssize_t n;
	pid_t leader;

	if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
		return 1;
	leader = fork();
	if (leader < 0)
		return 1;
	if (leader == 0) {
		/* The session leader stays alive until PROG is done: when a
		 * leader exits its terminal is hung up and its input flushed,
		 * which would hide what TIOCSTI pushed. */
		int pending = -1, st = 0;
		pid_t pid;

		close(master);
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			_exit(126);
		/* Raw: no echo, and FIONREAD counts every byte, not only
		 * complete lines. */
		{
			struct termios t;

			if (tcgetattr(slave, &t) == 0) {
				cfmakeraw(&t);
				tcsetattr(slave, TCSANOW, &t);
			}
		}
		pid = fork();
		if (pid < 0)
			_exit(126);
		if (pid == 0) {
			dup2(slave, 0);
			dup2(slave, 1);
			dup2(slave, 2);
			if (slave > 2)
				close(slave);
			execvp(argv[0], argv);
			_exit(127);
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (ioctl(slave, FIONREAD, &pending) < 0)
			pending = -1;
		dprintf(slave, "\npending %d\n", pending);
		tcdrain(slave);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	/* Copy what the terminal shows until the leader exits; the slave
	 * stays open here, so the master never sees EOF: poll the leader. */
	fcntl(master, F_SETFL, O_NONBLOCK);
	for (;;) {
		pid_t w = waitpid(leader, &status, WNOHANG);

		while ((n = read(master, buf, sizeof buf)) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		if (w == leader)
			break;
		usleep(2000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	if (strcmp(argv[1], "tiocsti") == 0)
		return mode_tiocsti();
	if (strcmp(argv[1], "mount-api") == 0)
		return mode_mount_api();
	if (strcmp(argv[1], "ptrace") == 0 && argc == 3)
		return mode_ptrace(argv[2]);
	if (strcmp(argv[1], "uid-exec") == 0 && argc >= 3)
		return mode_uid_exec(argv + 2);
	if (strcmp(argv[1], "with-socket") == 0 && argc >= 5)
		return mode_with_socket(argv[2], argv[3], argv + 4);
	if (strcmp(argv[1], "fds") == 0)
		return mode_fds();
	if (strcmp(argv[1], "pty-run") == 0 && argc >= 3)
		return mode_pty_run(argv + 2);
usage:
	fprintf(stderr, "usage: escape-probe tiocsti|mount-api|ptrace PID|uid-exec PROG..|with-socket KIND FD PROG..|fds|pty-run PROG..\n");
	return 2;
}
