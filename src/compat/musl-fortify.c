/* musl-fortify.c — the fortified printf entry points of glibc, for the
 * musl build of hutch (see the README, "Which C library").
 *
 * Owns: __fprintf_chk, __sprintf_chk, __snprintf_chk and __asprintf_chk,
 * which the distribution's static libcap and libseccomp call because
 * they were compiled with _FORTIFY_SOURCE against glibc, and which musl
 * does not have. Each does what glibc's does: format, and stop the
 * program when the output would overrun the buffer the caller's compiler
 * knew about. Linked only into the musl binary.
 * Must not: be compiled into the glibc build (glibc has these).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* Never abort(): in a process made by a raw clone, musl's raise() would
 * signal the parent (it keeps the thread id it started with). */
__attribute__((noreturn)) static void overflow(void)
{
	__builtin_trap();
}

/* glibc's callers pass (size_t)-1 for a size their compiler did not
 * know; musl's vsnprintf refuses sizes above INT_MAX (EOVERFLOW), which
 * no output of theirs comes near. */
static size_t bounded(size_t size)
{
	return size > INT_MAX ? INT_MAX : size;
}

int __fprintf_chk(FILE *stream, int flag, const char *format, ...);
int __sprintf_chk(char *s, int flag, size_t slen, const char *format, ...);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...);
int __asprintf_chk(char **result, int flag, const char *format, ...);

int __fprintf_chk(FILE *stream, int flag, const char *format, ...)
{
	va_list ap;
	int r;

	(void)flag;
	va_start(ap, format);
	r = vfprintf(stream, format, ap);
	va_end(ap);
	return r;
}

int __sprintf_chk(char *s, int flag, size_t slen, const char *format, ...)
{
	va_list ap;
	int r;

	(void)flag;
	va_start(ap, format);
	r = vsnprintf(s, bounded(slen), format, ap);
	va_end(ap);
	if (r >= 0 && (size_t)r >= slen)
		overflow();
	return r;
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...)
{
	va_list ap;
	int r;

	(void)flag;
	if (maxlen > slen)
		overflow();
	va_start(ap, format);
	r = vsnprintf(s, bounded(maxlen), format, ap);
	va_end(ap);
	return r;
}

int __asprintf_chk(char **result, int flag, const char *format, ...)
{
	va_list ap;
	int r;

	(void)flag;
	va_start(ap, format);
	r = vasprintf(result, format, ap);
	va_end(ap);
	return r;
}
