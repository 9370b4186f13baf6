/* seccomp-compile.h — seccomp policies and presets, compiled with libseccomp.
 *
 * Owns: reading policy files and presets (the loader the parser calls
 * for `include`), turning a parsed SeccompPolicy into ONE classic BPF
 * program that covers the native and compat architectures (on x86_64:
 * x86_64, x86 and x32, so a 32-bit call cannot bypass a rule), and
 * --seccomp-export.
 * Must not: install anything (seccomp-fd.c does, last before exec), or
 * run after clone: everything is compiled in the parent.
 *
 * First match wins: libseccomp merges rules of one syscall without
 * regard to their order, so each run of consecutive rules that share an
 * action becomes its own libseccomp filter whose default is a private
 * "no match" value; the filters are then chained into one program, each
 * "no match" return turned into a jump to the next filter, and the
 * policy's default returned at the end. A rule with `argN != V`
 * conditions gets a filter of exceptions just before its own, whose
 * "skip" return (argN == V) jumps over it.
 */
#pragma once

#include <stdbool.h>

#include "seccomp-fd.h"
#include "seccomp-policy.h"

/* Compiles policy into *out (filter malloc'd). Logs. */
int seccomp_compile_policy(const SeccompPolicy *policy, SeccompProgram *out);

/* Reads, parses and compiles a policy file (is_preset false) or the
 * preset NAME. Logs. */
int seccomp_compile_source(const char *source, bool is_preset, SeccompProgram *out);

/* --seccomp-export SPEC: SPEC is "preset:NAME" or a file name; writes
 * the program to fd. Logs. */
int seccomp_compile_export(const char *spec, int fd);

/* The parser's loader for files and presets (userdata unused). */
int seccomp_compile_loader(void *userdata, const char *from_file, const char *target, bool is_preset,
			   char **name, char **text, size_t *len, char **why);
