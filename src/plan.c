/* plan.c — construction and destruction of a Plan; see plan.h. */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

void plan_init(Plan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->userns_fd = -1;
	plan->userns2_fd = -1;
	plan->pidns_fd = -1;
	plan->info_fd = -1;
	plan->json_status_fd = -1;
	plan->sync_fd = -1;
	plan->block_fd = -1;
	plan->userns_block_fd = -1;
}

void plan_free(Plan *plan)
{
	for (size_t i = 0; i < plan->n_owned_buffers; i++)
		free(plan->owned_buffers[i]);
	free(plan->owned_buffers);
	free(plan->ops);
	free(plan->env_ops);
	free(plan->cap_ops_list);
	free(plan->seccomp);
	free(plan->consumed_fds);
	free(plan->lock_files);
	free(plan->map_uid_lines);
	free(plan->map_gid_lines);
	free(plan->command);
	memset(plan, 0, sizeof *plan);
}

/* Grows *items (of *n used, *cap allocated) by one zeroed element. */
static void *grow(void **items, size_t *n, size_t *cap, size_t size)
{
	char *base;

	if (array_reserve(items, cap, *n + 1, size) < 0)
		return NULL;
	base = *items;
	memset(base + *n * size, 0, size);
	return base + (*n)++ * size;
}

PlanOp *plan_add_op(Plan *plan, PlanOpKind kind, const char *option)
{
	PlanOp *op = grow((void **)&plan->ops, &plan->n_ops, &plan->cap_ops, sizeof *op);

	if (!op)
		return NULL;
	op->kind = kind;
	op->option = option;
	op->fd = -1;
	op->perms = PLAN_PERMS_UNSET;
	return op;
}

PlanEnvOp *plan_add_env_op(Plan *plan, PlanEnvKind kind)
{
	PlanEnvOp *op = grow((void **)&plan->env_ops, &plan->n_env_ops, &plan->cap_env_ops, sizeof *op);

	if (op)
		op->kind = kind;
	return op;
}

PlanCapOp *plan_add_cap_op(Plan *plan)
{
	return grow((void **)&plan->cap_ops_list, &plan->n_cap_ops, &plan->cap_cap_ops, sizeof(PlanCapOp));
}

PlanSeccomp *plan_add_seccomp(Plan *plan, PlanSeccompKind kind, int fd)
{
	PlanSeccomp *s = grow((void **)&plan->seccomp, &plan->n_seccomp, &plan->cap_seccomp, sizeof *s);

	if (s) {
		s->kind = kind;
		s->fd = fd;
	}
	return s;
}

int plan_add_consumed_fd(Plan *plan, int fd)
{
	int *slot = grow((void **)&plan->consumed_fds, &plan->n_consumed_fds, &plan->cap_consumed_fds, sizeof *slot);

	if (!slot)
		return -ENOMEM;
	*slot = fd;
	return 0;
}

IdMapLine *plan_add_map_line(Plan *plan, bool gid)
{
	if (gid)
		return grow((void **)&plan->map_gid_lines, &plan->n_map_gid_lines, &plan->cap_map_gid_lines,
			    sizeof(IdMapLine));
	return grow((void **)&plan->map_uid_lines, &plan->n_map_uid_lines, &plan->cap_map_uid_lines,
		    sizeof(IdMapLine));
}

int plan_add_lock_file(Plan *plan, const char *path)
{
	const char **slot = grow((void **)&plan->lock_files, &plan->n_lock_files, &plan->cap_lock_files,
				 sizeof *slot);

	if (!slot)
		return -ENOMEM;
	*slot = path;
	return 0;
}

int plan_own_buffer(Plan *plan, char *buf)
{
	char **slot = grow((void **)&plan->owned_buffers, &plan->n_owned_buffers, &plan->cap_owned_buffers,
			   sizeof *slot);

	if (!slot)
		return -ENOMEM;
	*slot = buf;
	return 0;
}

const char *plan_op_kind_name(PlanOpKind kind)
{
	switch (kind) {
	case PLAN_OP_BIND: return "bind";
	case PLAN_OP_RO_BIND: return "ro-bind";
	case PLAN_OP_DEV_BIND: return "dev-bind";
	case PLAN_OP_BIND_FD: return "bind-fd";
	case PLAN_OP_RO_BIND_FD: return "ro-bind-fd";
	case PLAN_OP_REMOUNT_RO: return "remount-ro";
	case PLAN_OP_OVERLAY_SRC: return "overlay-src";
	case PLAN_OP_OVERLAY: return "overlay";
	case PLAN_OP_TMP_OVERLAY: return "tmp-overlay";
	case PLAN_OP_RO_OVERLAY: return "ro-overlay";
	case PLAN_OP_PROC: return "proc";
	case PLAN_OP_DEV: return "dev";
	case PLAN_OP_TMPFS: return "tmpfs";
	case PLAN_OP_MQUEUE: return "mqueue";
	case PLAN_OP_DIR: return "dir";
	case PLAN_OP_FILE: return "file";
	case PLAN_OP_BIND_DATA: return "bind-data";
	case PLAN_OP_RO_BIND_DATA: return "ro-bind-data";
	case PLAN_OP_SYMLINK: return "symlink";
	case PLAN_OP_CHMOD: return "chmod";
	default: return "unknown";
	}
}
