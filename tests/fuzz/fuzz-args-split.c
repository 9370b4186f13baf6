/* fuzz-args-split.c — libFuzzer target for the --args data format:
 * args_fd_split() on arbitrary bytes, and the same bytes once more
 * through args_fd_read() from a memfd (fd_read_all's growth and its
 * trailing NUL), checking that both give the same words and that the
 * words are exactly the data.
 *
 * Must not: leave an fd open across iterations.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "args-fd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The words split from buf[0..len) must be, in order and NUL-joined,
 * exactly buf, with one word per NUL plus an unterminated last one. */
static void check_words(const char *buf, size_t len, char **words, size_t n_words)
{
	size_t expect = 0, pos = 0;

	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			expect++;
	if (len > 0 && buf[len - 1] != '\0')
		expect++;
	assert(n_words == expect);
	assert(words[n_words] == NULL);
	for (size_t i = 0; i < n_words; i++) {
		size_t wlen;

		assert(words[i] == buf + pos);
		wlen = strlen(words[i]);
		assert(pos + wlen <= len);
		pos += wlen + 1;
	}
	assert(pos == len + (len > 0 && buf[len - 1] != '\0'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **words = NULL, **words2 = NULL;
	size_t n_words = 0, n_words2 = 0, len2 = 0;
	char *buf, *buf2 = NULL;
	int memfd, r;

	/* As fd_read_all() leaves it: exactly len bytes and a NUL. */
	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	r = args_fd_split(buf, size, &words, &n_words);
	assert(r == 0);
	check_words(buf, size, words, n_words);

	memfd = memfd_create("hutch-fuzz-split", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	if (size > 0 && write(memfd, data, size) != (ssize_t)size)
		abort();
	if (lseek(memfd, 0, SEEK_SET) != 0)
		abort();
	r = args_fd_read(memfd, &buf2, &len2);
	close(memfd);
	if (size <= ARGS_FD_MAX_BYTES) {
		assert(r == 0);
		assert(len2 == size && memcmp(buf2, data, size) == 0 && buf2[len2] == '\0');
		r = args_fd_split(buf2, len2, &words2, &n_words2);
		assert(r == 0);
		check_words(buf2, len2, words2, n_words2);
		assert(n_words2 == n_words);
		for (size_t i = 0; i < n_words; i++)
			assert(strcmp(words[i], words2[i]) == 0);
	}

	free(words2);
	free(buf2);
	free(words);
	free(buf);
	return 0;
}
