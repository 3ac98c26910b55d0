/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What common code does when a bounded atomic on a guest's memory gives up (XSA-295).
 *
 * Xen's fix: pause the domain without waiting (its vCPUs are kicked out of guest mode,
 * and they were the ones keeping the word busy), redo the operation, unpause. We do the
 * same, with a bound Xen does not have: at most GUEST_ATOMIC_PAUSED_ROUNDS more bounded
 * attempts while the domain is paused (each round is one bounded arch attempt and a
 * relax: hundreds of microseconds in all, longer than a kick takes to land). A word that
 * still does not yield is written by nothing the pause stops; the operation is then
 * given up as before (the guest loses that event, nobody else is affected), counted in
 * d->atomics_starved and said once. Either way the pause ends before we return: a domain
 * is never left paused, and only its own vCPUs are ever paused.
 */
#include <xen/domain.h>
#include <xen/guest_atomic.h>
#include <xen/lib.h>
#include <xen/sched.h>

enum op { OP_CMPXCHG32, OP_SET_BIT32, OP_CLEAR_BIT32 };

static guest_atomic_t attempt(enum op op, uint32_t *word, uint32_t a, uint32_t b, uint32_t *seen,
                              bool *was)
{
    switch (op) {
    case OP_CMPXCHG32:
        return arch_guest_cmpxchg32(word, a, b, seen);
    case OP_SET_BIT32:
        return arch_guest_test_and_set_bit32(word, a, was);
    default:
        return arch_guest_test_and_clear_bit32(word, a, was);
    }
}

static COLD guest_atomic_t paused_retry(struct domain *d, enum op op, uint32_t *word, uint32_t a,
                                        uint32_t b, uint32_t *seen, bool *was)
{
    guest_atomic_t r = GUEST_ATOMIC_GAVE_UP;
    unsigned int round;

    /* Say it once per domain: a guest must not be able to flood the console (XSA-169). */
    if (__atomic_fetch_add(&d->atomics_paused, 1, __ATOMIC_RELAXED) == 0)
        printk("(d%u) guest keeps shared event words busy: paused while the hypervisor "
               "finishes (XSA-295)\n",
               d->domain_id);
    domain_pause(d);
    for (round = 0; round < GUEST_ATOMIC_PAUSED_ROUNDS && r == GUEST_ATOMIC_GAVE_UP; round++) {
        arch_cpu_relax();
        r = attempt(op, word, a, b, seen, was);
    }
    domain_unpause(d);
    if (r == GUEST_ATOMIC_GAVE_UP)
        guest_atomic_starved(d);
    return r;
}

guest_atomic_t guest_cmpxchg32_paused(struct domain *d, uint32_t *word, uint32_t expected,
                                      uint32_t desired, uint32_t *seen)
{
    return paused_retry(d, OP_CMPXCHG32, word, expected, desired, seen, NULL);
}

guest_atomic_t guest_test_and_set_bit32_paused(struct domain *d, uint32_t *word, unsigned int bit,
                                               bool *was_set)
{
    return paused_retry(d, OP_SET_BIT32, word, bit, 0, NULL, was_set);
}

guest_atomic_t guest_test_and_clear_bit32_paused(struct domain *d, uint32_t *word, unsigned int bit,
                                                 bool *was_set)
{
    return paused_retry(d, OP_CLEAR_BIT32, word, bit, 0, NULL, was_set);
}
