/* fd-util.h — small helpers for reading, writing and checking fds.
 *
 * Owns: EINTR/short-transfer loops and fd sanity checks.
 * Must not: log (callers name the option or path in their message).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads until EOF. Fails with -E2BIG past max bytes. *out is
 * NUL-terminated (the terminator is not counted in *len). */
int fd_read_all(int fd, size_t max, char **out, size_t *len);

/* fd_read_all of the file at PATH (opened read-only); -errno of the
 * open too. */
int file_read_all(const char *path, size_t max, char **out, size_t *len);
int fd_write_all(int fd, const void *buf, size_t len);

/* Copies fd_in to fd_out until EOF. */
int fd_copy(int fd_in, int fd_out);

bool fd_is_open(int fd);

int fd_set_cloexec(int fd, bool on);
