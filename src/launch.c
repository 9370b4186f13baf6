/* launch.c — see launch.h. */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "child.h"
#include "idmap.h"
#include "idmap-setup.h"
#include "monitor.h"
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
#include "util/syscalls.h"

static unsigned long clone_flags_for(const Plan *plan)
{
	/* A new mount namespace always: the root is built in it. */
	unsigned long flags = CLONE_NEWNS | SIGCHLD;

	if (plan->unshare_user)
		flags |= CLONE_NEWUSER;
	if (plan->unshare_pid)
		flags |= CLONE_NEWPID;
	if (plan->unshare_net)
		flags |= CLONE_NEWNET;
	if (plan->unshare_ipc)
		flags |= CLONE_NEWIPC;
	if (plan->unshare_uts)
		flags |= CLONE_NEWUTS;
	if (plan->unshare_cgroup)
		flags |= CLONE_NEWCGROUP;
	return flags;
}

static void kill_and_reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* Why fd can not serve an option that reads from it (want_write false)
 * or writes to it: 0 when it can, else -EBADF for a closed fd or one
 * opened for the other direction only (or O_PATH), -EISDIR for a
 * directory where data is read. */
static int fd_usable(int fd, bool want_write)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || (fl & O_PATH))
		return -EBADF;
	if ((fl & O_ACCMODE) == (want_write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!want_write && S_ISDIR(st.st_mode))
		return -EISDIR;
	if (S_ISSOCK(st.st_mode)) {
		/* A listening socket reads and writes nothing (EINVAL); an
		 * unconnected stream socket neither (ENOTCONN). */
		int accepting = 0, type = 0;
		socklen_t len = sizeof accepting;
		struct sockaddr_storage peer;
		socklen_t plen = sizeof peer;

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 && accepting)
			return -EINVAL;
		len = sizeof type;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type != SOCK_DGRAM &&
		    getpeername(fd, (struct sockaddr *)&peer, &plen) < 0 && errno == ENOTCONN)
			return -ENOTCONN;
	}
	return 0;
}

/* An fd named on the command line must be open, and open the right way,
 * before anything starts: found unusable later, it would leave a
 * half-built sandbox behind (bwrap leaves a pid 1 waiting forever on a
 * closed --info-fd and takes a closed --block-fd as "go"). */
static int check_fds(const Plan *plan)
{
	static const struct {
		size_t offset;
		const char *option;
		int use; /* 0: only held open, 1: read from, 2: written to */
	} fds[] = {
		{ offsetof(Plan, info_fd), "--info-fd", 2 },
		{ offsetof(Plan, json_status_fd), "--json-status-fd", 2 },
		{ offsetof(Plan, sync_fd), "--sync-fd", 0 },
		{ offsetof(Plan, block_fd), "--block-fd", 1 },
		{ offsetof(Plan, userns_block_fd), "--userns-block-fd", 1 },
	};

	for (size_t i = 0; i < N_ELEMENTS(fds); i++) {
		int fd = *(const int *)((const char *)plan + fds[i].offset);
		int r;

		if (fd < 0)
			continue;
		r = !fd_is_open(fd) ? -EBADF : fds[i].use ? fd_usable(fd, fds[i].use == 2) : 0;
		if (r < 0)
			return log_error_errno(r, "Can't use %s %d", fds[i].option, fd);
	}
	for (size_t i = 0; i < plan->n_ops; i++) {
		const PlanOp *op = &plan->ops[i];
		bool data = op->kind == PLAN_OP_FILE || op->kind == PLAN_OP_BIND_DATA || op->kind == PLAN_OP_RO_BIND_DATA;
		int r;

		if (op->fd < 0)
			continue;
		r = !fd_is_open(op->fd) ? -EBADF : data ? fd_usable(op->fd, false) : 0;
		if (r == 0)
			continue;
		/* bwrap finds these only while copying, half-way through
		 * setup; the message is the same, the timing is not. */
		if (data)
			return log_error_errno(r, "Can't write data to file %s", op->dest);
		return log_error_errno(r, "Can't use %s %d", op->option, op->fd);
	}
	return 0;
}

/* A capability given by number (libcap takes 0-63) that this kernel does
 * not have would otherwise be dropped from the kept set without a word. */
static int check_cap_numbers(const Plan *plan, int last_cap)
{
	for (size_t i = 0; i < plan->n_cap_ops; i++) {
		const PlanCapOp *op = &plan->cap_ops_list[i];

		if (!op->all && op->cap > last_cap)
			return log_error("unknown cap: %d (this kernel's capabilities end at %d)", op->cap, last_cap);
	}
	return 0;
}

/* --userns-block-fd: wait until whoever reads --info-fd says the maps
 * are theirs to write (or written). */
static int wait_userns_block_fd(int fd)
{
	char byte;

	while (read(fd, &byte, 1) < 0) {
		if (errno != EINTR)
			return log_error_errno(errno, "Can't read --userns-block-fd %d", fd);
	}
	close(fd);
	return 0;
}

/* An outside mapper (--userns-block-fd) may have written the uid map
 * already; the kernel allows a map to be written only once. */
static bool uid_map_is_written(pid_t pid)
{
	char path[64], buf[16];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 && read(fd, buf, sizeof buf) > 0;
}

static int write_status_documents(const Plan *plan, pid_t pid)
{
	StatusNamespaces ns;

	if (plan->info_fd < 0 && plan->json_status_fd < 0)
		return 0;
	if (status_read_namespaces(pid, &ns) < 0)
		return -1;
	return status_write_documents(plan, pid, &ns);
}

/* Whether the monitor has work between clone and the child going on:
 * running newuidmap/newgidmap for subordinate ranges, or waiting on
 * --userns-block-fd for someone else to map. Otherwise the child maps
 * its own single ids (or needs none) and never waits for the monitor,
 * which saves a round trip on the sync socket at every start. Joining
 * --userns before a nested one keeps the monitor's path, which is
 * written for the ids as the joined namespace sees them. */
static bool monitor_maps_ids(const Plan *plan, const IdMapSetup *maps)
{
	return plan->unshare_user && (maps->active || plan->userns_block_fd >= 0 || plan->userns_fd >= 0);
}

static int map_ids(const Plan *plan, const LaunchFacts *facts, const IdMapSetup *maps, pid_t pid)
{
	if (!plan->unshare_user)
		return 0;
	if (plan->userns_block_fd >= 0 && uid_map_is_written(pid)) {
		/* Never silently run with someone else's maps instead. */
		if (maps->active)
			return log_error("the sandbox's uid map was already written (by the --userns-block-fd "
					 "client), so --map-auto/--map-uid/--map-gid cannot write theirs");
		return 0;
	}
	if (maps->active)
		return idmap_setup_apply(maps, pid);
	return idmap_write_single(pid, plan->sandbox_uid, facts->real_uid, plan->sandbox_gid, facts->real_gid);
}

typedef struct {
	const ChildContext *ctx;
	int parent_sock;
} SharedChildStart;

static int shared_child_entry(void *arg)
{
	const SharedChildStart *start = arg;

	close(start->parent_sock);
	child_main(start->ctx);
}

/* The child on hutch's memory (vclone.h) while hutch sleeps until it
 * execs: only for a child that waits for nothing from hutch (see
 * can_share_memory). What it leaves in memory (its environment edits,
 * the plan's argv[0]) hutch does not read afterwards; the log sink it
 * installs is put back. It sends no more than a failure's few messages,
 * so it cannot block on a full socket while hutch sleeps. */
static pid_t clone_shared_memory(unsigned long flags, const ChildContext *ctx, int parent_sock)
{
	SharedChildStart start = { .ctx = ctx, .parent_sock = parent_sock };
	pid_t pid = vclone(shared_child_entry, &start, flags);
	int e = errno;

	log_set_sink(NULL, NULL);
	errno = e;
	return pid;
}

/* A fork-like clone, or the shared-memory one. In the child (fork-like),
 * run child_main. */
static pid_t clone_once(unsigned long flags, const ChildContext *ctx, int parent_sock, bool share_memory)
{
	pid_t pid;

	if (share_memory)
		return clone_shared_memory(flags, ctx, parent_sock);
	pid = sys_clone_fork(flags);
	if (pid == 0) {
		close(parent_sock);
		child_main(ctx);
	}
	return pid;
}

/* clone() with every namespace; the child runs child_main. */
static pid_t clone_direct(Plan *plan, const LaunchFacts *facts, const ChildContext *ctx, int parent_sock,
			  bool share_memory)
{
	unsigned long flags = clone_flags_for(plan);
	pid_t pid = clone_once(flags, ctx, parent_sock, share_memory);

	if (pid < 0 && (flags & CLONE_NEWUSER) && plan->unshare_user_try && facts->real_uid == 0 &&
	    (errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS)) {
		/* --unshare-user-try as root: go on without a user namespace. */
		plan->unshare_user = false;
		pid = clone_once(flags & ~(unsigned long)CLONE_NEWUSER, ctx, parent_sock, share_memory);
	}
	if (pid < 0) {
		int e = errno;

		if (e == ENOSPC)
			log_error("Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces "
				  "exceeded (ENOSPC)");
		else
			log_error_errno(e, "Creating new namespace failed");
		if (e == EPERM || e == EUSERS)
			log_msg(LOG_LEVEL_INFO, "hint: unprivileged user namespaces may be disabled "
				"(see /proc/sys/user/max_user_namespaces and, on Ubuntu, "
				"kernel.apparmor_restrict_unprivileged_userns)");
		return -1;
	}
	return pid;
}

/* --pidns with --unshare-pid: the kernel creates a PID namespace only
 * below the caller's own (CLONE_NEWPID fails with EINVAL once setns has
 * changed pid_for_children), so an intermediate process, born inside the
 * joined namespace, makes the clone and exits. The monitor, a child
 * subreaper, inherits the sandbox, and learns its pid from the kernel
 * (SO_PASSCRED) on the child's first message. */
static pid_t clone_through_intermediate(Plan *plan, const LaunchFacts *facts, ChildContext *ctx, int parent_sock)
{
	int one = 1, status;
	SyncMsg msg;
	pid_t mid, pid = 0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return log_error_errno(errno, "prctl(PR_SET_CHILD_SUBREAPER) failed");
	if (setsockopt(parent_sock, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0)
		return log_error_errno(errno, "Can't set SO_PASSCRED");
	mid = fork();
	if (mid < 0)
		return log_error_errno(errno, "Can't fork for --pidns");
	if (mid == 0) {
		ctx->announce_pid = true;
		_exit(clone_direct(plan, facts, ctx, parent_sock, false) < 0 ? 1 : 0);
	}
	while (waitpid(mid, &status, 0) < 0) {
		if (errno != EINTR)
			return log_error_errno(errno, "Can't wait for the --pidns helper");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1; /* it said why */
	if (sync_recv_with_pid(parent_sock, &msg, &pid) <= 0 || msg.type != SYNC_MSG_HELLO)
		return log_error("No pid returned on socket");
	return pid;
}

/* Whether the child may run on hutch's memory until it execs (see
 * clone_shared_memory): it must exec without waiting for hutch, which
 * sleeps meanwhile, so there is no reaper (which never execs), no map or
 * status document for hutch to write first, no --block-fd to wait on,
 * and no intermediate process; and no --timeout, whose clock must run
 * during setup too (a --file read from a pipe can block it). */
static bool can_share_memory(const Plan *plan, const ChildContext *ctx)
{
	return !child_has_reaper(plan) && !ctx->wait_for_go && !ctx->announce_ids && plan->block_fd < 0 &&
	       plan->pidns_fd < 0 && plan->timeout_ms == 0;
}

static pid_t clone_sandbox(Plan *plan, const LaunchFacts *facts, ChildContext *ctx, int parent_sock)
{
	if (plan->pidns_fd >= 0 && plan->unshare_pid)
		return clone_through_intermediate(plan, facts, ctx, parent_sock);
	return clone_direct(plan, facts, ctx, parent_sock, can_share_memory(plan, ctx));
}

/* Everything launch_run holds until the child is cloned. */
static void release_before_clone(int sv[2], char **sources, const Plan *plan, SeccompPrograms *seccomp)
{
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	rootfs_free_sources(sources, plan->n_ops);
	seccomp_fd_free(seccomp);
}

int launch_run(Plan *plan, const LaunchFacts *facts)
{
	_cleanup_free_ char *old_cwd = get_current_dir_name();
	char **sources = NULL;
	SeccompPrograms seccomp;
	/* Static: a few KiB of map lines, and launch_run runs once. */
	static IdMapSetup maps;
	ChildContext ctx;
	Monitor monitor;
	int sv[2] = { -1, -1 };
	int last_cap = caps_last_cap();
	bool monitor_maps, status_docs = plan->info_fd >= 0 || plan->json_status_fd >= 0;
	pid_t pid;
	int r, code;

	if (check_fds(plan) < 0 || check_cap_numbers(plan, last_cap) < 0)
		return 1;
	/* Subordinate ids: every reason not to start is found here. */
	if (idmap_setup_prepare(plan, facts->real_uid, facts->real_gid, &maps) < 0)
		return 1;
	if (rlimit_check(plan) < 0)
		return 1;
	if (seccomp_fd_read_all(plan, &seccomp) < 0)
		return 1;
	r = rootfs_resolve_sources(plan, &sources);
	if (r < 0) {
		seccomp_fd_free(&seccomp);
		return 1;
	}

	r = sync_socketpair(sv);
	if (r < 0) {
		log_error_errno(r, "Can't create the sync socket");
		release_before_clone(sv, sources, plan, &seccomp);
		return 1;
	}

	if (userns_join_before_clone(plan) < 0) {
		release_before_clone(sv, sources, plan, &seccomp);
		return 1;
	}

	if (plan->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		log_warning_errno(errno, "prctl(PR_SET_PDEATHSIG) failed");
	/* Before the clone: the child may go on at once, and from then on a
	 * signal to hutch must reach the payload rather than end hutch and
	 * leave the sandbox behind. */
	if (monitor_prepare(&monitor, plan, sv[0]) < 0) {
		release_before_clone(sv, sources, plan, &seccomp);
		return 1;
	}
	monitor_maps = monitor_maps_ids(plan, &maps);
	ctx = (ChildContext){
		.plan = plan,
		.sources = sources,
		.sync_fd = sv[1],
		.old_cwd = old_cwd,
		.last_cap = last_cap,
		.seccomp = &seccomp,
		.caller_mask = &monitor.caller_mask,
		.wait_for_go = monitor_maps,
		.announce_ids = !monitor_maps && status_docs,
		.outside_uid = facts->real_uid,
		.outside_gid = facts->real_gid,
	};
	pid = clone_sandbox(plan, facts, &ctx, sv[0]);
	if (pid < 0) {
		release_before_clone(sv, sources, plan, &seccomp);
		return 1;
	}

	close(sv[1]);
	sv[1] = -1;
	rootfs_free_sources(sources, plan->n_ops);
	seccomp_fd_free(&seccomp);
	monitor_set_child(&monitor, pid);
	/* Not dumpable, so other processes of the caller's uid cannot ptrace
	 * the monitor. Only after clone: the flag is inherited, and a
	 * non-dumpable child's /proc files (uid_map, setgroups) belong to
	 * root, so the maps could not be written. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	if (monitor_maps) {
		/* With --userns-block-fd the pid must be published before the
		 * maps (someone else may write them); otherwise after, so that a
		 * client reading --info-fd finds the sandbox's ids in place. */
		if (plan->userns_block_fd >= 0) {
			r = write_status_documents(plan, pid);
			if (r >= 0)
				r = wait_userns_block_fd(plan->userns_block_fd);
			if (r >= 0)
				r = map_ids(plan, facts, &maps, pid);
		} else {
			r = map_ids(plan, facts, &maps, pid);
			if (r >= 0)
				r = write_status_documents(plan, pid);
		}
		if (r >= 0) {
			r = sync_send(sv[0], SYNC_MSG_MAPS_DONE, 0, 0, 0, NULL);
			if (r < 0)
				log_error_errno(r, "Can't tell the sandbox to go on");
		}
		if (r < 0) {
			kill_and_reap(pid);
			close(sv[0]);
			return 1;
		}
	} else {
		/* The child maps its ids and reports its namespaces; the status
		 * documents are written when that report comes, against ours,
		 * read now while the child is busy. */
		monitor.status_on_ids_mapped = status_docs;
		if (status_docs)
			status_read_own_namespaces();
	}

	code = monitor_run(&monitor);
	close(sv[0]);
	return code;
}
