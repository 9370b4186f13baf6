/* exec-search.h — run the payload by name, the way glibc's execvp does.
 *
 * Owns: the PATH search and its rules, so that a command is found the
 * same way whichever C library hutch is linked with (musl's execvp looks
 * in /usr/local/bin too when PATH is unset, and runs no script without
 * a #! line; glibc's, which bwrap uses, searches /bin:/usr/bin and hands
 * such a script to /bin/sh).
 * Must not: change the environment, or return on success.
 */
#pragma once

/* execvp(file, argv) with glibc's rules: FILE with a slash is run as it
 * is; otherwise each directory of $PATH (an empty one meaning the current
 * directory; /bin:/usr/bin when PATH is unset) is tried in turn. A file
 * the kernel cannot run (ENOEXEC) is run by /bin/sh as a script. Returns
 * only on failure: -EACCES if a candidate was found but not executable,
 * else the last error (-ENOENT when none was found). */
int exec_search(const char *file, char *const argv[]);
