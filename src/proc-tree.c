/* proc-tree.c — see proc-tree.h. */
#include "proc-tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/log.h"

#define PROC_TREE_BATCH 512

int proc_tree_become_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return log_error_errno(errno, "prctl(PR_SET_CHILD_SUBREAPER) failed");
	return 0;
}

/* The parent of pid from /proc/PID/stat, or -1. The command name (field
 * 2) may hold spaces and parentheses; the fields after the last ')' are
 * fixed. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	int fd, ppid;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* Up to max children of the caller. The kernel's list is
 * /proc/self/task/TID/children (the monitor has one thread); without
 * CONFIG_PROC_CHILDREN, every process's parent is looked at. */
static size_t list_children(pid_t *out, size_t max)
{
	char path[64];
	size_t n = 0;
	FILE *f;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "re");
	if (f) {
		int pid;

		while (n < max && fscanf(f, "%d", &pid) == 1)
			out[n++] = (pid_t)pid;
		fclose(f);
		return n;
	}
	d = opendir("/proc");
	if (!d)
		return 0;
	while (n < max && (e = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end == '\0' && pid > 0 && parent_of((pid_t)pid) == getpid())
			out[n++] = (pid_t)pid;
	}
	closedir(d);
	return n;
}

void proc_tree_kill_all(void)
{
	pid_t kids[PROC_TREE_BATCH];

	for (;;) {
		size_t n = list_children(kids, PROC_TREE_BATCH), killed = 0;
		int status, kill_errno = 0;
		pid_t pid;

		/* Only children are signalled: a pid stays ours until we
		 * reap it, so it cannot name some other process by then. */
		for (size_t i = 0; i < n; i++)
			if (kill(kids[i], SIGKILL) == 0)
				killed++;
			else
				kill_errno = errno;
		if (n > 0 && killed == 0) {
			log_warning_errno(kill_errno, "Can't kill the processes left in the sandbox");
			return;
		}
		/* Each death wakes us; orphans it leaves are ours now and are
		 * killed on the next round. */
		pid = waitpid(-1, &status, n > 0 ? 0 : WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return; /* ECHILD: nothing left */
		if (pid == 0) {
			/* Children, yet none listed: the list missed them
			 * (say, /proc is not procfs). Wait for them all. */
			while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
				;
			return;
		}
	}
}

bool proc_tree_is_descendant(pid_t pid, pid_t ancestor)
{
	/* Bounded: a loop in a racing re-parenting cannot hold us. */
	for (int depth = 0; depth < 4096 && pid > 1; depth++) {
		pid = parent_of(pid);
		if (pid == ancestor)
			return true;
	}
	return false;
}
