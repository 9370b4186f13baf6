/* check-report.c — the `hutch --check` report: items, text and JSON
 * output, and /etc/subuid parsing.
 *
 * Owns: everything about the report that needs no system access, so that
 * the unit tests cover it (tests/unit/test-check.c). The caller's own
 * ranges are subid.c's business; this only finds a free range.
 * Must not: probe the system or exit.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check-report.h"
#include "util/array.h"
#include "util/log.h"

void check_report_init(CheckReport *report)
{
	*report = (CheckReport){ 0 };
}

void check_report_free(CheckReport *report)
{
	for (size_t i = 0; i < report->n_items; i++) {
		CheckItem *it = &report->items[i];

		free(it->name);
		free(it->summary);
		free(it->fix);
		for (size_t d = 0; d < it->n_details; d++)
			free(it->details[d]);
		free(it->details);
	}
	free(report->items);
	free(report->user);
	*report = (CheckReport){ 0 };
}

CheckItem *check_report_add(CheckReport *report, const char *name, CheckStatus status, const char *fmt, ...)
{
	CheckItem *it;
	va_list ap;
	int r;

	if (array_reserve((void **)&report->items, &report->cap_items, report->n_items + 1, sizeof *report->items) < 0) {
		log_error_errno(ENOMEM, "Out of memory");
		return NULL;
	}
	it = &report->items[report->n_items];
	*it = (CheckItem){ .status = status };
	it->name = strdup(name);
	va_start(ap, fmt);
	r = vasprintf(&it->summary, fmt, ap);
	va_end(ap);
	if (!it->name || r < 0) {
		free(it->name);
		if (r >= 0)
			free(it->summary);
		log_error_errno(ENOMEM, "Out of memory");
		return NULL;
	}
	report->n_items++;
	return it;
}

int check_item_set_fix(CheckItem *item, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return log_error_errno(ENOMEM, "Out of memory");
	free(item->fix);
	item->fix = s;
	return 0;
}

int check_item_add_detail(CheckItem *item, const char *fmt, ...)
{
	char **details, *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return log_error_errno(ENOMEM, "Out of memory");
	details = realloc(item->details, (item->n_details + 1) * sizeof *details);
	if (!details) {
		free(s);
		return log_error_errno(ENOMEM, "Out of memory");
	}
	details[item->n_details++] = s;
	item->details = details;
	return 0;
}

bool check_report_ok(const CheckReport *report)
{
	for (size_t i = 0; i < report->n_items; i++)
		if (report->items[i].status == CHECK_FAIL)
			return false;
	return true;
}

const char *check_status_name(CheckStatus status)
{
	switch (status) {
	case CHECK_OK:
		return "ok";
	case CHECK_INFO:
		return "info";
	case CHECK_WARN:
		return "warn";
	case CHECK_FAIL:
		return "fail";
	default:
		return "?";
	}
}

/* Prints text with every line after the first indented by indent. */
static void print_indented(FILE *out, const char *text, const char *indent)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n' && p[1])
			fputs(indent, out);
	}
	fputc('\n', out);
}

void check_report_print_text(const CheckReport *report, FILE *out)
{
	size_t n_fail = 0, n_warn = 0;

	fprintf(out, "hutch %s on Linux %s, as uid %lu", report->version, report->kernel,
		(unsigned long)report->uid);
	if (report->user)
		fprintf(out, " (%s)", report->user);
	fputs("\n\n", out);

	for (size_t i = 0; i < report->n_items; i++) {
		const CheckItem *it = &report->items[i];
		static const char *const tags[] = {
			[CHECK_OK] = "ok  ", [CHECK_INFO] = "info", [CHECK_WARN] = "WARN", [CHECK_FAIL] = "FAIL",
		};

		fprintf(out, "%s  %-28s ", tags[it->status], it->name);
		print_indented(out, it->summary, "                                  ");
		for (size_t d = 0; d < it->n_details; d++)
			fprintf(out, "      %-28s %s\n", "", it->details[d]);
		if (it->fix) {
			fprintf(out, "      %-28s fix: ", "");
			print_indented(out, it->fix, "                                       ");
		}
		if (it->status == CHECK_FAIL)
			n_fail++;
		if (it->status == CHECK_WARN)
			n_warn++;
	}

	fputc('\n', out);
	if (n_fail)
		fprintf(out, "A default sandbox will NOT start here: %zu problem%s to fix (FAIL above).\n", n_fail,
			n_fail == 1 ? "" : "s");
	else if (n_warn)
		fprintf(out, "A default sandbox starts here; %zu optional feature%s unavailable (WARN above).\n",
			n_warn, n_warn == 1 ? " is" : "s are");
	else
		fputs("A default sandbox starts here, and every feature hutch uses is available.\n", out);
}

void check_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void check_report_print_json(const CheckReport *report, FILE *out)
{
	fputs("{\n  \"version\": ", out);
	check_json_string(out, report->version);
	fputs(",\n  \"kernel\": ", out);
	check_json_string(out, report->kernel);
	fprintf(out, ",\n  \"uid\": %lu,\n  \"user\": ", (unsigned long)report->uid);
	if (report->user)
		check_json_string(out, report->user);
	else
		fputs("null", out);
	fprintf(out, ",\n  \"sandbox-ok\": %s,\n  \"checks\": [", check_report_ok(report) ? "true" : "false");
	for (size_t i = 0; i < report->n_items; i++) {
		const CheckItem *it = &report->items[i];

		fputs(i ? ",\n    {" : "\n    {", out);
		fputs("\"name\": ", out);
		check_json_string(out, it->name);
		fputs(", \"status\": ", out);
		check_json_string(out, check_status_name(it->status));
		fputs(", \"summary\": ", out);
		check_json_string(out, it->summary);
		fputs(", \"fix\": ", out);
		if (it->fix)
			check_json_string(out, it->fix);
		else
			fputs("null", out);
		fputs(", \"details\": [", out);
		for (size_t d = 0; d < it->n_details; d++) {
			if (d)
				fputs(", ", out);
			check_json_string(out, it->details[d]);
		}
		fputs("]}", out);
	}
	fputs(report->n_items ? "\n  ]\n}\n" : "]\n}\n", out);
}

/* Parses a decimal number that ends at end (exclusive), no sign. */
static bool parse_ulong_span(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (ULONG_MAX - (unsigned long)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

/* One range of any user, for the suggestion. */
typedef struct {
	unsigned long start, count;
} AnyRange;

/* Calls fn for every well-formed "NAME:START:COUNT" line of text. */
static void subid_each(const char *text, void (*fn)(AnyRange r, void *ud),
		       void *ud)
{
	const char *line = text;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		const char *stop = end;
		AnyRange r = { 0 };

		if (stop > line && stop[-1] == '\r')
			stop--;
		if (*line != '#' && c1 && c2 && c1 > line && parse_ulong_span(c1 + 1, c2, &r.start) &&
		    parse_ulong_span(c2 + 1, stop, &r.count) && r.count > 0)
			fn(r, ud);
		line = eol ? eol + 1 : NULL;
	}
}

typedef struct {
	unsigned long start, count;
	bool overlaps;
} OverlapState;

static void overlap_one(AnyRange r, void *ud)
{
	OverlapState *st = ud;

	/* [a, a+n) and [b, b+m) overlap when a < b+m and b < a+n; written
	 * without sums that could wrap. */
	if (st->start - r.start < r.count || r.start - st->start < st->count)
		st->overlaps = true;
}

unsigned long check_subid_suggest(const char *const *texts, size_t n_texts, unsigned long count)
{
	/* useradd's own defaults: SUB_UID_MIN 100000, SUB_UID_COUNT 65536. */
	for (unsigned long start = 100000; start <= UINT32_MAX - count; start += 65536) {
		OverlapState st = { .start = start, .count = count };

		for (size_t i = 0; i < n_texts && !st.overlaps; i++)
			if (texts[i])
				subid_each(texts[i], overlap_one, &st);
		if (!st.overlaps)
			return start;
	}
	return 0;
}
