/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_set_timer_op(timeout): the calling vCPU's one-shot timer at absolute system
 * time `timeout` (ns, arch_now_ns), VIRQ_TIMER when it passes; 0 cancels (Xen 4.17
 * do_set_timer_op). x86 guests only: Xen on ARM has no such hypercall (-ENOSYS).
 */
#include <xen/errno.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/sched.h>

/* Past 2^50 ns (13 days) ahead, or wrapped negative: Linux's jiffies wrapped. */
#define TIMER_HUGE_SHIFT       50
#define TIMER_HUGE_FALLBACK_NS 100000000ull /* Xen fires those 100 ms from now */

/* args: timeout (x86_32 guests: low half, high half). */
long hypercall_set_timer_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    const struct guest_kind *k = guest_kind_of(curr->domain);
    uint64_t timeout, now;
    int64_t offset;

    if (!k->set_timer_op)
        return -ENOSYS;
    timeout =
        hypercall_compat32(curr) ? (uint32_t)args[0] | (uint64_t)(uint32_t)args[1] << 32 : args[0];
    if (timeout == 0) {
        vcpu_set_guest_timer(curr, 0);
        return 0;
    }
    now = arch_now_ns();
    offset = (int64_t)(timeout - now);
    if ((int64_t)timeout < 0 || (offset > 0 && (offset >> TIMER_HUGE_SHIFT) != 0))
        timeout = now + TIMER_HUGE_FALLBACK_NS;
    vcpu_set_guest_timer(curr, timeout);
    return 0;
}
