/* proc-drive.c — run a command and drive it step by step: wait for what
 * it prints or for a file it creates, then type ^C on its terminal or
 * send it a signal; report its exit status.
 *
 * Owns: starting COMMAND with every signal at its default disposition and
 * none blocked (a shell's background job has SIGINT ignored, and a shell
 * cannot trap a signal ignored on entry), optionally on a new
 * pseudo-terminal whose foreground process group it leads (so that ^C
 * reaches it the way a user's does: from the kernel, to the whole group),
 * and the ordered steps below. Every wait is a handshake, bounded by
 * 30 s so that a broken hutch fails instead of hanging the suite.
 * Must not: sleep to order anything.
 *
 * Usage: proc-drive [--pty] [STEP...] -- COMMAND [ARG...]
 * Steps, in order, once COMMAND runs:
 *   wait-out:TEXT    (--pty) until COMMAND's output so far contains TEXT
 *   wait-file:PATH   until PATH exists
 *   intr             (--pty) type the terminal's interrupt character (^C)
 *   susp             (--pty) type the terminal's suspend character (^Z)
 *   wait-stopped     until COMMAND has stopped (as a shell waits before `fg`)
 *   signal:NAME      kill(2) COMMAND with SIGNAME (TERM, INT, HUP, ...)
 * Then waits for COMMAND; with --pty its output is copied to stdout.
 * Without --pty, COMMAND runs in a process group of its own.
 * Exit status: COMMAND's (128+N when signal N killed it); 99 when a step
 * timed out or failed (COMMAND is then SIGKILLed), 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STEP_TIMEOUT_MS 30000

static int master = -1;
static char *output;
static size_t output_len, output_cap;
static pid_t child;
static bool child_done;
static int child_status;

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "TERM", SIGTERM }, { "INT", SIGINT },   { "HUP", SIGHUP },   { "QUIT", SIGQUIT }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 }, { "WINCH", SIGWINCH }, { "CONT", SIGCONT }, { "KILL", SIGKILL }, { "TSTP", SIGTSTP },
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads what the terminal has, waiting at most timeout_ms. */
static void pump(int timeout_ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (master < 0) {
		if (timeout_ms > 0)
			poll(NULL, 0, timeout_ms);
		return;
	}
	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	n = read(master, buf, sizeof buf);
	if (n <= 0) {
		/* EIO: no slave end open any more. */
		close(master);
		master = -1;
		return;
	}
	if (output_len + (size_t)n + 1 > output_cap) {
		output_cap = (output_len + (size_t)n + 1) * 2;
		output = realloc(output, output_cap);
		if (!output)
			abort();
	}
	memcpy(output + output_len, buf, (size_t)n);
	output_len += (size_t)n;
	output[output_len] = '\0';
}

static void check_child(void)
{
	if (!child_done && waitpid(child, &child_status, WNOHANG) == child)
		child_done = true;
}

static void dump_output(void)
{
	if (output_len)
		fwrite(output, 1, output_len, stdout);
	fflush(stdout);
}

__attribute__((noreturn)) static void give_up(const char *what, const char *arg)
{
	fprintf(stderr, "proc-drive: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
	if (!child_done)
		kill(child, SIGKILL);
	dump_output();
	exit(99);
}

static bool step_done(const char *step)
{
	struct stat st;

	if (strncmp(step, "wait-out:", 9) == 0)
		return output && strstr(output, step + 9);
	if (strncmp(step, "wait-file:", 10) == 0)
		return stat(step + 10, &st) == 0;
	return true;
}

static void run_step(const char *step)
{
	long deadline = now_ms() + STEP_TIMEOUT_MS;

	if (strncmp(step, "wait-out:", 9) == 0 || strncmp(step, "wait-file:", 10) == 0) {
		while (!step_done(step)) {
			if (now_ms() > deadline)
				give_up("timed out at step", step);
			check_child();
			if (child_done && master < 0 && !step_done(step))
				give_up("the command ended before step", step);
			pump(20);
		}
		return;
	}
	if (strcmp(step, "wait-stopped") == 0) {
		/* A shell continues a job only once it saw it stop; a SIGCONT
		 * sent earlier would be discarded by the stop that follows. */
		int status;

		for (;;) {
			pid_t got = waitpid(child, &status, WNOHANG | WUNTRACED);

			if (got == child && WIFSTOPPED(status))
				return;
			if (got == child) {
				child_done = true;
				child_status = status;
				give_up("the command ended before step", step);
			}
			if (now_ms() > deadline)
				give_up("timed out at step", step);
			pump(20);
		}
	}
	if (strcmp(step, "intr") == 0 || strcmp(step, "susp") == 0) {
		struct termios t;
		char c;

		if (master < 0 || tcgetattr(master, &t) < 0)
			give_up("no terminal for step", step);
		c = (char)t.c_cc[step[0] == 'i' ? VINTR : VSUSP];
		if (write(master, &c, 1) != 1)
			give_up("can't type at step", step);
		return;
	}
	if (strncmp(step, "signal:", 7) == 0) {
		for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
			if (strcmp(signals[i].name, step + 7) == 0) {
				if (kill(child, signals[i].sig) < 0)
					give_up("kill failed at step", step);
				return;
			}
		}
	}
	give_up("unknown step", step);
}

static void start(char **argv, bool use_pty)
{
	char *slave_name = NULL;
	sigset_t none;

	if (use_pty) {
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(slave_name = ptsname(master))) {
			perror("proc-drive: pty");
			exit(99);
		}
	}
	child = fork();
	if (child < 0) {
		perror("proc-drive: fork");
		exit(99);
	}
	if (child > 0)
		return;
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (use_pty) {
		int slave;

		/* A session of its own, with the new terminal as its
		 * controlling terminal: the command leads the foreground
		 * process group, as a shell's foreground job does. */
		if (setsid() < 0 || (slave = open(slave_name, O_RDWR)) < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
			perror("proc-drive: terminal");
			_exit(99);
		}
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
	} else {
		/* A process group of its own, so that a `kill 0` from inside
		 * reaches neither us nor whoever runs us. */
		setpgid(0, 0);
	}
	execvp(argv[0], argv);
	perror("proc-drive: exec");
	_exit(127);
}

int main(int argc, char **argv)
{
	bool use_pty = false;
	int first = 1, dash = -1;
	long deadline;

	if (argc > 1 && strcmp(argv[1], "--pty") == 0) {
		use_pty = true;
		first = 2;
	}
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dash = i;
			break;
		}
	}
	if (dash < 0 || dash + 1 >= argc) {
		fprintf(stderr, "usage: proc-drive [--pty] [STEP...] -- COMMAND [ARG...]\n");
		return 2;
	}
	start(argv + dash + 1, use_pty);
	for (int i = first; i < dash; i++)
		run_step(argv[i]);

	deadline = now_ms() + STEP_TIMEOUT_MS;
	while (!child_done) {
		if (now_ms() > deadline)
			give_up("timed out waiting for the command to exit", NULL);
		pump(master >= 0 ? 20 : 0);
		check_child();
		if (!child_done && master < 0) {
			/* Nothing to read: just wait (bounded by an alarm). */
			alarm(STEP_TIMEOUT_MS / 1000);
			if (waitpid(child, &child_status, 0) == child)
				child_done = true;
			alarm(0);
		}
	}
	/* What is still buffered on the terminal, without waiting for
	 * processes that may hold it open after the command exited. */
	for (int i = 0; i < 50 && master >= 0; i++) {
		size_t before = output_len;

		pump(10);
		if (output_len == before)
			break;
	}
	dump_output();
	if (WIFEXITED(child_status))
		return WEXITSTATUS(child_status);
	if (WIFSIGNALED(child_status))
		return 128 + WTERMSIG(child_status);
	return 99;
}
