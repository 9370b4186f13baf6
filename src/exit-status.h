/* exit-status.h — how a wait status becomes hutch's exit code.
 *
 * Owns: the mapping (exit code as is, 128+N for signal N, 1 otherwise).
 * Must not: wait or exit itself.
 */
#pragma once

int exit_status_from_wait(int status);
