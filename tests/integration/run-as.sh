#!/bin/sh
# run-as.sh MODE SCRIPT — run one integration script as real root or as an
# unprivileged user, so that a single `meson test` covers both.
#
#   MODE=root  needs uid 0; anyone else gets a TAP "1..0 # SKIP".
#   MODE=user  runs the script as the caller when the caller is not root.
#              Started as root, it drops to $HUTCH_TEST_USER (default
#              hutchtest): the hutch binary, the scripts and the helpers are
#              copied into a fresh world-readable directory under /tmp (the
#              build tree may live under an unreadable /root), and the script
#              runs there through setpriv with a clean, minimal environment.
#              The directory is removed afterwards.
#
# HUTCH must name the binary under test; HUTCH_TEST_TIMEOUT and
# HUTCH_TEST_FORCE_LEGACY_MOUNT (hutch's switch to its mount(2) fallback)
# are passed through to the user run. HUTCH_TESTS_MUST_WORK=1 turns
# "cannot run this mode" into a failure where the mode is expected to work
# (a missing test user when started as root).
#
# Owns: privilege dropping and the copied tree. Must not: touch anything
# outside its own mktemp directory.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 root|user SCRIPT" >&2
	exit 2
fi
mode=$1
script=$2
must_work=${HUTCH_TESTS_MUST_WORK:-0}
uid=$(id -u)

: "${HUTCH:?HUTCH must point at the binary under test}"

case $script in
/*) ;;
*) script=$(pwd)/$script ;;
esac
srcdir=$(dirname "$script")
name=$(basename "$script")

tap_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

tap_fail_all() {
	echo "1..1"
	echo "not ok 1 - $*"
	exit 1
}

case $mode in
root)
	[ "$uid" -eq 0 ] || tap_skip_all "not running as root"
	exec sh "$script"
	;;
user)
	if [ "$uid" -ne 0 ]; then
		exec sh "$script"
	fi
	;;
*)
	echo "run-as.sh: unknown mode '$mode' (want root or user)" >&2
	exit 2
	;;
esac

# Root, asked for the unprivileged run: drop to the test user.
user=${HUTCH_TEST_USER:-hutchtest}
if ! pw=$(getent passwd "$user"); then
	if [ "$must_work" = 1 ]; then
		tap_fail_all "test user '$user' does not exist (run tests/setup-test-user.sh as root)"
	fi
	tap_skip_all "test user '$user' does not exist (run tests/setup-test-user.sh as root)"
fi
if ! command -v setpriv >/dev/null 2>&1; then
	[ "$must_work" = 1 ] && tap_fail_all "setpriv (util-linux) is not installed"
	tap_skip_all "setpriv (util-linux) is not installed"
fi
user_home=$(echo "$pw" | cut -d: -f6)
[ -d "$user_home" ] || user_home=/

work=$(mktemp -d /tmp/hutch-run-as.XXXXXXXX)
cleanup() {
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
chmod 0755 "$work"

# The binary keeps its basename: messages are prefixed with it.
mkdir "$work/bin" "$work/integration"
bin="$work/bin/$(basename "$HUTCH")"
cp "$HUTCH" "$bin"
chmod 0755 "$bin"
cp "$srcdir"/*.sh "$work/integration/"
# Helper programs (tests/helpers, built by meson) when the build provides them.
if [ -n "${HUTCH_TEST_HELPERS:-}" ] && [ -d "$HUTCH_TEST_HELPERS" ]; then
	mkdir "$work/helpers"
	cp -R "$HUTCH_TEST_HELPERS"/. "$work/helpers/"
fi
chmod -R a+rX "$work"

cd "$work"
status=0
setpriv --reuid="$user" --regid="$user" --init-groups \
	env -i \
	HOME="$user_home" \
	USER="$user" \
	LOGNAME="$user" \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	LANG=C.UTF-8 \
	HUTCH="$bin" \
	HUTCH_TESTS_MUST_WORK="$must_work" \
	${HUTCH_TEST_TIMEOUT:+HUTCH_TEST_TIMEOUT="$HUTCH_TEST_TIMEOUT"} \
	${HUTCH_TEST_HELPERS:+HUTCH_TEST_HELPERS="$work/helpers"} \
	${HUTCH_TEST_FORCE_LEGACY_MOUNT:+HUTCH_TEST_FORCE_LEGACY_MOUNT="$HUTCH_TEST_FORCE_LEGACY_MOUNT"} \
	${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
	${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
	sh "$work/integration/$name" || status=$?
exit "$status"
