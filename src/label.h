/* label.h — SELinux labels for --exec-label and --file-label.
 *
 * Owns: whether labeling is possible here (SELinux enabled on the host:
 * selinuxfs mounted), checking a label against the loaded policy, and
 * the two process attributes bwrap's labels set: the label the payload
 * is exec'd with, and the label of files setup creates. All through the
 * kernel's own files (selinuxfs, /proc/thread-self/attr), the same ones
 * libselinux writes, so hutch needs no library for them. Without
 * SELinux, labeling is not supported, which is what bwrap built without
 * SELinux says ("labeling not supported on this system").
 * Must not: mount anything; rootfs.c adds the context= mount option
 * itself.
 */
#pragma once

#include <stdbool.h>

/* True when labels can be applied on this host. */
bool label_supported(void);

/* 0 when the policy knows LABEL; else logs "invalid label LABEL". */
int label_check(const char *label);

/* Files and directories this process creates from now on get LABEL. */
int label_create_files(const char *label);

/* The next execve() of this thread runs with LABEL. */
int label_exec(const char *label);
