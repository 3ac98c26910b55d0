/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_hvm_op(op, arg): HVMOP_get_param and HVMOP_set_param on d->hvm_params, with
 * Xen 4.17's order of checks (xen/arch/arm/hvm.c, xen/arch/x86/hvm/hvm.c): an index
 * past the table is -EINVAL, an unknown domain -ESRCH; a domain may act on itself, the
 * privileged domain on any (-EPERM); then which params exist and which a domain may read
 * or write on itself depends on its kind (xen/include/xen/guest_kind.h): an ARM guest
 * reads its callback, xenstore and console params and writes none; an x86 guest also
 * sets its own CALLBACK_IRQ and event channels. The ports read the values they act on
 * (CALLBACK_IRQ) from d->hvm_params when they deliver. Other HVMOPs are -ENOSYS, including
 * HVMOP_set_evtchn_upcall_vector until the x86 port delivers per-vCPU vectors.
 */
#include <xen/errno.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/nospec.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

static long param_op(struct vcpu *curr, unsigned int op, gpaddr_t arg)
{
    struct domain *cd = curr->domain, *d;
    const struct guest_kind *k;
    struct xen_hvm_param a;
    uint64_t bit;
    uint32_t index;

    if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
        return -EFAULT;
    if (a.index >= HVM_NR_PARAMS_MINIXEN)
        return -EINVAL;
    d = domain_resolve(cd, a.domid);
    if (d == NULL)
        return -ESRCH;
    if (d != cd && !cd->is_privileged)
        return -EPERM;

    k = guest_kind_of(d);
    index = array_index_nospec(a.index, HVM_NR_PARAMS_MINIXEN);
    bit = 1ull << index;
    if (!(k->hvm_params & bit))
        return -EINVAL;
    if (op == HVMOP_set_param) {
        if (d == cd && !(k->hvm_params_self_write & bit))
            return -EPERM;
        __atomic_store_n(&d->hvm_params[index], a.value, __ATOMIC_RELEASE);
        return 0;
    }
    if (d == cd && !(k->hvm_params_self_read & bit))
        return -EPERM;
    a.value = __atomic_load_n(&d->hvm_params[index], __ATOMIC_ACQUIRE);
    return arch_copy_to_guest(cd, arg, &a, sizeof(a)) != 0 ? -EFAULT : 0;
}

/* args: op, guest address of the op's struct. */
long hypercall_hvm_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned long op = args[0];

    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        return param_op(curr, (unsigned int)op, args[1]);
    default:
        return -ENOSYS;
    }
}
