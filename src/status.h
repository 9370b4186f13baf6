/* status.h — --info-fd and --json-status-fd.
 *
 * Owns: the JSON documents clients parse (bwrap's format: "child-pid"
 * first, then one "<ns>-namespace" member per namespace that differs
 * from hutch's own, in the order cgroup, ipc, mnt, net, pid, uts; the
 * info document pretty-printed, the status documents one per line).
 * Must not: decide when they are written (launch.c and monitor.c do).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

#define STATUS_N_NAMESPACES 6

typedef struct {
	const char *name[STATUS_N_NAMESPACES];   /* "cgroup", ... */
	uint64_t id[STATUS_N_NAMESPACES];        /* inode numbers */
	size_t n;
} StatusNamespaces;

/* Reads (once, then keeps) the caller's own namespace ids, which the
 * comparisons below use; hutch calls it while the child sets up, so that
 * the report at the end of setup costs no lookups. */
void status_read_own_namespaces(void);

/* Reads which namespaces of pid differ from the caller's. */
int status_read_namespaces(pid_t pid, StatusNamespaces *out);

/* The setup child's side, when it maps its own ids and so never waits
 * for hutch: it formats the inode numbers of its own namespaces (0 for a
 * type this kernel lacks) as text for the sync socket, and hutch turns
 * that text into the namespaces that differ from its own. Reading them
 * in the child spares hutch /proc/PID/ns, which the child closes to
 * others (non-dumpable) right after mapping its ids. */
int status_format_own_namespaces(char *buf, size_t size);
int status_namespaces_from_text(const char *text, StatusNamespaces *out);

/* Formats the start document. Pure. Returns its length or -ENOSPC. */
int status_format_start(char *buf, size_t size, pid_t child_pid, const StatusNamespaces *ns, bool pretty);

/* Formats { "exit-code": N }. Pure. */
int status_format_exit(char *buf, size_t size, int exit_code);

/* Formats a one-member line { "KEY": VALUE }, VALUE being JSON already
 * (a number, true, or a quoted string). Pure. The process-control events
 * (signal-relayed, timed-out, rlimit-exceeded) are such lines, written
 * between the start line and the exit-code line, which stay as bwrap's. */
int status_format_member(char *buf, size_t size, const char *key, const char *json_value);

/* The start documents of both options the plan names (--info-fd is
 * closed afterwards: it carries nothing else). Logs; -errno. */
int status_write_documents(const Plan *plan, pid_t child_pid, const StatusNamespaces *ns);

/* Write the documents; log on failure (naming the option). */
int status_write_info(int fd, pid_t child_pid, const StatusNamespaces *ns);
int status_write_json_start(int fd, pid_t child_pid, const StatusNamespaces *ns);
int status_write_json_exit(int fd, int exit_code);
int status_write_json_member(int fd, const char *key, const char *json_value);
