#!/bin/sh
# idmap.sh — maps of many ids: --map-auto, --map-uid, --map-gid.
#
# As an unprivileged user with subordinate ranges in /etc/subuid and
# /etc/subgid (the suite's test user has them): the maps the payload sees,
# chown inside a --tmpfs and a --bind (and the owners the host sees), id
# and supplementary groups, a fake-root package build that archives files
# of several owners, --unshare-pid/--dev, --userns-block-fd, and every
# error hutch reports before it starts anything.
# As real root: the same build with explicit maps written without the
# helpers, ids above 2^31, and --map-auto from root's ranges.
#
# Errors that depend on the system (a missing or powerless helper, no
# entry, a small range) are produced by running hutch inside an outer
# hutch sandbox that hides the helpers or binds a made-up /etc/subuid
# over the real one: no test-only switch in hutch, and nothing on the host
# changes.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

R="--ro-bind / /"
USER_NAME=$(id -un)

# subid_first FILE — "START COUNT" of the caller's first range in FILE,
# looked up by name or numeric uid as newuidmap does.
subid_first() {
	awk -F: -v u="$USER_NAME" -v n="$HOST_UID" \
		'($1 == u || $1 == n) && NF == 3 { print $2, $3; exit }' "$1" 2>/dev/null
}

# The options that give a sandbox 65536 ids, and the host ids that
# sandbox ids 1.. land on with --uid 0 --gid 0 (sandbox id N is host id
# BASE + N - 1).
MAP_SKIP=
if [ "$IS_ROOT" -eq 1 ]; then
	UBASE=300000
	GBASE=300000
	MAP_OPTS="--map-uid 0 0 1 --map-uid 1 $UBASE 65535 --map-gid 0 0 1 --map-gid 1 $GBASE 65535"
else
	set -- $(subid_first /etc/subuid)
	USTART=${1:-} UCOUNT=${2:-0}
	set -- $(subid_first /etc/subgid)
	GSTART=${1:-} GCOUNT=${2:-0}
	UBASE=$USTART
	GBASE=$GSTART
	MAP_OPTS="--map-auto"
	if [ -z "$USTART" ] || [ "$UCOUNT" -lt 65536 ] || [ -z "$GSTART" ] || [ "$GCOUNT" -lt 65536 ]; then
		MAP_SKIP="$USER_NAME has no range of 65536 ids in /etc/subuid and /etc/subgid"
	else
		# Setuid root (Debian) or with file capabilities (Fedora).
		MAP_SKIP="no setuid newuidmap (the uidmap package)"
		for _h in /usr/bin/newuidmap /usr/sbin/newuidmap; do
			if [ -u "$_h" ] || { command -v getcap >/dev/null 2>&1 && getcap "$_h" 2>/dev/null | grep -q setuid; }; then
				MAP_SKIP=
				break
			fi
		done
	fi
fi

# need_maps — the caller can have 65536 ids; else skip (fail when the
# environment promises that everything works).
need_maps() {
	[ -z "$MAP_SKIP" ] && return 0
	if [ "$MUST_WORK" = 1 ]; then
		fail "$MAP_SKIP (HUTCH_TESTS_MUST_WORK=1; run tests/setup-test-user.sh as root)"
	else
		skip "$MAP_SKIP"
	fi
	return 1
}

# norm TEXT — map lines as "INSIDE OUTSIDE COUNT", one space apart.
norm() {
	printf '%s\n' "$1" | awk 'NF { print $1, $2, $3 }'
}

# ---------------------------------------------------------------- maps

case_auto_lines_root() {
	need_nonroot || return
	need_maps || return
	hutch --map-auto --uid 0 --gid 0 $R cat /proc/self/uid_map /proc/self/gid_map
	assert_ok || return
	assert_eq "0 $HOST_UID 1
1 $USTART 65535
0 $HOST_GID 1
1 $GSTART 65535" "$(norm "$out")" "uid_map and gid_map with --uid 0 --gid 0"
}
tcase "--map-auto --uid 0: the caller on 0, the range on 1..65535" case_auto_lines_root

case_auto_lines_default() {
	need_nonroot || return
	need_maps || return
	if [ "$HOST_UID" -ge 65536 ]; then
		_want="$HOST_UID $HOST_UID 1
0 $USTART 65536"
	else
		# The range is split around the caller's own uid.
		_want="$HOST_UID $HOST_UID 1
0 $USTART $HOST_UID
$((HOST_UID + 1)) $((USTART + HOST_UID)) $((65535 - HOST_UID))"
	fi
	hutch --map-auto $R sh -c 'cat /proc/self/uid_map; echo "id $(id -u) $(id -g)"'
	assert_ok || return
	assert_eq "$_want" "$(norm "$(printf '%s\n' "$out" | grep -v '^id')")" "uid_map with the default --uid" || return
	assert_contains "$out" "id $HOST_UID $HOST_GID" "the payload's ids"
}
tcase "--map-auto: the caller keeps its uid, the range fills the rest around it" case_auto_lines_default

case_explicit_lines() {
	need_maps || return
	if [ "$IS_ROOT" -eq 1 ]; then _s=$UBASE; else _s=$USTART; fi
	hutch --map-uid 0 "$HOST_UID" 1 --map-uid 1 "$_s" 10 --map-gid 0 "$HOST_GID" 1 --uid 5 \
		$R sh -c 'cat /proc/self/uid_map; echo "id $(id -u) $(id -g)"; grep CapEff /proc/self/status'
	assert_ok || return
	assert_contains "$(norm "$out")" "0 $HOST_UID 1
1 $_s 10" "uid_map" || return
	# --uid picks another mapped uid; not uid 0, so no capabilities.
	assert_contains "$out" "id 5 0" "the payload's ids" || return
	assert_match "$out" "CapEff:[[:space:]]+0+$" "capabilities of sandbox uid 5"
}
tcase "--map-uid/--map-gid: explicit lines, --uid picks a mapped uid" case_explicit_lines

# ---------------------------------------------------------------- chown

case_chown_tmpfs() {
	need_maps || return
	hutch $MAP_OPTS --uid 0 --gid 0 $R --tmpfs /tmp sh -c 'cd /tmp && touch a b c && chown 1000:100 a && chown 65535:5 b && chown 1:65535 c && stat -c "%n %u %g" a b c'
	assert_ok || return
	assert_eq "a 1000 100
b 65535 5
c 1 65535" "$out" "owners inside the tmpfs"
}
tcase "chown to several ids inside a --tmpfs" case_chown_tmpfs

case_chown_bind() {
	need_maps || return
	mkdir "$T/shared"
	hutch $MAP_OPTS --uid 0 --gid 0 $R --tmpfs /mnt --bind "$T/shared" /mnt/shared sh -c 'cd /mnt/shared && touch x y mine && chown 1000:100 x && chown 2:3 y && stat -c "%n %u %g" . x y mine'
	assert_ok || return
	assert_eq ". 0 0
x 1000 100
y 2 3
mine 0 0" "$out" "owners inside" || return
	# The host sees the subordinate ids the sandbox ids are mapped on,
	# and the caller's own for what sandbox root made.
	assert_eq "$((UBASE + 999)) $((GBASE + 99))
$((UBASE + 1)) $((GBASE + 2))
$HOST_UID $HOST_GID" "$(cd "$T/shared" && stat -c '%u %g' x y mine)" "owners on the host"
	rm -f "$T/shared/x" "$T/shared/y" "$T/shared/mine"
}
tcase "chown inside a --bind: the host sees subordinate ids" case_chown_bind

# ---------------------------------------------------------------- groups

case_id_groups() {
	need_maps || return
	need_cmd setpriv || return
	hutch $MAP_OPTS --uid 0 --gid 0 $R sh -c 'echo "ids $(id -u) $(id -g) [$(id -G)]"; echo "setgroups $(cat /proc/self/setgroups)"; setpriv --groups 5,100,2000 id -G'
	assert_ok || return
	# Only the sandbox gid to start with; setgroups works.
	assert_contains "$out" "ids 0 0 [0]" "id" || return
	assert_contains "$out" "setgroups allow" "/proc/self/setgroups" || return
	assert_contains "$out" "0 5 100 2000" "id -G after setgroups"
}
tcase "id: the sandbox gid as the only group, and setgroups works" case_id_groups

case_id_groups_nonroot() {
	need_nonroot || return
	need_maps || return
	hutch --map-auto $R sh -c 'id -G; grep CapEff /proc/self/status'
	assert_ok || return
	assert_first_line "$out" "$HOST_GID" "id -G" || return
	assert_match "$out" "CapEff:[[:space:]]+0+$" "a sandbox uid other than 0 has no capabilities"
}
tcase "--map-auto with the caller's own uid: its gid, no capabilities" case_id_groups_nonroot

# ---------------------------------------------------------------- builds

case_package_build() {
	need_maps || return
	need_cmd tar install || return
	mkdir "$T/out"
	# The build script: a staging root with files of several owners,
	# archived with them, then extracted again.
	_build='set -e; mkdir /tmp/root; cd /tmp/root; : >/tmp/empty'
	_build="$_build; install -d -o 0 -g 0 usr/bin var/lib; install -d -o 1000 -g 100 home/user"
	_build="$_build; install -o 1000 -g 100 -m 644 /tmp/empty home/user/notes"
	_build="$_build; install -o 2 -g 5 -m 750 /tmp/empty usr/bin/tool; touch usr/bin/rootfile"
	_build="$_build; mkdir var/lib/svc; chown 999:998 var/lib/svc; tar --numeric-owner -cf /tmp/out/pkg.tar ."
	_build="$_build; mkdir /tmp/x; cd /tmp/x; tar --numeric-owner --same-owner -xpf /tmp/out/pkg.tar"
	_build="$_build; stat -c '%n %u %g %a' home/user home/user/notes usr/bin/tool usr/bin/rootfile var/lib/svc"
	hutch $MAP_OPTS --uid 0 --gid 0 $R --tmpfs /tmp --bind "$T/out" /tmp/out sh -c "$_build"
	assert_ok || return
	assert_eq "home/user 1000 100 755
home/user/notes 1000 100 644
usr/bin/tool 2 5 750
usr/bin/rootfile 0 0 644
var/lib/svc 999 998 755" "$out" "owners after extracting inside" || return
	# The archive on the host, written by sandbox root, is the caller's,
	# and lists the owners given inside.
	assert_eq "$HOST_UID" "$(stat -c %u "$T/out/pkg.tar")" "owner of the archive on the host" || return
	_list=$(tar --numeric-owner -tvf "$T/out/pkg.tar" | awk '{ print $2, $6 }')
	assert_contains "$_list" "1000/100 ./home/user/notes" "archive listing" || return
	assert_contains "$_list" "2/5 ./usr/bin/tool" "archive listing" || return
	assert_contains "$_list" "0/0 ./usr/bin/rootfile" "archive listing" || return
	assert_contains "$_list" "999/998 ./var/lib/svc/" "archive listing"
}
tcase "fake-root build: install -o, chown, tar keeps the owners" case_package_build

case_pid_dev() {
	need_maps || return
	hutch $MAP_OPTS --uid 0 --gid 0 $R --unshare-pid --dev /dev --proc /proc --tmpfs /tmp sh -c 'echo "maps $(wc -l </proc/self/uid_map)"; echo x >/dev/null && echo "null ok"; test -c /dev/pts/ptmx && echo "ptmx ok"; touch /tmp/f && chown 42:42 /tmp/f && stat -c "tmp %u %g" /tmp/f'
	assert_ok || return
	assert_contains "$out" "null ok" || return
	assert_contains "$out" "ptmx ok" || return
	assert_contains "$out" "tmp 42 42" || return
	assert_match "$out" "^maps [1-9]" "uid_map through the sandbox's procfs"
}
tcase "with --unshare-pid, --dev and --proc" case_pid_dev

case_pty() {
	need_maps || return
	need_cmd python3 || return
	hutch $MAP_OPTS --uid 0 --gid 0 $R --dev /dev python3 -c 'import os; m, s = os.openpty(); print("pty", os.ttyname(s).startswith("/dev/pts/"))'
	assert_ok || return
	assert_contains "$out" "pty True" "a pty from the sandbox's devpts"
}
tcase "--dev: a pty can be opened in the sandbox's devpts" case_pty

case_userns_block_fd() {
	need_maps || return
	hutch_in $MAP_OPTS --uid 0 --gid 0 --unshare-user --userns-block-fd 5 --info-fd 6 $R \
		cat /proc/self/uid_map 5</dev/null 6>"$T/info"
	assert_ok || return
	assert_contains "$(norm "$out")" "1 $UBASE 65535" "uid_map written after the block fd" || return
	assert_contains "$(cat "$T/info")" '"child-pid"' "--info-fd"
}
tcase "--userns-block-fd: the maps are written once it is readable" case_userns_block_fd

case_userns_block_fd_plain() {
	hutch_in --unshare-user --userns-block-fd 5 --info-fd 6 $R cat /proc/self/uid_map 5</dev/null 6>"$T/info"
	assert_ok || return
	assert_eq "$HOST_UID $HOST_UID 1" "$(norm "$out")" "single-id map as before"
}
tcase "--userns-block-fd without a map option: one id, as before" case_userns_block_fd_plain

case_disable_userns() {
	need_maps || return
	hutch $MAP_OPTS --uid 0 --gid 0 --unshare-user --disable-userns --unshare-pid $R --tmpfs /tmp sh -c 'cat /proc/self/uid_map; touch /tmp/f && chown 1000:100 /tmp/f && stat -c "owner %u %g" /tmp/f; unshare -U true 2>/tmp/err && echo created || echo refused'
	assert_ok || return
	# The nested namespace sees every sandbox id as itself.
	assert_eq "0 0 1
1 1 65535" "$(norm "$(printf '%s\n' "$out" | grep -v '^[or]')")" "uid_map of the nested namespace" || return
	assert_contains "$out" "owner 1000 100" "chown in the nested namespace" || return
	assert_contains "$out" "refused" "creating a user namespace"
}
tcase "--disable-userns: the nested namespace keeps every sandbox id" case_disable_userns

# ---------------------------------------------------------------- root

case_root_high_ids() {
	need_root || return
	mkdir "$T/high"
	touch "$T/high/f"
	hutch --map-uid 0 0 1 --map-uid 1 3000000000 65535 --map-gid 0 0 1 --map-gid 1 3000000000 65535 \
		$R --tmpfs /mnt --bind "$T/high" /mnt/high sh -c 'cat /proc/self/uid_map; chown 5:6 /mnt/high/f'
	assert_ok || return
	assert_contains "$(norm "$out")" "1 3000000000 65535" "uid_map printed unsigned" || return
	assert_eq "3000000004 3000000005" "$(stat -c '%u %g' "$T/high/f")" "owner on the host"
}
tcase "as root: ids above 2^31, maps written without helpers" case_root_high_ids

case_root_map_auto() {
	need_root || return
	printf 'someone:1:5\nroot:400000:65536\n' >"$T/subuid"
	printf '0:500000:70000\n' >"$T/subgid"
	# An outer sandbox that maps every id on itself, so the inner hutch
	# is root there, with made-up subordinate id files for root (looked
	# up by name in one, by uid in the other).
	hutch --map-uid 0 0 4294967295 --map-gid 0 0 4294967295 --dev-bind / / \
		--ro-bind "$T/subuid" /etc/subuid --ro-bind "$T/subgid" /etc/subgid \
		"$HUTCH" --map-auto --uid 0 --gid 0 $R cat /proc/self/uid_map /proc/self/gid_map
	assert_ok || return
	assert_eq "0 0 1
1 400000 65535
0 0 1
1 500000 65535" "$(norm "$out")" "maps from root's ranges"
}
tcase "as root: --map-auto takes root's ranges and writes the maps itself" case_root_map_auto

# ---------------------------------------------------------------- errors

# inner_map_auto OUTER_OPTS... — hutch --map-auto run inside an outer
# sandbox made with OUTER_OPTS; sets $out/$err/$rc of the outer run.
inner_map_auto() {
	hutch $R "$@" "$HUTCH" --map-auto --uid 0 --gid 0 $R echo started
}

case_no_entry() {
	printf 'someone-else:100000:65536\n' >"$T/subuid"
	inner_map_auto --ro-bind "$T/subuid" /etc/subuid
	assert_error_run "--map-auto: no entry for $USER_NAME (uid $HOST_UID) in /etc/subuid" || return
	assert_not_contains "$out" "started" "stdout"
}
tcase "no entry for the caller in /etc/subuid" case_no_entry

case_no_gid_entry() {
	printf '%s:100000:65536\n' "$USER_NAME" >"$T/subuid"
	printf 'someone-else:100000:65536\n' >"$T/subgid"
	inner_map_auto --ro-bind "$T/subuid" /etc/subuid --ro-bind "$T/subgid" /etc/subgid
	assert_error_run "--map-auto: no entry for $USER_NAME (uid $HOST_UID) in /etc/subgid"
}
tcase "no entry for the caller in /etc/subgid" case_no_gid_entry

case_range_too_small() {
	printf '%s:100000:1000\n%s:300000:500\n' "$USER_NAME" "$HOST_UID" >"$T/subuid"
	inner_map_auto --ro-bind "$T/subuid" /etc/subuid
	assert_error_run "--map-auto: the subordinate uid ranges of $USER_NAME (uid $HOST_UID) in /etc/subuid hold 1500 usable ids; 65535 are needed" || return
	assert_not_contains "$out" "started" "stdout"
}
tcase "ranges too small (two ranges, by name and by uid)" case_range_too_small

case_helper_missing() {
	need_nonroot || return
	need_maps || return
	inner_map_auto --tmpfs /usr/bin --tmpfs /usr/sbin
	assert_error_run "newuidmap not found" || return
	assert_contains "$err" "install the uidmap package" "stderr"
}
tcase "newuidmap missing" case_helper_missing

case_helper_powerless() {
	need_nonroot || return
	need_maps || return
	_helper=/usr/bin/newuidmap
	[ -e "$_helper" ] || _helper=/usr/sbin/newuidmap
	for _true in /usr/bin/true /bin/true; do
		[ -x "$_true" ] && break
	done
	inner_map_auto --ro-bind "$_true" "$_helper"
	assert_error_run "$_helper is neither setuid root nor has file capabilities"
}
tcase "newuidmap neither setuid nor with file capabilities" case_helper_powerless

case_no_new_privs() {
	need_nonroot || return
	need_maps || return
	need_cmd setpriv || return
	run_cmd setpriv --no-new-privs "$HUTCH" --map-auto $R echo started
	assert_error_run "no_new_privs is set on hutch" || return
	assert_not_contains "$out" "started" "stdout"
}
tcase "no_new_privs set by the parent" case_no_new_privs

case_explicit_outside_ranges() {
	need_nonroot || return
	need_maps || return
	hutch --map-uid 0 "$HOST_UID" 1 --map-uid 1 1 10 $R echo started
	assert_error_run "--map-uid 1 1 10: host uids 1-10 are not all in your subordinate uid ranges in /etc/subuid" || return
	hutch --map-uid 0 "$HOST_UID" 1 --map-uid 1 "$USTART" $((UCOUNT + 1)) $R echo started
	assert_error_run "are not all in your subordinate uid ranges"
}
tcase "--map-uid outside the caller's ranges" case_explicit_outside_ranges

# A helper that fails after every check passed: root makes a setuid-root
# stand-in that prints a message and exits 3, mounts it over newuidmap in
# a private mount namespace, and runs hutch there as the test user. The
# helper's output is shown, hutch exits 1, and the sandbox is gone.
case_helper_fails() {
	need_root || return
	need_cmd unshare setpriv mount || return
	_user=${HUTCH_TEST_USER:-hutchtest}
	if ! getent passwd "$_user" >/dev/null || ! grep -q "^$_user:" /etc/subuid /etc/subgid; then
		skip "no test user $_user with subordinate ranges"
		return
	fi
	_helper=/usr/bin/newuidmap
	[ -e "$_helper" ] || _helper=/usr/sbin/newuidmap
	[ -e "$_helper" ] || { skip "no newuidmap to stand in for"; return; }
	mkdir "$T/fake"
	printf '#!/bin/sh\necho "stand-in newuidmap refuses: $*" >&2\nexit 3\n' >"$T/fake/newuidmap"
	chmod 4755 "$T/fake/newuidmap"
	cp "$HUTCH" "$T/fake/hutch"
	chmod 0755 "$T/fake" "$T/fake/hutch"
	_script='mount --bind "$1/newuidmap" "$2" || exit 99; exec setpriv --reuid="$3" --regid="$3" --init-groups'
	_script="$_script"' env -i PATH=/usr/bin:/bin "$1/hutch" --map-auto --unshare-user --info-fd 5 --userns-block-fd 6'
	_script="$_script"' --ro-bind / / echo started 5>"$1/info" 6</dev/null'
	run_cmd unshare --mount --propagation private sh -c "$_script" sh "$T/fake" "$_helper" "$_user"
	assert_error_run "$_helper failed (exit status 3): stand-in newuidmap refuses: " || return
	assert_not_contains "$out" "started" "stdout" || return
	_pid=$(sed -n 's/.*"child-pid": *\([0-9]*\).*/\1/p' "$T/fake/info")
	assert_ne "" "$_pid" "child pid from --info-fd" || return
	assert_contains "$err" "refuses: $_pid " "the helper's first argument: the child's pid" || return
	assert_true "the sandbox's process is gone" sh -c "! kill -0 $_pid 2>/dev/null"
}
tcase "a failing helper: its output is shown, nothing is left" case_helper_fails

case_not_primary_gid() {
	need_root || return
	need_cmd setpriv || return
	_user=${HUTCH_TEST_USER:-hutchtest}
	getent passwd "$_user" >/dev/null || { skip "no test user $_user"; return; }
	if grep -Eiq '^[[:space:]]*GRANT_AUX_GROUP_SUBIDS[[:space:]]+yes' /etc/login.defs 2>/dev/null; then
		skip "GRANT_AUX_GROUP_SUBIDS lets newgidmap map for other groups"
		return
	fi
	mkdir "$T/gid"
	cp "$HUTCH" "$T/gid/hutch"
	chmod 0755 "$T/gid" "$T/gid/hutch"
	# Another gid than the account's primary group, as after sg(1).
	_gid=$(( $(id -g "$_user") + 1 ))
	run_cmd setpriv --reuid="$_user" --regid="$_gid" --clear-groups "$T/gid/hutch" --map-auto $R echo started
	assert_error_run "your gid $_gid is not $_user's primary group" || return
	assert_not_contains "$out" "started" "stdout"
}
tcase "a gid other than the primary group: newgidmap would refuse" case_not_primary_gid

# Checked before anything starts: no sandbox needed.
case_validation() {
	hutch --map-uid 0 "$HOST_UID" 0 $R true
	assert_error_run "--map-uid 0 $HOST_UID 0: COUNT must be at least 1" || return
	hutch --map-uid 0 "$HOST_UID" 1 --map-uid 0 100000 10 $R true
	assert_error_run "overlaps --map-uid 0 $HOST_UID 1 (sandbox ids)" || return
	hutch --map-gid 0 "$HOST_GID" 1 --map-gid 1 4294967290 6 $R true
	assert_error_run "--map-gid 1 4294967290 6: the range runs past the largest id, 4294967294" || return
	hutch --map-auto --map-uid 0 "$HOST_UID" 1 $R true
	assert_error_run "--map-auto cannot be combined with --map-uid or --map-gid" || return
	hutch --map-uid 0 1 1 $R true
	assert_error_run "--map-uid does not map your own uid $HOST_UID" || return
	_lines=
	_i=0
	while [ $_i -le 340 ]; do
		_lines="$_lines --map-gid $_i $((100000 + _i)) 1"
		_i=$((_i + 1))
	done
	hutch $_lines $R true
	assert_error_run "the kernel takes at most 340 lines in a map"
}
tcase_noprobe "map lines are checked before anything starts" case_validation

finish
