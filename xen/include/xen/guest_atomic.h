/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bit operations on guest-shared bitmaps and words, with one policy for a guest that
 * starves our atomics (XSA-295, xen/common/guest_atomic.c): as Xen, pause the domain and
 * finish the operation, then unpause; if the word still does not yield within a bound,
 * report it once, count it, and behave as if the guest had won the race (the misbehaving
 * guest loses that event; nobody else is affected, nothing spins without end).
 *
 * Bitmaps are arrays of little-endian words; bit n lives in byte n/8 whatever the guest's
 * word width (32-bit x86_32 xen_ulong_t, 64-bit elsewhere), so 32-bit operations on the
 * aligned 32-bit word that holds the bit serve every guest layout. Guests using 64-bit
 * atomics on the same memory are fine on both arm64 and x86_64.
 */
#ifndef MINIXEN_GUEST_ATOMIC_H
#define MINIXEN_GUEST_ATOMIC_H

#include <xen/arch_hooks.h>

struct domain;

/* Bounded attempts made with the domain paused before an operation is given up. */
#define GUEST_ATOMIC_PAUSED_ROUNDS 1000

/* Called when an operation on d's memory was given up for good: counts it, says so once. */
void guest_atomic_starved(struct domain *d);

/*
 * The arch primitive gave up on d's memory: try again with d paused (bounded). DONE, or
 * GAVE_UP after guest_atomic_starved(d). d is unpaused again before they return.
 */
guest_atomic_t guest_cmpxchg32_paused(struct domain *d, uint32_t *word, uint32_t expected,
                                      uint32_t desired, uint32_t *seen);
guest_atomic_t guest_test_and_set_bit32_paused(struct domain *d, uint32_t *word, unsigned int bit,
                                               bool *was_set);
guest_atomic_t guest_test_and_clear_bit32_paused(struct domain *d, uint32_t *word, unsigned int bit,
                                                 bool *was_set);

static inline uint32_t *guest_bit_word(void *bitmap, unsigned int nr)
{
    return (uint32_t *)bitmap + nr / 32;
}

/*
 * The retry with the domain paused reports into a variable of its own: the usual path's
 * result then stays in a register instead of behind an address an out-of-line call takes.
 */

/* Returns the bit's previous value; true if the primitive gave up (nothing to do next). */
static inline bool guest_test_and_set_bit(struct domain *d, unsigned int nr, void *bitmap)
{
    uint32_t *word = guest_bit_word(bitmap, nr);
    bool was, was_paused;

    if (arch_guest_test_and_set_bit32(word, nr % 32, &was) != GUEST_ATOMIC_GAVE_UP)
        return was;
    if (guest_test_and_set_bit32_paused(d, word, nr % 32, &was_paused) == GUEST_ATOMIC_GAVE_UP)
        return true;
    return was_paused;
}

/* Returns the bit's previous value; false if the primitive gave up (nothing cleared). */
static inline bool guest_test_and_clear_bit(struct domain *d, unsigned int nr, void *bitmap)
{
    uint32_t *word = guest_bit_word(bitmap, nr);
    bool was, was_paused;

    if (arch_guest_test_and_clear_bit32(word, nr % 32, &was) != GUEST_ATOMIC_GAVE_UP)
        return was;
    if (guest_test_and_clear_bit32_paused(d, word, nr % 32, &was_paused) == GUEST_ATOMIC_GAVE_UP)
        return false;
    return was_paused;
}

static inline void guest_set_bit(struct domain *d, unsigned int nr, void *bitmap)
{
    (void)guest_test_and_set_bit(d, nr, bitmap);
}

static inline void guest_clear_bit(struct domain *d, unsigned int nr, void *bitmap)
{
    (void)guest_test_and_clear_bit(d, nr, bitmap);
}

static inline bool guest_test_bit(unsigned int nr, const void *bitmap)
{
    const uint32_t *w = (const uint32_t *)bitmap + nr / 32;

    return (__atomic_load_n(w, __ATOMIC_RELAXED) >> (nr % 32)) & 1;
}

static inline uint32_t guest_read32(const uint32_t *w)
{
    return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void guest_write32(uint32_t *w, uint32_t v)
{
    __atomic_store_n(w, v, __ATOMIC_RELAXED);
}

#endif
