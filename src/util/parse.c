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
