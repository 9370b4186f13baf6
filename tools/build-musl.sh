#!/bin/sh
# tools/build-musl.sh — links hutch statically against musl (meson.build
# runs it; see the README, "Which C library").
#
#   build-musl.sh --cc MUSL_GCC --native-cc NATIVE_CC --out FILE
#                 --depfile FILE --tmp DIR [--include DIR]... [--lib FILE]...
#                 [--cflag FLAG]... [--probe] -- SOURCE...
#
# musl-gcc sees only musl's headers, so the kernel's (linux/, asm/,
# asm-generic/) and those of libcap and libseccomp are linked into a
# private include directory, found where the native compiler finds them.
# The distribution's static libcap and libseccomp are linked as they are
# (src/compat/musl-fortify.c supplies the glibc entry points they call).
# Writes a depfile naming every header the sources used, so that meson
# rebuilds when one changes. --probe: only check that SOURCEs link into a
# program that runs and exits 0.
#
# Owns: DIR and the output files. Must not: touch anything else.
set -eu

cc= native_cc= out= depfile= tmp= probe=0
includes= libs= cflags=
while [ $# -gt 0 ]; do
	case $1 in
	--cc) cc=$2; shift ;;
	--native-cc) native_cc=$2; shift ;;
	--out) out=$2; shift ;;
	--depfile) depfile=$2; shift ;;
	--tmp) tmp=$2; shift ;;
	--include) includes="$includes -I$2"; shift ;;
	--lib) libs="$libs $2"; shift ;;
	--cflag) cflags="$cflags $2"; shift ;;
	--probe) probe=1 ;;
	--) shift; break ;;
	*) echo "build-musl.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$cc" ] && [ -n "$native_cc" ] && [ -n "$out" ] && [ -n "$tmp" ] ||
	{ echo "build-musl.sh: --cc, --native-cc, --out and --tmp are needed" >&2; exit 2; }

rm -rf "$tmp"
mkdir -p "$tmp/include/sys" "$tmp/obj"

# Where the native compiler finds a header: the path make -M prints.
header_path() {
	printf '#include <%s>\n' "$1" | $native_cc -M -E -x c - 2>/dev/null |
		tr ' \\' '\n\n' | grep -m1 "/$1\$"
}
for dir in linux asm asm-generic; do
	path=$(header_path "$dir/types.h") ||
		{ echo "build-musl.sh: no kernel headers ($dir/types.h; install linux-libc-dev)" >&2; exit 1; }
	ln -s "${path%/types.h}" "$tmp/include/$dir"
done
for header in sys/capability.h seccomp.h seccomp-syscalls.h; do
	path=$(header_path "$header") || { echo "build-musl.sh: no $header" >&2; exit 1; }
	ln -s "$path" "$tmp/include/$header"
done

n=0
objs=
for src in "$@"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # flag lists are word lists
	$cc $cflags $includes -isystem "$tmp/include" -MD -MF "$tmp/obj/$n.d" -c "$src" -o "$tmp/obj/$n.o"
	objs="$objs $tmp/obj/$n.o"
done
# shellcheck disable=SC2086
$cc -static -o "$out" $objs $libs
if [ "$probe" = 1 ]; then
	# The probe program checks that the libraries work, not only link.
	"$out" || { echo "build-musl.sh: $out failed" >&2; exit 1; }
fi

if [ "$probe" = 0 ] && [ -n "$depfile" ]; then
	{
		printf '%s:' "$out"
		cat "$tmp"/obj/*.d | sed 's/^[^:]*://; s/\\$//' | tr ' ' '\n' | grep -v '^$' | sort -u |
			sed 's/^/ /' | tr -d '\n'
		printf '\n'
	} >"$depfile"
fi
