/* account.c — see account.h. */
#include "account.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/parse.h"

#define PASSWD_FILE "/etc/passwd"
#define PASSWD_MAX_BYTES (16u << 20)
#define GETENT_PATH "/usr/bin/getent"

extern char **environ;

/* One "name:password:uid:gid:..." line of LEN bytes; true when its uid is
 * UID, with name and gid copied out. */
static bool parse_line(const char *line, size_t len, uint32_t uid, Account *out)
{
	const char *field[4] = { NULL };
	size_t flen[4] = { 0 };
	const char *p = line, *end = line + len;
	char num[16];
	uint32_t line_uid, gid;

	for (int i = 0; i < 4; i++) {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (!colon)
			return false;
		field[i] = p;
		flen[i] = (size_t)(colon - p);
		p = colon + 1;
	}
	if (flen[0] == 0 || flen[0] >= sizeof out->name || flen[2] >= sizeof num || flen[3] >= sizeof num)
		return false;
	memcpy(num, field[2], flen[2]);
	num[flen[2]] = '\0';
	if (parse_id(num, &line_uid) < 0 || line_uid != uid)
		return false;
	memcpy(num, field[3], flen[3]);
	num[flen[3]] = '\0';
	if (parse_id(num, &gid) < 0)
		return false;
	memcpy(out->name, field[0], flen[0]);
	out->name[flen[0]] = '\0';
	out->gid = gid;
	return true;
}

int account_find_in_text(const char *text, uint32_t uid, Account *out)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		/* "+name" and "-name" are compat-mode NSS entries, not accounts. */
		if (*p != '+' && *p != '-' && *p != '#' && parse_line(p, len, uid, out))
			return 0;
		if (!nl)
			break;
		p = nl + 1;
	}
	return -ENOENT;
}

static int find_in_file(uint32_t uid, Account *out)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = file_read_all(PASSWD_FILE, PASSWD_MAX_BYTES, &text, &len);

	if (r < 0)
		return r;
	return account_find_in_text(text, uid, out);
}

/* getent prints the entry and exits 0, or exits 2 when there is none. */
static int find_with_getent(uint32_t uid, Account *out)
{
	char num[16];
	char *argv[] = { (char *)"getent", (char *)"passwd", num, NULL };
	_cleanup_free_ char *text = NULL;
	posix_spawn_file_actions_t actions;
	int pipefd[2], status, r;
	size_t len;
	pid_t pid;

	if (access(GETENT_PATH, X_OK) < 0)
		return -ENOENT;
	snprintf(num, sizeof num, "%u", uid);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	r = -posix_spawn(&pid, GETENT_PATH, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipefd[1]);
	if (r < 0) {
		close(pipefd[0]);
		return r;
	}
	r = fd_read_all(pipefd[0], 64 * 1024, &text, &len);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (r < 0)
		return r;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -ENOENT;
	return account_find_in_text(text, uid, out);
}

int account_by_uid(uint32_t uid, Account *out)
{
	int r = find_in_file(uid, out);

	if (r == -ENOENT || r == -EACCES)
		r = find_with_getent(uid, out);
	return r;
}
