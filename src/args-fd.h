/* args-fd.h — reading and splitting the data of `--args FD`.
 *
 * Owns: the size bound on --args data and its NUL-separated format.
 * Must not: interpret the words (the parser does) or log.
 */
#pragma once

#include <stddef.h>

/* Generous for flatpak's longest command lines (thousands of binds),
 * small enough that a hostile or runaway writer cannot exhaust memory. */
#define ARGS_FD_MAX_BYTES (32u << 20)

/* Reads FD to EOF (bounded by ARGS_FD_MAX_BYTES: -E2BIG past it). */
int args_fd_read(int fd, char **data, size_t *len);

/* Splits NUL-separated data into words pointing into data. A final word
 * without a trailing NUL still counts, as in bwrap. *words is malloc'd
 * and NULL-terminated. */
int args_fd_split(char *data, size_t len, char ***words, size_t *n_words);
