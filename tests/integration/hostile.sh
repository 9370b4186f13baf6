#!/bin/sh
# hostile.sh — malformed and hostile command lines, for every option.
#
# Each run must end in exit 0 (an odd but valid request, e.g. a directory
# whose name holds a newline, made inside the new root) or exit 1 with a
# one-line "hutch: ..." message; never a crash (>= 128), a hang, or
# another status. Relative and ".." destinations are valid and resolved
# inside the new root (see fs.sh and escape.sh); here they only must not
# reach the host. Nothing may be left mounted or created on the host:
# every case compares the host's mount points, the scratch tree (the cwd
# hutch runs in is inside it) and the /tmp names the cases aim at, before
# and after.
#
# The options come from `hutch --help`, so an option added later is
# covered by the generic cases without editing this file; the table below
# adds the values each kind of argument must refuse, with the message.
. "$(dirname "$0")/lib.sh"
umask 022

probe_hutch
# No case here may hang: a run that takes this long has failed.
TIMEOUT=20

ME=$(basename "$HUTCH")
# What every run builds on: a new root with only /usr from the host, and
# nothing the payload (`true`) could write to on the host.
MINI="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64"
AIM=/tmp/hostile-$$
LONG=$(printf '%05000d' 0 | tr 0 a)
NL='a
b'

mkdir -p "$T/cwd" "$T/dir"
: >"$T/file"
printf 'data' >"$T/data"
cd "$T/cwd" || exit 1

# The host's mount points, less the scratch directories of other test
# runs under /tmp (suites of this and other checkouts may run at the
# same time and mount there); ours and the aimed-at names stay in.
snapshot() {
	awk -v t="$T" -v a="$AIM" '{ m = $5 }
		m ~ /^\/tmp\/./ && index(m, t) != 1 && index(m, a) != 1 { next }
		{ print m }' /proc/self/mountinfo | sort
	echo ---
	(cd "$T" && find . -path ./.out -prune -o -path ./.err -prune -o -path ./.case-diag -prune -o -print | sort)
	echo ---
	ls -d "$AIM"* 2>/dev/null
}

# run_hostile WANT ARGS... — runs hutch ARGS with a 20 s limit; WANT is
# "1" (must fail with a message), "any" (0 or 1), or "1:TEXT" (fail with
# TEXT in the message). Appends a line to $_bad for each violation.
run_hostile() {
	_want=$1
	shift
	_before=$(snapshot)
	run_cmd_in "$HUTCH" "$@"
	_after=$(snapshot)
	_what=$(_q "$@" | cut -c1-160)
	if [ "$_before" != "$_after" ]; then
		_bad="$_bad
[$_what] changed the host: $(printf '%s\n%s\n' "$_before" "$_after" | sort | uniq -u | head -n 5 | tr '\n' ' ')"
	fi
	case $rc in
	0) [ "$_want" = any ] && return 0 ;;
	1)
		_first=$(printf '%s\n' "$err" | head -n 1)
		case $_first in
		"$ME: "?* | "usage: "*) ;;
		*)
			_bad="$_bad
[$_what] exit 1 without a '$ME: ' message (stderr: $(printf '%.200s' "$err"))"
			return 0
			;;
		esac
		case $_want in
		1:*)
			case $err in
			*"${_want#1:}"*) ;;
			*) _bad="$_bad
[$_what] message '$(printf '%.200s' "$_first")' lacks '${_want#1:}'" ;;
			esac
			;;
		esac
		return 0
		;;
	esac
	_bad="$_bad
[$_what] exit status $rc (want ${_want%%:*}); stderr: $(printf '%.200s' "$err")"
}

report_bad() {
	if [ -n "$_bad" ]; then
		fail "$(printf '%s\n' "$_bad" | grep -c .) bad outcomes"
		diag "$_bad"
	fi
}

# The options and their argument counts, from --help.
OPTIONS=$("$HUTCH" --help 2>/dev/null | awk '$1 ~ /^--[a-z0-9-]+$/ {
	n = 0
	for (i = 2; i <= NF && $i ~ /^[A-Z][A-Z0-9_]*$/; i++) n++
	print $1, n }')

case_options_listed() {
	_n=$(printf '%s\n' "$OPTIONS" | grep -c .)
	[ "$_n" -ge 60 ] || fail "only $_n options found in --help: $OPTIONS"
}
tcase_noprobe "--help lists the options the generic cases use" case_options_listed

# ---------------------------------------------------------------- every option

case_missing_arguments() {
	_bad=
	_checked=0
	while read -r _opt _n; do
		[ "$_n" -gt 0 ] || continue
		# One argument short, with nothing after it.
		_args=
		_i=1
		while [ $_i -lt "$_n" ]; do
			_args="$_args x"
			_i=$((_i + 1))
		done
		# shellcheck disable=SC2086
		run_hostile 1 "$_opt" $_args
		_checked=$((_checked + 1))
	done <<EOF
$OPTIONS
EOF
	[ "$_checked" -ge 40 ] || fail "only $_checked options take arguments?"
	report_bad
}
tcase "every option given too few arguments fails with a message" case_missing_arguments

case_garbage_values() {
	_bad=
	while read -r _opt _n; do
		[ "$_n" -gt 0 ] || continue
		case $_opt in --help | --version) continue ;; esac
		for _v in "" "$LONG" "$NL" "../../../..$AIM-rel" "$AIM-abs" -1 "x y" "$(printf '\001\177')"; do
			case $_n in
			1) run_hostile any $MINI "$_opt" "$_v" true ;;
			2) run_hostile any $MINI "$_opt" "$_v" "$_v" true ;;
			3) run_hostile any $MINI "$_opt" "$_v" "$_v" "$_v" true ;;
			*) run_hostile any $MINI "$_opt" "$_v" "$_v" "$_v" "$_v" true ;;
			esac
		done
	done <<EOF
$OPTIONS
EOF
	report_bad
}
tcase "every option with empty, 5000-byte, newline, .., host and control-character values: 0 or 1, host untouched" case_garbage_values

# ---------------------------------------------------------------- values that must be refused

case_fd_values() {
	_bad=
	for _opt in --args --userns --pidns --seccomp --add-seccomp-fd --sync-fd --block-fd --info-fd --json-status-fd; do
		for _v in "" -1 x 1x 0x3 99999999999 " 3"; do
			run_hostile "1:$_v" $MINI "$_opt" "$_v" true
		done
		# A number that is no open fd.
		run_hostile 1 $MINI "$_opt" 57 true
	done
	for _opt in --file --bind-data --ro-bind-data --bind-fd --ro-bind-fd; do
		run_hostile 1 $MINI "$_opt" "" /x true
		run_hostile 1 $MINI "$_opt" 57 /x true
	done
	run_hostile 1 $MINI --unshare-user --info-fd 1 --userns-block-fd 57 true
	report_bad
}
tcase "fd arguments: not a number, negative, too big, closed: refused" case_fd_values

case_fd_wrong_type() {
	_bad=
	# Read from: a directory or a write-only fd will not do.
	for _opt in --args --seccomp --add-seccomp-fd --block-fd; do
		run_hostile 1 $MINI "$_opt" 3 true 3<"$T/dir"
		run_hostile 1 $MINI "$_opt" 3 true 3>>"$T/file"
	done
	for _opt in --file --bind-data --ro-bind-data; do
		run_hostile "1:Is a directory" $MINI "$_opt" 3 /x true 3<"$T/dir"
		run_hostile "1:Bad file descriptor" $MINI "$_opt" 3 /x true 3>>"$T/file"
	done
	# Written to: a read-only fd will not do.
	for _opt in --info-fd --json-status-fd; do
		run_hostile "1:Can't use $_opt 3" $MINI "$_opt" 3 true 3<"$T/file"
	done
	# Sockets that give no data and take none.
	if [ -x "${HUTCH_TEST_HELPERS:-}/escape-probe" ]; then
		for _kind in unconnected listening; do
			for _spec in "--file 3 /x" "--bind-data 3 /x" "--block-fd 3" "--info-fd 3" "--json-status-fd 3"; do
				# shellcheck disable=SC2086
				run_hostile 1 "$HUTCH_TEST_HELPERS/escape-probe" with-socket "$_kind" 3 "$HUTCH" $MINI $_spec true
			done
		done
	fi
	# Namespaces: a regular file is not one.
	for _opt in --userns --pidns; do
		run_hostile 1 $MINI "$_opt" 3 true 3<"$T/file"
	done
	report_bad
}
tcase "fds of the wrong kind (directory, wrong direction, dead socket, not a namespace): refused up front" case_fd_wrong_type

case_fd_wrong_type_no_payload() {
	# Refused before anything starts: the payload never runs.
	_bad=
	for _spec in "--info-fd 3" "--json-status-fd 3"; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" --bind "$T" "$T" $MINI $_spec touch "$T/ran" 3<"$T/file" </dev/null
		[ "$rc" = 1 ] || _bad="$_bad [$_spec read-only: rc=$rc]"
	done
	run_cmd_in "$HUTCH" --bind "$T" "$T" $MINI --block-fd 3 touch "$T/ran" 3>>"$T/file" </dev/null
	[ "$rc" = 1 ] || _bad="$_bad [--block-fd write-only: rc=$rc]"
	[ ! -e "$T/ran" ] || _bad="$_bad [the payload ran]"
	rm -f "$T/ran"
	assert_eq "" "$_bad" "runs with an unusable status or block fd"
}
tcase "an unusable --info-fd, --json-status-fd or --block-fd never lets the payload run" case_fd_wrong_type_no_payload

case_numbers() {
	_bad=
	for _v in "" -1 4294967295 4294967296 99999999999999999999 1x " 1" 0x10 +1; do
		run_hostile "1:Invalid uid" $MINI --unshare-user --uid "$_v" true
		run_hostile "1:Invalid gid" $MINI --unshare-user --gid "$_v" true
	done
	for _v in 8 9 1777777 10000 -1 "" 0x1ff " 755" 0o755 7777777777777777777777; do
		run_hostile "1:--perms takes an octal argument" $MINI --perms "$_v" --dir /x true
		run_hostile "1:--chmod takes an octal argument" $MINI --chmod "$_v" /usr true
	done
	for _v in 0 -1 "" 1x 1k 18446744073709551616 99999999999999999999999 " 1"; do
		run_hostile "1:--size" $MINI --size "$_v" --tmpfs /tmp true
	done
	run_hostile "1:limited to" $MINI --size 9223372036854775808 --tmpfs /tmp true
	report_bad
}
tcase "ids, octal modes and sizes out of range or malformed: refused" case_numbers

case_number_edges_valid() {
	# The largest valid values are taken (inside the new root).
	hutch $MINI --perms 07777 --dir /x --chmod 07777 /x --size 9223372036854775807 --tmpfs /tmp \
		--unshare-user --uid 4294967294 --gid 4294967294 sh -c 'stat -c %a /x; id -u'
	assert_ok || return
	assert_eq "7777
4294967294" "$out" "mode and uid inside"
}
tcase "edge values that are valid (07777, SIZE_MAX/2, uid 4294967294) work" case_number_edges_valid

case_names() {
	_bad=
	for _v in "" CAP_NOPE 99 "CAP_SYS_ADMIN,CAP_NET_RAW" "cap_sys_admin " -1; do
		run_hostile "1:unknown cap" $MINI --cap-add "$_v" true
		run_hostile "1:unknown cap" $MINI --cap-drop "$_v" true
	done
	# A number libcap takes but this kernel has no capability for.
	_last=$(cat /proc/sys/kernel/cap_last_cap 2>/dev/null || echo 40)
	run_hostile "1:unknown cap: $((_last + 1))" $MINI --cap-add $((_last + 1)) true
	run_hostile "1:unknown cap: 63" $MINI --cap-add 63 true
	run_hostile "1:--hostname" $MINI --unshare-uts --hostname "$LONG" true
	for _v in "" "A=B" "="; do
		run_hostile "1:Can't set environment variable" $MINI --setenv "$_v" x true
	done
	run_hostile "1:Can't unset environment variable" $MINI --unsetenv "" true
	run_hostile "1:Unknown option" $MINI --no-such-option true
	run_hostile "1:Unknown option" $MINI - true
	run_hostile "1:Unknown option" $MINI "--dir=/x" true
	report_bad
}
tcase "capability names, hostnames, environment names, unknown options: refused" case_names

case_long_paths() {
	_bad=
	_p=/$(printf '%04200d' 0 | tr 0 p)
	for _opt in --dir --tmpfs --proc --dev --mqueue --remount-ro --lock-file --chdir; do
		run_hostile "1:File name too long" $MINI "$_opt" "$_p" true
	done
	run_hostile "1:File name too long" $MINI --overlay-src /usr --tmp-overlay "$_p" true
	for _opt in --bind --ro-bind --dev-bind --bind-try --symlink; do
		run_hostile "1:File name too long" $MINI "$_opt" /usr "$_p" true
	done
	run_hostile "1:File name too long" $MINI --ro-bind "$_p" /x true
	run_hostile "1:File name too long" $MINI --file 3 "$_p" true 3<"$T/data"
	run_hostile "1:File name too long" $MINI "$_p"
	# Deep rather than long: many short components.
	_deep=$(i=0; while [ $i -lt 1100 ]; do printf /d; i=$((i + 1)); done)
	run_hostile any $MINI --dir "$_deep" true
	report_bad
}
tcase "paths longer than PATH_MAX: refused up front, for every kind of path argument" case_long_paths

case_empty_and_odd_paths() {
	_bad=
	run_hostile "1:Can't find source path" $MINI --ro-bind "" /x true
	run_hostile "1:Can't find source path" $MINI --bind-try "" /x --bind "" /y true
	run_hostile "1:Can't find source path" $MINI --overlay-src "" --tmp-overlay /x true
	run_hostile "1:execvp" $MINI ""
	run_hostile 1 $MINI --chdir "" true
	run_hostile 1 $MINI --symlink "" /x true
	run_hostile 1 $MINI --lock-file "" true
	# Valid oddities, made inside the new root.
	run_hostile any $MINI --dir "$NL" --dir "../..$AIM-dots" --dir "rel$AIM" --symlink "$AIM" "../../$AIM-link" true
	run_hostile any $MINI --tmpfs "$NL" --file 3 "$NL/f" true 3<"$T/data"
	report_bad
}
tcase "empty, relative, .. and newline paths: a message, or made inside; never on the host" case_empty_and_odd_paths

# ---------------------------------------------------------------- sizes of the input

case_many_arguments() {
	_bad=
	# shellcheck disable=SC2046
	run_hostile "1:Exceeded maximum number of arguments" $MINI $(yes -- --unshare-ipc | head -n 9001) true
	yes -- --unshare-ipc | head -n 9001 | tr '\n' '\0' >"$T/many"
	run_hostile "1:Exceeded maximum number of arguments" $MINI --args 3 true 3<"$T/many"
	rm -f "$T/many"
	report_bad
}
tcase "9001 arguments, on the command line or through --args: refused" case_many_arguments

case_big_args_stream() {
	_bad=
	# 40 MiB of NULs, then 20 MiB of one word, then 10 MiB of random bytes.
	head -c 41943040 /dev/zero >"$T/big"
	run_hostile "1:more than" $MINI --args 3 true 3<"$T/big"
	{
		printf -- '--dir\0'
		head -c 20971520 /dev/zero | tr '\0' a
		printf '\0'
	} >"$T/big"
	run_hostile "1:File name too long" $MINI --args 3 true 3<"$T/big"
	head -c 10485760 /dev/urandom >"$T/big"
	run_hostile 1 $MINI --args 3 true 3<"$T/big"
	# Data that ends half-way through an option, or nests --args.
	printf -- '--dir' >"$T/big"
	run_hostile "1:takes an argument" $MINI --args 3 true 3<"$T/big"
	printf -- '--args\0003\0' >"$T/big"
	run_hostile "1:--args not supported in arguments file" $MINI --args 3 true 3<"$T/big"
	rm -f "$T/big"
	report_bad
}
tcase "an --args stream of many megabytes, binary, truncated or nested: refused" case_big_args_stream

case_host_untouched_overall() {
	# The scratch tree and mount table after every case above.
	assert_eq "" "$(ls -d "$AIM"* 2>/dev/null)" "names under /tmp the cases aimed at" || return
	assert_eq "" "$(ls -A "$T/cwd")" "the directory hutch ran in" || return
	assert_eq "" "$(awk -v t="$T" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo)" "mounts under the scratch dir"
}
tcase "afterwards: nothing created under the aimed-at names, the cwd, or mounted" case_host_untouched_overall

cd /
finish
