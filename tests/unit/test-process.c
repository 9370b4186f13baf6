/* test-process.c — the pure parts of process control: the signal relay
 * rule, --timeout durations, --rlimit parsing and its messages, the
 * --json-status-fd event lines, and the rule between the timeout options.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include <unistd.h>

#include "options.h"
#include "proc-tree.h"
#include "relay.h"
#include "rlimit.h"
#include "status.h"
#include "test-support.h"
#include "util/parse.h"
#include "validate.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_relay_rule(void)
{
	/* Sent by a process: relayed. */
	g_assert_true(relay_should_forward(SIGTERM, SI_USER, false));
	g_assert_true(relay_should_forward(SIGINT, SI_QUEUE, false));
	g_assert_true(relay_should_forward(SIGHUP, SI_TKILL, false));
	g_assert_true(relay_should_forward(SIGCONT, SI_USER, false));
	g_assert_true(relay_should_forward(SIGWINCH, SI_USER, false));
	/* From the terminal, to the whole group: the payload has it. */
	g_assert_false(relay_should_forward(SIGINT, SI_KERNEL, false));
	g_assert_false(relay_should_forward(SIGQUIT, SI_KERNEL, false));
	g_assert_false(relay_should_forward(SIGWINCH, SI_KERNEL, false));
	/* ... unless the payload is in a session of its own. */
	g_assert_true(relay_should_forward(SIGINT, SI_KERNEL, true));
	g_assert_true(relay_should_forward(SIGQUIT, SI_KERNEL, true));
	g_assert_true(relay_should_forward(SIGTSTP, SI_KERNEL, true));
	g_assert_false(relay_should_forward(SIGTSTP, SI_KERNEL, false));
	g_assert_false(relay_should_forward(SIGTSTP, SI_USER, false));
	/* Never relayed. */
	g_assert_false(relay_should_forward(SIGCHLD, SI_USER, true));
	g_assert_false(relay_should_forward(SIGPIPE, SI_USER, true));
	g_assert_false(relay_should_forward(SIGALRM, SI_USER, true));
}

static void test_relay_set(void)
{
	static const int relayed[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };
	sigset_t set;

	relay_signal_set(&set, false);
	for (size_t i = 0; i < G_N_ELEMENTS(relayed); i++)
		g_assert_cmpint(sigismember(&set, relayed[i]), ==, 1);
	g_assert_cmpint(sigismember(&set, SIGTSTP), ==, 0);
	g_assert_cmpint(sigismember(&set, SIGCHLD), ==, 0);
	g_assert_cmpint(sigismember(&set, SIGPIPE), ==, 0);
	relay_signal_set(&set, true);
	g_assert_cmpint(sigismember(&set, SIGTSTP), ==, 1);
}

static void test_descendant(void)
{
	g_assert_true(proc_tree_is_descendant(getpid(), getppid()));
	g_assert_false(proc_tree_is_descendant(getppid(), getpid()));
	g_assert_false(proc_tree_is_descendant(getpid(), getpid()));
}

static void test_durations(void)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} good[] = {
		{ "0", 0 }, { "1", 1000 }, { "1.5", 1500 }, { "0.0001", 1 }, { "10s", 10000 },
		{ "2m", 120000 }, { "1h", 3600000 }, { "1d", 86400000 }, { "0.5m", 30000 }, { "366d", 31622400000 },
	};
	static const char *const bad[] = { "", "x", "1.", ".5", "-1", "+1", " 1", "1s2", "1 ", "1e3", "1ms" };
	uint64_t ms;

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		g_assert_cmpint(parse_duration_ms(good[i].text, &ms), ==, 0);
		g_assert_cmpuint(ms, ==, good[i].ms);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(parse_duration_ms(bad[i], &ms), ==, -EINVAL);
	g_assert_cmpint(parse_duration_ms("367d", &ms), ==, -ERANGE);
	g_assert_cmpint(parse_duration_ms("99999999999999999999999", &ms), ==, -ERANGE);
}

static int parse(const char *const *words, Plan *plan, char **error)
{
	CapturedLog log;
	int r;

	plan_init(plan);
	captured_log_start(&log);
	r = parse_words(plan, words);
	*error = g_strdup(captured_log_last_error(&log));
	captured_log_stop(&log);
	return r;
}

static void test_rlimit_parse(void)
{
	g_autofree char *error = NULL;
	Plan plan;

	g_assert_cmpint(parse(WORDS("--rlimit", "nofile=64:128", "--rlimit", "CPU=unlimited", "--rlimit", "core=5:",
				    "--rlimit", "stack=:8388608", "--rlimit", "nofile=32", "true"),
			      &plan, &error), ==, 0);
	g_assert_cmpuint(plan.n_rlimits, ==, 4);
	/* The last nofile replaced the first, in its place. */
	g_assert_cmpint(plan.rlimits[0].resource, ==, RLIMIT_NOFILE);
	g_assert_true(plan.rlimits[0].has_soft && plan.rlimits[0].has_hard);
	g_assert_cmpuint(plan.rlimits[0].soft, ==, 32);
	g_assert_cmpuint(plan.rlimits[0].hard, ==, 32);
	g_assert_cmpint(plan.rlimits[1].resource, ==, RLIMIT_CPU);
	g_assert_cmpuint(plan.rlimits[1].soft, ==, PLAN_RLIM_INFINITY);
	g_assert_cmpuint(plan.rlimits[1].hard, ==, PLAN_RLIM_INFINITY);
	g_assert_cmpstr(plan.rlimits[1].name, ==, "cpu");
	g_assert_true(plan.rlimits[2].has_soft);
	g_assert_false(plan.rlimits[2].has_hard);
	g_assert_cmpuint(plan.rlimits[2].soft, ==, 5);
	g_assert_false(plan.rlimits[3].has_soft);
	g_assert_true(plan.rlimits[3].has_hard);
	g_assert_cmpuint(plan.rlimits[3].hard, ==, 8388608);
	plan_free(&plan);

	g_assert_cmpint(rlimit_resource_from_name("msgqueue"), ==, RLIMIT_MSGQUEUE);
	g_assert_cmpint(rlimit_resource_from_name("rttime"), ==, RLIMIT_RTTIME);
	g_assert_cmpint(rlimit_resource_from_name("files"), ==, -1);
}

static void test_rlimit_errors(void)
{
	static const struct {
		const char *arg, *message;
	} cases[] = {
		{ "nofile", "--rlimit takes NAME=SOFT[:HARD], not \"nofile\"" },
		{ "=3", "--rlimit takes NAME=SOFT[:HARD], not \"=3\"" },
		{ "bogus=1", "--rlimit: unknown resource \"bogus\" (known: as, core, cpu, data, fsize, locks, memlock, "
			     "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)" },
		{ "nofile=", "--rlimit nofile: no value given" },
		{ "nofile=:", "--rlimit nofile: no value given" },
		{ "nofile=abc", "--rlimit nofile: \"abc\" is not a number, \"unlimited\" or SOFT:HARD" },
		{ "nofile=-1", "--rlimit nofile: \"-1\" is not a number, \"unlimited\" or SOFT:HARD" },
		{ "nofile=1:2:3", "--rlimit nofile: \"1:2:3\" is not a number, \"unlimited\" or SOFT:HARD" },
		{ "nofile=5:3", "--rlimit nofile: the soft limit 5 is above the hard limit 3" },
		{ "nofile=unlimited:3", "--rlimit nofile: the soft limit unlimited is above the hard limit 3" },
		{ "nofile=99999999999999999999", "--rlimit nofile: value out of range in \"99999999999999999999\"" },
		{ "as=18446744073709551615", "--rlimit as: value out of range in \"18446744073709551615\"" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *error = NULL;
		Plan plan;

		g_assert_cmpint(parse(WORDS("--rlimit", cases[i].arg, "true"), &plan, &error), <, 0);
		g_assert_cmpstr(error, ==, cases[i].message);
		plan_free(&plan);
	}
}

static void test_process_options(void)
{
	static const ValidateFacts facts = { .real_uid = 1000, .real_gid = 1000, .userns_available = true };
	g_autofree char *error = NULL;
	g_autofree char *error2 = NULL;
	CapturedLog log;
	Plan plan;

	g_assert_cmpint(parse(WORDS("--kill-on-exit", "--no-forward-signals", "--timeout", "2.5",
				    "--timeout-kill-after", "1", "true"),
			      &plan, &error), ==, 0);
	g_assert_true(plan.kill_on_exit);
	g_assert_true(plan.no_forward_signals);
	g_assert_cmpuint(plan.timeout_ms, ==, 2500);
	g_assert_true(plan.timeout_kill_after_set);
	g_assert_cmpuint(plan.timeout_kill_after_ms, ==, 1000);
	g_assert_cmpint(validate_plan(&plan, &facts), ==, 0);
	plan_free(&plan);

	g_assert_cmpint(parse(WORDS("--timeout", "soon", "true"), &plan, &error2), <, 0);
	g_assert_cmpstr(error2, ==, "--timeout takes a number of seconds (like 10, 1.5 or 2m), not \"soon\"");
	plan_free(&plan);

	g_assert_cmpint(parse(WORDS("--timeout-kill-after", "1", "true"), &plan, &error), ==, 0);
	captured_log_start(&log);
	g_assert_cmpint(validate_plan(&plan, &facts), <, 0);
	g_assert_cmpstr(captured_log_last_error(&log), ==, "--timeout-kill-after requires --timeout");
	captured_log_stop(&log);
	plan_free(&plan);
}

static void test_json_member(void)
{
	char buf[64];

	g_assert_cmpint(status_format_member(buf, sizeof buf, "signal-relayed", "15"), >, 0);
	g_assert_cmpstr(buf, ==, "{ \"signal-relayed\": 15 }\n");
	g_assert_cmpint(status_format_member(buf, sizeof buf, "timed-out", "true"), >, 0);
	g_assert_cmpstr(buf, ==, "{ \"timed-out\": true }\n");
	g_assert_cmpint(status_format_member(buf, sizeof buf, "rlimit-exceeded", "\"cpu\""), >, 0);
	g_assert_cmpstr(buf, ==, "{ \"rlimit-exceeded\": \"cpu\" }\n");
	g_assert_cmpint(status_format_member(buf, 8, "timed-out", "true"), ==, -ENOSPC);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/process/relay-rule", test_relay_rule);
	g_test_add_func("/process/relay-set", test_relay_set);
	g_test_add_func("/process/descendant", test_descendant);
	g_test_add_func("/process/durations", test_durations);
	g_test_add_func("/process/rlimit-parse", test_rlimit_parse);
	g_test_add_func("/process/rlimit-errors", test_rlimit_errors);
	g_test_add_func("/process/options", test_process_options);
	g_test_add_func("/process/json-member", test_json_member);
	return g_test_run();
}
