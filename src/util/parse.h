/* parse.h — strict number parsing for user-supplied strings.
 *
 * Owns: conversions that reject empty strings, signs, trailing garbage,
 * leading whitespace and overflow (strtoul alone accepts " -1").
 * Must not: log; callers own the message because it names the option.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* base 0 means C rules (0x.., 0.., decimal). Returns 0, -EINVAL or -ERANGE. */
int parse_u64(const char *s, int base, uint64_t *out);

/* A file descriptor number: decimal, 0..INT_MAX. */
int parse_fd_number(const char *s, int *out);

/* An octal mode 0..07777. */
int parse_octal_mode(const char *s, unsigned *out);

/* A uid/gid: decimal, 0..4294967294 ((uid_t)-1 is never a valid id). */
int parse_id(const char *s, uint32_t *out);
