#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/ (run from anywhere).

fuzz-options seeds: byte 0 is the mode (0x01 --args data follows the
first 0x01 byte, 0x02 root, 0x04 userns available, 0x08 cgroupns, 0x10
SELinux), then NUL-separated argv words; "@ARGS@" becomes the memfd.
fuzz-args-split seeds: raw --args data.
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
USERNS, CGROUPNS, ROOT, ARGS, SELINUX = 0x04, 0x08, 0x02, 0x01, 0x10


def words(ws):
    return b"\0".join(w.encode() if isinstance(w, str) else w for w in ws)


def opt(mode, argv, data=None):
    out = bytes([mode | (ARGS if data is not None else 0)]) + words(argv)
    if data is not None:
        out += b"\x01" + data
    return out


flatpak = [
    "--unshare-ipc", "--unshare-pid", "--unshare-user-try", "--unshare-cgroup-try",
    "--die-with-parent", "--new-session", "--as-pid-1",
    "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
    "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
    "--proc", "/proc", "--dev", "/dev", "--dir", "/tmp",
    "--tmpfs", "/run", "--dir", "/run/user/1000",
    "--setenv", "XDG_RUNTIME_DIR", "/run/user/1000",
    "--unsetenv", "TMPDIR", "--chdir", "/",
    "--info-fd", "5", "--sync-fd", "6", "--seccomp", "7",
    "--file", "8", "/run/.flatpak-info",
    "--ro-bind-data", "9", "/etc/passwd",
    "--bind", "/home/u/.var/app/org.example.App", "/home/u/.var/app/org.example.App",
    "--bind-try", "/run/user/1000/pulse", "/run/user/1000/pulse",
    "--dev-bind-try", "/dev/dri", "/dev/dri",
    "--", "/app/bin/example", "--flag", "file.txt",
]

args_data_flatpak = words([
    "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
    "--perms", "0700", "--dir", "/run/user/1000",
    "--setenv", "HOME", "/home/u", "--unshare-pid", "--die-with-parent",
]) + b"\0"

options_seeds = {
    "minimal": opt(0, ["--ro-bind", "/", "/", "true"]),
    "flatpak": opt(USERNS | CGROUPNS, flatpak),
    "flatpak-args": opt(USERNS | CGROUPNS, ["--args", "@ARGS@", "--", "/app/bin/example"],
                        args_data_flatpak),
    "args-with-command": opt(0, ["--unshare-all", "--args", "@ARGS@"],
                             words(["--share-net", "--tmpfs", "/tmp", "--", "sh", "-c", "echo hi"])),
    "args-unterminated": opt(0, ["--args", "@ARGS@", "ls"], b"--dir\0/x\0--chdir\0/x"),
    "args-nested": opt(0, ["--args", "@ARGS@", "ls"], words(["--args", "3"]) + b"\0"),
    "perms-size": opt(0, ["--perms", "0755", "--dir", "/a", "--size", "1048576", "--tmpfs", "/t",
                          "--perms", "1777", "--size", "4096", "--tmpfs", "/tmp",
                          "--perms", "0600", "--file", "3", "/f",
                          "--perms", "0444", "--bind-data", "4", "/g",
                          "--chmod", "0700", "/a", "env"]),
    "perms-bad": opt(0, ["--perms", "0755", "--perms", "0700", "--dir", "/a", "x"]),
    "perms-wrong-target": opt(0, ["--size", "10", "--dir", "/a", "x"]),
    "perms-overflow": opt(0, ["--perms", "077777", "--size", "18446744073709551616", "--tmpfs", "/", "x"]),
    "overlay": opt(ROOT, ["--overlay-src", "/lower1", "--overlay-src", "/lower2", "--ro-overlay", "/mnt",
                          "--overlay-src", "/l", "--tmp-overlay", "/t",
                          "--overlay-src", "/l", "--overlay", "/up", "/work", "/o", "cat"]),
    "overlay-dangling": opt(0, ["--overlay-src", "/l", "--dir", "/x", "true"]),
    "ids-root": opt(ROOT, ["--uid", "0", "--gid", "4294967294", "--hostname", "box",
                           "--unshare-uts", "--unshare-pid", "--as-pid-1", "id"]),
    "ids-bad": opt(0, ["--uid", "-1", "--gid", "4294967295", "--hostname", "h", "id"]),
    "caps-seccomp": opt(ROOT, ["--cap-add", "ALL", "--cap-drop", "cap_sys_admin", "--cap-add", "CAP_NET_RAW",
                               "--cap-add", "12", "--add-seccomp-fd", "3", "--add-seccomp-fd", "4",
                               "--seccomp", "5", "sh"]),
    "fds": opt(0, ["--userns-block-fd", "3", "--info-fd", "4", "--json-status-fd", "5", "--block-fd", "6",
                   "--userns", "7", "--userns2", "8", "--pidns", "9", "--bind-fd", "10", "/b",
                   "--ro-bind-fd", "11", "/c", "--lock-file", "/l", "--sync-fd", "x12", "true"]),
    "labels-misc": opt(SELINUX, ["--exec-label", "system_u:object_r:t", "--file-label", "l",
                                 "--level-prefix", "--argv0", "zero", "--argv0", "again",
                                 "--disable-userns", "--assert-userns-disabled", "--clearenv",
                                 "--remount-ro", "/", "--mqueue", "/dev/mqueue", "x"]),
    "process": opt(0, ["--kill-on-exit", "--no-forward-signals", "--timeout", "1.5m",
                       "--timeout-kill-after", "0.25", "--rlimit", "nofile=64:128", "--rlimit", "CPU=unlimited",
                       "--rlimit", "core=5:", "--rlimit", "stack=:8388608", "--rlimit", "as=1:2:3", "true"]),
    "process-bad": opt(0, ["--timeout-kill-after", "1", "--rlimit", "nofile=5:3",
                           "--rlimit", "x=99999999999999999999999", "--timeout", "367d", "true"]),
    "help": opt(0, ["--help"]),
    "version": opt(0, ["--version", "--bogus"]),
    "malformed": opt(0, ["--bind", "/only-one", "-", "--", "--unknown", "", "--setenv"]),
    "missing-args": opt(0, ["--overlay", "a", "b"]),
    "no-command": opt(0, ["--unshare-net", "--"]),
    "args-closed-fd": opt(0, ["--args", "@ARGS@", "true"]),  # no memfd: EBADF
    "args-not-fd": opt(0, ["--args", "fd3", "true"], b"--dir\0/x\0"),
    "size-too-big": opt(0, ["--size", "9223372036854775808", "--tmpfs", "/t", "true"]),
    "disable-userns-block": opt(0, ["--unshare-user", "--disable-userns", "--userns-block-fd", "3",
                                    "--info-fd", "4", "true"]),
    # PLAN_MAX_ARGS (9000) words in argv, and past it through --args data.
    "too-many-args": opt(0, ["--clearenv", "true"] + [""] * 9000),
    "too-many-args-data": opt(0, ["--args", "@ARGS@", "true"], b"--clearenv\0" + b"\0" * 8998),
}

split_seeds = {
    "empty": b"",
    "one-nul": b"\0",
    "one-word": b"--unshare-all",
    "terminated": args_data_flatpak,
    "unterminated": b"--bind\0/a\0/b",
    "double-nul": b"--setenv\0X\0\0--dir\0\0\0",
    "binary": bytes(range(256)),
    "long-word": b"/" + b"a" * 5000 + b"\0",
    "many-words": b"\0".join(b"--dir /d%d" % i for i in range(200)),
    "utf8": "--setenv\0NAME\0Zoë ☃\0--hostname\0héte".encode(),
    "newlines": b"--bind\n/a\n/b\n",
    "only-nuls": b"\0" * 64,
}


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


write("fuzz-options", options_seeds)
write("fuzz-args-split", split_seeds)

# A dictionary for fuzz-options: every option name in the table, the
# placeholder, the separator and a few typical values.
with open(os.path.join(HERE, "..", "..", "src", "options.c")) as f:
    opts = sorted(set(re.findall(r'OPTM?\("(--[a-z0-9-]+)"', f.read())))
with open(os.path.join(HERE, "fuzz-options.dict"), "w") as f:
    f.write("# Generated by make-corpus.py from src/options.c\n")
    for w in opts:
        f.write('"%s\\x00"\n' % w)
    f.write('"@ARGS@\\x00"\n"\\x01"\n"0755\\x00"\n"ALL\\x00"\n')
