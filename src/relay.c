/* relay.c — see relay.h. */
#include "relay.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif

static const int relayed_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };

void relay_signal_set(sigset_t *set, bool new_session)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof relayed_signals / sizeof relayed_signals[0]; i++)
		sigaddset(set, relayed_signals[i]);
	/* Without --new-session ^Z stops hutch and the payload together, as
	 * the terminal sends it to both; with it, only hutch would stop. */
	if (new_session)
		sigaddset(set, SIGTSTP);
}

int relay_open(bool new_session)
{
	sigset_t set;
	int fd;

	relay_signal_set(&set, new_session);
	/* Blocked before the signalfd exists: a signal in between stays
	 * pending and is read from it. */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	return fd;
}

bool relay_should_forward(int signo, int si_code, bool new_session)
{
	bool relayable = false;

	for (size_t i = 0; i < sizeof relayed_signals / sizeof relayed_signals[0]; i++)
		if (relayed_signals[i] == signo)
			relayable = true;
	if (signo == SIGTSTP)
		relayable = new_session;
	if (!relayable)
		return false;
	/* SI_USER (kill), SI_QUEUE (sigqueue), SI_TKILL (tgkill) and the
	 * other user-space origins are all <= 0. */
	return si_code <= 0 || new_session;
}

int relay_pidfd_open(pid_t pid)
{
	int fd = (int)syscall(__NR_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

int relay_send(int pidfd, int signo)
{
	if (syscall(__NR_pidfd_send_signal, pidfd, signo, NULL, 0) < 0)
		return -errno;
	return 0;
}
