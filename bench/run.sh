#!/bin/sh
# bench/run.sh — start-up benchmark of hutch against bwrap (issue 6).
#
#   sh bench/run.sh [--quick] [--hutch PATH] [--bwrap PATH | --no-bwrap]
#                   [--user NAME] [--keep] [--help]
#
# Times, as an unprivileged user, many runs of each case for hutch and (when
# installed) bwrap in the same run, interleaved in blocks, and prints the
# median and spread (p10/p90) of each, the hutch/bwrap ratios, and the
# `unshare` floor. Started as root it copies the binaries into a fresh
# world-readable directory under /tmp and re-runs itself as NAME (default
# hutchtest) through setpriv. See bench/README.md for the cases and what
# each number means. It reports; it never fails on a number.
#
# Owns: its own mktemp directories. Must not: touch anything else, or be
# called from a test (timings are never asserted).
# shellcheck disable=SC2046,SC2015 # word splitting of bench-tool output is wanted
set -eu

NL='
'
me=$(basename "$0")
bench_dir=$(cd "$(dirname "$0")" && pwd)
quick=0
keep=0
hutch=
bwrap=
no_bwrap=0
user=${HUTCH_BENCH_USER:-hutchtest}

usage() {
	sed -n '2,14s/^# \{0,1\}//p' "$0"
}

die() {
	echo "$me: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--keep) keep=1 ;;
	--hutch) [ $# -ge 2 ] || die "--hutch needs a path"; hutch=$2; shift ;;
	--bwrap) [ $# -ge 2 ] || die "--bwrap needs a path"; bwrap=$2; shift ;;
	--no-bwrap) no_bwrap=1 ;;
	--user) [ $# -ge 2 ] || die "--user needs a name"; user=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument $1 (try --help)" ;;
	esac
	shift
done

[ -n "$hutch" ] || hutch=$bench_dir/../build/hutch
[ -x "$hutch" ] || die "no hutch binary at $hutch (build with: ninja -C build, or pass --hutch PATH)"
hutch=$(cd "$(dirname "$hutch")" && pwd)/$(basename "$hutch")
if [ "$no_bwrap" = 1 ]; then
	bwrap=
elif [ -z "$bwrap" ]; then
	bwrap=$(command -v bwrap || true)
fi

# ---- root: drop to the unprivileged user ---------------------------------
if [ "$(id -u)" -eq 0 ] && [ "${HUTCH_BENCH_INNER:-0}" != 1 ]; then
	getent passwd "$user" >/dev/null ||
		die "started as root, but user '$user' does not exist (create it with: sh tests/setup-test-user.sh)"
	command -v setpriv >/dev/null || die "started as root, but setpriv (util-linux) is missing"
	stage=$(mktemp -d /tmp/hutch-bench-stage.XXXXXX)
	trap 'rm -rf "$stage"' EXIT
	trap 'exit 130' INT TERM
	chmod 755 "$stage"
	mkdir "$stage/bench"
	cp "$bench_dir"/run.sh "$bench_dir"/*.c "$stage/bench/"
	cp "$hutch" "$stage/hutch"
	set -- --hutch "$stage/hutch"
	if [ -n "$bwrap" ]; then
		cp "$bwrap" "$stage/bwrap"
		set -- "$@" --bwrap "$stage/bwrap"
	else
		set -- "$@" --no-bwrap
	fi
	[ "$quick" = 1 ] && set -- "$@" --quick
	[ "$keep" = 1 ] && set -- "$@" --keep
	chmod -R a+rX "$stage"
	echo "$me: running as $user (copied binaries to $stage)"
	cd "$stage"
	rc=0
	setpriv --reuid="$user" --regid="$user" --clear-groups --reset-env \
		env HUTCH_BENCH_INNER=1 sh "$stage/bench/run.sh" "$@" || rc=$?
	exit "$rc"
fi

# ---- set-up ---------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/hutch-bench.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "raw data kept in $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"

CC=${CC:-cc}
BT=$work/bench-tool
$CC -O2 -o "$BT" "$bench_dir/bench-tool.c" || die "can't compile bench-tool.c (install gcc)"
seccomp_file=
if $CC -O2 -o "$work/seccomp-filter" "$bench_dir/seccomp-filter.c" -lseccomp 2>"$work/cc.log" &&
	"$work/seccomp-filter" "$work/filter.bpf"; then
	seccomp_file=$work/filter.bpf
else
	echo "note: no libseccomp-dev; case 3 runs without --seccomp" >&2
fi
nop=$work/nop
$CC -O2 -static -nostdlib -o "$nop" "$bench_dir/nop.c" 2>/dev/null ||
	$CC -O2 -static -o "$nop" "$bench_dir/nop.c" 2>/dev/null ||
	nop=$(command -v true)

# Run counts: default / --quick.
if [ "$quick" = 1 ]; then
	n_small=60 blocks=4 warm=3
	n_s10=20 n_s100=15 n_s1000=6 n_s2900=3 nb_s1000=1 nb_s2900=1
	rate_secs=2 rate_cases="1" n_rss=5 nb_rss=1
else
	n_small=300 blocks=10 warm=5
	n_s10=100 n_s100=60 n_s1000=30 n_s2900=12 nb_s1000=5 nb_s2900=3
	rate_secs=5 rate_cases="1 2" n_rss=20 nb_rss=3
fi

# A writable work dir (case 2), a home for case 3, and the bind sources
# of case 4: 2899 distinct directories.
mkdir "$work/work" "$work/app-home" "$work/binds" "$work/raw"
(cd "$work/binds" && seq -f 'd%04g' 0 2898 | xargs mkdir)

# A spec file is one word a line: bench-tool's own options (--fd ...),
# "--", then the command line. Words may hold spaces, never newlines.
spec() {
	_f=$1
	shift
	printf '%s\n' "$@" >"$_f"
}

# bench MODE SPECFILE OPTIONS... — runs bench-tool MODE on a spec.
bench() {
	_m=$1 _f=$2
	shift 2
	set -f
	IFS=$NL
	# shellcheck disable=SC2046
	set -- "$@" $(cat "$_f")
	unset IFS
	set +f
	"$BT" "$_m" "$@"
}

ns_to_ms() {
	awk -v x="$1" 'BEGIN { if (x == "nan" || x == "") print "n/a"; else printf "%.3f", x / 1e6 }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0 || a == "nan" || b == "nan") print "n/a"; else printf "%.3f", a / b }'
}

# verdict VALUE OP LIMIT — "ok" or "MISS" (a report, not a test).
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "n/a") { print "n/a"; exit }
		ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 >= l + 0)
		print ok ? "ok" : "MISS" }'
}

results=$work/results
: >"$results"
put() { echo "$1 $2" >>"$results"; }
get() { awk -v k="$1" '$1 == k { v = $2 } END { print v }' "$results"; }

row() { # KEY LABEL TOOL RAWFILE
	set -- "$1" "$2" "$3" $("$BT" stats "$4")
	printf '%-30s %-7s %5s %10s %10s %10s %10s\n' "$2" "$3" "$4" "$(ns_to_ms "$5")" "$(ns_to_ms "$6")" \
		"$(ns_to_ms "$7")" "$(ns_to_ms "$8")"
	put "$1.$3" "$5"
}

# works SPECFILE — one untimed run; false (with the error shown) if it fails.
works() {
	bench time "$1" -n 1 >/dev/null 2>"$work/err" && return 0
	sed 's/^/    /' "$work/err" | head -5 >&2
	return 1
}

# measure KEY LABEL RUNS_HUTCH RUNS_BWRAP BLOCKS WARMUP HUTCH_SPEC [BWRAP_SPEC
#         [FLOOR_SPEC FLOOR_KEY FLOOR_LABEL]]
# The tools alternate block by block, so drift (thermal, other load) hits
# them alike; the case's `unshare` floor (RUNS_HUTCH runs) takes its turn
# in the same blocks, so that hutch/floor compares runs made side by side
# too (on a VM, minutes apart can differ by 20%).
measure() {
	_key=$1 _label=$2 _nh=$3 _nb=$4 _blocks=$5 _warm=$6 _hs=$7 _bs=${8:-}
	_fs=${9:-} _fkey=${10:-} _flabel=${11:-}
	_tools=
	for _t in hutch bwrap unshare; do
		case $_t in
		hutch) _s=$_hs _l=$_label ;;
		bwrap) _s=$_bs _l=$_label ;;
		*) _s=$_fs _l=$_flabel ;;
		esac
		[ -n "$_s" ] || continue
		if works "$_s"; then
			_tools="$_tools $_t"
		else
			printf '%-30s %-7s  failed (see above)\n' "$_l" "$_t"
		fi
	done
	[ -n "$_tools" ] || return 0
	for _t in $_tools; do
		case $_t in
		hutch) _s=$_hs _raw=$work/raw/$_key.hutch ;;
		bwrap) _s=$_bs _raw=$work/raw/$_key.bwrap ;;
		*) _s=$_fs _raw=$work/raw/$_fkey.unshare ;;
		esac
		: >"$_raw"
		if [ "$_warm" -gt 0 ]; then
			bench time "$_s" -n "$_warm" >/dev/null
		fi
	done
	_b=0
	while [ "$_b" -lt "$_blocks" ]; do
		for _t in $_tools; do
			case $_t in
			hutch) _s=$_hs _n=$_nh _raw=$work/raw/$_key.hutch ;;
			bwrap) _s=$_bs _n=$_nb _raw=$work/raw/$_key.bwrap ;;
			*) _s=$_fs _n=$_nh _raw=$work/raw/$_fkey.unshare ;;
			esac
			# RUNS split over BLOCKS, the remainder going to the first blocks.
			_per=$((_n / _blocks + (_b < _n % _blocks ? 1 : 0)))
			if [ "$_per" -gt 0 ]; then
				bench time "$_s" -n "$_per" -o "$_raw"
			fi
		done
		_b=$((_b + 1))
	done
	for _t in $_tools; do
		case $_t in
		unshare) row "$_fkey" "$_flabel" unshare "$work/raw/$_fkey.unshare" ;;
		*) row "$_key" "$_label" "$_t" "$work/raw/$_key.$_t" ;;
		esac
	done
}

# fl N — the floor arguments of measure for case N (none without unshare).
fl() {
	[ -n "$unshare" ] || return 0
	case $1 in
	1) printf '%s\n' "$work/f1.hutch" floor1 "floor: unshare -Urm" ;;
	2) printf '%s\n' "$work/f2.hutch" floor2 "floor: +pid,ipc,uts,net,cgroup" ;;
	3) printf '%s\n' "$work/f3.hutch" floor3 "floor: +pid,ipc (case 3)" ;;
	*) ;;
	esac
}

# ---- the command lines ------------------------------------------------------
usr_root="--ro-bind${NL}/usr${NL}/usr${NL}--symlink${NL}usr/bin${NL}/bin${NL}--symlink${NL}usr/lib${NL}/lib"
[ -e /usr/lib64 ] && usr_root="$usr_root${NL}--symlink${NL}usr/lib64${NL}/lib64"
[ -e /usr/sbin ] && usr_root="$usr_root${NL}--symlink${NL}usr/sbin${NL}/sbin"

# case 1
case1() { spec "$work/c1.$1" -- "$2" --ro-bind / / true; }
# case 2
case2() {
	set -f
	IFS=$NL
	# shellcheck disable=SC2086
	spec "$work/c2.$1" -- "$2" --unshare-all $usr_root --proc /proc --dev /dev --tmpfs /tmp \
		--bind "$work/work" /work --chdir /work --die-with-parent --new-session true
	unset IFS
	set +f
}
# case 3: flatpak-shaped. Everything but the command travels in a memfd
# read through --args 10; --seccomp 11 reads the filter, --info-fd 12
# writes to a pipe the timer drains; two --ro-bind-data files (13, 14)
# stand in for flatpak's generated passwd/group.
getent passwd root "$(id -un)" >"$work/passwd"
getent group root "$(id -gn)" >"$work/group"
printf '[Application]\nname=org.example.Bench\n' >"$work/flatpak-info"
{
	set -f
	IFS=$NL
	# shellcheck disable=SC2086
	printf '%s\0' --unshare-user --unshare-pid --unshare-ipc --die-with-parent \
		$usr_root \
		--proc /proc --dev /dev \
		--dir /tmp --dir /var/tmp --dir /run/host --dir "/run/user/$(id -u)" \
		--perms 0700 --dir "/run/user/$(id -u)/doc" \
		--symlink ../run /var/run \
		--ro-bind-data 13 /etc/passwd --ro-bind-data 14 /etc/group \
		--ro-bind-try /etc/machine-id /etc/machine-id \
		--ro-bind-try /etc/resolv.conf /run/host/monitor/resolv.conf \
		--ro-bind-try /etc/hosts /etc/hosts \
		--ro-bind-try /etc/localtime /etc/localtime \
		--ro-bind-try /usr/share/fonts /run/host/fonts \
		--ro-bind-try /usr/share/icons /run/host/share/icons \
		--ro-bind-try /usr/share/zoneinfo /run/host/share/zoneinfo \
		--ro-bind-try /etc/timezone /etc/timezone \
		--ro-bind-try /etc/ssl/certs /run/host/ssl-certs \
		--ro-bind "$work/flatpak-info" /.flatpak-info \
		--symlink /.flatpak-info "/run/user/$(id -u)/flatpak-info" \
		--bind "$work/app-home" "/home/user/.var/app/org.example.Bench" \
		--tmpfs /home/user/.cache \
		--setenv HOME /home/user --setenv XDG_RUNTIME_DIR "/run/user/$(id -u)" \
		--setenv FLATPAK_ID org.example.Bench --setenv PATH /app/bin:/usr/bin \
		--setenv LANG C.UTF-8 --unsetenv TMPDIR \
		--chdir /home/user/.var/app/org.example.Bench \
		--info-fd 12
	[ -n "$seccomp_file" ] && printf '%s\0' --seccomp 11
	unset IFS
	set +f
} >"$work/c3.argv"
case3() {
	_fds="--fd${NL}10:memfd:$work/c3.argv${NL}--fd${NL}12:pipe${NL}--fd${NL}13:memfd:$work/passwd"
	_fds="$_fds${NL}--fd${NL}14:memfd:$work/group"
	[ -n "$seccomp_file" ] && _fds="$_fds${NL}--fd${NL}11:file:$seccomp_file"
	set -f
	IFS=$NL
	# shellcheck disable=SC2086
	spec "$work/c3.$1" $_fds -- "$2" --args 10 true
	unset IFS
	set +f
}
# case 4: N --ro-binds in all: /usr plus N-1 distinct directories.
case4() { # NAME TOOL N
	set -f
	IFS=$NL
	# shellcheck disable=SC2086
	spec "$work/c4-$3.$1" -- "$2" $usr_root
	unset IFS
	set +f
	seq 0 $(($3 - 2)) | awk -v d="$work/binds" '{ printf "--ro-bind\n%s/d%04d\n/b/d%04d\n", d, $1, $1 }' \
		>>"$work/c4-$3.$1"
	echo true >>"$work/c4-$3.$1"
}

tools=hutch
[ -n "$bwrap" ] && tools="hutch bwrap"
for t in $tools; do
	[ "$t" = hutch ] && bin=$hutch || bin=$bwrap
	case1 "$t" "$bin"
	case2 "$t" "$bin"
	case3 "$t" "$bin"
	for n in 10 100 1000 2900; do case4 "$t" "$bin" "$n"; done
done
bs() { [ -n "$bwrap" ] && echo "$work/$1.bwrap" || true; }
unshare=$(command -v unshare || true)
spec "$work/f1.hutch" -- "$unshare" -Urm true
spec "$work/f2.hutch" -- "$unshare" -Urm --fork --pid --ipc --uts --net --cgroup true
spec "$work/f3.hutch" -- "$unshare" -Urm --fork --pid --ipc true

echo "hutch: $hutch ($("$hutch" --version 2>/dev/null | head -1))"
if [ -n "$bwrap" ]; then
	echo "bwrap: $bwrap ($("$bwrap" --version 2>/dev/null | head -1))"
else
	echo "bwrap: not installed; hutch alone"
fi
echo "as: $(id -un) (uid $(id -u)); kernel $(uname -r); $(nproc) CPUs; $([ "$quick" = 1 ] && echo quick || echo default) mode"
# Other load skews everything (ratios less so: the tools alternate).
load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average at start: $load$(awk -v l="$load" -v n="$(nproc)" 'BEGIN { if (l > n / 2) print "  -- WARNING: a busy machine; numbers will be noisy" }')"
if [ -r /proc/pressure/cpu ]; then
	echo "cpu pressure at start: $(head -1 /proc/pressure/cpu)"
fi
echo
printf '%-30s %-7s %5s %10s %10s %10s %10s\n' "case" "tool" "n" "median ms" "p10 ms" "p90 ms" "min ms"

# ---- floors and cases 1-3 ---------------------------------------------------
for _c in 1 2 3; do
	case $_c in
	1) _lbl="1 minimal --ro-bind / /" ;;
	2) _lbl="2 build isolation" ;;
	*) _lbl="3 flatpak-like (--args)" ;;
	esac
	set -f
	IFS=$NL
	# shellcheck disable=SC2046 # fl prints one argument a line
	set -- $(fl "$_c")
	unset IFS
	set +f
	measure "c$_c" "$_lbl" "$n_small" "$n_small" "$blocks" "$warm" "$work/c$_c.hutch" "$(bs "c$_c")" "$@"
done

# ---- case 4: scaling --------------------------------------------------------
measure s10 "4 scaling: 10 ro-binds" "$n_s10" "$n_s10" 4 2 "$work/c4-10.hutch" "$(bs c4-10)"
measure s100 "4 scaling: 100 ro-binds" "$n_s100" "$n_s100" 3 2 "$work/c4-100.hutch" "$(bs c4-100)"
measure s1000 "4 scaling: 1000 ro-binds" "$n_s1000" "$nb_s1000" "$nb_s1000" 0 "$work/c4-1000.hutch" "$(bs c4-1000)"
measure s2900 "4 scaling: 2900 ro-binds" "$n_s2900" "$nb_s2900" "$nb_s2900" 0 "$work/c4-2900.hutch" "$(bs c4-2900)"

# ---- case 5: throughput -----------------------------------------------------
# The window is cut into 1-second slices that alternate between the tools,
# so load that comes and goes hits both alike.
echo
printf '%-30s %-7s %5s %10s\n' "throughput (${rate_secs}x1s each)" "tool" "conc" "sandbox/s"
for c in $rate_cases; do
	for conc in 2 8; do
		for t in $tools; do
			echo "0 0" >"$work/raw/rate$c-$conc.$t"
		done
		i=0
		while [ "$i" -lt "$rate_secs" ]; do
			for t in $tools; do
				[ -f "$work/raw/c$c.$t" ] || continue
				set -- $(bench rate "$work/c$c.$t" -c "$conc" -t 1) $(cat "$work/raw/rate$c-$conc.$t")
				echo "$(($1 + $3)) $(($2 + $4))" >"$work/raw/rate$c-$conc.$t"
			done
			i=$((i + 1))
		done
		for t in $tools; do
			[ -f "$work/raw/c$c.$t" ] || continue
			set -- $(cat "$work/raw/rate$c-$conc.$t")
			r=$(awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
			printf '%-30s %-7s %5s %10s\n' "5 case $c x$conc" "$t" "$conc" "$r"
			put "rate$c-$conc.$t" "$r"
		done
	done
done

# ---- case 6: peak RSS -------------------------------------------------------
# Payload: a static do-nothing program, so the number is the sandbox
# tool's (see README: the largest high-water RSS over the tool's processes).
echo
printf '%-30s %-7s %5s %10s %10s\n' "peak RSS (payload: nop)" "tool" "n" "median KiB" "max KiB"
spec "$work/nop.spec" -- "$nop"
bench rss "$work/nop.spec" -n 3 >"$work/raw/rss-nop"
set -- $("$BT" stats "$work/raw/rss-nop")
printf '%-30s %-7s %5s %10s %10s\n' "6 baseline (nop alone)" "-" "$1" "$2" "$6"
# The nop binary must be reachable inside each sandbox: case 1 sees the
# host's /, case 2 its work dir at /work, case 4 the bound directories.
cp "$nop" "$work/work/nop"
cp "$nop" "$work/binds/d0000/nop"
for c in c1 c2 c4-1000; do
	case $c in
	c1) key=c1 payload=$nop ;;
	c2) key=c2 payload=/work/nop ;;
	*) key=s1000 payload=/b/d0000/nop ;;
	esac
	for t in $tools; do
		[ -f "$work/raw/$key.$t" ] || continue
		n=$n_rss
		if [ "$t" = bwrap ] && [ "$c" = c4-1000 ]; then n=$nb_rss; fi
		# The last word of a spec is the payload, "true".
		sed "\$s|.*|$payload|" "$work/$c.$t" >"$work/rss-$c.$t"
		bench rss "$work/rss-$c.$t" -n "$n" >"$work/raw/rss-$c.$t"
		set -- $("$BT" stats "$work/raw/rss-$c.$t")
		printf '%-30s %-7s %5s %10s %10s\n' "6 $c" "$t" "$1" "$2" "$6"
		put "rss-$c.$t" "$2"
	done
done

# ---- summary ------------------------------------------------------------
echo
echo "summary (median ratios; targets from issue 6 — a report, not a test)"
printf '%-44s %9s %9s  %s\n' "measure" "value" "target" "verdict"
line() { # LABEL VALUE OP LIMIT
	printf '%-44s %9s %9s  %s\n' "$1" "$2" "$3 $4" "$(verdict "$2" "$3" "$4")"
}
for c in 1 2 3; do
	case $c in 1) f=floor1 ;; 2) f=floor2 ;; 3) f=floor3 ;; esac
	[ -n "$bwrap" ] && line "case $c hutch/bwrap" "$(ratio "$(get "c$c.hutch")" "$(get "c$c.bwrap")")" "<=" 0.8
	line "case $c hutch/floor ($f)" "$(ratio "$(get "c$c.hutch")" "$(get "$f.unshare")")" "<=" 1.3
done
for n in 10 100 2900; do
	[ -n "$bwrap" ] && printf '%-44s %9s\n' "case 4 $n binds hutch/bwrap" "$(ratio "$(get "s$n.hutch")" "$(get "s$n.bwrap")")"
done
[ -n "$bwrap" ] && line "case 4 1000 binds hutch/bwrap" "$(ratio "$(get s1000.hutch)" "$(get s1000.bwrap)")" "<=" 0.05
line "case 4 hutch 2900/1000" "$(ratio "$(get s2900.hutch)" "$(get s1000.hutch)")" "<=" 3.5
if [ -n "$bwrap" ]; then
	for c in $rate_cases; do
		for conc in 2 8; do
			line "case 5 case $c x$conc rate hutch/bwrap" \
				"$(ratio "$(get "rate$c-$conc.hutch")" "$(get "rate$c-$conc.bwrap")")" ">=" 1.25
		done
	done
	for c in c1 c2 c4-1000; do
		line "case 6 $c peak RSS hutch/bwrap" "$(ratio "$(get "rss-$c.hutch")" "$(get "rss-$c.bwrap")")" "<=" 1.0
	done
fi
