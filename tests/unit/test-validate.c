/* test-validate.c — cross-option rules, their messages and their order. */
#include <limits.h>

#include "options.h"
#include "test-support.h"
#include "validate.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const ValidateFacts user_facts = { .real_uid = 1000, .real_gid = 1000, .userns_available = true,
					  .cgroupns_available = true };
static const ValidateFacts root_facts = { .real_uid = 0, .real_gid = 0, .userns_available = true,
					  .cgroupns_available = true };

/* Parses and validates; returns validate's result and the last error. */
static int run(const char *const *words, const ValidateFacts *facts, char **error, Plan *out)
{
	CapturedLog log;
	Plan plan;
	int r;

	plan_init(&plan);
	captured_log_start(&log);
	r = parse_words(&plan, words);
	g_assert_cmpint(r, ==, 0);
	r = validate_plan(&plan, facts);
	*error = g_strdup(captured_log_last_error(&log));
	captured_log_stop(&log);
	if (out)
		*out = plan;
	else
		plan_free(&plan);
	return r;
}

static void expect_error(const char *const *words, const ValidateFacts *facts, const char *message)
{
	g_autofree char *error = NULL;

	g_assert_cmpint(run(words, facts, &error, NULL), <, 0);
	g_assert_cmpstr(error, ==, message);
}

static void test_user_namespace_implied(void)
{
	g_autofree char *error = NULL;
	Plan plan;

	g_assert_cmpint(run(WORDS("true"), &user_facts, &error, &plan), ==, 0);
	g_assert_true(plan.unshare_user);
	g_assert_cmpuint(plan.sandbox_uid, ==, 1000);
	g_assert_cmpuint(plan.sandbox_gid, ==, 1000);
	plan_free(&plan);

	g_assert_cmpint(run(WORDS("true"), &root_facts, &error, &plan), ==, 0);
	g_assert_false(plan.unshare_user);
	plan_free(&plan);
}

static void test_try_options(void)
{
	g_autofree char *error = NULL;
	ValidateFacts no_ns = root_facts;
	Plan plan;

	g_assert_cmpint(run(WORDS("--unshare-user-try", "--unshare-cgroup-try", "true"), &root_facts, &error, &plan), ==, 0);
	g_assert_true(plan.unshare_user && plan.unshare_cgroup);
	plan_free(&plan);

	no_ns.userns_available = false;
	no_ns.cgroupns_available = false;
	g_assert_cmpint(run(WORDS("--unshare-user-try", "--unshare-cgroup-try", "true"), &no_ns, &error, &plan), ==, 0);
	g_assert_false(plan.unshare_user || plan.unshare_cgroup);
	plan_free(&plan);
}

static void test_no_command_is_usage(void)
{
	g_autofree char *error = NULL;

	g_assert_cmpint(run(WORDS("--unshare-pid"), &user_facts, &error, NULL), ==, VALIDATE_USAGE);
	g_clear_pointer(&error, g_free);
	/* Usage wins over the id and hostname rules, as in bwrap. */
	g_assert_cmpint(run(WORDS("--hostname", "x"), &root_facts, &error, NULL), ==, VALIDATE_USAGE);
}

static void test_rules(void)
{
	expect_error(WORDS("--uid", "5", "true"), &root_facts, "Specifying --uid requires --unshare-user or --userns");
	expect_error(WORDS("--gid", "5", "true"), &root_facts, "Specifying --gid requires --unshare-user or --userns");
	expect_error(WORDS("--hostname", "h", "true"), &user_facts, "Specifying --hostname requires --unshare-uts");
	expect_error(WORDS("--as-pid-1", "true"), &user_facts, "Specifying --as-pid-1 requires --unshare-pid");
	expect_error(WORDS("--unshare-pid", "--as-pid-1", "--lock-file", "/x", "true"), &user_facts,
		     "Specifying --as-pid-1 and --lock-file is not permitted");
	expect_error(WORDS("--userns-block-fd", "3", "true"), &user_facts, "--userns-block-fd requires --unshare-user");
	expect_error(WORDS("--unshare-user", "--userns-block-fd", "3", "true"), &user_facts,
		     "--userns-block-fd requires --info-fd");
	expect_error(WORDS("--userns", "3", "--unshare-user", "true"), &user_facts, "--userns not compatible --unshare-user");
	expect_error(WORDS("--disable-userns", "true"), &user_facts, "--disable-userns requires --unshare-user");
	expect_error(WORDS("--exec-label", "x", "true"), &user_facts, "labeling not supported on this system");
}

static void test_rule_order(void)
{
	/* Several mistakes: the first one bwrap checks is the one reported. */
	expect_error(WORDS("--hostname", "x", "--uid", "3", "true"), &root_facts,
		     "Specifying --uid requires --unshare-user or --userns");
	expect_error(WORDS("--as-pid-1", "--hostname", "x", "true"), &user_facts,
		     "Specifying --hostname requires --unshare-uts");
}

static void test_root_with_user_namespace_may_pick_ids(void)
{
	g_autofree char *error = NULL;

	g_assert_cmpint(run(WORDS("--unshare-user", "--uid", "0", "--gid", "0", "true"), &user_facts, &error, NULL), ==, 0);
	g_clear_pointer(&error, g_free);
	g_assert_cmpint(run(WORDS("--uid", "0", "true"), &root_facts, &error, NULL), ==, 0);
}

static void test_labels(void)
{
	ValidateFacts selinux = user_facts;

	g_autofree char *error = NULL;

	/* Without SELinux (or a hutch built without libselinux) the labels
	 * fail as in a bwrap built without SELinux; with it they pass
	 * validation (the policy checks the label itself, in main.c). */
	expect_error(WORDS("--exec-label", "x", "true"), &user_facts, "labeling not supported on this system");
	expect_error(WORDS("--file-label", "x", "true"), &user_facts, "labeling not supported on this system");
	selinux.selinux_enabled = true;
	g_assert_cmpint(run(WORDS("--exec-label", "x", "--file-label", "y", "true"), &selinux, &error, NULL), ==, 0);
	expect_error(WORDS("--unshare-cgroup", "true"), &(ValidateFacts){ .real_uid = 1 },
		     "Cannot create new cgroup namespace because the kernel does not support it");
}

static void test_lengths(void)
{
	g_autofree char *long_path = g_strnfill(PATH_MAX, 'a');
	g_autofree char *ok_path = g_strnfill(PATH_MAX - 1, 'a');
	g_autofree char *long_name = g_strnfill(65, 'h');
	g_autofree char *error = NULL;

	/* A path the kernel would refuse is refused before anything starts,
	 * naming the option and only the path's start. */
	expect_error(WORDS("--dir", long_path, "true"), &user_facts,
		     "--dir aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: File name too long (4096 bytes, the limit is 4095)");
	expect_error(WORDS("--ro-bind", long_path, "/x", "true"), &user_facts,
		     "--ro-bind aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: File name too long (4096 bytes, the limit is 4095)");
	expect_error(WORDS("--chdir", long_path, "true"), &user_facts,
		     "--chdir aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: File name too long (4096 bytes, the limit is 4095)");
	expect_error(WORDS("--lock-file", long_path, "true"), &user_facts,
		     "--lock-file aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: File name too long (4096 bytes, the limit is 4095)");
	expect_error(WORDS(long_path), &user_facts,
		     "COMMAND aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: File name too long (4096 bytes, the limit is 4095)");
	expect_error(WORDS("--unshare-uts", "--hostname", long_name, "true"), &user_facts,
		     "--hostname hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh...: longer than 64 bytes");
	g_assert_cmpint(run(WORDS("--dir", ok_path, "--unshare-uts", "--hostname", long_name + 1, "true"), &user_facts,
			    &error, NULL), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/validate/user-namespace-implied", test_user_namespace_implied);
	g_test_add_func("/validate/try-options", test_try_options);
	g_test_add_func("/validate/no-command", test_no_command_is_usage);
	g_test_add_func("/validate/rules", test_rules);
	g_test_add_func("/validate/rule-order", test_rule_order);
	g_test_add_func("/validate/ids", test_root_with_user_namespace_may_pick_ids);
	g_test_add_func("/validate/labels", test_labels);
	g_test_add_func("/validate/lengths", test_lengths);
	return g_test_run();
}
