/* monitor.c — see monitor.h.
 *
 * One poll loop over the sync socket (while the child holds it), the
 * child's pidfd (after that), the signalfd and the --timeout timerfd.
 * Signals that arrive before the payload runs wait in `pending` and are
 * relayed the moment setup is done.
 */
#include "monitor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "exit-status.h"
#include "proc-tree.h"
#include "relay.h"
#include "status.h"
#include "sync.h"
#include "util/log.h"

#define DEFAULT_KILL_AFTER_MS 5000

/* A wait status "exited with CODE": glibc's macro, which musl lacks. */
#ifndef W_EXITCODE
#define W_EXITCODE(code, sig) ((code) << 8 | (sig))
#endif

typedef struct {
	Monitor *m;
	int child_pidfd;     /* -1 if the kernel has no pidfd_open */
	int payload_pidfd;   /* where signals go, once setup is done: child_pidfd or reaper_pidfd */
	int reaper_pidfd;    /* the payload's pidfd the reaper sent, or -1 */
	int timer_fd;
	bool sync_open, failed, setup_done, payload_exited, child_reaped;
	bool timed_out, kill_sent, status_written;
	int child_status;    /* raw wait status, once child_reaped */
	int code;            /* the payload's mapped status from the reaper */
	int killed_by;       /* the signal that killed the payload, from the reaper */
	sigset_t pending;    /* relayable signals that came before the payload */
} State;

static bool ends_with_payload(const Plan *plan)
{
	return plan->kill_on_exit || plan->timeout_ms > 0;
}

int monitor_prepare(Monitor *m, const Plan *plan, int sync_fd)
{
	*m = (Monitor){ .plan = plan, .child = -1, .sync_fd = sync_fd, .signal_fd = -1 };
	/* The kernel's answer, not the C library's: musl leaves out the
	 * signals it reserves for itself (32-34) when it reports a mask, and
	 * a caller that blocked signal 34 (glibc's SIGRTMIN) must find it
	 * blocked in the payload, as with bwrap. */
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m->caller_mask, (size_t)(_NSIG / 8));
	if (ends_with_payload(plan) && proc_tree_become_subreaper() < 0)
		return -1;
	if (!plan->no_forward_signals) {
		m->signal_fd = relay_open(plan->new_session);
		if (m->signal_fd < 0)
			return log_error_errno(m->signal_fd, "Can't set up signal relaying");
	}
	return 0;
}

void monitor_set_child(Monitor *m, pid_t child)
{
	m->child = child;
	/* A reader of --json-status-fd that went away must not kill hutch
	 * (and orphan the sandbox) when an event line is written: the
	 * write fails with EPIPE instead. Only now: an ignored signal stays
	 * ignored across execve, and the child must keep the default. */
	signal(SIGPIPE, SIG_IGN);
}

static void json_member(State *st, const char *key, const char *value)
{
	/* Never before the start document: an event of a setup that did not
	 * get as far as reporting its namespaces (say, a --timeout that ran
	 * out first) goes unreported, as does its exit code. */
	if (st->m->status_on_ids_mapped && !st->status_written)
		return;
	if (st->m->plan->json_status_fd >= 0)
		status_write_json_member(st->m->plan->json_status_fd, key, value);
}

/* With --new-session hutch stands in for the terminal, which signals a
 * whole process group: the payload's session (and group) was made by the
 * child hutch cloned, so the group's id is that child's pid, which cannot
 * be reused while the child is not reaped. That child is the payload, or
 * pid 1 of a new PID namespace, which ignores what it has no handler
 * for; a reaper without a PID namespace would die of it, so there only
 * the payload is signalled. */
static bool relay_to_group(const State *st)
{
	const Plan *plan = st->m->plan;

	return plan->new_session && !st->child_reaped && (!child_has_reaper(plan) || plan->unshare_pid);
}

/* 0, or -errno (ESRCH: the payload is exiting; its status comes next). */
static int send_to_payload(State *st, int signo)
{
	if (st->payload_pidfd < 0 || st->payload_exited || st->child_reaped)
		return -ESRCH;
	/* Before its setsid() the payload has no group of its own yet
	 * (ESRCH): then it alone gets the signal. */
	if (relay_to_group(st) && kill(-st->m->child, signo) == 0)
		return 0;
	return relay_send(st->payload_pidfd, signo);
}

static void deliver(State *st, int signo)
{
	char num[16];

	if (send_to_payload(st, signo) < 0)
		return;
	snprintf(num, sizeof num, "%d", signo);
	json_member(st, "signal-relayed", num);
	/* --new-session's ^Z: the payload stopped; so do we, so that the
	 * shell gets the terminal back. `fg` continues us with a SIGCONT,
	 * which goes on to the payload like any other. */
	if (signo == SIGTSTP)
		kill(getpid(), SIGSTOP);
}

static void handle_signals(State *st)
{
	struct signalfd_siginfo si;

	while (read(st->m->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		int signo = (int)si.ssi_signo;

		if (!relay_should_forward(signo, si.ssi_code, st->m->plan->new_session))
			continue;
		/* Sent from inside the sandbox (say, the payload's `kill 0`
		 * reached our process group too): the sender meant the
		 * sandbox, which got it; sending it back would double it. */
		if (si.ssi_pid > 0 && proc_tree_is_descendant((pid_t)si.ssi_pid, getpid()))
			continue;
		if (!st->setup_done)
			sigaddset(&st->pending, signo);
		else
			deliver(st, signo);
	}
}

static void arm_timer(State *st, uint64_t ms)
{
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000 } };

	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1; /* 0 would disarm it */
	timerfd_settime(st->timer_fd, 0, &its, NULL);
}

/* --timeout: first SIGTERM to the payload, then, after the grace period,
 * SIGKILL. Whatever else is left is killed once the payload is gone (see
 * finish). Before the payload runs there is nobody to ask politely. */
static void handle_timer(State *st)
{
	const Plan *plan = st->m->plan;
	uint64_t ticks;

	if (read(st->timer_fd, &ticks, sizeof ticks) != (ssize_t)sizeof ticks)
		return;
	if (!st->timed_out) {
		st->timed_out = true;
		json_member(st, "timed-out", "true");
		if (st->setup_done && send_to_payload(st, SIGTERM) == 0) {
			arm_timer(st, plan->timeout_kill_after_set ? plan->timeout_kill_after_ms : DEFAULT_KILL_AFTER_MS);
			return;
		}
	}
	st->kill_sent = true;
	send_to_payload(st, SIGKILL);
	/* The child is not reaped yet, so the pid is still its. */
	if (!st->child_reaped)
		kill(st->m->child, SIGKILL);
}

static void handle_message(State *st)
{
	SyncMsg msg;
	int fd = -1;
	int r = sync_recv_fd(st->m->sync_fd, &msg, &fd);

	if (r <= 0) {
		if (fd >= 0)
			close(fd);
		st->sync_open = false;
		return;
	}
	switch ((SyncMsgType)msg.type) {
	case SYNC_MSG_LOG:
		log_print((LogLevel)msg.level, msg.text);
		break;
	case SYNC_MSG_FAILED:
		st->failed = true;
		break;
	case SYNC_MSG_SETUP_DONE:
		st->setup_done = true;
		/* Without a reaper the child is the payload; with one, the
		 * reaper sent a pidfd of it along. */
		if (fd >= 0 && st->reaper_pidfd < 0)
			st->reaper_pidfd = fd, fd = -1;
		st->payload_pidfd = child_has_reaper(st->m->plan) ? st->reaper_pidfd : st->child_pidfd;
		for (int sig = 1; sig < NSIG; sig++)
			if (sigismember(&st->pending, sig) == 1)
				deliver(st, sig);
		sigemptyset(&st->pending);
		break;
	case SYNC_MSG_PAYLOAD_EXITED:
		st->payload_exited = true;
		st->code = msg.err;
		st->killed_by = msg.level;
		break;
	case SYNC_MSG_IDS_MAPPED:
		if (st->m->status_on_ids_mapped && !st->status_written) {
			StatusNamespaces ns;

			st->status_written = true;
			if (status_namespaces_from_text(msg.text, &ns) < 0 ||
			    status_write_documents(st->m->plan, st->m->child, &ns) < 0) {
				log_error("Can't write the sandbox's status documents");
				st->failed = true;
				kill(st->m->child, SIGKILL);
			}
		}
		break;
	case SYNC_MSG_MAPS_DONE:
	case SYNC_MSG_HELLO:
	default:
		break;
	}
	if (fd >= 0)
		close(fd);
}

static void reap_child(State *st, int flags)
{
	pid_t r;

	do
		r = waitpid(st->m->child, &st->child_status, flags);
	while (r < 0 && errno == EINTR);
	if (r == st->m->child)
		st->child_reaped = true;
	else if (r < 0)
		st->child_reaped = true, st->child_status = W_EXITCODE(1, 0);
}

static void wait_loop(State *st)
{
	while (!st->payload_exited && !st->child_reaped) {
		struct pollfd fds[3];
		nfds_t n = 0;
		int sync_i = -1, child_i = -1, sig_i = -1, timer_i = -1;

		if (st->sync_open) {
			sync_i = (int)n;
			fds[n++] = (struct pollfd){ .fd = st->m->sync_fd, .events = POLLIN };
		} else if (st->child_pidfd >= 0) {
			child_i = (int)n;
			fds[n++] = (struct pollfd){ .fd = st->child_pidfd, .events = POLLIN };
		} else {
			/* No pidfd (Linux < 5.3): just wait. */
			reap_child(st, 0);
			break;
		}
		if (st->m->signal_fd >= 0) {
			sig_i = (int)n;
			fds[n++] = (struct pollfd){ .fd = st->m->signal_fd, .events = POLLIN };
		}
		if (st->timer_fd >= 0 && !st->kill_sent) {
			timer_i = (int)n;
			fds[n++] = (struct pollfd){ .fd = st->timer_fd, .events = POLLIN };
		}
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error_errno(errno, "poll");
			reap_child(st, 0);
			break;
		}
		if (sig_i >= 0 && fds[sig_i].revents)
			handle_signals(st);
		if (timer_i >= 0 && fds[timer_i].revents)
			handle_timer(st);
		if (sync_i >= 0 && fds[sync_i].revents)
			handle_message(st);
		if (child_i >= 0 && fds[child_i].revents)
			reap_child(st, WNOHANG);
	}
}

/* The payload is gone (or never ran): with --kill-on-exit or after a
 * timeout, so is everything else in the sandbox before hutch returns. */
static void end_sandbox(State *st)
{
	/* Either implies ends_with_payload(): hutch is the subreaper. */
	if (!st->m->plan->kill_on_exit && !st->timed_out)
		return;
	if (!st->child_reaped)
		kill(st->m->child, SIGKILL);
	proc_tree_kill_all();
	st->child_reaped = true;
}

static void report_limit(State *st, int signo)
{
	if (signo == SIGXCPU)
		json_member(st, "rlimit-exceeded", "\"cpu\"");
	else if (signo == SIGXFSZ)
		json_member(st, "rlimit-exceeded", "\"fsize\"");
}

static int finish(State *st)
{
	int json_fd = st->m->plan->json_status_fd;
	int code;

	/* The reaper told us the payload's status: return now, as bwrap
	 * does, leaving the reaper to wait for background processes
	 * (unless they are to die with the payload). */
	if (st->payload_exited) {
		end_sandbox(st);
		if (st->failed)
			return 1;
		if (st->setup_done) {
			report_limit(st, st->killed_by);
			if (json_fd >= 0)
				status_write_json_exit(json_fd, st->code);
		}
		return st->timed_out ? MONITOR_TIMEOUT_EXIT : st->code;
	}

	if (!st->child_reaped)
		reap_child(st, 0);
	end_sandbox(st);
	if (st->failed)
		return 1;
	if (!st->setup_done) {
		if (st->timed_out)
			return MONITOR_TIMEOUT_EXIT;
		/* The child died before it could say anything. */
		if (WIFSIGNALED(st->child_status))
			log_error("The sandbox setup process was killed by signal %d", WTERMSIG(st->child_status));
		return 1;
	}
	code = exit_status_from_wait(st->child_status);
	/* Without a reaper the child was the payload. */
	if (!child_has_reaper(st->m->plan) && WIFSIGNALED(st->child_status))
		report_limit(st, WTERMSIG(st->child_status));
	if (json_fd >= 0)
		status_write_json_exit(json_fd, code);
	return st->timed_out ? MONITOR_TIMEOUT_EXIT : code;
}

int monitor_run(Monitor *m)
{
	const Plan *plan = m->plan;
	State st = { .m = m, .child_pidfd = -1, .payload_pidfd = -1, .reaper_pidfd = -1, .timer_fd = -1,
		     .sync_open = true };
	int code;

	sigemptyset(&st.pending);
	/* The child is ours and not reaped: its pid cannot be reused yet. */
	st.child_pidfd = relay_pidfd_open(m->child);
	if (st.child_pidfd < 0)
		st.child_pidfd = -1;
	if (plan->timeout_ms > 0) {
		/* Wall-clock time, suspend included, as a user expects of a timeout. */
		st.timer_fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK);
		if (st.timer_fd < 0) {
			log_error_errno(errno, "Can't create the --timeout timer");
			kill(m->child, SIGKILL);
			st.failed = true;
			reap_child(&st, 0);
		} else {
			arm_timer(&st, plan->timeout_ms);
		}
	}

	wait_loop(&st);
	code = finish(&st);

	if (st.reaper_pidfd >= 0)
		close(st.reaper_pidfd);
	if (st.child_pidfd >= 0)
		close(st.child_pidfd);
	if (st.timer_fd >= 0)
		close(st.timer_fd);
	if (m->signal_fd >= 0)
		close(m->signal_fd);
	return code;
}
