/* monitor.c — see monitor.h. */
#include "monitor.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "exit-status.h"
#include "status.h"
#include "sync.h"
#include "util/log.h"

int monitor_run(pid_t child, int sync_fd, int json_status_fd)
{
	bool failed = false, setup_done = false, payload_exited = false;
	int status, code = 1;

	/* EOF comes when the last holder of the child's end is gone: the
	 * payload's exec (the socket is close-on-exec), or an exit. */
	for (;;) {
		SyncMsg msg;
		int r = sync_recv(sync_fd, &msg);

		if (r <= 0)
			break;
		switch ((SyncMsgType)msg.type) {
		case SYNC_MSG_LOG:
			log_print((LogLevel)msg.level, msg.text);
			break;
		case SYNC_MSG_FAILED:
			failed = true;
			break;
		case SYNC_MSG_SETUP_DONE:
			setup_done = true;
			break;
		case SYNC_MSG_PAYLOAD_EXITED:
			payload_exited = true;
			code = msg.err;
			break;
		case SYNC_MSG_MAPS_DONE:
		case SYNC_MSG_HELLO:
		default:
			break;
		}
		if (payload_exited)
			break;
	}

	/* The reaper told us the payload's status: return now, as bwrap
	 * does, leaving the reaper to wait for background processes. */
	if (payload_exited) {
		if (failed)
			return 1;
		if (setup_done && json_status_fd >= 0)
			status_write_json_exit(json_status_fd, code);
		return code;
	}

	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			log_error_errno(errno, "Can't wait for the sandbox");
			return 1;
		}
	}
	if (failed)
		return 1;
	if (!setup_done) {
		/* The child died before it could say anything. */
		if (WIFSIGNALED(status))
			log_error("The sandbox setup process was killed by signal %d", WTERMSIG(status));
		return 1;
	}
	code = exit_status_from_wait(status);
	if (json_status_fd >= 0)
		status_write_json_exit(json_status_fd, code);
	return code;
}
