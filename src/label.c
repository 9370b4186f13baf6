/* label.c — see label.h.
 *
 * libselinux is loaded with dlopen() the first time a label is asked
 * for, never linked: it pulls in libpcre2 and runs constructors that
 * read /proc, which every sandbox start would pay for (in time and in
 * resident memory) although almost none uses a label. Debian installs
 * libselinux1 everywhere (coreutils needs it). The four functions used
 * are declared here with the prototypes libselinux has had for years.
 */
#include "label.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "util/log.h"

typedef struct {
	int (*is_selinux_enabled)(void);
	int (*security_check_context)(const char *con);
	int (*setfscreatecon)(const char *con);
	int (*setexeccon)(const char *con);
} SelinuxApi;

static SelinuxApi selinux;
static bool selinux_loaded;

/* Loads libselinux once; false when it is not installed or lacks one of
 * the functions. */
static bool selinux_load(void)
{
	static bool tried;
	void *handle;

	if (tried)
		return selinux_loaded;
	tried = true;
	handle = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return false;
	/* POSIX allows converting dlsym's void * to a function pointer. */
	*(void **)&selinux.is_selinux_enabled = dlsym(handle, "is_selinux_enabled");
	*(void **)&selinux.security_check_context = dlsym(handle, "security_check_context");
	*(void **)&selinux.setfscreatecon = dlsym(handle, "setfscreatecon");
	*(void **)&selinux.setexeccon = dlsym(handle, "setexeccon");
	if (!selinux.is_selinux_enabled || !selinux.security_check_context || !selinux.setfscreatecon ||
	    !selinux.setexeccon) {
		dlclose(handle);
		return false;
	}
	selinux_loaded = true;
	return true;
}

bool label_supported(void)
{
	return selinux_load() && selinux.is_selinux_enabled() == 1;
}

int label_check(const char *label)
{
	if (!label_supported())
		return log_error("labeling not supported on this system");
	if (selinux.security_check_context(label) < 0)
		return log_error_errno(errno, "invalid label %s", label);
	return 0;
}

int label_create_files(const char *label)
{
	if (!selinux_loaded)
		return log_error("labeling not supported on this system");
	if (selinux.setfscreatecon(label) < 0)
		return log_error_errno(errno, "Can't set the file creation label %s", label);
	return 0;
}

int label_exec(const char *label)
{
	if (!selinux_loaded)
		return log_error("labeling not supported on this system");
	if (selinux.setexeccon(label) < 0)
		return log_error_errno(errno, "Can't set the exec label %s", label);
	return 0;
}
