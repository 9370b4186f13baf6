/* sync.c — see sync.h. */
#include "sync.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sync_socketpair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	return 0;
}

/* sendmsg, retried on EINTR. MSG_NOSIGNAL: a monitor that died must not
 * kill the child with SIGPIPE before it can clean up. */
static int send_retry(int fd, const struct msghdr *mh)
{
	for (;;) {
		if (sendmsg(fd, mh, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* recvmsg, retried on EINTR; what recvmsg returned. */
static ssize_t recv_retry(int fd, struct msghdr *mh)
{
	ssize_t n;

	do
		n = recvmsg(fd, mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	return n;
}

int sync_send(int fd, SyncMsgType type, int level, int err, pid_t pid, const char *text)
{
	SyncMsg msg = { .type = (uint32_t)type, .level = level, .err = err, .pid = (int32_t)pid };
	size_t len = offsetof(SyncMsg, text) + 1;

	if (text) {
		size_t n = strnlen(text, SYNC_TEXT_MAX - 1);

		memcpy(msg.text, text, n);
		len = offsetof(SyncMsg, text) + n + 1;
	}
	return send_retry(fd, &(struct msghdr){ .msg_iov = &(struct iovec){ .iov_base = &msg, .iov_len = len },
					     .msg_iovlen = 1 });
}

/* The common tail of both receive paths: n is what recv returned. */
static int finish_recv(ssize_t n, SyncMsg *msg)
{
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if ((size_t)n < offsetof(SyncMsg, text) + 1)
		return -EBADMSG;
	/* The sender includes the text's NUL; a peer that did not still
	 * leaves a terminated string behind. */
	memset((char *)msg + n, 0, sizeof *msg - (size_t)n);
	msg->text[SYNC_TEXT_MAX - 1] = '\0';
	return 1;
}

int sync_recv(int fd, SyncMsg *msg)
{
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof *msg };

	return finish_recv(recv_retry(fd, &(struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 }), msg);
}

int sync_recv_with_pid(int fd, SyncMsg *msg, pid_t *sender_pid)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof *msg };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf };
	ssize_t n = recv_retry(fd, &mh);

	*sender_pid = 0;
	if (finish_recv(n, msg) <= 0)
		return n == 0 ? 0 : -EBADMSG;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;

			memcpy(&cred, CMSG_DATA(c), sizeof cred);
			*sender_pid = cred.pid;
		}
	}
	return *sender_pid > 0 ? 1 : -EBADMSG;
}

int sync_send_fd(int fd, SyncMsgType type, int err, pid_t pid, int passed_fd)
{
	SyncMsg msg = { .type = (uint32_t)type, .err = err, .pid = (int32_t)pid };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = &msg, .iov_len = offsetof(SyncMsg, text) + 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (passed_fd < 0)
		return sync_send(fd, type, 0, err, pid, NULL);
	memset(&control, 0, sizeof control);
	mh.msg_control = control.buf;
	mh.msg_controllen = sizeof control.buf;
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &passed_fd, sizeof(int));
	return send_retry(fd, &mh);
}

int sync_recv_fd(int fd, SyncMsg *msg, int *passed_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof *msg };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf };
	ssize_t n = recv_retry(fd, &mh);

	*passed_fd = -1;
	for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; (i + 1) * sizeof(int) <= c->cmsg_len - CMSG_LEN(0); i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof got);
			/* One fd is expected; any other is not kept open. */
			if (*passed_fd < 0)
				*passed_fd = got;
			else
				close(got);
		}
	}
	return finish_recv(n, msg);
}

void sync_log_sink(LogLevel level, const char *text, void *userdata)
{
	int fd = *(int *)userdata;

	/* If the monitor is gone there is nobody to tell; print it here
	 * rather than lose it. */
	if (sync_send(fd, SYNC_MSG_LOG, (int)level, 0, 0, text) < 0)
		log_print(level, text);
}
