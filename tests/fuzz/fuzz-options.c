/* fuzz-options.c — libFuzzer target for the command-line parser and the
 * validator: argv (and --args data) → Plan → validate → free.
 *
 * Owns: turning fuzzer bytes into an argv and an --args memfd, and the
 * invariants every successfully parsed Plan must satisfy.
 * Must not: read any fd but the memfd it made (an `--args 0` would block
 * on stdin), or leave an fd open across iterations.
 *
 * Input format:
 *
 *   byte 0      mode bits:
 *                 0x01  --args data follows the argv part (see below)
 *                 0x02  caller is root (real uid/gid 0), else 1000/1000
 *                 0x04  user namespaces are available
 *                 0x08  cgroup namespaces are available
 *                 0x10  SELinux is enabled
 *   bytes 1..   the argv words after argv[0] ("hutch"), NUL-separated (a
 *               last word without a NUL still counts). With mode 0x01, the
 *               first 0x01 byte ends the argv part and everything after it
 *               is written to a memfd as --args data.
 *
 * The word "@ARGS@" is replaced by the memfd's number, and so is any word
 * starting with a digit that follows a literal "--args" in argv, so that
 * every --args the parser honours reads the memfd and nothing else (other
 * words after --args are left for the parser to reject). (A second --args reads the
 * memfd at EOF: empty data, as bwrap would see.)
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "caps.h"
#include "options.h"
#include "plan.h"
#include "util/log.h"
#include "validate.h"

#define MODE_ARGS_DATA  0x01
#define MODE_ROOT       0x02
#define MODE_USERNS     0x04
#define MODE_CGROUPNS   0x08
#define MODE_SELINUX    0x10

#define ARGS_PLACEHOLDER "@ARGS@"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static FILE *devnull;

/* Discards every message, but formats nothing more than log.c already
 * did: touching the text lets ASan see a bad %s argument. */
static void discard_sink(LogLevel level, const char *text, void *userdata)
{
	volatile size_t n = strlen(text);

	(void)level;
	(void)userdata;
	(void)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* HUTCH_FUZZ_VERBOSE=1 keeps the messages, to see what a
	 * reproducer does. */
	if (!getenv("HUTCH_FUZZ_VERBOSE"))
		log_set_sink(discard_sink, NULL);
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		abort();
	/* A static buffer: stdio's lazily malloc'd one would look like a
	 * leak to libFuzzer's malloc/free accounting. */
	static char devnull_buf[BUFSIZ];
	setvbuf(devnull, devnull_buf, _IOFBF, sizeof devnull_buf);
	return 0;
}

/* Walks a string the Plan points at, so that ASan reports a dangling or
 * unterminated one here rather than never. */
static void touch(const char *s)
{
	volatile size_t n;

	if (s)
		n = strlen(s);
	(void)n;
}

static bool op_takes_perms(PlanOpKind kind)
{
	return kind == PLAN_OP_TMPFS || kind == PLAN_OP_DIR || kind == PLAN_OP_FILE ||
	       kind == PLAN_OP_BIND_DATA || kind == PLAN_OP_RO_BIND_DATA || kind == PLAN_OP_CHMOD;
}

static bool op_takes_fd(PlanOpKind kind)
{
	return kind == PLAN_OP_FILE || kind == PLAN_OP_BIND_DATA || kind == PLAN_OP_RO_BIND_DATA ||
	       kind == PLAN_OP_BIND_FD || kind == PLAN_OP_RO_BIND_FD;
}

/* What options.h and plan.h promise about a Plan that parsed. */
static void check_plan(const Plan *plan)
{
	size_t pending_srcs = 0;

	assert(plan->n_ops <= plan->cap_ops);
	for (size_t i = 0; i < plan->n_ops; i++) {
		const PlanOp *op = &plan->ops[i];

		assert(op->option && op->option[0] == '-');
		touch(op->option);
		touch(op->source);
		touch(op->dest);
		touch(op->overlay_upper);
		touch(op->overlay_work);
		if (op->kind == PLAN_OP_OVERLAY_SRC) {
			assert(op->source && !op->dest);
			pending_srcs++;
		} else {
			assert(op->dest);
		}
		if (op->kind == PLAN_OP_OVERLAY || op->kind == PLAN_OP_TMP_OVERLAY ||
		    op->kind == PLAN_OP_RO_OVERLAY) {
			/* Each overlay took the --overlay-src just before it. */
			assert(pending_srcs >= (op->kind == PLAN_OP_RO_OVERLAY ? 2u : 1u));
			pending_srcs = 0;
		}
		if (op->kind == PLAN_OP_OVERLAY)
			assert(op->overlay_upper && op->overlay_work);
		if (op->kind == PLAN_OP_SYMLINK ||
		    op->kind == PLAN_OP_BIND || op->kind == PLAN_OP_RO_BIND || op->kind == PLAN_OP_DEV_BIND)
			assert(op->source);
		assert(op->perms == PLAN_PERMS_UNSET || (op->perms >= 0 && op->perms <= 07777));
		if (op->perms != PLAN_PERMS_UNSET)
			assert(op_takes_perms(op->kind));
		if (op->kind == PLAN_OP_CHMOD)
			assert(op->perms != PLAN_PERMS_UNSET);
		if (op->size != 0)
			assert(op->kind == PLAN_OP_TMPFS && op->size <= (uint64_t)(SIZE_MAX >> 1));
		if (op_takes_fd(op->kind))
			assert(op->fd >= 0);
		else
			assert(op->fd == -1);
		if (op->flags & PLAN_OP_ALLOW_MISSING)
			assert(op->kind == PLAN_OP_BIND || op->kind == PLAN_OP_RO_BIND ||
			       op->kind == PLAN_OP_DEV_BIND);
		touch(plan_op_kind_name(op->kind));
	}
	/* Dangling --overlay-src is a parse error. */
	assert(pending_srcs == 0);

	for (size_t i = 0; i < plan->n_env_ops; i++) {
		const PlanEnvOp *e = &plan->env_ops[i];

		switch (e->kind) {
		case PLAN_ENV_SET:
			assert(e->name && e->value);
			break;
		case PLAN_ENV_UNSET:
			assert(e->name && !e->value);
			break;
		case PLAN_ENV_CLEAR:
			assert(!e->name && !e->value);
			break;
		default:
			abort();
		}
		touch(e->name);
		touch(e->value);
	}

	for (size_t i = 0; i < plan->n_cap_ops; i++)
		assert(plan->cap_ops_list[i].all || plan->cap_ops_list[i].cap >= 0);

	{
		size_t n_fd = 0, n_add = 0;

		for (size_t i = 0; i < plan->n_seccomp; i++) {
			const PlanSeccomp *sc = &plan->seccomp[i];

			/* The fd kinds carry an fd; --seccomp-policy and
			 * --seccomp-preset a file or preset name instead. */
			if (sc->kind == PLAN_SECCOMP_FD || sc->kind == PLAN_SECCOMP_ADD_FD) {
				assert(sc->fd >= 0);
			} else {
				assert(sc->fd == -1);
				assert(sc->source);
				touch(sc->source);
			}
			if (sc->kind == PLAN_SECCOMP_FD)
				n_fd++;
			else if (sc->kind == PLAN_SECCOMP_ADD_FD)
				n_add++;
		}
		assert(n_fd <= 1 && !(n_fd && n_add));
	}

	for (size_t i = 0; i < plan->n_consumed_fds; i++)
		assert(plan->consumed_fds[i] >= 0);

	touch(plan->hostname);
	touch(plan->chdir_path);
	touch(plan->argv0);
	for (size_t i = 0; i < plan->n_lock_files; i++)
		touch(plan->lock_files[i]);
	touch(plan->exec_label);
	touch(plan->file_label);

	assert(plan->command);
	assert(plan->command[plan->n_command] == NULL);
	for (size_t i = 0; i < plan->n_command; i++) {
		assert(plan->command[i]);
		touch(plan->command[i]);
	}
}

/* caps_compute_kept() (pure) on the parsed --cap-add/--cap-drop list,
 * for a kernel that knows caps 0..40 and for one that knows all 64. */
static void check_caps(const Plan *plan)
{
	static const int last_caps[] = { 40, 63 };

	for (size_t i = 0; i < sizeof last_caps / sizeof last_caps[0]; i++) {
		int last = last_caps[i];
		uint64_t all = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
		uint64_t kept = caps_compute_kept(plan, last);

		assert((kept & ~all) == 0);
		if (plan->n_cap_ops > 0 && plan->cap_ops_list[plan->n_cap_ops - 1].all)
			assert(kept == (plan->cap_ops_list[plan->n_cap_ops - 1].add ? all : 0));
		/* No --cap-add/--cap-drop: the starting set, which is every
		 * capability for uid 0 with maps of many ids (a container-like
		 * root), else none. */
		if (plan->n_cap_ops == 0)
			assert(kept == (plan_has_id_maps(plan) && plan->sandbox_uid == 0 ? all : 0));
	}
}

/* Splits [p, end) at NULs into individually malloc'd words (so that ASan
 * catches a read past one word into the next) after argv[0]; *argv has
 * room for them all and a NULL. */
static int split_words(const uint8_t *p, const uint8_t *end, char ***argv, size_t *argc)
{
	size_t n = 1;
	char **v;

	for (const uint8_t *q = p; q < end; q++)
		n += *q == '\0';
	v = calloc(n + 2, sizeof *v);
	if (!v)
		return -ENOMEM;
	v[0] = strdup("hutch");
	if (!v[0]) {
		free(v);
		return -ENOMEM;
	}
	*argv = v;
	*argc = 1;
	while (p < end) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
		char *w = malloc(len + 1);

		if (!w)
			return -ENOMEM;
		memcpy(w, p, len);
		w[len] = '\0';
		v[(*argc)++] = w;
		p += len + 1;
	}
	v[*argc] = NULL;
	return 0;
}

/* Whether the parser could take word as an fd number: anything that
 * starts with a digit, to be safe (a word that cannot parse is left for
 * the parser to reject). */
static bool names_an_fd(const char *word)
{
	return word[0] >= '0' && word[0] <= '9';
}

static void replace_word(char **slot, const char *with)
{
	char *w = strdup(with);

	if (!w)
		abort();
	free(*slot);
	*slot = w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *argv_end, *args_data = NULL;
	size_t args_len = 0;
	char **argv = NULL;
	size_t argc = 0;
	char fd_word[16];
	int memfd = -1;
	uint8_t mode;
	Plan plan;
	int r;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;

	argv_end = data + size;
	if (mode & MODE_ARGS_DATA) {
		const uint8_t *sep = memchr(data, 0x01, size);

		if (sep) {
			argv_end = sep;
			args_data = sep + 1;
			args_len = (size_t)(data + size - args_data);
		}
		memfd = memfd_create("hutch-fuzz-args", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		if (args_len > 0 && write(memfd, args_data, args_len) != (ssize_t)args_len)
			abort();
		if (lseek(memfd, 0, SEEK_SET) != 0)
			abort();
		snprintf(fd_word, sizeof fd_word, "%d", memfd);
	} else {
		/* No memfd: --args gets an fd that is certainly closed. */
		snprintf(fd_word, sizeof fd_word, "%d", 999999);
	}

	if (split_words(data, argv_end, &argv, &argc) < 0)
		abort();
	for (size_t i = 1; i < argc; i++) {
		if (strcmp(argv[i], ARGS_PLACEHOLDER) == 0)
			replace_word(&argv[i], fd_word);
		else if (strcmp(argv[i], "--args") == 0 && i + 1 < argc && names_an_fd(argv[i + 1]))
			replace_word(&argv[++i], fd_word);
	}

	/* --level-prefix flips a global; start each input from the default. */
	log_set_level_prefix(false);

	plan_init(&plan);
	r = options_parse(&plan, (int)argc, argv);
	if (getenv("HUTCH_FUZZ_VERBOSE"))
		fprintf(stderr, "options_parse: %d\n", r);
	if (r >= 0) {
		if (plan.seccomp_export) {
			/* --seccomp-export stops parsing like --help: there is
			 * no command to check, only the file name (read it all,
			 * so ASan sees a bad pointer). */
			touch(plan.seccomp_export);
		} else if (plan.show_help || plan.show_version) {
			options_print_help(devnull, argv[0]);
			options_print_version(devnull, argv[0]);
			options_print_version(devnull, "bwrap");
		} else {
			ValidateFacts facts = {
				.real_uid = (mode & MODE_ROOT) ? 0 : 1000,
				.real_gid = (mode & MODE_ROOT) ? 0 : 1000,
				.userns_available = mode & MODE_USERNS,
				.cgroupns_available = mode & MODE_CGROUPNS,
				.selinux_enabled = mode & MODE_SELINUX,
			};

			check_plan(&plan);
			check_caps(&plan);
			r = validate_plan(&plan, &facts);
			if (getenv("HUTCH_FUZZ_VERBOSE"))
				fprintf(stderr, "validate_plan: %d (%zu ops, %zu command words)\n", r,
					plan.n_ops, plan.n_command);
			assert(r == 0 || r == VALIDATE_USAGE || r < 0);
			if (r == VALIDATE_USAGE)
				assert(plan.n_command == 0);
			if (r == 0) {
				/* Without privileges a user namespace is implied,
				 * unless one is joined with --userns. */
				if (!(mode & MODE_ROOT) && plan.userns_fd < 0)
					assert(plan.unshare_user);
				check_plan(&plan);
			}
		}
	} else {
		/* Failure is -errno. */
		assert(r >= -4095);
	}
	plan_free(&plan);

	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	if (memfd >= 0)
		close(memfd);
	log_set_level_prefix(false);
	return 0;
}
