/* cleanup.h — scope-bound cleanup for memory and fds.
 *
 * Owns: the _cleanup_* attributes and the take-ownership helpers.
 * Must not: allocate, log, or know about any hutch type.
 */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

/* close() must not clobber errno: callers log "%m" after a failed step
 * and the cleanup runs between the failure and the log in some paths. */
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)

/* Hand a pointer out of a _cleanup_free_ scope. */
#define TAKE_PTR(p)                                 \
	({                                          \
		__typeof__(p) take_ptr_tmp_ = (p);  \
		(p) = NULL;                         \
		take_ptr_tmp_;                      \
	})

/* Hand an fd out of a _cleanup_close_ scope. */
#define TAKE_FD(fd)                       \
	({                                \
		int take_fd_tmp_ = (fd);  \
		(fd) = -1;                \
		take_fd_tmp_;             \
	})

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))
