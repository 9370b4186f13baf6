/* array.h — growing the (items, n, cap) arrays hutch keeps.
 *
 * Owns: the one capacity-doubling rule, with the multiplication checked
 * (reallocarray), so that no caller open-codes it again.
 * Must not: log (callers know what ran out).
 */
#pragma once

#include <errno.h>
#include <stdlib.h>

/* Makes room for at least `needed` elements of `size` bytes in *items,
 * whose capacity is *cap: doubles it (from 8) until it fits. Contents
 * and *cap are unchanged on failure. Returns 0 or -ENOMEM. */
static inline int array_reserve(void **items, size_t *cap, size_t needed, size_t size)
{
	size_t ncap = *cap;
	void *nitems;

	if (needed <= *cap)
		return 0;
	if (ncap == 0)
		ncap = 8;
	while (ncap < needed) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	nitems = reallocarray(*items, ncap, size);
	if (!nitems)
		return -ENOMEM;
	*items = nitems;
	*cap = ncap;
	return 0;
}
