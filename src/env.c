/* env.c — see env.h. */
#include "env.h"

#include <errno.h>
#include <stdlib.h>

#include "util/log.h"

int env_apply(const Plan *plan)
{
	for (size_t i = 0; i < plan->n_env_ops; i++) {
		const PlanEnvOp *op = &plan->env_ops[i];

		switch (op->kind) {
		case PLAN_ENV_CLEAR:
			if (clearenv() != 0)
				return log_error("Can't clear the environment");
			break;
		case PLAN_ENV_SET:
			if (setenv(op->name, op->value, 1) < 0)
				return log_error_errno(errno, "Can't set environment variable %s", op->name);
			break;
		case PLAN_ENV_UNSET:
			if (unsetenv(op->name) < 0)
				return log_error_errno(errno, "Can't unset environment variable %s", op->name);
			break;
		default:
			return log_error("Unknown environment operation");
		}
	}
	return 0;
}
