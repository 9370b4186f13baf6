/* idmap.h — writing a child's uid and gid maps from the monitor.
 *
 * Owns: the text of map lines and the order of writes (setgroups first:
 * since Linux 3.19 an unprivileged gid_map write needs setgroups denied,
 * the fix for CVE-2014-8989).
 * Must not: run helpers for subordinate ranges (idmap-setup.c does).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Formats "INSIDE OUTSIDE COUNT\n"; ids are printed unsigned. Returns
 * the length, or -ENOSPC if buf is too small. */
int idmap_format_line(char *buf, size_t size, uint32_t inside, uint32_t outside, uint32_t count);

/* Maps outside_uid to inside_uid and outside_gid to inside_gid, one id
 * each, in the user namespace of pid, with setgroups denied. Logs. */
int idmap_write_single(pid_t pid, uint32_t inside_uid, uint32_t outside_uid, uint32_t inside_gid,
		       uint32_t outside_gid);

/* The same, written by a process that has just created its user
 * namespace into its own /proc/self files: the kernel lets it map its
 * own uid and gid (one each) without help from outside. Logs. */
int idmap_write_single_self(uint32_t inside_uid, uint32_t outside_uid, uint32_t inside_gid, uint32_t outside_gid);
