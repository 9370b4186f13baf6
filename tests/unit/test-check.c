/* test-check.c — the pure half of `hutch --check` (src/check-report.c)
 * and how --check and --json parse: suggesting a free /etc/subuid range,
 * JSON string escaping, the report's verdict and renderings. (The
 * caller's own ranges are read by subid.c, tested in test-subid.c.) */
#include <string.h>

#include "check-report.h"
#include "options.h"
#include "test-support.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char subuid_text[] = "# a comment:1:1\n"
				  "alice:100000:65536\n"
				  "bob:165536:65536\n"
				  "1002:231072:65536\n"
				  "alice:300000:10\r\n"
				  "broken line\n"
				  "carol:x:5\n"
				  "dave:400000:0\n"
				  "alice:500000:7"; /* no final newline */

static void test_subid_suggest(void)
{
	const char *none[] = { NULL };
	const char *both[] = { subuid_text, "zed:165536:65536\nyan:624288:1\n" };
	const char *wide[] = { "big:0:4294967295\n" };

	g_assert_cmpuint(check_subid_suggest(none, 1, 65536), ==, 100000);
	/* 100000, 165536 and 231072 are taken; 296608 would reach 300000
	 * (alice's second range), 362144 is free up to 400000 (dave's range
	 * is empty and does not count), and so on. */
	g_assert_cmpuint(check_subid_suggest(both, 1, 65536), ==, 362144);
	g_assert_cmpuint(check_subid_suggest(both, 2, 65536), ==, 362144);
	g_assert_cmpuint(check_subid_suggest(both, 2, 1), ==, 296608);
	g_assert_cmpuint(check_subid_suggest(wide, 1, 65536), ==, 0);
}

static char *render(void (*print)(const CheckReport *, FILE *), const CheckReport *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	g_assert_nonnull(f);
	print(rep, f);
	g_assert_cmpint(fclose(f), ==, 0);
	return buf;
}

static void print_json_string(const CheckReport *rep, FILE *f)
{
	check_json_string(f, rep->version);
}

static void test_json_string(void)
{
	CheckReport rep = { .version = "a\"b\\c\nd\te\001f/é" };
	g_autofree char *s = render(print_json_string, &rep);

	g_assert_cmpstr(s, ==, "\"a\\\"b\\\\c\\nd\\te\\u0001f/é\"");
}

static void fill_report(CheckReport *rep, CheckStatus second)
{
	CheckItem *it;

	check_report_init(rep);
	rep->version = "1.2.3";
	rep->kernel = "6.1.0";
	rep->uid = 1000;
	rep->user = g_strdup("alice");
	it = check_report_add(rep, "first", CHECK_OK, "fine %d", 1);
	g_assert_nonnull(it);
	g_assert_cmpint(check_item_add_detail(it, "alice:%d:%d", 100000, 65536), ==, 0);
	it = check_report_add(rep, "second", second, "not \"fine\"");
	g_assert_nonnull(it);
	g_assert_cmpint(check_item_set_fix(it, "run %s\nthen %s", "this", "that"), ==, 0);
}

static void test_report_verdict_and_text(void)
{
	CheckReport rep;
	g_autofree char *warn_text = NULL, *fail_text = NULL;

	fill_report(&rep, CHECK_WARN);
	g_assert_true(check_report_ok(&rep));
	warn_text = render(check_report_print_text, &rep);
	check_report_free(&rep);
	g_assert_nonnull(strstr(warn_text, "hutch 1.2.3 on Linux 6.1.0, as uid 1000 (alice)\n"));
	g_assert_nonnull(strstr(warn_text, "\nok    first "));
	g_assert_nonnull(strstr(warn_text, " alice:100000:65536\n"));
	g_assert_nonnull(strstr(warn_text, "\nWARN  second "));
	g_assert_nonnull(strstr(warn_text, "fix: run this\n"));
	g_assert_nonnull(strstr(warn_text, "A default sandbox starts here; 1 optional feature is unavailable"));

	fill_report(&rep, CHECK_FAIL);
	g_assert_false(check_report_ok(&rep));
	fail_text = render(check_report_print_text, &rep);
	check_report_free(&rep);
	g_assert_nonnull(strstr(fail_text, "\nFAIL  second "));
	g_assert_nonnull(strstr(fail_text, "will NOT start here: 1 problem to fix"));
}

static void test_report_json(void)
{
	CheckReport rep;
	g_autofree char *json = NULL;

	fill_report(&rep, CHECK_FAIL);
	json = render(check_report_print_json, &rep);
	check_report_free(&rep);
	g_assert_cmpstr(json, ==,
			"{\n"
			"  \"version\": \"1.2.3\",\n"
			"  \"kernel\": \"6.1.0\",\n"
			"  \"uid\": 1000,\n"
			"  \"user\": \"alice\",\n"
			"  \"sandbox-ok\": false,\n"
			"  \"checks\": [\n"
			"    {\"name\": \"first\", \"status\": \"ok\", \"summary\": \"fine 1\", \"fix\": null, "
			"\"details\": [\"alice:100000:65536\"]},\n"
			"    {\"name\": \"second\", \"status\": \"fail\", \"summary\": \"not \\\"fine\\\"\", "
			"\"fix\": \"run this\\nthen that\", \"details\": []}\n"
			"  ]\n"
			"}\n");
}

static void test_report_json_empty(void)
{
	CheckReport rep;
	g_autofree char *json = NULL;

	check_report_init(&rep);
	rep.version = "1";
	rep.kernel = "k";
	json = render(check_report_print_json, &rep);
	check_report_free(&rep);
	g_assert_cmpstr(json, ==,
			"{\n  \"version\": \"1\",\n  \"kernel\": \"k\",\n  \"uid\": 0,\n  \"user\": null,\n"
			"  \"sandbox-ok\": true,\n  \"checks\": []\n}\n");
}

static void test_parse_check(void)
{
	const struct {
		const char *const *words;
		bool check, json;
		const char *error;
	} cases[] = {
		{ WORDS("--check"), true, false, NULL },
		{ WORDS("--check", "--json"), true, true, NULL },
		{ WORDS("--json", "--check"), true, true, NULL },
		{ WORDS("--json"), false, true, "--json is only valid together with --check" },
		{ WORDS("--json", "true"), false, true, "--json is only valid together with --check" },
		{ WORDS("--check", "--unshare-all"), true, false,
		  "--check takes no other option than --json, not --unshare-all" },
		{ WORDS("--ro-bind", "/", "/", "--check"), true, false,
		  "--check takes no other option than --json, not --ro-bind" },
		{ WORDS("--check", "--", "true"), true, false, "--check runs no command (got true)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		Plan plan;
		CapturedLog log;
		int r;

		plan_init(&plan);
		captured_log_start(&log);
		r = parse_words(&plan, cases[i].words);
		if (cases[i].error) {
			g_assert_cmpint(r, <, 0);
			g_assert_cmpstr(captured_log_last_error(&log), ==, cases[i].error);
		} else {
			g_assert_cmpint(r, ==, 0);
		}
		g_assert_true(plan.check == cases[i].check);
		g_assert_true(plan.check_json == cases[i].json);
		captured_log_stop(&log);
		plan_free(&plan);
	}

	/* --help still wins, wherever it is. */
	{
		Plan plan;

		plan_init(&plan);
		g_assert_cmpint(parse_words(&plan, WORDS("--check", "--help", "--bogus")), ==, 0);
		g_assert_true(plan.show_help);
		plan_free(&plan);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/check/subid/suggest", test_subid_suggest);
	g_test_add_func("/check/json-string", test_json_string);
	g_test_add_func("/check/report/text", test_report_verdict_and_text);
	g_test_add_func("/check/report/json", test_report_json);
	g_test_add_func("/check/report/json-empty", test_report_json_empty);
	g_test_add_func("/check/parse", test_parse_check);
	return g_test_run();
}
