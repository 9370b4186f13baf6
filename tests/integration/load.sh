#!/bin/sh
# load.sh — many sandboxes at once: 500 of them, started in waves of 50
# running concurrently, each exiting with its own status.
#
# Afterwards: every hutch exited with its payload's status and wrote the
# same status to its --json-status-fd; no sandbox process is left (each
# payload's command line carries a token); the host's mount table, /tmp,
# /var/tmp and /dev/shm hold nothing new.
#
# HUTCH_LOAD_TOTAL and HUTCH_LOAD_WAVE change the counts (defaults 500
# and 50). It takes about 10 s on 2 cores, so it is one of the ordinary
# integration scripts (tests/meson.build).
. "$(dirname "$0")/lib.sh"
umask 022
cd /

probe_hutch

TOTAL=${HUTCH_LOAD_TOTAL:-500}
WAVE=${HUTCH_LOAD_WAVE:-50}
TIMEOUT=120

# Host state that must come back unchanged: the mount table, and the
# names setup could leave in the places it works from (it mounts its
# setup tmpfs over /tmp, or /run, /var/tmp, /mnt, / when /tmp is missing,
# in its own namespace, and makes newroot/, oldroot/, bindfile-N and
# tmp-overlay-* there). Other test suites may run at the same time with
# their scratch directories (and mounts) under /tmp/hutch-it.* and
# /tmp/hutch-run-as.*; those are left out, as is anything of other users
# (a shared machine's /tmp changes all the time).
host_state() {
	# As root every file is "ours": fall back to the names alone.
	_mine="-user $HOST_UID -o"
	[ "$IS_ROOT" -eq 1 ] && _mine=
	awk '{ print $5 }' /proc/self/mountinfo | grep -Ev '^/tmp/(hutch-it|hutch-run-as)\.' | sort
	echo ---
	for _d in /tmp /run /var/tmp /mnt /dev/shm /; do
		# shellcheck disable=SC2086
		find "$_d" -maxdepth 1 -mindepth 1 \( $_mine -iname '*root*' -o -iname '*bindfile*' \
			-o -iname '*overlay*' -o -iname '*hutch*' \) 2>/dev/null
	done | grep -Ev '^/tmp/(hutch-it|hutch-run-as)\.' | grep -v '^/root$' | sort
}

# one I — runs sandbox I in the background; its payload exits with
# I % 250 + 1 (so 0 never hides a lost status) after a short life.
one() {
	_ns=
	[ $(($1 % 2)) -eq 0 ] && _ns="--unshare-pid --proc /proc"
	[ $(($1 % 3)) -eq 0 ] && _ns="$_ns --unshare-net --unshare-ipc --unshare-uts --hostname h$1"
	# shellcheck disable=SC2086
	"$HUTCH" --ro-bind / / --dev /dev --tmpfs /tmp $_ns --die-with-parent --json-status-fd 3 \
		sh -c ': hutch-token-$1; sleep 0.2; exit $2' sh "$TOK-$1" $(($1 % 250 + 1)) \
		3>"$T/s/$1.json" </dev/null >/dev/null 2>"$T/s/$1.err"
	echo $? >"$T/s/$1.rc"
}

case_load() {
	TOK=load$$x$(date +%s)
	mkdir -p "$T/s"
	_before=$(host_state)
	_i=0
	while [ $_i -lt "$TOTAL" ]; do
		_w=0
		_pids=
		while [ $_w -lt "$WAVE" ] && [ $_i -lt "$TOTAL" ]; do
			one $_i &
			_pids="$_pids $!"
			_i=$((_i + 1))
			_w=$((_w + 1))
		done
		# shellcheck disable=SC2086
		wait $_pids
	done

	_bad=
	_i=0
	while [ $_i -lt "$TOTAL" ]; do
		_want=$(($_i % 250 + 1))
		_rc=$(cat "$T/s/$_i.rc" 2>/dev/null)
		if [ "$_rc" != "$_want" ]; then
			_bad="$_bad
sandbox $_i: exit status '$_rc', want $_want; stderr: $(head -c 200 "$T/s/$_i.err")"
		elif ! grep -Eq "\"exit-code\" *: *$_want[^0-9]" "$T/s/$_i.json"; then
			_bad="$_bad
sandbox $_i: --json-status-fd says: $(tr '\n' ' ' <"$T/s/$_i.json" | head -c 200)"
		fi
		_i=$((_i + 1))
	done
	# No sandbox process may outlive its hutch (grace for the reaping).
	_left=
	_k=0
	while [ $_k -lt 50 ]; do
		_left=$(grep -l -- "hutch-token-[l]oad$$" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 | tr '\n' ' ')
		[ -z "$_left" ] && break
		sleep 0.1
		_k=$((_k + 1))
	done
	_after=$(host_state)
	if [ -n "$_bad" ]; then
		fail "$(printf '%s\n' "$_bad" | grep -c .) of $TOTAL sandboxes reported a wrong status"
		diag "$(printf '%s\n' "$_bad" | head -n 20)"
	fi
	assert_eq "" "$_left" "sandbox processes left behind"
	_diff=$(printf '%s\n%s\n' "$_before" "$_after" | sort | uniq -u)
	assert_eq "" "$_diff" "host mount points and temporary files that differ before and after"
	diag "$TOTAL sandboxes in waves of $WAVE"
}
tcase "500 sandboxes in concurrent waves of 50: right statuses, nothing left behind" case_load

finish
