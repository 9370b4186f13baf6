#!/bin/sh
# install-deps.sh — install what building and testing hutch needs on
# Debian 12 (and derivatives), as root or through sudo.
#
# python3 parses the JSON of `hutch --check --json` in the tests (meson
# needs it anyway); setcap (libcap2-bin) makes the binary with file
# capabilities that --check must refuse; musl-tools lets the build link
# hutch against musl (README: "Which C library").
#
# When run as root it also creates the unprivileged user the test suite
# drops to (hutchtest, with a subordinate id range), because a root-run
# `meson test` runs every integration case both as root and as that
# user. Set HUTCH_SKIP_TEST_USER=1 to leave /etc/passwd alone.
set -eu

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
else
	SUDO=sudo
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
	ca-certificates gcc libc6-dev musl-tools meson ninja-build pkg-config \
	libcap-dev libseccomp-dev libglib2.0-dev \
	uidmap iproute2 procps util-linux mandoc bash-completion zsh fish strace python3 libcap2-bin >/dev/null

if [ "$(id -u)" -eq 0 ] && [ "${HUTCH_SKIP_TEST_USER:-0}" != 1 ]; then
	sh "$(dirname "$0")/../tests/setup-test-user.sh"
fi
echo "install-deps: done"
