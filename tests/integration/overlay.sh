#!/bin/sh
# overlay.sh — --overlay-src with --overlay/--tmp-overlay/--ro-overlay, and
# --bind-fd/--ro-bind-fd: what the payload sees, and what reaches the host.
. "$(dirname "$0")/lib.sh"

R="--ro-bind / /"

mk_layers() {
	rm -rf "$T/l1" "$T/l2" "$T/up" "$T/work"
	mkdir -p "$T/l1" "$T/l2" "$T/up" "$T/work"
	printf 'one\n' >"$T/l1/a"
	printf 'b-from-l1\n' >"$T/l1/b"
	printf 'two\n' >"$T/l2/a"
}

overlay_supported() {
	need_bwrap 0.11.0 "overlays" || return 1
	return 0
}

case_tmp_overlay() {
	overlay_supported || return
	mk_layers
	hutch $R --tmpfs /tmp --overlay-src "$T/l1" --tmp-overlay /tmp/o \
		sh -c 'cat /tmp/o/a; echo changed >/tmp/o/a && echo new >/tmp/o/new && cat /tmp/o/a /tmp/o/new'
	assert_ok || return
	assert_eq "one
changed
new" "$out" "payload output"
	assert_eq "one" "$(cat "$T/l1/a")" "host lower layer after the run"
	assert_true "no new file on the host" test ! -e "$T/l1/new"
}
tcase "--tmp-overlay: writes succeed inside and never reach the host" case_tmp_overlay

case_ro_overlay_layers() {
	overlay_supported || return
	mk_layers
	hutch $R --tmpfs /tmp --overlay-src "$T/l1" --overlay-src "$T/l2" --ro-overlay /tmp/o \
		sh -c 'cat /tmp/o/a /tmp/o/b; touch /tmp/o/x 2>&1 | sed "s/.*: //"'
	assert_ok || return
	assert_eq "two
b-from-l1
Read-only file system" "$out" "payload output (the last --overlay-src is the top layer)"
}
tcase "--ro-overlay: layers stack, the last given on top, and it is read-only" case_ro_overlay_layers

case_overlay_rw() {
	overlay_supported || return
	mk_layers
	hutch $R --tmpfs /tmp --overlay-src "$T/l1" --overlay "$T/up" "$T/work" /tmp/o \
		sh -c 'echo kept >/tmp/o/new; echo edited >/tmp/o/a; cat /tmp/o/a'
	assert_ok || return
	assert_eq "edited" "$out" "payload output"
	assert_eq "kept" "$(cat "$T/up/new" 2>/dev/null)" "new file in the host's RWSRC"
	assert_eq "edited" "$(cat "$T/up/a" 2>/dev/null)" "copied-up file in the host's RWSRC"
	assert_eq "one" "$(cat "$T/l1/a")" "host lower layer after the run"
}
tcase "--overlay: writes land in RWSRC on the host, the lower layer is untouched" case_overlay_rw

case_overlay_odd_names() {
	overlay_supported || return
	_odd="$T/a,b:c d\\e"
	mkdir -p "$_odd"
	printf 'odd\n' >"$_odd/f"
	hutch $R --tmpfs /tmp --overlay-src "$_odd" --tmp-overlay /tmp/o cat /tmp/o/f
	assert_ok || return
	assert_eq "odd" "$out" "payload output"
}
tcase "overlay sources with ',', ':', ' ' and '\\' in their paths" case_overlay_odd_names

case_overlay_missing_source() {
	overlay_supported || return
	hutch $R --overlay-src "$T/nope" --tmp-overlay /tmp/o true
	assert_error_run "Can't find source path $T/nope: No such file or directory"
}
tcase "a missing --overlay-src is reported by path" case_overlay_missing_source

case_overlay_dangling() {
	overlay_supported || return
	hutch $R --overlay-src "$T" true
	assert_error_run "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay"
	hutch $R --overlay-src "$T" --ro-overlay /tmp/o true
	assert_error_run "--ro-overlay requires at least two --overlay-src"
}
tcase "overlay rules: dangling --overlay-src, too few layers" case_overlay_dangling

case_bind_fd() {
	need_bwrap 0.9.0 "--bind-fd" || return
	mkdir -p "$T/fdsrc"
	printf 'via fd\n' >"$T/fdsrc/f"
	run_cmd_in "$HUTCH" $R --tmpfs /tmp --bind-fd 5 /tmp/b \
		sh -c 'cat /tmp/b/f; echo w >/tmp/b/w && echo wrote' 5<"$T/fdsrc" </dev/null
	assert_ok || return
	assert_eq "via fd
wrote" "$out" "payload output"
	assert_true "the write reached the bound directory" test -e "$T/fdsrc/w"
}
tcase "--bind-fd binds the directory the fd refers to, writable" case_bind_fd

case_ro_bind_fd() {
	need_bwrap 0.9.0 "--ro-bind-fd" || return
	mkdir -p "$T/fdsrc2"
	printf 'ro via fd\n' >"$T/fdsrc2/f"
	run_cmd_in "$HUTCH" $R --tmpfs /tmp --ro-bind-fd 5 /tmp/b \
		sh -c 'cat /tmp/b/f; touch /tmp/b/x 2>&1 | sed "s/.*: //"' 5<"$T/fdsrc2" </dev/null
	assert_ok || return
	assert_eq "ro via fd
Read-only file system" "$out" "payload output"
}
tcase "--ro-bind-fd binds read-only" case_ro_bind_fd

case_bind_fd_not_visible() {
	need_bwrap 0.9.0 "--bind-fd" || return
	run_cmd_in "$HUTCH" $R --bind-fd 5 /mnt sh -c 'test -e /proc/self/fd/5 && echo leaked || echo closed' \
		5<"$T" </dev/null
	assert_ok || return
	assert_eq "closed" "$out" "fd 5 inside the payload"
}
tcase "the --bind-fd fd is not passed to the payload" case_bind_fd_not_visible

finish
