/* test-support.c — see test-support.h. */
#include "test-support.h"

#include <string.h>

#include "options.h"

static void capture_sink(LogLevel level, const char *text, void *userdata)
{
	CapturedLog *log = userdata;

	g_ptr_array_add(log->messages, g_strdup_printf("%s: %s", level == LOG_LEVEL_ERROR ? "E"
								  : level == LOG_LEVEL_WARNING ? "W" : "I", text));
}

void captured_log_start(CapturedLog *log)
{
	log->messages = g_ptr_array_new_with_free_func(g_free);
	log_set_sink(capture_sink, log);
}

void captured_log_stop(CapturedLog *log)
{
	log_set_sink(NULL, NULL);
	g_ptr_array_unref(log->messages);
	log->messages = NULL;
}

const char *captured_log_last_error(const CapturedLog *log)
{
	for (guint i = log->messages->len; i > 0; i--) {
		const char *m = g_ptr_array_index(log->messages, i - 1);

		if (g_str_has_prefix(m, "E: "))
			return m + 3;
	}
	return NULL;
}

gboolean captured_log_has(const CapturedLog *log, const char *line)
{
	for (guint i = 0; i < log->messages->len; i++)
		if (strcmp(g_ptr_array_index(log->messages, i), line) == 0)
			return TRUE;
	return FALSE;
}

int parse_words(Plan *plan, const char *const *words)
{
	GPtrArray *argv = g_ptr_array_new();
	int r;

	g_ptr_array_add(argv, (gpointer) "hutch");
	for (; *words; words++)
		g_ptr_array_add(argv, (gpointer)*words);
	g_ptr_array_add(argv, NULL);
	r = options_parse(plan, (int)argv->len - 1, (char **)argv->pdata);
	/* The plan may point into argv's strings (static here) but never
	 * into the array itself, except plan->command which is copied. */
	g_ptr_array_unref(argv);
	return r;
}
