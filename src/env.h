/* env.h — the payload's environment.
 *
 * Owns: applying --setenv/--unsetenv/--clearenv in command-line order to
 * the (child's copy of the) process environment.
 * Must not: decide PWD (child.c sets it after choosing the cwd).
 */
#pragma once

#include "plan.h"

int env_apply(const Plan *plan);
