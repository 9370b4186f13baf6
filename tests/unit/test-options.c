/* test-options.c — the option table and parser: argv → Plan, and the
 * exact messages for bad input. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "options.h"
#include "test-support.h"

typedef struct {
	Plan plan;
	CapturedLog log;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
	plan_init(&f->plan);
	captured_log_start(&f->log);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	captured_log_stop(&f->log);
	plan_free(&f->plan);
}

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void assert_parse_error(Fixture *f, const char *const *words, const char *message)
{
	g_assert_cmpint(parse_words(&f->plan, words), <, 0);
	g_assert_cmpstr(captured_log_last_error(&f->log), ==, message);
}

/* Runs one bad command line in a fresh fixture. */
static void check_error(const char *const *words, const char *message)
{
	Fixture f;

	fixture_setup(&f, NULL);
	assert_parse_error(&f, words, message);
	fixture_teardown(&f, NULL);
}

static void test_ops_in_order(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--ro-bind", "/usr", "/usr", "--tmpfs", "/tmp", "--bind-try",
						     "/nope", "/x", "--dev", "/dev", "--symlink", "usr/lib", "/lib",
						     "--dir", "/a", "sh", "-c", "true")), ==, 0);
	g_assert_cmpuint(f->plan.n_ops, ==, 6);
	g_assert_cmpint(f->plan.ops[0].kind, ==, PLAN_OP_RO_BIND);
	g_assert_cmpstr(f->plan.ops[0].source, ==, "/usr");
	g_assert_cmpstr(f->plan.ops[0].dest, ==, "/usr");
	g_assert_cmpint(f->plan.ops[1].kind, ==, PLAN_OP_TMPFS);
	g_assert_cmpint(f->plan.ops[2].kind, ==, PLAN_OP_BIND);
	g_assert_true(f->plan.ops[2].flags & PLAN_OP_ALLOW_MISSING);
	g_assert_cmpint(f->plan.ops[3].kind, ==, PLAN_OP_DEV);
	g_assert_cmpint(f->plan.ops[4].kind, ==, PLAN_OP_SYMLINK);
	g_assert_cmpstr(f->plan.ops[4].source, ==, "usr/lib");
	g_assert_cmpuint(f->plan.n_command, ==, 3);
	g_assert_cmpstr(f->plan.command[0], ==, "sh");
	g_assert_cmpstr(f->plan.command[2], ==, "true");
	g_assert_null(f->plan.command[3]);
}

static void test_end_of_options(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--unshare-pid", "--", "--not-an-option", "x")), ==, 0);
	g_assert_true(f->plan.unshare_pid);
	g_assert_cmpuint(f->plan.n_command, ==, 2);
	g_assert_cmpstr(f->plan.command[0], ==, "--not-an-option");

	plan_free(&f->plan);
	plan_init(&f->plan);
	g_assert_cmpint(parse_words(&f->plan, WORDS("cmd", "--unshare-pid")), ==, 0);
	g_assert_false(f->plan.unshare_pid);
	g_assert_cmpstr(f->plan.command[1], ==, "--unshare-pid");
}

static void test_no_command(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--unshare-net")), ==, 0);
	g_assert_cmpuint(f->plan.n_command, ==, 0);
}

static void test_unknown_options(void)
{
	check_error(WORDS("--bogus"), "Unknown option --bogus");
	check_error(WORDS("-"), "Unknown option -");
	check_error(WORDS("-x", "true"), "Unknown option -x");
}

static void test_missing_arguments(void)
{
	check_error(WORDS("--bind", "/a"), "--bind takes two arguments");
	check_error(WORDS("--ro-bind-try"), "--ro-bind-try takes two arguments");
	check_error(WORDS("--setenv", "A"), "--setenv takes two arguments");
	check_error(WORDS("--chdir"), "--chdir takes one argument");
	check_error(WORDS("--remount-ro"), "--remount-ro takes one argument");
	check_error(WORDS("--tmpfs"), "--tmpfs takes an argument");
	check_error(WORDS("--args"), "--args takes an argument");
	check_error(WORDS("--overlay", "a", "b"), "--overlay takes three arguments");
	check_error(WORDS("--cap-add"), "--cap-add takes an argument");
	check_error(WORDS("--ro-bind-fd", "3"), "--bind-fd takes two arguments");
	check_error(WORDS("--argv0"), "--argv0 takes one argument");
	check_error(WORDS("--argv0", "a", "--argv0", "b", "true"), "--argv0 used multiple times");
}

/* Every option in the table reports missing arguments, and none crashes. */
static void test_every_option_missing_arguments(void)
{
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		Fixture f;

		if (o->n_args == 0)
			continue;
		fixture_setup(&f, NULL);
		g_assert_cmpint(parse_words(&f.plan, WORDS(o->name)), <, 0);
		g_assert_nonnull(captured_log_last_error(&f.log));
		/* --ro-bind-fd reports itself as --bind-fd, as bwrap does. */
		g_assert_true(g_str_has_prefix(captured_log_last_error(&f.log),
					       o->id == OPT_RO_BIND_FD ? "--bind-fd" : o->name));
		fixture_teardown(&f, NULL);
	}
}

static void test_invalid_fds(void)
{
	check_error(WORDS("--file", "x", "/a"), "Invalid fd: x");
	check_error(WORDS("--bind-data", "-1", "/a"), "Invalid fd: -1");
	check_error(WORDS("--info-fd", ""), "Invalid fd: ");
	check_error(WORDS("--sync-fd", "3x"), "Invalid fd: 3x");
	check_error(WORDS("--seccomp", "99999999999"), "Invalid fd: 99999999999");
}

static void test_perms(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--perms", "0700", "--dir", "/a", "--dir", "/b", "--perms",
						     "1777", "--tmpfs", "/tmp", "--perms", "0644", "--file", "5",
						     "/f", "true")), ==, 0);
	g_assert_cmpint(f->plan.ops[0].perms, ==, 0700);
	g_assert_cmpint(f->plan.ops[1].perms, ==, PLAN_PERMS_UNSET);
	g_assert_cmpint(f->plan.ops[2].perms, ==, 01777);
	g_assert_cmpint(f->plan.ops[3].perms, ==, 0644);
}

static void test_perms_errors(void)
{
	check_error(WORDS("--perms", "800", "--dir", "/a"), "--perms takes an octal argument <= 07777");
	check_error(WORDS("--perms", "", "--dir", "/a"), "--perms takes an octal argument <= 07777");
	check_error(WORDS("--perms", "-1", "--dir", "/a"), "--perms takes an octal argument <= 07777");
	check_error(WORDS("--perms", "10000", "--dir", "/a"), "--perms takes an octal argument <= 07777");
	check_error(WORDS("--perms", " 7", "--dir", "/a"), "--perms takes an octal argument <= 07777");
	check_error(WORDS("--perms", "0700", "--perms", "0600", "--dir", "/a"),
		    "--perms given twice for the same action");
	check_error(WORDS("--perms", "0700", "--unshare-pid", "--dir", "/a"),
		    "--perms must be followed by an option that creates a file");
	check_error(WORDS("--perms", "0700", "--bind", "/a", "/b"),
		    "--perms must be followed by an option that creates a file");
	check_error(WORDS("--perms", "0700", "--symlink", "a", "/b"),
		    "--perms must be followed by an option that creates a file");
	check_error(WORDS("--chmod", "8", "/a"), "--chmod takes an octal argument <= 07777");
}

static void test_perms_dangling_at_end(Fixture *f, gconstpointer data)
{
	/* bwrap accepts a --perms that nothing follows. */
	g_assert_cmpint(parse_words(&f->plan, WORDS("--perms", "0700", "true")), ==, 0);
}

static void test_size(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--size", "0x1000", "--perms", "0700", "--tmpfs", "/t", "true")),
			==, 0);
	g_assert_cmpuint(f->plan.ops[0].size, ==, 4096);
	g_assert_cmpint(f->plan.ops[0].perms, ==, 0700);
}

static void test_size_errors(void)
{
	check_error(WORDS("--size", "0", "--tmpfs", "/t"), "--size takes a non-zero number of bytes");
	check_error(WORDS("--size", "abc", "--tmpfs", "/t"), "--size takes a non-zero number of bytes");
	check_error(WORDS("--size", "-5", "--tmpfs", "/t"), "--size takes a non-zero number of bytes");
	check_error(WORDS("--size", "99999999999999999999999", "--tmpfs", "/t"),
		    "--size takes a non-zero number of bytes");
	check_error(WORDS("--size", "9223372036854775808", "--tmpfs", "/t"),
		    "--size (for tmpfs) is limited to 9223372036854775807");
	check_error(WORDS("--size", "10", "--dir", "/t"), "--size must be followed by --tmpfs");
	check_error(WORDS("--size", "10", "--size", "10", "--tmpfs", "/t"), "--size given twice for the same action");
}

static void test_ids(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--uid", "4294967294", "--gid", "0", "true")), ==, 0);
	g_assert_true(f->plan.uid_set);
	g_assert_cmpuint(f->plan.sandbox_uid, ==, 4294967294u);
	g_assert_cmpuint(f->plan.sandbox_gid, ==, 0);
	check_error(WORDS("--uid", "-1"), "Invalid uid: -1");
	check_error(WORDS("--uid", "abc"), "Invalid uid: abc");
	check_error(WORDS("--uid", "4294967295"), "Invalid uid: 4294967295");
	check_error(WORDS("--gid", ""), "Invalid gid: ");
}

static void test_repeat_warnings(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--chdir", "/a", "--chdir", "/b", "--hostname", "x",
						     "--hostname", "y", "--uid", "1", "--uid", "2", "true")), ==, 0);
	g_assert_cmpstr(f->plan.chdir_path, ==, "/b");
	g_assert_cmpstr(f->plan.hostname, ==, "y");
	g_assert_cmpuint(f->plan.sandbox_uid, ==, 2);
	g_assert_true(captured_log_has(&f->log, "W: Only the last --chdir option will take effect"));
	g_assert_true(captured_log_has(&f->log, "W: Only the last --hostname option will take effect"));
	g_assert_true(captured_log_has(&f->log, "W: Only the last --uid option will take effect"));
}

static void test_caps(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--cap-add", "ALL", "--cap-drop", "cap_sys_admin", "--cap-add",
						     "CAP_Net_Raw", "true")), ==, 0);
	g_assert_cmpuint(f->plan.n_cap_ops, ==, 3);
	g_assert_true(f->plan.cap_ops_list[0].all && f->plan.cap_ops_list[0].add);
	g_assert_false(f->plan.cap_ops_list[1].add);
	g_assert_cmpint(f->plan.cap_ops_list[1].cap, ==, 21);
	g_assert_cmpint(f->plan.cap_ops_list[2].cap, ==, 13);
	check_error(WORDS("--cap-add", "CAP_FOO"), "unknown cap: CAP_FOO");
	check_error(WORDS("--cap-drop", ""), "unknown cap: ");
	/* libcap's parser stops at the first odd character; the whole word
	 * must be the name (or a plain decimal). */
	check_error(WORDS("--cap-add", "CAP_SYS_ADMIN,CAP_NET_RAW"), "unknown cap: CAP_SYS_ADMIN,CAP_NET_RAW");
	check_error(WORDS("--cap-add", "cap_kill "), "unknown cap: cap_kill ");
	check_error(WORDS("--cap-add", "12abc"), "unknown cap: 12abc");
	check_error(WORDS("--cap-drop", "0x5"), "unknown cap: 0x5");
	check_error(WORDS("--cap-drop", "05"), "unknown cap: 05");
	check_error(WORDS("--cap-drop", "64"), "unknown cap: 64");
	plan_free(&f->plan);
	plan_init(&f->plan);
	g_assert_cmpint(parse_words(&f->plan, WORDS("--cap-add", "5", "true")), ==, 0);
	g_assert_cmpint(f->plan.cap_ops_list[0].cap, ==, 5);
}

static void test_overlay_rules(void)
{
	Fixture f;

	check_error(WORDS("--overlay-src", "/a", "--unshare-pid", "true"),
		    "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, "
		    "or --ro-overlay");
	check_error(WORDS("--overlay-src", "/a", "true"),
		    "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, "
		    "or --ro-overlay");
	check_error(WORDS("--overlay", "/u", "/w", "/d", "true"), "--overlay requires at least one --overlay-src");
	check_error(WORDS("--tmp-overlay", "/d", "true"), "--tmp-overlay requires at least one --overlay-src");
	check_error(WORDS("--overlay-src", "/a", "--ro-overlay", "/d", "true"),
		    "--ro-overlay requires at least two --overlay-src");
	/* Each overlay takes the sources given since the previous one. */
	check_error(WORDS("--overlay-src", "/a", "--tmp-overlay", "/d", "--tmp-overlay", "/e", "true"),
		    "--tmp-overlay requires at least one --overlay-src");

	fixture_setup(&f, NULL);
	g_assert_cmpint(parse_words(&f.plan, WORDS("--overlay-src", "/a", "--overlay-src", "/b", "--ro-overlay", "/d",
						    "--overlay-src", "/c", "--overlay", "/u", "/w", "/e", "true")), ==, 0);
	g_assert_cmpuint(f.plan.n_ops, ==, 5);
	g_assert_cmpint(f.plan.ops[2].kind, ==, PLAN_OP_RO_OVERLAY);
	g_assert_cmpstr(f.plan.ops[4].overlay_upper, ==, "/u");
	g_assert_cmpstr(f.plan.ops[4].overlay_work, ==, "/w");
	g_assert_cmpstr(f.plan.ops[4].dest, ==, "/e");
	fixture_teardown(&f, NULL);
}

static void test_seccomp_combination(void)
{
	check_error(WORDS("--seccomp", "3", "--add-seccomp-fd", "4"), "--add-seccomp-fd cannot be combined with --seccomp");
	check_error(WORDS("--add-seccomp-fd", "4", "--seccomp", "3"), "--seccomp cannot be combined with --add-seccomp-fd");
}

static void test_unshare_all(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--unshare-all", "--share-net", "true")), ==, 0);
	g_assert_true(f->plan.unshare_user_try && f->plan.unshare_ipc && f->plan.unshare_pid);
	g_assert_true(f->plan.unshare_uts && f->plan.unshare_cgroup_try);
	g_assert_false(f->plan.unshare_net);
	g_assert_false(f->plan.unshare_user);
}

static void test_env_ops_order(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--setenv", "A", "1", "--clearenv", "--unsetenv", "B", "--setenv",
						     "C", "=x", "true")), ==, 0);
	g_assert_cmpuint(f->plan.n_env_ops, ==, 4);
	g_assert_cmpint(f->plan.env_ops[0].kind, ==, PLAN_ENV_SET);
	g_assert_cmpint(f->plan.env_ops[1].kind, ==, PLAN_ENV_CLEAR);
	g_assert_cmpint(f->plan.env_ops[2].kind, ==, PLAN_ENV_UNSET);
	g_assert_cmpstr(f->plan.env_ops[3].value, ==, "=x");
}

static void test_help_stops_parsing(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(parse_words(&f->plan, WORDS("--help", "--bogus")), ==, 0);
	g_assert_true(f->plan.show_help);
	check_error(WORDS("--bogus", "--help"), "Unknown option --bogus");
}

static int memfd_with(const char *data, size_t len)
{
	int fd = memfd_create("args", MFD_CLOEXEC);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, data, len), ==, (ssize_t)len);
	g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
	return fd;
}

static void test_args_fd(Fixture *f, gconstpointer data)
{
	static const char args[] = "--unshare-pid\0--setenv\0A\0one two\0";
	int fd = memfd_with(args, sizeof args - 1);
	char fdstr[16];

	g_snprintf(fdstr, sizeof fdstr, "%d", fd);
	g_assert_cmpint(parse_words(&f->plan, WORDS("--args", fdstr, "--unshare-net", "cmd")), ==, 0);
	g_assert_true(f->plan.unshare_pid && f->plan.unshare_net);
	g_assert_cmpstr(f->plan.env_ops[0].value, ==, "one two");
	g_assert_cmpstr(f->plan.command[0], ==, "cmd");
	close(fd);
}

static void test_args_fd_with_command(Fixture *f, gconstpointer data)
{
	static const char args[] = "--unshare-uts\0--\0sh\0-c\0echo hi"; /* last word without NUL */
	int fd = memfd_with(args, sizeof args - 1);
	char fdstr[16];

	/* No command on the real command line: the data's is used. */
	g_snprintf(fdstr, sizeof fdstr, "%d", fd);
	g_assert_cmpint(parse_words(&f->plan, WORDS("--args", fdstr)), ==, 0);
	g_assert_true(f->plan.unshare_uts);
	g_assert_cmpuint(f->plan.n_command, ==, 3);
	g_assert_cmpstr(f->plan.command[0], ==, "sh");
	g_assert_cmpstr(f->plan.command[2], ==, "echo hi");

	/* A command on the real command line wins, and the data's words
	 * after its own command are ignored, as in bwrap. */
	plan_free(&f->plan);
	plan_init(&f->plan);
	g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
	g_assert_cmpint(parse_words(&f->plan, WORDS("--args", fdstr, "--unshare-ipc", "true")), ==, 0);
	g_assert_true(f->plan.unshare_ipc);
	g_assert_cmpuint(f->plan.n_command, ==, 1);
	g_assert_cmpstr(f->plan.command[0], ==, "true");
	close(fd);
}

static void test_args_fd_option_cut_off(Fixture *f, gconstpointer data)
{
	static const char args[] = "--ro-bind\0/";
	int fd = memfd_with(args, sizeof args - 1);
	char fdstr[16];

	/* An option's arguments must all be inside the data. */
	g_snprintf(fdstr, sizeof fdstr, "%d", fd);
	assert_parse_error(f, WORDS("--args", fdstr, "/", "true"), "--ro-bind takes two arguments");
	close(fd);
}

static void test_args_fd_and_perms(Fixture *f, gconstpointer data)
{
	static const char args[] = "--dir\0/a\0--perms\0000700";
	int fd = memfd_with(args, sizeof args - 1);
	char fdstr[16];

	/* --perms before --args is taken by the data's first op; a --perms
	 * left at the end of the data is an error when an option follows. */
	g_snprintf(fdstr, sizeof fdstr, "%d", fd);
	assert_parse_error(f, WORDS("--perms", "0750", "--args", fdstr, "--dir", "/b", "true"),
			   "--perms must be followed by an option that creates a file");
	g_assert_cmpint(f->plan.ops[0].perms, ==, 0750);
	close(fd);
}

static void test_args_fd_several_and_nested(Fixture *f, gconstpointer data)
{
	static const char one[] = "--unshare-ipc\0";
	static const char two[] = "--unshare-net\0";
	int fd1 = memfd_with(one, sizeof one - 1), fd2 = memfd_with(two, sizeof two - 1);
	g_autofree char *nested = NULL;
	char s1[16], s2[16];
	int fd3;

	g_snprintf(s1, sizeof s1, "%d", fd1);
	g_snprintf(s2, sizeof s2, "%d", fd2);
	g_assert_cmpint(parse_words(&f->plan, WORDS("--args", s1, "--args", s2, "true")), ==, 0);
	g_assert_true(f->plan.unshare_ipc && f->plan.unshare_net);

	/* --args inside --args data is refused, as in bwrap. */
	nested = g_strdup_printf("--args%c%d", 0, fd1);
	fd3 = memfd_with(nested, strlen("--args") + 1 + strlen(s1));
	g_snprintf(s2, sizeof s2, "%d", fd3);
	plan_free(&f->plan);
	plan_init(&f->plan);
	assert_parse_error(f, WORDS("--args", s2, "true"), "--args not supported in arguments file");
	close(fd1);
	close(fd2);
	close(fd3);
}

static void test_args_fd_errors(void)
{
	check_error(WORDS("--args", "987"), "Can't read --args data: Bad file descriptor");
	check_error(WORDS("--args", "zz"), "Invalid fd: zz");
}

static void test_argument_limit(void)
{
	GPtrArray *words = g_ptr_array_new();
	Fixture f;

	for (int i = 0; i < PLAN_MAX_ARGS + 1; i++)
		g_ptr_array_add(words, (gpointer) "--unshare-ipc");
	g_ptr_array_add(words, NULL);
	fixture_setup(&f, NULL);
	assert_parse_error(&f, (const char *const *)words->pdata, "Exceeded maximum number of arguments 9000");
	fixture_teardown(&f, NULL);
	g_ptr_array_unref(words);
}

static void test_argument_limit_through_args_fd(void)
{
	GString *data = g_string_new(NULL);
	char fdstr[16];
	Fixture f;
	int fd;

	for (int i = 0; i < PLAN_MAX_ARGS; i++)
		g_string_append_len(data, "--unshare-ipc\0", 14);
	fd = memfd_with(data->str, data->len);
	g_snprintf(fdstr, sizeof fdstr, "%d", fd);
	fixture_setup(&f, NULL);
	assert_parse_error(&f, WORDS("--args", fdstr, "true"), "Exceeded maximum number of arguments 9000");
	fixture_teardown(&f, NULL);
	close(fd);
	g_string_free(data, TRUE);
}

static void test_table_is_consistent(void)
{
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];

		g_assert_true(g_str_has_prefix(o->name, "--"));
		g_assert_true((o->n_args == 0) == (o->arg_names == NULL));
		if (o->arg_names) {
			g_auto(GStrv) parts = g_strsplit(o->arg_names, " ", -1);

			g_assert_cmpuint(g_strv_length(parts), ==, o->n_args);
		}
		g_assert_true(option_lookup(o->name) == o);
		g_assert_nonnull(o->help);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FIXTURE_TEST(path, fn) g_test_add("/options/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	FIXTURE_TEST("ops-in-order", test_ops_in_order);
	FIXTURE_TEST("end-of-options", test_end_of_options);
	FIXTURE_TEST("no-command", test_no_command);
	g_test_add_func("/options/unknown", test_unknown_options);
	g_test_add_func("/options/missing-arguments", test_missing_arguments);
	g_test_add_func("/options/every-option-missing-arguments", test_every_option_missing_arguments);
	g_test_add_func("/options/invalid-fds", test_invalid_fds);
	FIXTURE_TEST("perms", test_perms);
	g_test_add_func("/options/perms-errors", test_perms_errors);
	FIXTURE_TEST("perms-dangling", test_perms_dangling_at_end);
	FIXTURE_TEST("size", test_size);
	g_test_add_func("/options/size-errors", test_size_errors);
	FIXTURE_TEST("ids", test_ids);
	FIXTURE_TEST("repeat-warnings", test_repeat_warnings);
	FIXTURE_TEST("caps", test_caps);
	g_test_add_func("/options/seccomp-combination", test_seccomp_combination);
	g_test_add_func("/options/overlay-rules", test_overlay_rules);
	FIXTURE_TEST("unshare-all", test_unshare_all);
	FIXTURE_TEST("env-order", test_env_ops_order);
	FIXTURE_TEST("help-stops", test_help_stops_parsing);
	FIXTURE_TEST("args-fd", test_args_fd);
	FIXTURE_TEST("args-fd-command", test_args_fd_with_command);
	FIXTURE_TEST("args-fd-option-cut-off", test_args_fd_option_cut_off);
	FIXTURE_TEST("args-fd-perms", test_args_fd_and_perms);
	FIXTURE_TEST("args-fd-several-nested", test_args_fd_several_and_nested);
	g_test_add_func("/options/args-fd-errors", test_args_fd_errors);
	g_test_add_func("/options/argument-limit", test_argument_limit);
	g_test_add_func("/options/argument-limit-args-fd", test_argument_limit_through_args_fd);
	g_test_add_func("/options/table", test_table_is_consistent);
	return g_test_run();
}
