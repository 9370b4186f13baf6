/* test-runtime-pure.c — the pure helpers the runtime relies on: id-map
 * lines, exit-status mapping, capability sets and the last capability
 * number, errno names and texts, number parsing, --args
 * splitting, password-database entries. */
#include <errno.h>
#include <signal.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "args-fd.h"
#include "caps.h"
#include "exit-status.h"
#include "idmap.h"
#include "test-support.h"
#include "util/errno-text.h"
#include "util/parse.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_idmap_lines(void)
{
	char buf[64];

	g_assert_cmpint(idmap_format_line(buf, sizeof buf, 0, 1000, 1), ==, 9);
	g_assert_cmpstr(buf, ==, "0 1000 1\n");
	/* Ids at and above 2^31 are printed unsigned. */
	idmap_format_line(buf, sizeof buf, 2147483648u, 4294967294u, 1);
	g_assert_cmpstr(buf, ==, "2147483648 4294967294 1\n");
	g_assert_cmpint(idmap_format_line(buf, 5, 0, 1000, 1), ==, -ENOSPC);
}

static void test_exit_status(void)
{
	/* Wait statuses built the way the kernel encodes them. */
	g_assert_cmpint(exit_status_from_wait(0 << 8), ==, 0);
	g_assert_cmpint(exit_status_from_wait(3 << 8), ==, 3);
	g_assert_cmpint(exit_status_from_wait(255 << 8), ==, 255);
	g_assert_cmpint(exit_status_from_wait(SIGKILL), ==, 137);
	g_assert_cmpint(exit_status_from_wait(SIGTERM), ==, 143);
	g_assert_cmpint(exit_status_from_wait(SIGSEGV | 0x80), ==, 128 + SIGSEGV); /* core dumped */
	g_assert_cmpint(exit_status_from_wait(0x137f), ==, 1);                    /* stopped: not an exit */
}

static uint64_t kept_for(const char *const *words)
{
	Plan plan;
	uint64_t kept;

	plan_init(&plan);
	g_assert_cmpint(parse_words(&plan, words), ==, 0);
	kept = caps_compute_kept(&plan, 40);
	plan_free(&plan);
	return kept;
}

static void test_caps_order(void)
{
	g_assert_cmpuint(kept_for(WORDS("true")), ==, 0);
	g_assert_cmpuint(kept_for(WORDS("--cap-add", "CAP_NET_RAW", "true")), ==, UINT64_C(1) << 13);
	g_assert_cmpuint(kept_for(WORDS("--cap-add", "ALL", "true")), ==, (UINT64_C(1) << 41) - 1);
	g_assert_cmpuint(kept_for(WORDS("--cap-add", "ALL", "--cap-drop", "CAP_CHOWN", "true")), ==,
			 ((UINT64_C(1) << 41) - 1) & ~UINT64_C(1));
	/* Order matters: a drop before an add is undone by it. */
	g_assert_cmpuint(kept_for(WORDS("--cap-drop", "ALL", "--cap-add", "cap_chown", "true")), ==, 1);
	g_assert_cmpuint(kept_for(WORDS("--cap-add", "cap_chown", "--cap-drop", "ALL", "true")), ==, 0);
}

/* The probe by PR_CAPBSET_READ finds the number the kernel publishes. */
static void test_caps_last_cap(void)
{
	gchar *text = NULL;

	if (!g_file_get_contents("/proc/sys/kernel/cap_last_cap", &text, NULL, NULL)) {
		g_test_skip("no /proc/sys/kernel/cap_last_cap");
		return;
	}
	g_assert_cmpint(caps_last_cap(), ==, atoi(text));
	g_free(text);
}

/* The generated table says what this libc says, names and texts. */
static void test_errno_table(void)
{
	g_assert_cmpint(errno_table_size, >, EHWPOISON);
	for (int e = 1; e < errno_table_size; e++) {
		const char *name = strerrorname_np(e);

		g_assert_cmpstr(errno_name(e), ==, name);
		if (name) {
			g_assert_cmpstr(errno_text(e), ==, strerror(e));
			g_assert_cmpint(errno_from_name(name), ==, e);
		}
	}
	g_assert_cmpstr(errno_text(4000), ==, "Unknown error 4000");
	g_assert_null(errno_name(0));
	g_assert_cmpint(errno_from_name("ENOSUCHTHING"), ==, -1);
}

static void test_parse_numbers(void)
{
	uint64_t v;
	unsigned mode;
	int fd;
	uint32_t id;

	g_assert_cmpint(parse_u64("0x10", 0, &v), ==, 0);
	g_assert_cmpuint(v, ==, 16);
	g_assert_cmpint(parse_u64("", 0, &v), ==, -EINVAL);
	g_assert_cmpint(parse_u64("-1", 0, &v), ==, -EINVAL);
	g_assert_cmpint(parse_u64("+1", 0, &v), ==, -EINVAL);
	g_assert_cmpint(parse_u64("1 ", 0, &v), ==, -EINVAL);
	g_assert_cmpint(parse_u64("18446744073709551616", 10, &v), ==, -ERANGE);
	g_assert_cmpint(parse_octal_mode("07777", &mode), ==, 0);
	g_assert_cmpuint(mode, ==, 07777);
	g_assert_cmpint(parse_octal_mode("8", &mode), ==, -EINVAL);
	g_assert_cmpint(parse_octal_mode("010000", &mode), ==, -ERANGE);
	g_assert_cmpint(parse_fd_number("2147483647", &fd), ==, 0);
	g_assert_cmpint(parse_fd_number("2147483648", &fd), ==, -ERANGE);
	g_assert_cmpint(parse_id("4294967295", &id), ==, -ERANGE);
}

static void test_args_split(void)
{
	char data[] = "a\0\0b c\0d"; /* an empty word, a word with a space, no final NUL */
	char **words = NULL;
	size_t n = 0;

	g_assert_cmpint(args_fd_split(data, sizeof data - 1, &words, &n), ==, 0);
	g_assert_cmpuint(n, ==, 4);
	g_assert_cmpstr(words[0], ==, "a");
	g_assert_cmpstr(words[1], ==, "");
	g_assert_cmpstr(words[2], ==, "b c");
	g_assert_cmpstr(words[3], ==, "d");
	g_assert_null(words[4]);
	free(words);

	g_assert_cmpint(args_fd_split(data, 0, &words, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	free(words);
}

static void test_account_text(void)
{
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
				     "# a comment:x:5:5\n"
				     "+nis:x:7:7::/:\n"
				     "short:x:9\n"
				     "badgid:x:11:-1:::\n"
				     "alice:x:1000:1000:Alice,,,:/home/alice:/bin/sh\n"
				     ":x:1001:1001::/:\n"
				     "bob:x:1002:100::/home/bob:/bin/sh"; /* no final newline */
	Account a;

	g_assert_cmpint(account_find_in_text(passwd, 0, &a), ==, 0);
	g_assert_cmpstr(a.name, ==, "root");
	g_assert_cmpint(a.gid, ==, 0);
	g_assert_cmpint(account_find_in_text(passwd, 1000, &a), ==, 0);
	g_assert_cmpstr(a.name, ==, "alice");
	g_assert_cmpint(a.gid, ==, 1000);
	g_assert_cmpint(account_find_in_text(passwd, 1002, &a), ==, 0);
	g_assert_cmpstr(a.name, ==, "bob");
	g_assert_cmpint(a.gid, ==, 100);
	/* Comments, compat entries, short lines, bad gids, empty names. */
	g_assert_cmpint(account_find_in_text(passwd, 5, &a), ==, -ENOENT);
	g_assert_cmpint(account_find_in_text(passwd, 7, &a), ==, -ENOENT);
	g_assert_cmpint(account_find_in_text(passwd, 9, &a), ==, -ENOENT);
	g_assert_cmpint(account_find_in_text(passwd, 11, &a), ==, -ENOENT);
	g_assert_cmpint(account_find_in_text(passwd, 1001, &a), ==, -ENOENT);
	g_assert_cmpint(account_find_in_text("", 0, &a), ==, -ENOENT);
}

/* account_by_uid agrees with glibc's own lookup (NSS, in this test
 * program) for the user running the test and for root. */
static void test_account_live(void)
{
	uid_t uids[] = { getuid(), 0 };

	for (size_t i = 0; i < G_N_ELEMENTS(uids); i++) {
		struct passwd *pw = getpwuid(uids[i]);
		Account a;
		int r = account_by_uid(uids[i], &a);

		if (!pw) {
			g_assert_cmpint(r, ==, -ENOENT);
			continue;
		}
		g_assert_cmpint(r, ==, 0);
		g_assert_cmpstr(a.name, ==, pw->pw_name);
		g_assert_cmpint(a.gid, ==, pw->pw_gid);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/idmap/lines", test_idmap_lines);
	g_test_add_func("/exit-status/mapping", test_exit_status);
	g_test_add_func("/caps/order", test_caps_order);
	g_test_add_func("/caps/last-cap", test_caps_last_cap);
	g_test_add_func("/errno/table", test_errno_table);
	g_test_add_func("/parse/numbers", test_parse_numbers);
	g_test_add_func("/args-fd/split", test_args_split);
	g_test_add_func("/account/text", test_account_text);
	g_test_add_func("/account/live", test_account_live);
	return g_test_run();
}
