/* log.c — formatting and routing of diagnostics; see log.h. */
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/errno-text.h"

#define LOG_LINE_MAX 4096

static const char *program_name = "hutch";
static bool level_prefix;
static LogSink current_sink;
static void *current_sink_userdata;

void log_set_program_name(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || argv0[0] == '\0')
		return;
	slash = strrchr(argv0, '/');
	program_name = slash ? slash + 1 : argv0;
	if (program_name[0] == '\0')
		program_name = "hutch";
}

const char *log_program_name(void)
{
	return program_name;
}

void log_set_level_prefix(bool enabled)
{
	level_prefix = enabled;
}

void log_set_sink(LogSink sink, void *userdata)
{
	current_sink = sink;
	current_sink_userdata = userdata;
}

void log_print(LogLevel level, const char *text)
{
	char line[LOG_LINE_MAX + 64];
	int n;

	/* One write() per message so that lines from the monitor and from
	 * other processes sharing stderr do not interleave mid-line. */
	if (level_prefix)
		n = snprintf(line, sizeof line, "<%d>%s: %s\n", (int)level, program_name, text);
	else
		n = snprintf(line, sizeof line, "%s: %s\n", program_name, text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	while (write(STDERR_FILENO, line, (size_t)n) < 0 && errno == EINTR)
		;
}

void log_msgv(LogLevel level, const char *fmt, va_list ap)
{
	char text[LOG_LINE_MAX];
	int saved = errno;

	vsnprintf(text, sizeof text, fmt, ap);
	if (current_sink)
		current_sink(level, text, current_sink_userdata);
	else
		log_print(level, text);
	errno = saved;
}

void log_msg(LogLevel level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msgv(level, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 0))) static void log_with_errno(LogLevel level, int err, const char *fmt, va_list ap)
{
	char text[LOG_LINE_MAX];

	vsnprintf(text, sizeof text, fmt, ap);
	if (err < 0)
		err = -err;
	log_msg(level, "%s: %s", text, errno_text(err));
}

int log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msgv(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int log_error_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_LEVEL_ERROR, err, fmt, ap);
	va_end(ap);
	if (err < 0)
		err = -err;
	return err == 0 ? -EINVAL : -err;
}

void log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msgv(LOG_LEVEL_WARNING, fmt, ap);
	va_end(ap);
}

void log_warning_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_LEVEL_WARNING, err, fmt, ap);
	va_end(ap);
}
