#!/bin/sh
# checkers.sh — static analysis of src/ and valgrind over the parse and
# validate path; CI runs it (.ci/run), and it runs anywhere by hand:
#
#   tests/checkers.sh [BUILD_DIR]     (default: build)
#
#   1. cppcheck (warning, portability, performance): no finding. False
#      positives are suppressed where they occur, with a comment saying
#      why (cppcheck does not model __attribute__((cleanup))). Its style
#      checks are left out: they are mostly that same confusion.
#   2. gcc -fanalyzer over every file of src/: no warning.
#   3. valgrind (memcheck, definite and indirect leaks are errors) over
#      hutch's --help and --version and command lines that fail in the
#      parser, the validator or the fd checks (nothing is cloned there),
#      and over the GLib unit-test programs (but test-seccomp-policy:
#      libseccomp's architecture probes are calls valgrind cannot emulate).
#
# A checker that is not installed is reported and skipped; CI installs
# them all. Exit status: 0 when every installed checker is clean.
set -u

cd "$(dirname "$(readlink -f "$0")")/.." || exit 1
build=${1:-build}
failed=
note() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------- cppcheck
note "cppcheck"
if command -v cppcheck >/dev/null 2>&1; then
	if ! cppcheck --enable=warning,portability,performance --inline-suppr --error-exitcode=1 \
		-D_GNU_SOURCE -I src --std=c11 --quiet src; then
		failed="$failed cppcheck"
	fi
else
	echo "cppcheck not installed: skipped"
fi

# ---------------------------------------------------------------- gcc -fanalyzer
note "gcc -fanalyzer"
if command -v gcc >/dev/null 2>&1 && [ -f "$build/config.h" ]; then
	out=$(for f in src/*.c src/util/*.c; do
		gcc -std=gnu11 -D_GNU_SOURCE -fanalyzer -Wno-analyzer-too-complex -Isrc -I"$build" -c "$f" -o /dev/null 2>&1
	done)
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		failed="$failed gcc-fanalyzer"
	fi
else
	echo "gcc or $build/config.h missing: skipped"
fi

# ---------------------------------------------------------------- valgrind
note "valgrind"
# A static hutch hides glibc's malloc from valgrind: use its dynamically
# linked twin when the build made one (meson.build, static_binary).
vg_bin=$build/hutch
[ -x "$build/hutch-dynamic" ] && vg_bin=$build/hutch-dynamic
if command -v valgrind >/dev/null 2>&1 && [ -x "$vg_bin" ]; then
	# 99, not 1: every invalid command line below exits 1 by itself.
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	tmp=$(mktemp -d)
	printf -- '--dir\0/x\0--setenv\0A\0B\0--bogus\0' >"$tmp/args"
	long=$(printf '%05000d' 0)
	n=0
	vg_hutch() {
		n=$((n + 1))
		# shellcheck disable=SC2086
		$vg "$vg_bin" "$@" 3<"$tmp/args" 4</dev/null 5>/dev/null >/dev/null 2>"$tmp/err"
		_rc=$?
		if [ "$_rc" -eq 99 ] || grep -q '^==[0-9]*==' "$tmp/err"; then
			echo "valgrind: hutch $(printf '%.100s' "$*") (exit $_rc):"
			cat "$tmp/err"
			failed="$failed valgrind-hutch"
		fi
	}
	vg_hutch --help
	vg_hutch --version
	vg_hutch
	vg_hutch --dir
	vg_hutch --bogus true
	vg_hutch --args 3 true
	vg_hutch --args 3 --args 4 true
	vg_hutch --perms 8 --dir /x true
	vg_hutch --size 0 --tmpfs /x true
	vg_hutch --chmod 99999 /x true
	vg_hutch --cap-add CAP_SYS_ADMIN,CAP_NET_RAW true
	vg_hutch --unshare-user --uid 1x true
	vg_hutch --unshare-uts --hostname "$long" true
	vg_hutch --dir "/$long" true
	vg_hutch --overlay-src /usr true
	vg_hutch --seccomp 4 --add-seccomp-fd 4 true
	vg_hutch --as-pid-1 true
	vg_hutch --info-fd 4 true
	vg_hutch --info-fd 57 true
	vg_hutch --block-fd 5 true
	vg_hutch --bind /nonexistent-hutch-source /x true
	vg_hutch --ro-bind / / --file 5 /x true
	rm -rf "$tmp"
	echo "$n hutch command lines"

	# Every GTest program the build made (not the shell-script tests).
	for exe in "$build"/tests/unit/test-*; do
		[ -f "$exe" ] && [ -x "$exe" ] || continue
		[ "$(head -c 4 "$exe" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
		t=$(basename "$exe")
		# libseccomp asks the kernel about architectures through calls
		# valgrind does not emulate; it fails there, not in hutch.
		[ "$t" = test-seccomp-policy ] && continue
		if ! HUTCH_SOURCE_DIR=$(pwd) G_SLICE=always-malloc G_DEBUG=gc-friendly \
			$vg "$exe" --tap >/dev/null; then
			echo "valgrind: $t failed"
			failed="$failed valgrind-$t"
		fi
	done
else
	echo "valgrind or $build/hutch missing: skipped"
fi

if [ -n "$failed" ]; then
	note "FAILED:$failed"
	exit 1
fi
note "checkers clean"
