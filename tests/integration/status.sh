#!/bin/sh
# status.sh — the options that talk to the caller about the sandbox:
# --info-fd and --json-status-fd (byte-exact documents, namespace ids that
# are the sandbox's), --sync-fd, --block-fd, --userns-block-fd,
# --lock-file, --seccomp and --add-seccomp-fd (through the seccomp-compile
# helper), --level-prefix, and which of the fds named on the command line
# the payload can still see.
#
# Cases that must watch a sandbox while it runs start hutch in the
# background (bg_start/bg_wait) and synchronise through fifos, never
# through sleeps: a payload that reports "I am running" writes to a fifo
# the case reads; a payload that must wait reads a fifo the case writes.
# Every blocking step on the host side is bounded by `timeout`.
#
# Helpers (tests/helpers, built by meson) are found through
# HUTCH_TEST_HELPERS; cases that need one skip without it.
# This script's directory, found before lib.sh and `cd /` run.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
umask 022
cd /
LC_ALL=C
export LC_ALL

PROG=$(basename "$HUTCH")

# ---------------------------------------------------------------- helpers

SECCOMP_COMPILE=${HELPERS:+$HELPERS/seccomp-compile}
LOCK_PROBE=${HELPERS:+$HELPERS/lock-probe}


# bpf NAME ARGS... — compile a filter into $T/NAME.bpf.
bpf() {
	_bn=$1
	shift
	if ! "$SECCOMP_COMPILE" "$@" >"$T/$_bn.bpf" 2>"$T/$_bn.err"; then
		fail "seccomp-compile $* failed: $(cat "$T/$_bn.err")"
		return 1
	fi
	return 0
}

# bg_start ARGS... — run "$HUTCH" ARGS in the background (redirections on
# the call are inherited); $bg_pid is hutch's own pid. A watchdog kills it
# after $TIMEOUT seconds so a hang fails the case instead of the suite.
bg_start() {
	_last_cmd="(background) $(_q "$HUTCH" "$@")"
	# fds 7, 8 and 9 are the cases' own ends of their fifos: neither
	# hutch nor the watchdog may hold them (a writer they kept would hide
	# the EOF a case waits for).
	(
		exec 7>&- 8>&- 9<&-
		exec "$HUTCH" "$@"
	) </dev/null >"$T/bg.out" 2>"$T/bg.err" &
	bg_pid=$!
	(
		exec 4>&- 5>&- 6>&- 7>&- 8>&- 9<&-
		# bg_wait stops the watchdog with SIGTERM; it takes its sleep
		# along rather than leave it behind.
		trap 'kill "$_sleep" 2>/dev/null; exit 0' TERM
		sleep "$TIMEOUT" &
		_sleep=$!
		wait "$_sleep" && kill -9 "$bg_pid"
	) </dev/null >/dev/null 2>&1 &
	bg_dog=$!
}

# bg_wait — wait for the background hutch; sets $rc, $out, $err.
bg_wait() {
	wait "$bg_pid"
	rc=$?
	kill "$bg_dog" 2>/dev/null
	wait "$bg_dog" 2>/dev/null
	out=$(cat "$T/bg.out")
	err=$(cat "$T/bg.err")
	if [ "$rc" -eq 137 ]; then
		diag "note: rc=137, the background hutch may have been killed by the ${TIMEOUT}s watchdog"
	fi
}

# wait_doc FILE — wait until FILE holds a complete --info-fd document
# (a line "}"), or the background hutch has exited. Waiting for a
# condition, not timing anything: the bound is only there to never hang.
wait_doc() {
	_i=0
	while [ "$_i" -lt $((TIMEOUT * 10)) ]; do
		grep -q '^}$' "$1" 2>/dev/null && return 0
		kill -0 "$bg_pid" 2>/dev/null || {
			grep -q '^}$' "$1" 2>/dev/null
			return
		}
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# info_parse FILE — check FILE is exactly bwrap's --info-fd layout
#   {\n    "child-pid": N,\n    "<ns>-namespace": N\n}\n
# and print "key value" per member, in order. Returns 1 (and says why)
# when the bytes differ from that layout in any way.
info_parse() {
	if [ ! -s "$1" ]; then
		diag "info document is empty"
		return 1
	fi
	_tail=$(tail -c 2 "$1" | od -An -c | tr -d ' ')
	if [ "$_tail" != '}\n' ]; then
		diag "info document does not end with \"}\\n\" (last bytes: $_tail)"
		return 1
	fi
	awk '
	NR == 1 { if ($0 != "{") { print "line 1 is not \"{\"" > "/dev/stderr"; bad = 1 } ; next }
	$0 == "}" { if (closed) bad = 1; closed = NR; next }
	{
		if (closed) { print "text after \"}\"" > "/dev/stderr"; bad = 1 }
		if ($0 !~ /^    "[a-z]+(-[a-z]+)*": [0-9]+,?$/) {
			print "malformed member line: " $0 > "/dev/stderr"; bad = 1; next
		}
		n++
		comma[n] = ($0 ~ /,$/)
		line = $0
		sub(/^    "/, "", line); sub(/,$/, "", line)
		key[n] = line; sub(/".*/, "", key[n])
		val[n] = line; sub(/.*: /, "", val[n])
	}
	END {
		if (!closed) { print "no closing \"}\"" > "/dev/stderr"; bad = 1 }
		for (i = 1; i <= n; i++)
			if (comma[i] != (i < n)) { print "comma wrong on member " i > "/dev/stderr"; bad = 1 }
		if (n < 1 || key[1] != "child-pid") { print "first member is not child-pid" > "/dev/stderr"; bad = 1 }
		if (bad) exit 1
		for (i = 1; i <= n; i++) print key[i], val[i]
	}' "$1" 2>"$T/.awk-err"
	_r=$?
	[ -s "$T/.awk-err" ] && diag "$(cat "$T/.awk-err")"
	return $_r
}

JSON_START_RE='^\{ "child-pid": [0-9]+(, "[a-z]+-namespace": [0-9]+)* \}$'

# json_members LINE — "key value" per member of a --json-status-fd line.
json_members() {
	printf '%s\n' "$1" | sed 's/^{ //; s/ }$//' | tr ',' '\n' |
		sed 's/^ *"\([a-z-]*\)": \([0-9]*\)$/\1 \2/'
}

# member KEY — the value of KEY in "key value" lines on stdin.
member() {
	awk -v k="$1" '$1 == k { print $2 }'
}

# python_keys FILE — the member names of a JSON file per python3's json
# module, in order (a second, independent parser), or nothing.
python_keys() {
	command -v python3 >/dev/null 2>&1 || return 0
	python3 -c 'import json, sys
print(" ".join(json.load(open(sys.argv[1]))))' "$1" 2>&1
}

have_cgroupns() {
	[ -e /proc/self/ns/cgroup ]
}

# The namespace members hutch must list for --unshare-all, in bwrap's
# fixed order (user namespaces are never listed).
ALL_NS_KEYS="child-pid"
have_cgroupns && ALL_NS_KEYS="$ALL_NS_KEYS cgroup-namespace"
ALL_NS_KEYS="$ALL_NS_KEYS ipc-namespace mnt-namespace net-namespace pid-namespace uts-namespace"

keys_of() {
	cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//'
}

# ---------------------------------------------------------------- --info-fd

case_info_minimal() {
	run_cmd_in "$HUTCH" --ro-bind / / --info-fd 5 true 5>"$T/info" </dev/null
	assert_ok || return
	_m=$(info_parse "$T/info") || {
		fail "--info-fd document is not in bwrap's layout"
		_diag_block document "$(cat "$T/info")"
		return
	}
	assert_eq "child-pid mnt-namespace" "$(printf '%s\n' "$_m" | keys_of)" "members without namespace options" || return
	_pid=$(printf '%s\n' "$_m" | member child-pid)
	assert_true "child-pid $_pid is a positive number" [ "$_pid" -gt 0 ]
	_mnt=$(printf '%s\n' "$_m" | member mnt-namespace)
	assert_ne "$(ns_inode mnt)" "mnt:[$_mnt]" "mnt-namespace (the sandbox's, not the caller's)"
	_py=$(python_keys "$T/info")
	[ -z "$_py" ] || assert_eq "child-pid mnt-namespace" "$_py" "member names per python3 json"
}
tcase "--info-fd: exact layout, child-pid and mnt-namespace only" case_info_minimal

case_info_unshare_all() {
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-all --info-fd 5 true 5>"$T/info" </dev/null
	assert_ok || return
	_m=$(info_parse "$T/info") || {
		fail "--info-fd document is not in bwrap's layout"
		_diag_block document "$(cat "$T/info")"
		return
	}
	assert_eq "$ALL_NS_KEYS" "$(printf '%s\n' "$_m" | keys_of)" "members and their order with --unshare-all"
	_py=$(python_keys "$T/info")
	[ -z "$_py" ] || assert_eq "$ALL_NS_KEYS" "$_py" "member names per python3 json"
}
tcase "--info-fd with --unshare-all: cgroup, ipc, mnt, net, pid, uts in that order, no user" case_info_unshare_all

case_info_order_independent() {
	# The order is fixed, whatever the order of the options.
	run_cmd_in "$HUTCH" --unshare-uts --unshare-ipc --ro-bind / / --unshare-net --info-fd 5 true 5>"$T/info" </dev/null
	assert_ok || return
	_m=$(info_parse "$T/info") || {
		fail "bad layout"
		_diag_block document "$(cat "$T/info")"
		return
	}
	assert_eq "child-pid ipc-namespace mnt-namespace net-namespace uts-namespace" \
		"$(printf '%s\n' "$_m" | keys_of)" "members for --unshare-uts --unshare-ipc --unshare-net"
}
tcase "--info-fd lists exactly the unshared namespaces, in the fixed order" case_info_order_independent

case_info_ids_match_payload() {
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-all --proc /proc --dev /dev --info-fd 5 \
		sh -c 'for n in cgroup ipc mnt net pid uts; do
			[ -e /proc/self/ns/$n ] && echo "$n $(readlink /proc/self/ns/$n)"
		done' 5>"$T/info" </dev/null
	assert_ok || return
	_m=$(info_parse "$T/info") || {
		fail "bad layout"
		_diag_block document "$(cat "$T/info")"
		return
	}
	_bad=
	for _ns in cgroup ipc mnt net pid uts; do
		_id=$(printf '%s\n' "$_m" | member "$_ns-namespace")
		[ -n "$_id" ] || continue
		_seen=$(printf '%s\n' "$out" | member "$_ns")
		[ "$_seen" = "$_ns:[$_id]" ] || _bad="$_bad [$_ns: info says $_id, payload is in '$_seen']"
		[ "$(ns_inode "$_ns")" != "$_seen" ] || _bad="$_bad [$_ns: payload shares the caller's]"
	done
	assert_eq "" "$_bad" "namespace ids in --info-fd vs the payload's /proc/self/ns"
}
tcase "--info-fd namespace ids are those of the payload's /proc/self/ns/*" case_info_ids_match_payload

case_info_pid_is_live() {
	# While the sandbox waits on --block-fd, child-pid must name a live
	# process: hutch's child (PPid), pid 1 of the new pid namespace
	# (NSpid), whose /proc/PID/ns links are the ids in the document.
	mkfifo "$T/block"
	exec 8<>"$T/block"
	: >"$T/info"
	bg_start --ro-bind / / --unshare-pid --unshare-net --unshare-ipc --proc /proc \
		--info-fd 5 --block-fd 6 echo payload-ran 5>"$T/info" 6<"$T/block"
	if ! wait_doc "$T/info"; then
		fail "no complete --info-fd document while the sandbox is blocked"
		exec 8>&-
		bg_wait
		_show_run
		return
	fi
	_m=$(info_parse "$T/info")
	_pid=$(printf '%s\n' "$_m" | member child-pid)
	_status=$(cat "/proc/$_pid/status" 2>/dev/null)
	if [ -z "$_status" ]; then
		fail "child-pid $_pid is not a live process while the sandbox is blocked"
	else
		assert_eq "$bg_pid" "$(printf '%s\n' "$_status" | awk '$1 == "PPid:" { print $2 }')" \
			"parent of child-pid (hutch's pid)"
		assert_eq "$_pid 1" "$(printf '%s\n' "$_status" | awk '$1 == "NSpid:" { print $2, $NF }')" \
			"NSpid of child-pid (pid 1 in the new pid namespace)"
		_bad='' _unreadable=''
		for _ns in ipc mnt net pid; do
			_id=$(printf '%s\n' "$_m" | member "$_ns-namespace")
			if ! _link=$(readlink "/proc/$_pid/ns/$_ns" 2>/dev/null); then
				_unreadable="$_unreadable $_ns"
				continue
			fi
			[ "$_link" = "$_ns:[$_id]" ] || _bad="$_bad [$_ns: /proc/$_pid/ns says $_link, info $_id]"
		done
		[ -z "$_unreadable" ] || diag "/proc/$_pid/ns/{$_unreadable } not readable here (the sandbox process is not dumpable); ids checked through the payload in another case"
		assert_eq "" "$_bad" "/proc/child-pid/ns ids vs --info-fd"
	fi
	printf x >&8
	exec 8>&-
	bg_wait
	assert_ok || return
	assert_eq payload-ran "$out" "payload output"
}
tcase "--info-fd child-pid is the live sandbox pid 1 (PPid, NSpid, /proc/PID/ns)" case_info_pid_is_live

case_info_eof_while_blocked() {
	# A client may read --info-fd to EOF before it writes to --block-fd
	# (bwrap closes the fd in the child, not only in the monitor).
	mkfifo "$T/block" "$T/infofifo"
	exec 8<>"$T/block"
	exec 7<>"$T/infofifo"
	exec 9<"$T/infofifo"
	bg_start --ro-bind / / --info-fd 5 --block-fd 6 echo payload-ran 5>"$T/infofifo" 6<"$T/block"
	exec 7>&-
	timeout 10 cat <&9 >"$T/info"
	_crc=$?
	exec 9<&-
	printf x >&8
	exec 8>&-
	bg_wait
	if [ "$_crc" -ne 0 ]; then
		fail "no EOF on --info-fd within 10s while the sandbox waits on --block-fd (cat exited $_crc): the fd is still open somewhere"
		_diag_block "read so far" "$(cat "$T/info")"
		return
	fi
	info_parse "$T/info" >/dev/null || fail "bad layout"
	assert_ok || return
	assert_eq payload-ran "$out" "payload output"
}
tcase "--info-fd reaches EOF before --block-fd is released" case_info_eof_while_blocked

# ---------------------------------------------------------------- --json-status-fd

# json_check CODE — $T/json must hold the start line, then (CODE given)
# exactly { "exit-code": CODE }, or (CODE empty) nothing more.
json_check() {
	_l1=$(sed -n 1p "$T/json")
	_n=$(wc -l <"$T/json")
	if ! printf '%s\n' "$_l1" | grep -Eq "$JSON_START_RE"; then
		fail "first --json-status-fd line is not a one-line start object"
		_diag_block document "$(cat "$T/json")"
		return 1
	fi
	if [ -n "$1" ]; then
		assert_eq 2 "$_n" "number of lines" || { _diag_block document "$(cat "$T/json")"; return 1; }
		assert_eq "{ \"exit-code\": $1 }" "$(sed -n 2p "$T/json")" "second line"
	else
		assert_eq 1 "$_n" "number of lines (no exit-code line)" || _diag_block document "$(cat "$T/json")"
	fi
}

case_json_exit_codes() {
	for _pidns in "" --unshare-pid; do
		for _cmd in "exit 0:0" "exit 3:3" 'kill -9 $$:137'; do
			# shellcheck disable=SC2086
			run_cmd_in "$HUTCH" --ro-bind / / $_pidns --json-status-fd 6 sh -c "${_cmd%:*}" 6>"$T/json" </dev/null
			assert_rc "${_cmd##*:}" "exit status (${_cmd%:*}, ${_pidns:-no pid ns})" || return
			json_check "${_cmd##*:}" || {
				diag "(${_cmd%:*}, ${_pidns:-no pid ns})"
				return
			}
		done
	done
}
tcase "--json-status-fd: start line, then exit-code 0, 3, 137 (with and without --unshare-pid)" case_json_exit_codes

case_json_members() {
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-all --info-fd 5 --json-status-fd 6 true 5>"$T/info" 6>"$T/json" </dev/null
	assert_ok || return
	json_check 0 || return
	_j=$(json_members "$(sed -n 1p "$T/json")")
	_i=$(info_parse "$T/info") || {
		fail "bad --info-fd layout"
		return
	}
	assert_eq "$_i" "$_j" "members of the --json-status-fd start line vs --info-fd"
	assert_eq "$ALL_NS_KEYS" "$(printf '%s\n' "$_j" | keys_of)" "members with --unshare-all"
}
tcase "--json-status-fd start line carries the same members as --info-fd" case_json_members

case_json_exec_fails() {
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" --ro-bind / / $_pidns --json-status-fd 6 /nonexistent/command 6>"$T/json" </dev/null
		assert_rc 1 "exit status (${_pidns:-no pid ns})" || return
		assert_contains "$err" "execvp /nonexistent/command: No such file or directory" "stderr" || return
		json_check "" || {
			diag "(${_pidns:-no pid ns})"
			return
		}
	done
}
tcase "--json-status-fd: no exit-code line when exec fails" case_json_exec_fails

case_json_setup_fails() {
	run_cmd_in "$HUTCH" --ro-bind / / --chdir /nonexistent-dir --json-status-fd 6 true 6>"$T/json" </dev/null
	assert_rc 1 || return
	assert_contains "$err" "Can't chdir to /nonexistent-dir" "stderr" || return
	assert_no_match "$(cat "$T/json")" 'exit-code' "--json-status-fd output"
	# What was written, if anything, is the start line alone.
	if [ -s "$T/json" ]; then json_check ""; fi
}
tcase "--json-status-fd: no exit-code line when setup fails" case_json_setup_fails

# ---------------------------------------------------------------- --sync-fd

# sync_open — a fifo $T/sync whose only reader is fd 9 of this shell; the
# sandbox gets the write end. fd 7 is a temporary writer so that neither
# open blocks; sync_opened drops it once hutch holds its own.
sync_open() {
	mkfifo "$T/sync"
	exec 7<>"$T/sync"
	exec 9<"$T/sync"
}
sync_opened() {
	exec 7>&-
}
# sync_state — "held" when a writer still exists, "eof" when none does
# (a non-blocking read tells these apart without waiting). dd opens the
# fifo afresh through /dev/fd/9: O_NONBLOCK set on fd 9 itself would stay
# on the shared file description and make the later blocking read of fd 9
# fail with EAGAIN.
sync_state() {
	_ddrc=0
	dd iflag=nonblock if=/dev/fd/9 bs=1 count=1 >/dev/null 2>"$T/dd.err" || _ddrc=$?
	if [ "$_ddrc" -ne 0 ] && grep -q 'Resource temporarily unavailable' "$T/dd.err"; then
		echo held
	elif grep -q '^0+0 records in' "$T/dd.err"; then
		echo eof
	else
		echo "unexpected: $(cat "$T/dd.err")"
	fi
}

case_sync_fd_lifetime() {
	need_cmd dd || return
	mkfifo "$T/go" "$T/started"
	sync_open
	# The payload leaves a background process behind, which tells us it
	# started and then waits for "go"; the payload itself exits at once.
	bg_start --ro-bind / / --dev /dev --unshare-pid --sync-fd 5 \
		sh -c '(echo started >"$1"; read x <"$2") & exit 0' sh "$T/started" "$T/go" 5>"$T/sync"
	sync_opened
	_started=$(timeout 20 cat "$T/started")
	bg_wait
	assert_ok || { exec 9<&-; return; }
	assert_eq started "$_started" "the background process ran" || { exec 9<&-; return; }
	# hutch has exited; a process of the sandbox still runs.
	assert_eq held "$(sync_state)" "--sync-fd while a sandbox process still runs (after hutch exited)"
	timeout 10 sh -c 'echo go >"$1"' sh "$T/go"
	timeout 20 cat <&9 >/dev/null
	_crc=$?
	exec 9<&-
	assert_eq 0 "$_crc" "reading --sync-fd to EOF once the last sandbox process ended (124: no EOF)"
}
tcase "--sync-fd is held until the last sandbox process ends, then EOF" case_sync_fd_lifetime

case_sync_fd_no_pidns() {
	need_cmd dd || return
	mkfifo "$T/go" "$T/started"
	sync_open
	bg_start --ro-bind / / --sync-fd 5 sh -c 'echo started >"$1"; read x <"$2"' sh "$T/started" "$T/go" 5>"$T/sync"
	sync_opened
	_started=$(timeout 20 cat "$T/started")
	assert_eq started "$_started" "the payload ran"
	assert_eq held "$(sync_state)" "--sync-fd while the payload runs"
	timeout 10 sh -c 'echo go >"$1"' sh "$T/go"
	bg_wait
	timeout 20 cat <&9 >/dev/null
	_crc=$?
	exec 9<&-
	assert_ok || return
	assert_eq 0 "$_crc" "EOF on --sync-fd after the sandbox ended (124: no EOF)"
}
tcase "--sync-fd without a pid namespace: held while running, EOF after" case_sync_fd_no_pidns

# ---------------------------------------------------------------- --block-fd

case_block_fd() {
	mkdir "$T/m"
	echo before >"$T/m/stamp"
	mkfifo "$T/block"
	exec 8<>"$T/block"
	# --dir runs during setup, before the wait: once it shows on the host
	# the sandbox is at (or about to reach) --block-fd.
	bg_start --ro-bind / / --bind "$T/m" "$T/m" --dir "$T/m/setup-done" --block-fd 6 \
		sh -c 'cat "$1/stamp" >"$1/ran"' sh "$T/m" 6<"$T/block"
	_i=0
	while [ ! -d "$T/m/setup-done" ] && [ "$_i" -lt $((TIMEOUT * 10)) ] && kill -0 "$bg_pid" 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	assert_true "setup ran (--dir made $T/m/setup-done)" [ -d "$T/m/setup-done" ]
	assert_true "the payload has not run before a byte is written to --block-fd" [ ! -e "$T/m/ran" ]
	assert_true "hutch is still waiting" kill -0 "$bg_pid"
	echo after >"$T/m/stamp"
	printf x >&8
	exec 8>&-
	bg_wait
	assert_ok || return
	assert_eq after "$(cat "$T/m/ran" 2>/dev/null)" "what the payload read (it must run after the byte)"
}
tcase "--block-fd: the payload runs only after a byte arrives" case_block_fd

case_block_fd_eof() {
	# EOF releases the wait too (bwrap reads one byte or EOF).
	run_cmd_in "$HUTCH" --ro-bind / / --block-fd 6 echo released 6</dev/null </dev/null
	assert_ok || return
	assert_eq released "$out" "payload output"
}
tcase "--block-fd: EOF releases the sandbox" case_block_fd_eof

# ---------------------------------------------------------------- --userns-block-fd

# ub_start — a sandbox with --unshare-user --userns-block-fd, stopped
# before its id maps; $_pid is the child pid from --info-fd.
ub_start() {
	mkfifo "$T/block"
	exec 8<>"$T/block"
	: >"$T/info"
	bg_start --unshare-user --ro-bind / / --info-fd 5 --userns-block-fd 6 \
		sh -c 'id -u; cat /proc/self/uid_map' 5>"$T/info" 6<"$T/block"
	_pid=
	if wait_doc "$T/info"; then
		_pid=$(info_parse "$T/info" | member child-pid)
	fi
	if [ -z "$_pid" ]; then
		fail "no child-pid on --info-fd before the maps"
		_diag_block info "$(cat "$T/info")"
		return 1
	fi
	return 0
}
ub_release() {
	printf x >&8
	exec 8>&-
	bg_wait
}

case_userns_block_external_maps() {
	ub_start || {
		ub_release
		return
	}
	_map=$(cat "/proc/$_pid/uid_map" 2>&1)
	assert_eq "" "$_map" "/proc/child-pid/uid_map while hutch waits on --userns-block-fd"
	# The caller writes the maps, as a newuidmap-style helper would.
	{
		printf '%s %s 1\n' "$HOST_UID" "$HOST_UID" >"/proc/$_pid/uid_map" &&
			{ echo deny >"/proc/$_pid/setgroups"; true; } &&
			printf '%s %s 1\n' "$HOST_GID" "$HOST_GID" >"/proc/$_pid/gid_map"
	} 2>"$T/map.err" || fail "writing the maps from outside failed: $(cat "$T/map.err")"
	ub_release
	assert_ok || return
	assert_eq "$HOST_UID" "$(printf '%s\n' "$out" | sed -n 1p)" "uid in the sandbox"
	assert_eq "$HOST_UID $HOST_UID 1" "$(printf '%s\n' "$out" | sed -n 2p | tr -s ' \t' '  ' | sed 's/^ //')" \
		"the sandbox's uid_map (the one written from outside)"
}
tcase "--userns-block-fd: pid published, maps empty until released; outside maps used" case_userns_block_external_maps

case_userns_block_hutch_maps() {
	if [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "hutch writes the maps itself when nobody did (bwrap fails instead)"
		return
	fi
	ub_start || {
		ub_release
		return
	}
	assert_eq "" "$(cat "/proc/$_pid/uid_map" 2>&1)" "uid_map while blocked"
	ub_release
	assert_ok || return
	assert_eq "$HOST_UID" "$(printf '%s\n' "$out" | sed -n 1p)" "uid in the sandbox"
}
tcase "--userns-block-fd released with no outside maps: hutch maps the ids itself" case_userns_block_hutch_maps

case_userns_block_requires() {
	hutch --ro-bind / / --info-fd 5 --userns-block-fd 6 true 5>/dev/null 6</dev/null
	assert_error_run "--userns-block-fd requires --unshare-user" || return
	hutch --unshare-user --ro-bind / / --userns-block-fd 6 true 6</dev/null
	assert_error_run "--userns-block-fd requires --info-fd"
}
tcase_noprobe "--userns-block-fd needs --unshare-user and --info-fd" case_userns_block_requires

# ---------------------------------------------------------------- --lock-file

case_lock_file() {
	need_helper "$LOCK_PROBE" || return
	: >"$T/lock1"
	: >"$T/lock2"
	mkfifo "$T/go" "$T/started"
	assert_eq unlocked "$("$LOCK_PROBE" "$T/lock1")" "lock1 before" || return
	bg_start --ro-bind / / --unshare-pid --lock-file "$T/lock1" --lock-file "$T/lock2" \
		sh -c 'echo started >"$1"; read x <"$2"' sh "$T/started" "$T/go"
	_started=$(timeout 20 cat "$T/started")
	assert_eq started "$_started" "the payload ran"
	assert_eq read-locked "$("$LOCK_PROBE" "$T/lock1" 2>&1)" "first --lock-file while the sandbox runs"
	assert_eq read-locked "$("$LOCK_PROBE" "$T/lock2" 2>&1)" "second --lock-file while the sandbox runs"
	timeout 10 sh -c 'echo go >"$1"' sh "$T/go"
	bg_wait
	assert_ok || return
	# The lock goes with the sandbox's pid 1; wait for that to happen.
	_i=0
	while [ "$("$LOCK_PROBE" "$T/lock2")" != unlocked ] && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	assert_eq unlocked "$("$LOCK_PROBE" "$T/lock2" 2>&1)" "--lock-file after the sandbox ended"
}
tcase "--lock-file (twice): both files read-locked (fcntl) while the sandbox runs" case_lock_file

case_lock_file_missing() {
	hutch --ro-bind / / --lock-file /nonexistent/lock true
	assert_error_run "Unable to open lock file /nonexistent/lock: No such file or directory"
}
tcase "--lock-file on a missing file: 'Unable to open lock file', exit 1" case_lock_file_missing

# ---------------------------------------------------------------- seccomp

case_seccomp_errno() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf uname --errno uname:EPERM || return
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 sh -c 'uname; echo "uname-rc=$?"; echo still-runs' 5<"$T/uname.bpf" </dev/null
	assert_ok || return
	assert_contains "$err" "Operation not permitted" "payload's stderr (uname)" || return
	assert_contains "$out" "uname-rc=1" "payload's stdout"
	assert_contains "$out" "still-runs" "payload's stdout"
}
tcase "--seccomp FD: a filter returning EPERM for uname applies to the payload" case_seccomp_errno

case_seccomp_pid1() {
	# pid 1 is dumpable (flatpak enter needs it), so the payload could
	# ptrace it: the filters must bind pid 1 too.
	need_helper "$SECCOMP_COMPILE" || return
	bpf uname1 --errno uname:EPERM || return
	# pid 1 installs them once the payload's exec has succeeded (it is
	# not dumpable until then): wait for that, a bounded number of times.
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-pid --proc /proc --seccomp 5 \
		sh -c 'i=0; while [ $i -lt 200 ] && ! grep -q "^Seccomp:[[:space:]]*2" /proc/1/status; do
			i=$((i + 1)); sleep 0.05; done
			grep "^Seccomp:" /proc/1/status /proc/self/status' 5<"$T/uname1.bpf" </dev/null
	assert_ok || return
	assert_match "$out" '^/proc/1/status:Seccomp:[[:space:]]+2$' "pid 1's seccomp mode"
	assert_match "$out" '^/proc/self/status:Seccomp:[[:space:]]+2$' "the payload's seccomp mode"
}
tcase "with --unshare-pid, the seccomp filters apply to pid 1 as well" case_seccomp_pid1

case_seccomp_not_setup() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf mkdir --errno '?mkdir:EPERM' --errno mkdirat:EPERM || return
	# The filter comes last: setup (--dir) still makes directories.
	run_cmd_in "$HUTCH" --ro-bind / / --tmpfs /tmp --dir /tmp/made-by-setup --seccomp 5 \
		sh -c 'test -d /tmp/made-by-setup && echo setup-dir-ok; mkdir /tmp/by-payload' 5<"$T/mkdir.bpf" </dev/null
	assert_rc 1 || return
	assert_eq setup-dir-ok "$out" "payload's stdout"
	assert_contains "$err" "cannot create directory" "payload's stderr" || return
	assert_contains "$err" "Operation not permitted" "payload's stderr"
}
tcase "seccomp is installed after setup: --dir works, the payload's mkdir fails" case_seccomp_not_setup

case_seccomp_kill() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf kill --kill uname || return
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 uname 5<"$T/kill.bpf" </dev/null
	assert_rc 159 "exit status (128 + SIGSYS)"
}
tcase "a filter that kills on uname: exit 159 (SIGSYS)" case_seccomp_kill

case_add_seccomp_stacked() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf u --errno uname:EPERM || return
	bpf m --errno '?mkdir:EPERM' --errno mkdirat:EPERM || return
	run_cmd_in "$HUTCH" --ro-bind / / --tmpfs /tmp --add-seccomp-fd 5 --add-seccomp-fd 6 \
		sh -c 'uname; mkdir /tmp/x; echo done' 5<"$T/u.bpf" 6<"$T/m.bpf" </dev/null
	assert_ok || return
	assert_match "$err" '^uname: .*Operation not permitted' "stderr: the first filter applies" || return
	assert_match "$err" '^mkdir: .*Operation not permitted' "stderr: the second filter applies" || return
	assert_eq "done" "$out" "payload's stdout"
}
tcase "--add-seccomp-fd twice: both filters apply" case_add_seccomp_stacked

case_add_seccomp_order() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf eperm --errno uname:EPERM || return
	bpf eacces --errno uname:EACCES || return
	# Among filters giving the same action the kernel uses the most
	# recently installed one, so the installation order shows.
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 --add-seccomp-fd 6 uname \
		5<"$T/eperm.bpf" 6<"$T/eacces.bpf" </dev/null
	assert_rc 1 || return
	assert_contains "$err" "Permission denied" "EPERM then EACCES: the last (EACCES) wins" || return
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 6 --add-seccomp-fd 5 uname \
		5<"$T/eperm.bpf" 6<"$T/eacces.bpf" </dev/null
	assert_rc 1 || return
	assert_contains "$err" "Operation not permitted" "EACCES then EPERM: the last (EPERM) wins"
}
tcase "--add-seccomp-fd filters are installed in command-line order" case_add_seccomp_order

case_seccomp_bad_size() {
	printf 1234567 >"$T/seven"
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 true 5<"$T/seven" </dev/null
	assert_error_run "Invalid seccomp data, must be multiple of 8" || return
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 true 5<"$T/seven" </dev/null
	assert_error_run "Invalid seccomp data, must be multiple of 8"
}
tcase "seccomp data of 7 bytes: 'Invalid seccomp data, must be multiple of 8', exit 1" case_seccomp_bad_size

case_seccomp_exclusive() {
	printf 12345678 >"$T/eight"
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 --add-seccomp-fd 6 true 5<"$T/eight" 6<"$T/eight" </dev/null
	assert_error_run "--add-seccomp-fd cannot be combined with --seccomp" || return
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 6 --seccomp 5 true 5<"$T/eight" 6<"$T/eight" </dev/null
	assert_error_run "--seccomp cannot be combined with --add-seccomp-fd"
}
tcase_noprobe "--seccomp with --add-seccomp-fd: an error, whichever comes first" case_seccomp_exclusive

case_seccomp_fd_used_up() {
	# Reading a program uses its fd up: naming the same fd a second
	# time is a read error, even if the first program was fine.
	printf 12345678 >"$T/eight"
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 --add-seccomp-fd 5 true 5<"$T/eight" </dev/null
	assert_error_run "Can't read seccomp data: Bad file descriptor"
}
tcase "--add-seccomp-fd naming one fd twice: 'Can't read seccomp data', exit 1" case_seccomp_fd_used_up

case_seccomp_empty_then_bad() {
	# Every program is read before an empty one is refused, so a later
	# misaligned program is what gets reported.
	: >"$T/empty"
	printf 1 >"$T/one"
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 --add-seccomp-fd 6 true 5<"$T/empty" 6<"$T/one" </dev/null
	assert_error_run "Invalid seccomp data, must be multiple of 8" || return
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 true 5<"$T/empty" </dev/null
	assert_rc 1 "an empty program alone"
}
tcase "an empty program then a 1-byte one: the 1-byte one is reported" case_seccomp_empty_then_bad

# ---------------------------------------------------------------- --level-prefix

case_level_prefix_error() {
	need_bwrap 0.11.0 "--level-prefix" || return
	hutch --level-prefix --no-such-option
	assert_rc 1 || return
	assert_eq "<3>$PROG: Unknown option --no-such-option" "$err" "stderr"
}
tcase_noprobe "--level-prefix: an error is '<3>$PROG: ...'" case_level_prefix_error

case_level_prefix_warning() {
	need_bwrap 0.11.0 "--level-prefix" || return
	hutch --level-prefix --ro-bind / / --chdir / --chdir / echo ran
	assert_ok || return
	assert_eq ran "$out" "the command still runs"
	assert_eq "<4>$PROG: Only the last --chdir option will take effect" "$err" "stderr"
}
tcase "--level-prefix: a warning is '<4>$PROG: ...'" case_level_prefix_warning

case_level_prefix_sandbox_error() {
	need_bwrap 0.11.0 "--level-prefix" || return
	hutch --level-prefix --ro-bind / / /nonexistent/command
	assert_rc 1 || return
	assert_eq "<3>$PROG: execvp /nonexistent/command: No such file or directory" "$err" "stderr"
}
tcase "--level-prefix: an error found inside the sandbox is '<3>' too" case_level_prefix_sandbox_error

case_level_prefix_position() {
	need_bwrap 0.11.0 "--level-prefix" || return
	# Words before --level-prefix are judged unprefixed.
	hutch --no-such-option --level-prefix
	assert_rc 1 || return
	assert_eq "$PROG: Unknown option --no-such-option" "$err" "stderr"
}
tcase_noprobe "--level-prefix after the bad word: no prefix" case_level_prefix_position

# ---------------------------------------------------------------- fds

# The shell's own fds, as "0 1 2 ... " (the glob's directory fd is gone
# by the time the loop runs, and is filtered out by the -e test).
FDS='for f in /proc/self/fd/*; do [ -e "$f" ] && echo "${f##*/}"; done | sort -n | tr "\n" " "'

# fds_check WANT_EXTRA — compare the payload's fd list (line 3 of $out)
# with the caller's ($_base) plus WANT_EXTRA.
fds_check() {
	_fds=$(printf '%s\n' "$out" | sed -n 3p)
	_want=$(for _f in $_base $1; do echo "$_f"; done | sort -n -u | tr '\n' ' ')
	assert_eq "$_want" "$_fds" "$2"
}

case_fds_named_are_hidden() {
	need_helper "$SECCOMP_COMPILE" || return
	bpf a --errno uname:EPERM || return
	bpf b --errno uname:EACCES || return
	printf 'user data\n' >"$T/user"
	printf -- '--setenv\0FROM_ARGS\0yes\0' >"$T/args"
	# The caller's own fds, for comparison (the test may inherit some).
	_base=$(sh -c "$FDS" </dev/null)
	_show='echo "FROM_ARGS=$FROM_ARGS"; cat <&7; '"$FDS"
	# POSIX sh redirects single-digit fds only: two runs cover them all.
	run_cmd_in "$HUTCH" --ro-bind / / \
		--info-fd 3 --json-status-fd 4 --sync-fd 5 --add-seccomp-fd 6 --add-seccomp-fd 8 --args 9 \
		sh -c "$_show" \
		3>"$T/info" 4>"$T/json" 5>/dev/null 6<"$T/a.bpf" 7<"$T/user" 8<"$T/b.bpf" 9<"$T/args" </dev/null
	assert_ok || return
	assert_eq "FROM_ARGS=yes" "$(printf '%s\n' "$out" | sed -n 1p)" "--args was read" || return
	assert_eq "user data" "$(printf '%s\n' "$out" | sed -n 2p)" "the payload reads the inherited fd 7" || return
	fds_check 7 "the payload's fds: the caller's plus 7, none of info 3, json 4, sync 5, seccomp 6 8, args 9" || return

	run_cmd_in "$HUTCH" --ro-bind / / --tmpfs /tmp \
		--args 3 --file 4 /tmp/copied --block-fd 5 --seccomp 6 --ro-bind-data 8 /tmp/data \
		sh -c "$_show" \
		3<"$T/args" 4<"$T/user" 5<"$T/user" 6<"$T/a.bpf" 7<"$T/user" 8<"$T/user" </dev/null
	assert_ok || return
	assert_eq "FROM_ARGS=yes" "$(printf '%s\n' "$out" | sed -n 1p)" "--args was read" || return
	assert_eq "user data" "$(printf '%s\n' "$out" | sed -n 2p)" "the payload reads the inherited fd 7" || return
	fds_check 7 "the payload's fds: the caller's plus 7, none of args 3, file 4, block 5, seccomp 6, ro-bind-data 8"
}
tcase "named fds (info, json, sync, seccomp, args, file, data, block) are not in the payload; an unnamed fd is" case_fds_named_are_hidden

case_fds_reaper_hides_sync() {
	_base=$(sh -c "$FDS" </dev/null)
	_want=$(for _f in $_base; do echo "$_f"; done | sort -n -u | tr '\n' ' ')
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" --ro-bind / / $_pidns --sync-fd 6 --info-fd 5 sh -c "$FDS" 5>/dev/null 6>/dev/null </dev/null
		assert_ok || return
		assert_eq "$_want" "$out" "the payload's fds (${_pidns:-no pid ns}; sync fd 6 held by pid 1 only)" || return
	done
}
tcase "--sync-fd is held by the reaper, not visible in the payload" case_fds_reaper_hides_sync

case_fds_as_pid1_keeps_sync() {
	# With --as-pid-1 there is no reaper: the payload itself holds it.
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-pid --as-pid-1 --sync-fd 6 \
		sh -c 'test -e /proc/self/fd/6 && echo has-6' 6>/dev/null </dev/null
	assert_ok || return
	assert_eq has-6 "$out" "the payload holds --sync-fd with --as-pid-1"
}
tcase "--sync-fd with --as-pid-1 stays open in the payload" case_fds_as_pid1_keeps_sync

finish
