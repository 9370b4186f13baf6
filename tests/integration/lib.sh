# lib.sh — TAP helpers for hutch's integration scripts (POSIX sh).
#
# Owns: TAP output (numbering, ok/not ok/skip, diagnostics), running
# "$HUTCH" with its stdout, stderr and exit status captured, assertions
# that explain themselves when they fail, the "can hutch start at all?"
# probe, and a scratch directory that is removed on exit.
# Must not: assume it runs as root, or leave anything behind on the host.
#
# A script sources this file, defines one shell function per case and
# runs each with `tcase "description" function [args...]`, then calls
# `finish`. Inside a case:
#   hutch ARGS...            run "$HUTCH" ARGS; sets $out, $err, $rc
#   assert_rc N              the last run exited with N
#   assert_eq EXP GOT WHAT   string equality
#   assert_contains HAY NEEDLE WHAT / assert_not_contains
#   assert_match HAY ERE WHAT (grep -E on any line)
#   assert_first_line TEXT WHAT
#   assert_true WHAT CMD... / fail WHAT
#   skip REASON              mark the case skipped and stop checking it
# Cases may also use $T (scratch dir), $HOST_UID, $IS_ROOT, and the
# feature tests below.
#
# Environment:
#   HUTCH                    binary under test (required); /usr/bin/bwrap works
#   HUTCH_TESTS_MUST_WORK=1  a hutch that cannot start is a failure, not a skip
#   HUTCH_TEST_TIMEOUT       seconds one hutch run may take (default 60)

set -u

if [ -z "${HUTCH:-}" ]; then
	echo "Bail out! HUTCH is not set (point it at the hutch binary)"
	exit 1
fi
case $HUTCH in
/*) ;;
*) HUTCH=$(cd "$(dirname "$HUTCH")" && pwd)/$(basename "$HUTCH") ;;
esac
export HUTCH

MUST_WORK=${HUTCH_TESTS_MUST_WORK:-0}
TIMEOUT=${HUTCH_TEST_TIMEOUT:-60}
HOST_UID=$(id -u)
HOST_GID=$(id -g)
if [ "$HOST_UID" -eq 0 ]; then IS_ROOT=1; else IS_ROOT=0; fi

_tap_n=0
_tap_failed=0
_case_failed=0
_case_skip=
_probe_error=

T=$(mktemp -d "${TMPDIR:-/tmp}/hutch-it.XXXXXXXX") || {
	echo "Bail out! cannot create a scratch directory"
	exit 1
}
chmod 0755 "$T"
_cleanup_scratch() {
	# A test may have made read-only dirs; make everything removable.
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}
trap '_cleanup_scratch' EXIT
trap '_cleanup_scratch; exit 129' HUP
trap '_cleanup_scratch; exit 130' INT
trap '_cleanup_scratch; exit 143' TERM
trap '_cleanup_scratch; exit 141' PIPE

# ---------------------------------------------------------------- helpers

# HELPERS: the directory of the tests/helpers programs meson builds, from
# HUTCH_TEST_HELPERS (meson and run-as.sh set it), else, for a script run
# by hand from the source tree, the default build directory next to it
# (found through the script's $HERE); empty when there is neither.
HELPERS=${HUTCH_TEST_HELPERS:-}
if [ -z "$HELPERS" ] && [ -n "${HERE:-}" ]; then
	_d=$(cd "$HERE/../.." 2>/dev/null && pwd)/build/tests/helpers
	[ -d "$_d" ] && HELPERS=$_d
fi

# need_helper PATH — skip the case unless the helper program exists.
need_helper() {
	if [ -z "$1" ] || [ ! -x "$1" ]; then
		skip "needs the test helper ${1:-(HUTCH_TEST_HELPERS is not set)} (meson builds tests/helpers)"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- TAP

diag() {
	# Every line of the arguments, as a TAP comment.
	printf '%s\n' "$*" | sed 's/^/# /'
}

_diag_block() {
	# _diag_block LABEL TEXT — a labelled, indented block (skipped when empty).
	if [ -n "$2" ]; then
		printf '#   %s:\n' "$1"
		printf '%s\n' "$2" | head -n 40 | sed 's/^/#     | /'
	else
		printf '#   %s: (empty)\n' "$1"
	fi
}

fail() {
	_case_failed=1
	diag "FAILED: $*"
}

skip() {
	_case_skip=$*
}

# tcase DESCRIPTION FUNCTION [ARGS...] — run one case and print its TAP line.
tcase() {
	_desc=$1
	shift
	_tap_n=$((_tap_n + 1))
	_case_failed=0
	_case_skip=
	if [ -n "$_probe_error" ]; then
		echo "ok $_tap_n - $_desc # SKIP hutch cannot start here: $_probe_error"
		return 0
	fi
	# Each case starts with a clean run state.
	out='' err='' rc='' _last_cmd=''
	# The case's diagnostics are collected, then shown on stdout (TAP
	# comments) and, for a failed case, on stderr too, so that
	# `meson test --print-errorlogs` shows why.
	if command -v "$1" >/dev/null 2>&1; then
		"$@" >"$T/.case-diag"
	else
		fail "test script bug: no case function '$1'" >"$T/.case-diag"
	fi
	cat "$T/.case-diag"
	if [ -n "$_case_skip" ] && [ "$_case_failed" -eq 0 ]; then
		echo "ok $_tap_n - $_desc # SKIP $_case_skip"
	elif [ "$_case_failed" -ne 0 ]; then
		echo "not ok $_tap_n - $_desc"
		{
			echo "not ok $_tap_n - $_desc"
			cat "$T/.case-diag"
		} >&2
		_tap_failed=$((_tap_failed + 1))
	else
		echo "ok $_tap_n - $_desc"
	fi
	return 0
}

finish() {
	echo "1..$_tap_n"
	if [ "$_tap_failed" -ne 0 ]; then
		diag "$_tap_failed of $_tap_n cases failed"
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------- running

_last_cmd=

_q() {
	# Shell-quote each argument for diagnostics.
	for _a in "$@"; do
		case $_a in
		*[!A-Za-z0-9_./=:,+@%-]* | '') printf "'%s' " "$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s ' "$_a" ;;
		esac
	done
}

_timeout() {
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 5 "$TIMEOUT" "$@"
	else
		"$@"
	fi
}

# hutch ARGS... — run "$HUTCH" ARGS with stdin from /dev/null unless the
# caller redirects it; sets $out, $err (trailing newlines stripped) and $rc.
hutch() {
	run_cmd "$HUTCH" "$@"
}

# hutch_in ARGS... — like hutch, but stdin is inherited (for `<` redirects
# and numbered fds given by the caller).
hutch_in() {
	run_cmd_in "$HUTCH" "$@"
}

run_cmd() {
	run_cmd_in "$@" </dev/null
}

run_cmd_in() {
	_last_cmd=$(_q "$@")
	_timeout "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
	if [ "$rc" -eq 124 ]; then
		diag "note: rc=$rc, the command may have hit the ${TIMEOUT}s timeout"
	fi
	return 0
}

_show_run() {
	if [ ${#_last_cmd} -gt 600 ]; then
		printf '#   command: %.600s... (%d characters)\n' "$_last_cmd" ${#_last_cmd}
	else
		printf '#   command: %s\n' "$_last_cmd"
	fi
	printf '#   exit status: %s\n' "$rc"
	_diag_block stdout "$out"
	_diag_block stderr "$err"
}

# ---------------------------------------------------------------- assertions

assert_rc() {
	if [ "$rc" != "$1" ]; then
		fail "${2:-exit status} expected $1, got $rc"
		_show_run
		return 1
	fi
	return 0
}

# assert_ok — the last run exited 0 (a shorthand that shows everything).
assert_ok() {
	assert_rc 0 "${1:-exit status}"
}

assert_eq() {
	if [ "$1" != "$2" ]; then
		fail "${3:-value} differs"
		_diag_block expected "$1"
		_diag_block got "$2"
		[ -n "$_last_cmd" ] && _show_run
		return 1
	fi
	return 0
}

assert_ne() {
	if [ "$1" = "$2" ]; then
		fail "${3:-value} should differ from '$1' but is equal"
		[ -n "$_last_cmd" ] && _show_run
		return 1
	fi
	return 0
}

assert_contains() {
	case $1 in
	*"$2"*) return 0 ;;
	esac
	fail "${3:-text} does not contain '$2'"
	_diag_block text "$1"
	[ -n "$_last_cmd" ] && _show_run
	return 1
}

assert_not_contains() {
	case $1 in
	*"$2"*)
		fail "${3:-text} contains '$2' but must not"
		_diag_block text "$1"
		[ -n "$_last_cmd" ] && _show_run
		return 1
		;;
	esac
	return 0
}

assert_match() {
	if printf '%s\n' "$1" | grep -Eq -e "$2"; then
		return 0
	fi
	fail "${3:-text} has no line matching /$2/"
	_diag_block text "$1"
	[ -n "$_last_cmd" ] && _show_run
	return 1
}

assert_no_match() {
	if printf '%s\n' "$1" | grep -Eq -e "$2"; then
		fail "${3:-text} has a line matching /$2/ but must not"
		_diag_block text "$1"
		[ -n "$_last_cmd" ] && _show_run
		return 1
	fi
	return 0
}

assert_first_line() {
	_fl=$(printf '%s\n' "$1" | head -n 1)
	assert_eq "$2" "$_fl" "${3:-first line}"
}

# assert_true WHAT CMD... — CMD succeeds (runs on the host).
assert_true() {
	_what=$1
	shift
	if ! "$@"; then
		fail "$_what (host check failed: $(_q "$@"))"
		return 1
	fi
	return 0
}

# assert_error_run EXPECTED_STDERR_LINE — the last run failed with status 1
# and its stderr contains EXPECTED (bwrap-style one-line message).
assert_error_run() {
	assert_rc 1 "exit status" || return 1
	assert_contains "$err" "$1" "stderr"
}

# ---------------------------------------------------------------- features

# What the binary under test is: real bubblewrap (for validating the tests
# themselves) or hutch.
HUTCH_VERSION_LINE=$("$HUTCH" --version 2>/dev/null | head -n 1)
case $HUTCH_VERSION_LINE in
"bubblewrap "*)
	HUTCH_IS_BWRAP=1
	BWRAP_VERSION=${HUTCH_VERSION_LINE#bubblewrap }
	;;
*)
	HUTCH_IS_BWRAP=0
	BWRAP_VERSION=
	;;
esac

_ver_num() {
	# 0.8.0 -> 8000 ; 0.11.1 -> 11001 (enough for 0.x.y)
	echo "$1" | awk -F. '{ printf "%d\n", ($1 * 1000000) + ($2 * 1000) + $3 }'
}

# bwrap_before VERSION — true when the binary under test is a real bwrap
# older than VERSION (so a case for a newer option can be skipped).
bwrap_before() {
	[ "$HUTCH_IS_BWRAP" -eq 1 ] || return 1
	[ "$(_ver_num "$BWRAP_VERSION")" -lt "$(_ver_num "$1")" ]
}

# need_bwrap VERSION WHAT — skip the case when running real bwrap < VERSION.
need_bwrap() {
	if bwrap_before "$1"; then
		skip "$2 needs bwrap >= $1 (testing bwrap $BWRAP_VERSION)"
		return 1
	fi
	return 0
}

need_root() {
	if [ "$IS_ROOT" -ne 1 ]; then
		skip "needs real root (running as uid $HOST_UID)"
		return 1
	fi
	return 0
}

need_nonroot() {
	if [ "$IS_ROOT" -eq 1 ]; then
		skip "needs an unprivileged user (running as root)"
		return 1
	fi
	return 0
}

need_cmd() {
	for _c in "$@"; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			skip "needs $_c on the host"
			return 1
		fi
	done
	return 0
}

# ---------------------------------------------------------------- probe

# Can hutch start a sandbox here at all?  If not, every case is skipped
# with the reason — unless HUTCH_TESTS_MUST_WORK=1, where that is a failure.
probe_hutch() {
	if [ ! -x "$HUTCH" ]; then
		_probe_error="$HUTCH is not an executable file"
	else
		_timeout "$HUTCH" --ro-bind / / true </dev/null >"$T/.probe" 2>&1
		_prc=$?
		if [ "$_prc" -ne 0 ]; then
			_probe_error="'$HUTCH --ro-bind / / true' exited $_prc: $(head -n 1 "$T/.probe")"
		fi
	fi
	if [ -n "$_probe_error" ]; then
		if [ "$MUST_WORK" = 1 ]; then
			_tap_n=$((_tap_n + 1))
			_tap_failed=$((_tap_failed + 1))
			echo "not ok $_tap_n - hutch can start a sandbox (HUTCH_TESTS_MUST_WORK=1)"
			diag "$_probe_error"
			echo "hutch cannot start a sandbox: $_probe_error" >&2
		else
			diag "hutch cannot start a sandbox here; skipping every case"
			diag "$_probe_error"
		fi
	fi
}

# Cases that only exercise the parser (no sandbox) can run even when the
# probe failed: `tcase_noprobe` ignores the probe result.
tcase_noprobe() {
	_saved_probe=$_probe_error
	_probe_error=
	tcase "$@"
	_probe_error=$_saved_probe
}

# ---------------------------------------------------------------- helpers

# ns_inode NAME — the namespace inode of the calling shell, e.g. ns_inode pid
ns_inode() {
	readlink "/proc/self/ns/$1" 2>/dev/null
}

# mkfile PATH CONTENT — create a host file in the scratch dir.
mkfile() {
	mkdir -p "$(dirname "$1")"
	printf '%s' "$2" >"$1"
}

diag "testing $HUTCH ($HUTCH_VERSION_LINE) as uid $HOST_UID"
probe_hutch
