#!/bin/sh
# flatpak-example.sh — run flatpak-example/ (build-runtime.sh, then
# run.sh) non-interactively and check what the app reports from inside
# its sandbox, so that the example keeps working.
#
# The scripts are found in $HUTCH_TEST_HELPERS (tests/helpers/meson.build
# copies them there as flatpak-example-*.sh, so they travel with the
# helpers into run-as.sh's copy for the unprivileged run), else in the
# source tree next to this directory.
# This script's directory, found before lib.sh and `cd /` run.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
umask 022
cd /
LC_ALL=C
export LC_ALL

# HELPERS comes from lib.sh (HUTCH_TEST_HELPERS, else build/ next to us).
_src=$(cd "$HERE/../.." 2>/dev/null && pwd)
if [ -n "$HELPERS" ] && [ -f "$HELPERS/flatpak-example-run.sh" ]; then
	BUILD_RUNTIME=$HELPERS/flatpak-example-build-runtime.sh
	RUN=$HELPERS/flatpak-example-run.sh
else
	BUILD_RUNTIME=$_src/flatpak-example/build-runtime.sh
	RUN=$_src/flatpak-example/run.sh
fi
SECCOMP_COMPILE=${HELPERS:+$HELPERS/seccomp-compile}
if [ -z "$SECCOMP_COMPILE" ] || [ ! -x "$SECCOMP_COMPILE" ]; then
	SECCOMP_COMPILE=/nonexistent/seccomp-compile
fi
export SECCOMP_COMPILE

have_scripts() {
	if [ ! -f "$BUILD_RUNTIME" ] || [ ! -f "$RUN" ]; then
		skip "flatpak-example scripts not found (looked for $RUN)"
		return 1
	fi
	return 0
}

# line KEY — the app's "KEY: value" line from $out (value only).
line() {
	printf '%s\n' "$out" | sed -n "s/^$1: //p" | head -n 1
}

# The runtime is built once, by the first case.
RT=$T/rt

case_build() {
	have_scripts || return
	run_cmd sh "$BUILD_RUNTIME" "$RT"
	assert_ok || return
	assert_true "the runtime has a shell" [ -x "$RT/usr/bin/sh" ]
	assert_true "the app is there" [ -x "$RT/app/bin/hello.sh" ]
}
tcase "build-runtime.sh assembles a runtime and an app" case_build

case_run() {
	have_scripts || return
	[ -x "$RT/app/bin/hello.sh" ] || {
		skip "no runtime (the build case failed)"
		return
	}
	run_cmd env XDG_RUNTIME_DIR="$T/no-runtime-dir" DISPLAY= sh "$RUN" "$RT"
	assert_ok || return
	assert_match "$out" '^run\.sh: sandbox pid \(as the host sees it\): [1-9][0-9]*$' "run.sh read --info-fd" || return
	assert_match "$out" '^run\.sh: namespaces:( cgroup=[0-9]+)? ipc=[0-9]+ mnt=[0-9]+ net=[0-9]+ pid=[0-9]+ uts=[0-9]+$' \
		"namespaces of --unshare-all"
	assert_contains "$out" "Hello from org.example.Hello" "the app ran" || return
	# pid 2: pid 1 of the new pid namespace is the reaper.
	assert_eq 2 "$(line pid)" "the app's pid"
	assert_eq "$HOST_UID ($(id -un))" "$(line uid)" "the app's uid (and name, from the passwd given)"
	assert_contains "$out" "[Application]
name=org.example.Hello" "/.flatpak-info as the app reads it"
	assert_eq read-only "$(line usr)" "/usr"
	assert_eq read-only "$(line app)" "/app"
	assert_eq "" "$(printf '%s\n' "$out" | sed -n 's/^tmp://p')" "/tmp (private, empty)"
	assert_eq "/run/user/$HOST_UID (700)" "$(line XDG_RUNTIME_DIR)" "XDG_RUNTIME_DIR"
	assert_eq "not visible" "$(line home)" "the host's /home"
	assert_eq " lo" "$(printf '%s\n' "$out" | sed -n 's/^network interfaces://p')" "network (unshared: lo only)"
	assert_match "$(line session)" '^new \(sid [12]\)$' "--new-session (led by pid 1 or the app)"
	assert_eq 1 "$(printf '%s\n' "$out" | awk '$1 == "NoNewPrivs:" { print $2 }')" "NoNewPrivs"
	# The desktop preset when this hutch has one, else the compiled filter.
	if "$HUTCH" --help 2>/dev/null | grep -q -- '--seccomp-preset'; then
		assert_match "$out" '^run\.sh: seccomp: the desktop preset' "run.sh chose the preset"
		assert_eq 2 "$(printf '%s\n' "$out" | awk '$1 == "Seccomp:" { print $2 }')" "Seccomp mode (a filter is loaded)"
	elif [ -x "$SECCOMP_COMPILE" ]; then
		assert_match "$out" '^run\.sh: seccomp: a compiled filter' "run.sh chose the compiled filter"
		assert_eq 2 "$(printf '%s\n' "$out" | awk '$1 == "Seccomp:" { print $2 }')" "Seccomp mode (a filter is loaded)"
	else
		diag "no seccomp-compile helper: the example runs without a filter"
	fi
	assert_match "$out" '^run\.sh: app exited with status 0$' "run.sh's report"
	assert_match "$out" '^run\.sh: sandbox gone \(--sync-fd closed\)$' "run.sh saw --sync-fd close"
}
tcase "run.sh launches the app flatpak-style; the app sees its sandbox" case_run

case_status() {
	have_scripts || return
	[ -x "$RT/app/bin/hello.sh" ] || {
		skip "no runtime"
		return
	}
	run_cmd env XDG_RUNTIME_DIR="$T/no-runtime-dir" DISPLAY= sh "$RUN" "$RT" /usr/bin/sh -c 'exit 7'
	assert_rc 7 || return
	assert_match "$out" '^run\.sh: app exited with status 7$' "run.sh's report"
}
tcase "run.sh exits with the app's status" case_status

# SECCOMP=fd keeps the compiled-filter path (the one bwrap can use too)
# working once hutch has its own preset; SECCOMP=none loads nothing.
case_seccomp_choice() {
	have_scripts || return
	[ -x "$RT/app/bin/hello.sh" ] || {
		skip "no runtime"
		return
	}
	run_cmd env SECCOMP=none XDG_RUNTIME_DIR="$T/no-runtime-dir" DISPLAY= sh "$RUN" "$RT"
	assert_ok || return
	assert_match "$out" '^run\.sh: seccomp: none$' "run.sh's report for SECCOMP=none"
	assert_eq 0 "$(printf '%s\n' "$out" | awk '$1 == "Seccomp:" { print $2 }')" "Seccomp mode without a filter"
	[ -x "$SECCOMP_COMPILE" ] || {
		skip "no seccomp-compile helper"
		return
	}
	run_cmd env SECCOMP=fd XDG_RUNTIME_DIR="$T/no-runtime-dir" DISPLAY= sh "$RUN" "$RT"
	assert_ok || return
	assert_match "$out" '^run\.sh: seccomp: a compiled filter' "run.sh's report for SECCOMP=fd"
	assert_eq 2 "$(printf '%s\n' "$out" | awk '$1 == "Seccomp:" { print $2 }')" "Seccomp mode with the compiled filter"
	run_cmd env SECCOMP=bogus sh "$RUN" "$RT"
	assert_rc 1 "SECCOMP=bogus" || return
	assert_contains "$err" "SECCOMP must be auto, preset, fd or none" "message"
}
tcase "SECCOMP=fd and SECCOMP=none choose the filter" case_seccomp_choice

case_sockets() {
	have_scripts || return
	need_cmd python3 || return
	[ -x "$RT/app/bin/hello.sh" ] || {
		skip "no runtime"
		return
	}
	mkdir -p "$T/xdg/pulse"
	python3 -c 'import socket, sys
for p in sys.argv[1:]:
    socket.socket(socket.AF_UNIX).bind(p)' "$T/xdg/wayland-0" "$T/xdg/pulse/native" || {
		fail "could not create test sockets"
		return
	}
	run_cmd env XDG_RUNTIME_DIR="$T/xdg" WAYLAND_DISPLAY=wayland-0 DISPLAY= sh "$RUN" "$RT"
	assert_ok || return
	assert_match "$out" '^run\.sh: sockets passed: wayland pulseaudio$' "run.sh's report"
	assert_eq "pulse wayland-0" "$(line 'runtime dir')" "what the app finds in XDG_RUNTIME_DIR"
}
tcase "Wayland and PulseAudio sockets are passed when present" case_sockets

case_share_net() {
	have_scripts || return
	[ -x "$RT/app/bin/hello.sh" ] || {
		skip "no runtime"
		return
	}
	_host=
	while read -r _n _rest; do
		case $_n in *:) _host="$_host ${_n%:}" ;; esac
	done </proc/net/dev
	run_cmd env SHARE_NET=1 XDG_RUNTIME_DIR="$T/no-runtime-dir" DISPLAY= sh "$RUN" "$RT"
	assert_ok || return
	assert_eq "$_host" "$(printf '%s\n' "$out" | sed -n 's/^network interfaces://p')" "interfaces with SHARE_NET=1 (the host's)"
}
tcase "SHARE_NET=1 keeps the host network" case_share_net

case_no_runtime() {
	have_scripts || return
	mkdir -p "$T/empty"
	run_cmd sh "$RUN" "$T/empty"
	assert_rc 1 || return
	assert_contains "$err" "run build-runtime.sh" "stderr"
}
tcase_noprobe "run.sh on a directory without a runtime says what to do" case_no_runtime

finish
