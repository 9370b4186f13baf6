/* check-ns.h — the namespace probe of `hutch --check`.
 *
 * Owns: a forked child that creates a user namespace (writing its one-id
 * maps), a mount namespace with a tmpfs, and tries overlayfs and the new
 * mount API there, then reports each step's errno and exits; nothing it
 * does outlives it.
 * Must not: report or print (check.c turns the results into the report).
 */
#pragma once

#include <sys/types.h>

typedef struct {
	int userns;            /* 0, or the errno of the step that failed */
	char userns_step[40];
	int mountns;           /* the same, for mount namespace + tmpfs */
	char mountns_step[40];
	int overlay;           /* -1: not reached */
	int mount_api;         /* -1: not reached */
	char mount_api_step[16];
} NsProbe;

/* Forks the probe child and collects what it found. For real root a
 * failed unshare(CLONE_NEWUSER) is recorded and the rest is tried without
 * one. Returns 0, or -errno when the child could not run or report. */
int check_ns_probe(NsProbe *res, uid_t uid, gid_t gid);
