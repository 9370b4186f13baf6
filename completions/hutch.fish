# fish completion for hutch(1)
#
# Completes hutch's options and their arguments; from COMMAND (the first
# word that is not an option, or the word after `--') on, completion is
# handed over to COMMAND's own completion.
#
# __hutch_option_args lists every option of the table in src/options.c
# with one kind per argument, and each option has a `complete -l' line
# below; tests/unit/test-docs.c checks both. The kinds:
#   file  a path: a host path (SRC) or one inside the sandbox (DEST, PATH)
#   dir   a directory
#   cap   a capability name, or ALL
#   var   an environment variable name
#   preset  a seccomp preset name
#   policy  a seccomp policy file, or preset:NAME
#   none  nothing worth offering (fds, ids, modes, sizes, labels, values)

set -g __hutch_option_args \
    '--help' \
    '--version' \
    '--check' \
    '--json' \
    '--args none' \
    '--argv0 none' \
    '--level-prefix' \
    '--unshare-all' \
    '--share-net' \
    '--unshare-user' \
    '--unshare-user-try' \
    '--unshare-ipc' \
    '--unshare-pid' \
    '--unshare-net' \
    '--unshare-uts' \
    '--unshare-cgroup' \
    '--unshare-cgroup-try' \
    '--userns none' \
    '--userns2 none' \
    '--disable-userns' \
    '--assert-userns-disabled' \
    '--pidns none' \
    '--uid none' \
    '--gid none' \
    '--map-auto' \
    '--map-uid none none none' \
    '--map-gid none none none' \
    '--hostname none' \
    '--chdir dir' \
    '--clearenv' \
    '--setenv var none' \
    '--unsetenv var' \
    '--bind file file' \
    '--bind-try file file' \
    '--dev-bind file file' \
    '--dev-bind-try file file' \
    '--ro-bind file file' \
    '--ro-bind-try file file' \
    '--bind-fd none file' \
    '--ro-bind-fd none file' \
    '--remount-ro file' \
    '--overlay-src file' \
    '--overlay dir dir file' \
    '--tmp-overlay file' \
    '--ro-overlay file' \
    '--proc file' \
    '--dev file' \
    '--tmpfs file' \
    '--mqueue file' \
    '--dir file' \
    '--file none file' \
    '--bind-data none file' \
    '--ro-bind-data none file' \
    '--symlink file file' \
    '--chmod none file' \
    '--perms none' \
    '--size none' \
    '--lock-file file' \
    '--seccomp none' \
    '--add-seccomp-fd none' \
    '--seccomp-policy file' \
    '--seccomp-preset preset' \
    '--seccomp-export policy' \
    '--cap-add cap' \
    '--cap-drop cap' \
    '--exec-label none' \
    '--file-label none' \
    '--sync-fd none' \
    '--block-fd none' \
    '--userns-block-fd none' \
    '--info-fd none' \
    '--json-status-fd none' \
    '--new-session' \
    '--die-with-parent' \
    '--as-pid-1' \
    '--no-forward-signals' \
    '--kill-on-exit' \
    '--rlimit none' \
    '--timeout none' \
    '--timeout-kill-after none'

set -g __hutch_capabilities \
    ALL CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER \
    CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP \
    CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST \
    CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE \
    CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN \
    CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME \
    CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE \
    CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG \
    CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF \
    CAP_CHECKPOINT_RESTORE

# Walks the command line before the cursor the way hutch parses it and
# sets __hutch_where to `option' (an option or COMMAND may come next),
# `arg' (the cursor is on an option's argument; its kind is in
# __hutch_kind) or `command' (COMMAND has started; its words so far are
# in __hutch_rest).
function __hutch_parse
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -g __hutch_where option
    set -g __hutch_kind
    set -g __hutch_rest
    set -l i 1
    set -l n (count $tokens)
    while test $i -le $n
        set -l word $tokens[$i]
        if test "$word" = --
            set __hutch_where command
            set __hutch_rest $tokens[(math $i + 1)..-1]
            test $i -lt $n; or set __hutch_rest
            return
        end
        if not string match -q -- '-*' $word
            set __hutch_where command
            set __hutch_rest $tokens[$i..-1]
            return
        end
        # An unknown option is taken to have no argument.
        set -l kinds
        for spec in $__hutch_option_args
            set -l parts (string split ' ' -- $spec)
            if test "$parts[1]" = "$word"
                set kinds $parts
                set -e kinds[1]
                break
            end
        end
        set -l nargs (count $kinds)
        if test (math $i + $nargs) -gt $n
            # The cursor is on argument number n-i+1 of $word.
            set __hutch_where arg
            set __hutch_kind $kinds[(math $n - $i + 1)]
            return
        end
        set i (math $i + $nargs + 1)
    end
end

# __hutch_at WHERE [KIND]: true if the cursor is there.
function __hutch_at
    __hutch_parse
    test "$__hutch_where" = "$argv[1]"; or return 1
    test (count $argv) -lt 2; or test "$__hutch_kind" = "$argv[2]"
end

# Completes COMMAND and its arguments as if they were typed on their own.
function __hutch_complete_command
    __hutch_parse
    if set -q __hutch_rest[1]
        __fish_complete_subcommand --commandline $__hutch_rest (commandline -ct)
    else
        # COMMAND itself is being typed. (__fish_complete_subcommand
        # would look for it on the command line and find an option's
        # argument instead.)
        complete -C (commandline -ct)
    end
end

complete -c hutch -f

# Options, where an option may stand.
complete -c hutch -n '__hutch_at option' -l help -d 'Show this help and exit'
complete -c hutch -n '__hutch_at option' -l version -d 'Show the version and exit'
complete -c hutch -n '__hutch_at option' -l check -d 'Report whether hutch can run here, and how to fix it; then exit'
complete -c hutch -n '__hutch_at option' -l json -d 'With --check: print the report as JSON'
complete -c hutch -n '__hutch_at option' -l args -d 'Read more NUL-separated arguments from FD'
complete -c hutch -n '__hutch_at option' -l argv0 -d 'Run COMMAND with argv[0] set to VALUE'
complete -c hutch -n '__hutch_at option' -l level-prefix -d 'Start each diagnostic with its syslog level, e.g. <3>'
complete -c hutch -n '__hutch_at option' -l unshare-all -d 'Unshare every namespace hutch supports (user and cgroup where possible)'
complete -c hutch -n '__hutch_at option' -l share-net -d 'Keep the host\'s network namespace (use after --unshare-all)'
complete -c hutch -n '__hutch_at option' -l unshare-user -d 'New user namespace (implied unless running as root)'
complete -c hutch -n '__hutch_at option' -l unshare-user-try -d 'New user namespace if the system allows one, else go on without'
complete -c hutch -n '__hutch_at option' -l unshare-ipc -d 'New IPC namespace'
complete -c hutch -n '__hutch_at option' -l unshare-pid -d 'New PID namespace'
complete -c hutch -n '__hutch_at option' -l unshare-net -d 'New network namespace with only loopback, brought up'
complete -c hutch -n '__hutch_at option' -l unshare-uts -d 'New UTS (hostname) namespace'
complete -c hutch -n '__hutch_at option' -l unshare-cgroup -d 'New cgroup namespace'
complete -c hutch -n '__hutch_at option' -l unshare-cgroup-try -d 'New cgroup namespace if the kernel has them, else go on without'
complete -c hutch -n '__hutch_at option' -l userns -d 'Join the user namespace FD instead of creating one'
complete -c hutch -n '__hutch_at option' -l userns2 -d 'Switch to the user namespace FD once setup is done (with --userns)'
complete -c hutch -n '__hutch_at option' -l disable-userns -d 'Forbid creating further user namespaces inside the sandbox'
complete -c hutch -n '__hutch_at option' -l assert-userns-disabled -d 'Fail unless creating user namespaces inside is already forbidden'
complete -c hutch -n '__hutch_at option' -l pidns -d 'Join the PID namespace FD (the parent of a new one with --unshare-pid)'
complete -c hutch -n '__hutch_at option' -l uid -d 'Your uid inside the sandbox (needs a user namespace)'
complete -c hutch -n '__hutch_at option' -l gid -d 'Your gid inside the sandbox (needs a user namespace)'
complete -c hutch -n '__hutch_at option' -l map-auto -d 'Map sandbox ids 0-65535 too, from your ranges in /etc/subuid and /etc/subgid'
complete -c hutch -n '__hutch_at option' -l map-uid -d 'Map COUNT host uids from OUTSIDE on sandbox uids from INSIDE (repeatable)'
complete -c hutch -n '__hutch_at option' -l map-gid -d 'Map COUNT host gids from OUTSIDE on sandbox gids from INSIDE (repeatable)'
complete -c hutch -n '__hutch_at option' -l hostname -d 'Hostname inside the sandbox (needs --unshare-uts)'
complete -c hutch -n '__hutch_at option' -l chdir -d 'Start COMMAND in DIR'
complete -c hutch -n '__hutch_at option' -l clearenv -d 'Start from an empty environment (PWD is still set)'
complete -c hutch -n '__hutch_at option' -l setenv -d 'Set VAR to VALUE'
complete -c hutch -n '__hutch_at option' -l unsetenv -d 'Remove VAR from the environment'
complete -c hutch -n '__hutch_at option' -l bind -d 'Bind the host path SRC on DEST, writable'
complete -c hutch -n '__hutch_at option' -l bind-try -d 'Like --bind; skipped if SRC is missing'
complete -c hutch -n '__hutch_at option' -l dev-bind -d 'Like --bind, and device nodes under it work'
complete -c hutch -n '__hutch_at option' -l dev-bind-try -d 'Like --dev-bind; skipped if SRC is missing'
complete -c hutch -n '__hutch_at option' -l ro-bind -d 'Bind the host path SRC on DEST, read-only with every submount'
complete -c hutch -n '__hutch_at option' -l ro-bind-try -d 'Like --ro-bind; skipped if SRC is missing'
complete -c hutch -n '__hutch_at option' -l bind-fd -d 'Bind the open directory or O_PATH fd FD on DEST'
complete -c hutch -n '__hutch_at option' -l ro-bind-fd -d 'Like --bind-fd, read-only'
complete -c hutch -n '__hutch_at option' -l remount-ro -d 'Make the mount at DEST read-only (not its submounts)'
complete -c hutch -n '__hutch_at option' -l overlay-src -d 'Add the host path SRC as a lower layer of the next overlay'
complete -c hutch -n '__hutch_at option' -l overlay -d 'Overlay on DEST; writes go to RWSRC, WORKDIR is overlayfs\' scratch space'
complete -c hutch -n '__hutch_at option' -l tmp-overlay -d 'Overlay on DEST; writes go to a hidden tmpfs and vanish'
complete -c hutch -n '__hutch_at option' -l ro-overlay -d 'Read-only overlay on DEST'
complete -c hutch -n '__hutch_at option' -l proc -d 'Mount a new procfs on DEST'
complete -c hutch -n '__hutch_at option' -l dev -d 'Mount a minimal /dev (null, zero, full, random, urandom, tty, pts, shm) on DEST'
complete -c hutch -n '__hutch_at option' -l tmpfs -d 'Mount a new tmpfs on DEST'
complete -c hutch -n '__hutch_at option' -l mqueue -d 'Mount a new mqueue filesystem on DEST'
complete -c hutch -n '__hutch_at option' -l dir -d 'Create the directory DEST'
complete -c hutch -n '__hutch_at option' -l file -d 'Create DEST with the contents read from FD'
complete -c hutch -n '__hutch_at option' -l bind-data -d 'Bind a file holding the contents read from FD on DEST'
complete -c hutch -n '__hutch_at option' -l ro-bind-data -d 'Like --bind-data, read-only'
complete -c hutch -n '__hutch_at option' -l symlink -d 'Create DEST as a symlink to TARGET'
complete -c hutch -n '__hutch_at option' -l chmod -d 'Set the mode of the existing PATH'
complete -c hutch -n '__hutch_at option' -l perms -d 'Mode for the next --dir, --file, --tmpfs, --bind-data or --ro-bind-data'
complete -c hutch -n '__hutch_at option' -l size -d 'Size limit of the next --tmpfs'
complete -c hutch -n '__hutch_at option' -l lock-file -d 'Hold a lock on DEST for as long as the sandbox runs'
complete -c hutch -n '__hutch_at option' -l seccomp -d 'Apply the compiled seccomp program read from FD (once)'
complete -c hutch -n '__hutch_at option' -l add-seccomp-fd -d 'Apply another compiled seccomp program read from FD'
complete -c hutch -n '__hutch_at option' -l seccomp-policy -d 'Apply the seccomp policy written in FILE (see SECCOMP POLICIES in hutch(1))'
complete -c hutch -n '__hutch_at option' -l seccomp-preset -d 'Apply a seccomp policy shipped with hutch: desktop or build'
complete -c hutch -n '__hutch_at option' -l seccomp-export -d 'Write the compiled program of POLICY (a file or preset:NAME) to stdout and exit'
complete -c hutch -n '__hutch_at option' -l cap-add -d 'Keep capability CAP (or ALL) in the sandbox'
complete -c hutch -n '__hutch_at option' -l cap-drop -d 'Do not keep capability CAP (or ALL)'
complete -c hutch -n '__hutch_at option' -l exec-label -d 'SELinux label COMMAND runs with'
complete -c hutch -n '__hutch_at option' -l file-label -d 'SELinux label of files hutch creates in the sandbox'
complete -c hutch -n '__hutch_at option' -l sync-fd -d 'Keep FD open for as long as the sandbox runs'
complete -c hutch -n '__hutch_at option' -l block-fd -d 'Wait until FD is readable (or closed) before running COMMAND'
complete -c hutch -n '__hutch_at option' -l userns-block-fd -d 'Wait on FD before writing the id maps, so another program may'
complete -c hutch -n '__hutch_at option' -l info-fd -d 'Write the sandbox\'s pid and namespaces to FD as JSON'
complete -c hutch -n '__hutch_at option' -l json-status-fd -d 'Write start and exit status to FD as JSON lines'
complete -c hutch -n '__hutch_at option' -l new-session -d 'Run COMMAND in a new session (no terminal injection)'
complete -c hutch -n '__hutch_at option' -l die-with-parent -d 'Kill the sandbox when hutch or its parent dies'
complete -c hutch -n '__hutch_at option' -l as-pid-1 -d 'Run COMMAND as pid 1 of the new PID namespace (no reaper)'
complete -c hutch -n '__hutch_at option' -l no-forward-signals -d 'Do not pass signals sent to hutch on to COMMAND (as bwrap)'
complete -c hutch -n '__hutch_at option' -l kill-on-exit -d 'When COMMAND exits, kill every other process in the sandbox'
complete -c hutch -n '__hutch_at option' -l rlimit -d 'Resource limit for COMMAND: NAME=SOFT[:HARD], NAME as in prlimit(1)'
complete -c hutch -n '__hutch_at option' -l timeout -d 'End the sandbox after SECONDS (SIGTERM, later SIGKILL); exit 124'
complete -c hutch -n '__hutch_at option' -l timeout-kill-after -d 'Seconds from --timeout\'s SIGTERM to SIGKILL (default 5)'

# Option arguments.
complete -c hutch -n '__hutch_at arg file' -F
complete -c hutch -n '__hutch_at arg dir' -x -a '(__fish_complete_directories)'
complete -c hutch -n '__hutch_at arg cap' -x -a '$__hutch_capabilities'
complete -c hutch -n '__hutch_at arg var' -x -a '(set -xn)'
complete -c hutch -n '__hutch_at arg preset' -x -a 'desktop build'
complete -c hutch -n '__hutch_at arg policy' -F -a 'preset:desktop preset:build'

# COMMAND, then its own completion.
complete -c hutch -n '__hutch_at option; and not string match -q -- "-*" (commandline -ct)' -x -a '(__hutch_complete_command)'
complete -c hutch -n '__hutch_at command' -x -a '(__hutch_complete_command)'
