#!/bin/sh
# userns.sh — --userns, --userns2, --pidns, --disable-userns and
# --assert-userns-disabled: joining namespaces other processes hold, and
# closing user namespaces off inside the sandbox.
. "$(dirname "$0")/lib.sh"

R="--ro-bind / /"
HOLDERS=

# holder VAR ARGS... — start `unshare ARGS... sleep` in the background and
# put its pid in VAR once its namespaces exist.
start_holder() {
	_var=$1
	shift
	unshare "$@" sh -c 'echo ready; exec sleep 600' >"$T/holder.$_var" 2>&1 &
	_pid=$!
	HOLDERS="$HOLDERS $_pid"
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q ready "$T/holder.$_var" 2>/dev/null && break
		sleep 0.1
	done
	# The sleeping process (unshare may have forked for --fork).
	_leaf=$(pgrep -n -P "$_pid" 2>/dev/null || echo "$_pid")
	eval "$_var=\$_leaf"
}

stop_holders() {
	for _p in $HOLDERS; do
		pkill -P "$_p" 2>/dev/null
		kill "$_p" 2>/dev/null
	done
}
trap 'stop_holders; _cleanup_scratch' EXIT

need_unshare() {
	need_cmd unshare pgrep || return 1
	if ! unshare -Ur true 2>/dev/null; then
		skip "unshare -Ur does not work here"
		return 1
	fi
	return 0
}

case_disable_userns() {
	hutch $R --unshare-user --disable-userns sh -c 'unshare -U true 2>/dev/null && echo created || echo refused'
	assert_ok || return
	assert_eq "refused" "$out" "a user namespace created inside"
}
tcase "--disable-userns: the payload cannot create user namespaces" case_disable_userns

case_disable_userns_ids() {
	hutch $R --unshare-user --disable-userns --uid 1234 --gid 4321 sh -c 'id -u; id -g'
	assert_ok || return
	assert_eq "1234
4321" "$out" "ids inside"
}
tcase "--disable-userns keeps the sandbox ids" case_disable_userns_ids

case_disable_userns_and_assert() {
	hutch $R --unshare-user --disable-userns --assert-userns-disabled echo ran
	assert_ok || return
	assert_eq "ran" "$out" "payload output"
}
tcase "--assert-userns-disabled passes after --disable-userns" case_disable_userns_and_assert

case_assert_fails() {
	need_bwrap 0.8.0 "--assert-userns-disabled" || return
	hutch $R --assert-userns-disabled echo ran
	assert_error_run "creation of new user namespaces was not disabled as requested"
	assert_eq "" "$out" "payload output"
}
tcase "--assert-userns-disabled alone fails where user namespaces work" case_assert_fails

case_disable_needs_unshare_user() {
	hutch $R --disable-userns true
	assert_error_run "--disable-userns requires --unshare-user"
}
tcase "--disable-userns requires an explicit --unshare-user" case_disable_needs_unshare_user

case_userns_join() {
	need_unshare || return
	start_holder HU -Ur
	run_cmd_in "$HUTCH" $R --userns 3 sh -c 'readlink /proc/self/ns/user; id -u' 3<"/proc/$HU/ns/user" </dev/null
	assert_ok || return
	assert_eq "$(readlink "/proc/$HU/ns/user")
0" "$out" "user namespace and uid inside"
}
tcase "--userns joins the user namespace another process holds" case_userns_join

case_userns_not_with_unshare_user() {
	hutch $R --userns 0 --unshare-user true
	assert_error_run "--userns not compatible --unshare-user"
}
tcase "--userns with --unshare-user is refused" case_userns_not_with_unshare_user

case_userns_bad_fd() {
	run_cmd_in "$HUTCH" $R --userns 3 true 3</dev/null </dev/null
	assert_error_run "Joining the specified user namespace failed, it might not be a descendant of the current user namespace."
}
tcase "--userns with an fd that is no user namespace" case_userns_bad_fd

case_pidns_join() {
	need_unshare || return
	start_holder HP -Urpf --mount-proc
	run_cmd_in "$HUTCH" $R --userns 3 --pidns 4 sh -c 'readlink /proc/self/ns/pid' \
		3<"/proc/$HP/ns/user" 4<"/proc/$HP/ns/pid" </dev/null
	assert_ok || return
	assert_eq "$(readlink "/proc/$HP/ns/pid")" "$out" "PID namespace of the payload"
}
tcase "--pidns runs the sandbox in the PID namespace another process holds" case_pidns_join

case_pidns_with_unshare_pid() {
	need_unshare || return
	start_holder HQ -Urpf --mount-proc
	run_cmd_in "$HUTCH" $R --userns 3 --pidns 4 --unshare-pid --info-fd 5 sh -c 'echo $$; exit 3' \
		3<"/proc/$HQ/ns/user" 4<"/proc/$HQ/ns/pid" 5>"$T/info" </dev/null
	assert_rc 3 || return
	assert_eq "2" "$out" "payload pid in its new PID namespace"
	_cp=$(sed -n 's/.*"child-pid": \([0-9]*\).*/\1/p' "$T/info")
	_ns=$(sed -n 's/.*"pid-namespace": \([0-9]*\).*/\1/p' "$T/info")
	assert_ne "" "$_cp" "child-pid in --info-fd"
	assert_ne "$(readlink "/proc/$HQ/ns/pid" | tr -dc 0-9)" "$_ns" "the new PID namespace (a child of the joined one)"
}
tcase "--pidns with --unshare-pid: a new PID namespace below the joined one" case_pidns_with_unshare_pid

case_userns2() {
	need_unshare || return
	# An outer namespace (sh) holding an inner one (sleep).
	unshare -Ur sh -c 'unshare -U --map-user=0 --map-group=0 sleep 600 & echo $! >"$1/inner"; wait' sh "$T" &
	_outer=$!
	HOLDERS="$HOLDERS $_outer"
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -s "$T/inner" ] && break
		sleep 0.1
	done
	# The pid the outer shell wrote ($! there: same PID namespace as ours).
	_inner=$(cat "$T/inner")
	_outer_sh=$(ps -o ppid= -p "$_inner" | tr -d ' ')
	run_cmd_in "$HUTCH" $R --userns 3 --userns2 4 readlink /proc/self/ns/user \
		3<"/proc/$_outer_sh/ns/user" 4<"/proc/$_inner/ns/user" </dev/null
	assert_ok || return
	assert_eq "$(readlink "/proc/$_inner/ns/user")" "$out" "user namespace of the payload"
}
tcase "--userns2 switches to a nested user namespace after setup" case_userns2

finish
