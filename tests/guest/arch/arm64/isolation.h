/* SPDX-License-Identifier: Apache-2.0 */
/* arm64 isolation probes (isolation.c, el0_a32.S) and what arch.c sets up for them. */
#ifndef GUEST_ARM64_ISOLATION_H
#define GUEST_ARM64_ISOLATION_H

#include <stdint.h>

/* Where arch.c aliased the guest image's GiB for EL0, read-only (below 4 GiB, for
 * AArch32); 0 if every GiB there is RAM. */
extern uint64_t el0_alias_base;

/* Every role, at boot: write this domain's marker into DBGBVR0/DBGWVR0. */
void arch_isolation_mark(void);

/*
 * Run A32 code at EL0 (AArch32 User, interrupts masked) from `entry` (an EL0 alias
 * address) until its first exception to EL1; returns ESR_EL1 and, in out[0..2], the
 * process's r0, r1 and the exception's ELR_EL1. el0_a32.S.
 */
uint64_t arch_run_el0_a32(uint64_t entry, uint64_t *out);
extern const uint32_t el0_a32_probe[]; /* MRC PMUSERENR; MRC DBGDSCRint; SVC #0 */

#endif
