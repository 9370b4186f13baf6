/* pid1.c — see pid1.h. */
#include "pid1.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit-status.h"
#include "sync.h"

void pid1_run(pid_t payload, int report_fd)
{
	int code = 1;

	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			_exit(code); /* ECHILD: nothing left to reap */
		}
		if (pid == payload) {
			code = exit_status_from_wait(status);
			if (report_fd >= 0) {
				sync_send(report_fd, SYNC_MSG_PAYLOAD_EXITED,
					  WIFSIGNALED(status) ? WTERMSIG(status) : 0, code, pid, NULL);
				close(report_fd);
				report_fd = -1;
			}
		}
	}
}
