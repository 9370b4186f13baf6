/* subid.c — see subid.h. Pure: no system calls, no logging. */
#include "subid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

/* A decimal number of 1..10 digits, no sign, no spaces. */
static bool parse_field(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static bool owner_matches(const char *owner, size_t len, const char *user, uint32_t uid)
{
	uint64_t n;

	if (user && strlen(user) == len && memcmp(owner, user, len) == 0)
		return true;
	/* shadow's helpers take a numeric owner as the uid it names. */
	return parse_field(owner, len, &n) && n == uid;
}

/* One line, without its '\n'. Returns 1 for a range of the user, 0 for
 * anything else that is well formed (or skipped), -1 when malformed. */
static int parse_line(const char *line, size_t len, const char *user, uint32_t uid, SubidRange *range)
{
	const char *c1, *c2;
	uint64_t start, count;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || line[0] == '#')
		return 0;
	c1 = memchr(line, ':', len);
	if (!c1 || c1 == line)
		return -1;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (!c2)
		return -1;
	if (!parse_field(c1 + 1, (size_t)(c2 - c1 - 1), &start) ||
	    !parse_field(c2 + 1, len - (size_t)(c2 + 1 - line), &count))
		return -1;
	/* The last id of the range must be an id: (uid_t)-1 is not one. */
	if (count == 0 || start > SUBID_MAX_ID || start + count - 1 > SUBID_MAX_ID)
		return -1;
	if (!owner_matches(line, (size_t)(c1 - line), user, uid))
		return 0;
	range->start = (uint32_t)start;
	range->count = (uint32_t)count;
	return 1;
}

static int compare_ranges(const void *a, const void *b)
{
	const SubidRange *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Fills r->merged from r->ranges. */
static int merge_ranges(SubidRanges *r)
{
	size_t n = 0;

	if (r->n == 0)
		return 0;
	r->merged = malloc(r->n * sizeof *r->merged);
	if (!r->merged)
		return -ENOMEM;
	memcpy(r->merged, r->ranges, r->n * sizeof *r->merged);
	qsort(r->merged, r->n, sizeof *r->merged, compare_ranges);
	for (size_t i = 1; i < r->n; i++) {
		SubidRange *last = &r->merged[n];
		uint64_t last_end = (uint64_t)last->start + last->count;
		uint64_t end = (uint64_t)r->merged[i].start + r->merged[i].count;

		if (r->merged[i].start <= last_end) {
			if (end > last_end)
				last->count = (uint32_t)(end - last->start);
		} else {
			r->merged[++n] = r->merged[i];
		}
	}
	r->n_merged = n + 1;
	return 0;
}

int subid_parse(const char *text, size_t len, const char *user, uint32_t uid, SubidRanges *out)
{
	size_t pos = 0, cap = 0;

	*out = (SubidRanges){ 0 };
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		SubidRange range;
		int r = parse_line(text + pos, line_len, user, uid, &range);

		pos += line_len + 1;
		if (r < 0) {
			out->n_malformed++;
			continue;
		}
		if (r == 0)
			continue;
		if (out->n >= SUBID_MAX_RANGES) {
			out->n_ignored++;
			continue;
		}
		if (array_reserve((void **)&out->ranges, &cap, out->n + 1, sizeof *out->ranges) < 0) {
			subid_ranges_free(out);
			return -ENOMEM;
		}
		out->ranges[out->n++] = range;
	}
	if (merge_ranges(out) < 0) {
		subid_ranges_free(out);
		return -ENOMEM;
	}
	return 0;
}

void subid_ranges_free(SubidRanges *r)
{
	free(r->ranges);
	free(r->merged);
	*r = (SubidRanges){ 0 };
}

bool subid_ranges_cover(const SubidRanges *r, uint32_t start, uint32_t count)
{
	uint64_t end = (uint64_t)start + count;
	size_t lo = 0, hi = r->n_merged;

	if (count == 0)
		return false;
	/* The last merged span starting at or before start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->merged[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	return end <= (uint64_t)r->merged[lo - 1].start + r->merged[lo - 1].count;
}

/* Host ids already given out, as sorted, disjoint, non-adjacent
 * half-open intervals [start, end). */
typedef struct {
	uint64_t start, end;
} Interval;

typedef struct {
	Interval v[SUBID_MAX_MAP_LINES + 2];
	size_t n;
} UsedSet;

/* Index of the first interval whose end is > x (n if none). */
static size_t used_find(const UsedSet *u, uint64_t x)
{
	size_t lo = 0, hi = u->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->v[mid].end > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Adds [s, e), which overlaps no interval of u; merges neighbours.
 * Returns false when the set is full (more pieces than lines allowed). */
static bool used_add(UsedSet *u, uint64_t s, uint64_t e)
{
	size_t i = used_find(u, s);

	if (i > 0 && u->v[i - 1].end == s) {
		u->v[i - 1].end = e;
		if (i < u->n && u->v[i].start == e) {
			u->v[i - 1].end = u->v[i].end;
			memmove(&u->v[i], &u->v[i + 1], (u->n - i - 1) * sizeof u->v[0]);
			u->n--;
		}
		return true;
	}
	if (i < u->n && u->v[i].start == e) {
		u->v[i].start = s;
		return true;
	}
	if (u->n >= sizeof u->v / sizeof u->v[0])
		return false;
	memmove(&u->v[i + 1], &u->v[i], (u->n - i) * sizeof u->v[0]);
	u->v[i] = (Interval){ s, e };
	u->n++;
	return true;
}

int subid_build_auto(const SubidRanges *r, uint32_t sandbox_id, uint32_t own_id, IdMapLine *lines,
		     size_t max_lines, size_t *n_lines, uint64_t *got, uint64_t *needed)
{
	static UsedSet used; /* large; this code is single-threaded */
	bool hole = sandbox_id < SUBID_AUTO_SPAN;
	uint64_t want = SUBID_AUTO_SPAN - (hole ? 1 : 0), filled = 0;
	uint64_t inside = 0; /* the next sandbox id to fill */
	size_t n = 0;

	*n_lines = 0;
	*got = 0;
	*needed = want;
	if (max_lines < 1)
		return -E2BIG;
	lines[n++] = (IdMapLine){ .inside = sandbox_id, .outside = own_id, .count = 1 };
	used.n = 0;
	used_add(&used, own_id, (uint64_t)own_id + 1);

	for (size_t i = 0; i < r->n && filled < want; i++) {
		uint64_t cur = r->ranges[i].start;
		uint64_t end = cur + r->ranges[i].count;

		while (cur < end && filled < want) {
			size_t k;
			uint64_t free_end, inside_end, take;
			IdMapLine *prev = &lines[n - 1];

			if (hole && inside == sandbox_id) {
				inside++;
				continue;
			}
			k = used_find(&used, cur);
			if (k < used.n && used.v[k].start <= cur) {
				cur = used.v[k].end; /* already given out */
				continue;
			}
			free_end = k < used.n && used.v[k].start < end ? used.v[k].start : end;
			inside_end = hole && sandbox_id > inside ? sandbox_id : SUBID_AUTO_SPAN;
			take = free_end - cur;
			if (inside_end - inside < take)
				take = inside_end - inside;
			/* Line 0 is the caller's own id; never merged into. */
			if (n > 1 && (uint64_t)prev->inside + prev->count == inside &&
			    (uint64_t)prev->outside + prev->count == cur) {
				prev->count += (uint32_t)take;
			} else {
				if (n >= max_lines)
					return -E2BIG;
				lines[n++] = (IdMapLine){ .inside = (uint32_t)inside, .outside = (uint32_t)cur,
							  .count = (uint32_t)take };
			}
			if (!used_add(&used, cur, cur + take))
				return -E2BIG;
			cur += take;
			inside += take;
			filled += take;
		}
	}
	*got = filled;
	if (filled < want)
		return -ERANGE;
	*n_lines = n;
	return 0;
}

static bool spans_overlap(uint32_t a, uint32_t na, uint32_t b, uint32_t nb)
{
	return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

SubidLinesError subid_check_lines(const IdMapLine *lines, size_t n, size_t *bad, size_t *other)
{
	char buf[SUBID_MAX_MAP_TEXT + 1];

	*bad = *other = 0;
	if (n > SUBID_MAX_MAP_LINES)
		return SUBID_LINES_TOO_MANY;
	for (size_t i = 0; i < n; i++) {
		*bad = i;
		if (lines[i].count == 0)
			return SUBID_LINES_COUNT_ZERO;
		if ((uint64_t)lines[i].inside + lines[i].count - 1 > SUBID_MAX_ID ||
		    (uint64_t)lines[i].outside + lines[i].count - 1 > SUBID_MAX_ID)
			return SUBID_LINES_OVERFLOW;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++) {
			*bad = i;
			*other = j;
			if (spans_overlap(lines[i].inside, lines[i].count, lines[j].inside, lines[j].count))
				return SUBID_LINES_OVERLAP_INSIDE;
			if (spans_overlap(lines[i].outside, lines[i].count, lines[j].outside, lines[j].count))
				return SUBID_LINES_OVERLAP_OUTSIDE;
		}
	*bad = *other = 0;
	if (subid_format_lines(lines, n, buf, sizeof buf) < 0)
		return SUBID_LINES_TOO_LONG;
	return SUBID_LINES_OK;
}

bool subid_lines_find_outside(const IdMapLine *lines, size_t n, uint32_t outside, uint32_t *inside)
{
	for (size_t i = 0; i < n; i++)
		if (outside >= lines[i].outside && (uint64_t)outside < (uint64_t)lines[i].outside + lines[i].count) {
			*inside = lines[i].inside + (outside - lines[i].outside);
			return true;
		}
	return false;
}

bool subid_lines_have_inside(const IdMapLine *lines, size_t n, uint32_t inside)
{
	for (size_t i = 0; i < n; i++)
		if (inside >= lines[i].inside && (uint64_t)inside < (uint64_t)lines[i].inside + lines[i].count)
			return true;
	return false;
}

int subid_format_lines(const IdMapLine *lines, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, size - len, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n", lines[i].inside,
				 lines[i].outside, lines[i].count);

		if (w < 0 || (size_t)w >= size - len)
			return -ENOSPC;
		len += (size_t)w;
	}
	return (int)len;
}
