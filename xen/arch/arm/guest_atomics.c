/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arm64 port's guest atomics hooks (<xen/arch_hooks.h>): thin wrappers around the
 * primitives of <asm/guest_atomics.h>, which choose LSE or bounded LL/SC at run time.
 */
#include <asm/guest_atomics.h>

/* LL/SC until arm_guest_atomics_init() has looked at the CPU: always safe, just slower. */
bool arm_guest_atomics_lse;

void arm_guest_atomics_init(void)
{
    /* Every CPU of a system must agree on LSE; the boot CPU's ID register speaks for all. */
    arm_guest_atomics_lse = arm_cpu_has_lse_atomics();
}

guest_atomic_t arch_guest_cmpxchg32(uint32_t *word, uint32_t expected, uint32_t desired,
                                    uint32_t *seen)
{
    return raw_guest_cmpxchg32(word, expected, desired, seen);
}

guest_atomic_t arch_guest_cmpxchg64(uint64_t *word, uint64_t expected, uint64_t desired,
                                    uint64_t *seen)
{
    return raw_guest_cmpxchg64(word, expected, desired, seen);
}

guest_atomic_t arch_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    return raw_guest_xchg32(word, value, old);
}

guest_atomic_t arch_guest_test_and_set_bit32(uint32_t *word, unsigned int bit, bool *was_set)
{
    return raw_guest_test_and_set_bit32(word, bit, was_set);
}

guest_atomic_t arch_guest_test_and_clear_bit32(uint32_t *word, unsigned int bit, bool *was_set)
{
    return raw_guest_test_and_clear_bit32(word, bit, was_set);
}
