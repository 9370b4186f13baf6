/* test-support.h — shared helpers for the unit tests.
 *
 * Captures hutch's diagnostics through a log sink so that tests can
 * assert on the exact messages users would see.
 */
#pragma once

#include <glib.h>

#include "plan.h"
#include "util/log.h"

typedef struct {
	GPtrArray *messages; /* "E: text" / "W: text" */
} CapturedLog;

void captured_log_start(CapturedLog *log);
void captured_log_stop(CapturedLog *log);
/* The last error message, or NULL. */
const char *captured_log_last_error(const CapturedLog *log);
gboolean captured_log_has(const CapturedLog *log, const char *line);

/* Parses a NULL-terminated word list (without argv[0]) into plan. */
int parse_words(Plan *plan, const char *const *words);
