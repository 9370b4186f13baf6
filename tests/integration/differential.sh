#!/bin/sh
# differential.sh — the same command lines under bwrap and hutch.
#
# hutch is run through a symlink named `bwrap`, so its messages carry the
# same prefix and the comparison is exact: stdout, stderr and the exit
# status must match. Skipped when no bwrap is installed. Only behaviour
# that did not change between bwrap 0.8 (Debian 12) and 0.11.1 is compared.
. "$(dirname "$0")/lib.sh"

BWRAP=${HUTCH_TEST_BWRAP:-$(command -v bwrap 2>/dev/null || true)}
mkdir -p "$T/bin"
ln -s "$HUTCH" "$T/bin/bwrap"
AS_BWRAP=$T/bin/bwrap
printf 'file data\n' >"$T/data"
mkdir -p "$T/cwd"

# same DESCRIPTION ARGS... — run ARGS under both, compare everything.
# With FD5=FILE set, each run gets FILE opened afresh on fd 5.
same() {
	_d=$1
	shift
	tcase "$_d" _same_case "$@"
}

# same_unprivileged — cases where hutch differs from bwrap for real root
# on purpose: bwrap leaves root's capabilities alone unless --cap-* is
# used; hutch drops them all unless --cap-add keeps some.
same_unprivileged() {
	_d=$1
	shift
	tcase "$_d" _same_unprivileged_case "$@"
}

_same_unprivileged_case() {
	need_nonroot || return
	_same_case "$@"
}

_run_one() {
	if [ -n "${FD5:-}" ]; then
		(cd "$T/cwd" && run_cmd "$@" 5<"$FD5"; printf '%s\n%s\n%s' "$rc" "$out" "$err")
	else
		(cd "$T/cwd" && run_cmd "$@"; printf '%s\n%s\n%s' "$rc" "$out" "$err")
	fi
}

_same_case() {
	if [ -z "$BWRAP" ] || [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "needs bubblewrap installed next to hutch"
		return
	fi
	_run_one "$BWRAP" "$@" >"$T/.bw"
	_run_one "$AS_BWRAP" "$@" >"$T/.hu"
	if ! cmp -s "$T/.bw" "$T/.hu"; then
		fail "bwrap and hutch differ (lines: exit status, stdout, stderr)"
		printf '#   command: %s\n' "$(_q "$@")"
		_diag_block bwrap "$(cat "$T/.bw")"
		_diag_block hutch "$(cat "$T/.hu")"
	fi
}

R="--ro-bind / /"

# Exit status.
same "exit 0" $R true
same "exit 7" $R sh -c 'exit 7'
same "exit 255" $R sh -c 'exit 255'
same "killed by SIGTERM is 143" $R sh -c 'kill -TERM $$'
same "killed by SIGKILL under pid 1 is 137" $R --unshare-pid sh -c 'kill -KILL $$'
same "command not found" $R /nonexistent/cmd
same "not executable" $R /etc/passwd

# The probes clients run to see whether bwrap works.
same "probe: bind / on /" --bind / / true
same "probe: --perms 0700 --dir / then bind /" --perms 0700 --dir / --bind / / true
same "probe: fake root" --ro-bind / / --unshare-user --uid 0 --gid 0 id -u

# Identity and namespaces.
same "uid" $R id -u
same "gid" $R id -g
same "fake root" $R --unshare-user --uid 0 --gid 0 id -u
same "custom ids" $R --unshare-user --uid 1234 --gid 5678 sh -c 'id -u; id -g; cat /proc/self/setgroups'
same "uid map" $R --unshare-user --uid 77 sh -c 'awk "{print \$1, \$3}" /proc/self/uid_map'
same "payload is pid 2 under a reaper" $R --unshare-pid sh -c 'echo $$'
same "payload is pid 1 with --as-pid-1" $R --unshare-pid --as-pid-1 sh -c 'echo $$'
same "hostname" $R --unshare-uts --hostname sandbox-name hostname
same "only loopback with --unshare-net" $R --unshare-net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
same "ipc namespace differs" $R --unshare-ipc sh -c "test \"\$(readlink /proc/self/ns/ipc)\" != '$(ns_inode ipc)' && echo new"

# Capabilities and privileges.
same_unprivileged "no capabilities" $R grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
same "no_new_privs" $R grep NoNewPrivs /proc/self/status
same_unprivileged "cap-add in a user namespace" $R --unshare-user --cap-add CAP_NET_RAW grep -E '^Cap(Prm|Eff|Bnd|Amb)' /proc/self/status
same_unprivileged "cap-add ALL then drop" $R --unshare-user --uid 0 --cap-add ALL --cap-drop CAP_SYS_ADMIN grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
same "unknown cap" $R --cap-add CAP_NOPE true

# Environment and cwd.
same "setenv and unsetenv" $R --setenv HUTCH_A b --unsetenv HOME sh -c 'echo "$HUTCH_A ${HOME-unset}"'
same "clearenv keeps PWD only" $R --clearenv /usr/bin/env
same "chdir" $R --chdir /etc sh -c 'pwd; echo $PWD'
same "default cwd is the caller's" $R sh -c 'pwd; echo $PWD'
same "cwd missing inside falls back to HOME" --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --dir /home/me --setenv HOME /home/me /bin/sh -c 'pwd'
same "chdir to a missing dir" $R --chdir /nonexistent true

# Filesystem.
same "tmpfs mode" $R --tmpfs /tmp stat -c %a /tmp
same "tmpfs with perms" $R --perms 0700 --tmpfs /tmp stat -c %a /tmp
same "dir with missing parents" $R --tmpfs /tmp --dir /tmp/a/b stat -c '%n %a' /tmp/a /tmp/a/b
same "dir with perms" $R --tmpfs /tmp --perms 0710 --dir /tmp/d stat -c %a /tmp/d
same "symlink" $R --tmpfs /tmp --symlink some/target /tmp/l readlink /tmp/l
# (Not compared: a repeated identical --symlink, an error in bwrap 0.8
# and accepted since 0.9, as hutch does.)
FD5=$T/data
same "file from fd" $R --tmpfs /tmp --file 5 /tmp/f sh -c 'cat /tmp/f; stat -c %a /tmp/f'
same "bind-data from fd" $R --tmpfs /tmp --bind-data 5 /tmp/f sh -c 'cat /tmp/f; stat -c %a /tmp/f'
same "ro-bind-data is read-only" $R --tmpfs /tmp --ro-bind-data 5 /tmp/f sh -c 'echo x >>/tmp/f'
same "perms on file from fd" $R --tmpfs /tmp --perms 0640 --file 5 /tmp/f stat -c %a /tmp/f
FD5=
same "chmod" $R --tmpfs /tmp --dir /tmp/d --chmod 0701 /tmp/d stat -c %a /tmp/d
same "ro-bind is read-only" $R --tmpfs /tmp --ro-bind "$T" /tmp/x touch /tmp/x/new
same "bind is writable" $R --tmpfs /tmp --bind "$T/cwd" /tmp/x sh -c 'touch /tmp/x/new && echo made'
same "remount-ro" $R --tmpfs /tmp --remount-ro /tmp touch /tmp/x
same "dev contents" $R --dev /dev ls -A /dev
same "dev nodes" $R --dev /dev sh -c 'head -c 4 /dev/zero | od -An -tx1; echo x >/dev/null && echo null-ok'
# (How many processes a pipeline shows at once is timing; that the
# reaper is 1, the payload 2, and host pids are absent is not.)
same "proc with pid namespace" $R --unshare-pid --proc /proc sh -c 'echo $$; test -d /proc/1 && echo has-1; n=$(ls /proc | grep -cE "^[0-9]+$"); [ "$n" -le 8 ] && echo few'
same "bind-try skips a missing source" $R --bind-try /nonexistent /nope sh -c 'test -e /nope || echo skipped'

same "missing parents of a bind are 0700" $R --tmpfs /tmp --ro-bind /etc /tmp/a/b/etc stat -c %a /tmp/a /tmp/a/b
same "missing parents of a dir are 0755" $R --tmpfs /tmp --dir /tmp/a/b/c stat -c %a /tmp/a /tmp/a/b
same "dir on an existing dir keeps its mode" $R --perms 0700 --dir /tmp stat -c %a /tmp
same "proc without a pid namespace" $R --proc /proc sh -c 'test -r /proc/self/status && echo readable'
same "devpts in dev" $R --dev /dev sh -c 'ls -A /dev/pts; readlink /dev/ptmx'
same "mountinfo shows no setup mounts" $R --tmpfs /tmp sh -c 'grep -cE "oldroot|newroot" /proc/self/mountinfo'
same "bind a file" $R --tmpfs /tmp --ro-bind /etc/hostname /tmp/h cat /tmp/h
same "bind a dir onto a file" $R --tmpfs /tmp --ro-bind /etc/hostname /tmp/h --ro-bind /etc /tmp/h true
same "ops in order: tmpfs hides an earlier dir" $R --tmpfs /tmp --dir /tmp/a --tmpfs /tmp sh -c 'ls -A /tmp | wc -l'
same "with --unshare-all" $R --unshare-all --proc /proc --dev /dev sh -c 'hostname; id -u; echo $$'

# Errors.
same "missing source" $R --bind /nonexistent /x true
same "unknown option" --bogus
same "missing arguments" --bind /a
same "bad octal" --perms 999 --dir /x true
same "zero size" --size 0 --tmpfs /x true
same "size before dir" --size 10 --dir /x true
same "perms twice" --perms 0700 --perms 0600 --dir /x true
same "perms before a bind" --perms 0700 --bind / / true
same "bad uid" --uid abc true
same "hostname without uts" $R --hostname x true
same "as-pid-1 without pid namespace" $R --as-pid-1 true
same "args from a closed fd" --args 99 true
same "repeated chdir warns" $R --chdir / --chdir /etc pwd

finish
