/* label.c — see label.h.
 *
 * The kernel interface, as libselinux uses it: selinuxfs (mounted at
 * /sys/fs/selinux on every current distribution) exists exactly when
 * SELinux is enabled; writing a context, NUL included, to its "context"
 * file fails with EINVAL unless the loaded policy knows it; writing one
 * to /proc/thread-self/attr/{exec,fscreate} sets the label of the next
 * execve() and of the files created from then on. No library: linking
 * libselinux would pull in libpcre2 and constructors that read /proc at
 * every start, for an option almost no sandbox uses.
 */
#include "label.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/log.h"

#define SELINUXFS "/sys/fs/selinux"
#define SELINUX_MAGIC 0xf97cff8cU

bool label_supported(void)
{
	struct statfs sfs;

	return statfs(SELINUXFS, &sfs) == 0 && (unsigned int)sfs.f_type == SELINUX_MAGIC;
}

/* Writes LABEL and its terminating NUL to PATH; 0 or -errno. */
static int write_label(const char *path, const char *label)
{
	_cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	size_t len = strlen(label) + 1;
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = write(fd, label, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int label_check(const char *label)
{
	int r;

	if (!label_supported())
		return log_error("labeling not supported on this system");
	r = write_label(SELINUXFS "/context", label);
	if (r < 0)
		return log_error_errno(r, "invalid label %s", label);
	return 0;
}

int label_create_files(const char *label)
{
	int r = write_label("/proc/thread-self/attr/fscreate", label);

	if (r < 0)
		return log_error_errno(r, "Can't set the file creation label %s", label);
	return 0;
}

int label_exec(const char *label)
{
	int r = write_label("/proc/thread-self/attr/exec", label);

	if (r < 0)
		return log_error_errno(r, "Can't set the exec label %s", label);
	return 0;
}
