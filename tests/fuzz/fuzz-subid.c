/* fuzz-subid.c — libFuzzer target for the /etc/subuid parser and the
 * --map-auto arithmetic (src/subid.c).
 *
 * Input: 4 bytes of sandbox id and 4 bytes of the caller's own id (little
 * endian; missing bytes are 0), then the text of a subordinate id file,
 * looked up for the user "u" with uid 1000. Checks what must hold for any
 * input: parsed ranges are valid and bounded; a map built from them maps
 * the caller's id on the sandbox id and every other sandbox id 0..65535
 * exactly once, from host ids inside the ranges, within the kernel's
 * limits; and "too small" means too small.
 *
 * Must not: allocate anything that outlives an iteration.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "subid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t take_u32(const uint8_t **data, size_t *size)
{
	uint32_t v = 0;

	for (int i = 0; i < 4 && *size > 0; i++) {
		v |= (uint32_t)(*data)[0] << (8 * i);
		(*data)++;
		(*size)--;
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static IdMapLine lines[SUBID_MAX_MAP_LINES];
	uint32_t sandbox_id = take_u32(&data, &size);
	uint32_t own_id = take_u32(&data, &size);
	uint64_t got = 0, needed = 0, total = 0;
	size_t n_lines = 0, bad, other;
	SubidRanges r;
	uint32_t inside;
	int ret;

	/* (uid_t)-1 is never an id: --uid and the caller cannot be it. */
	if (sandbox_id > SUBID_MAX_ID || own_id > SUBID_MAX_ID)
		return 0;
	ret = subid_parse((const char *)data, size, "u", 1000, &r);
	assert(ret == 0);
	assert(r.n <= SUBID_MAX_RANGES);
	for (size_t i = 0; i < r.n; i++) {
		assert(r.ranges[i].count >= 1);
		assert((uint64_t)r.ranges[i].start + r.ranges[i].count - 1 <= SUBID_MAX_ID);
		assert(subid_ranges_cover(&r, r.ranges[i].start, r.ranges[i].count));
	}
	/* The merged view: sorted, disjoint, not even adjacent. */
	assert((r.n == 0) == (r.n_merged == 0) && r.n_merged <= r.n);
	for (size_t i = 1; i < r.n_merged; i++)
		assert((uint64_t)r.merged[i - 1].start + r.merged[i - 1].count < r.merged[i].start);

	ret = subid_build_auto(&r, sandbox_id, own_id, lines, SUBID_MAX_MAP_LINES, &n_lines, &got, &needed);
	assert(needed == SUBID_AUTO_SPAN - (sandbox_id < SUBID_AUTO_SPAN ? 1 : 0));
	if (ret == 0) {
		assert(got == needed);
		assert(n_lines >= 1 && n_lines <= SUBID_MAX_MAP_LINES);
		assert(lines[0].inside == sandbox_id && lines[0].outside == own_id && lines[0].count == 1);
		/* No overlaps, so the right total inside 0..65535 (plus the
		 * caller's line) means every sandbox id is there once. */
		assert(subid_check_lines(lines, n_lines, &bad, &other) == SUBID_LINES_OK ||
		       subid_check_lines(lines, n_lines, &bad, &other) == SUBID_LINES_TOO_LONG);
		for (size_t i = 0; i < n_lines; i++) {
			total += lines[i].count;
			if (i == 0)
				continue;
			assert((uint64_t)lines[i].inside + lines[i].count <= SUBID_AUTO_SPAN);
			assert(subid_ranges_cover(&r, lines[i].outside, lines[i].count));
		}
		assert(total == needed + 1);
		assert(subid_lines_find_outside(lines, n_lines, own_id, &inside) && inside == sandbox_id);
		assert(subid_lines_have_inside(lines, n_lines, 0) || sandbox_id == 0);
	} else {
		assert(ret == -ERANGE || ret == -E2BIG);
		if (ret == -ERANGE)
			assert(got < needed);
	}
	subid_ranges_free(&r);
	return 0;
}
