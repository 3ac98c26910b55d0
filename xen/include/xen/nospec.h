/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Speculation-safe index clamping. After a bounds check, a mispredicted branch may still
 * index memory with an out-of-range guest value; masking the index without a branch
 * closes that window (Spectre v1), as Xen's array_index_nospec() does.
 */
#ifndef MINIXEN_NOSPEC_H
#define MINIXEN_NOSPEC_H

#include <xen/types.h>

static inline uint32_t array_index_nospec(uint32_t index, uint32_t size)
{
    uint32_t mask;

    /*
     * Hide the index first: after the caller's own bounds check the compiler knows
     * index < size and would fold the mask to ~0 (seen in hypercall_dispatch on arm64).
     * An index it cannot see through is enough; size stays a constant it can compare with.
     */
    __asm__ volatile("" : "+r"(index));
    mask = 0u - (uint32_t)(index < size);
    /* Hide the mask's origin so the compiler cannot turn it back into a branch. */
    __asm__ volatile("" : "+r"(mask));
    return index & mask;
}

#endif
