/* test-subid.c — /etc/subuid parsing, --map-auto range arithmetic, the
 * checks on --map-uid/--map-gid lines, and the options and validation
 * rules around them. */
#include <errno.h>
#include <string.h>

#include "options.h"
#include "subid.h"
#include "test-support.h"
#include "validate.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static SubidRanges parse(const char *text, const char *user, uint32_t uid)
{
	SubidRanges r;

	g_assert_cmpint(subid_parse(text, strlen(text), user, uid, &r), ==, 0);
	return r;
}

static void assert_range(const SubidRanges *r, size_t i, uint32_t start, uint32_t count)
{
	g_assert_cmpuint(i, <, r->n);
	g_assert_cmpuint(r->ranges[i].start, ==, start);
	g_assert_cmpuint(r->ranges[i].count, ==, count);
}

static void test_parse_by_name_and_uid(void)
{
	SubidRanges r = parse("alice:100000:65536\n"
			      "bob:200000:65536\n"
			      "1000:300000:10\n"
			      "alice:400000:5\n"
			      "01000:500000:1\n",
			      "alice", 1000);

	/* Several ranges, in file order; a numeric owner names a uid. */
	g_assert_cmpuint(r.n, ==, 4);
	assert_range(&r, 0, 100000, 65536);
	assert_range(&r, 1, 300000, 10);
	assert_range(&r, 2, 400000, 5);
	assert_range(&r, 3, 500000, 1);
	g_assert_cmpuint(r.n_malformed, ==, 0);
	subid_ranges_free(&r);

	/* No passwd entry: only numeric owners can match. */
	r = parse("alice:100000:65536\n1000:7:3", NULL, 1000);
	g_assert_cmpuint(r.n, ==, 1);
	assert_range(&r, 0, 7, 3);
	subid_ranges_free(&r);

	/* A name that is a prefix of another does not match it. */
	r = parse("alicex:1:2\nalic:3:4\n", "alice", 5);
	g_assert_cmpuint(r.n, ==, 0);
	subid_ranges_free(&r);
}

static void test_parse_malformed(void)
{
	SubidRanges r = parse("# a comment\n"
			      "\n"
			      "alice\n"                  /* no fields */
			      "alice:1\n"                /* two fields */
			      ":1:2\n"                   /* no owner */
			      "alice:-1:2\n"             /* sign */
			      "alice: 1:2\n"             /* space */
			      "alice:1:2:3\n"            /* four fields */
			      "alice:1:0\n"              /* empty range */
			      "alice:abc:2\n"
			      "alice:4294967295:1\n"     /* (uid_t)-1 */
			      "alice:4294967290:6\n"     /* runs onto (uid_t)-1 */
			      "alice:99999999999:1\n"    /* too many digits */
			      "alice:1:\n"
			      "alice:4294967290:5\r\n"   /* CRLF is accepted */
			      "alice:10:20",             /* no final newline */
			      "alice", 1000);

	g_assert_cmpuint(r.n, ==, 2);
	assert_range(&r, 0, 4294967290u, 5);
	assert_range(&r, 1, 10, 20);
	g_assert_cmpuint(r.n_malformed, ==, 12);
	subid_ranges_free(&r);
}

static void test_parse_bound(void)
{
	GString *s = g_string_new(NULL);
	SubidRanges r;

	for (int i = 0; i < SUBID_MAX_RANGES + 5; i++)
		g_string_append_printf(s, "u:%d:1\n", i * 2);
	g_assert_cmpint(subid_parse(s->str, s->len, "u", 1, &r), ==, 0);
	g_assert_cmpuint(r.n, ==, SUBID_MAX_RANGES);
	g_assert_cmpuint(r.n_ignored, ==, 5);
	subid_ranges_free(&r);
	g_string_free(s, TRUE);
}

static void test_cover(void)
{
	SubidRanges r = parse("u:100:10\nu:110:5\nu:200:1\n", "u", 1);

	g_assert_true(subid_ranges_cover(&r, 100, 10));
	g_assert_true(subid_ranges_cover(&r, 105, 10)); /* across two adjacent ranges */
	g_assert_true(subid_ranges_cover(&r, 200, 1));
	g_assert_false(subid_ranges_cover(&r, 105, 11));
	g_assert_false(subid_ranges_cover(&r, 99, 2));
	g_assert_false(subid_ranges_cover(&r, 199, 2));
	g_assert_false(subid_ranges_cover(&r, 100, 0));
	subid_ranges_free(&r);
}

typedef struct {
	IdMapLine lines[SUBID_MAX_MAP_LINES];
	size_t n;
	uint64_t got, needed;
} Built;

static int build(const char *text, uint32_t sandbox_id, uint32_t own_id, Built *b)
{
	SubidRanges r = parse(text, "u", 1000);
	int ret = subid_build_auto(&r, sandbox_id, own_id, b->lines, SUBID_MAX_MAP_LINES, &b->n, &b->got, &b->needed);

	subid_ranges_free(&r);
	return ret;
}

static void assert_line(const Built *b, size_t i, uint32_t inside, uint32_t outside, uint32_t count)
{
	g_assert_cmpuint(i, <, b->n);
	g_assert_cmpuint(b->lines[i].inside, ==, inside);
	g_assert_cmpuint(b->lines[i].outside, ==, outside);
	g_assert_cmpuint(b->lines[i].count, ==, count);
}

/* Every sandbox id 0..65535 mapped exactly once, plus the caller's. */
static void assert_complete(const Built *b, uint32_t sandbox_id, uint32_t own_id)
{
	size_t bad, other;
	uint64_t total = 0;
	uint32_t inside;

	g_assert_cmpint(subid_check_lines(b->lines, b->n, &bad, &other), ==, SUBID_LINES_OK);
	for (size_t i = 0; i < b->n; i++)
		total += b->lines[i].count;
	g_assert_cmpuint(total, ==, sandbox_id < 65536 ? 65536 : 65537);
	for (uint32_t id = 0; id < 65536; id++)
		g_assert_true(subid_lines_have_inside(b->lines, b->n, id));
	g_assert_true(subid_lines_find_outside(b->lines, b->n, own_id, &inside));
	g_assert_cmpuint(inside, ==, sandbox_id);
}

static void test_auto_simple(void)
{
	Built b;

	/* --uid 0: the caller on 0, the range on 1..65535. */
	g_assert_cmpint(build("u:100000:65536\n", 0, 1000, &b), ==, 0);
	g_assert_cmpuint(b.n, ==, 2);
	assert_line(&b, 0, 0, 1000, 1);
	assert_line(&b, 1, 1, 100000, 65535);
	assert_complete(&b, 0, 1000);

	/* The default --uid (the caller's own): the range straddles it and
	 * is split around it. */
	g_assert_cmpint(build("u:100000:65536\n", 1000, 1000, &b), ==, 0);
	g_assert_cmpuint(b.n, ==, 3);
	assert_line(&b, 0, 1000, 1000, 1);
	assert_line(&b, 1, 0, 100000, 1000);
	assert_line(&b, 2, 1001, 101000, 64535);
	assert_complete(&b, 1000, 1000);

	/* A sandbox id beyond 65535 leaves no hole: 65536 ids more. */
	g_assert_cmpint(build("u:100000:65536\n", 70000, 1000, &b), ==, 0);
	assert_line(&b, 1, 0, 100000, 65536);
	assert_complete(&b, 70000, 1000);

	/* The last sandbox id taken by the caller. */
	g_assert_cmpint(build("u:100000:65535\n", 65535, 1000, &b), ==, 0);
	assert_line(&b, 1, 0, 100000, 65535);
	assert_complete(&b, 65535, 1000);
}

static void test_auto_several_ranges(void)
{
	Built b;

	/* Filled in file order, not sorted; only what is needed is used. */
	g_assert_cmpint(build("u:500000:100\nu:100000:100000\n", 0, 1000, &b), ==, 0);
	g_assert_cmpuint(b.n, ==, 3);
	assert_line(&b, 1, 1, 500000, 100);
	assert_line(&b, 2, 101, 100000, 65435);
	assert_complete(&b, 0, 1000);

	/* Adjacent ranges merge into one line. */
	g_assert_cmpint(build("u:100000:30000\nu:130000:40000\n", 0, 1000, &b), ==, 0);
	g_assert_cmpuint(b.n, ==, 2);
	assert_line(&b, 1, 1, 100000, 65535);

	/* Overlapping and duplicate ranges: each host id is used once. */
	g_assert_cmpint(build("u:100000:40000\nu:100000:40000\nu:120000:60000\n", 0, 1000, &b), ==, 0);
	assert_line(&b, 1, 1, 100000, 65535);
	assert_complete(&b, 0, 1000);

	/* A range that holds the caller's own uid skips it. */
	g_assert_cmpint(build("u:0:70000\n", 0, 1000, &b), ==, 0);
	assert_line(&b, 1, 1, 0, 1000);
	assert_line(&b, 2, 1001, 1001, 64535);
	assert_complete(&b, 0, 1000);
}

static void test_auto_high_ids(void)
{
	Built b;
	char buf[256];

	/* Ids above 2^31 are ids like any other, printed unsigned. */
	g_assert_cmpint(build("u:3000000000:65536\n", 0, 2500000000u, &b), ==, 0);
	assert_line(&b, 0, 0, 2500000000u, 1);
	assert_line(&b, 1, 1, 3000000000u, 65535);
	g_assert_cmpint(subid_format_lines(b.lines, b.n, buf, sizeof buf), >, 0);
	g_assert_cmpstr(buf, ==, "0 2500000000 1\n1 3000000000 65535\n");

	/* The top of the id space. */
	g_assert_cmpint(build("u:4294901759:65536\n", 0, 1000, &b), ==, 0);
	assert_line(&b, 1, 1, 4294901759u, 65535);
	assert_complete(&b, 0, 1000);
}

static void test_auto_errors(void)
{
	GString *s = g_string_new(NULL);
	Built b;

	/* Too small: how many were found and wanted. */
	g_assert_cmpint(build("u:100000:1000\n", 0, 1000, &b), ==, -ERANGE);
	g_assert_cmpuint(b.got, ==, 1000);
	g_assert_cmpuint(b.needed, ==, 65535);
	g_assert_cmpint(build("", 0, 1000, &b), ==, -ERANGE);
	g_assert_cmpuint(b.got, ==, 0);
	/* 65535 ids do not do for a sandbox id outside 0..65535. */
	g_assert_cmpint(build("u:100000:65535\n", 70000, 1000, &b), ==, -ERANGE);
	g_assert_cmpuint(b.needed, ==, 65536);
	/* Overlaps do not count twice. */
	g_assert_cmpint(build("u:100000:40000\nu:100000:40000\n", 0, 1000, &b), ==, -ERANGE);
	g_assert_cmpuint(b.got, ==, 40000);

	/* More pieces than a map may have lines. */
	for (int i = 0; i < 1000; i++)
		g_string_append_printf(s, "u:%d:100\n", 100000 + i * 1000);
	g_assert_cmpint(build(s->str, 0, 1000, &b), ==, -E2BIG);
	g_string_free(s, TRUE);
}

static void test_check_lines(void)
{
	IdMapLine ok[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };
	IdMapLine zero[] = { { 0, 1000, 0 } };
	IdMapLine overflow[] = { { 4294967290u, 1, 6 } };
	IdMapLine overflow_out[] = { { 0, 4294967295u - 2, 3 } };
	IdMapLine top[] = { { 4294967290u, 1, 5 } };
	IdMapLine inside[] = { { 0, 1000, 1 }, { 5, 100000, 10 }, { 10, 200000, 10 } };
	IdMapLine outside[] = { { 0, 1000, 10 }, { 100, 1005, 1 } };
	IdMapLine many[SUBID_MAX_MAP_LINES + 1];
	IdMapLine wide[SUBID_MAX_MAP_LINES];
	size_t bad, other;

	g_assert_cmpint(subid_check_lines(ok, 2, &bad, &other), ==, SUBID_LINES_OK);
	g_assert_cmpint(subid_check_lines(zero, 1, &bad, &other), ==, SUBID_LINES_COUNT_ZERO);
	g_assert_cmpint(subid_check_lines(overflow, 1, &bad, &other), ==, SUBID_LINES_OVERFLOW);
	g_assert_cmpint(subid_check_lines(overflow_out, 1, &bad, &other), ==, SUBID_LINES_OVERFLOW);
	g_assert_cmpint(subid_check_lines(top, 1, &bad, &other), ==, SUBID_LINES_OK);
	g_assert_cmpint(subid_check_lines(inside, 3, &bad, &other), ==, SUBID_LINES_OVERLAP_INSIDE);
	g_assert_cmpuint(bad, ==, 2);
	g_assert_cmpuint(other, ==, 1);
	g_assert_cmpint(subid_check_lines(outside, 2, &bad, &other), ==, SUBID_LINES_OVERLAP_OUTSIDE);
	g_assert_cmpuint(bad, ==, 1);
	g_assert_cmpuint(other, ==, 0);

	for (uint32_t i = 0; i < SUBID_MAX_MAP_LINES + 1; i++)
		many[i] = (IdMapLine){ i, 1000 + i, 1 };
	g_assert_cmpint(subid_check_lines(many, SUBID_MAX_MAP_LINES, &bad, &other), ==, SUBID_LINES_OK);
	g_assert_cmpint(subid_check_lines(many, SUBID_MAX_MAP_LINES + 1, &bad, &other), ==, SUBID_LINES_TOO_MANY);

	/* 340 lines of ten-digit ids do not fit in one page. */
	for (uint32_t i = 0; i < SUBID_MAX_MAP_LINES; i++)
		wide[i] = (IdMapLine){ 1000000000u + i, 2000000000u + i, 1 };
	g_assert_cmpint(subid_check_lines(wide, SUBID_MAX_MAP_LINES, &bad, &other), ==, SUBID_LINES_TOO_LONG);
}

static void test_find(void)
{
	IdMapLine lines[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };
	uint32_t inside = 0;

	g_assert_true(subid_lines_find_outside(lines, 2, 100009, &inside));
	g_assert_cmpuint(inside, ==, 10);
	g_assert_false(subid_lines_find_outside(lines, 2, 999, &inside));
	g_assert_true(subid_lines_have_inside(lines, 2, 65535));
	g_assert_false(subid_lines_have_inside(lines, 2, 65536));
}

/* ---- the options and their validation */

static const ValidateFacts user_facts = { .real_uid = 1000, .real_gid = 1000, .userns_available = true,
					  .cgroupns_available = true };
static const ValidateFacts root_facts = { .real_uid = 0, .real_gid = 0, .userns_available = true,
					  .cgroupns_available = true };

/* Parses and validates; the result, and the last error in *error. */
static int run(const char *const *words, const ValidateFacts *facts, char **error, Plan *out)
{
	CapturedLog log;
	Plan plan;
	int r;

	plan_init(&plan);
	captured_log_start(&log);
	r = parse_words(&plan, words);
	if (r >= 0)
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

static void test_options_parse(void)
{
	g_autofree char *error = NULL;
	Plan plan;

	g_assert_cmpint(run(WORDS("--map-uid", "0", "1000", "1", "--map-uid", "1", "100000", "65536", "--map-gid", "0",
				  "1000", "1", "true"), &user_facts, &error, &plan), ==, 0);
	g_assert_cmpuint(plan.n_map_uid_lines, ==, 2);
	g_assert_cmpuint(plan.map_uid_lines[1].inside, ==, 1);
	g_assert_cmpuint(plan.map_uid_lines[1].outside, ==, 100000);
	g_assert_cmpuint(plan.map_uid_lines[1].count, ==, 65536);
	g_assert_cmpuint(plan.n_map_gid_lines, ==, 1);
	/* The sandbox ids default to where the caller's own are mapped. */
	g_assert_cmpuint(plan.sandbox_uid, ==, 0);
	g_assert_cmpuint(plan.sandbox_gid, ==, 0);
	g_assert_true(plan.unshare_user);
	plan_free(&plan);

	/* --map-auto as root implies a user namespace, with no fallback. */
	g_clear_pointer(&error, g_free);
	g_assert_cmpint(run(WORDS("--unshare-user-try", "--map-auto", "--uid", "0", "true"), &root_facts, &error, &plan),
			==, 0);
	g_assert_true(plan.map_auto);
	g_assert_true(plan.unshare_user);
	g_assert_false(plan.unshare_user_try);
	plan_free(&plan);

	/* --uid picks another mapped id. */
	g_clear_pointer(&error, g_free);
	g_assert_cmpint(run(WORDS("--map-uid", "0", "1000", "1", "--map-uid", "1", "100000", "10", "--uid", "5", "true"),
			    &user_facts, &error, &plan), ==, 0);
	g_assert_cmpuint(plan.sandbox_uid, ==, 5);
	plan_free(&plan);
}

static void test_options_errors(void)
{
	expect_error(WORDS("--map-uid", "0", "1000", "0", "true"), &user_facts,
		     "--map-uid 0 1000 0: COUNT must be at least 1");
	expect_error(WORDS("--map-uid", "x", "1000", "1", "true"), &user_facts, "--map-uid: invalid INSIDE id: x");
	expect_error(WORDS("--map-gid", "0", "-1", "1", "true"), &user_facts, "--map-gid: invalid OUTSIDE id: -1");
	expect_error(WORDS("--map-uid", "0", "1", "4294967296", "true"), &user_facts,
		     "--map-uid: invalid COUNT: 4294967296");
	expect_error(WORDS("--map-uid", "0", "1000"), &user_facts, "--map-uid takes three arguments");
	expect_error(WORDS("--map-uid", "4294967290", "100000", "6", "--map-uid", "0", "1000", "1", "true"), &user_facts,
		     "--map-uid 4294967290 100000 6: the range runs past the largest id, 4294967294");
	expect_error(WORDS("--map-uid", "0", "1000", "1", "--map-uid", "0", "100000", "5", "true"), &user_facts,
		     "--map-uid 0 100000 5 overlaps --map-uid 0 1000 1 (sandbox ids): each id may be mapped only once");
	expect_error(WORDS("--map-gid", "0", "1000", "1", "--map-gid", "1", "999", "5", "true"), &user_facts,
		     "--map-gid 1 999 5 overlaps --map-gid 0 1000 1 (host ids): each id may be mapped only once");
	expect_error(WORDS("--map-uid", "0", "100000", "10", "true"), &user_facts,
		     "--map-uid does not map your own uid 1000 (hutch sets the sandbox up as it): add a line for it, "
		     "e.g. --map-uid 0 1000 1");
	expect_error(WORDS("--map-uid", "0", "1000", "1", "--uid", "7", "true"), &user_facts,
		     "--uid 7 is not a sandbox uid that --map-uid maps");
	expect_error(WORDS("--map-auto", "--map-gid", "0", "1000", "1", "true"), &user_facts,
		     "--map-auto cannot be combined with --map-uid or --map-gid");
	expect_error(WORDS("--map-auto", "--userns", "0", "true"), &user_facts,
		     "--map-auto needs a new user namespace: it cannot be used with --userns");
}

static void test_options_line_limit(void)
{
	GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *error = NULL;

	for (int i = 0; i <= SUBID_MAX_MAP_LINES; i++) {
		g_ptr_array_add(w, g_strdup("--map-uid"));
		g_ptr_array_add(w, g_strdup_printf("%d", i));
		g_ptr_array_add(w, g_strdup_printf("%d", 100000 + i));
		g_ptr_array_add(w, g_strdup("1"));
	}
	g_ptr_array_add(w, g_strdup("true"));
	g_ptr_array_add(w, NULL);
	g_assert_cmpint(run((const char *const *)w->pdata, &user_facts, &error, NULL), <, 0);
	g_assert_cmpstr(error, ==, "--map-uid given more than 340 times: the kernel takes at most 340 lines in a map");
	g_ptr_array_free(w, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/subid/parse", test_parse_by_name_and_uid);
	g_test_add_func("/subid/parse-malformed", test_parse_malformed);
	g_test_add_func("/subid/parse-bound", test_parse_bound);
	g_test_add_func("/subid/cover", test_cover);
	g_test_add_func("/subid/auto-simple", test_auto_simple);
	g_test_add_func("/subid/auto-several-ranges", test_auto_several_ranges);
	g_test_add_func("/subid/auto-high-ids", test_auto_high_ids);
	g_test_add_func("/subid/auto-errors", test_auto_errors);
	g_test_add_func("/subid/check-lines", test_check_lines);
	g_test_add_func("/subid/find", test_find);
	g_test_add_func("/subid/options", test_options_parse);
	g_test_add_func("/subid/options-errors", test_options_errors);
	g_test_add_func("/subid/options-line-limit", test_options_line_limit);
	return g_test_run();
}
