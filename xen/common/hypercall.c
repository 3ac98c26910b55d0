/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall table: one const array, indexed by __HYPERVISOR_* number, shared by every
 * port (see xen/include/xen/hypercall.h). Dispatch is a bounds check, a speculation-safe
 * clamp of the guest's number and one indirect call; every handler does its own argument
 * checks. Numbers without an entry, and numbers past the end, return -ENOSYS.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/nospec.h>

/* HYPERVISOR_event_channel_op(cmd, arg). */
static long hypercall_event_channel_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    return do_event_channel_op(curr, (int)args[0], args[1]);
}

const hypercall_fn_t hypercall_table[HYPERCALL_TABLE_SIZE] = {
    [__HYPERVISOR_memory_op] = hypercall_memory_op,
    [__HYPERVISOR_set_timer_op] = hypercall_set_timer_op,
    [__HYPERVISOR_xen_version] = hypercall_xen_version,
    [__HYPERVISOR_console_io] = hypercall_console_io,
    [__HYPERVISOR_grant_table_op] = hypercall_grant_table_op,
    [__HYPERVISOR_vcpu_op] = hypercall_vcpu_op,
    [__HYPERVISOR_sched_op] = hypercall_sched_op,
    [__HYPERVISOR_event_channel_op] = hypercall_event_channel_op,
    [__HYPERVISOR_hvm_op] = hypercall_hvm_op,
};
/* The pure mask is one 64-bit word. */
_Static_assert(HYPERCALL_TABLE_SIZE <= 64, "HYPERCALL_PURE_MASK covers the table");

long hypercall_dispatch(struct vcpu *curr, unsigned long nr, unsigned long args[HYPERCALL_NR_ARGS])
{
    return hypercall_call(hypercall_lookup(nr), curr, args);
}
