/* pid1.c — see pid1.h. */
#include "pid1.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit-status.h"

void pid1_run(pid_t payload)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			_exit(1); /* ECHILD: the payload is gone without a status we saw */
		}
		if (pid == payload)
			_exit(exit_status_from_wait(status));
	}
}
