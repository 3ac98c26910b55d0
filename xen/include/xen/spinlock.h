/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ticket spinlocks for hypervisor-private memory. Fair (FIFO order), so a CPU sending
 * events cannot starve another. Compiler atomics on private memory cannot be starved
 * by a guest; only arch_cpu_relax() is per arch. Every lock is IRQ-safe: event locks
 * are also taken when a timer or console interrupt raises a VIRQ.
 */
#ifndef MINIXEN_SPINLOCK_H
#define MINIXEN_SPINLOCK_H

#include <xen/arch_hooks.h>

typedef struct {
    uint16_t next;  /* ticket handed to the next CPU that asks */
    uint16_t owner; /* ticket now being served */
} spinlock_t;

#define SPINLOCK_INIT                                                                              \
    {                                                                                              \
        0, 0                                                                                       \
    }

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = arch_local_irq_save();
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        arch_cpu_relax();
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

    __atomic_store_n(&l->owner, (uint16_t)(owner + 1), __ATOMIC_RELEASE);
    arch_local_irq_restore(flags);
}

static inline bool spin_is_locked(spinlock_t *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

#endif
