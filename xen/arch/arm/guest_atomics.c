/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 guest atomics: the run-time choice between LSE and bounded LL/SC. The hooks
 * themselves are xen/arch/shared/guest_atomics_hooks.c.
 */
#include <asm/guest_atomics.h>

/* LL/SC until arm_guest_atomics_init() has looked at the CPU: always safe, just slower. */
bool arm_guest_atomics_lse;

void arm_guest_atomics_init(void)
{
    /* Every CPU of a system must agree on LSE; the boot CPU's ID register speaks for all. */
    arm_guest_atomics_lse = arm_cpu_has_lse_atomics();
}
