/* vclone.h — start a child that borrows the caller's memory until it
 * execs, as posix_spawn does.
 *
 * Owns: clone(CLONE_VM | CLONE_VFORK) on a stack of the child's own (with
 * a guard page), and the plain fork-like clone it falls back to in
 * sanitizer builds, which track stacks and threads and would be confused
 * by a child running on the caller's memory (there an exec pipe keeps
 * the same promise: vclone returns once the child exec'd or exited).
 * Must not: be used for a child that waits for its parent (the parent
 * sleeps until the child execs or exits) or that never execs.
 */
#pragma once

#include <sys/types.h>

/* Runs fn(arg) in a new process created with clone FLAGS (namespaces and
 * the exit signal) and returns its pid once it has exec'd or exited, or
 * -1 with errno. fn must exec or _exit, never return. No page table is
 * copied and no page faulted in copy-on-write, which a fork pays at
 * every sandbox start. Whatever fn changes in memory (the environment,
 * statics) is seen by the caller afterwards. */
pid_t vclone(int (*fn)(void *), void *arg, unsigned long flags);
