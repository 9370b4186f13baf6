/* rlimit.c — see rlimit.h. */
#include "rlimit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"
#include "util/parse.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "as", RLIMIT_AS },         { "core", RLIMIT_CORE },         { "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },     { "fsize", RLIMIT_FSIZE },       { "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },       { "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME },     { "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};

_Static_assert(sizeof rlimit_names / sizeof rlimit_names[0] <= PLAN_MAX_RLIMITS, "PLAN_MAX_RLIMITS too small");

int rlimit_resource_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
		if (strcasecmp(rlimit_names[i].name, name) == 0)
			return rlimit_names[i].resource;
	return -1;
}

static const char *canonical_name(int resource)
{
	for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return "?";
}

/* One side of a limit: a decimal number below RLIM_INFINITY, or a word
 * for infinity. */
static int parse_value(const char *s, size_t len, uint64_t *out)
{
	char buf[32];
	int r;

	if (len >= sizeof buf)
		return -ERANGE;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strcasecmp(buf, "unlimited") == 0 || strcasecmp(buf, "infinity") == 0) {
		*out = PLAN_RLIM_INFINITY;
		return 0;
	}
	r = parse_u64(buf, 10, out);
	if (r < 0)
		return r;
	/* The kernel reads RLIM_INFINITY (all ones) as "unlimited"; a number
	 * that large is taken for a typo rather than for that. */
	if (*out >= (uint64_t)RLIM_INFINITY)
		return -ERANGE;
	return 0;
}

static void format_value(char *buf, size_t size, uint64_t v)
{
	if (v == PLAN_RLIM_INFINITY)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%" PRIu64, v);
}

int rlimit_parse_into(Plan *plan, const char *spec)
{
	const char *eq = strchr(spec, '=');
	const char *value, *colon;
	char name[32];
	PlanRlimit lim = { 0 };
	int resource, r;

	if (!eq || eq == spec)
		return log_error("--rlimit takes NAME=SOFT[:HARD], not \"%s\"", spec);
	if ((size_t)(eq - spec) >= sizeof name)
		return log_error("--rlimit: unknown resource \"%.*s\"", (int)(eq - spec), spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	resource = rlimit_resource_from_name(name);
	if (resource < 0)
		return log_error("--rlimit: unknown resource \"%s\" (known: as, core, cpu, data, fsize, locks, memlock, "
				 "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)", name);
	lim.resource = resource;
	lim.name = canonical_name(resource);

	value = eq + 1;
	colon = strchr(value, ':');
	if (*value == '\0' || (colon && colon == value && colon[1] == '\0'))
		return log_error("--rlimit %s: no value given", lim.name);
	if (!colon) {
		/* One value sets both, as prlimit(1) does. */
		r = parse_value(value, strlen(value), &lim.soft);
		lim.hard = lim.soft;
		lim.has_soft = lim.has_hard = true;
	} else {
		r = 0;
		if (colon > value) {
			r = parse_value(value, (size_t)(colon - value), &lim.soft);
			lim.has_soft = true;
		}
		if (r == 0 && colon[1] != '\0') {
			r = parse_value(colon + 1, strlen(colon + 1), &lim.hard);
			lim.has_hard = true;
		}
	}
	if (r == -ERANGE)
		return log_error("--rlimit %s: value out of range in \"%s\"", lim.name, value);
	if (r < 0)
		return log_error("--rlimit %s: \"%s\" is not a number, \"unlimited\" or SOFT:HARD", lim.name, value);
	if (lim.has_soft && lim.has_hard && lim.soft > lim.hard) {
		char a[32], b[32];

		format_value(a, sizeof a, lim.soft);
		format_value(b, sizeof b, lim.hard);
		return log_error("--rlimit %s: the soft limit %s is above the hard limit %s", lim.name, a, b);
	}

	/* Given twice, the last one counts (as for prlimit). */
	for (size_t i = 0; i < plan->n_rlimits; i++) {
		if (plan->rlimits[i].resource == resource) {
			plan->rlimits[i] = lim;
			return 0;
		}
	}
	if (plan->n_rlimits >= PLAN_MAX_RLIMITS)
		return log_error("--rlimit: too many limits");
	plan->rlimits[plan->n_rlimits++] = lim;
	return 0;
}

/* The limit the payload gets: the sides not given come from ours. */
static int resolve(const PlanRlimit *lim, struct rlimit *out)
{
	struct rlimit cur;

	if (getrlimit(lim->resource, &cur) < 0)
		return -errno;
	out->rlim_cur = lim->has_soft ? (lim->soft == PLAN_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)lim->soft)
				      : cur.rlim_cur;
	out->rlim_max = lim->has_hard ? (lim->hard == PLAN_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)lim->hard)
				      : cur.rlim_max;
	return 0;
}

int rlimit_check(const Plan *plan)
{
	/* Raising a hard limit takes CAP_SYS_RESOURCE in the initial user
	 * namespace: real root running without a user namespace has it,
	 * nobody inside one does. */
	bool may_raise = geteuid() == 0 && !plan->unshare_user && plan->userns_fd < 0;

	for (size_t i = 0; i < plan->n_rlimits; i++) {
		const PlanRlimit *lim = &plan->rlimits[i];
		struct rlimit want, cur;
		char a[32], b[32];
		int r = resolve(lim, &want);

		if (r < 0 || getrlimit(lim->resource, &cur) < 0)
			return log_error_errno(r < 0 ? r : errno, "Can't read the %s limit", lim->name);
		if (want.rlim_cur > want.rlim_max) {
			format_value(a, sizeof a, want.rlim_cur == RLIM_INFINITY ? PLAN_RLIM_INFINITY : want.rlim_cur);
			format_value(b, sizeof b, want.rlim_max == RLIM_INFINITY ? PLAN_RLIM_INFINITY : want.rlim_max);
			return log_error("--rlimit %s: the soft limit %s would be above the hard limit %s", lim->name, a, b);
		}
		if (!may_raise && want.rlim_max > cur.rlim_max) {
			format_value(b, sizeof b, cur.rlim_max == RLIM_INFINITY ? PLAN_RLIM_INFINITY : cur.rlim_max);
			return log_error("--rlimit %s: can't raise the hard limit above %s without privileges", lim->name, b);
		}
	}
	return 0;
}

int rlimit_apply(const Plan *plan)
{
	for (size_t i = 0; i < plan->n_rlimits; i++) {
		const PlanRlimit *lim = &plan->rlimits[i];
		struct rlimit want;
		int r = resolve(lim, &want);

		if (r < 0)
			return log_error_errno(r, "Can't read the %s limit", lim->name);
		if (setrlimit(lim->resource, &want) < 0)
			return log_error_errno(errno, "Can't set the %s limit", lim->name);
	}
	return 0;
}
