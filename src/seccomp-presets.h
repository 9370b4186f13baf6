/* seccomp-presets.h — the policies hutch ships (data/seccomp/NAME.policy).
 *
 * Owns: nothing but the lookup. The texts are embedded at build time by
 * data/seccomp/embed-presets.py into a generated seccomp-presets-data.c,
 * byte for byte the files meson installs under DATADIR/hutch/seccomp, so
 * the binary works uninstalled and users can read what it applies.
 * Must not: hold a second copy of any policy.
 */
#pragma once

#include <stddef.h>
#include <string.h>

typedef struct {
	const char *name;
	const char *text;
	size_t len;
} SeccompPreset;

extern const SeccompPreset seccomp_presets[];
extern const size_t seccomp_n_presets;

static inline const SeccompPreset *seccomp_preset_find(const char *name)
{
	for (size_t i = 0; i < seccomp_n_presets; i++)
		if (strcmp(seccomp_presets[i].name, name) == 0)
			return &seccomp_presets[i];
	return NULL;
}
