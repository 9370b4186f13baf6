/* vclone.c — see vclone.h. */
#include "vclone.h"

#include <errno.h>
#include <fcntl.h>
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

/* The sanitizer builds' way, with the same promise: the child holds
 * the write end of a close-on-exec pipe, so reading it to EOF returns
 * once the child has exec'd or exited. */
static pid_t fork_and_wait_for_exec(int (*fn)(void *), void *arg, unsigned long flags)
{
	int exec_pipe[2];
	char byte;
	pid_t pid;
	int e;

	if (pipe2(exec_pipe, O_CLOEXEC) < 0)
		return -1;
	pid = sys_clone_fork(flags);
	if (pid == 0) {
		close(exec_pipe[0]);
		_exit(fn(arg));
	}
	e = errno;
	close(exec_pipe[1]);
	if (pid > 0)
		while (read(exec_pipe[0], &byte, 1) < 0 && errno == EINTR)
			;
	close(exec_pipe[0]);
	errno = e;
	return pid;
}

pid_t vclone(int (*fn)(void *), void *arg, unsigned long flags)
{
	long page = sysconf(_SC_PAGESIZE);
	char *stack;
	pid_t pid;
	int e;

	if (VCLONE_SANITIZED)
		return fork_and_wait_for_exec(fn, arg, flags);
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
