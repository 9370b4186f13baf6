/* main.c — runs the pipeline: parse, validate, launch. Nothing else. */
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "label.h"
#include "launch.h"
#include "seccomp-compile.h"
#include "options.h"
#include "plan.h"
#include "util/log.h"
#include "validate.h"

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool userns_available(void)
{
	FILE *f;
	long max = 1;

	if (!path_exists("/proc/self/ns/user"))
		return false;
	f = fopen("/proc/sys/user/max_user_namespaces", "re");
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 1;
		fclose(f);
	}
	return max != 0;
}

int main(int argc, char **argv)
{
	Plan plan;
	ValidateFacts facts;
	LaunchFacts launch_facts;
	int r, code;

	log_set_program_name(argc > 0 ? argv[0] : NULL);

	/* hutch is rootless by design: installed setuid or setgid it would
	 * hand the caller privileges it was never written to guard. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		log_error("refusing to run setuid or setgid (real and effective ids differ): "
			  "hutch needs no privileges; remove the setuid/setgid bit");
		return 1;
	}

	/* A caller that ignores SIGCHLD (Erlang does) passes that on through
	 * execve; children would then be reaped by the kernel, so the
	 * payload's status would be lost, and the payload would inherit it. */
	signal(SIGCHLD, SIG_DFL);

	plan_init(&plan);
	r = options_parse(&plan, argc, argv);
	if (r < 0) {
		plan_free(&plan);
		return 1;
	}
	if (plan.show_help) {
		options_print_help(stdout, argc > 0 && argv[0] ? argv[0] : log_program_name());
		plan_free(&plan);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (plan.show_version) {
		options_print_version(stdout, log_program_name());
		plan_free(&plan);
		return fflush(stdout) == 0 ? 0 : 1;
	}

	if (plan.seccomp_export) {
		/* The program goes to stdout, for tools that pass it back
		 * with --seccomp FD (to hutch or to bwrap). */
		r = seccomp_compile_export(plan.seccomp_export, STDOUT_FILENO);
		plan_free(&plan);
		return r < 0 ? 1 : 0;
	}

	if (plan.check) {
		code = check_run(stdout, plan.check_json);
		plan_free(&plan);
		return code;
	}

	facts = (ValidateFacts){
		.real_uid = getuid(),
		.real_gid = getgid(),
		/* Probed only for the options that ask (four /proc lookups a
		 * start otherwise). */
		.userns_available = plan.unshare_user_try && userns_available(),
		.cgroupns_available = (plan.unshare_cgroup_try || plan.unshare_cgroup) &&
				      path_exists("/proc/self/ns/cgroup"),
		/* Only looked up when a label is asked for. */
		.selinux_enabled = (plan.exec_label || plan.file_label) && label_supported(),
	};
	r = validate_plan(&plan, &facts);
	if (r == VALIDATE_USAGE) {
		options_print_help(stderr, argc > 0 && argv[0] ? argv[0] : log_program_name());
		plan_free(&plan);
		return 1;
	}
	if (r < 0) {
		plan_free(&plan);
		return 1;
	}

	/* The policy must know the labels before anything starts. */
	if ((plan.exec_label && label_check(plan.exec_label) < 0) ||
	    (plan.file_label && label_check(plan.file_label) < 0)) {
		plan_free(&plan);
		return 1;
	}

	launch_facts = (LaunchFacts){ .real_uid = facts.real_uid, .real_gid = facts.real_gid };
	code = launch_run(&plan, &launch_facts);
	plan_free(&plan);
	return code;
}
