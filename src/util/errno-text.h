/* errno-text.h — errno numbers as names ("ENOENT") and as text.
 *
 * Owns: the one place hutch turns an errno into words, from a table
 * generated at build time from the build machine's C library
 * (tools/gen-errno-table.py): a hutch linked against another libc prints
 * the same texts as the system's own tools, and seccomp policies name
 * errors the same way whichever libc runs them.
 * Must not: allocate, or depend on the C library's strerror family.
 */
#pragma once

typedef struct {
	const char *name;
	const char *text;
} ErrnoEntry;

/* Generated: indexed by errno number; holes have name NULL. */
extern const ErrnoEntry errno_table[];
extern const int errno_table_size;

/* "No such file or directory"; "Unknown error N" for a number the table
 * lacks (in a static buffer: hutch is single-threaded). */
const char *errno_text(int err);

/* "ENOENT", or NULL. */
const char *errno_name(int err);

/* The number of "ENOENT" (the primary names of the table), or -1. */
int errno_from_name(const char *name);
