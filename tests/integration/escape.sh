#!/bin/sh
# escape.sh — attacks on the sandbox, each with the refusal it must meet:
# destinations that try to leave the new root (symlinks into the old root
# or onto host paths, "..", magic links), writes through --ro-bind and
# mount tricks from inside, setuid, capabilities, TIOCSTI, hutch's own
# fds, ptrace and /proc/PID/exe of hutch's processes, cwd outside the new
# root, host processes, network, mounts leaking out, the old root.
#
# Runs as root and unprivileged (and once more on the legacy mount(2)
# path, see tests/meson.build). The payload-side attacks come from
# tests/helpers/escape-probe, which reports each kernel answer by errno
# name.
#
# With --cap-add the payload holds what it was given: a payload with
# CAP_SYS_ADMIN over its own user and mount namespaces can remount its
# own --ro-bind mounts read-write (they were made in that namespace, so
# the kernel does not lock them), exactly as under bwrap. That is the
# caller's explicit choice; these cases check the default (no capability)
# and that even a privileged payload's mounts stay in the sandbox.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

MINI="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64"
PROBE=${HUTCH_TEST_HELPERS:+$HUTCH_TEST_HELPERS/escape-probe}

probe_hutch

need_probe() {
	if [ -z "$PROBE" ] || [ ! -x "$PROBE" ]; then
		skip "tests/helpers/escape-probe not built (HUTCH_TEST_HELPERS unset)"
		return 1
	fi
	return 0
}

# host_mounts_under DIR — host mount points at or below DIR.
host_mounts_under() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo
}

# victim NAME — a fresh, world-writable host directory $T/NAME that the
# attacks aim at; afterwards it must still be empty and unmounted.
victim() {
	V=$T/$1
	mkdir -p "$V"
	chmod 0777 "$V"
}

assert_victim_untouched() {
	assert_eq "" "$(ls -A "$V")" "host directory $V after the run" || return 1
	assert_eq "" "$(host_mounts_under "$V")" "host mounts under $V" || return 1
	assert_eq 777 "$(stat -c %a "$V")" "mode of $V"
}

# ---------------------------------------------------------------- destinations

case_dest_oldroot_symlink() {
	victim old
	_rcs=
	for _op in "--dir /evil/d" "--tmpfs /evil/t" "--symlink x /evil/s" "--chmod 0700 /evil" \
		"--ro-bind /etc/hostname /evil/b" "--mqueue /evil/q" "--dev /evil/dev" "--proc /evil/proc"; do
		# shellcheck disable=SC2086
		hutch $MINI --symlink "/oldroot$V" /evil $_op true
		_rcs="$_rcs $rc"
	done
	for _op in --file --bind-data --ro-bind-data; do
		run_cmd_in "$HUTCH" $MINI --symlink "/oldroot$V" /evil "$_op" 3 /evil/f true 3</dev/null </dev/null
		_rcs="$_rcs $rc"
	done
	assert_victim_untouched || return
	# Each one fails (the link dangles inside the new root) or stays inside.
	assert_no_match "$(echo $_rcs | tr ' ' '\n')" '^([2-9]|[0-9][0-9]+)$' "exit statuses ($_rcs)"
}
tcase "a destination through a symlink into /oldroot never reaches the host" case_dest_oldroot_symlink

case_dest_host_symlink() {
	victim abs
	for _op in "--dir /abs/d" "--tmpfs /abs/t" "--symlink x /abs/s" "--ro-bind /etc/hostname /abs/b"; do
		# shellcheck disable=SC2086
		hutch $MINI --symlink "$V" /abs $_op true
	done
	run_cmd_in "$HUTCH" $MINI --symlink "$V" /abs --file 3 /abs/f true 3</dev/null </dev/null
	assert_victim_untouched
}
tcase "a destination through a symlink to a host absolute path never reaches the host" case_dest_host_symlink

case_dest_relative_climb() {
	victim up
	_up=../../../../../../../../..
	for _op in "--dir /up/d" "--tmpfs /up/t" "--symlink x /up/s" "--proc /up/p" "--dev /up/dev" \
		"--ro-bind /etc/hostname /up/b" "--chmod 0700 /up"; do
		# shellcheck disable=SC2086
		hutch $MINI --symlink "$_up$V" /up $_op true
	done
	run_cmd_in "$HUTCH" $MINI --symlink "$_up$V" /up --bind-data 3 /up/f true 3</dev/null </dev/null
	# A symlink made by an earlier op to the very top, then followed.
	hutch $MINI --symlink "$_up" /top --dir "/top$V/d2" true
	hutch $MINI --symlink ../../.. /top --symlink "/top/top/top$V" /deep --dir /deep/d3 true
	assert_victim_untouched
}
tcase "a relative symlink climbing with .. never reaches the host" case_dest_relative_climb

case_dest_dotdot() {
	victim dots
	hutch $MINI --dir "/../../..$V/a" --dir "/tmp/../../../..$V/b" --symlink x "/../..$V/c" \
		--tmpfs "/x/../../..$V/t" --dir "../../..$V/rel" --dir "..$V/rel2" true
	assert_ok "--dir/--symlink/--tmpfs with .. (resolved inside the new root)" || return
	run_cmd_in "$HUTCH" $MINI --file 3 "/../../..$V/f" --bind-data 4 "/a/../../..$V/g" \
		sh -c 'test -f "$1/f" && test -f "$1/g" && test -d /a && echo inside' sh "$V" 3</dev/null 4</dev/null </dev/null
	assert_ok || return
	assert_eq inside "$out" "where the .. destinations went"
	assert_victim_untouched
}
tcase "a destination with .. stays inside the new root (never the host)" case_dest_dotdot

case_dest_magic_link() {
	victim magic
	# A link through procfs's magic links: refused (openat2's
	# RESOLVE_NO_MAGICLINKS, and the fallback walk does the same), never
	# followed to the setup process's root or cwd, which are outside.
	hutch $MINI --proc /proc --symlink /proc/self/root /pr --dir "/pr/oldroot$V/a" true
	_rc1=$rc
	hutch $MINI --proc /proc --symlink /proc/self/cwd /pc --dir /pc/b true
	_rc2=$rc
	hutch $MINI --proc /proc --symlink "/proc/1/root/oldroot$V" /p1 --dir /p1/c true
	assert_victim_untouched || return
	assert_eq "1 1" "$_rc1 $_rc2" "exit statuses of --dir through /proc/self/root and /proc/self/cwd"
}
tcase "a destination through a procfs magic link is refused" case_dest_magic_link

case_dest_tmpfs_on_oldroot_name() {
	victim name
	# "/oldroot" inside the new root is only a name there.
	hutch $MINI --tmpfs /oldroot --dir "/oldroot$V/d" sh -c 'test -d "/oldroot$1/d" && echo made-inside' sh "$V"
	assert_ok || return
	assert_eq made-inside "$out" "payload's view"
	assert_victim_untouched
}
tcase "a --tmpfs named /oldroot is only a directory of the new root" case_dest_tmpfs_on_oldroot_name

case_dest_bound_host_symlink() {
	# A symlink inside a bound host directory (content the sandboxed app
	# may control from a previous run) pointing at the host.
	victim content
	mkdir -p "$T/appdata"
	ln -s "$V" "$T/appdata/link"
	ln -s "../../../../../../../..$V" "$T/appdata/rel"
	hutch $MINI --bind "$T/appdata" /data --dir /data/link/d --tmpfs /data/rel/t \
		--ro-bind /etc/hostname /data/link/b true
	assert_victim_untouched
}
tcase "a symlink inside a bound host directory does not lead destinations onto the host" case_dest_bound_host_symlink

case_dest_trailing_slash() {
	# "file/" names a directory or nothing: the kernel's openat2 and the
	# fallback walk (the legacy run of this script) agree.
	run_cmd_in "$HUTCH" $MINI --file 3 /f --chmod 0600 /f/ true 3</dev/null </dev/null
	assert_rc 1 "--chmod on 'FILE/'" || return
	assert_contains "$err" "Not a directory" "stderr" || return
	run_cmd_in "$HUTCH" $MINI --file 3 /f --chmod 0600 /f/. true 3</dev/null </dev/null
	assert_rc 1 "--chmod on 'FILE/.'" || return
	hutch $MINI --dir /d --symlink /d /l --chmod 0700 /l/ stat -c %a /d
	assert_ok "--chmod through 'SYMLINK-TO-DIR/'" || return
	assert_eq 700 "$out" "mode of the directory the link names"
}
tcase "a trailing slash after a non-directory destination is refused (both lookup paths)" case_dest_trailing_slash

# ---------------------------------------------------------------- writes and mounts from inside

case_ro_bind_write() {
	mkdir -p "$T/ro"
	echo original >"$T/ro/file"
	hutch --ro-bind / / --tmpfs /tmp --ro-bind "$T/ro" /tmp/ro sh -c '
		(echo x >/tmp/ro/file) 2>/dev/null && echo wrote-file
		(: >/tmp/ro/new) 2>/dev/null && echo created
		mount -o remount,rw /tmp/ro 2>/dev/null && echo remounted
		mkdir /tmp/w && mount --bind /tmp/w /tmp/ro 2>/dev/null && echo bound-over
		(echo x >/tmp/ro/file) 2>/dev/null && echo wrote-after
		echo done'
	assert_ok || return
	assert_eq done "$out" "what the payload managed"
	assert_eq original "$(cat "$T/ro/file")" "host file"
	assert_eq file "$(ls "$T/ro")" "host directory"
}
tcase "--ro-bind: writes, remount rw and bind-over from inside are refused" case_ro_bind_write

case_mount_api_inside() {
	need_probe || return
	_bad=
	for _ns in "" "--unshare-user" "--unshare-all" "--unshare-user --uid 0 --gid 0"; do
		# shellcheck disable=SC2086
		hutch --ro-bind / / $_ns "$PROBE" mount-api
		[ "$rc" = 0 ] || { _bad="$_bad [$_ns: rc=$rc $err]"; continue; }
		_ok=$(printf '%s\n' "$out" | grep -v ' EPERM$')
		[ -z "$_ok" ] || _bad="$_bad [${_ns:-plain}: $(echo $_ok)]"
	done
	assert_eq "" "$_bad" "mount calls not refused with EPERM"
}
tcase "no mount call works from inside by default (open_tree, fsopen, move_mount, mount_setattr, mount, umount)" case_mount_api_inside

# mount_inside NSFLAGS — the payload, given CAP_SYS_ADMIN, makes its
# mount tree shared and mounts a tmpfs on a host directory bound in, then
# waits; meanwhile the host must see nothing there.
mount_inside() {
	mkdir -p "$T/mnt"
	rm -f "$T/mounted" "$T/go"
	# shellcheck disable=SC2086
	"$HUTCH" --bind / / $1 --cap-add CAP_SYS_ADMIN sh -c '
		mount --make-rshared / 2>/dev/null
		mount -t tmpfs none "$1/mnt" || exit 3
		touch "$1/mnt/inside" && : >"$1/mounted"
		i=0; while [ ! -e "$1/go" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done' sh "$T" </dev/null >"$T/mi.out" 2>&1 &
	_bg=$!
	_i=0
	while [ ! -e "$T/mounted" ] && [ $_i -lt 300 ] && kill -0 $_bg 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_during=$(host_mounts_under "$T/mnt")
	_file=$(ls -A "$T/mnt")
	_seen=no
	[ -e "$T/mounted" ] && _seen=yes
	: >"$T/go"
	wait $_bg
	_brc=$?
	[ "$_seen" = yes ] || { fail "${1:-no user ns}: the payload never mounted (rc=$_brc): $(cat "$T/mi.out")"; return 1; }
	assert_eq "" "$_during" "${1:-no user ns}: host mounts under $T/mnt while the sandbox runs" || return 1
	assert_eq "" "$_file" "${1:-no user ns}: host view of $T/mnt while the sandbox runs" || return 1
	assert_eq "" "$(host_mounts_under "$T/mnt")" "${1:-no user ns}: host mounts under $T/mnt afterwards"
}

case_mount_inside_stays_inside() {
	mount_inside --unshare-user || return
	# Real root without a user namespace holds CAP_SYS_ADMIN on the
	# host: still, the sandbox's tree is a slave of the host's.
	[ "$IS_ROOT" -eq 1 ] && mount_inside ""
}
tcase "a mount made inside (--cap-add CAP_SYS_ADMIN) never appears on the host" case_mount_inside_stays_inside

# ---------------------------------------------------------------- privilege

CAPS_CMD='grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status'

case_no_caps_anywhere() {
	_bad=
	for _ns in "" "--unshare-user" "--unshare-user --uid 0 --gid 0" "--unshare-all" "--unshare-pid --as-pid-1"; do
		# shellcheck disable=SC2086
		hutch --ro-bind / / $_ns sh -c "$CAPS_CMD; exec sh -c '$CAPS_CMD'"
		[ "$rc" = 0 ] || { _bad="$_bad [$_ns: rc=$rc $err]"; continue; }
		_nz=$(printf '%s\n' "$out" | grep '^Cap' | grep -Ev ':[[:space:]]+0+$')
		_nnp=$(printf '%s\n' "$out" | grep -c '^NoNewPrivs:[[:space:]]1$')
		[ -z "$_nz" ] || _bad="$_bad [${_ns:-plain}: $(echo $_nz)]"
		[ "$_nnp" = 2 ] || _bad="$_bad [${_ns:-plain}: NoNewPrivs not 1 before and after exec]"
	done
	assert_eq "" "$_bad" "capabilities left or no_new_privs missing"
}
tcase "no capability in any set (Inh/Prm/Eff/Bnd/Amb), also for uid 0 and after exec" case_no_caps_anywhere

case_setuid_inside() {
	need_probe || return
	[ -u /usr/bin/passwd ] || { skip "no setuid /usr/bin/passwd on the host"; return; }
	# A setuid-root program run inside keeps the caller's ids: every
	# mount is nosuid and no_new_privs is set.
	if [ "$IS_ROOT" -eq 1 ]; then
		hutch --ro-bind / / --unshare-user --uid 1234 --gid 1234 "$PROBE" uid-exec /usr/bin/passwd
		_want=1234
	else
		hutch --ro-bind / / "$PROBE" uid-exec /usr/bin/passwd
		_want=$HOST_UID
	fi
	assert_ok || return
	assert_eq "Uid: $_want $_want $_want $_want" "$(printf '%s\n' "$out" | tr -s '\t ' '  ')" "ids of setuid passwd inside"
}
tcase "a setuid-root binary inside does not change the uid" case_setuid_inside

case_setuid_copy_root() {
	need_probe || return
	need_root || return
	# A setuid-root file the caller (root) made, bound in: still nothing.
	mkdir -p "$T/suid"
	cp "$PROBE" "$T/suid/probe"
	cp /usr/bin/passwd "$T/suid/passwd"
	chown 0:0 "$T/suid/passwd"
	chmod 4755 "$T/suid/passwd"
	hutch --ro-bind / / --unshare-user --uid 1234 --gid 1234 --bind "$T/suid" "$T/suid" "$T/suid/probe" uid-exec "$T/suid/passwd"
	assert_ok || return
	assert_eq "Uid: 1234 1234 1234 1234" "$(printf '%s\n' "$out" | tr -s '\t ' '  ')" "ids of a bound setuid-root copy"
}
tcase "a setuid-root copy bound in (as root) does not change the uid" case_setuid_copy_root

# ---------------------------------------------------------------- terminal

case_tiocsti_new_session() {
	need_probe || return
	"$PROBE" pty-run "$HUTCH" --ro-bind / / --new-session "$PROBE" tiocsti >"$T/pty.out" 2>&1 </dev/null
	rc=$?
	out=$(tr -d '\r' <"$T/pty.out")
	assert_eq 0 "$rc" "exit status (output: $out)" || return
	# EPERM: not the payload's terminal. A kernel built or set without
	# legacy TIOCSTI (dev.tty.legacy_tiocsti=0) says EIO to everyone.
	assert_match "$out" '^tiocsti (EPERM|EIO)$' "the payload's TIOCSTI" || return
	assert_contains "$out" "pending 0" "input waiting in the caller's terminal"
}
tcase "--new-session: TIOCSTI into the caller's terminal fails (EPERM), nothing injected" case_tiocsti_new_session

case_tiocsti_control() {
	need_probe || return
	if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null)" = 0 ]; then
		skip "dev.tty.legacy_tiocsti=0: TIOCSTI is refused to everyone here"
		return
	fi
	# The control: without --new-session the terminal is the caller's
	# (bwrap's documented behaviour), and the probe sees it.
	"$PROBE" pty-run "$HUTCH" --ro-bind / / "$PROBE" tiocsti >"$T/pty.out" 2>&1 </dev/null
	out=$(tr -d '\r' <"$T/pty.out")
	assert_contains "$out" "tiocsti ok" "TIOCSTI without --new-session" || return
	assert_contains "$out" "pending 1" "input waiting in the terminal"
}
tcase "control: without --new-session the probe does reach the terminal" case_tiocsti_control

# ---------------------------------------------------------------- hutch's own fds and processes


case_fds_hidden() {
	need_probe || return
	printf -- '--setenv\0FROM_ARGS\0yes\0' >"$T/args"
	printf 'data' >"$T/data"
	: >"$T/lock"
	_seccomp=$T/filter
	if [ -x "$HUTCH_TEST_HELPERS/seccomp-compile" ]; then
		"$HUTCH_TEST_HELPERS/seccomp-compile" >"$T/filter" 2>/dev/null || _seccomp=
	else
		_seccomp=
	fi
	if [ -n "$_seccomp" ] && [ -s "$_seccomp" ]; then
		_sarg="--add-seccomp-fd 9"
	else
		_sarg=
		_seccomp=/dev/null
	fi
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" --args 3 --ro-bind / / --tmpfs /mnt $_pidns --info-fd 4 --json-status-fd 5 \
			--file 6 /mnt/f --bind-data 7 /mnt/g --ro-bind-data 8 /mnt/h --bind "$T/lock" /mnt/lock --lock-file /mnt/lock \
			$_sarg sh -c 'echo $FROM_ARGS; exec "$1" fds' sh "$PROBE" \
			3<"$T/args" 4>"$T/info" 5>"$T/json" 6<"$T/data" 7<"$T/data" 8<"$T/data" 9<"$_seccomp" </dev/null
		assert_ok || return
		assert_eq yes "$(printf '%s\n' "$out" | head -n 1)" "--args reached the parser" || return
		_extra=$(printf '%s\n' "$out" | sed 1d | grep -Ev '^[012]:')
		if [ -n "$_extra" ]; then
			fail "${_pidns:-no pid ns}: fds in the payload beyond 0-2: $(echo $_extra)"
			return
		fi
	done
}
tcase "none of hutch's fds (args, info, json, data, lock, seccomp, sync socket) is in the payload" case_fds_hidden

case_monitor_not_ptraceable() {
	need_probe || return
	# Without a pid namespace the payload's parent is hutch's monitor
	# (holding the caller's full privileges): non-dumpable, so neither
	# ptrace nor /proc/PID/{exe,mem} (CVE-2019-5736's way in) work.
	hutch --ro-bind / / sh -c 'echo "exe $(readlink /proc/$PPID/exe 2>/dev/null || echo none)"; exec "$1" ptrace $PPID' sh "$PROBE"
	assert_ok || return
	assert_contains "$out" "ptrace EPERM" "PTRACE_SEIZE of the monitor" || return
	assert_match "$out" '^exe_write (EACCES|EPERM|ETXTBSY)$' "opening the monitor's /proc/PID/exe for writing" || return
	assert_match "$out" '^mem_read (EACCES|EPERM)$' "opening the monitor's /proc/PID/mem" || return
	assert_match "$out" '^exe none$' "reading the monitor's exe link"
}
tcase "hutch's monitor is not ptrace-able, its exe not writable, from inside" case_monitor_not_ptraceable

case_monitor_invisible_pidns() {
	# With a pid namespace nothing outside it is even visible.
	hutch --ro-bind / / --unshare-pid --proc /proc sh -c 'echo ppid=$PPID; for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; done'
	assert_ok || return
	assert_match "$out" '^ppid=1$' "the payload's parent" || return
	assert_no_match "$out" 'escape\.sh|run-as\.sh|meson' "processes visible inside" || return
	_n=$(printf '%s\n' "$out" | grep -c .)
	[ "$_n" -le 5 ] || fail "more processes than the sandbox's own: $out"
}
tcase "--unshare-pid --proc /proc: no host process (nor hutch's monitor) is visible" case_monitor_invisible_pidns

# ---------------------------------------------------------------- cwd

case_chdir_dotdot() {
	hutch $MINI --chdir /.. sh -c 'pwd -P; ls -A'
	assert_ok || return
	assert_eq "/
bin
lib
lib64
usr" "$out" "cwd and its listing with --chdir /.."
}
tcase "--chdir /.. is the sandbox's /" case_chdir_dotdot

case_chdir_symlink_oldroot() {
	victim cwd
	echo secret >"$V/secret"
	chmod 0644 "$V/secret"
	hutch $MINI --symlink "/oldroot$V" /link --chdir /link cat secret
	assert_rc 1 "exit status of --chdir through a link to /oldroot" || return
	assert_not_contains "$out" secret "payload output"
	hutch $MINI --symlink "../../../../../../..$V" /link --chdir /link cat secret
	assert_not_contains "$out" secret "payload output (relative link)"
}
tcase "--chdir to a symlink into /oldroot or up with .. reaches nothing of the host" case_chdir_symlink_oldroot

case_caller_cwd_outside() {
	mkdir -p "$T/outside"
	echo host-secret >"$T/outside/secret"
	chmod -R a+rX "$T/outside"
	# The caller sits in a directory the sandbox does not have: the
	# payload's cwd must be inside the new root, not a leaked host dir.
	cd "$T/outside" || return
	run_cmd "$HUTCH" $MINI --proc /proc --unshare-pid sh -c '
		echo "cwd=$(readlink /proc/self/cwd)"
		cat secret ./secret /proc/self/cwd/secret 2>/dev/null
		cd .. 2>/dev/null && ls -A | tr "\n" " "; echo
		cat /proc/1/cwd/secret /proc/1/cwd/../outside/secret 2>/dev/null
		echo end'
	cd /
	assert_ok || return
	assert_not_contains "$out" host-secret "payload output" || return
	assert_match "$out" '^cwd=/' "the payload's cwd" || return
	assert_no_match "$out" 'cwd=.*(unreachable|oldroot|newroot)' "the payload's cwd"
}
tcase "the caller's cwd outside the sandbox gives no access to host files (CVE-2024-21626 class)" case_caller_cwd_outside

# ---------------------------------------------------------------- namespaces

case_net_only_lo() {
	hutch --ro-bind / / --unshare-net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	assert_ok || return
	assert_eq lo "$out" "network interfaces with --unshare-net"
}
tcase "--unshare-net: only lo" case_net_only_lo

case_old_root_unreachable() {
	hutch $MINI --unshare-pid --proc /proc sh -c '
		ls -d /oldroot /newroot 2>/dev/null
		ls -A /proc/self/root/.. | tr "\n" " "; echo
		ls -A /proc/1/root/../.. | tr "\n" " "; echo
		cut -d" " -f4,5 /proc/self/mountinfo'
	assert_ok || return
	assert_eq "bin lib lib64 proc usr " "$(printf '%s\n' "$out" | sed -n 1p)" "/proc/self/root/.." || return
	assert_eq "bin lib lib64 proc usr " "$(printf '%s\n' "$out" | sed -n 2p)" "/proc/1/root/../.." || return
	# Every mount is one the command line asked for, and none shows the
	# host's root directory or the setup tmpfs.
	_mi=$(printf '%s\n' "$out" | sed 1,2d)
	assert_no_match "$_mi" ' /(oldroot|newroot)' "mount points" || return
	_unexpected=$(printf '%s\n' "$_mi" | awk '{ print $2 }' | grep -Ev '^(/|/usr|/usr/.*|/proc|/proc/.*)$')
	assert_eq "" "$_unexpected" "mount points other than the requested ones" || return
	_rootmounts=$(printf '%s\n' "$_mi" | awk '$2 == "/"' | grep -vc '^/ /$')
	assert_eq 0 "$_rootmounts" "mounts on / whose root is not / (a host directory)"
}
tcase "the old root and the setup tmpfs are unreachable (/oldroot, /proc/*/root/.., mountinfo)" case_old_root_unreachable

finish
