#!/bin/sh
# setup-test-user.sh — create the unprivileged user that integration
# tests drop to when the suite is started as root, with a subordinate id
# range in /etc/subuid and /etc/subgid (for the id-range tests). Idempotent.
set -eu

user=${HUTCH_TEST_USER:-hutchtest}
if ! getent passwd "$user" >/dev/null; then
	useradd --create-home --shell /bin/sh "$user"
fi
for f in /etc/subuid /etc/subgid; do
	touch "$f"
	if ! grep -q "^$user:" "$f"; then
		echo "$user:200000:65536" >>"$f"
	fi
done
echo "setup-test-user: $user ready ($(id "$user"))"
