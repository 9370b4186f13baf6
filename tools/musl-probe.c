/* musl-probe.c — meson.build links this with musl-gcc, libcap.a and
 * libseccomp.a before it chooses musl for hutch: both libraries must
 * link and work there. Returns 0 when they do. */
#include <seccomp.h>
#include <sys/capability.h>

int main(void)
{
	cap_value_t cap;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx || cap_from_name("cap_chown", &cap) != 0 || cap != CAP_CHOWN)
		return 1;
	seccomp_release(ctx);
	return 0;
}
