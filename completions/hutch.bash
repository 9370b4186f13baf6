# bash completion for hutch(1)                            -*- shell-script -*-
#
# Completes hutch's options and their arguments; from COMMAND (the first
# word that is not an option, or the word after `--') on, completion is
# handed over to COMMAND's own completion.
#
# _hutch_option_args lists every option of the table in src/options.c
# with one kind per argument; tests/unit/test-docs.c checks that it does.
# The kinds:
#   file  a path: a host path (SRC) or one inside the sandbox (DEST, PATH)
#   dir   a directory
#   cap   a capability name, or ALL
#   var   an environment variable name
#   preset  a seccomp preset name
#   policy  a seccomp policy file, or preset:NAME
#   none  nothing worth offering (fds, ids, modes, sizes, labels, values)

declare -gA _hutch_option_args=(
	[--help]=""
	[--version]=""
	[--check]=""
	[--json]=""
	[--args]="none"
	[--argv0]="none"
	[--level-prefix]=""
	[--unshare-all]=""
	[--share-net]=""
	[--unshare-user]=""
	[--unshare-user-try]=""
	[--unshare-ipc]=""
	[--unshare-pid]=""
	[--unshare-net]=""
	[--unshare-uts]=""
	[--unshare-cgroup]=""
	[--unshare-cgroup-try]=""
	[--userns]="none"
	[--userns2]="none"
	[--disable-userns]=""
	[--assert-userns-disabled]=""
	[--pidns]="none"
	[--uid]="none"
	[--gid]="none"
	[--map-auto]=""
	[--map-uid]="none none none"
	[--map-gid]="none none none"
	[--hostname]="none"
	[--chdir]="dir"
	[--clearenv]=""
	[--setenv]="var none"
	[--unsetenv]="var"
	[--bind]="file file"
	[--bind-try]="file file"
	[--dev-bind]="file file"
	[--dev-bind-try]="file file"
	[--ro-bind]="file file"
	[--ro-bind-try]="file file"
	[--bind-fd]="none file"
	[--ro-bind-fd]="none file"
	[--remount-ro]="file"
	[--overlay-src]="file"
	[--overlay]="dir dir file"
	[--tmp-overlay]="file"
	[--ro-overlay]="file"
	[--proc]="file"
	[--dev]="file"
	[--tmpfs]="file"
	[--mqueue]="file"
	[--dir]="file"
	[--file]="none file"
	[--bind-data]="none file"
	[--ro-bind-data]="none file"
	[--symlink]="file file"
	[--chmod]="none file"
	[--perms]="none"
	[--size]="none"
	[--lock-file]="file"
	[--seccomp]="none"
	[--add-seccomp-fd]="none"
	[--seccomp-policy]="file"
	[--seccomp-preset]="preset"
	[--seccomp-export]="policy"
	[--cap-add]="cap"
	[--cap-drop]="cap"
	[--exec-label]="none"
	[--file-label]="none"
	[--sync-fd]="none"
	[--block-fd]="none"
	[--userns-block-fd]="none"
	[--info-fd]="none"
	[--json-status-fd]="none"
	[--new-session]=""
	[--die-with-parent]=""
	[--as-pid-1]=""
	[--no-forward-signals]=""
	[--kill-on-exit]=""
	[--rlimit]="none"
	[--timeout]="none"
	[--timeout-kill-after]="none"
)

_hutch_capabilities="
	ALL CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER
	CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP
	CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST
	CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE
	CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN
	CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME
	CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE
	CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG
	CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF
	CAP_CHECKPOINT_RESTORE
"

# The presets in data/seccomp/ (--seccomp-preset, --seccomp-export preset:NAME).
_hutch_seccomp_presets="desktop build"

# _hutch_complete_argument KIND: fills COMPREPLY for an option argument.
_hutch_complete_argument()
{
	case $1 in
	file) _filedir ;;
	dir) _filedir -d ;;
	cap) COMPREPLY=($(compgen -W "$_hutch_capabilities" -- "${cur^^}")) ;;
	var) COMPREPLY=($(compgen -e -- "$cur")) ;;
	preset) COMPREPLY=($(compgen -W "$_hutch_seccomp_presets" -- "$cur")) ;;
	policy)
		_filedir
		COMPREPLY+=($(compgen -W "$(printf 'preset:%s ' $_hutch_seccomp_presets)" -- "$cur"))
		;;
	*) COMPREPLY=() ;;
	esac
}

_hutch()
{
	local cur prev words cword
	# Keep `a:b' and `x=y' whole: they are common in paths and values.
	_init_completion -n =: || return

	local i=1 word n seen_dashdash=
	local -a kinds
	# Walk the options before the current word the way hutch parses
	# them: each option swallows its arguments; `--' or the first word
	# not starting with `-' is COMMAND.
	while ((i < cword)); do
		word=${words[i]}
		if [[ $word == -- ]]; then
			seen_dashdash=1
			((i++))
			break
		fi
		[[ $word == -* ]] || break
		# An unknown option is taken to have no argument.
		read -r -a kinds <<<"${_hutch_option_args[$word]-}"
		n=${#kinds[@]}
		if ((i + n >= cword)); then
			# The current word is argument number cword-i of $word.
			_hutch_complete_argument "${kinds[cword - i - 1]}"
			return
		fi
		((i += n + 1))
	done

	if [[ ! $seen_dashdash ]] && ((i == cword)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${!_hutch_option_args[*]} --" -- "$cur"))
		return
	fi

	# Word i is COMMAND (or is being typed). _command_offset works on
	# COMP_WORDS; give it the words as joined above so that index i
	# means the same word there.
	local -a COMP_WORDS=("${words[@]}")
	local COMP_CWORD=$cword
	_command_offset "$i"
} &&
	complete -F _hutch hutch

# ex: filetype=sh
