/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest side's atomics on an emulated domain's shared words: the port's own primitives
 * (x86 `lock`, arm64 LSE or LL/SC), as a guest kernel of that arch would use. On arm64 an
 * LL/SC primitive may give up when another process keeps the word busy; the guest is not
 * the hypervisor and need not bound its wait, so it falls back to a compiler atomic.
 */
#ifndef MINIXEN_EVTCHN_EMU_GUEST_ATOMICS_H
#define MINIXEN_EVTCHN_EMU_GUEST_ATOMICS_H

#include <stdbool.h>
#include <stdint.h>

#include <asm/guest_atomics.h>

static inline bool emu_g_set_bit(uint32_t *word, unsigned int bit)
{
    bool was;

    if (raw_guest_test_and_set_bit32(word, bit, &was) == GUEST_ATOMIC_DONE)
        return was;
    return (__atomic_fetch_or(word, 1u << bit, __ATOMIC_SEQ_CST) >> bit) & 1;
}

static inline bool emu_g_clear_bit(uint32_t *word, unsigned int bit)
{
    bool was;

    if (raw_guest_test_and_clear_bit32(word, bit, &was) == GUEST_ATOMIC_DONE)
        return was;
    return (__atomic_fetch_and(word, ~(1u << bit), __ATOMIC_SEQ_CST) >> bit) & 1;
}

static inline uint32_t emu_g_xchg32(uint32_t *word, uint32_t value)
{
    uint32_t old;

    if (raw_guest_xchg32(word, value, &old) == GUEST_ATOMIC_DONE)
        return old;
    return __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
}

/* Compare-and-swap: true if *word was expected (now desired); *seen: what was there. */
static inline bool emu_g_cmpxchg32(uint32_t *word, uint32_t expected, uint32_t desired,
                                   uint32_t *seen)
{
    if (raw_guest_cmpxchg32(word, expected, desired, seen) == GUEST_ATOMIC_DONE)
        return *seen == expected;
    *seen = expected;
    return __atomic_compare_exchange_n(word, seen, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

static inline uint64_t emu_g_xchg64(uint64_t *word, uint64_t value)
{
    uint64_t seen = __atomic_load_n(word, __ATOMIC_RELAXED);

    for (unsigned int i = 0; i < 64; i++) {
        uint64_t expected = seen;

        if (raw_guest_cmpxchg64(word, expected, value, &seen) == GUEST_ATOMIC_DONE &&
            seen == expected)
            return expected;
    }
    return __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
}

#endif /* MINIXEN_EVTCHN_EMU_GUEST_ATOMICS_H */
