/* SPDX-License-Identifier: Apache-2.0 */
/* What the bring-up guest's files share (guest.c: hypercalls and TAP; isolation.c). */
#ifndef PVH_GUEST_H
#define PVH_GUEST_H

#include <stdbool.h>
#include <stdint.h>

struct hvm_start_info;

long hcall(unsigned int nr, unsigned long a0, unsigned long a1, unsigned long a2);
void ok(bool cond, const char *what);
void skip(const char *what);
void put_num(const char *pre, unsigned long v, const char *post);
void puts_(const char *s);
/* Has an event arrived on port (the upcall handler records them)? */
bool port_seen(unsigned int port);

/* isolation.c: the probes of issue #11. */
void iso_fresh_state(void);                               /* first thing: a new vCPU's registers */
void iso_registers(unsigned int seed, unsigned int port); /* kept across yields/blocks */
void iso_cache_flush(void);
void iso_xsetbv(void);
bool iso_not_faults(volatile uint32_t *p); /* NOT on p: true if it faulted with #GP */
void iso_ymm(unsigned int seed);           /* after iso_xsetbv */
void iso_reset_preempts(void);             /* closes every port of the domain */
void iso_periodic_timer(void);             /* x2APIC already enabled */
void iso_physmap_bound(const struct hvm_start_info *si);
void iso_physmap_exhaust(const struct hvm_start_info *si, unsigned int port);
void iso_physmap_victim(const struct hvm_start_info *si, unsigned int port);

#endif
