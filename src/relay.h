/* relay.h — passing signals that reach hutch on to the payload.
 *
 * Owns: the set of signals hutch relays (TERM, INT, HUP, QUIT, USR1,
 * USR2, WINCH, CONT, and TSTP with --new-session), blocking them in the
 * monitor and reading them from a signalfd, the rule that decides from a
 * signal's origin whether the payload already got it, and sending it on
 * through a pidfd (so that a reused pid can never be hit).
 * Must not: decide when the payload exists (monitor.c does).
 *
 * The rule: a signal a process sent to hutch (kill, sigqueue, tgkill:
 * si_code <= 0) is relayed; one the kernel generated (si_code ==
 * SI_KERNEL: the terminal's ^C, ^\, hangup and resize go to the whole
 * foreground process group) is not, because the payload, in hutch's
 * process group, got it too. With --new-session the payload is in no
 * group the terminal signals, so every one of them is relayed.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Fills set with the signals the monitor relays. */
void relay_signal_set(sigset_t *set, bool new_session);

/* Blocks the relayed signals and returns a signalfd (O_CLOEXEC,
 * O_NONBLOCK) that reads them, or -errno. */
int relay_open(bool new_session);

/* Pure: whether a signal with this number and si_code goes on. */
bool relay_should_forward(int signo, int si_code, bool new_session);

/* pidfd_open(2) and pidfd_send_signal(2), -errno on failure. */
int relay_pidfd_open(pid_t pid);
int relay_send(int pidfd, int signo);
