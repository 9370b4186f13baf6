/* vclone.c — see vclone.h. */
#include "vclone.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/syscalls.h"

#if defined(__SANITIZE_ADDRESS__)
#define VCLONE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VCLONE_SANITIZED 1
#endif
#endif
#ifndef VCLONE_SANITIZED
#define VCLONE_SANITIZED 0
#endif

/* The child's own stack: sandbox setup needs a few pages of it (PATH_MAX
 * buffers a few calls deep); the rest is never touched, so never backed
 * by memory. */
#define VCLONE_STACK_SIZE (1024 * 1024)

pid_t vclone(int (*fn)(void *), void *arg, unsigned long flags)
{
	long page = sysconf(_SC_PAGESIZE);
	char *stack;
	pid_t pid;
	int e;

	if (VCLONE_SANITIZED) {
		pid = sys_clone_fork(flags);
		if (pid == 0)
			_exit(fn(arg));
		return pid;
	}
	stack = mmap(NULL, VCLONE_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
		     -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	/* A guard page: an overflow faults instead of writing into memory
	 * the caller owns. */
	if (mprotect(stack, (size_t)page, PROT_NONE) < 0) {
		e = errno;
		munmap(stack, VCLONE_STACK_SIZE);
		errno = e;
		return -1;
	}
	pid = clone(fn, stack + VCLONE_STACK_SIZE, (int)(flags | CLONE_VM | CLONE_VFORK), arg);
	e = errno;
	munmap(stack, VCLONE_STACK_SIZE);
	errno = e;
	return pid;
}
