#!/bin/bash
# tests/fuzz/smoke.sh — a short run of every libFuzzer target.
#
#   tests/fuzz/smoke.sh [-t SECONDS] [BUILDDIR]
#
# Runs each fuzzer for SECONDS (default 20, or $FUZZ_SECONDS) on a copy of
# its seed corpus in a temporary directory (the repository's corpus is
# never written), and fails if any run finds a crash, a leak, UB, or a
# timeout. BUILDDIR is a build directory configured with CC=clang and
# -Dfuzz=true; without one (or when it has no fuzzers), the script sets
# one up in a temporary directory. Needs clang (with its libFuzzer runtime).
#
# On failure the reproducer is printed (hex) and kept under the work
# directory, whose path is printed; replay it with
#   BUILDDIR/tests/fuzz/<target> <reproducer>
# (HUTCH_FUZZ_VERBOSE=1 shows fuzz-options' messages).
set -euo pipefail

seconds=${FUZZ_SECONDS:-20}
while getopts "t:h" o; do
	case $o in
	t) seconds=$OPTARG ;;
	h) sed -n '2,17p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
builddir=${1:-}

srcdir=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
fuzzdir=$srcdir/tests/fuzz
targets=(fuzz-options fuzz-args-split fuzz-subid fuzz-seccomp-policy fuzz-resolve fuzz-account)

work=$(mktemp -d "${TMPDIR:-/tmp}/hutch-fuzz-smoke.XXXXXX")
keep_work=0
cleanup() {
	if [ "$keep_work" -eq 0 ]; then
		rm -rf "$work"
	else
		echo "smoke.sh: kept $work" >&2
	fi
}
trap cleanup EXIT

if ! command -v clang >/dev/null; then
	echo "smoke.sh: clang not found" >&2
	exit 1
fi

have_fuzzers() {
	local t
	for t in "${targets[@]}"; do
		[ -f "$1/tests/fuzz/$t.p" ] || [ -d "$1/tests/fuzz/$t.p" ] || return 1
	done
}

if [ -z "$builddir" ]; then
	builddir=$work/build
fi
if [ ! -f "$builddir/build.ninja" ] || ! have_fuzzers "$builddir"; then
	if [ -f "$builddir/build.ninja" ]; then
		echo "smoke.sh: $builddir is not a -Dfuzz=true build" >&2
		exit 1
	fi
	echo "smoke.sh: configuring $builddir"
	# Only what the fuzzers need: no glib for the unit tests.
	CC=clang meson setup "$builddir" "$srcdir" -Dfuzz=true -Dtests=false >"$work/setup.log" 2>&1 || {
		cat "$work/setup.log" >&2
		exit 1
	}
fi
ninja -C "$builddir" "${targets[@]/#/tests/fuzz/}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for t in "${targets[@]}"; do
	corpus=$work/corpus/$t
	artifacts=$work/artifacts/$t
	mkdir -p "$corpus" "$artifacts"
	cp "$fuzzdir/corpus/$t"/* "$corpus"/
	extra=()
	case $t in
	fuzz-options) extra=(-dict="$fuzzdir/fuzz-options.dict" -max_len=20000) ;;
	fuzz-resolve) extra=(-dict="$fuzzdir/fuzz-resolve.dict") ;;
	# Past 4096 bytes fd_read_all() grows its buffer.
	fuzz-args-split) extra=(-max_len=20000) ;;
	# Room for a file of a few hundred ranges.
	fuzz-subid) extra=(-max_len=16384) ;;
	fuzz-seccomp-policy) extra=(-dict="$fuzzdir/fuzz-seccomp-policy.dict" -max_len=8000) ;;
	*) ;;
	esac

	echo "smoke.sh: $t for ${seconds}s"
	rc=0
	"$builddir/tests/fuzz/$t" "${extra[@]}" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" \
		"$corpus" >"$work/$t.log" 2>&1 || rc=$?
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$t.log" || true
	if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
		failed+=("$t")
		keep_work=1
		echo "smoke.sh: $t FAILED (exit $rc); log: $work/$t.log" >&2
		grep -E -A30 '^==[0-9]+==ERROR|runtime error|Assertion|deadly signal' "$work/$t.log" | head -60 >&2 || tail -40 "$work/$t.log" >&2
		for a in "$artifacts"/*; do
			[ -e "$a" ] || continue
			echo "smoke.sh: reproducer $a:" >&2
			od -A d -c "$a" | head -40 >&2
		done
	fi
done

if [ ${#failed[@]} -ne 0 ]; then
	echo "smoke.sh: FAILED: ${failed[*]}" >&2
	exit 1
fi
echo "smoke.sh: all fuzzers ran ${seconds}s without a finding"
