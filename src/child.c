/* child.c — see child.h. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "env.h"
#include "exec-search.h"
#include "idmap.h"
#include "label.h"
#include "netns.h"
#include "pid1.h"
#include "relay.h"
#include "rlimit.h"
#include "rootfs.h"
#include "seccomp-fd.h"
#include "status.h"
#include "sync.h"
#include "userns.h"
#include "vclone.h"
#include "util/cleanup.h"
#include "util/fd-util.h"
#include "util/log.h"

static int child_sync_fd = -1;
/* Setup runs with umask 0 so that modes are exactly those asked for; the
 * payload gets the caller's umask back. */
static mode_t caller_umask = 022;
/* Whether a pid 1 runs the payload as its child (see child_main). */
static bool payload_has_reaper;

__attribute__((noreturn)) static void child_fail(void)
{
	sync_send(child_sync_fd, SYNC_MSG_FAILED, 0, 0, 0, NULL);
	_exit(1);
}

static int wait_for_maps(int fd)
{
	SyncMsg msg;
	int r = sync_recv(fd, &msg);

	if (r <= 0)
		return r == 0 ? -EPIPE : r;
	if (msg.type != SYNC_MSG_MAPS_DONE)
		return -EBADMSG;
	return 0;
}

/* bwrap's rule: --chdir if given; else the caller's cwd if it exists in
 * the sandbox; else $HOME (as the sandbox's environment has it); else /.
 * PWD says where we ended up. */
static int choose_cwd(const ChildContext *ctx)
{
	const char *chosen = "/";
	const char *home;

	if (ctx->plan->chdir_path) {
		if (chdir(ctx->plan->chdir_path) < 0)
			return log_error_errno(errno, "Can't chdir to %s", ctx->plan->chdir_path);
		chosen = ctx->plan->chdir_path;
	} else if (ctx->old_cwd && chdir(ctx->old_cwd) == 0) {
		chosen = ctx->old_cwd;
	} else if ((home = getenv("HOME")) != NULL && chdir(home) == 0) {
		chosen = home;
	} else if (chdir("/") < 0) {
		return log_error_errno(errno, "Can't chdir to /");
	}
	if (setenv("PWD", chosen, 1) < 0)
		return log_error_errno(errno, "Can't set PWD");
	return 0;
}

/* fds named on the command line that hutch consumed (data fds, status
 * fds, --args) must not leak into the payload, not even when they are
 * 0, 1 or 2 (`--file 0 /x` reads stdin to EOF; `--sync-fd 1` is the
 * caller's business, not the payload's). keep_fd (the --sync-fd when no
 * pid 1 holds it) is the one exception. */
static void close_consumed_fds_on_exec(const Plan *plan, int keep_fd)
{
	for (size_t i = 0; i < plan->n_consumed_fds; i++)
		if (plan->consumed_fds[i] >= 0 && plan->consumed_fds[i] != keep_fd)
			fd_set_cloexec(plan->consumed_fds[i], true);
}

/* --block-fd: wait until the fd has data or reaches EOF. */
static int wait_block_fd(int fd)
{
	char byte;

	while (read(fd, &byte, 1) < 0) {
		if (errno != EINTR)
			return log_error_errno(errno, "Can't read --block-fd %d", fd);
	}
	return 0;
}

/* --lock-file: a read lock on a file inside the sandbox, held by the
 * reaper for as long as the sandbox runs. */
static int take_lock_file(const char *path)
{
	struct flock lock = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return log_error_errno(errno, "Unable to open lock file %s", path);
	if (fcntl(fd, F_SETLK, &lock) < 0) {
		int r = log_error_errno(errno, "Unable to lock file %s", path);

		close(fd);
		return r;
	}
	return fd;
}

/* pid 1 keeps only the fds it must hold for the sandbox's lifetime. */
static void close_all_but(const int *keep, size_t n_keep)
{
	unsigned int from = 3;

	for (;;) {
		unsigned int next = ~0U;

		for (size_t i = 0; i < n_keep; i++)
			if (keep[i] >= (int)from && (unsigned int)keep[i] < next)
				next = (unsigned int)keep[i];
		if (next == ~0U) {
			syscall(SYS_close_range, from, ~0U, 0U);
			return;
		}
		if (next > from)
			syscall(SYS_close_range, from, next - 1, 0U);
		from = next + 1;
	}
}

__attribute__((noreturn)) static void exec_payload(const ChildContext *ctx)
{
	const Plan *plan = ctx->plan;
	char *file = plan->command[0];
	int r;

	umask(caller_umask);
	/* Here, not earlier: setup itself must not run under the limits. */
	if (rlimit_apply(plan) < 0)
		child_fail();
	/* With a reaper, the reaper already leads the new session (see
	 * child_main); the payload is a member of it. */
	if (plan->new_session && !payload_has_reaper && setsid() < 0) {
		log_error_errno(errno, "setsid failed");
		child_fail();
	}
	if (plan->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		log_error_errno(errno, "prctl(PR_SET_PDEATHSIG) failed");
		child_fail();
	}
	if (userns_become_sandbox_ids(plan) < 0)
		child_fail();
	/* Before seccomp, which may forbid the write to /proc that it takes. */
	if (plan->exec_label && label_exec(plan->exec_label) < 0)
		child_fail();
	if (caps_apply(caps_compute_kept(plan, ctx->last_cap), caps_compute_named(plan, ctx->last_cap), ctx->last_cap) < 0)
		child_fail();
	/* Always: no setuid binary or file capability inside the sandbox can
	 * give the payload more than it has now. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_error_errno(errno, "prctl(PR_SET_NO_NEW_PRIVS) failed");
		child_fail();
	}
	/* Last before exec: a filter may forbid anything setup still needed. */
	if (ctx->seccomp && seccomp_fd_install(ctx->seccomp) < 0)
		child_fail();
	if (plan->argv0)
		plan->command[0] = (char *)plan->argv0;
	r = exec_search(file, plan->command);
	log_error_errno(r, "execvp %s", file);
	child_fail();
}

static int payload_entry(void *ctx)
{
	exec_payload(ctx);
}

bool child_has_reaper(const Plan *plan)
{
	return !plan->as_pid_1 && (plan->unshare_pid || plan->n_lock_files > 0 || plan->sync_fd >= 0);
}

void child_main(const ChildContext *ctx)
{
	const Plan *plan = ctx->plan;
	/* A reaper runs the payload as its child when there is a PID
	 * namespace to be pid 1 of, or fds to hold for the sandbox's
	 * lifetime; --as-pid-1 asks for none. */
	bool has_reaper = child_has_reaper(plan);
	/* The fds pid 1 keeps: the sync socket, --sync-fd, one per lock
	 * file. */
	_cleanup_free_ int *keep = calloc(plan->n_lock_files + 2, sizeof *keep);
	size_t n_keep = 0;
	int proc_fd = -1;
	char ids_text[256];
	int payload_pidfd;
	pid_t payload;

	/* The monitor blocked the signals it relays before cloning us; the
	 * payload must start with the mask hutch was started with. */
	if (ctx->caller_mask)
		sigprocmask(SIG_SETMASK, ctx->caller_mask, NULL);
	child_sync_fd = ctx->sync_fd;
	payload_has_reaper = has_reaper;
	log_set_sink(sync_log_sink, &child_sync_fd);
	/* The status fds are the monitor's: a copy held here until exec would
	 * keep a reader waiting for EOF (say, before it writes --block-fd)
	 * forever. */
	if (plan->info_fd >= 0)
		close(plan->info_fd);
	if (plan->json_status_fd >= 0)
		close(plan->json_status_fd);
	if (!keep) {
		log_error_errno(ENOMEM, "Out of memory");
		child_fail();
	}
	if (ctx->announce_pid && sync_send(ctx->sync_fd, SYNC_MSG_HELLO, 0, 0, 0, NULL) < 0)
		_exit(1);

	if (plan->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		log_error_errno(errno, "prctl(PR_SET_PDEATHSIG) failed");
		child_fail();
	}
	if (ctx->wait_for_go) {
		/* The monitor writes our maps; until it says so we own no ids
		 * and can do nothing useful. EOF means it died: leave quietly. */
		if (wait_for_maps(ctx->sync_fd) < 0)
			_exit(1);
	} else {
		/* One id each, our own: the kernel lets us map them, and the
		 * monitor need not wake up for it (nor we wait for it). */
		if (plan->unshare_user && idmap_write_single_self(plan->sandbox_uid, ctx->outside_uid, plan->sandbox_gid,
								ctx->outside_gid) < 0)
			child_fail();
		/* Read now, while /proc is the host's; sent at the end of
		 * setup (see below). */
		if (ctx->announce_ids && status_format_own_namespaces(ids_text, sizeof ids_text) < 0)
			child_fail();
	}

	/* Not dumpable from here on: other host processes of the caller
	 * must not ptrace or open /proc/<pid> of a process that holds
	 * capabilities over the new namespaces. (Only now: before the maps
	 * were written the monitor needed our /proc files writable.) */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		log_error_errno(errno, "can't set dumpable");
		child_fail();
	}

	/* A procfs reachable after the pivot, for the nested user namespace
	 * of --disable-userns (the sandbox may mount none). */
	if (plan->disable_userns) {
		proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (proc_fd < 0) {
			log_error_errno(errno, "Can't open /proc");
			child_fail();
		}
	}
	caller_umask = umask(0);
	/* --file-label: every file and directory setup creates gets it
	 * (tmpfs mounts get it as their context= option, in rootfs.c). */
	if (plan->file_label && label_create_files(plan->file_label) < 0)
		child_fail();
	if (rootfs_build(plan, ctx->sources) < 0)
		child_fail();
	if (plan->hostname && sethostname(plan->hostname, strlen(plan->hostname)) < 0) {
		log_error_errno(errno, "Can't set hostname to %s", plan->hostname);
		child_fail();
	}
	if (plan->unshare_net && netns_loopback_up() < 0)
		child_fail();
	/* After everything that needs capabilities over the namespaces the
	 * sandbox was created with (mounts, hostname, loopback). */
	if (userns_after_setup(plan, proc_fd) < 0)
		child_fail();
	if (proc_fd >= 0)
		close(proc_fd);
	if (env_apply(plan) < 0 || choose_cwd(ctx) < 0)
		child_fail();
	/* After the pivot: the paths name files inside the sandbox. */
	for (size_t i = 0; i < plan->n_lock_files; i++) {
		int lock_fd = take_lock_file(plan->lock_files[i]);

		if (lock_fd < 0)
			child_fail();
		keep[n_keep++] = lock_fd;
	}
	/* With --as-pid-1 nobody else can hold --sync-fd: the payload does. */
	close_consumed_fds_on_exec(plan, has_reaper ? -1 : plan->sync_fd);
	/* The monitor writes the status documents when this comes: here,
	 * not as soon as the ids were mapped, because waking the monitor
	 * then would stall setup while it runs; and before --block-fd,
	 * whose writer may be waiting to read --info-fd first. */
	if (ctx->announce_ids && sync_send(ctx->sync_fd, SYNC_MSG_IDS_MAPPED, 0, 0, 0, ids_text) < 0)
		child_fail();
	if (plan->block_fd >= 0) {
		if (wait_block_fd(plan->block_fd) < 0)
			child_fail();
		close(plan->block_fd);
	}

	if (!has_reaper) {
		sync_send(ctx->sync_fd, SYNC_MSG_SETUP_DONE, 0, 0, getpid(), NULL);
		exec_payload(ctx);
	}

	/* bwrap's order: the reaper leads the new session, so that the
	 * payload's session id is 1 in a new pid namespace, as clients see
	 * it there. */
	if (plan->new_session && setsid() < 0) {
		log_error_errno(errno, "setsid failed");
		child_fail();
	}

	/* vclone returns once the payload has exec'd or died (having
	 * reported why), which is when setup is done. */
	payload = vclone(payload_entry, (void *)ctx, SIGCHLD);
	if (payload < 0) {
		log_error_errno(errno, "Can't fork for pid 1");
		child_fail();
	}
	/* The payload's exec woke us, most often onto its own CPU, ahead of
	 * it: what follows is bookkeeping the payload does not wait for, so
	 * let it run first (another CPU takes us as soon as one is free).
	 * Measured: 30-100 us off a flatpak-like start on 2 CPUs. */
	sched_yield();
	/* Setup is done: the payload runs. With the news goes a pidfd of
	 * the payload, for the monitor to relay signals through, which no
	 * reuse of the pid can misdirect (the payload is our child and not
	 * yet reaped, so the pid is still its). One message, so the monitor
	 * wakes once; sent before the payload's seccomp programs bind pid 1
	 * too (they need not allow pidfd_open). */
	payload_pidfd = relay_pidfd_open(payload);
	sync_send_fd(ctx->sync_fd, SYNC_MSG_SETUP_DONE, 0, payload, payload_pidfd);
	if (payload_pidfd >= 0)
		close(payload_pidfd);

	/* Harden pid 1 now that the payload runs. Until here pid 1 was not
	 * dumpable, so the payload could neither ptrace it nor open its
	 * /proc files; signals from inside its PID namespace it ignores. No
	 * capability, no fd but those it holds for the sandbox's lifetime
	 * (a pipe the caller reads to EOF would otherwise stay open until
	 * every background process ends), the payload's seccomp programs,
	 * and only then dumpable. What it does afterwards (wait4, send the
	 * payload's status on the sync socket, exit) is what a filter must
	 * allow, as for bwrap's pid 1. */
	log_set_sink(NULL, NULL);
	if (caps_drop_all() < 0) {
		kill(payload, SIGKILL);
		_exit(1);
	}
	keep[n_keep++] = ctx->sync_fd;
	if (plan->sync_fd >= 0)
		keep[n_keep++] = plan->sync_fd;
	close_all_but(keep, n_keep);
	/* A credential change clears the parent-death signal: set it again. */
	if (plan->die_with_parent)
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* pid 1 becomes dumpable below, so the payload (same ids) may ptrace
	 * it: it must not be a way around the payload's seccomp programs. */
	if (ctx->seccomp && ctx->seccomp->n_programs > 0 && seccomp_fd_install(ctx->seccomp) < 0) {
		kill(payload, SIGKILL);
		_exit(1);
	}
	/* Dumpable again now that it holds no capability: tools that join a
	 * running sandbox (flatpak enter, nsenter -t) open pid 1's
	 * /proc/PID/ns files, which a non-dumpable process keeps root-owned. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);

	pid1_run(payload, ctx->sync_fd);
}
