/* label.c — see label.h. */
#include "config.h"
#include "label.h"

#include <errno.h>

#include "util/log.h"

#ifdef HAVE_SELINUX
#include <selinux/selinux.h>

bool label_supported(void)
{
	return is_selinux_enabled() == 1;
}

int label_check(const char *label)
{
	/* security_check_context takes a non-const string in older
	 * libselinux releases; it does not modify it. */
	if (security_check_context((char *)label) < 0)
		return log_error_errno(errno, "invalid label %s", label);
	return 0;
}

int label_create_files(const char *label)
{
	if (setfscreatecon((char *)label) < 0)
		return log_error_errno(errno, "Can't set the file creation label %s", label);
	return 0;
}

int label_exec(const char *label)
{
	if (setexeccon((char *)label) < 0)
		return log_error_errno(errno, "Can't set the exec label %s", label);
	return 0;
}

#else

bool label_supported(void)
{
	return false;
}

int label_check(const char *label)
{
	return log_error("labeling not supported on this system");
}

int label_create_files(const char *label)
{
	return log_error("labeling not supported on this system");
}

int label_exec(const char *label)
{
	return log_error("labeling not supported on this system");
}

#endif
