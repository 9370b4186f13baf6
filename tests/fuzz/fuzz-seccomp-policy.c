/* fuzz-seccomp-policy.c — libFuzzer target for the seccomp policy parser
 * (src/seccomp-policy.c), on its own: no libseccomp, no files.
 *
 * Owns: turning fuzzer bytes into a policy and the files it includes,
 * and the invariants every parsed policy and every error must satisfy.
 * Must not: read any file (the loader serves the input's own parts and
 * the embedded presets).
 *
 * Input format: the bytes are split at each form feed (0x0c). Part 0 is
 * the policy ("top.policy"); part N is served to `include N.policy`
 * (any path whose last component is N.policy). `include preset:NAME`
 * reads the real presets.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-policy.h"
#include "seccomp-presets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 8

typedef struct {
	const char *start[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t n;
} Parts;

static int loader(void *userdata, const char *from_file, const char *target, bool is_preset, char **name,
		  char **text, size_t *len, char **why)
{
	const Parts *parts = userdata;
	const char *base = strrchr(target, '/');
	char *end;
	unsigned long n;

	assert(from_file && *from_file);
	*why = NULL;
	if (is_preset) {
		const SeccompPreset *p = seccomp_preset_find(target);

		if (!p)
			return -ENOENT;
		if (asprintf(name, "preset:%s", p->name) < 0)
			return -ENOMEM;
		*text = strdup(p->text);
		*len = p->len;
		return *text ? 0 : -ENOMEM;
	}
	base = base ? base + 1 : target;
	n = strtoul(base, &end, 10);
	if (end == base || strcmp(end, ".policy") != 0 || n == 0 || n >= parts->n) {
		*why = strdup("not in the fuzzer's input");
		return -ENOENT;
	}
	*name = strdup(target);
	*text = malloc(parts->len[n] + 1);
	if (!*name || !*text) {
		free(*name);
		free(*text);
		*name = *text = NULL;
		return -ENOMEM;
	}
	memcpy(*text, parts->start[n], parts->len[n]);
	(*text)[parts->len[n]] = '\0';
	*len = parts->len[n];
	return 0;
}

static bool owned_file(const SeccompPolicy *p, const char *file)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (p->files[i] == file)
			return true;
	return false;
}

static void check_policy(const SeccompPolicy *p)
{
	assert(p->n_rules <= SECCOMP_POLICY_MAX_RULES);
	assert(p->n_files >= 1);
	if (p->has_default)
		assert(owned_file(p, p->default_loc.file));
	for (size_t i = 0; i < p->n_rules; i++) {
		const SeccompPolicyRule *r = &p->rules[i];

		assert(r->syscall && r->syscall[0]);
		assert(strspn(r->syscall, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(r->syscall));
		assert(owned_file(p, r->loc.file));
		assert(r->loc.line >= 1 && r->loc.col >= 1);
		assert(r->n_conds <= SECCOMP_POLICY_MAX_CONDS);
		if (r->action.kind == SECCOMP_POLICY_ERRNO)
			assert(r->action.errno_value >= 1 && r->action.errno_value <= 4095);
		for (size_t c = 0; c < r->n_conds; c++) {
			const SeccompPolicyCond *cond = &r->conds[c];

			assert(cond->arg <= 5);
			assert(cond->op <= SECCOMP_POLICY_OP_MASKED_NE);
			if (cond->low32)
				assert(cond->value <= UINT32_MAX && cond->mask <= UINT32_MAX);
			if (cond->op == SECCOMP_POLICY_OP_MASKED_EQ || cond->op == SECCOMP_POLICY_OP_MASKED_NE)
				assert((cond->value & ~cond->mask) == 0);
			else
				assert(cond->mask == 0);
			assert(owned_file(p, cond->loc.file));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	Parts parts = { .n = 0 };
	SeccompPolicy policy;
	char *error = NULL;
	size_t start = 0;
	int r;

	for (size_t i = 0; i <= size && parts.n < MAX_PARTS; i++) {
		if (i == size || text[i] == '\f') {
			parts.start[parts.n] = text + start;
			parts.len[parts.n] = i - start;
			parts.n++;
			start = i + 1;
		}
	}
	seccomp_policy_init(&policy);
	r = seccomp_policy_parse(&policy, "top.policy", parts.start[0], parts.len[0], loader, &parts, &error);
	if (r < 0) {
		/* Every failure but ENOMEM explains itself with a location. */
		assert(r == -EINVAL || r == -ENOMEM || r == -E2BIG);
		if (r == -EINVAL) {
			assert(error);
			assert(strstr(error, ".policy:") || strstr(error, "preset:"));
		}
	} else {
		assert(!error);
		check_policy(&policy);
	}
	free(error);
	seccomp_policy_free(&policy);
	return 0;
}
