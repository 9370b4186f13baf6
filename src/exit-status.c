/* exit-status.c — see exit-status.h. */
#include "exit-status.h"

#include <sys/wait.h>

int exit_status_from_wait(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
