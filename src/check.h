/* check.h — `hutch --check`: can this machine run hutch, and if not, how
 * to fix it.
 *
 * Owns: the probes (sysctls, a throw-away user namespace, the id-map
 * helpers and /etc/subuid, kernel features, a real default sandbox) and
 * turning their results into a report (check-report.h).
 * Must not: change anything on the host; every namespace and mount it
 * makes lives in a child that exits.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Runs every check and prints the report on out, as text or as JSON.
 * Returns the exit status: 0 when a default sandbox starts, else 1. */
int check_run(FILE *out, bool json);
