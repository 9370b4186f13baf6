/* args-fd.c — see args-fd.h. */
#include "args-fd.h"

#include <errno.h>
#include <stdlib.h>

#include "util/fd-util.h"

int args_fd_read(int fd, char **data, size_t *len)
{
	return fd_read_all(fd, ARGS_FD_MAX_BYTES, data, len);
}

int args_fd_split(char *data, size_t len, char ***words, size_t *n_words)
{
	size_t n = 0, i, w = 0;
	char **list;

	for (i = 0; i < len; i++)
		if (data[i] == '\0')
			n++;
	if (len > 0 && data[len - 1] != '\0')
		n++; /* unterminated last word; data[len] is the NUL fd_read_all added */
	list = calloc(n + 1, sizeof *list);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < len && w < n;) {
		list[w++] = data + i;
		while (i < len && data[i] != '\0')
			i++;
		i++;
	}
	*words = list;
	*n_words = n;
	return 0;
}
