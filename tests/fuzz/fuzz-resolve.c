/* fuzz-resolve.c — libFuzzer target for the confined path lookups of
 * src/resolve.c: arbitrary destination paths against a small tree full
 * of hostile symlinks, on the O_NOFOLLOW walk (the code hutch carries
 * for kernels without openat2), checked against the kernel's own
 * openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS).
 *
 * Owns: a scratch directory BASE holding root/ (the tree lookups are
 * confined to) and outside/ (what they must never reach), and these
 * invariants, checked after every input:
 *   - nothing is ever created in BASE or outside/, only under root/;
 *   - every fd returned names something under root/ (its /proc path);
 *   - resolve_open() with O_PATH reaches the same inode as openat2, or
 *     both fail (the walk must confine exactly as the kernel does).
 * Must not: touch anything outside BASE, or keep fds across inputs.
 * BASE is made in $TMPDIR, else /dev/shm, else /tmp, and removed at exit
 * (kept after a crash, for looking at).
 *
 * Input: byte 0 picks the operation (byte0 % 6: open, dest-prepare (parents
 * made, parent kept open), + dest-dir, + dest-file, + dest-dir without an
 * fd, open O_CREAT; for open, byte0 / 6
 * % 4 picks O_PATH, O_PATH|O_NOFOLLOW, O_PATH|O_DIRECTORY or O_RDONLY);
 * the rest is the path (up to PATH_MAX bytes, cut at the first NUL).
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolve.h"
#include "util/syscalls.h"

static char base[PATH_MAX];
static char root_path[PATH_MAX + 8];
static char outside_path[PATH_MAX + 16];
static int base_fd = -1;
static bool have_openat2;

static void rm_tree_at(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	if (fd < 0) {
		unlinkat(parent, name, 0);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			rm_tree_at(dirfd(d), e->d_name);
	closedir(d);
	unlinkat(parent, name, AT_REMOVEDIR);
}

/* root/ as every input starts: directories, a file, and symlinks that
 * try every way out (absolute, climbing, to the host path of outside/,
 * to an old-root name, a loop, a chain). */
static void build_root(void)
{
	char out_link[PATH_MAX + 32];
	int r;

	rm_tree_at(base_fd, "root");
	r = mkdirat(base_fd, "root", 0755);
	assert(r == 0);
	snprintf(out_link, sizeof out_link, "%s", outside_path);
	r = 0;
	r |= mkdirat(base_fd, "root/a", 0755);
	r |= mkdirat(base_fd, "root/a/b", 0755);
	r |= mkdirat(base_fd, "root/tmp", 0755);
	r |= close(openat(base_fd, "root/file", O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	r |= symlinkat("/a", base_fd, "root/abs");
	r |= symlinkat("../../../../..", base_fd, "root/up");
	r |= symlinkat("../../../../../outside", base_fd, "root/a/b/rel-out");
	r |= symlinkat(out_link, base_fd, "root/host");
	r |= symlinkat("/oldroot/etc", base_fd, "root/old");
	r |= symlinkat("loop", base_fd, "root/loop");
	r |= symlinkat("chain2", base_fd, "root/chain1");
	r |= symlinkat("up/tmp", base_fd, "root/chain2");
	r |= symlinkat("/proc/self/root", base_fd, "root/magic");
	r |= symlinkat("missing/deeper", base_fd, "root/dangling");
	assert(r == 0);
}

static void remove_base(void)
{
	char *slash = strrchr(base, '/');
	int parent;

	if (!slash)
		return;
	*slash = '\0';
	parent = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent >= 0) {
		rm_tree_at(parent, slash + 1);
		close(parent);
	}
	*slash = '/';
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)argc;
	(void)argv;
	/* A tmpfs when there is one: the tree is rebuilt for most inputs. */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(base, sizeof base, "%s/fuzz-resolve.XXXXXX", tmp);
	if (!mkdtemp(base))
		abort();
	snprintf(root_path, sizeof root_path, "%s/root", base);
	snprintf(outside_path, sizeof outside_path, "%s/outside", base);
	base_fd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (base_fd < 0 || mkdirat(base_fd, "outside", 0755) < 0)
		abort();
	build_root();
	atexit(remove_base);
	fd = sys_openat2(base_fd, ".", &how);
	have_openat2 = fd >= 0;
	if (fd >= 0)
		close(fd);
	/* The walk is what hutch itself implements; openat2 is the oracle. */
	resolve_init(true);
	return 0;
}

static size_t count_entries(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	size_t n = 0;

	if (fd < 0)
		abort();
	d = fdopendir(fd);
	if (!d)
		abort();
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2;
}

static void check_inside(int fd)
{
	char link[64], real[PATH_MAX + 1];
	ssize_t n;
	size_t len = strlen(root_path);

	if (fd < 0)
		return;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, real, sizeof real - 1);
	assert(n > 0);
	real[n] = '\0';
	if (strncmp(real, root_path, len) != 0 || (real[len] != '\0' && real[len] != '/')) {
		fprintf(stderr, "fd %d names %s, outside %s\n", fd, real, root_path);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[PATH_MAX + 1];
	ResolveDest d = RESOLVE_DEST_INIT;
	unsigned op;
	int root_fd, fd = -1, r;
	bool created = false;

	if (size < 1)
		return 0;
	op = data[0] % 6;
	size = size - 1 > PATH_MAX ? PATH_MAX : size - 1;
	memcpy(path, data + 1, size);
	path[size] = '\0';

	root_fd = openat(base_fd, "root", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	assert(root_fd >= 0);

	switch (op) {
	case 0: {
		static const int variants[] = { O_PATH, O_PATH | O_NOFOLLOW, O_PATH | O_DIRECTORY, O_RDONLY };
		int flags = variants[(data[0] / 6) % 4];

		fd = resolve_open(root_fd, path, flags, 0);
		if (have_openat2) {
			struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
						.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
			const char *p = path;
			int kfd;

			while (*p == '/')
				p++;
			kfd = sys_openat2(root_fd, *p ? p : ".", &how);
			if ((fd >= 0) != (kfd >= 0)) {
				fprintf(stderr, "walk %s, openat2 %s for '%s'\n", fd >= 0 ? "opened" : strerror(-fd),
					kfd >= 0 ? "opened" : strerror(errno), path);
				abort();
			}
			if (fd >= 0) {
				struct stat a, b;

				assert(fstat(fd, &a) == 0 && fstat(kfd, &b) == 0);
				assert(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
				close(kfd);
			}
		}
		break;
	}
	case 1:
		/* Parents made, the parent directory kept open. */
		r = resolve_dest_prepare(root_fd, path, 0755, &d);
		if (r == 0 && d.dir_fd != root_fd)
			check_inside(d.dir_fd);
		created = true;
		break;
	case 2:
		r = resolve_dest_prepare(root_fd, path, 0755, &d);
		fd = r < 0 ? r : resolve_dest_dir(&d, path, 0755, true);
		created = true;
		break;
	case 3:
		r = resolve_dest_prepare(root_fd, path, 0755, &d);
		fd = r < 0 ? r : resolve_dest_file(&d, path, 0644);
		created = true;
		break;
	case 4:
		r = resolve_dest_prepare(root_fd, path, 0755, &d);
		r = r < 0 ? r : resolve_dest_dir(&d, path, 0755, false);
		assert(r <= 0); /* no fd without want_fd */
		created = true;
		break;
	default:
		fd = resolve_open(root_fd, path, O_CREAT | O_WRONLY, 0644);
		created = true;
		break;
	}
	check_inside(fd);
	if (fd >= 0)
		close(fd);
	resolve_dest_release(&d);
	close(root_fd);

	/* Nothing but root/ may have changed. */
	if (count_entries(base_fd, ".") != 2 || count_entries(base_fd, "outside") != 0) {
		fprintf(stderr, "something was created outside the root for '%s'\n", path);
		abort();
	}
	if (created)
		build_root();
	return 0;
}
