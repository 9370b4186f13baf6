#!/bin/sh
# options.sh — the command line: --help, --version, usage errors, every
# "takes N arguments" message, value validation (fd, uid, octal, size,
# caps), the --perms/--size modifiers, missing sources, unreadable fds,
# where option parsing stops, --args, the "Only the last --X option will
# take effect" warnings, and the argv[0]-basename message prefix.
#
# Messages are checked through a symlink named `bwrap`, so the expected
# prefix is "bwrap: " for hutch (basename of argv[0]) and for bwrap itself
# (a literal) alike.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

mkdir -p "$T/bin"
ln -s "$HUTCH" "$T/bin/bwrap"
ln -s "$HUTCH" "$T/bin/hutch"
ln -s "$HUTCH" "$T/bin/mysandbox"
BW=$T/bin/bwrap

# bw ARGS... — run the binary under test as `bwrap`.
bw() {
	run_cmd "$BW" "$@"
}

# expect_error MESSAGE — the last run printed exactly "bwrap: MESSAGE" on
# stderr, nothing on stdout, and exited 1.
expect_error() {
	assert_rc 1 || return 1
	assert_eq "bwrap: $1" "$err" "stderr" || return 1
	assert_eq "" "$out" "stdout"
}

# A file descriptor number that is not open in this shell (nor, therefore,
# in the binary it starts).
free_fd() {
	for _fd in 99 98 97 96 95 94 93 92 91 90; do
		if [ ! -e "/proc/$$/fd/$_fd" ]; then
			echo "$_fd"
			return
		fi
	done
	echo 89
}
NOFD=$(free_fd)

# Options bwrap 0.8.0 does not know (added by 0.11.1).
new_in_011() {
	case $1 in
	--argv0 | --level-prefix | --overlay-src | --overlay | --tmp-overlay | --ro-overlay) return 0 ;;
	esac
	return 1
}

# ---------------------------------------------------------------- help / version

case_help() {
	PATH="$T/bin:$PATH" run_cmd bwrap --help
	assert_ok || return
	assert_first_line "$out" "usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]" "first line of --help"
	assert_eq "" "$(printf '%s\n' "$out" | sed -n 2p)" "second line of --help"
	assert_eq "" "$err" "stderr"
	_missing=
	for _o in --help --version --args --unshare-all --share-net --unshare-user --unshare-user-try \
		--unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup --unshare-cgroup-try \
		--uid --gid --hostname --chdir --clearenv --setenv --unsetenv --lock-file --sync-fd \
		--bind --bind-try --dev-bind --dev-bind-try --ro-bind --ro-bind-try --remount-ro \
		--proc --dev --tmpfs --mqueue --dir --file --bind-data --ro-bind-data --symlink \
		--seccomp --add-seccomp-fd --block-fd --userns-block-fd --info-fd --json-status-fd \
		--new-session --die-with-parent --as-pid-1 --cap-add --cap-drop --perms --size --chmod; do
		printf '%s\n' "$out" | grep -Eq -e "^ +$_o( |\$)" || _missing="$_missing $_o"
	done
	assert_eq "" "$_missing" "options missing from --help"
}
tcase_noprobe "--help: usage line with argv[0], every option listed, stdout, exit 0" case_help

case_help_basename() {
	PATH="$T/bin:$PATH" run_cmd hutch --help
	assert_ok || return
	assert_first_line "$out" "usage: hutch [OPTIONS...] [--] COMMAND [ARGS...]" "first line of --help"
}
tcase_noprobe "--help run as 'hutch' names hutch in the usage line" case_help_basename

case_help_after_options() {
	bw --unshare-pid --ro-bind / / --help
	assert_ok || return
	# argv[0] is a full path here: bwrap prints it as is, hutch its basename.
	assert_match "$(printf '%s\n' "$out" | head -n 1)" '^usage: ([^ ]*/)?bwrap \[OPTIONS\.\.\.\] \[--\] COMMAND \[ARGS\.\.\.\]$' "first line"
}
tcase_noprobe "--help after other options still prints help and exits 0" case_help_after_options

case_help_is_payload_arg() {
	bw --ro-bind / / sh -c 'echo "$1"' sh --help
	assert_ok || return
	assert_eq "--help" "$out" "what the payload got"
}
tcase "--help after the command is the payload's argument" case_help_is_payload_arg

case_version() {
	run_cmd "$HUTCH" --version
	assert_ok || return
	assert_match "$out" '^(hutch|bubblewrap) [0-9]+\.[0-9]+\.[0-9]+' "--version output"
	assert_eq 1 "$(printf '%s\n' "$out" | wc -l)" "number of lines"
	assert_eq "" "$err" "stderr"
}
tcase_noprobe "--version prints one version line on stdout, exit 0" case_version

case_version_as_bwrap() {
	bw --version
	assert_ok || return
	assert_match "$out" '^bubblewrap [0-9]+\.[0-9]+\.[0-9]+' "--version run as bwrap"
}
tcase_noprobe "--version run as 'bwrap' starts with 'bubblewrap X.Y.Z'" case_version_as_bwrap

case_version_after_error() {
	bw --foo --version
	expect_error "Unknown option --foo"
}
tcase_noprobe "an earlier error wins over a later --version" case_version_after_error

# ---------------------------------------------------------------- usage errors

case_no_args() {
	PATH="$T/bin:$PATH" run_cmd bwrap
	assert_rc 1 || return
	assert_first_line "$err" "usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]" "first line of stderr"
	assert_contains "$err" "--ro-bind" "usage on stderr"
	assert_eq "" "$out" "stdout"
}
tcase_noprobe "no arguments: usage on stderr, nothing on stdout, exit 1" case_no_args

case_no_command() {
	_bad=
	for _args in "--ro-bind / /" "--ro-bind / / --" "--unshare-pid" "--perms 0700"; do
		# shellcheck disable=SC2086
		PATH="$T/bin:$PATH" run_cmd bwrap $_args
		_l1=$(printf '%s\n' "$err" | head -n 1)
		if [ "$rc" != 1 ] || [ "$_l1" != "usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]" ] || [ -n "$out" ]; then
			_bad="$_bad [$_args: rc=$rc, stderr starts '$_l1']"
		fi
	done
	assert_eq "" "$_bad" "runs without usage/exit 1"
}
tcase_noprobe "options but no command: usage on stderr, exit 1" case_no_command

case_unknown_option() {
	bw --foo true
	expect_error "Unknown option --foo" || return
	bw --ro-bind=/ / true
	expect_error "Unknown option --ro-bind=/" || return
	bw -x true
	expect_error "Unknown option -x"
}
tcase_noprobe "unknown options: 'Unknown option X', exit 1" case_unknown_option

case_unknown_before_command() {
	bw --ro-bind / / --bogus sh -c 'echo RAN'
	expect_error "Unknown option --bogus"
}
tcase_noprobe "an unknown option stops everything (payload not run)" case_unknown_before_command

# ---------------------------------------------------------------- argument counts

# check_missing "OPTION [GIVEN-ARGS]" MESSAGE — appends to $_bad on mismatch.
check_missing() {
	_opt=${1%% *}
	if bwrap_before 0.11.0 && new_in_011 "$_opt"; then
		return
	fi
	# shellcheck disable=SC2086
	bw $1
	if [ "$rc" != 1 ] || [ "$err" != "bwrap: $2" ]; then
		_bad="$_bad
[$1] rc=$rc stderr='$(printf '%s' "$err" | head -n 1)' (want 'bwrap: $2')"
	fi
}

case_missing_one() {
	_bad=
	for _o in --proc --exec-label --file-label --dev --tmpfs --mqueue --dir --lock-file \
		--sync-fd --block-fd --userns-block-fd --info-fd --json-status-fd --seccomp \
		--add-seccomp-fd --userns --userns2 --pidns --unsetenv --uid --gid --hostname \
		--cap-add --cap-drop --perms --size --args --tmp-overlay --ro-overlay; do
		check_missing "$_o" "$_o takes an argument"
	done
	for _o in --chdir --remount-ro --argv0; do
		check_missing "$_o" "$_o takes one argument"
	done
	assert_eq "" "$_bad" "options with a wrong missing-argument message"
}
tcase_noprobe "one-argument options without it: '--X takes an argument'" case_missing_one

case_missing_two() {
	_bad=
	for _o in --bind --bind-try --ro-bind --ro-bind-try --dev-bind --dev-bind-try \
		--file --bind-data --ro-bind-data --symlink --setenv --chmod; do
		check_missing "$_o" "$_o takes two arguments"
		check_missing "$_o x" "$_o takes two arguments"
	done
	check_missing "--overlay" "--overlay takes three arguments"
	check_missing "--overlay a b" "--overlay takes three arguments"
	assert_eq "" "$_bad" "options with a wrong missing-argument message"
}
tcase_noprobe "two/three-argument options short of words: '--X takes two arguments'" case_missing_two

case_missing_bind_fd() {
	_bad=
	check_missing "--bind-fd 3" "--bind-fd takes two arguments"
	check_missing "--ro-bind-fd 3" "--bind-fd takes two arguments"
	assert_eq "" "$_bad" "messages"
}
tcase_noprobe "--bind-fd/--ro-bind-fd short of words: both say '--bind-fd takes two arguments'" case_missing_bind_fd

case_missing_consumes_next_option() {
	# The count is of words, so an option word is taken as the argument.
	bw --ro-bind / / --chdir --unshare-pid true
	expect_error "Can't chdir to --unshare-pid: No such file or directory"
}
tcase "a following option word is consumed as the argument" case_missing_consumes_next_option

# ---------------------------------------------------------------- values

case_invalid_fd() {
	_bad=
	for _v in abc -1 3x ""; do
		for _o in --args --sync-fd --block-fd --userns-block-fd --info-fd --json-status-fd \
			--seccomp --add-seccomp-fd --userns --userns2 --pidns; do
			bw "$_o" "$_v" true
			[ "$rc" = 1 ] && [ "$err" = "bwrap: Invalid fd: $_v" ] ||
				_bad="$_bad
[$_o '$_v'] rc=$rc stderr='$err'"
		done
		for _o in --file --bind-data --ro-bind-data --bind-fd --ro-bind-fd; do
			bw "$_o" "$_v" /dest true
			[ "$rc" = 1 ] && [ "$err" = "bwrap: Invalid fd: $_v" ] ||
				_bad="$_bad
[$_o '$_v' /dest] rc=$rc stderr='$err'"
		done
	done
	assert_eq "" "$_bad" "fd options with a wrong message for a non-number"
}
tcase_noprobe "fd options with a non-number: 'Invalid fd: X', exit 1" case_invalid_fd

case_invalid_ids() {
	bw --unshare-user --uid abc true
	expect_error "Invalid uid: abc" || return
	bw --unshare-user --gid -5 true
	expect_error "Invalid gid: -5" || return
	bw --unshare-user --uid 0x10 true
	expect_error "Invalid uid: 0x10"
}
tcase_noprobe "--uid/--gid with a non-number: 'Invalid uid: X' / 'Invalid gid: X'" case_invalid_ids

case_bad_perms() {
	_bad=
	for _v in 0800 8 abc 10000 -1 ""; do
		bw --perms "$_v" --dir /x true
		[ "$rc" = 1 ] && [ "$err" = "bwrap: --perms takes an octal argument <= 07777" ] ||
			_bad="$_bad [--perms '$_v': rc=$rc '$err']"
		bw --chmod "$_v" /x true
		[ "$rc" = 1 ] && [ "$err" = "bwrap: --chmod takes an octal argument <= 07777" ] ||
			_bad="$_bad [--chmod '$_v': rc=$rc '$err']"
	done
	assert_eq "" "$_bad" "bad octal values accepted or misreported"
}
tcase_noprobe "bad octal for --perms/--chmod: '--X takes an octal argument <= 07777'" case_bad_perms

case_bad_size() {
	_bad=
	for _v in 0 abc 10k -1 " 5" "" 18446744073709551616; do
		bw --size "$_v" --tmpfs /x true
		[ "$rc" = 1 ] && [ "$err" = "bwrap: --size takes a non-zero number of bytes" ] ||
			_bad="$_bad [--size '$_v': rc=$rc '$err']"
	done
	assert_eq "" "$_bad" "bad sizes accepted or misreported"
}
tcase_noprobe "bad --size: '--size takes a non-zero number of bytes'" case_bad_size

case_size_too_big() {
	bw --size 9223372036854775808 --tmpfs /x true
	expect_error "--size (for tmpfs) is limited to 9223372036854775807"
}
tcase_noprobe "--size above SIZE_MAX/2 is refused with the limit" case_size_too_big

case_size_forms() {
	bw --ro-bind / / --size 0x100000 --tmpfs /tmp awk '$5 == "/tmp" { print $NF }' /proc/self/mountinfo
	assert_ok || return
	assert_match "$out" '(^|,)size=1024k(,|$)' "mount options of /tmp"
}
tcase "--size accepts hex (0x100000 = 1 MiB)" case_size_forms

case_perms_twice() {
	bw --perms 0700 --perms 0755 --dir /x true
	expect_error "--perms given twice for the same action" || return
	bw --size 4096 --size 8192 --tmpfs /x true
	expect_error "--size given twice for the same action"
}
tcase_noprobe "--perms/--size given twice before an op" case_perms_twice

case_perms_dangling() {
	bw --perms 0700 --bind / / true
	expect_error "--perms must be followed by an option that creates a file" || return
	bw --perms 0700 --symlink a /b true
	expect_error "--perms must be followed by an option that creates a file" || return
	bw --size 100 --dir /x true
	expect_error "--size must be followed by --tmpfs" || return
	bw --perms 700 --size 4096 --dir /x true
	expect_error "--size must be followed by --tmpfs"
}
tcase_noprobe "--perms/--size followed by an op that does not take them" case_perms_dangling

case_bad_cap() {
	bw --cap-add CAP_BOGUS true
	expect_error "unknown cap: CAP_BOGUS" || return
	bw --cap-drop net_raw true
	expect_error "unknown cap: net_raw"
}
tcase_noprobe "--cap-add/--cap-drop with an unknown name: 'unknown cap: X'" case_bad_cap

# ---------------------------------------------------------------- cross-option rules

case_requires() {
	bw --ro-bind / / --hostname foo true
	expect_error "Specifying --hostname requires --unshare-uts" || return
	bw --ro-bind / / --as-pid-1 true
	expect_error "Specifying --as-pid-1 requires --unshare-pid"
}
tcase_noprobe "--hostname needs --unshare-uts, --as-pid-1 needs --unshare-pid" case_requires

case_uid_needs_userns() {
	need_root || return
	bw --ro-bind / / --uid 5 true
	expect_error "Specifying --uid requires --unshare-user or --userns" || return
	bw --ro-bind / / --gid 5 true
	expect_error "Specifying --gid requires --unshare-user or --userns"
}
tcase_noprobe "as root, --uid/--gid other than 0 need --unshare-user" case_uid_needs_userns

case_args_limit() {
	# 9001 words after argv[0] are too many.
	_words=$(awk 'BEGIN { for (i = 0; i < 4500; i++) printf "--unshare-ipc --unshare-uts "; print "true" }')
	# shellcheck disable=SC2086
	bw $_words
	expect_error "Exceeded maximum number of arguments 9000" || return
	_words=$(awk 'BEGIN { for (i = 0; i < 4498; i++) printf "--unshare-ipc --unshare-uts "; print "--ro-bind / / true" }')
	# shellcheck disable=SC2086
	bw $_words
	assert_ok "exit status with exactly 9000 words"
}
tcase "more than 9000 arguments are refused" case_args_limit

# ---------------------------------------------------------------- sources / fds

case_missing_source() {
	_bad=
	for _o in --bind --ro-bind --dev-bind; do
		bw --ro-bind / / "$_o" "$T/no-such-source" /x sh -c 'echo PAYLOAD RAN'
		[ "$rc" = 1 ] && [ "$err" = "bwrap: Can't find source path $T/no-such-source: No such file or directory" ] && [ -z "$out" ] ||
			_bad="$_bad
[$_o] rc=$rc stdout='$out' stderr='$err'"
	done
	assert_eq "" "$_bad" "missing sources not reported as expected"
}
tcase "a nonexistent --bind/--ro-bind/--dev-bind source names the path, exit 1" case_missing_source

case_missing_source_try() {
	bw --ro-bind / / --bind-try "$T/none" /x --ro-bind-try "$T/none" /y --dev-bind-try "$T/none" /z sh -c 'echo payload ran'
	assert_ok || return
	assert_eq "payload ran" "$out" "payload output"
	assert_eq "" "$err" "stderr"
}
tcase "the -try forms skip a nonexistent source silently" case_missing_source_try

case_unopened_fds() {
	bw --args "$NOFD" --ro-bind / / true
	expect_error "Can't read --args data: Bad file descriptor" || return
	bw --ro-bind / / --tmpfs /tmp --file "$NOFD" /tmp/f true
	expect_error "Can't write data to file /tmp/f: Bad file descriptor" || return
	bw --ro-bind / / --tmpfs /tmp --bind-data "$NOFD" /tmp/f true
	expect_error "Can't write data to file /tmp/f: Bad file descriptor" || return
	bw --add-seccomp-fd "$NOFD" --ro-bind / / true
	expect_error "Can't read seccomp data: Bad file descriptor"
}
tcase "fds that are not open: --args, --file, --bind-data, --add-seccomp-fd" case_unopened_fds

# ---------------------------------------------------------------- where parsing stops

case_double_dash() {
	bw --ro-bind / / -- sh -c 'printf "[%s]" "$@"' sh --bind a b -- --help
	assert_ok || return
	assert_eq "[--bind][a][b][--][--help]" "$out" "payload arguments"
}
tcase "'--' ends the options; later words reach the payload verbatim" case_double_dash

case_double_dash_dash_command() {
	bw --ro-bind / / -- --not-an-option
	expect_error "execvp --not-an-option: No such file or directory"
}
tcase "after '--' a word starting with '-' is the command" case_double_dash_dash_command

case_first_nonoption() {
	bw --ro-bind / / sh -c 'printf "[%s]" "$@"' sh --unshare-net --foo --
	assert_ok || return
	assert_eq "[--unshare-net][--foo][--]" "$out" "payload arguments"
}
tcase "the first non-option word is the command; options after it are its args" case_first_nonoption

case_missing_command() {
	bw --ro-bind / / /no/such/command
	expect_error "execvp /no/such/command: No such file or directory"
}
tcase "a command that does not exist: 'execvp X: No such file or directory', exit 1" case_missing_command

# ---------------------------------------------------------------- --args

case_args_basic() {
	printf -- '--setenv\0HUTCH_A\0from args\0--chdir\0/usr\0' >"$T/args1"
	run_cmd_in "$BW" --args 3 --ro-bind / / sh -c 'echo "$HUTCH_A"; pwd' 3<"$T/args1" </dev/null
	assert_ok || return
	assert_eq "from args
/usr" "$out" "payload output"
}
tcase "--args FD: NUL-separated options are parsed" case_args_basic

case_args_several() {
	printf -- '--setenv\0HUTCH_A\0one\0--setenv\0HUTCH_B\0one' >"$T/args2a"
	printf -- '--setenv\0HUTCH_B\0two\0' >"$T/args2b"
	run_cmd_in "$BW" --args 3 --ro-bind / / --args 4 sh -c 'echo "$HUTCH_A $HUTCH_B"' 3<"$T/args2a" 4<"$T/args2b" </dev/null
	assert_ok || return
	assert_eq "one two" "$out" "payload output (last word without NUL counts; later --args wins)"
}
tcase "several --args, applied in command-line order" case_args_several

case_args_in_place() {
	printf -- '--setenv\0HUTCH_A\0from-args\0' >"$T/args3"
	run_cmd_in "$BW" --ro-bind / / --setenv HUTCH_A before --args 3 --setenv HUTCH_B after sh -c 'echo "$HUTCH_A $HUTCH_B"' 3<"$T/args3" </dev/null
	assert_ok || return
	assert_eq "from-args after" "$out" "payload output"
}
tcase "--args words are spliced in at the position of --args" case_args_in_place

case_args_ops() {
	printf -- '--ro-bind\0/\0/\0--tmpfs\0/tmp\0--dir\0/tmp/from-args\0' >"$T/args4"
	run_cmd_in "$BW" --args 3 ls /tmp 3<"$T/args4" </dev/null
	assert_ok || return
	assert_eq from-args "$out" "payload output"
}
tcase "--args can carry the whole sandbox setup (binds, tmpfs, dir)" case_args_ops

case_args_stops_at_nonoption() {
	printf -- '--setenv\0HUTCH_A\0a\0sh\0-c\0echo FROM FILE\0--setenv\0HUTCH_B\0b\0' >"$T/args5"
	run_cmd_in "$BW" --args 3 --ro-bind / / sh -c 'echo "cmdline:$HUTCH_A:${HUTCH_B-unset}"' 3<"$T/args5" </dev/null
	assert_ok || return
	assert_eq "cmdline:a:unset" "$out" "payload output"
}
tcase "a non-option word in an --args file ends that file; the rest is ignored" case_args_stops_at_nonoption

case_args_no_command_from_file() {
	printf -- '--ro-bind\0/\0/\0sh\0-c\0echo hi\0' >"$T/args6"
	run_cmd_in "$BW" --args 3 3<"$T/args6" </dev/null
	if [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		# bwrap ignores a command inside the data: no command, usage.
		assert_rc 1 || return
		assert_match "$(printf '%s\n' "$err" | head -n 1)" '^usage: ([^ ]*/)?bwrap ' "first line of stderr"
		assert_eq "" "$out" "stdout (the file's command must not run)"
	else
		# hutch's extension: with no command on the real command line,
		# the one inside the data runs (where bwrap only printed usage).
		assert_ok || return
		assert_eq "hi" "$out" "payload output"
	fi
}
tcase "a command inside an --args file runs only when the command line has none" case_args_no_command_from_file

case_args_split_option() {
	printf -- '--ro-bind\0/' >"$T/args7"
	run_cmd_in "$BW" --args 3 / true 3<"$T/args7" </dev/null
	expect_error "--ro-bind takes two arguments"
}
tcase "an option cut off at the end of an --args file is an error" case_args_split_option

case_args_nested() {
	printf -- '--args\0005\0' >"$T/args8"
	run_cmd_in "$BW" --args 3 true 3<"$T/args8" </dev/null
	expect_error "--args not supported in arguments file"
}
tcase_noprobe "--args inside an --args file is refused" case_args_nested

case_args_empty() {
	: >"$T/args9"
	run_cmd_in "$BW" --args 3 --ro-bind / / echo ok 3<"$T/args9" </dev/null
	assert_ok || return
	assert_eq ok "$out" "payload output"
}
tcase "an empty --args file adds nothing" case_args_empty

# ---------------------------------------------------------------- warnings

case_warn_chdir() {
	bw --ro-bind / / --chdir / --chdir /usr pwd
	assert_ok || return
	assert_eq "/usr" "$out" "payload cwd (the last --chdir)"
	assert_eq "bwrap: Only the last --chdir option will take effect" "$err" "stderr"
}
tcase "--chdir twice: warning, the last one wins" case_warn_chdir

case_warn_hostname() {
	bw --ro-bind / / --unshare-uts --hostname first --hostname second hostname
	assert_ok || return
	assert_eq second "$out" "hostname"
	assert_eq "bwrap: Only the last --hostname option will take effect" "$err" "stderr"
}
tcase "--hostname twice: warning, the last one wins" case_warn_hostname

case_warn_uid_gid() {
	bw --ro-bind / / --unshare-user --uid 11 --uid 12 --gid 21 --gid 22 sh -c 'echo $(id -u) $(id -g)'
	assert_ok || return
	assert_eq "12 22" "$out" "ids"
	assert_eq "bwrap: Only the last --uid option will take effect
bwrap: Only the last --gid option will take effect" "$err" "stderr"
}
tcase "--uid/--gid twice: warnings, the last ones win" case_warn_uid_gid

case_warn_fds() {
	_bad=
	for _o in --sync-fd --block-fd; do
		bw --ro-bind / / "$_o" 0 "$_o" 0 true
		[ "$rc" = 0 ] && [ "$err" = "bwrap: Only the last $_o option will take effect" ] ||
			_bad="$_bad
[$_o twice] rc=$rc stderr='$err'"
	done
	for _o in --info-fd --json-status-fd; do
		run_cmd "$BW" --ro-bind / / "$_o" 3 "$_o" 3 true 3>"$T/status-out"
		[ "$rc" = 0 ] && [ "$err" = "bwrap: Only the last $_o option will take effect" ] &&
			grep -q '"child-pid"' "$T/status-out" ||
			_bad="$_bad
[$_o twice] rc=$rc stderr='$err' fd output='$(cat "$T/status-out")'"
	done
	assert_eq "" "$_bad" "fd options repeated"
}
tcase "--sync-fd/--block-fd/--info-fd/--json-status-fd twice: one warning each" case_warn_fds

case_warn_before_error() {
	bw --chdir / --chdir / --foo true
	assert_rc 1 || return
	assert_eq "bwrap: Only the last --chdir option will take effect
bwrap: Unknown option --foo" "$err" "stderr"
}
tcase_noprobe "warnings are printed as parsed, before a later error" case_warn_before_error

case_no_warn_repeatable() {
	bw --ro-bind / / --setenv A 1 --setenv A 2 --unshare-pid --unshare-pid --tmpfs /tmp --tmpfs /tmp --cap-drop ALL --cap-drop ALL sh -c 'echo $A'
	assert_ok || return
	assert_eq 2 "$out" "payload output"
	assert_eq "" "$err" "stderr (repeatable options do not warn)"
}
tcase "repeatable options (fs ops, --setenv, flags, caps) do not warn" case_no_warn_repeatable

# ---------------------------------------------------------------- prefix

case_prefix_bwrap() {
	bw --bogus
	expect_error "Unknown option --bogus"
}
tcase_noprobe "run through a symlink named bwrap, messages say 'bwrap: ...'" case_prefix_bwrap

case_prefix_basename() {
	[ "$HUTCH_IS_BWRAP" -eq 0 ] || { skip "bwrap's prefix is the literal 'bwrap:'"; return; }
	run_cmd "$T/bin/mysandbox" --bogus
	assert_rc 1 || return
	assert_eq "mysandbox: Unknown option --bogus" "$err" "stderr"
	run_cmd "$HUTCH" --bogus
	assert_eq "$(basename "$HUTCH"): Unknown option --bogus" "$err" "stderr when run as itself"
}
tcase_noprobe "messages are prefixed with the basename of argv[0]" case_prefix_basename

case_prefix_runtime() {
	bw --ro-bind / / --ro-bind "$T/nonexistent" /x true
	assert_rc 1 || return
	assert_match "$err" '^bwrap: ' "setup error prefix"
}
tcase "setup errors carry the prefix too" case_prefix_runtime

finish
