#!/bin/sh
# check.sh — `hutch --check`: the report says whether a default sandbox
# starts, as text and as JSON, its exit status agrees, what it reports
# about /etc/subuid and /etc/subgid is what those files say for the
# caller, and on a machine where user namespaces are blocked (simulated
# inside a sandbox with --disable-userns) it fails and says how to fix it.
#
# The JSON is parsed with python3 (which meson itself runs on).
. "$(dirname "$0")/lib.sh"

# json_query FILE — parses FILE as JSON and prints facts about it, one
# "key=value" a line, for the cases to assert on; exits non-zero with a
# message when FILE is not the document --check promises.
json_query() {
	python3 - "$1" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    text = f.read()
try:
    doc = json.loads(text)
except ValueError as e:
    sys.exit("not JSON: %s" % e)
def need(cond, what):
    if not cond:
        sys.exit("bad document: " + what)
need(isinstance(doc, dict), "top level is not an object")
for key, kind in (("version", str), ("kernel", str), ("uid", int), ("sandbox-ok", bool), ("checks", list)):
    need(isinstance(doc.get(key), kind), "%s missing or not %s" % (key, kind.__name__))
need(doc["user"] is None or isinstance(doc["user"], str), "user is neither null nor a string")
print("sandbox-ok=%s" % ("true" if doc["sandbox-ok"] else "false"))
print("uid=%d" % doc["uid"])
print("user=%s" % (doc["user"] or ""))
fails = 0
for c in doc["checks"]:
    need(isinstance(c, dict), "a check is not an object")
    need(isinstance(c.get("name"), str) and c["name"], "a check without a name")
    need(c.get("status") in ("ok", "info", "warn", "fail"), "%s: bad status %r" % (c["name"], c.get("status")))
    need(isinstance(c.get("summary"), str) and c["summary"], "%s: no summary" % c["name"])
    need(c.get("fix") is None or isinstance(c["fix"], str), "%s: fix is not null or a string" % c["name"])
    need(isinstance(c.get("details"), list) and all(isinstance(d, str) for d in c["details"]),
         "%s: details is not a list of strings" % c["name"])
    if c["status"] in ("fail", "warn"):
        need(c["fix"], "%s is %s but says no fix" % (c["name"], c["status"]))
    fails += c["status"] == "fail"
    print("status.%s=%s" % (c["name"], c["status"]))
    print("fix.%s=%s" % (c["name"], (c["fix"] or "").replace("\n", " ")))
    for d in c["details"]:
        print("detail.%s=%s" % (c["name"], d))
need((fails == 0) == doc["sandbox-ok"], "sandbox-ok disagrees with the fail count")
EOF
}

need_python() {
	need_cmd python3 || return 1
}

case_text_report() {
	hutch --check
	assert_rc 0 "exit status (a sandbox starts here: the probe said so)" || return
	assert_contains "$out" "A default sandbox starts here" "the verdict"
	assert_match "$out" '^ok +sandbox ' "the end-to-end line"
	assert_match "$out" '^ok +user-namespace |^(WARN|info) +user-namespace ' "the user namespace line"
	# Every check line starts with its status tag.
	_bad=$(printf '%s\n' "$out" | sed -n '3,$p' | grep -E '^[^ ]' | grep -vE '^(ok  |info|WARN|FAIL)  [a-z0-9-]+ ' |
		grep -v '^A default sandbox')
	assert_eq "" "$_bad" "lines without a status tag"
	assert_eq "" "$err" "stderr"
}
tcase "--check reports that a default sandbox starts, and exits 0" case_text_report

case_json_report() {
	need_python || return
	hutch --check --json
	assert_rc 0 || return
	printf '%s\n' "$out" >"$T/report.json"
	if ! facts=$(json_query "$T/report.json" 2>&1); then
		fail "the JSON report: $facts"
		_show_run
		return
	fi
	assert_contains "$facts" "sandbox-ok=true" "sandbox-ok" || return
	assert_contains "$facts" "uid=$HOST_UID" "uid"
	assert_contains "$facts" "user=$(id -un)" "user name"
	for _name in not-setuid user-namespace mount-namespace newuidmap newgidmap no-new-privs subuid subgid \
		openat2 seccomp landlock sandbox map-auto; do
		assert_match "$facts" "^status\.$_name=" "a '$_name' check" || return
	done
	assert_contains "$facts" "status.sandbox=ok" "the end-to-end check"
	assert_contains "$facts" "status.not-setuid=ok" "the setuid check"
	# The order of --check and --json does not matter.
	# --map-auto works exactly when its prerequisites are reported ok.
	if printf '%s\n' "$facts" | grep -qx 'status.subuid=ok' && printf '%s\n' "$facts" | grep -qx 'status.subgid=ok' &&
		{ [ "$IS_ROOT" = 1 ] || printf '%s\n' "$facts" | grep -qx 'status.newuidmap=ok'; }; then
		assert_contains "$facts" "status.map-auto=ok" "map-auto with its prerequisites ok"
	else
		assert_contains "$facts" "status.map-auto=warn" "map-auto without its prerequisites"
	fi
	hutch --json --check
	assert_rc 0 "exit status of --json --check"
	printf '%s\n' "$out" >"$T/report2.json"
	json_query "$T/report2.json" >/dev/null 2>&1 || fail "--json --check printed no valid JSON"
}
tcase "--check --json is a valid report and agrees with the exit status" case_json_report

# subid_case FILE NAME — the check NAME lists exactly the lines FILE has
# for the caller (by user name or uid), or warns with a usermod fix.
subid_case() {
	need_python || return
	hutch --check --json
	printf '%s\n' "$out" >"$T/report.json"
	facts=$(json_query "$T/report.json" 2>&1) || {
		fail "the JSON report: $facts"
		return
	}
	_user=$(id -un)
	# The report names the owner by user name, whichever way the file does.
	_want=$(grep -E "^($_user|$HOST_UID):[0-9]+:[0-9]+[[:space:]]*$" "$1" 2>/dev/null | tr -d ' \t\r' |
		sed "s/^$HOST_UID:/$_user:/")
	_got=$(printf '%s\n' "$facts" | sed -n "s/^detail\.$2=//p")
	if [ -n "$_want" ]; then
		assert_contains "$facts" "status.$2=ok" "status of $2" || return
		assert_eq "$_want" "$_got" "$2 entries reported against $1"
	else
		assert_contains "$facts" "status.$2=warn" "status of $2 without an entry" || return
		assert_match "$facts" "^fix\.$2=sudo usermod --add-sub" "the fix"
	fi
	# The text report shows the same lines.
	hutch --check
	for _line in $_want; do
		assert_match "$out" "^ +$_line\$" "$_line in the text report"
	done
}
tcase "the subuid lines reported are the caller's lines of /etc/subuid" subid_case /etc/subuid subuid
tcase "the subgid lines reported are the caller's lines of /etc/subgid" subid_case /etc/subgid subgid

# Inside a sandbox whose user namespace forbids nesting (--disable-userns),
# as a non-root id, nothing can create a user namespace: --check must say
# so, name a fix, and exit 1.
case_blocked_userns() {
	hutch --ro-bind / / --unshare-user --uid 4242 --gid 4242 --disable-userns --proc /proc --dev /dev \
		-- "$HUTCH" --check
	assert_rc 1 "exit status (no user namespace can be created)" || return
	assert_match "$out" '^FAIL +user-namespace ' "the user namespace line"
	assert_match "$out" '^FAIL +sandbox ' "the end-to-end line"
	assert_contains "$out" "will NOT start" "the verdict"
	assert_match "$out" 'fix: ' "a fix"
	need_python || return
	hutch --ro-bind / / --unshare-user --uid 4242 --gid 4242 --disable-userns --proc /proc --dev /dev \
		-- "$HUTCH" --check --json
	assert_rc 1 "exit status with --json" || return
	printf '%s\n' "$out" >"$T/blocked.json"
	facts=$(json_query "$T/blocked.json" 2>&1) || {
		fail "the JSON report: $facts"
		return
	}
	assert_contains "$facts" "sandbox-ok=false" "sandbox-ok"
	assert_contains "$facts" "status.user-namespace=fail" "user-namespace status"
	assert_contains "$facts" "uid=4242" "uid as seen inside"
}
tcase "--check fails, with a fix, where user namespaces are blocked" case_blocked_userns

# A copy of hutch with the setuid bit (owned by root and run by root, so
# that main.c's real/effective id check lets it through) or with file
# capabilities: --check must call both out.
case_privileged_binary() {
	need_root || return
	mkdir -p "$T/priv"
	cp "$HUTCH" "$T/priv/hutch"
	chmod 4755 "$T/priv/hutch"
	run_cmd "$T/priv/hutch" --check
	assert_rc 1 "exit status (setuid binary)" || return
	assert_match "$out" "^FAIL +not-setuid +$T/priv/hutch is installed setuid" "the setuid line"
	assert_contains "$out" "fix: sudo chmod u-s,g-s $T/priv/hutch" "the fix"
	need_cmd setcap || return
	chmod 0755 "$T/priv/hutch"
	setcap cap_net_raw+ep "$T/priv/hutch" || {
		skip "setcap failed (no file capability support on this file system?)"
		return
	}
	run_cmd "$T/priv/hutch" --check
	assert_rc 1 "exit status (file capabilities)" || return
	assert_match "$out" "^FAIL +not-setuid +$T/priv/hutch has file capabilities \\(cap_net_raw=ep\\)" "the file caps line"
	assert_contains "$out" "fix: sudo setcap -r $T/priv/hutch" "the fix"
}
tcase "--check fails for a setuid binary or one with file capabilities" case_privileged_binary

case_usage() {
	hutch --json
	assert_rc 1 "--json alone" || return
	assert_contains "$err" "--json is only valid together with --check" "message"
	hutch --check --ro-bind / /
	assert_rc 1 "--check with a sandbox option" || return
	assert_contains "$err" "--check takes no other option than --json, not --ro-bind" "message"
	hutch --check true
	assert_rc 1 "--check with a command" || return
	assert_contains "$err" "--check runs no command" "message"
	assert_eq "" "$out" "stdout"
}
tcase_noprobe "--check takes nothing but --json" case_usage

finish
