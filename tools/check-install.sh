#!/bin/sh
# check-install.sh [BUILD_DIR] — packaging hygiene, the way a packager or
# a new user meets hutch: from a `meson dist` tarball.
#
#   1. `meson dist` (of the committed HEAD) into BUILD_DIR/meson-dist
#   2. the tarball is unpacked in a scratch directory, configured with
#      --prefix=/usr -Dapparmor=true, built with -Dwerror=true and its
#      whole test suite run (`meson test`; as root that includes the
#      unprivileged runs, as for the tree itself)
#   3. `meson install --destdir` of that build: every file must land where
#      its consumer looks for it (bash-completion's completionsdir, zsh's
#      site-functions, fish's vendor_completions.d, man1, apparmor.d), no
#      other file may be installed, the binary must not be setuid, and the
#      installed binary must run (--version, --check)
#   4. the same with --prefix=/usr/local and no AppArmor profile: every
#      path stays under the prefix
#
# BUILD_DIR (default: build) must be a configured build of this tree.
# Exits non-zero on the first problem; prints what it checked.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in
/*) ;;
*) build=$src/$build ;;
esac
[ -f "$build/build.ninja" ] || {
	echo "check-install: $build is not a configured build directory" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/hutch-check-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The unprivileged half of the test suite reads the tree as another user.
chmod 0755 "$work"

say() {
	printf 'check-install: %s\n' "$*"
}
die() {
	printf 'check-install: FAILED: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- 1. dist
say "meson dist (HEAD of $src)"
rm -rf "$build/meson-dist"
# The tests run below, on the unpacked tarball, so that a failure there
# leaves the tree to look at; uncommitted changes are not in the tarball.
meson dist -C "$build" --no-tests --allow-dirty --formats xztar >"$work/dist.log" 2>&1 ||
	{ cat "$work/dist.log" >&2; die "meson dist"; }
tarball=$(ls "$build"/meson-dist/hutch-*.tar.xz)
say "made $(basename "$tarball")"
tar -C "$work" -xf "$tarball"
tree=$(ls -d "$work"/hutch-*/)
tree=${tree%/}
for f in meson.build meson_options.txt README.md man/hutch.1 completions/hutch.bash completions/_hutch \
	completions/hutch.fish data/apparmor/hutch.in flatpak-example/run.sh tools/install-deps.sh; do
	[ -f "$tree/$f" ] || die "the tarball lacks $f"
done

# ---------------------------------------------------------------- 2. build and test it
say "building the tarball (--prefix=/usr -Dapparmor=true -Dwerror=true)"
meson setup "$work/b" "$tree" --prefix=/usr -Dapparmor=true -Dwerror=true >"$work/setup.log" 2>&1 ||
	{ cat "$work/setup.log" >&2; die "meson setup of the tarball"; }
ninja -C "$work/b" >"$work/ninja.log" 2>&1 || { cat "$work/ninja.log" >&2; die "building the tarball"; }
say "testing the tarball (meson test)"
meson test -C "$work/b" --print-errorlogs >"$work/test.log" 2>&1 || {
	cat "$work/test.log" >&2
	die "the tarball's test suite"
}
grep -E '^(Ok|Fail|Skipped):' "$work/test.log" | sed 's/^/check-install:   /'

# ---------------------------------------------------------------- 3. install, /usr
# check_tree ROOT EXPECTED... — exactly EXPECTED files (plus seccomp
# presets) are installed under ROOT.
check_tree() {
	root=$1
	shift
	(cd "$root" && find . -type f -o -type l) | sed 's|^\./||' | LC_ALL=C sort >"$work/got"
	printf '%s\n' "$@" | LC_ALL=C sort >"$work/want"
	# Seccomp presets are data the seccomp feature adds: allowed, not required.
	grep -vE '^(usr|usr/local)/share/hutch/seccomp/[^/]+\.policy$' "$work/got" >"$work/got-core" || true
	if ! cmp -s "$work/want" "$work/got-core"; then
		echo "expected:" >&2
		cat "$work/want" >&2
		echo "installed:" >&2
		cat "$work/got" >&2
		die "the installed files under $root differ from the expected list"
	fi
	for f in "$@"; do
		[ -s "$root/$f" ] || die "$f is empty"
	done
}

bash_dir=usr/share/bash-completion/completions
if pkg-config --exists bash-completion 2>/dev/null; then
	bash_dir=$(pkg-config --define-variable=datadir=/usr/share --variable=completionsdir bash-completion)
	bash_dir=${bash_dir#/}
fi

say "meson install --destdir (prefix /usr)"
meson install -C "$work/b" --destdir "$work/root" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; die "meson install"; }
check_tree "$work/root" \
	usr/bin/hutch \
	usr/share/man/man1/hutch.1 \
	"$bash_dir/hutch" \
	usr/share/zsh/site-functions/_hutch \
	usr/share/fish/vendor_completions.d/hutch.fish \
	etc/apparmor.d/hutch
mode=$(stat -c %a "$work/root/usr/bin/hutch")
[ "$mode" = 755 ] || die "usr/bin/hutch has mode $mode, want 755 (never setuid)"
grep -qxF 'profile hutch /usr/bin/hutch flags=(unconfined) {' "$work/root/etc/apparmor.d/hutch" ||
	die "the AppArmor profile does not name /usr/bin/hutch"
cmp -s "$work/root/usr/share/man/man1/hutch.1" "$src/man/hutch.1" || die "the installed manual is not man/hutch.1"
"$work/root/usr/bin/hutch" --version | grep -q '^hutch ' || die "the installed hutch --version"
"$work/root/usr/bin/hutch" --check >"$work/check.txt" 2>&1 || {
	cat "$work/check.txt" >&2
	die "the installed hutch --check"
}
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$work/root/usr/share/man/man1/hutch.1" || die "mandoc -T lint of the installed manual"
fi
say "ok: $(wc -l <"$work/got") files, in their places"

# ---------------------------------------------------------------- 4. install, /usr/local
say "meson install --destdir (prefix /usr/local, no AppArmor profile)"
meson setup "$work/b2" "$tree" --prefix=/usr/local -Dtests=false >"$work/setup2.log" 2>&1 ||
	{ cat "$work/setup2.log" >&2; die "meson setup --prefix=/usr/local"; }
meson install -C "$work/b2" --destdir "$work/root2" >"$work/install2.log" 2>&1 ||
	{ cat "$work/install2.log" >&2; die "meson install (/usr/local)"; }
check_tree "$work/root2" \
	usr/local/bin/hutch \
	usr/local/share/man/man1/hutch.1 \
	"usr/local/${bash_dir#usr/}/hutch" \
	usr/local/share/zsh/site-functions/_hutch \
	usr/local/share/fish/vendor_completions.d/hutch.fish
say "ok: every file under /usr/local"
say "passed"
