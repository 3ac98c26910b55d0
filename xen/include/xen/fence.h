/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory fences named by intent. The compiler emits the right instruction for each target
 * (dmb ish / nothing on x86 for publish and consume), so these need no arch hook.
 *
 *   fence_publish():  all earlier stores are visible before any later store.
 *                     Use before publishing a pointer, a count or a HEAD that
 *                     makes earlier initialisation reachable (smp_wmb).
 *   fence_consume():  earlier loads complete before later loads. Use after reading a
 *                     published count or pointer, before reading what it covers (smp_rmb).
 *   fence_full():     orders everything (smp_mb).
 */
#ifndef MINIXEN_FENCE_H
#define MINIXEN_FENCE_H

static inline void fence_publish(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void fence_consume(void)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void fence_full(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* A load or store the compiler may neither tear, repeat nor elide. */
#define READ_ONCE(x)     __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#endif
