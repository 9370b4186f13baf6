#!/bin/bash
# test-docs-tools.sh — run the real tools over the manual and completions
# (TAP).
#
# test-docs.c checks that the documents list every option; this script
# checks that they work: the bash, zsh and fish completions complete
# options, paths and capabilities, offer nothing for fds and hand over to
# COMMAND's completion (zsh through a pseudo-terminal); the zsh and fish
# files parse; mandoc finds nothing to warn about in the manual. A tool
# that is not installed makes its cases skip.
#
# Usage: test-docs-tools.sh [SOURCE_DIR]   (default: $HUTCH_SOURCE_DIR)
set -u

SRC=${1:-${HUTCH_SOURCE_DIR:-}}
if [ -z "$SRC" ] || [ ! -f "$SRC/man/hutch.1" ]; then
	echo "Bail out! no source dir: pass it or set HUTCH_SOURCE_DIR"
	exit 1
fi
BASH_COMPLETION=${BASH_COMPLETION_SCRIPT:-/usr/share/bash-completion/bash_completion}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/files/subdir" "$WORK/bin"
: >"$WORK/files/alpha"
: >"$WORK/files/beta"
# A command of our own, so that command-name completion has a known
# answer whatever is installed.
printf '#!/bin/sh\n' >"$WORK/bin/hutchprobecmd"
chmod +x "$WORK/bin/hutchprobecmd"

# --- bash ----------------------------------------------------------------

# bash_complete WORD... — runs _hutch with COMP_WORDS set to the words
# given (the last one is the word being completed, cursor at its end) and
# prints COMPREPLY, one entry a line. The command line is the words
# joined by spaces, or $LINE when set (bash splits at = and : even
# without spaces). hutchprobecmd's completion prints what it was handed,
# to show delegation.
bash_complete() {
	env -i HOME="$WORK" PATH="$WORK/bin:/usr/bin:/bin" TERM=dumb LINE="${LINE:-}" \
		bash --norc --noprofile -c '
		cd "$1/files" || exit 1
		source "$2" || exit 1
		source "$3" || exit 1
		shift 3
		# compopt only works while bash itself runs a completion.
		compopt() { :; }
		_probe() { COMPREPLY=("delegated:${COMP_WORDS[*]}:$COMP_CWORD"); }
		complete -F _probe hutchprobecmd
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=${LINE:-${COMP_WORDS[*]}}
		COMP_POINT=${#COMP_LINE}
		_hutch hutch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$WORK" "$BASH_COMPLETION" "$SRC/completions/hutch.bash" "$@" 2>&1
}

# bash_case DESCRIPTION EXPECTED-LINES WORDS... — COMPREPLY, sorted, must
# equal EXPECTED-LINES (newline-separated, sorted).
bash_case() {
	local desc=$1 expected=$2 got
	shift 2
	got=$(bash_complete "$@" | LC_ALL=C sort -u)
	if [ "$got" = "$expected" ]; then
		ok "bash: $desc"
	else
		not_ok "bash: $desc" "words: $*" "expected: $(echo $expected)" "got: $(echo $got)"
	fi
}

if [ ! -r "$BASH_COMPLETION" ]; then
	for d in "option names" "delegation to COMMAND" "paths" "capabilities" "nothing for numbers" \
		"command names"; do
		skip "bash: $d" "bash-completion is not installed ($BASH_COMPLETION)"
	done
else
	bash_case "--ro-b completes the --ro-bind options" \
		"$(printf '%s\n' --ro-bind --ro-bind-data --ro-bind-fd --ro-bind-try)" \
		hutch --ro-b
	bash_case "--he completes --help" "--help" hutch --he
	bash_case "--che completes --check" "--check" hutch --che
	bash_case "--check --jso completes --json and --json-status-fd" "$(printf '%s\n' --json --json-status-fd)" \
		hutch --check --jso
	bash_case "options are not offered after COMMAND" "delegated:hutchprobecmd --he:1" \
		hutch hutchprobecmd --he
	bash_case "after '--ro-bind / / hutchprobecmd' completion is delegated" \
		"delegated:hutchprobecmd :1" hutch --ro-bind / / hutchprobecmd ""
	bash_case "delegation after -- keeps COMMAND's own options" \
		"delegated:hutchprobecmd --x:1" hutch --unshare-all -- hutchprobecmd --x
	LINE="hutch --setenv VAR a=b hutchprobecmd -" \
		bash_case "delegation counts a=b (split by bash at =) as one word" \
		"delegated:hutchprobecmd -:1" hutch --setenv VAR a = b hutchprobecmd -
	LINE="hutch --bind /x:y /z hutchprobecmd -" \
		bash_case "delegation counts /x:y (split by bash at :) as one word" \
		"delegated:hutchprobecmd -:1" hutch --bind /x : y /z hutchprobecmd -
	bash_case "SRC completes paths" "$(printf '%s\n' alpha beta subdir)" hutch --bind ""
	bash_case "DEST completes paths" "$(printf '%s\n' alpha beta subdir)" hutch --ro-bind / ""
	bash_case "the third argument of --overlay (DEST) completes paths" \
		"$(printf '%s\n' alpha beta subdir)" hutch --overlay /a /b ""
	bash_case "DIR completes directories only" "subdir" hutch --chdir ""
	bash_case "CAP completes capability names, in any case" "CAP_NET_RAW" hutch --cap-drop cap_net_r
	bash_case "CAP offers ALL" "ALL" hutch --cap-add AL
	bash_case "FD completes nothing" "" hutch --info-fd ""
	bash_case "UID completes nothing" "" hutch --uid ""
	bash_case "OCTAL completes nothing" "" hutch --perms ""
	bash_case "VAR completes variable names" "HOME" hutch --unsetenv HOM
	bash_case "VALUE completes nothing" "" hutch --setenv HOME ""
	bash_case "COMMAND completes command names" "hutchprobecmd" hutch --unshare-all hutchprobe
	bash_case "COMMAND after -- completes command names" "hutchprobecmd" hutch -- hutchprobe
	bash_case "an option's argument is not taken for COMMAND" \
		"$(printf '%s\n' alpha beta subdir)" hutch --tmpfs /x --dir ""
fi

# --- zsh -----------------------------------------------------------------

# zsh_complete LINE — the matches zsh's completion system offers for LINE
# (cursor at the end). An interactive zsh runs in a pseudo-terminal
# (zsh/zpty) with compinit and completions/_hutch; compadd is wrapped to
# record the matches each call adds (compadd -O), and a TAB completes.
# hutchprobecmd's completion offers "delegated-ok", to show delegation.
cat >"$WORK/zsh-complete.zsh" <<'EOF_ZSH'
src=$1 out=$2 line=$3
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
# Markers are computed ($((...))), so that the terminal's echo of what is
# typed never matches them: only their output does. LINE-42 comes when
# zle starts reading a line, with the terminal in raw mode: keys typed
# before that would meet the line discipline (which eats ^U) instead.
zpty -w z "PS1='' PROMPT='' RPROMPT=''; fpath=($src/completions \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compdef '_wanted probe expl probe compadd delegated-ok' hutchprobecmd"
zpty -w z "compadd() { local -a __m; builtin compadd -O __m \"\$@\"; print -rl -- \$__m >>$out; builtin compadd \"\$@\"; }"
zpty -w z "zle-line-init() { print -n LINE-\$((6*7)) }; zle -N zle-line-init"
zpty -w z "print READY-\$((6*7))"
zpty -r z junk '*READY-42*' || exit 1
zpty -r z junk '*LINE-42*' || exit 1
# TAB completes; then clear the line and print a mark to know it is done.
zpty -w -n z "$line"$'\t'$'\C-u'$'\C-k'"print DONE-\$((6*7))"$'\n'
zpty -r z junk '*DONE-42*' || exit 1
zpty -d z
EOF_ZSH
zsh_complete() {
	: >"$WORK/zsh-out"
	(cd "$WORK/files" && env -i HOME="$WORK" PATH="$WORK/bin:/usr/bin:/bin" TERM=dumb \
		timeout 60 zsh -f "$WORK/zsh-complete.zsh" "$SRC" "$WORK/zsh-out" "$1") || return 1
	grep -v '^$' "$WORK/zsh-out" || true
}

zsh_case() {
	local desc=$1 expected=$2 got
	if ! got=$(zsh_complete "$3"); then
		not_ok "zsh: $desc" "line: $3" "the zsh driver failed or timed out"
		return
	fi
	got=$(printf '%s\n' "$got" | LC_ALL=C sort -u)
	if [ "$got" = "$expected" ]; then
		ok "zsh: $desc"
	else
		not_ok "zsh: $desc" "line: $3" "expected: $(echo $expected)" "got: $(echo $got)"
	fi
}

if command -v zsh >/dev/null 2>&1; then
	if out=$(zsh -n "$SRC/completions/_hutch" 2>&1); then
		ok "zsh: completions/_hutch parses"
	else
		not_ok "zsh: completions/_hutch parses" "$out"
	fi
	if zsh -f -c 'zmodload zsh/zpty' 2>/dev/null && command -v timeout >/dev/null 2>&1; then
		zsh_case "--ro-b completes the --ro-bind options" \
			"$(printf '%s\n' --ro-bind --ro-bind-data --ro-bind-fd --ro-bind-try)" "hutch --ro-b"
		zsh_case "DEST completes paths" "$(printf '%s\n' alpha beta subdir)" "hutch --ro-bind / "
		zsh_case "DIR completes directories only" "subdir" "hutch --chdir "
		zsh_case "FD completes nothing" "" "hutch --info-fd "
		zsh_case "CAP completes capability names" "CAP_NET_RAW" "hutch --cap-add CAP_NET_R"
		zsh_case "COMMAND completes command names" "hutchprobecmd" "hutch --unshare-all hutchprobe"
		zsh_case "after '--ro-bind / / hutchprobecmd' completion is delegated" "delegated-ok" \
			"hutch --ro-bind / / hutchprobecmd "
		zsh_case "delegation after --" "delegated-ok" "hutch -- hutchprobecmd d"
		zsh_case "delegation after options and --" "delegated-ok" "hutch --unshare-all -- hutchprobecmd "
		zsh_case "--check --jso completes --json and --json-status-fd" \
			"$(printf '%s\n' --json --json-status-fd)" "hutch --check --jso"
	else
		skip "zsh: completion cases" "zsh/zpty or timeout(1) is not available"
	fi
else
	skip "zsh: completions/_hutch parses" "zsh is not installed"
fi

# --- fish ----------------------------------------------------------------

# fish_complete LINE — what fish would offer for LINE (cursor at the end),
# without the descriptions.
fish_complete() {
	env -i HOME="$WORK" PATH="$WORK/bin:/usr/bin:/bin" XDG_CONFIG_HOME="$WORK/config" \
		XDG_DATA_HOME="$WORK/data" fish --no-config -c '
		cd $argv[1]/files; or exit 1
		source $argv[2]; or exit 1
		complete -c hutchprobecmd -x -a delegated-ok
		complete -C"$argv[3]" | string replace -r "\t.*" ""
	' "$WORK" "$SRC/completions/hutch.fish" "$1" 2>&1
}

fish_case() {
	local desc=$1 expected=$2 got
	got=$(fish_complete "$3" | LC_ALL=C sort -u)
	if [ "$got" = "$expected" ]; then
		ok "fish: $desc"
	else
		not_ok "fish: $desc" "line: $3" "expected: $(echo $expected)" "got: $(echo $got)"
	fi
}

if command -v fish >/dev/null 2>&1; then
	if out=$(fish --no-config -n "$SRC/completions/hutch.fish" 2>&1); then
		ok "fish: completions/hutch.fish parses"
	else
		not_ok "fish: completions/hutch.fish parses" "$out"
	fi
	fish_case "--ro-b completes the --ro-bind options" \
		"$(printf '%s\n' --ro-bind --ro-bind-data --ro-bind-fd --ro-bind-try)" "hutch --ro-b"
	fish_case "after '--ro-bind / / hutchprobecmd' completion is delegated" \
		"delegated-ok" "hutch --ro-bind / / hutchprobecmd "
	fish_case "DEST completes paths" "$(printf '%s\n' alpha beta subdir/)" "hutch --ro-bind / "
	fish_case "CAP completes capability names" "CAP_NET_RAW" "hutch --cap-add CAP_NET_R"
	fish_case "FD completes nothing" "" "hutch --info-fd "
	fish_case "COMMAND completes command names" "hutchprobecmd" "hutch --tmpfs /x hutchprobe"
else
	skip "fish: completions/hutch.fish parses" "fish is not installed"
fi

# --- mandoc --------------------------------------------------------------

if command -v mandoc >/dev/null 2>&1; then
	# -W warning: mandoc's style notes about cross-references it cannot
	# find in a mandoc.db depend on the machine, not on the page.
	out=$(mandoc -T lint -W warning "$SRC/man/hutch.1" 2>&1)
	if [ -z "$out" ]; then
		ok "mandoc: man/hutch.1 lints clean"
	else
		not_ok "mandoc: man/hutch.1 lints clean" "$out"
	fi
else
	skip "mandoc: man/hutch.1 lints clean" "mandoc is not installed"
fi

echo "1..$n"
exit $failed
