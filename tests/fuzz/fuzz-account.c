/* fuzz-account.c — libFuzzer target for the passwd(5) reader behind
 * --map-auto, --map-uid and --check (src/account.c).
 *
 * Input: 4 bytes of uid (little endian; missing bytes are 0), then the
 * text of a password file. Checks what must hold for any input: a found
 * entry has a non-empty name without ':' or newline that fits the buffer,
 * and the text has a line "NAME:...:UID:GID..." for it (the first one for
 * that uid, not a comment or compat line).
 *
 * Must not: allocate anything that outlives an iteration.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t uid = 0;
	Account a;
	char *text, prefix[300];
	int r;

	for (int i = 0; i < 4 && size > 0; i++, data++, size--)
		uid |= (uint32_t)data[0] << (8 * i);
	text = malloc(size + 2);
	if (!text)
		return 0;
	text[0] = '\n';
	memcpy(text + 1, data, size);
	text[size + 1] = '\0';
	/* The reader sees the text from its second byte: a leading newline
	 * lets the check below find the first line like any other. */
	r = account_find_in_text(text + 1, uid, &a);
	assert(r == 0 || r == -ENOENT);
	if (r == 0) {
		size_t len = strnlen(a.name, sizeof a.name);

		assert(len > 0 && len < sizeof a.name);
		assert(!strchr(a.name, ':') && !strchr(a.name, '\n'));
		assert(a.name[0] != '+' && a.name[0] != '-' && a.name[0] != '#');
		snprintf(prefix, sizeof prefix, "\n%s:", a.name);
		assert(strstr(text, prefix));
	}
	free(text);
	return 0;
}
