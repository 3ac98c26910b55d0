/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_64 atomics on guest-writable words.
 *
 * A `lock`ed read-modify-write owns the cache line until it completes, so however hard a
 * guest hammers the word from another CPU the instruction finishes: none of these ever
 * gives up (contrast the arm64 LL/SC path). They are all full barriers, which the
 * Dekker-style event protocols need (set PENDING, then read MASKED).
 *
 * The words must be naturally aligned: a split-lock access is slow at best and, with
 * split-lock detection enabled, a fault.
 */
#ifndef MINIXEN_X86_ASM_GUEST_ATOMICS_H
#define MINIXEN_X86_ASM_GUEST_ATOMICS_H

#include <xen/arch_hooks.h>

static inline guest_atomic_t raw_guest_cmpxchg32(uint32_t *word, uint32_t expected,
                                                 uint32_t desired, uint32_t *seen)
{
    uint32_t old = expected;

    __asm__ __volatile__("lock cmpxchgl %[des], %[mem]"
                         : "+a"(old), [mem] "+m"(*word)
                         : [des] "r"(desired)
                         : "cc", "memory");
    *seen = old;
    return GUEST_ATOMIC_DONE;
}

static inline guest_atomic_t raw_guest_cmpxchg64(uint64_t *word, uint64_t expected,
                                                 uint64_t desired, uint64_t *seen)
{
    uint64_t old = expected;

    __asm__ __volatile__("lock cmpxchgq %[des], %[mem]"
                         : "+a"(old), [mem] "+m"(*word)
                         : [des] "r"(desired)
                         : "cc", "memory");
    *seen = old;
    return GUEST_ATOMIC_DONE;
}

/* xchg with a memory operand is locked without the prefix. */
static inline guest_atomic_t raw_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    __asm__ __volatile__("xchgl %[val], %[mem]"
                         : [val] "+r"(value), [mem] "+m"(*word)
                         :
                         : "memory");
    *old = value;
    return GUEST_ATOMIC_DONE;
}

/*
 * bts/btr with a register bit offset address memory relative to the operand, so keep the
 * offset below 32: the access must stay inside this word.
 */
static inline guest_atomic_t raw_guest_test_and_set_bit32(uint32_t *word, unsigned int bit,
                                                          bool *was_set)
{
    bool old;

    __asm__ __volatile__("lock btsl %[bit], %[mem]"
                         : [mem] "+m"(*word), "=@ccc"(old)
                         : [bit] "Ir"(bit & 31)
                         : "memory");
    *was_set = old;
    return GUEST_ATOMIC_DONE;
}

static inline guest_atomic_t raw_guest_test_and_clear_bit32(uint32_t *word, unsigned int bit,
                                                            bool *was_set)
{
    bool old;

    __asm__ __volatile__("lock btrl %[bit], %[mem]"
                         : [mem] "+m"(*word), "=@ccc"(old)
                         : [bit] "Ir"(bit & 31)
                         : "memory");
    *was_set = old;
    return GUEST_ATOMIC_DONE;
}

/* Inside a spin-wait: tell the core (and an SMT sibling) we are spinning. */
static inline void raw_cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

#endif
