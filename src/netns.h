/* netns.h — the network inside --unshare-net.
 *
 * Owns: bringing the new namespace's loopback up (the kernel gives it
 * 127.0.0.1 and ::1 when it goes up).
 * Must not: configure anything beyond lo.
 */
#pragma once

int netns_loopback_up(void);
