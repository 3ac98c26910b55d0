/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest-atomics hooks of <xen/arch_hooks.h>, shared by every port.
 *
 * Each port provides the primitives as raw_guest_*() in its own <asm/guest_atomics.h>
 * (arm64: LSE or bounded LL/SC, chosen at run time; x86_64: `lock` instructions); this one
 * file turns them into the out-of-line hooks that common code calls. A port's arch.mk
 * compiles it with that port's include path, so there is one copy of these wrappers, not
 * one per port.
 */
#include <asm/guest_atomics.h>

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
