/* dev-setup.h — the contents of --dev and the hardening of --proc.
 *
 * Owns: populating a fresh /dev tmpfs (device binds from the host,
 * standard symlinks, shm and a private devpts instance, the console) and
 * covering the writable kernel knobs of a /proc mount read-only.
 * Must not: mount the /dev tmpfs or the procfs itself, or resolve user
 * paths (rootfs.c hands over fds of the already-mounted directories).
 */
#pragma once

/* dev_fd: O_PATH fd of the root of the fresh tmpfs at DEST. oldroot_fd:
 * the host root, where the device nodes are taken from. dest: DEST as
 * the user wrote it, for messages. */
int dev_setup_populate(int dev_fd, int oldroot_fd, const char *dest);

/* proc_fd: O_PATH fd of the root of the proc mount at DEST. Binds sys,
 * sysrq-trigger, irq and bus read-only onto themselves when present. */
int dev_setup_cover_proc(int proc_fd, const char *dest);
