#!/bin/sh
# faults.sh — every setup step made to fail, one system call at a time.
#
# strace's fault injection (`-e inject=SYSCALL:error=EIO:when=N`) fails
# the Nth call of SYSCALL in each traced process of hutch: the mount API
# calls, mount(2) on the legacy path, openat2, pivot_root, umount2,
# sethostname, prctl, capset, setsid, socketpair, the monitor's writes
# and the payload's execve. For each, hutch must say what failed on
# stderr, exit 1, never run the payload (it would create a marker file),
# write no "exit-code" to --json-status-fd, and leave no process behind
# (the payload's command line carries a token that pgrep looks for).
#
# N runs from 1 until the call is no longer reached (or a small bound),
# so a step added later is covered as long as it uses one of these calls.
# A few injected failures are expected to be harmless; they are listed in
# TOLERATED with the reason, and must then let the payload run normally.
#
# Needs strace (tools/install-deps.sh installs it); skipped without it.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

probe_hutch

# SYSCALL#N that hutch survives by design:
#   mount_setattr#1  the probe for the new mount API, called with fd -1:
#                    only ENOSYS/EPERM mean "use mount(2)"; any other
#                    answer means the kernel has the call.
# and the write of "exit-code" to --json-status-fd, which comes after the
# payload has run: hutch reports it and exits with the payload's status.
TOLERATED=" mount_setattr#1 "

# Everything setup does, in one command line.
SETUP_ARGS="--ro-bind / / --unshare-pid --proc /proc --dev /dev --tmpfs /tmp --dir /tmp/d --symlink d /tmp/l
	--unshare-uts --hostname faulty --unshare-ipc --unshare-net --new-session --die-with-parent --chdir /tmp"

need_strace() {
	need_cmd strace || return 1
	# ptrace may be forbidden here (a container without CAP_SYS_PTRACE
	# over its children, or yama's ptrace_scope 3).
	if ! strace -f -qq -o /dev/null true >/dev/null 2>&1; then
		skip "strace cannot trace its children here"
		return 1
	fi
	return 0
}

# inject_series SYSCALL FIRST LAST [ENV=VALUE...] — inject EIO into the
# Nth call for N = FIRST..LAST; stop early once the call is not reached.
inject_series() {
	_sc=$1
	_n=$2
	_last=$3
	shift 3
	_reached=0
	while [ "$_n" -le "$_last" ]; do
		_tok=flt$$x${_sc}x$_n
		rm -f "$T/w/marker" "$T/json" "$T/trace"
		mkdir -p "$T/w"
		chmod 0777 "$T/w"
		# shellcheck disable=SC2086
		run_cmd env "$@" strace -f -qq -o "$T/trace" -e trace="$_sc" -e inject="$_sc:error=EIO:when=$_n" \
			sh -c 'exec "$@" 3>"$0"' "$T/json" \
			"$HUTCH" $SETUP_ARGS --bind "$T/w" "$T/w" --json-status-fd 3 \
			sh -c ': hutch-token-$1; touch "$2/marker"' sh "$_tok" "$T/w"
		if ! grep -q INJECTED "$T/trace" 2>/dev/null; then
			break
		fi
		_reached=$((_reached + 1))
		_where="$_sc#$_n${1:+ ($*)}"
		_stray=
		_i=0
		while [ $_i -lt 50 ]; do
			_stray=$(pgrep -f "hutch-token-$_tok" 2>/dev/null | tr '\n' ' ')
			[ -z "$_stray" ] && break
			sleep 0.1
			_i=$((_i + 1))
		done
		if [ -n "$_stray" ]; then
			_bad="$_bad
[$_where] processes left behind: $_stray"
			# shellcheck disable=SC2086
			kill -KILL $_stray 2>/dev/null
		fi
		# The last write of a run is the exit status to --json-status-fd,
		# after the payload has run: hutch says it failed and keeps the
		# payload's exit status (0 here).
		_late=0
		if [ "$_sc" = write ] && [ "$rc" = 0 ] && [ -e "$T/w/marker" ] &&
			printf '%s\n' "$err" | grep -q 'json_status_fd' && ! grep -q exit-code "$T/json"; then
			_late=1
		fi
		case "$TOLERATED $_late" in
		*" $_sc#$_n "* | *" 1")
			if [ "$rc" != 0 ] || [ ! -e "$T/w/marker" ]; then
				_bad="$_bad
[$_where] (harmless by design) broke the run: rc=$rc, stderr: $(printf '%.200s' "$err")"
			fi
			_n=$((_n + 1))
			rm -f "$T/w/marker"
			continue
			;;
		esac
		if [ "$rc" != 1 ]; then
			_bad="$_bad
[$_where] exit status $rc, not 1; stderr: $(printf '%.200s' "$err")"
		fi
		# strace counts calls per process: write#1 fails the setup
		# child's first write (its own id map) and also hutch's first,
		# which is the message saying so, to stderr. A message whose
		# own write failed cannot be asked for.
		if ! printf '%s\n' "$err" | grep -q "^$(basename "$HUTCH"): ." &&
			! grep -q '^[0-9]* *write(2, .*INJECTED' "$T/trace"; then
			_bad="$_bad
[$_where] no message on stderr (got: $(printf '%.200s' "$err"))"
		fi
		if [ -e "$T/w/marker" ]; then
			_bad="$_bad
[$_where] the payload ran"
		fi
		if grep -q exit-code "$T/json" 2>/dev/null; then
			_bad="$_bad
[$_where] --json-status-fd got an exit-code: $(cat "$T/json")"
		fi
		rm -f "$T/w/marker"
		_n=$((_n + 1))
	done
	_total=$((_total + _reached))
}

faults_case() {
	need_strace || return
	_bad=
	_total=0
	# shellcheck disable=SC2068
	for _spec in $@; do
		# SYSCALL:FIRST:LAST
		inject_series "${_spec%%:*}" "$(echo "$_spec" | cut -d: -f2)" "${_spec##*:}"
	done
	[ "$_total" -gt 0 ] || fail "no injection was reached at all (strace output: $(head -c 300 "$T/trace" 2>/dev/null))"
	if [ -n "$_bad" ]; then
		fail "$(printf '%s\n' "$_bad" | grep -c .) of $_total injected failures mishandled"
		diag "$_bad"
	fi
	diag "$_total injected failures checked"
}

case_mount_api() {
	if [ "${HUTCH_TEST_FORCE_LEGACY_MOUNT:-}" = 1 ]; then
		skip "HUTCH_TEST_FORCE_LEGACY_MOUNT=1: the new mount API is not used"
		return
	fi
	faults_case mount_setattr:1:6 open_tree:1:6 move_mount:1:8 fsopen:1:4 fsconfig:1:6 fsmount:1:4
}
tcase "new mount API calls failing (open_tree, mount_setattr, move_mount, fsopen, fsconfig, fsmount)" case_mount_api

case_root_switch() {
	faults_case mount:1:6 pivot_root:1:2 umount2:1:2 openat2:1:8 mkdirat:1:4 symlinkat:1:1 chdir:1:4
}
tcase "building and entering the root failing (mount, pivot_root, umount2, openat2, mkdirat, symlinkat, chdir)" case_root_switch

case_process() {
	# execve#1 is hutch's own start under strace: from #2 on it is the
	# payload's (and the PATH search's further tries).
	faults_case sethostname:1:1 prctl:1:6 capset:1:2 setsid:1:1 socketpair:1:1 execve:2:4
}
tcase "process setup failing (sethostname, prctl, capset, setsid, socketpair, execve)" case_process

case_monitor_writes() {
	# The writes of the sandbox's start: the id maps (written by the
	# setup child itself when it maps only its own ids), the status fds
	# and hutch's own messages.
	faults_case write:1:3
}
tcase "writes failing (id maps, --json-status-fd, messages)" case_monitor_writes

case_legacy_mount() {
	need_strace || return
	_bad=
	_total=0
	inject_series mount 1 12 HUTCH_TEST_FORCE_LEGACY_MOUNT=1
	inject_series umount2 1 2 HUTCH_TEST_FORCE_LEGACY_MOUNT=1
	[ "$_total" -gt 0 ] || fail "no injection was reached at all"
	if [ -n "$_bad" ]; then
		fail "$(printf '%s\n' "$_bad" | grep -c .) of $_total injected failures mishandled"
		diag "$_bad"
	fi
	diag "$_total injected failures checked"
}
tcase "the legacy mount(2) path failing at each mount" case_legacy_mount

finish
