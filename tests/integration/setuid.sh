#!/bin/sh
# setuid.sh — hutch is rootless by design: installed setuid or setgid it
# refuses to run, before parsing anything.
. "$(dirname "$0")/lib.sh"

# A setuid-root copy of the binary, runnable by an unprivileged user: only
# root can make one, and only a user other than root can run it
# meaningfully, so the case needs root and the test user.
case_refuses_setuid() {
	need_root || return
	[ "$HUTCH_IS_BWRAP" -eq 0 ] || { skip "bwrap supports setuid installs"; return; }
	_user=${HUTCH_TEST_USER:-hutchtest}
	getent passwd "$_user" >/dev/null || { skip "no user $_user"; return; }
	mkdir -p "$T/suid"
	cp "$HUTCH" "$T/suid/hutch"
	chmod 4755 "$T/suid/hutch"
	run_cmd setpriv --reuid="$_user" --regid="$_user" --init-groups "$T/suid/hutch" --ro-bind / / id -u
	assert_rc 1 || return
	assert_contains "$err" "refusing to run setuid or setgid" "stderr"
	assert_eq "" "$out" "stdout (nothing ran)"
	# chgrp clears the set-id bits, so it goes first.
	chgrp root "$T/suid/hutch"
	chmod 2755 "$T/suid/hutch"
	run_cmd setpriv --reuid="$_user" --regid="$_user" --init-groups "$T/suid/hutch" --version
	assert_rc 1 "exit status (setgid)"
}
tcase "a setuid or setgid hutch refuses to run" case_refuses_setuid

finish
