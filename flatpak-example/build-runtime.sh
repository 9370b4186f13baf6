#!/bin/sh
# build-runtime.sh DIR — assemble a tiny flatpak-style "runtime" and "app"
# under DIR, from files of the host, for run.sh to launch.
#
#   DIR/usr   the runtime: a shell and a handful of coreutils programs,
#             plus every shared library they need (found with ldd), laid
#             out the way a flatpak runtime is: everything under usr/, so
#             that /lib, /lib64, /bin and /sbin can be symlinks into it.
#   DIR/app   the application: bin/hello.sh, which reports what it sees.
#
# Nothing is downloaded and nothing outside DIR is written. DIR is
# created if needed; an existing DIR/usr or DIR/app is replaced.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if ! command -v ldd >/dev/null 2>&1; then
	echo "$0: ldd is needed to find the libraries of the host programs" >&2
	exit 1
fi

# DIR/usr and DIR/app are replaced; refuse to touch them unless this
# script made them (a mistyped DIR=/ must never lose /usr).
marker=$dir/.hutch-flatpak-example
if { [ -e "$dir/usr" ] || [ -e "$dir/app" ]; } && [ ! -e "$marker" ]; then
	echo "$0: $dir/usr or $dir/app exists and was not made by this script; choose an empty DIR" >&2
	exit 1
fi
rm -rf "${dir:?}/usr" "${dir:?}/app"
: >"$marker"
mkdir -p "$dir/usr/bin" "$dir/usr/lib" "$dir/app/bin"

# runtime_path HOST_PATH — where a host file goes inside the runtime's
# usr/: /usr/lib/x -> usr/lib/x, /lib/x -> usr/lib/x, /lib64/x -> usr/lib64/x.
runtime_path() {
	case $1 in
	/usr/*) echo "$dir$1" ;;
	*) echo "$dir/usr$1" ;;
	esac
}

# copy_libs PROGRAM — copy every library ldd names for PROGRAM (and the
# dynamic loader) into the runtime, following symlinks to the real file
# but keeping the name the loader asks for.
copy_libs() {
	ldd "$1" 2>/dev/null | while read -r first second third rest; do
		case $second in
		'=>') lib=$third ;;   # libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)
		*) lib=$first ;;      # /lib64/ld-linux-x86-64.so.2 (0x...)
		esac
		case $lib in
		/*) ;;
		*) continue ;;        # linux-vdso.so.1, "not a dynamic executable"
		esac
		dest=$(runtime_path "$lib")
		[ -e "$dest" ] && continue
		mkdir -p "$(dirname "$dest")"
		cp -L "$lib" "$dest"
	done
}

# The shell first: whatever /bin/sh is on the host becomes usr/bin/sh.
sh_path=$(readlink -f /bin/sh)
cp -L "$sh_path" "$dir/usr/bin/sh"
copy_libs "$sh_path"

for prog in cat id ls readlink stat touch env uname head mkdir rm; do
	path=$(command -v "$prog" 2>/dev/null) || {
		echo "$0: $prog not found on this host" >&2
		exit 1
	}
	cp -L "$path" "$dir/usr/bin/$prog"
	copy_libs "$path"
done

# Empty directories a runtime has, so that the symlinks run.sh makes
# (/bin -> usr/bin, /sbin -> usr/sbin, /lib64 -> usr/lib64) resolve.
mkdir -p "$dir/usr/sbin" "$dir/usr/lib64" "$dir/usr/share"
chmod -R a+rX "$dir/usr"

# ---------------------------------------------------------------- the app
cat >"$dir/app/bin/hello.sh" <<'EOF'
#!/bin/sh
# hello.sh — a flatpak-style app that says what its sandbox looks like.
echo "Hello from $FLATPAK_ID"
echo "pid: $$"
echo "uid: $(id -u) ($(id -un 2>/dev/null || echo '?'))"
echo "--- /.flatpak-info"
cat /.flatpak-info
echo "--- end of /.flatpak-info"
if touch /usr/.probe 2>/dev/null; then echo "usr: writable"; else echo "usr: read-only"; fi
if touch /app/.probe 2>/dev/null; then echo "app: writable"; else echo "app: read-only"; fi
# Directory listings on one line ("tmp: a b"), empty when empty.
echo "tmp:" $(ls -A /tmp)
echo "XDG_RUNTIME_DIR: $XDG_RUNTIME_DIR ($(stat -c %a "$XDG_RUNTIME_DIR"))"
echo "runtime dir:" $(ls -A "$XDG_RUNTIME_DIR")
if [ -e /home ]; then echo "home: visible"; else echo "home: not visible"; fi
# Network interfaces other than the header lines of /proc/net/dev.
ifaces=
while read -r name rest; do
	case $name in
	*:) ifaces="$ifaces ${name%:}" ;;
	esac
done </proc/net/dev
echo "network interfaces:$ifaces"
while read -r key value rest; do
	case $key in
	NoNewPrivs: | Seccomp: | Seccomp_filters:) echo "$key $value" ;;
	esac
done </proc/self/status
# --new-session: the session was created inside the sandbox, so its
# leader has a pid here (1 or this very process); a session inherited
# from outside the pid namespace shows as 0.
set -- $(cat /proc/$$/stat)
if [ "$6" = 0 ]; then echo "session: inherited from outside"; else echo "session: new (sid $6)"; fi
echo "bye"
EOF
chmod 0755 "$dir/app/bin/hello.sh"
chmod -R a+rX "$dir/app"

echo "runtime in $dir/usr, app in $dir/app"
