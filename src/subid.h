/* subid.h — subordinate id ranges (/etc/subuid, /etc/subgid) and the
 * uid_map/gid_map lines made from them, as pure functions over memory.
 *
 * Owns: parsing the text of a subordinate id file for one user, the
 * arithmetic that turns those ranges into map lines for --map-auto, and
 * the checks on explicit lines (--map-uid/--map-gid): count 0, overflow,
 * overlaps, the kernel's limits on a map, coverage by the caller's ranges.
 * Must not: open files, look users up, or log: callers own the messages
 * (they name the option and the file). Unit tests and a fuzzer drive it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* The kernel takes at most 340 lines in a uid_map or gid_map (Linux 4.15
 * and later; 5 before), written in one write(2) of less than a page. */
#define SUBID_MAX_MAP_LINES 340
#define SUBID_MAX_MAP_TEXT 4095

/* --map-auto gives the sandbox ids 0..65535. */
#define SUBID_AUTO_SPAN UINT32_C(65536)

/* Ranges of one user beyond this many are ignored (real files hold one
 * or two; the bound keeps the arithmetic cheap on hostile input). */
#define SUBID_MAX_RANGES 1024

/* The largest id a map may contain: (uid_t)-1 is never an id. */
#define SUBID_MAX_ID UINT32_C(4294967294)

typedef struct {
	uint32_t start;
	uint32_t count; /* >= 1, start + count - 1 <= SUBID_MAX_ID */
} SubidRange;

typedef struct {
	SubidRange *ranges; /* in file order */
	size_t n;
	/* The same ids as sorted, disjoint, non-adjacent spans (for
	 * subid_ranges_cover); start + count may be 2^32 - 1 at most. */
	SubidRange *merged;
	size_t n_merged;
	size_t n_malformed; /* lines that were not OWNER:START:COUNT */
	size_t n_ignored;   /* the user's ranges beyond SUBID_MAX_RANGES */
} SubidRanges;

/* Collects the ranges of the user named `user` (may be NULL) or with
 * numeric id `uid` from the text of a subordinate id file (lines
 * OWNER:START:COUNT; an OWNER of digits is a uid). Empty lines and lines
 * starting with '#' are skipped; malformed lines are counted and skipped.
 * Returns 0 or -ENOMEM; *out must be freed with subid_ranges_free(). */
int subid_parse(const char *text, size_t len, const char *user, uint32_t uid, SubidRanges *out);
void subid_ranges_free(SubidRanges *r);

/* True when host ids start..start+count-1 all lie in the ranges (which
 * may be adjacent: a span that runs from one range into the next is
 * covered, as shadow's helpers accept it). */
bool subid_ranges_cover(const SubidRanges *r, uint32_t start, uint32_t count);

/* The --map-auto lines: own_id (the caller's host id) on sandbox_id, and
 * every other sandbox id in 0..SUBID_AUTO_SPAN-1, in increasing order,
 * from the ranges in file order. An id already used (by an earlier,
 * overlapping range, or own_id itself) is skipped, and a range is split
 * where it straddles sandbox_id. Adjacent pieces are merged into one line.
 * Returns 0; -ERANGE when the ranges are too small (*got and *needed say
 * how many ids were available and wanted); -E2BIG when more than
 * max_lines lines would be needed. */
int subid_build_auto(const SubidRanges *r, uint32_t sandbox_id, uint32_t own_id, IdMapLine *lines,
		     size_t max_lines, size_t *n_lines, uint64_t *got, uint64_t *needed);

typedef enum {
	SUBID_LINES_OK,
	SUBID_LINES_COUNT_ZERO,      /* lines[*bad] */
	SUBID_LINES_OVERFLOW,        /* lines[*bad] runs past SUBID_MAX_ID */
	SUBID_LINES_OVERLAP_INSIDE,  /* lines[*bad] and lines[*other] */
	SUBID_LINES_OVERLAP_OUTSIDE, /* lines[*bad] and lines[*other] */
	SUBID_LINES_TOO_MANY,        /* more than SUBID_MAX_MAP_LINES */
	SUBID_LINES_TOO_LONG,        /* the text exceeds SUBID_MAX_MAP_TEXT */
} SubidLinesError;

/* What the kernel would reject in a map, found before anything starts. */
SubidLinesError subid_check_lines(const IdMapLine *lines, size_t n, size_t *bad, size_t *other);

/* If host id `outside` is mapped, sets *inside to its sandbox id. */
bool subid_lines_find_outside(const IdMapLine *lines, size_t n, uint32_t outside, uint32_t *inside);
/* Whether sandbox id `inside` is mapped. */
bool subid_lines_have_inside(const IdMapLine *lines, size_t n, uint32_t inside);

/* Formats the lines as map text ("INSIDE OUTSIDE COUNT\n" each; ids
 * unsigned). Returns the length, or -ENOSPC when buf is too small. */
int subid_format_lines(const IdMapLine *lines, size_t n, char *buf, size_t size);
