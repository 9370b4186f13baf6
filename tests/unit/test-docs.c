/* test-docs.c — the option table against --help, the manual and the
 * shell completions.
 *
 * option_table in src/options.c is the single source of truth. This test
 * fails when an option is missing from (or stale in) the --help output,
 * man/hutch.1, completions/hutch.bash, completions/_hutch or
 * completions/hutch.fish, when the manual's list of reserved options
 * drifts from what validate_plan() refuses as "not implemented yet", or
 * when a completion lacks a capability name libcap knows.
 *
 * The documents are read from $HUTCH_SOURCE_DIR (tests/unit/meson.build
 * sets it to the source root).
 */
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "options.h"
#include "test-support.h"
#include "validate.h"

/* The markers around the manual's one list of reserved options. */
#define RESERVED_BEGIN ".\\\" BEGIN RESERVED-OPTIONS"
#define RESERVED_END ".\\\" END RESERVED-OPTIONS"

static char *read_doc(const char *relative)
{
	const char *srcdir = g_getenv("HUTCH_SOURCE_DIR");
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!srcdir)
		g_error("HUTCH_SOURCE_DIR is not set (tests/unit/meson.build sets it to the source root)");
	path = g_build_filename(srcdir, relative, NULL);
	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("can't read %s: %s", path, error->message);
	return text;
}

/* "--bind" -> "bind". */
static const char *bare_name(const OptionSpec *o)
{
	g_assert_true(g_str_has_prefix(o->name, "--"));
	return o->name + 2;
}

/* The kind of completion an argument gets, by the name --help gives it;
 * the bash and fish completions spell these out per option. */
static const char *argument_kind(const char *arg)
{
	static const struct {
		const char *arg, *kind;
	} kinds[] = {
		{ "SRC", "file" }, { "DEST", "file" }, { "PATH", "file" }, { "TARGET", "file" },
		{ "DIR", "dir" },  { "RWSRC", "dir" }, { "WORKDIR", "dir" }, { "CAP", "cap" },
		{ "VAR", "var" },  { "FILE", "file" }, { "PRESET", "preset" }, { "POLICY", "policy" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (strcmp(kinds[i].arg, arg) == 0)
			return kinds[i].kind;
	return "none";
}

/* "file file" for "SRC DEST", "" for an option without arguments. */
static char *argument_kinds(const OptionSpec *o)
{
	g_auto(GStrv) args = NULL;
	g_autoptr(GPtrArray) kinds = g_ptr_array_new();

	if (!o->arg_names)
		return g_strdup("");
	args = g_strsplit(o->arg_names, " ", -1);
	for (char **a = args; *a; a++)
		g_ptr_array_add(kinds, (gpointer)argument_kind(*a));
	g_ptr_array_add(kinds, NULL);
	return g_strjoinv(" ", (char **)kinds->pdata);
}

static void test_table_sane(void)
{
	g_assert_cmpuint(option_table_size, >, 0);
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		guint n = 0;

		g_assert_true(g_str_has_prefix(o->name, "--"));
		g_assert_nonnull(o->help);
		g_assert_cmpint(o->group, <, OPTION_GROUP_COUNT);
		if (o->arg_names) {
			g_auto(GStrv) args = g_strsplit(o->arg_names, " ", -1);

			n = g_strv_length(args);
		}
		if (n != o->n_args)
			g_error("%s: %u argument names for %u arguments", o->name, n, o->n_args);
	}
}

static void test_help_lists_every_option(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	g_autofree char *text = NULL;

	g_assert_nonnull(f);
	options_print_help(f, "hutch");
	g_assert_cmpint(fclose(f), ==, 0);
	text = buf;

	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		g_autofree char *entry = g_strdup_printf("\n    %s%s%s", o->name, o->arg_names ? " " : "",
							 o->arg_names ? o->arg_names : "");
		const char *p = strstr(text, entry);

		/* The entry is followed by its help on the same line or, when
		 * it is long, on the next. */
		while (p && p[strlen(entry)] != ' ' && p[strlen(entry)] != '\n')
			p = strstr(p + 1, entry);
		if (!p)
			g_error("--help does not list \"%s\"", entry + 1);
	}
	for (int g = 0; g < OPTION_GROUP_COUNT; g++) {
		g_autofree char *title = g_strdup_printf("\n%s:\n", option_group_title((OptionGroup)g));

		g_assert_nonnull(strstr(text, title));
	}
}

/* The manual, cut into lines, without the reserved-options block. */
typedef struct {
	GHashTable *entries;   /* ".It Fl \-bind Ar SRC DEST" -> .Ss title it is under */
	GPtrArray *subsections; /* .Ss titles in order */
	GHashTable *reserved;  /* "--userns" -> itself, from the reserved block */
} Manual;

static void manual_load(Manual *m)
{
	g_autofree char *text = read_doc("man/hutch.1");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const char *section = NULL;
	bool in_reserved = false, saw_begin = false, saw_end = false;

	m->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	m->subsections = g_ptr_array_new_with_free_func(g_free);
	m->reserved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, RESERVED_BEGIN)) {
			g_assert_false(saw_begin);
			saw_begin = in_reserved = true;
			continue;
		}
		if (g_str_has_prefix(*l, RESERVED_END)) {
			g_assert_true(in_reserved);
			in_reserved = false;
			saw_end = true;
			continue;
		}
		if (g_str_has_prefix(*l, ".Sh "))
			section = NULL;
		if (g_str_has_prefix(*l, ".Ss ")) {
			g_ptr_array_add(m->subsections, g_strdup(*l + 4));
			section = g_ptr_array_index(m->subsections, m->subsections->len - 1);
		}
		if (!g_str_has_prefix(*l, ".It Fl \\-"))
			continue;
		if (in_reserved) {
			g_autofree char *name = g_strdup_printf("--%s", *l + strlen(".It Fl \\-"));

			g_strstrip(name);
			g_hash_table_add(m->reserved, g_steal_pointer(&name));
		} else {
			g_hash_table_insert(m->entries, g_strdup(*l), g_strdup(section ? section : ""));
		}
	}
	if (!saw_begin || !saw_end)
		g_error("man/hutch.1 lacks the RESERVED-OPTIONS markers around the reserved options");
}

static void manual_free(Manual *m)
{
	g_hash_table_unref(m->entries);
	g_ptr_array_unref(m->subsections);
	g_hash_table_unref(m->reserved);
}

static void test_manual_lists_every_option(void)
{
	Manual m;
	GHashTableIter it;
	gpointer key;

	manual_load(&m);
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		g_autofree char *entry = g_strdup_printf(".It Fl \\-%s%s%s", bare_name(o), o->arg_names ? " Ar " : "",
							 o->arg_names ? o->arg_names : "");
		const char *under = g_hash_table_lookup(m.entries, entry);
		const char *title = option_group_title(o->group);

		if (!under)
			g_error("man/hutch.1 has no line \"%s\" under OPTIONS", entry);
		if (strcmp(under, title) != 0)
			g_error("man/hutch.1: %s is under \"%s\", --help has it under \"%s\"", o->name, under, title);
	}
	/* And nothing the table does not have. */
	g_hash_table_iter_init(&it, m.entries);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		g_autofree char *name = g_strdup_printf("--%s", (const char *)key + strlen(".It Fl \\-"));

		*strchrnul(name, ' ') = '\0';
		if (!option_lookup(name))
			g_error("man/hutch.1 documents %s, which is not in option_table", name);
	}
	manual_free(&m);
}

static void test_manual_groups_in_help_order(void)
{
	Manual m;
	guint from = 0;

	manual_load(&m);
	for (int g = 0; g < OPTION_GROUP_COUNT; g++) {
		const char *title = option_group_title((OptionGroup)g);
		guint i;

		for (i = from; i < m.subsections->len; i++)
			if (strcmp(g_ptr_array_index(m.subsections, i), title) == 0)
				break;
		if (i == m.subsections->len)
			g_error("man/hutch.1 has no \".Ss %s\" after the previous group's", title);
		from = i + 1;
	}
	manual_free(&m);
}

/* Appends copies of the NULL-terminated list of words. */
G_GNUC_NULL_TERMINATED static void add_words(GPtrArray *words, const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		g_ptr_array_add(words, g_strdup(w));
	va_end(ap);
}

/* Whether validate_plan() refuses o as not implemented: run it with
 * plausible arguments and whatever other options its rules require. */
static bool option_is_refused_as_unimplemented(const OptionSpec *o)
{
	static const ValidateFacts facts = {
		.real_uid = 1000, .real_gid = 1000, .userns_available = true,
		.cgroupns_available = true, .selinux_enabled = true,
	};
	g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) args = o->arg_names ? g_strsplit(o->arg_names, " ", -1) : g_new0(char *, 1);
	CapturedLog log;
	Plan plan;
	const char *error;
	bool refused;
	int r;

	if (o->id == OPT_HELP || o->id == OPT_VERSION || o->id == OPT_ARGS || o->id == OPT_SECCOMP_EXPORT ||
	    o->id == OPT_CHECK || o->id == OPT_JSON)
		return false; /* they never reach validation */

	/* Other options that o's rules require. */
	if (o->id == OPT_DISABLE_USERNS || o->id == OPT_USERNS_BLOCK_FD)
		add_words(words, "--unshare-user", NULL);
	if (o->id == OPT_USERNS_BLOCK_FD)
		add_words(words, "--info-fd", "4", NULL);
	if (o->id == OPT_HOSTNAME)
		add_words(words, "--unshare-uts", NULL);
	if (o->id == OPT_AS_PID_1)
		add_words(words, "--unshare-pid", NULL);
	/* An explicit map must map the caller's own id. */
	if (o->id == OPT_MAP_UID || o->id == OPT_MAP_GID)
		add_words(words, o->name, "0", "1000", "1", NULL);
	if (o->id == OPT_TIMEOUT_KILL_AFTER)
		add_words(words, "--timeout", "3", NULL);
	/* Overlays take the --overlay-src layers given just before them. */
	if (o->id == OPT_OVERLAY || o->id == OPT_TMP_OVERLAY || o->id == OPT_RO_OVERLAY)
		add_words(words, "--overlay-src", "/probe-a", "--overlay-src", "/probe-b", NULL);

	g_ptr_array_add(words, g_strdup(o->name));
	for (char **a = args; *a; a++) {
		const char *kind = argument_kind(*a);

		if (strcmp(*a, "LIMIT") == 0)
			g_ptr_array_add(words, g_strdup("nofile=64"));
		else if (strcmp(*a, "OCTAL") == 0)
			g_ptr_array_add(words, g_strdup("0755"));
		else if (strcmp(kind, "cap") == 0)
			g_ptr_array_add(words, g_strdup("CAP_CHOWN"));
		else if (strcmp(kind, "preset") == 0)
			g_ptr_array_add(words, g_strdup("desktop"));
		else if (strcmp(kind, "file") == 0 || strcmp(kind, "dir") == 0)
			g_ptr_array_add(words, g_strdup("/probe"));
		else
			g_ptr_array_add(words, g_strdup("3")); /* FD, UID, GID, BYTES, names */
	}
	/* --perms and --size need the op they modify. */
	if (o->id == OPT_PERMS)
		add_words(words, "--dir", "/probe", NULL);
	if (o->id == OPT_SIZE)
		add_words(words, "--tmpfs", "/probe", NULL);
	if (o->id == OPT_OVERLAY_SRC)
		add_words(words, "--tmp-overlay", "/probe", NULL);
	add_words(words, "true", NULL);
	g_ptr_array_add(words, NULL);

	plan_init(&plan);
	captured_log_start(&log);
	r = parse_words(&plan, (const char *const *)words->pdata);
	if (r < 0)
		g_error("probing %s: the parser refused it: %s", o->name, captured_log_last_error(&log));
	r = validate_plan(&plan, &facts);
	error = captured_log_last_error(&log);
	refused = r < 0 && error && g_str_has_suffix(error, "is not implemented yet");
	if (r != 0 && !refused)
		g_error("probing %s: validation failed for another reason (%s); "
			"teach test-docs.c the options it needs", o->name, error ? error : "no command?");
	captured_log_stop(&log);
	plan_free(&plan);
	return refused;
}

static void test_manual_reserved_list_matches_validate(void)
{
	Manual m;
	GHashTableIter it;
	gpointer key;

	manual_load(&m);
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		bool refused = option_is_refused_as_unimplemented(o);
		bool listed = g_hash_table_contains(m.reserved, o->name);

		if (refused && !listed)
			g_error("%s is refused as not implemented yet, but man/hutch.1's reserved list lacks it",
				o->name);
		if (!refused && listed)
			g_error("%s works now: remove it from man/hutch.1's reserved list", o->name);
	}
	g_hash_table_iter_init(&it, m.reserved);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!option_lookup(key))
			g_error("man/hutch.1's reserved list names %s, which is not in option_table",
				(const char *)key);
	manual_free(&m);
}

/* The set of group 1 of every match of pattern in text. */
static GHashTable *matches_of(const char *text, const char *pattern)
{
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_MULTILINE, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;

	g_assert_nonnull(re);
	g_regex_match(re, text, 0, &match);
	while (g_match_info_matches(match)) {
		g_hash_table_add(set, g_match_info_fetch(match, 1));
		g_match_info_next(match, NULL);
	}
	return set;
}

/* Every match of group 1 of pattern in text must be an option name
 * (with prefix prepended) that the table has. */
static void assert_no_stale_options(const char *file, const char *text, const char *pattern, const char *prefix)
{
	g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_MULTILINE, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	guint n = 0;

	g_assert_nonnull(re);
	g_regex_match(re, text, 0, &match);
	while (g_match_info_matches(match)) {
		g_autofree char *found = g_match_info_fetch(match, 1);
		g_autofree char *name = g_strconcat(prefix, found, NULL);

		if (!option_lookup(name))
			g_error("%s mentions %s, which is not in option_table", file, name);
		n++;
		g_match_info_next(match, NULL);
	}
	g_assert_cmpuint(n, >=, option_table_size);
}

static void test_bash_completion(void)
{
	g_autofree char *text = read_doc("completions/hutch.bash");

	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		g_autofree char *kinds = argument_kinds(o);
		g_autofree char *entry = g_strdup_printf("[%s]=\"%s\"", o->name, kinds);

		if (!strstr(text, entry))
			g_error("completions/hutch.bash lacks the table entry %s", entry);
	}
	assert_no_stale_options("completions/hutch.bash", text, "^\\s*\\[(--[a-z0-9-]+)\\]=", "");
	g_assert_nonnull(strstr(text, "complete -F _hutch hutch"));
	g_assert_nonnull(strstr(text, "_command_offset"));
}

static void test_fish_completion(void)
{
	g_autofree char *text = read_doc("completions/hutch.fish");
	g_autoptr(GHashTable) long_options = matches_of(text, "^complete -c hutch .*? -l ([a-z0-9-]+)(?: |$)");

	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		g_autofree char *kinds = argument_kinds(o);
		g_autofree char *entry = g_strdup_printf("'%s%s%s'", o->name, *kinds ? " " : "", kinds);
		if (!strstr(text, entry))
			g_error("completions/hutch.fish lacks the table entry %s", entry);
		if (!g_hash_table_contains(long_options, bare_name(o)))
			g_error("completions/hutch.fish has no `complete -c hutch ... -l %s' line", bare_name(o));
	}
	assert_no_stale_options("completions/hutch.fish", text, "^\\s*'(--[a-z0-9-]+)[ ']", "");
	assert_no_stale_options("completions/hutch.fish", text, "^complete -c hutch .*? -l ([a-z0-9-]+)(?: |$)", "--");
	g_assert_nonnull(strstr(text, "__fish_complete_subcommand"));
}

static void test_zsh_completion(void)
{
	g_autofree char *text = read_doc("completions/_hutch");
	/* '*--bind[help]:SRC:_files:DEST:_files' (or '(- *)--help[...]') */
	g_autoptr(GRegex) spec = g_regex_new("^\\s*'(?:\\*|\\([^)]*\\))(--[a-z0-9-]+)\\[(?:[^]\\\\]|\\\\.)*\\](.*)'\\s*$",
					     G_REGEX_MULTILINE, 0, NULL);
	g_autoptr(GRegex) arg = g_regex_new(":([A-Z][A-Z0-9_]*):", 0, 0, NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GMatchInfo) match = NULL;

	g_assert_true(g_str_has_prefix(text, "#compdef hutch\n"));
	g_regex_match(spec, text, 0, &match);
	while (g_match_info_matches(match)) {
		g_autofree char *name = g_match_info_fetch(match, 1);
		g_autofree char *rest = g_match_info_fetch(match, 2);
		g_autoptr(GMatchInfo) am = NULL;
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

		g_regex_match(arg, rest, 0, &am);
		while (g_match_info_matches(am)) {
			g_ptr_array_add(names, g_match_info_fetch(am, 1));
			g_match_info_next(am, NULL);
		}
		g_ptr_array_add(names, NULL);
		if (!option_lookup(name))
			g_error("completions/_hutch completes %s, which is not in option_table", name);
		g_hash_table_insert(seen, g_steal_pointer(&name), g_strjoinv(" ", (char **)names->pdata));
		g_match_info_next(match, NULL);
	}
	for (size_t i = 0; i < option_table_size; i++) {
		const OptionSpec *o = &option_table[i];
		const char *args = g_hash_table_lookup(seen, o->name);

		if (!args)
			g_error("completions/_hutch has no spec for %s", o->name);
		if (strcmp(args, o->arg_names ? o->arg_names : "") != 0)
			g_error("completions/_hutch: %s takes \"%s\", the spec names \"%s\"", o->name,
				o->arg_names ? o->arg_names : "", args);
	}
	g_assert_nonnull(strstr(text, "_normal"));
}

/* Words made of A-Z, 0-9 and _ in text. */
static GHashTable *upper_words(const char *text)
{
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = text;

	while (*p) {
		size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

		if (n > 0) {
			g_hash_table_add(set, g_strndup(p, n));
			p += n;
		} else {
			p++;
		}
	}
	return set;
}

static void test_completions_know_every_capability(void)
{
	static const char *const files[] = { "completions/hutch.bash", "completions/_hutch",
					     "completions/hutch.fish" };

	for (size_t f = 0; f < G_N_ELEMENTS(files); f++) {
		g_autofree char *text = read_doc(files[f]);
		g_autoptr(GHashTable) words = upper_words(text);

		g_assert_true(g_hash_table_contains(words, "ALL"));
		for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
			char *name = cap_to_name((cap_value_t)cap);
			g_autofree char *upper = NULL;

			g_assert_nonnull(name);
			if (g_str_has_prefix(name, "cap_")) { /* else libcap knows no name for it */
				upper = g_ascii_strup(name, -1);
				if (!g_hash_table_contains(words, upper))
					g_error("%s does not offer the capability %s", files[f], upper);
			}
			cap_free(name);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docs/table-sane", test_table_sane);
	g_test_add_func("/docs/help/every-option", test_help_lists_every_option);
	g_test_add_func("/docs/manual/every-option", test_manual_lists_every_option);
	g_test_add_func("/docs/manual/groups-in-help-order", test_manual_groups_in_help_order);
	g_test_add_func("/docs/manual/reserved-list", test_manual_reserved_list_matches_validate);
	g_test_add_func("/docs/completions/bash", test_bash_completion);
	g_test_add_func("/docs/completions/zsh", test_zsh_completion);
	g_test_add_func("/docs/completions/fish", test_fish_completion);
	g_test_add_func("/docs/completions/capabilities", test_completions_know_every_capability);
	return g_test_run();
}
