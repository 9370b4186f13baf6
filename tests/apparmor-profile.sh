#!/bin/sh
# apparmor-profile.sh PROFILE BINARY — checks the AppArmor profile meson
# generated from data/apparmor/hutch.in (TAP).
#
#   1. it attaches to BINARY (the installed hutch) and grants `userns,`
#   2. apparmor_parser accepts it, without loading it into a kernel
#      (-Q, --skip-kernel-load; -K, no cache), when the parser knows
#      AppArmor 4.0's abi (which the userns rule needs)
#   3. with an older parser (Debian 12 ships 3.0), everything but the two
#      AppArmor 4 lines (the abi line and `userns,`) still parses, so a
#      syntax slip elsewhere is caught there too
#
# Without apparmor_parser (Debian package `apparmor`) the parser cases skip.
set -u

if [ $# -ne 2 ] || [ ! -r "$1" ]; then
	echo "Bail out! usage: $0 PROFILE BINARY"
	exit 1
fi
profile=$1
binary=$2
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; printf "%s\n" "$@" | sed "s/^/# /"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

if grep -qxF "profile hutch $binary flags=(unconfined) {" "$profile" && grep -qx '  userns,' "$profile"; then
	ok "the profile attaches to $binary and grants userns"
else
	not_ok "the profile attaches to $binary and grants userns" "$(cat "$profile")"
fi
if grep -q '@[A-Z_]*@' "$profile"; then
	not_ok "no placeholder is left" "$(grep '@[A-Z_]*@' "$profile")"
else
	ok "no placeholder is left"
fi

parser=
for p in "$(command -v apparmor_parser 2>/dev/null)" /usr/sbin/apparmor_parser /sbin/apparmor_parser; do
	if [ -n "$p" ] && [ -x "$p" ]; then
		parser=$p
		break
	fi
done
base=${APPARMOR_BASE:-/etc/apparmor.d}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# parse FILE — apparmor_parser's verdict on FILE; its output in $work/out.
parse() {
	"$parser" --skip-kernel-load --skip-cache --base "$base" "$1" >"$work/out" 2>&1
}

if [ -z "$parser" ]; then
	skip "apparmor_parser accepts the profile" "apparmor_parser is not installed (Debian package apparmor)"
	skip "apparmor_parser accepts the rest of the profile" "apparmor_parser is not installed"
elif [ ! -r "$base/tunables/global" ]; then
	skip "apparmor_parser accepts the profile" "no $base/tunables/global"
	skip "apparmor_parser accepts the rest of the profile" "no $base/tunables/global"
elif [ -e "$base/abi/4.0" ]; then
	if parse "$profile"; then
		ok "apparmor_parser accepts the profile"
	else
		not_ok "apparmor_parser accepts the profile" "$(cat "$work/out")"
	fi
	skip "apparmor_parser accepts the rest of the profile" "the whole profile was parsed"
else
	skip "apparmor_parser accepts the profile" "this apparmor_parser predates AppArmor 4.0 (no $base/abi/4.0)"
	grep -vx -e 'abi <abi/4.0>,' -e '  userns,' "$profile" >"$work/hutch"
	if [ "$(wc -l <"$work/hutch")" -ne $(($(wc -l <"$profile") - 2)) ]; then
		not_ok "apparmor_parser accepts the rest of the profile" "the two AppArmor 4 lines were not found"
	elif parse "$work/hutch"; then
		ok "apparmor_parser accepts the rest of the profile (without abi 4.0 and userns)"
	else
		not_ok "apparmor_parser accepts the rest of the profile" "$(cat "$work/out")"
	fi
fi

echo "1..$n"
exit $failed
