/* exec-search.c — see exec-search.h. */
#include "exec-search.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* glibc's default search path (confstr(_CS_PATH)). */
#define EXEC_SEARCH_DEFAULT_PATH "/bin:/usr/bin"

/* Runs PATH by /bin/sh, as a shell script: argv becomes
 * { "/bin/sh", PATH, argv[1], ... }. Returns only on failure. */
static void run_as_script(const char *path, char *const argv[])
{
	size_t n = 0;
	char **sh_argv;

	while (argv[n])
		n++;
	sh_argv = calloc(n + 2, sizeof *sh_argv);
	if (!sh_argv)
		return;
	sh_argv[0] = (char *)"/bin/sh";
	sh_argv[1] = (char *)path;
	for (size_t i = 1; i < n; i++)
		sh_argv[i + 1] = argv[i];
	execve("/bin/sh", sh_argv, environ);
	free(sh_argv);
	errno = ENOEXEC; /* the script's own error, not the shell's */
}

/* execve, with the script fallback. Returns only on failure. */
static void try_exec(const char *path, char *const argv[])
{
	execve(path, argv, environ);
	if (errno == ENOEXEC)
		run_as_script(path, argv);
}

int exec_search(const char *file, char *const argv[])
{
	const char *path_env = getenv("PATH");
	const char *p;
	size_t file_len = strlen(file);
	bool got_eacces = false;
	int last = ENOENT;

	if (file_len == 0)
		return -ENOENT;
	if (strchr(file, '/')) {
		try_exec(file, argv);
		return -errno;
	}
	if (!path_env)
		path_env = EXEC_SEARCH_DEFAULT_PATH;
	p = path_env;
	for (;;) {
		const char *end = strchrnul(p, ':');
		size_t dir_len = (size_t)(end - p);
		char candidate[PATH_MAX];

		if (dir_len + 1 + file_len < sizeof candidate) {
			/* An empty element means the current directory. */
			if (dir_len == 0) {
				memcpy(candidate, file, file_len + 1);
			} else {
				memcpy(candidate, p, dir_len);
				candidate[dir_len] = '/';
				memcpy(candidate + dir_len + 1, file, file_len + 1);
			}
			try_exec(candidate, argv);
			switch (errno) {
			case EACCES:
				got_eacces = true;
				break;
			case ENOENT:
			case ESTALE:
			case ENOTDIR:
			case ENODEV:
			case ETIMEDOUT:
				break;
			default:
				/* Found, but it cannot run: searching on would
				 * hide why. */
				return -errno;
			}
			last = errno;
		} else {
			return -ENAMETOOLONG; /* as execve would say */
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return got_eacces ? -EACCES : -last;
}
