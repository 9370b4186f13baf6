/* syscalls.h — raw wrappers for system calls glibc may not wrap.
 *
 * Owns: the syscall numbers and argument structs of the new mount API,
 * openat2, pivot_root and fork-style clone, so that hutch builds against
 * older glibc and never mixes <sys/mount.h> with <linux/mount.h>.
 * Must not: add policy; every wrapper returns what the kernel returns
 * (-1 with errno set).
 */
#pragma once

#include <linux/openat2.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC 02000000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef FSCONFIG_SET_STRING
#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_CMD_CREATE 6
#endif

#ifndef __NR_open_tree
#define __NR_open_tree 428
#define __NR_move_mount 429
#define __NR_fsopen 430
#define __NR_fsconfig 431
#define __NR_fsmount 432
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

struct hutch_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

static inline int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(__NR_open_tree, dfd, path, flags);
}

/* open_tree() and mount_setattr() on the copy in one call (Linux 6.15). */
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
static inline int sys_open_tree_attr(int dfd, const char *path, unsigned flags, struct hutch_mount_attr *attr)
{
	return (int)syscall(__NR_open_tree_attr, dfd, path, flags, attr, sizeof *attr);
}

static inline int sys_move_mount(int from_dfd, const char *from_path, int to_dfd, const char *to_path,
				 unsigned flags)
{
	return (int)syscall(__NR_move_mount, from_dfd, from_path, to_dfd, to_path, flags);
}

static inline int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct hutch_mount_attr *attr)
{
	return (int)syscall(__NR_mount_setattr, dfd, path, flags, attr, sizeof *attr);
}

static inline int sys_fsopen(const char *fsname, unsigned flags)
{
	return (int)syscall(__NR_fsopen, fsname, flags);
}

static inline int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(__NR_fsconfig, fd, cmd, key, value, aux);
}

static inline int sys_fsmount(int fd, unsigned flags, unsigned attr_flags)
{
	return (int)syscall(__NR_fsmount, fd, flags, attr_flags);
}

static inline int sys_openat2(int dfd, const char *path, struct open_how *how)
{
	return (int)syscall(__NR_openat2, dfd, path, how, sizeof *how);
}

static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(__NR_pivot_root, new_root, put_old);
}

/* fork()-like clone: the child runs on a copy of the caller's stack.
 * glibc's clone() wrapper needs a separate stack and a function; this
 * form lets the child simply return 0 and continue. */
static inline pid_t sys_clone_fork(unsigned long flags)
{
	return (pid_t)syscall(__NR_clone, flags, NULL, NULL, NULL, NULL);
}
