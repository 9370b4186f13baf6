#!/bin/sh
# ns.sh — namespaces as the payload sees them: which of user, ipc, pid,
# net, uts, cgroup and mnt differ from the caller's for each --unshare-*
# option (and -try, --unshare-all, --share-net); ids and id maps
# (--uid/--gid, setgroups), --hostname, loopback with --unshare-net, and
# pid 1 / pid 2 with --unshare-pid and --as-pid-1.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

NS_LIST="cgroup ipc mnt net pid user uts"

# The namespaces that always differ: mnt, and user for a non-root caller
# (a user namespace is implied).
if [ "$IS_ROOT" -eq 1 ]; then BASE_NS="mnt"; else BASE_NS="mnt user"; fi

# sorted_words WORDS... — the words, sorted and deduplicated, on one line.
sorted_words() {
	printf '%s\n' "$@" | tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# ns_diff ARGS... — run the payload under ARGS and set $differ to the
# namespaces whose inode differs from this shell's.
ns_diff() {
	hutch --ro-bind / / "$@" sh -c 'for n in '"$NS_LIST"'; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	differ=
	if [ "$rc" != 0 ]; then
		return 1
	fi
	for _n in $NS_LIST; do
		_in=$(printf '%s\n' "$out" | awk -v n="$_n" '$1 == n { print $2 }')
		_host=$(ns_inode "$_n")
		if [ -z "$_host" ]; then
			continue
		fi
		if [ -z "$_in" ]; then
			differ="$differ ?$_n"
		elif [ "$_in" != "$_host" ]; then
			differ="$differ $_n"
		fi
	done
	differ=$(sorted_words $differ)
	return 0
}

# expect_ns "EXTRA NAMESPACES" ARGS... — exactly BASE_NS + EXTRA differ.
expect_ns() {
	_want=$(sorted_words $BASE_NS $1)
	shift
	ns_diff "$@"
	assert_ok || return
	assert_eq "$_want" "$differ" "namespaces that differ from the caller's"
}

have_cgroup_ns() {
	if [ -z "$(ns_inode cgroup)" ]; then
		skip "the kernel has no cgroup namespaces"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- namespaces

case_ns_default() {
	expect_ns ""
}
tcase "no --unshare-*: only mnt (and user when not root) differ" case_ns_default

case_ns_user() {
	expect_ns "user" --unshare-user
}
tcase "--unshare-user: a new user namespace" case_ns_user

case_ns_user_try() {
	expect_ns "user" --unshare-user-try
}
tcase "--unshare-user-try: a new user namespace where they are available" case_ns_user_try

case_ns_ipc() {
	expect_ns "ipc" --unshare-ipc
}
tcase "--unshare-ipc: a new ipc namespace only" case_ns_ipc

case_ns_pid() {
	expect_ns "pid" --unshare-pid
}
tcase "--unshare-pid: a new pid namespace only" case_ns_pid

case_ns_net() {
	expect_ns "net" --unshare-net
}
tcase "--unshare-net: a new network namespace only" case_ns_net

case_ns_uts() {
	expect_ns "uts" --unshare-uts
}
tcase "--unshare-uts: a new uts namespace only" case_ns_uts

case_ns_cgroup() {
	have_cgroup_ns || return
	expect_ns "cgroup" --unshare-cgroup
}
tcase "--unshare-cgroup: a new cgroup namespace only" case_ns_cgroup

case_ns_cgroup_try() {
	have_cgroup_ns || return
	expect_ns "cgroup" --unshare-cgroup-try
}
tcase "--unshare-cgroup-try: a new cgroup namespace where supported" case_ns_cgroup_try

case_ns_all() {
	_cg=
	[ -n "$(ns_inode cgroup)" ] && _cg=cgroup
	expect_ns "user ipc pid net uts $_cg" --unshare-all
}
tcase "--unshare-all: user, ipc, pid, net, uts, cgroup all new" case_ns_all

case_ns_all_share_net() {
	_cg=
	[ -n "$(ns_inode cgroup)" ] && _cg=cgroup
	expect_ns "user ipc pid uts $_cg" --unshare-all --share-net
}
tcase "--unshare-all --share-net: everything but net" case_ns_all_share_net

case_ns_share_net_order() {
	_cg=
	[ -n "$(ns_inode cgroup)" ] && _cg=cgroup
	expect_ns "user ipc pid net uts $_cg" --share-net --unshare-all
}
tcase "--share-net before --unshare-all has no effect (order matters)" case_ns_share_net_order

case_ns_combo() {
	expect_ns "ipc uts" --unshare-ipc --unshare-uts
}
tcase "--unshare-ipc --unshare-uts together" case_ns_combo

# ---------------------------------------------------------------- ids

# norm_map TEXT — id map lines with the kernel's padding collapsed.
norm_map() {
	printf '%s\n' "$1" | awk 'NF { print $1, $2, $3 }'
}

case_ids_default() {
	hutch --ro-bind / / sh -c 'id -u; id -g'
	assert_ok || return
	assert_eq "$HOST_UID
$HOST_GID" "$out" "uid and gid in the sandbox"
}
tcase "default ids: the caller's own uid and gid" case_ids_default

case_ids_default_map() {
	need_nonroot || return
	hutch --ro-bind / / sh -c 'cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; cat /proc/self/setgroups'
	assert_ok || return
	_uid_map=$(printf '%s\n' "$out" | sed -n '1,/^--$/p' | grep -v '^--$')
	_gid_map=$(printf '%s\n' "$out" | sed -n '/^--$/,/^--$/p' | grep -v '^--$')
	assert_eq "$HOST_UID $HOST_UID 1" "$(norm_map "$_uid_map")" "uid_map"
	assert_eq "$HOST_GID $HOST_GID 1" "$(norm_map "$_gid_map")" "gid_map"
	assert_eq deny "$(printf '%s\n' "$out" | tail -n 1)" "setgroups"
}
tcase "unprivileged: the implied user namespace maps the caller's ids to themselves" case_ids_default_map

case_uid_gid() {
	hutch --ro-bind / / --unshare-user --uid 1234 --gid 5678 sh -c 'id -u; id -g; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; cat /proc/self/setgroups'
	assert_ok || return
	assert_eq "1234
5678" "$(printf '%s\n' "$out" | head -n 2)" "id -u, id -g"
	_rest=$(printf '%s\n' "$out" | sed 1,2d)
	_uid_map=$(printf '%s\n' "$_rest" | sed -n '1,/^--$/p' | grep -v '^--$')
	_gid_map=$(printf '%s\n' "$_rest" | sed -n '/^--$/,/^--$/p' | grep -v '^--$')
	assert_eq "1234 $HOST_UID 1" "$(norm_map "$_uid_map")" "uid_map"
	assert_eq "5678 $HOST_GID 1" "$(norm_map "$_gid_map")" "gid_map"
	assert_eq deny "$(printf '%s\n' "$out" | tail -n 1)" "setgroups"
}
tcase "--uid/--gid: the ids, a one-id map from the caller's, setgroups deny" case_uid_gid

case_uid_zero() {
	hutch --ro-bind / / --unshare-user --uid 0 --gid 0 sh -c 'id -u; id -g; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map'
	assert_ok || return
	assert_eq "0
0
0 $HOST_UID 1" "$out" "ids and uid_map"
}
tcase "--unshare-user --uid 0 --gid 0: root in the sandbox, mapped to the caller" case_uid_zero

case_root_userns_map() {
	need_root || return
	hutch --ro-bind / / --unshare-user sh -c 'id -u; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map; cat /proc/self/setgroups'
	assert_ok || return
	assert_eq "0
0 0 1
deny" "$out" "uid, uid_map, setgroups"
}
tcase "root with --unshare-user: uid_map '0 0 1', setgroups deny" case_root_userns_map

case_root_no_userns_map() {
	need_root || return
	hutch --ro-bind / / awk '{ print $1, $2, $3 }' /proc/self/uid_map
	assert_ok || return
	assert_eq "0 0 4294967295" "$out" "uid_map (the host's)"
}
tcase "root without --unshare-user stays in the host user namespace" case_root_no_userns_map

case_uid_without_userns_nonroot() {
	need_nonroot || return
	# Unprivileged, the user namespace is implied, so --uid works alone.
	hutch --ro-bind / / --uid 4321 id -u
	assert_ok || return
	assert_eq 4321 "$out" "uid"
}
tcase "unprivileged: --uid works without --unshare-user (user ns implied)" case_uid_without_userns_nonroot

# ---------------------------------------------------------------- uts

case_hostname() {
	_host_before=$(cat /proc/sys/kernel/hostname)
	hutch --ro-bind / / --unshare-uts --hostname hutch-sandbox sh -c 'hostname; cat /proc/sys/kernel/hostname'
	assert_ok || return
	assert_eq "hutch-sandbox
hutch-sandbox" "$out" "hostname inside"
	assert_eq "$_host_before" "$(cat /proc/sys/kernel/hostname)" "host's hostname afterwards"
}
tcase "--hostname with --unshare-uts sets the sandbox's hostname only" case_hostname

case_hostname_all() {
	hutch --ro-bind / / --unshare-all --hostname via-all cat /proc/sys/kernel/hostname
	assert_ok || return
	assert_eq via-all "$out" "hostname inside"
}
tcase "--hostname with --unshare-all" case_hostname_all

case_uts_keeps_name() {
	hutch --ro-bind / / --unshare-uts cat /proc/sys/kernel/hostname
	assert_ok || return
	assert_eq "$(cat /proc/sys/kernel/hostname)" "$out" "hostname inside"
}
tcase "--unshare-uts without --hostname keeps the host's name" case_uts_keeps_name

# ---------------------------------------------------------------- net

case_net_only_lo() {
	hutch --ro-bind / / --unshare-net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	assert_ok || return
	assert_eq lo "$out" "interfaces in the new network namespace"
}
tcase "--unshare-net: only lo exists" case_net_only_lo

case_net_lo_up() {
	need_cmd ip || return
	hutch --ro-bind / / --unshare-net sh -c 'ip -o link show lo; ip -o -4 addr show lo'
	assert_ok || return
	assert_match "$out" '<[^>]*\bUP\b[^>]*>' "link flags of lo"
	assert_match "$out" 'inet 127\.0\.0\.1/8' "address of lo"
}
tcase "--unshare-net: lo is up with 127.0.0.1/8" case_net_lo_up

case_net_lo_works() {
	need_cmd bash || return
	# A connection to a closed port on a working loopback is refused; with
	# lo down it would be "Network is unreachable".
	hutch --ro-bind / / --unshare-net bash -c 'exec 3<>/dev/tcp/127.0.0.1/9 && echo connected'
	assert_contains "$err" "Connection refused" "connecting to 127.0.0.1:9"
	assert_not_contains "$err" "unreachable" "connecting to 127.0.0.1:9"
}
tcase "--unshare-net: 127.0.0.1 is reachable (connection refused, not unreachable)" case_net_lo_works

case_share_net_host() {
	hutch --ro-bind / / --unshare-all --share-net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort'
	assert_ok || return
	assert_eq "$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort)" "$out" "interfaces"
}
tcase "--share-net: the host's interfaces are visible" case_share_net_host

# ---------------------------------------------------------------- pid

case_pid2() {
	hutch --ro-bind / / --unshare-pid --proc /proc sh -c 'echo $$; test -r /proc/1/comm && echo has-pid1'
	assert_ok || return
	assert_eq "2
has-pid1" "$out" "payload's pid, pid 1 present"
}
tcase "--unshare-pid: the payload is pid 2 under a pid-1 reaper" case_pid2

case_as_pid1() {
	hutch --ro-bind / / --unshare-pid --as-pid-1 --proc /proc sh -c 'echo $$; set -- /proc/[0-9]*; echo "$@"'
	assert_ok || return
	assert_eq "1
/proc/1" "$out" "payload's pid, the processes in the pid namespace"
}
tcase "--as-pid-1: the payload is pid 1, no reaper" case_as_pid1

case_pid_no_unshare() {
	hutch --ro-bind / / sh -c 'echo $$'
	assert_ok || return
	if [ "$out" -le 2 ]; then
		fail "payload pid $out without --unshare-pid"
	fi
}
tcase "without --unshare-pid the payload has a host pid" case_pid_no_unshare

case_pid_ppid() {
	hutch --ro-bind / / --unshare-pid --proc /proc sh -c 'awk "/^PPid:/ { print \$2 }" /proc/self/status'
	assert_ok || return
	# awk's parent is sh (pid 2).
	assert_eq 2 "$out" "parent of the payload's child"
}
tcase "--unshare-pid: the payload's children see it as pid 2" case_pid_ppid

finish
