/* errno-text.c — see errno-text.h. */
#include "util/errno-text.h"

#include <stdio.h>
#include <string.h>

const char *errno_text(int err)
{
	static char unknown[32];

	if (err > 0 && err < errno_table_size && errno_table[err].text)
		return errno_table[err].text;
	snprintf(unknown, sizeof unknown, "Unknown error %d", err);
	return unknown;
}

const char *errno_name(int err)
{
	if (err > 0 && err < errno_table_size)
		return errno_table[err].name;
	return NULL;
}

int errno_from_name(const char *name)
{
	for (int e = 1; e < errno_table_size; e++)
		if (errno_table[e].name && strcmp(errno_table[e].name, name) == 0)
			return e;
	return -1;
}
