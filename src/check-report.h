/* check-report.h — the report `hutch --check` prints, and the pure pieces
 * behind it.
 *
 * Owns: the list of check results (a name, a status, a one-line summary,
 * the fix to apply, detail lines), its two renderings (text for people,
 * JSON for scripts), and a free range of /etc/subuid-style text to
 * suggest when the caller has none (subid.c parses the caller's own).
 * Must not: probe the system (check.c does), or exit. Everything here is
 * pure so that the unit tests can drive it.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

typedef enum {
	CHECK_OK,   /* works */
	CHECK_INFO, /* neither good nor bad: something worth knowing */
	CHECK_WARN, /* an optional feature will not work; default sandboxes do */
	CHECK_FAIL, /* a default sandbox will not start */
} CheckStatus;

typedef struct {
	char *name;    /* stable identifier, e.g. "user-namespace" */
	CheckStatus status;
	char *summary; /* one line */
	char *fix;     /* what to run or change; NULL when nothing to do */
	char **details;
	size_t n_details;
} CheckItem;

typedef struct {
	const char *version;
	const char *kernel;
	uid_t uid;
	char *user; /* NULL when the uid has no name */
	CheckItem *items;
	size_t n_items, cap_items;
} CheckReport;

void check_report_init(CheckReport *report);
void check_report_free(CheckReport *report);

/* Appends an item; summary is printf-style. Returns it, or NULL (ENOMEM,
 * logged). */
CheckItem *check_report_add(CheckReport *report, const char *name, CheckStatus status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int check_item_set_fix(CheckItem *item, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int check_item_add_detail(CheckItem *item, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when no item failed: a default sandbox would start. */
bool check_report_ok(const CheckReport *report);
const char *check_status_name(CheckStatus status);

void check_report_print_text(const CheckReport *report, FILE *out);
void check_report_print_json(const CheckReport *report, FILE *out);

/* Writes s as a JSON string literal (with quotes). */
void check_json_string(FILE *out, const char *s);

/* The lowest start of the form 100000 + k * 65536 (where useradd starts
 * and how it steps) of a range of count ids that overlaps no range in any
 * of the texts (NULL texts are skipped): a safe suggestion for
 * `usermod --add-subuids`. 0 when there is none. */
unsigned long check_subid_suggest(const char *const *texts, size_t n_texts, unsigned long count);
