/* lock-probe.c — tell which POSIX record lock another process holds on a
 * file, without taking one.
 *
 * Owns: one F_GETLK query over the whole file, asking "could I take a
 * write lock?". bwrap's --lock-file takes an fcntl read lock (F_RDLCK);
 * flock(1) uses flock(2), a different lock family that never conflicts
 * with it, so the tests use this probe instead.
 * Must not: take, change or release any lock.
 *
 * Usage: lock-probe FILE
 * Prints one line and exits:
 *   unlocked      0   nobody holds a conflicting lock
 *   read-locked   0   another process holds a read lock (F_RDLCK)
 *   write-locked  0   another process holds a write lock (F_WRLCK)
 * Exit 2 on a usage error, 1 when FILE cannot be opened or queried.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct flock lk;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: lock-probe FILE\n");
		return 2;
	}
	/* F_GETLK does not check the access mode, so a read-only open is
	 * enough even for a write-lock query. */
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "lock-probe: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 0;
	lk.l_len = 0;
	if (fcntl(fd, F_GETLK, &lk) < 0) {
		fprintf(stderr, "lock-probe: F_GETLK %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	switch (lk.l_type) {
	case F_UNLCK:
		puts("unlocked");
		break;
	case F_RDLCK:
		puts("read-locked");
		break;
	case F_WRLCK:
		puts("write-locked");
		break;
	default:
		printf("unknown-lock-type-%d\n", (int)lk.l_type);
		return 1;
	}
	return 0;
}
