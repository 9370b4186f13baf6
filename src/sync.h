/* sync.h — the typed message protocol between monitor and setup child.
 *
 * Owns: the wire format on the SOCK_SEQPACKET socketpair (one message per
 * packet, so no framing), and the log sink that turns the child's
 * diagnostics into messages, so each is printed once, by the monitor.
 * Must not: decide what to do with a message (launch.c and child.c do).
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "util/log.h"

typedef enum {
	SYNC_MSG_MAPS_DONE = 1,   /* monitor → child: id maps written, go on (when the monitor maps) */
	SYNC_MSG_LOG = 2,         /* child → monitor: a diagnostic (level, text) */
	SYNC_MSG_FAILED = 3,      /* child → monitor: setup failed, nothing was exec'd */
	SYNC_MSG_SETUP_DONE = 4,  /* child → monitor: exec'd (unless FAILED came first); pid = payload's pid;
				   * from a reaper, a pidfd of the payload attached (SCM_RIGHTS),
				   * for relaying signals */
	SYNC_MSG_PAYLOAD_EXITED = 5, /* reaper → monitor: err = the payload's mapped exit status,
				      * level = the signal that killed it or 0 */
	SYNC_MSG_HELLO = 6,       /* child → monitor, first, when an intermediate process cloned it */
	/* 7 was a separate message for the payload's pidfd */
	SYNC_MSG_IDS_MAPPED = 8,  /* child → monitor, at the end of setup when it mapped its own
				   * ids (no MAPS_DONE came): text = its namespaces
				   * (status_format_own_namespaces). Sent only when --info-fd or
				   * --json-status-fd waits for it */
} SyncMsgType;

#define SYNC_TEXT_MAX 4096

typedef struct {
	uint32_t type;
	int32_t level;
	int32_t err;
	int32_t pid;
	char text[SYNC_TEXT_MAX];
} SyncMsg;

int sync_socketpair(int fds[2]);

int sync_send(int fd, SyncMsgType type, int level, int err, pid_t pid, const char *text);

/* Returns 1 with *msg filled, 0 on EOF (every peer end closed), -errno. */
int sync_recv(int fd, SyncMsg *msg);

/* Like sync_recv, and *sender_pid is the sending process's pid as the
 * caller's PID namespace sees it (SO_PASSCRED must be on for fd). */
int sync_recv_with_pid(int fd, SyncMsg *msg, pid_t *sender_pid);

/* Like sync_send, with passed_fd (>= 0) attached as SCM_RIGHTS: the
 * reaper hands the monitor a pidfd of the payload this way. */
int sync_send_fd(int fd, SyncMsgType type, int err, pid_t pid, int passed_fd);

/* Like sync_recv; *passed_fd is an fd that came with the message
 * (O_CLOEXEC, the caller's to close) or -1. */
int sync_recv_fd(int fd, SyncMsg *msg, int *passed_fd);

/* A LogSink: userdata points at the int fd of the socket. */
void sync_log_sink(LogLevel level, const char *text, void *userdata);
