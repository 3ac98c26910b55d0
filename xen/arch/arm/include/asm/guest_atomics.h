/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 atomics on guest-writable words.
 *
 * Two implementations of every primitive:
 *
 *  - LL/SC (ldaxr/stlxr). The guest can write the same cache line from another CPU at any
 *    time, which clears our exclusive monitor; a guest doing that in a tight loop could
 *    keep a plain LL/SC loop spinning forever (XSA-295). So each primitive gives up after
 *    GUEST_ATOMIC_LLSC_MAX_FAILS failed store-exclusives and reports
 *    GUEST_ATOMIC_GAVE_UP, having written nothing.
 *  - LSE (casal, swpal, ldsetal, ldclral). A single far atomic always completes, so the
 *    guest cannot starve it and these never give up.
 *
 * raw_guest_*() pick one at run time from arm_guest_atomics_lse, which the port sets
 * once at boot from ID_AA64ISAR0_EL1.Atomic (the host test harness sets it from
 * getauxval(AT_HWCAP) & HWCAP_ATOMICS, and can force LL/SC to test that path).
 *
 * Every primitive is fully ordered, like Xen's guest atomics: the event protocols are
 * Dekker-style (we set PENDING then read MASKED; the guest clears MASKED then reads
 * PENDING), which needs store->load ordering on both sides. A store-release alone does not
 * order a later load, hence the trailing `dmb ish` on the LL/SC path (LSE `al` forms are
 * already fully ordered).
 *
 * The LSE instructions are assembled with `.arch_extension lse` inside the asm string so
 * this header builds with the plain armv8-a flags of the hypervisor and of the host tests.
 * Words must be naturally aligned (an unaligned exclusive faults).
 */
#ifndef MINIXEN_ARM_ASM_GUEST_ATOMICS_H
#define MINIXEN_ARM_ASM_GUEST_ATOMICS_H

#include <xen/arch_hooks.h>

/*
 * Failed store-exclusives tolerated per primitive. An uncontended attempt succeeds at
 * once; an honest guest racing on the same word makes us retry a handful of times. 1024
 * failures take a few microseconds at most: long enough that only a guest hammering the
 * line on purpose reaches it, short enough that the CPU is not held hostage.
 */
#define GUEST_ATOMIC_LLSC_MAX_FAILS 1024

/* true: use the LSE forms. Set once at boot, before any guest runs; read-only after. */
extern bool arm_guest_atomics_lse;

/* ---- LL/SC ---------------------------------------------------------------------------- */
/*
 * The bounded retry loop is inside each asm, not around it: `tries` counts down the
 * store-exclusives that may still fail. On the way out `fail` is 0 when the operation is
 * done (stored, or nothing to store) and not 0 when it gave up having written nothing.
 * A compare that does not match, or a bit that already has its value, is the atomic
 * outcome of the load-exclusive alone: the monitor is dropped (clrex), nothing is stored.
 */

/* Compare-and-exchange on a word of width W ("w": 32 bits, "x": 64). */
#define LLSC_CMPXCHG(W)                                                                            \
    __asm__ __volatile__(                                                                          \
        "1: ldaxr   %" W "[old], %[mem]\n"                                                         \
        "   cmp     %" W "[old], %" W "[exp]\n"                                                    \
        "   b.ne    3f\n"                                                                          \
        "   stlxr   %w[fail], %" W "[des], %[mem]\n"                                               \
        "   cbz     %w[fail], 2f\n"                                                                \
        "   subs    %w[tries], %w[tries], #1\n"                                                    \
        "   b.ne    1b\n"                                                                          \
        "   b       4f\n"                                                                          \
        "2: dmb     ish\n"                                                                         \
        "   b       4f\n"                                                                          \
        "3: clrex\n"                                                                               \
        "   mov     %w[fail], #0\n"                                                                \
        "4:\n"                                                                                     \
        : [old] "=&r"(old), [fail] "=&r"(fail), [tries] "+r"(tries), [mem] "+Q"(*word)             \
        : [exp] "r"(expected), [des] "r"(desired)                                                  \
        : "cc", "memory")

static inline guest_atomic_t llsc_guest_cmpxchg32(uint32_t *word, uint32_t expected,
                                                  uint32_t desired, uint32_t *seen)
{
    uint32_t old, fail, tries = GUEST_ATOMIC_LLSC_MAX_FAILS;

    LLSC_CMPXCHG("w");
    *seen = old;
    return fail == 0 ? GUEST_ATOMIC_DONE : GUEST_ATOMIC_GAVE_UP;
}

static inline guest_atomic_t llsc_guest_cmpxchg64(uint64_t *word, uint64_t expected,
                                                  uint64_t desired, uint64_t *seen)
{
    uint64_t old;
    uint32_t fail, tries = GUEST_ATOMIC_LLSC_MAX_FAILS;

    LLSC_CMPXCHG("x");
    *seen = old;
    return fail == 0 ? GUEST_ATOMIC_DONE : GUEST_ATOMIC_GAVE_UP;
}

static inline guest_atomic_t llsc_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    uint32_t prev, fail, tries = GUEST_ATOMIC_LLSC_MAX_FAILS;

    __asm__ __volatile__(
        "1: ldaxr   %w[prev], %[mem]\n"
        "   stlxr   %w[fail], %w[val], %[mem]\n"
        "   cbz     %w[fail], 2f\n"
        "   subs    %w[tries], %w[tries], #1\n"
        "   b.ne    1b\n"
        "   b       3f\n"
        "2: dmb     ish\n"
        "3:\n"
        : [prev] "=&r"(prev), [fail] "=&r"(fail), [tries] "+r"(tries), [mem] "+Q"(*word)
        : [val] "r"(value)
        : "cc", "memory");
    *old = prev;
    return fail == 0 ? GUEST_ATOMIC_DONE : GUEST_ATOMIC_GAVE_UP;
}

/*
 * Set (OP "orr") or clear (OP "bic") one bit. When the bit already has the wanted value
 * there is nothing to store, which also means a guest cannot starve an operation that
 * would not change the word. Ordered like the others (the trailing dmb on both ways out).
 */
#define LLSC_UPDATE_BIT(OP)                                                                        \
    __asm__ __volatile__("1: ldaxr   %w[prev], %[mem]\n"                                           \
                         "   " OP "     %w[next], %w[prev], %w[mask]\n"                            \
                         "   cmp     %w[next], %w[prev]\n"                                         \
                         "   b.eq    3f\n"                                                         \
                         "   stlxr   %w[fail], %w[next], %[mem]\n"                                 \
                         "   cbz     %w[fail], 2f\n"                                               \
                         "   subs    %w[tries], %w[tries], #1\n"                                   \
                         "   b.ne    1b\n"                                                         \
                         "   b       4f\n"                                                         \
                         "3: clrex\n"                                                              \
                         "   mov     %w[fail], #0\n"                                               \
                         "2: dmb     ish\n"                                                        \
                         "4:\n"                                                                    \
                         : [prev] "=&r"(prev), [next] "=&r"(next), [fail] "=&r"(fail),             \
                           [tries] "+r"(tries), [mem] "+Q"(*word)                                  \
                         : [mask] "r"(mask)                                                        \
                         : "cc", "memory")

static inline guest_atomic_t llsc_guest_update_bit32(uint32_t *word, unsigned int bit, bool set,
                                                     bool *was_set)
{
    const uint32_t mask = 1u << (bit & 31);
    uint32_t prev, next, fail, tries = GUEST_ATOMIC_LLSC_MAX_FAILS;

    if (set)
        LLSC_UPDATE_BIT("orr");
    else
        LLSC_UPDATE_BIT("bic");
    *was_set = prev & mask;
    return fail == 0 ? GUEST_ATOMIC_DONE : GUEST_ATOMIC_GAVE_UP;
}

/* ---- LSE ------------------------------------------------------------------------------ */

static inline guest_atomic_t lse_guest_cmpxchg32(uint32_t *word, uint32_t expected,
                                                 uint32_t desired, uint32_t *seen)
{
    uint32_t old = expected;

    __asm__ __volatile__(".arch_extension lse\n"
                         "casal   %w[old], %w[des], %[mem]\n"
                         : [old] "+r"(old), [mem] "+Q"(*word)
                         : [des] "r"(desired)
                         : "memory");
    *seen = old;
    return GUEST_ATOMIC_DONE;
}

static inline guest_atomic_t lse_guest_cmpxchg64(uint64_t *word, uint64_t expected,
                                                 uint64_t desired, uint64_t *seen)
{
    uint64_t old = expected;

    __asm__ __volatile__(".arch_extension lse\n"
                         "casal   %[old], %[des], %[mem]\n"
                         : [old] "+r"(old), [mem] "+Q"(*word)
                         : [des] "r"(desired)
                         : "memory");
    *seen = old;
    return GUEST_ATOMIC_DONE;
}

static inline guest_atomic_t lse_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    uint32_t prev;

    __asm__ __volatile__(".arch_extension lse\n"
                         "swpal   %w[val], %w[prev], %[mem]\n"
                         : [prev] "=r"(prev), [mem] "+Q"(*word)
                         : [val] "r"(value)
                         : "memory");
    *old = prev;
    return GUEST_ATOMIC_DONE;
}

static inline guest_atomic_t lse_guest_update_bit32(uint32_t *word, unsigned int bit, bool set,
                                                    bool *was_set)
{
    const uint32_t mask = 1u << (bit & 31);
    uint32_t prev;

    if (set)
        __asm__ __volatile__(".arch_extension lse\n"
                             "ldsetal %w[mask], %w[prev], %[mem]\n"
                             : [prev] "=r"(prev), [mem] "+Q"(*word)
                             : [mask] "r"(mask)
                             : "memory");
    else
        __asm__ __volatile__(".arch_extension lse\n"
                             "ldclral %w[mask], %w[prev], %[mem]\n"
                             : [prev] "=r"(prev), [mem] "+Q"(*word)
                             : [mask] "r"(mask)
                             : "memory");
    *was_set = prev & mask;
    return GUEST_ATOMIC_DONE;
}

/* ---- Run-time choice ------------------------------------------------------------------ */

static inline guest_atomic_t raw_guest_cmpxchg32(uint32_t *word, uint32_t expected,
                                                 uint32_t desired, uint32_t *seen)
{
    if (arm_guest_atomics_lse)
        return lse_guest_cmpxchg32(word, expected, desired, seen);
    return llsc_guest_cmpxchg32(word, expected, desired, seen);
}

static inline guest_atomic_t raw_guest_cmpxchg64(uint64_t *word, uint64_t expected,
                                                 uint64_t desired, uint64_t *seen)
{
    if (arm_guest_atomics_lse)
        return lse_guest_cmpxchg64(word, expected, desired, seen);
    return llsc_guest_cmpxchg64(word, expected, desired, seen);
}

static inline guest_atomic_t raw_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    if (arm_guest_atomics_lse)
        return lse_guest_xchg32(word, value, old);
    return llsc_guest_xchg32(word, value, old);
}

static inline guest_atomic_t raw_guest_test_and_set_bit32(uint32_t *word, unsigned int bit,
                                                          bool *was_set)
{
    if (arm_guest_atomics_lse)
        return lse_guest_update_bit32(word, bit, true, was_set);
    return llsc_guest_update_bit32(word, bit, true, was_set);
}

static inline guest_atomic_t raw_guest_test_and_clear_bit32(uint32_t *word, unsigned int bit,
                                                            bool *was_set)
{
    if (arm_guest_atomics_lse)
        return lse_guest_update_bit32(word, bit, false, was_set);
    return llsc_guest_update_bit32(word, bit, false, was_set);
}

/* Pause inside a spin-wait (a hint to an SMT sibling; a no-op elsewhere). */
static inline void raw_cpu_relax(void)
{
    __asm__ __volatile__("yield" ::: "memory");
}

/*
 * ID_AA64ISAR0_EL1.Atomic, bits [23:20]: 0b0010 or more means the LSE atomics are
 * implemented. Called by the port once at boot (EL1/EL2 only: EL0 traps or gets an
 * emulated view).
 */
static inline bool arm_cpu_has_lse_atomics(void)
{
    uint64_t isar0;

    __asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    return ((isar0 >> 20) & 0xf) >= 2;
}

/* Choose the implementation: the port's boot code calls this before starting guests. */
void arm_guest_atomics_init(void);

#endif
