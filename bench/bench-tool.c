/* bench-tool.c — the timing loop behind bench/run.sh; no dependency but libc.
 *
 *   bench-tool time  -n RUNS [-w WARMUP] [-o FILE] [FDSPEC...] -- CMD ARGS...
 *       Runs CMD RUNS times, one after the other, and appends each run's
 *       wall time (fork to reaped exit, CLOCK_MONOTONIC, nanoseconds) as a
 *       line to FILE (default stdout). WARMUP runs first, not recorded.
 *   bench-tool rate  -c CONCURRENCY -t SECONDS [FDSPEC...] -- CMD ARGS...
 *       Keeps CONCURRENCY copies of CMD running for SECONDS of wall time
 *       and prints "COMPLETED ELAPSED_NS": how many exited in that window
 *       (the ones still running at the end are waited for, not counted).
 *   bench-tool rss   -n RUNS [FDSPEC...] -- CMD ARGS...
 *       Runs CMD RUNS times and prints the per-run peak RSS in KiB, one a
 *       line: wait4()'s ru_maxrss, i.e. the largest high-water RSS of the
 *       child and of every descendant it waited for (RSS before an exec
 *       counts: the kernel keeps the old image's high-water mark).
 *   bench-tool stats FILE
 *       Prints "N MEDIAN P10 P90 MIN MAX" of the numbers in FILE (linear
 *       interpolation between closest ranks).
 *
 * FDSPEC gives the child an fd, made afresh before every run (outside the
 * timed window):
 *   --fd N:file:PATH    PATH opened read-only
 *   --fd N:memfd:PATH   a memfd holding a copy of PATH, at offset 0
 *   --fd N:pipe         the write end of a pipe; bench-tool reads and
 *                       discards what arrives (an --info-fd)
 * The child's stdin is /dev/null, stdout goes to /dev/null, stderr is
 * inherited. Any run that does not exit 0 aborts with status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDSPECS 8
#define MAX_SLOTS 64
#define PREP_FD_BASE 200

enum fd_kind { FD_FILE, FD_MEMFD, FD_PIPE };

struct fdspec {
	int target;
	enum fd_kind kind;
	const char *path;
	char *data; /* FD_MEMFD: the file's content, read once */
	size_t len;
};

static struct fdspec specs[MAX_FDSPECS];
static size_t n_specs;

/* One launched child with its prepared fds. */
struct slot {
	pid_t pid;
	int child_fd[MAX_FDSPECS]; /* what the child gets */
	int drain_fd[MAX_FDSPECS]; /* read ends we empty */
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("bench-tool: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (fd < 0 || !buf)
		die("can't read %s: %s", path, strerror(errno));
	while ((n = read(fd, buf + used, cap - used)) > 0) {
		used += (size_t)n;
		if (used == cap && !(buf = realloc(buf, cap *= 2)))
			die("out of memory");
	}
	if (n < 0)
		die("can't read %s: %s", path, strerror(errno));
	close(fd);
	*len = used;
	return buf;
}

static void parse_fdspec(const char *arg)
{
	struct fdspec *s;
	char *end;
	long n;

	if (n_specs == MAX_FDSPECS)
		die("too many --fd");
	s = &specs[n_specs++];
	n = strtol(arg, &end, 10);
	if (end == arg || *end != ':' || n < 3 || n >= PREP_FD_BASE)
		die("bad --fd %s (want N:file:PATH, N:memfd:PATH or N:pipe, 3 <= N < %d)", arg, PREP_FD_BASE);
	s->target = (int)n;
	end++;
	if (strncmp(end, "file:", 5) == 0) {
		s->kind = FD_FILE;
		s->path = end + 5;
	} else if (strncmp(end, "memfd:", 6) == 0) {
		s->kind = FD_MEMFD;
		s->path = end + 6;
		s->data = slurp(s->path, &s->len);
	} else if (strcmp(end, "pipe") == 0) {
		s->kind = FD_PIPE;
	} else {
		die("bad --fd %s", arg);
	}
}

static int high_fd(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, PREP_FD_BASE);

	if (h < 0)
		die("F_DUPFD_CLOEXEC: %s", strerror(errno));
	close(fd);
	return h;
}

static void prepare(struct slot *sl)
{
	for (size_t i = 0; i < n_specs; i++) {
		const struct fdspec *s = &specs[i];
		int fd, p[2];

		sl->drain_fd[i] = -1;
		switch (s->kind) {
		case FD_FILE:
			fd = open(s->path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("can't open %s: %s", s->path, strerror(errno));
			sl->child_fd[i] = high_fd(fd);
			break;
		case FD_MEMFD:
			fd = memfd_create("bench-args", MFD_CLOEXEC);
			if (fd < 0)
				die("memfd_create: %s", strerror(errno));
			if (write(fd, s->data, s->len) != (ssize_t)s->len || lseek(fd, 0, SEEK_SET) != 0)
				die("can't fill memfd: %s", strerror(errno));
			sl->child_fd[i] = high_fd(fd);
			break;
		case FD_PIPE:
			if (pipe2(p, O_CLOEXEC) < 0)
				die("pipe2: %s", strerror(errno));
			sl->drain_fd[i] = high_fd(p[0]);
			sl->child_fd[i] = high_fd(p[1]);
			fcntl(sl->drain_fd[i], F_SETFL, O_NONBLOCK);
			break;
		default:
			abort();
		}
	}
}

static void drain(struct slot *sl)
{
	char buf[4096];

	for (size_t i = 0; i < n_specs; i++) {
		if (sl->drain_fd[i] < 0)
			continue;
		while (read(sl->drain_fd[i], buf, sizeof buf) > 0)
			;
	}
}

static void release(struct slot *sl)
{
	for (size_t i = 0; i < n_specs; i++) {
		close(sl->child_fd[i]);
		if (sl->drain_fd[i] >= 0)
			close(sl->drain_fd[i]);
	}
}

static pid_t launch(struct slot *sl, char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
			_exit(126);
		for (size_t i = 0; i < n_specs; i++)
			if (dup2(sl->child_fd[i], specs[i].target) < 0)
				_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "bench-tool: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* The write end of a pipe must be closed here, or the drain never
	 * sees EOF; file/memfd ends may go too. */
	for (size_t i = 0; i < n_specs; i++) {
		close(sl->child_fd[i]);
		sl->child_fd[i] = -1;
	}
	sl->pid = pid;
	return pid;
}

static void check_status(int status, char **argv)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status))
		die("%s ... exited with status %d", argv[0], WEXITSTATUS(status));
	die("%s ... killed by signal %d", argv[0], WTERMSIG(status));
}

static pid_t wait_one(struct rusage *ru, int *status)
{
	pid_t pid;

	while ((pid = wait4(-1, status, 0, ru)) < 0 && errno == EINTR)
		;
	if (pid < 0)
		die("wait4: %s", strerror(errno));
	return pid;
}

static void run_once(char **argv, int64_t *ns, long *maxrss_kib)
{
	struct slot sl;
	struct rusage ru;
	int64_t t0, t1;
	int status;

	prepare(&sl);
	t0 = now_ns();
	launch(&sl, argv);
	wait_one(&ru, &status);
	t1 = now_ns();
	drain(&sl);
	release(&sl);
	check_status(status, argv);
	if (ns)
		*ns = t1 - t0;
	if (maxrss_kib)
		*maxrss_kib = ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

static int cmd_stats(const char *path)
{
	FILE *f = fopen(path, "re");
	size_t n = 0, cap = 256;
	double *v = malloc(cap * sizeof *v), x;

	if (!f || !v)
		die("can't read %s: %s", path, strerror(errno));
	while (fscanf(f, "%lf", &x) == 1) {
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof *v)))
			die("out of memory");
		v[n++] = x;
	}
	fclose(f);
	if (n == 0) {
		printf("0 nan nan nan nan nan\n");
		return 0;
	}
	qsort(v, n, sizeof *v, cmp_double);
	printf("%zu %.0f %.0f %.0f %.0f %.0f\n", n, quantile(v, n, 0.5), quantile(v, n, 0.1), quantile(v, n, 0.9), v[0],
	       v[n - 1]);
	free(v);
	return 0;
}

static int cmd_rate(char **argv, int conc, double secs)
{
	struct slot slots[MAX_SLOTS];
	int64_t start = now_ns(), deadline = start + (int64_t)(secs * 1e9), end;
	long completed = 0;
	int running = 0;

	for (int i = 0; i < conc; i++) {
		prepare(&slots[i]);
		launch(&slots[i], argv);
		running++;
	}
	while (running > 0) {
		struct rusage ru;
		int status, i;
		pid_t pid = wait_one(&ru, &status);

		for (i = 0; i < conc && slots[i].pid != pid; i++)
			;
		if (i == conc)
			continue;
		drain(&slots[i]);
		release(&slots[i]);
		check_status(status, argv);
		running--;
		if (now_ns() < deadline) {
			completed++;
			prepare(&slots[i]);
			launch(&slots[i], argv);
			running++;
		}
	}
	end = now_ns();
	(void)end;
	printf("%ld %lld\n", completed, (long long)(deadline - start));
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode, *out = NULL;
	long runs = 1, warmup = 0, conc = 1;
	double secs = 1;
	FILE *of = stdout;
	int i;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		die("usage: bench-tool time|rate|rss|stats ... (see the comment at the top of bench-tool.c)");
	mode = argv[1];
	if (strcmp(mode, "stats") == 0) {
		if (argc != 3)
			die("usage: bench-tool stats FILE");
		return cmd_stats(argv[2]);
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			die("%s needs an argument", a);
		if (strcmp(a, "-n") == 0)
			runs = atol(argv[++i]);
		else if (strcmp(a, "-w") == 0)
			warmup = atol(argv[++i]);
		else if (strcmp(a, "-o") == 0)
			out = argv[++i];
		else if (strcmp(a, "-c") == 0)
			conc = atol(argv[++i]);
		else if (strcmp(a, "-t") == 0)
			secs = atof(argv[++i]);
		else if (strcmp(a, "--fd") == 0)
			parse_fdspec(argv[++i]);
		else
			die("unknown option %s", a);
	}
	if (i >= argc)
		die("no command after --");
	argv += i;
	if (runs < 1 || warmup < 0 || conc < 1 || conc > MAX_SLOTS || !(secs > 0))
		die("bad -n/-w/-c/-t");
	if (out && !(of = fopen(out, "ae")))
		die("can't open %s: %s", out, strerror(errno));

	if (strcmp(mode, "time") == 0) {
		for (long k = 0; k < warmup; k++)
			run_once(argv, NULL, NULL);
		for (long k = 0; k < runs; k++) {
			int64_t ns;

			run_once(argv, &ns, NULL);
			fprintf(of, "%lld\n", (long long)ns);
		}
	} else if (strcmp(mode, "rss") == 0) {
		for (long k = 0; k < runs; k++) {
			long kib;

			run_once(argv, NULL, &kib);
			fprintf(of, "%ld\n", kib);
		}
	} else if (strcmp(mode, "rate") == 0) {
		return cmd_rate(argv, (int)conc, secs);
	} else {
		die("unknown mode %s", mode);
	}
	if (fflush(of) != 0)
		die("write: %s", strerror(errno));
	return 0;
}
