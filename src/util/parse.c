/* parse.c — see parse.h. */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

int parse_u64(const char *s, int base, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	if (s == NULL || s[0] == '\0' || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno != 0 || end == NULL || *end != '\0')
		return -EINVAL;
	*out = (uint64_t)v;
	return 0;
}

int parse_fd_number(const char *s, int *out)
{
	uint64_t v;
	int r = parse_u64(s, 10, &v);

	if (r < 0)
		return r;
	if (v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

int parse_octal_mode(const char *s, unsigned *out)
{
	uint64_t v;
	int r = parse_u64(s, 8, &v);

	if (r < 0)
		return r;
	if (v > 07777)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

int parse_id(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = parse_u64(s, 10, &v);

	if (r < 0)
		return r;
	if (v >= UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t *out_ms)
{
	uint64_t whole = 0, frac_num = 0, frac_den = 1, unit_ms = 1000, ms;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > PARSE_DURATION_MAX_MS)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		/* Digits beyond the ninth change nothing at millisecond scale. */
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_den < UINT64_C(1000000000)) {
				frac_num = frac_num * 10 + (uint64_t)(*p - '0');
				frac_den *= 10;
			}
		}
	}
	switch (*p) {
	case '\0': break;
	case 's': unit_ms = 1000; p++; break;
	case 'm': unit_ms = 60 * 1000; p++; break;
	case 'h': unit_ms = 3600 * 1000; p++; break;
	case 'd': unit_ms = 24 * 3600 * 1000; p++; break;
	default: return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	if (whole > PARSE_DURATION_MAX_MS / unit_ms)
		return -ERANGE;
	ms = whole * unit_ms + (frac_num * unit_ms + frac_den - 1) / frac_den;
	if (ms > PARSE_DURATION_MAX_MS)
		return -ERANGE;
	*out_ms = ms;
	return 0;
}
