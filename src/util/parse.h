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

/* A duration as timeout(1) takes it: a decimal number with an optional
 * fraction ("1.5") and an optional unit s, m, h or d, into milliseconds
 * (rounded up, so that "0.0001" is not 0). Returns 0, -EINVAL, or
 * -ERANGE beyond PARSE_DURATION_MAX_MS. */
#define PARSE_DURATION_MAX_MS (UINT64_C(366) * 24 * 3600 * 1000)
int parse_duration_ms(const char *s, uint64_t *out_ms);
