#!/bin/sh
# run.sh DIR [COMMAND [ARG...]] — launch the app that build-runtime.sh put
# in DIR the way flatpak launches an app: every sandbox option travels in
# an --args fd, the runtime and the app are mounted read-only, the
# sandbox reports its pid on --info-fd before it is let go through
# --block-fd, and --sync-fd tells us when the very last process of the
# sandbox is gone. COMMAND defaults to /app/bin/hello.sh.
#
# Environment:
#   HUTCH            the sandbox binary (default: ../build/hutch next to
#                    this script; "bwrap" works too)
#   SECCOMP          which seccomp filter the app gets:
#                      auto    (default) hutch's `desktop` preset when this
#                              hutch has --seccomp-preset, else "fd"
#                      preset  --seccomp-preset desktop
#                      fd      a filter compiled by SECCOMP_COMPILE, passed
#                              as --seccomp FD (what flatpak does with
#                              libseccomp; also works with bwrap)
#                      none    no filter
#   SECCOMP_COMPILE  tests/helpers/seccomp-compile, for SECCOMP=fd
#                    (default: ../build/tests/helpers/seccomp-compile);
#                    without it the app runs with no filter
#   SHARE_NET=1      keep the host network (flatpak's --share=network)
#   APP_ID           the application id (default org.example.Hello)
#
# Exit status: the app's.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
	echo "usage: $0 DIR [COMMAND [ARG...]]" >&2
	exit 2
fi
dir=$(cd "$1" && pwd)
shift
[ $# -gt 0 ] || set -- /app/bin/hello.sh

say() {
	echo "run.sh: $*"
}

hutch=${HUTCH:-$here/../build/hutch}
case $hutch in
*/*) ;;
*) hutch=$(command -v "$hutch") || {
	echo "run.sh: $HUTCH not found on PATH" >&2
	exit 1
} ;;
esac
if [ ! -x "$hutch" ]; then
	echo "run.sh: $hutch is not executable (build hutch, or set HUTCH)" >&2
	exit 1
fi
if [ ! -x "$dir/app/bin/hello.sh" ] || [ ! -x "$dir/usr/bin/sh" ]; then
	echo "run.sh: $dir has no runtime/app; run build-runtime.sh $dir first" >&2
	exit 1
fi

app_id=${APP_ID:-org.example.Hello}
uid=$(id -u)
gid=$(id -g)
user=$(id -un 2>/dev/null || echo user)
group=$(id -gn 2>/dev/null || echo group)

work=$(mktemp -d "${TMPDIR:-/tmp}/hutch-flatpak-example.XXXXXX")
cleanup() {
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# ---------------------------------------------------------------- files the sandbox gets

# /.flatpak-info: what flatpak writes for every instance (a keyfile the
# app and the portals read to learn who is running).
cat >"$work/flatpak-info" <<EOF
[Application]
name=$app_id
runtime=runtime/org.example.Platform/$(uname -m)/1

[Instance]
instance-id=$$
app-path=$dir/app
runtime-path=$dir/usr
flatpak-version=hutch-example
session-bus-proxy=false
system-bus-proxy=false
EOF

# A minimal passwd and group naming only the caller.
printf '%s:x:%s:%s::/tmp:/bin/sh\n' "$user" "$uid" "$gid" >"$work/passwd"
printf '%s:x:%s:\n' "$group" "$gid" >"$work/group"

# The instance's lock file: while a sandbox holds a read lock on it,
# flatpak knows the instance is alive (`lslocks` shows it).
mkdir "$work/instance"
: >"$work/instance/.ref"

# The seccomp filter. hutch's `desktop` preset is the filter flatpak
# would install; a hutch without --seccomp-preset (or bwrap) gets an
# equivalent compiled here and passed as --seccomp FD.
seccomp=${SECCOMP:-auto}
if [ "$seccomp" = auto ]; then
	if "$hutch" --help 2>/dev/null | grep -q -- '--seccomp-preset'; then
		seccomp=preset
	else
		seccomp=fd
	fi
fi
case $seccomp in
preset | fd | none) ;;
*)
	echo "run.sh: SECCOMP must be auto, preset, fd or none, not '$seccomp'" >&2
	exit 1
	;;
esac

# The compiled filter, in the spirit of flatpak's: system calls an app
# has no business making fail with EPERM; clone3 fails with ENOSYS so
# that the C library falls back to clone (whose flags a filter could check).
seccomp_compile=${SECCOMP_COMPILE:-$here/../build/tests/helpers/seccomp-compile}
have_seccomp=0
if [ "$seccomp" != fd ]; then
	:
elif [ -x "$seccomp_compile" ]; then
	if "$seccomp_compile" \
		--errno syslog:EPERM --errno '?uselib:EPERM' --errno acct:EPERM \
		--errno quotactl:EPERM --errno add_key:EPERM --errno keyctl:EPERM \
		--errno request_key:EPERM --errno move_pages:EPERM --errno mbind:EPERM \
		--errno get_mempolicy:EPERM --errno set_mempolicy:EPERM \
		--errno migrate_pages:EPERM --errno unshare:EPERM --errno setns:EPERM \
		--errno mount:EPERM --errno umount2:EPERM --errno pivot_root:EPERM \
		--errno perf_event_open:ENOSYS --errno clone3:ENOSYS \
		>"$work/seccomp.bpf"; then
		have_seccomp=1
	else
		say "seccomp-compile failed; running without a seccomp filter" >&2
	fi
else
	say "no seccomp-compile helper ($seccomp_compile); running without a seccomp filter" >&2
fi

# ---------------------------------------------------------------- the command line

# Every option goes into one NUL-separated file handed over as --args 3,
# as flatpak does with a sealed memfd: no command-line length limit, and
# nothing of it shows in `ps`.
: >"$work/args"
arg() {
	printf '%s\0' "$@" >>"$work/args"
}

arg --unshare-all
[ "${SHARE_NET:-0}" = 1 ] && arg --share-net
arg --die-with-parent --new-session
# The runtime on /usr and the app on /app, read-only; the usual top-level
# names are symlinks into /usr, as in every flatpak runtime.
arg --ro-bind "$dir/usr" /usr --ro-bind "$dir/app" /app
arg --symlink usr/lib /lib --symlink usr/lib64 /lib64
arg --symlink usr/bin /bin --symlink usr/sbin /sbin
arg --proc /proc --dev /dev
# Private, empty /tmp and XDG_RUNTIME_DIR.
arg --tmpfs /tmp
arg --perms 0700 --tmpfs "/run/user/$uid"
arg --ro-bind "$work/passwd" /etc/passwd --ro-bind "$work/group" /etc/group
arg --ro-bind-data 7 /.flatpak-info
arg --ro-bind "$work/instance/.ref" /run/flatpak/.ref --lock-file /run/flatpak/.ref

# Display and sound sockets, each only when the host has it.
host_runtime=${XDG_RUNTIME_DIR:-/run/user/$uid}
env_extra=
wayland=$host_runtime/${WAYLAND_DISPLAY:-wayland-0}
if [ -S "$wayland" ]; then
	arg --ro-bind "$wayland" "/run/user/$uid/wayland-0"
	arg --setenv WAYLAND_DISPLAY wayland-0
	env_extra="$env_extra wayland"
fi
case ${DISPLAY:-} in
:*)
	x_num=${DISPLAY#:}
	x_num=${x_num%%.*}
	if [ -S "/tmp/.X11-unix/X$x_num" ]; then
		arg --ro-bind "/tmp/.X11-unix/X$x_num" /tmp/.X11-unix/X99
		arg --setenv DISPLAY :99.0
		env_extra="$env_extra x11"
	fi
	;;
*) ;;
esac
if [ -S "$host_runtime/pulse/native" ]; then
	arg --ro-bind "$host_runtime/pulse/native" "/run/user/$uid/pulse/native"
	arg --setenv PULSE_SERVER "unix:/run/user/$uid/pulse/native"
	env_extra="$env_extra pulseaudio"
fi

arg --clearenv
arg --setenv PATH /app/bin:/usr/bin
arg --setenv HOME /tmp
arg --setenv XDG_RUNTIME_DIR "/run/user/$uid"
arg --setenv FLATPAK_ID "$app_id"
arg --info-fd 5 --block-fd 4 --sync-fd 6
if [ "$seccomp" = preset ]; then
	arg --seccomp-preset desktop
	say "seccomp: the desktop preset (--seccomp-preset desktop)"
elif [ "$have_seccomp" = 1 ]; then
	arg --seccomp 8
	say "seccomp: a compiled filter (--seccomp 8)"
else
	say "seccomp: none"
fi

say "sockets passed:${env_extra:- none}"

# ---------------------------------------------------------------- launch

mkfifo "$work/info" "$work/block" "$work/sync"
# Our ends: 7 writes the --block-fd byte, 9 reads --sync-fd. Opening a
# fifo read-write never blocks; 8 is a temporary writer so that 9 can be
# opened now.
exec 7<>"$work/block"
exec 8<>"$work/sync" 9<"$work/sync"

# shellcheck disable=SC2094
(
	exec 7>&- 8>&- 9<&-
	[ -f "$work/seccomp.bpf" ] || : >"$work/seccomp.bpf"
	# The info fifo first: nothing may fail before it is open, or the
	# reader below would wait for a writer that never comes.
	exec "$hutch" --args 3 -- "$@" \
		5>"$work/info" 3<"$work/args" 4<"$work/block" 6>"$work/sync" \
		7<"$work/flatpak-info" 8<"$work/seccomp.bpf"
) &
sandbox=$!
exec 8>&-

# The sandbox publishes its pid before it runs anything. Read the
# document up to its closing brace (not to EOF: the fd may stay open
# while the sandbox waits on --block-fd).
info=$(sed '/^}$/q' "$work/info")
child_pid=$(printf '%s\n' "$info" | sed -n 's/^ *"child-pid": \([0-9][0-9]*\).*/\1/p')
if [ -z "$child_pid" ]; then
	say "the sandbox did not start" >&2
	exec 7>&-
	status=0
	wait "$sandbox" || status=$?
	exit "$status"
fi
say "sandbox pid (as the host sees it): $child_pid"
say "namespaces:$(printf '%s\n' "$info" | sed -n 's/^ *"\([a-z]*\)-namespace": \([0-9]*\).*/ \1=\2/p' | tr -d '\n')"

# Let it go: one byte on --block-fd.
printf x >&7
exec 7>&-

status=0
wait "$sandbox" || status=$?
say "app exited with status $status"

# --sync-fd reaches EOF only when the last process of the sandbox has
# gone (the app may leave background processes behind).
cat <&9 >/dev/null
exec 9<&-
say "sandbox gone (--sync-fd closed)"
exit "$status"
