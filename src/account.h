/* account.h — the caller's account: name and primary group for a uid.
 *
 * Owns: finding the password-database entry of a uid without linking
 * glibc's NSS into hutch (a static hutch could not load NSS modules
 * reliably): /etc/passwd first, then `getent passwd UID`, which asks
 * every source nsswitch.conf names (LDAP, sssd, systemd-homed) in a
 * process of its own.
 * Must not: log (callers say which option needed the account).
 */
#pragma once

#include <stdint.h>

typedef struct {
	char name[256];
	uint32_t gid;
} Account;

/* 0 and *out filled; -ENOENT when no entry has UID; other -errno when the
 * database could not be read. */
int account_by_uid(uint32_t uid, Account *out);

/* The same over TEXT in passwd(5) format (exposed for the unit test). */
int account_find_in_text(const char *text, uint32_t uid, Account *out);
