/* help.c — --help and --version, generated from the option table.
 *
 * Owns: the text layout of the help screen and the version line.
 * Must not: list options by hand; everything comes from option_table.
 */
#include <string.h>

#include "config.h"
#include "options.h"

const char *option_group_title(OptionGroup group)
{
	switch (group) {
	case OPTION_GROUP_GENERAL: return "General";
	case OPTION_GROUP_NAMESPACES: return "Namespaces";
	case OPTION_GROUP_IDENTITY: return "Identity";
	case OPTION_GROUP_ENVIRONMENT: return "Environment and working directory";
	case OPTION_GROUP_FILESYSTEM: return "Filesystem (run in command-line order)";
	case OPTION_GROUP_SECURITY: return "Security";
	case OPTION_GROUP_STATUS: return "Synchronisation and status";
	case OPTION_GROUP_PROCESS: return "Process";
	case OPTION_GROUP_COUNT:
	default: return "Other";
	}
}

void options_print_help(FILE *out, const char *program_name)
{
	fprintf(out, "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n", program_name);
	fprintf(out, "\nRun COMMAND in a new sandbox built from the options, which are compatible\n"
		     "with bubblewrap %s.\n", HUTCH_BWRAP_COMPAT_VERSION);
	for (int g = 0; g < OPTION_GROUP_COUNT; g++) {
		fprintf(out, "\n%s:\n", option_group_title((OptionGroup)g));
		for (size_t i = 0; i < option_table_size; i++) {
			const OptionSpec *o = &option_table[i];
			char left[64];

			if (o->group != (OptionGroup)g)
				continue;
			snprintf(left, sizeof left, "%s%s%s", o->name, o->arg_names ? " " : "",
				 o->arg_names ? o->arg_names : "");
			if (strlen(left) > 28)
				fprintf(out, "    %s\n    %-28s %s\n", left, "", o->help);
			else
				fprintf(out, "    %-28s %s\n", left, o->help);
		}
	}
	fprintf(out, "\nExit status: COMMAND's status, 128+N if it was killed by signal N,\n"
		     "1 if the sandbox could not be set up, 124 after --timeout.\n");
}

void options_print_version(FILE *out, const char *program_name)
{
	/* Clients that run `bwrap --version` parse "bubblewrap X.Y.Z"; when
	 * hutch runs under that name it says which bwrap interface it
	 * implements in that form, and names itself too. */
	if (strcmp(program_name, "bwrap") == 0)
		fprintf(out, "bubblewrap %s (hutch %s)\n", HUTCH_BWRAP_COMPAT_VERSION, HUTCH_VERSION);
	else
		fprintf(out, "hutch %s\n", HUTCH_VERSION);
}
