#!/bin/sh
# fs.sh — filesystem ops as the payload sees them: binds (rw, ro, dev, the
# -try forms), tmpfs (+perms, +size), dir, symlink, remount-ro, chmod, file
# and bind-data from fds, proc, dev; command-line order; what of the host
# is (not) reachable; destinations that try to leave the new root.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

# A minimal root holding only /usr (and the usual merged-/usr links), for
# cases that check what else is (not) there.
MINI="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64"
# The host, read-only, with a private scratch tmpfs on /tmp.
HOST="--ro-bind / / --tmpfs /tmp"

# ---------------------------------------------------------------- binds

case_bind_rw() {
	mkdir -p "$T/rw" && echo host-data >"$T/rw/in"
	hutch $HOST --bind "$T/rw" /tmp/rw sh -c 'cat /tmp/rw/in && echo from-sandbox >/tmp/rw/new && echo wrote'
	assert_ok || return
	assert_eq "host-data
wrote" "$out" "payload output"
	assert_eq from-sandbox "$(cat "$T/rw/new" 2>/dev/null)" "host file written through --bind"
}
tcase "--bind: payload reads the host dir and its writes reach the host" case_bind_rw

case_ro_bind() {
	mkdir -p "$T/ro" && echo ro-data >"$T/ro/in"
	hutch $HOST --ro-bind "$T/ro" /tmp/ro sh -c 'cat /tmp/ro/in; if echo x >/tmp/ro/new; then echo WROTE; fi; echo y >/tmp/ro/in; echo done'
	assert_ok || return
	assert_eq "ro-data
done" "$out" "payload output"
	assert_contains "$err" "Read-only file system" "payload's write error"
	assert_true "no file created on the host" test ! -e "$T/ro/new"
	assert_eq ro-data "$(cat "$T/ro/in")" "host file unchanged"
}
tcase "--ro-bind: readable, writes fail with EROFS, host untouched" case_ro_bind

# Every mount the payload sees under a path (topmost at each mount point):
# "mountpoint options".
MOUNTS_AWK='{ mp[$5] = $6 } END { for (m in mp) print m, mp[m] }'

case_ro_bind_submounts() {
	# / has submounts on every system (/proc, /dev, /sys, ...); all of them
	# must be read-only, nosuid and nodev in the sandbox.
	hutch --ro-bind / / awk "$MOUNTS_AWK" /proc/self/mountinfo
	assert_ok || return
	_n=$(printf '%s\n' "$out" | wc -l)
	if [ "$_n" -lt 2 ]; then
		fail "expected / and its submounts, saw $_n mount(s)"
		_show_run
		return
	fi
	_bad=$(printf '%s\n' "$out" | awk '{ o = "," $2 ","; if (o !~ /,ro,/ || o !~ /,nosuid,/ || o !~ /,nodev,/) print }')
	assert_eq "" "$_bad" "mounts lacking ro/nosuid/nodev"
}
tcase "--ro-bind / /: every submount is ro,nosuid,nodev" case_ro_bind_submounts

case_ro_bind_without_open_tree_attr() {
	# hutch copies and flags a bind with open_tree_attr() where the
	# kernel has it (6.15), and with open_tree() + mount_setattr() where
	# it fails; a filter answering ENOSYS for it (number 467 on x86_64)
	# forces the second way, in a sandbox inside a sandbox.
	need_helper "${HELPERS:+$HELPERS/seccomp-compile}" || return
	[ "$(uname -m)" = x86_64 ] || { skip "the syscall number is x86_64's"; return; }
	"$HELPERS/seccomp-compile" --errno 467:ENOSYS >"$T/no-ota.bpf" || { fail "seccomp-compile failed"; return; }
	# As root the outer sandbox keeps root's capabilities: mapping uid 0
	# in the inner user namespace needs CAP_SETFCAP (Linux 5.12).
	_caps=
	[ "$IS_ROOT" -eq 1 ] && _caps="--cap-add ALL"
	# shellcheck disable=SC2086
	hutch --ro-bind / / --unshare-pid --proc /proc --dev /dev $_caps --seccomp 9 \
		"$HUTCH" --unshare-user --ro-bind / / --tmpfs /tmp --ro-bind /usr /tmp/usr sh -c \
		'touch /tmp/usr/x 2>/dev/null && echo WROTE; touch /tmp/y && echo tmp-ok; grep " /tmp/usr " /proc/self/mountinfo | grep -c "[ ,]ro[, ]"' \
		9<"$T/no-ota.bpf"
	assert_ok || return
	assert_eq "tmp-ok
1" "$out" "a read-only bind made without open_tree_attr"
}
tcase "--ro-bind without open_tree_attr() (filtered to ENOSYS): still read-only" case_ro_bind_without_open_tree_attr

case_ro_bind_submount_write() {
	# /dev/shm is a writable tmpfs submount of / on the host; through a
	# recursive read-only bind it must refuse writes.
	if [ ! -d /dev/shm ] || [ ! -w /dev/shm ]; then
		skip "no writable /dev/shm on the host"
		return
	fi
	_name=hutch-test-$$
	hutch --ro-bind / / sh -c "echo x >/dev/shm/$_name"
	assert_rc 2 "payload's exit status (sh: cannot create)"
	assert_contains "$err" "Read-only file system" "payload's write error"
	if [ -e "/dev/shm/$_name" ]; then
		rm -f "/dev/shm/$_name"
		fail "the payload created /dev/shm/$_name on the host"
	fi
}
tcase "--ro-bind / /: a writable host submount (/dev/shm) is read-only inside" case_ro_bind_submount_write

case_ro_bind_own_submount() {
	need_root || return
	mkdir -p "$T/sub/inner"
	if ! mount -t tmpfs hutch-test "$T/sub/inner" 2>/dev/null; then
		skip "cannot mount a tmpfs on the host"
		return
	fi
	hutch $HOST --ro-bind "$T/sub" /tmp/sub sh -c 'echo x >/tmp/sub/inner/f; awk "\$5 == \"/tmp/sub/inner\" { print \$6 }" /proc/self/mountinfo'
	umount "$T/sub/inner"
	assert_contains "$err" "Read-only file system" "write into the submount"
	assert_match "$out" '(^|,)ro(,|$)' "options of /tmp/sub/inner"
}
tcase "--ro-bind of a dir with a submount: the submount is read-only too (root)" case_ro_bind_own_submount

case_bind_submount_rw() {
	need_root || return
	mkdir -p "$T/subw/inner"
	if ! mount -t tmpfs hutch-test "$T/subw/inner" 2>/dev/null; then
		skip "cannot mount a tmpfs on the host"
		return
	fi
	hutch $HOST --bind "$T/subw" /tmp/subw sh -c 'echo x >/tmp/subw/inner/f && cat /tmp/subw/inner/f'
	_host=$(cat "$T/subw/inner/f" 2>/dev/null)
	umount "$T/subw/inner"
	assert_ok || return
	assert_eq x "$out" "payload output"
	assert_eq x "$_host" "file in the host submount"
}
tcase "--bind is recursive: a submount of the source is bound too (root)" case_bind_submount_rw

case_bind_try_missing() {
	hutch $HOST --bind-try "$T/does-not-exist" /tmp/bt --ro-bind-try "$T/nope" /tmp/rbt --dev-bind-try "$T/nada" /tmp/dbt sh -c 'ls -A /tmp; echo end'
	assert_ok || return
	assert_eq end "$out" "payload sees an empty /tmp"
}
tcase "--bind-try/--ro-bind-try/--dev-bind-try skip a missing source" case_bind_try_missing

case_bind_try_present() {
	mkdir -p "$T/bt" && echo present >"$T/bt/f"
	hutch $HOST --ro-bind-try "$T/bt" /tmp/bt cat /tmp/bt/f
	assert_ok || return
	assert_eq present "$out" "payload output"
}
tcase "--ro-bind-try with an existing source binds it" case_bind_try_present

case_bind_try_magic_link() {
	# flatpak binds the sandbox's own user namespace this way: the source
	# is a magic link that means something only inside the new namespaces.
	hutch $HOST --tmpfs /run --unshare-user --unshare-pid --ro-bind-try /proc/self/ns/user /run/.userns \
		sh -c 'stat -L -c %i /proc/self/ns/user /run/.userns'
	assert_ok || return
	_a=$(printf '%s\n' "$out" | sed -n 1p)
	_b=$(printf '%s\n' "$out" | sed -n 2p)
	assert_match "$_a" '^[0-9]+$' "the payload's user namespace inode"
	assert_eq "$_a" "$_b" "/run/.userns names the sandbox's own user namespace"
	assert_ne "$(stat -L -c %i /proc/self/ns/user)" "$_b" "not the caller's user namespace"
}
tcase "--ro-bind-try /proc/self/ns/user binds the sandbox's own namespace" case_bind_try_magic_link

case_bind_file() {
	echo one-file >"$T/single"
	hutch $HOST --ro-bind "$T/single" /tmp/deep/er/f sh -c 'cat /tmp/deep/er/f; stat -c %a /tmp/deep /tmp/deep/er'
	assert_ok || return
	# bwrap's rule (see PARENT MODES below): a bind carries no --perms, so
	# its missing parents are 0700.
	assert_eq "one-file
700
700" "$out" "file content, then modes of the created parents"
}
tcase "binding a file creates the destination and its parents (0700)" case_bind_file

case_dev_bind() {
	hutch --ro-bind / / --dev-bind /dev /dev sh -c 'echo x >/dev/null && echo null-ok; head -c 3 /dev/zero | od -An -tx1'
	assert_ok || return
	assert_eq "null-ok
 00 00 00" "$out" "payload output"
}
tcase "--dev-bind keeps device nodes usable" case_dev_bind

case_bind_nodev() {
	hutch --ro-bind / / --bind /dev /dev sh -c 'if echo x >/dev/null; then echo OPENED; else echo refused; fi'
	assert_ok || return
	assert_eq refused "$out" "opening /dev/null through a plain --bind"
	assert_contains "$err" "Permission denied" "payload's error"
}
tcase "--bind (not --dev-bind) makes device nodes unusable (nodev)" case_bind_nodev

# ---------------------------------------------------------------- tmpfs

case_tmpfs_default() {
	hutch $HOST sh -c 'stat -f -c %T /tmp; stat -c %a /tmp; ls -A /tmp | wc -l; echo x >/tmp/f && cat /tmp/f'
	assert_ok || return
	assert_eq "tmpfs
755
0
x" "$out" "fs type, mode, entries, write/read"
}
tcase "--tmpfs: an empty, writable tmpfs, mode 0755" case_tmpfs_default

case_tmpfs_perms() {
	hutch --ro-bind / / --perms 01777 --tmpfs /tmp --tmpfs /var/tmp stat -c %a /tmp /var/tmp
	assert_ok || return
	assert_eq "1777
755" "$out" "modes (--perms applies to the next op only)"
}
tcase "--perms 01777 --tmpfs: mode applies to that tmpfs only" case_tmpfs_perms

case_tmpfs_size() {
	hutch --ro-bind / / --size 1048576 --tmpfs /tmp awk '$5 == "/tmp" { print $NF }' /proc/self/mountinfo
	assert_ok || return
	assert_match "$out" '(^|,)size=1024k(,|$)' "super options of /tmp"
}
tcase "--size 1048576 --tmpfs: size=1024k in the mount options" case_tmpfs_size

case_tmpfs_size_enforced() {
	hutch --ro-bind / / --size 65536 --tmpfs /tmp sh -c 'seq 1 50000 >/tmp/big; stat -c %s /tmp/big'
	assert_contains "$err" "No space left on device" "writing past --size"
	_sz=$(printf '%s\n' "$out" | tail -n 1)
	if [ -z "$_sz" ] || [ "$_sz" -gt 65536 ]; then
		fail "file grew to '$_sz' bytes on a 64 KiB tmpfs"
	fi
}
tcase "--size is enforced" case_tmpfs_size_enforced

# ---------------------------------------------------------------- dir
#
# PARENT MODES. Missing parents of a destination follow bwrap's rule: start
# from 0755, drop the group r-x bits when the op's mode has no group bits
# and the other r-x bits when it has no other bits. The op's mode is its
# --perms value (or default: --dir/--tmpfs 0755, --file 0666,
# --bind-data/--ro-bind-data 0600); ops that take no --perms (binds,
# --symlink, --proc, --dev, --remount-ro) count as 0, so their parents are
# 0700. --dir and --tmpfs with default modes therefore get 0755 parents.

case_parent_modes() {
	printf 'x' >"$T/pm"
	hutch_in $HOST --file 3 /tmp/f1/a/file --bind-data 4 /tmp/bd1/a/file --tmpfs /tmp/t1/a/mnt --perms 0705 --dir /tmp/d1/a/dir stat -c '%n %a' /tmp/f1 /tmp/f1/a /tmp/bd1/a /tmp/t1/a /tmp/d1/a 3<"$T/pm" 4<"$T/pm" </dev/null
	assert_ok || return
	assert_eq "/tmp/f1 755
/tmp/f1/a 755
/tmp/bd1/a 700
/tmp/t1/a 755
/tmp/d1/a 705" "$out" "modes of created parents"
}
tcase "missing parents get modes derived from the op's mode" case_parent_modes

case_dir_parents() {
	hutch $HOST --dir /tmp/a/b/c stat -c '%n %a' /tmp/a /tmp/a/b /tmp/a/b/c
	assert_ok || return
	assert_eq "/tmp/a 755
/tmp/a/b 755
/tmp/a/b/c 755" "$out" "modes"
}
tcase "--dir creates the dir and missing parents, all 0755" case_dir_parents

case_dir_perms() {
	hutch $HOST --perms 0710 --dir /tmp/p/q --dir /tmp/r stat -c '%n %a' /tmp/p /tmp/p/q /tmp/r
	assert_ok || return
	assert_eq "/tmp/p 750
/tmp/p/q 710
/tmp/r 755" "$out" "modes"
}
tcase "--perms --dir: the dir gets the mode, parents derived from it, next op default" case_dir_perms

case_dir_existing() {
	hutch $HOST --dir /tmp/e --dir /tmp/e stat -c %F /tmp/e
	assert_ok || return
	assert_eq directory "$out" "type"
}
tcase "--dir on an existing dir is fine" case_dir_existing

# ---------------------------------------------------------------- symlink

case_symlink() {
	hutch $HOST --symlink /etc/some/where /tmp/l --symlink ../rel /tmp/sub/l2 sh -c 'readlink /tmp/l; readlink /tmp/sub/l2; stat -c %a /tmp/sub'
	assert_ok || return
	assert_eq "/etc/some/where
../rel
700" "$out" "targets, parent mode"
}
tcase "--symlink creates links with the exact target (dangling allowed)" case_symlink

case_symlink_identical() {
	need_bwrap 0.9.0 "an identical repeated --symlink" || return
	hutch $HOST --symlink target /tmp/l --symlink target /tmp/l readlink /tmp/l
	assert_ok || return
	assert_eq target "$out" "link target"
}
tcase "--symlink repeated with the same target is not an error" case_symlink_identical

case_symlink_conflict() {
	hutch $HOST --symlink first-target /tmp/l --symlink second-target /tmp/l true
	assert_rc 1 || return
	if bwrap_before 0.9.0; then
		assert_contains "$err" "Can't make symlink at /tmp/l: File exists" "stderr (bwrap 0.8)"
	elif [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		# bwrap 0.11.1: the link and the target it already has.
		assert_eq "bwrap: Can't make symlink at /tmp/l: existing destination is first-target" "$err" "stderr"
	else
		# hutch: bwrap 0.11.1's words, then the target that was asked for.
		assert_eq "$(basename "$HUTCH"): Can't make symlink at /tmp/l: existing destination is first-target, not second-target" "$err" "stderr"
	fi
}
tcase "--symlink over a different link fails, naming both targets" case_symlink_conflict

case_symlink_over_file() {
	need_bwrap 0.9.0 "the 0.11 --symlink messages" || return
	hutch $HOST --dir /tmp/d --symlink target /tmp/d true
	assert_rc 1 || return
	assert_eq "$(basename "$HUTCH"): Can't make symlink at /tmp/d: destination exists and is not a symlink" "$err" "stderr"
}
tcase "--symlink over a directory fails: 'destination exists and is not a symlink'" case_symlink_over_file

# ---------------------------------------------------------------- remount-ro

case_remount_ro() {
	hutch $HOST --dir /tmp/d --tmpfs /tmp/sub --remount-ro /tmp sh -c 'test -d /tmp/d && echo has-d; echo x >/tmp/new; echo y >/tmp/sub/ok && cat /tmp/sub/ok'
	assert_ok || return
	assert_eq "has-d
y" "$out" "payload output"
	assert_contains "$err" "Read-only file system" "write to the remounted /tmp"
}
tcase "--remount-ro makes that mount read-only, not its submounts" case_remount_ro

case_remount_ro_bind() {
	mkdir -p "$T/rr"
	hutch $HOST --bind "$T/rr" /tmp/rr --remount-ro /tmp/rr sh -c 'echo x >/tmp/rr/f'
	assert_contains "$err" "Read-only file system" "write to the remounted bind"
	assert_true "host dir still empty" test ! -e "$T/rr/f"
}
tcase "--remount-ro on a --bind destination" case_remount_ro_bind

# ---------------------------------------------------------------- chmod

case_chmod() {
	hutch $HOST --dir /tmp/d --chmod 0700 /tmp/d --tmpfs /tmp/t --chmod 1777 /tmp/t stat -c '%n %a' /tmp/d /tmp/t
	assert_ok || return
	assert_eq "/tmp/d 700
/tmp/t 1777" "$out" "modes"
}
tcase "--chmod changes the mode of an existing path" case_chmod

case_chmod_missing() {
	hutch $HOST --chmod 0700 /tmp/missing true
	assert_rc 1 || return
	assert_contains "$err" "/tmp/missing" "error names the path"
}
tcase "--chmod on a missing path fails naming it" case_chmod_missing

# ---------------------------------------------------------------- file / bind-data

case_file_fd() {
	printf 'line1\nline2\n' >"$T/data"
	hutch_in $HOST --file 3 /tmp/f/in/here sh -c 'cat /tmp/f/in/here; stat -c %a /tmp/f/in/here; echo more >>/tmp/f/in/here && echo appended' 3<"$T/data" </dev/null
	assert_ok || return
	assert_eq "line1
line2
666
appended" "$out" "content, mode, writability"
}
tcase "--file FD copies the fd's data into a new file (mode 0666)" case_file_fd

case_file_perms() {
	printf 'secret' >"$T/data2"
	hutch_in $HOST --perms 0640 --file 3 /tmp/f sh -c 'cat /tmp/f; echo; stat -c %a /tmp/f' 3<"$T/data2" </dev/null
	assert_ok || return
	assert_eq "secret
640" "$out" "content, mode"
}
tcase "--perms --file sets the file's mode" case_file_perms

case_file_from_pipe() {
	hutch_in $HOST --file 3 /tmp/piped cat /tmp/piped 3<<EOF
from a here-doc
EOF
	assert_ok || return
	assert_eq "from a here-doc" "$out" "content"
}
tcase "--file reads a pipe/here-doc fd" case_file_from_pipe

case_bind_data() {
	printf 'bound data' >"$T/bd"
	hutch_in $HOST --bind-data 3 /tmp/bd sh -c 'cat /tmp/bd; echo; stat -c %a /tmp/bd; echo more >>/tmp/bd && echo writable; awk "\$5 == \"/tmp/bd\" { print \"mounted\" }" /proc/self/mountinfo' 3<"$T/bd" </dev/null
	assert_ok || return
	assert_eq "bound data
600
writable
mounted" "$out" "content, mode, writable, is a mount"
}
tcase "--bind-data FD: a writable bind-mounted copy of the data, mode 0600" case_bind_data

case_ro_bind_data() {
	printf 'ro data' >"$T/rbd"
	hutch_in $HOST --perms 0640 --ro-bind-data 3 /tmp/rbd sh -c 'cat /tmp/rbd; echo; stat -c %a /tmp/rbd; echo more >>/tmp/rbd' 3<"$T/rbd" </dev/null
	assert_rc 2 "payload's status (the append fails)" || return
	assert_eq "ro data
640" "$out" "content, mode"
	assert_contains "$err" "Read-only file system" "append error"
	assert_eq "ro data" "$(cat "$T/rbd")" "host source unchanged"
}
tcase "--ro-bind-data FD: read-only, --perms honoured" case_ro_bind_data

case_ro_bind_data_default_mode() {
	printf 'x' >"$T/rbd2"
	hutch_in $HOST --ro-bind-data 3 /tmp/rbd stat -c %a /tmp/rbd 3<"$T/rbd2" </dev/null
	assert_ok || return
	assert_eq 600 "$out" "default mode"
}
tcase "--ro-bind-data default mode is 0600" case_ro_bind_data_default_mode

# ---------------------------------------------------------------- proc / dev

case_proc() {
	hutch --ro-bind / / --unshare-pid --proc /proc sh -c 'echo $$; stat -f -c %T /proc; ls /proc | grep -E "^[0-9]+$" | sort -n | head -n 1; ls /proc | grep -cE "^[0-9]+$"'
	assert_ok || return
	_lines=$(printf '%s\n' "$out" | wc -l)
	assert_eq 4 "$_lines" "output lines" || return
	_self=$(printf '%s\n' "$out" | sed -n 1p)
	_type=$(printf '%s\n' "$out" | sed -n 2p)
	_low=$(printf '%s\n' "$out" | sed -n 3p)
	_count=$(printf '%s\n' "$out" | sed -n 4p)
	assert_eq proc "$_type" "fs type of /proc"
	assert_eq 1 "$_low" "lowest pid visible"
	if [ "$_self" -gt 3 ] || [ "$_count" -gt 8 ]; then
		fail "the new /proc shows host processes (payload pid $_self, $_count pids)"
		_show_run
	fi
}
tcase "--proc with --unshare-pid shows only the sandbox's processes" case_proc

case_dev_nodes() {
	hutch --ro-bind / / --dev /dev sh -c '
		for n in null zero full random urandom tty; do
			if [ -c /dev/$n ]; then echo "$n char"; else echo "$n MISSING"; fi
		done
		for n in stdin stdout stderr fd ptmx; do echo "$n -> $(readlink /dev/$n)"; done
		for n in shm pts; do if [ -d /dev/$n ]; then echo "$n dir"; else echo "$n MISSING"; fi; done'
	assert_ok || return
	assert_eq "null char
zero char
full char
random char
urandom char
tty char
stdin -> /proc/self/fd/0
stdout -> /proc/self/fd/1
stderr -> /proc/self/fd/2
fd -> /proc/self/fd
ptmx -> pts/ptmx
shm dir
pts dir" "$out" "/dev contents"
}
tcase "--dev: null zero full random urandom tty, std links, fd, ptmx, shm, pts" case_dev_nodes

case_dev_work() {
	hutch --ro-bind / / --dev /dev sh -c 'echo x >/dev/null && echo null-ok; head -c 4 /dev/zero | od -An -tx1; head -c 16 /dev/urandom | wc -c; head -c 1 /dev/zero >/dev/full'
	assert_eq "null-ok
 00 00 00 00
16" "$out" "payload output"
	assert_contains "$err" "No space left on device" "writing /dev/full"
}
tcase "--dev: the device nodes work (null, zero, urandom, full)" case_dev_work

case_dev_no_host_devices() {
	hutch --ro-bind / / --dev /dev ls -A /dev
	assert_ok || return
	assert_no_match "$out" '^(mem|kmem|kmsg|port|sda|vda|nvme0|loop0|loop-control|autofs|fuse|net|input|disk|block|char)$' "/dev listing"
}
tcase "--dev: no host devices (mem, kmsg, disks, ...) in the new /dev" case_dev_no_host_devices

case_dev_pts() {
	hutch --ro-bind / / --dev /dev sh -c 'awk "\$5 == \"/dev/pts\" { print \$(NF-2) }" /proc/self/mountinfo | tail -n 1; test -c /dev/pts/ptmx && echo ptmx-char; ls /dev/pts | grep -v ptmx | wc -l'
	assert_ok || return
	assert_eq "devpts
ptmx-char
0" "$out" "fs type of /dev/pts, its ptmx, other ptys"
}
tcase "--dev: a new devpts instance (no host ptys) with ptmx" case_dev_pts

case_dev_shm_writable() {
	hutch --ro-bind / / --dev /dev sh -c 'echo x >/dev/shm/f && cat /dev/shm/f'
	assert_ok || return
	assert_eq x "$out" "payload output"
}
tcase "--dev: /dev/shm is writable" case_dev_shm_writable

# ---------------------------------------------------------------- order

case_order_tmpfs_then_dir() {
	hutch $HOST --tmpfs /tmp/a --dir /tmp/a/keep ls -A /tmp/a
	assert_ok || return
	assert_eq keep "$out" "contents of /tmp/a"
}
tcase "ops run in order: --tmpfs X then --dir X/keep leaves keep" case_order_tmpfs_then_dir

case_order_dir_then_tmpfs() {
	hutch $HOST --dir /tmp/a/keep --tmpfs /tmp/a sh -c 'ls -A /tmp/a; echo end'
	assert_ok || return
	assert_eq end "$out" "contents of /tmp/a"
}
tcase "ops run in order: --dir X/keep then --tmpfs X hides keep" case_order_dir_then_tmpfs

case_order_perms_next_only() {
	hutch $HOST --perms 0700 --dir /tmp/a --dir /tmp/b --perms 0750 --tmpfs /tmp/c stat -c '%n %a' /tmp/a /tmp/b /tmp/c
	assert_ok || return
	assert_eq "/tmp/a 700
/tmp/b 755
/tmp/c 750" "$out" "modes"
}
tcase "--perms modifies only the next op" case_order_perms_next_only

case_order_bind_over_bind() {
	mkdir -p "$T/one" "$T/two"
	echo one >"$T/one/f"
	echo two >"$T/two/f"
	hutch $HOST --ro-bind "$T/one" /tmp/x --ro-bind "$T/two" /tmp/x cat /tmp/x/f
	assert_ok || return
	assert_eq two "$out" "the later bind wins"
}
tcase "ops run in order: the later bind on the same destination wins" case_order_bind_over_bind

case_mount_over_root_then_ops() {
	# A mount on the new root's own "/" (here through a symlink to it)
	# covers everything made before; the ops after it, mounts or not,
	# must land on top of it.
	hutch --dir /old --symlink / /old/to-root --tmpfs /old/to-root --dir /new1 --symlink new1 /new2 \
		--dir /new2/inside $MINI --dir /new3 sh -c 'ls -A /; echo --; ls -A /new1'
	assert_ok || return
	assert_eq "bin
lib
lib64
new1
new2
new3
usr
--
inside" "$out" "the root after a tmpfs mounted on it through a symlink"
}
tcase "a mount on / through a symlink covers what came before; later ops land on it" case_mount_over_root_then_ops

# ---------------------------------------------------------------- isolation

case_only_bound_visible() {
	hutch $MINI --proc /proc --tmpfs /tmp sh -c 'ls -A /; echo --; ls -A /tmp'
	assert_ok || return
	assert_eq "bin
lib
lib64
proc
tmp
usr
--" "$out" "root and /tmp listing"
}
tcase "nothing of the host that was not bound is in the new root" case_only_bound_visible

case_no_temp_mountpoint() {
	hutch $MINI --proc /proc --dev /dev --tmpfs /tmp cut -d' ' -f5 /proc/self/mountinfo
	assert_ok || return
	_unexpected=$(printf '%s\n' "$out" | grep -Ev '^(/|/usr|/usr/.*|/proc|/proc/.*|/dev|/dev/.*|/tmp)$')
	assert_eq "" "$_unexpected" "mount points other than the requested ones"
	_roots=$(printf '%s\n' "$out" | grep -c '^/$')
	assert_eq 1 "$_roots" "number of mounts on /"
}
tcase "mountinfo shows only the requested mounts (no temporary or old root)" case_no_temp_mountpoint

case_no_temp_mountpoint_hostroot() {
	hutch --ro-bind / / --tmpfs /tmp sh -c 'ls -A /tmp; echo --; cat /proc/self/mountinfo'
	assert_ok || return
	assert_no_match "$out" ' /tmp/[^ ]* ' "mounts under the sandbox's /tmp"
	assert_no_match "$out" ' /(newroot|oldroot)[ /]' "mountinfo"
	_first=$(printf '%s\n' "$out" | head -n 1)
	assert_eq -- "$_first" "the new /tmp is empty"
}
tcase "no temporary mount point under /tmp or anywhere" case_no_temp_mountpoint_hostroot

case_old_root_gone() {
	# From inside, the host's root must not be reachable through / or ..
	hutch $MINI --proc /proc sh -c 'cd /; cd ..; ls -A; echo --; ls -A /proc/self/root/'
	assert_ok || return
	assert_eq "bin
lib
lib64
proc
usr
--
bin
lib
lib64
proc
usr" "$out" "listing of / via .. and via /proc/self/root"
}
tcase "the old root is detached: / and .. and /proc/self/root stay in the sandbox" case_old_root_gone

# ---------------------------------------------------------------- escapes

case_dotdot_dest() {
	mkdir -p "$T/esc1"
	chmod 0777 "$T/esc1"
	hutch $MINI --dir "/a/../../../../..$T/esc1/made-by-dir" --tmpfs "/b/../../..$T/esc1/made-by-tmpfs" true
	assert_true "--dir with .. did not create on the host" test ! -e "$T/esc1/made-by-dir"
	assert_true "--tmpfs with .. did not mount on the host" test ! -e "$T/esc1/made-by-tmpfs"
	assert_eq "" "$(ls -A "$T/esc1")" "host dir after the run"
}
tcase "a destination with .. never leads onto the host" case_dotdot_dest

case_dotdot_dest_inside() {
	[ "$HUTCH_IS_BWRAP" -eq 0 ] || { skip "bwrap resolves .. differently (hutch: inside the new root)"; return; }
	hutch $MINI --dir "/a/../../../x/y" sh -c 'ls -d /x/y'
	assert_ok || return
	assert_eq /x/y "$out" "where the dir went"
}
tcase "a destination with .. is resolved inside the new root" case_dotdot_dest_inside

case_symlink_parent() {
	mkdir -p "$T/esc2/target"
	chmod -R 0777 "$T/esc2"
	echo data >"$T/esc2/src"
	hutch_in $MINI --symlink "$T/esc2/target" /link --dir /link/by-dir --file 3 /link/by-file --ro-bind "$T/esc2/src" /link/by-bind true 3<"$T/esc2/src" </dev/null
	assert_eq "" "$(ls -A "$T/esc2/target")" "host dir the symlink points at"
	hutch $MINI --symlink "$T/esc2/target" /link --tmpfs /link/by-tmpfs true
	assert_eq "" "$(ls -A "$T/esc2/target")" "host dir after --tmpfs through the link"
	if awk -v p="$T/esc2/target" '$5 ~ "^" p { found = 1 } END { exit !found }' /proc/self/mountinfo; then
		fail "a mount appeared on the host under $T/esc2/target"
	fi
}
tcase "a destination under a symlink to a host path never writes to the host" case_symlink_parent

case_symlink_parent_relative() {
	mkdir -p "$T/esc3"
	chmod 0777 "$T/esc3"
	hutch $MINI --symlink "../../../../../../..$T/esc3" /rel --dir /rel/made true
	assert_eq "" "$(ls -A "$T/esc3")" "host dir after --dir through a ../ link"
}
tcase "a relative symlink climbing with .. never leads onto the host" case_symlink_parent_relative

case_mount_error_names_newroot() {
	# bwrap names the destination of a failed filesystem mount as it
	# sees it during setup, under /newroot; clients match on that. An
	# unprivileged caller sharing the IPC namespace may not mount mqueue.
	need_nonroot || return
	hutch --ro-bind / / --dev /dev --mqueue /dev/mqueue true
	assert_error_run "$(basename "$HUTCH"): Can't mount mqueue on /newroot/dev/mqueue: "
}
tcase "a failed mqueue mount names /newroot/dev/mqueue" case_mount_error_names_newroot

finish
