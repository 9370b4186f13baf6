/* log.h — every diagnostic hutch prints.
 *
 * Owns: the "<prog>: " prefix (basename of argv[0], so a `bwrap` symlink
 * says "bwrap: "), the optional "<3>"/"<4>" level prefix, and the sink.
 * In the monitor the sink is stderr; in the setup child it is the sync
 * socket, so that the parent prints each message once (see sync.h).
 * Must not: exit, or allocate on the path that reports allocation failure.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

typedef enum {
	LOG_LEVEL_ERROR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_INFO = 6,
} LogLevel;

/* A sink receives the fully formatted message text, without the prefix
 * and without a trailing newline. */
typedef void (*LogSink)(LogLevel level, const char *text, void *userdata);

void log_set_program_name(const char *argv0);
const char *log_program_name(void);
void log_set_level_prefix(bool enabled);
void log_set_sink(LogSink sink, void *userdata);

/* Writes "<prog>: text\n" (with level prefix when enabled) to stderr.
 * This is what the default sink does; the monitor uses it to print the
 * messages the child sent. */
void log_print(LogLevel level, const char *text);

void log_msg(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_msgv(LogLevel level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Each returns -errno (or -EINVAL when err is 0) so callers can write
 * `return log_error_errno(r, "Can't ...");`. The _errno variants append
 * ": <strerror(err)>". */
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int log_error_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
