/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_hvm_op(op, arg): HVMOP_get_param and HVMOP_set_param on d->hvm_params, with
 * Xen 4.17's order of checks (xen/arch/arm/hvm.c, xen/arch/x86/hvm/hvm.c): an index
 * past the table is -EINVAL, an unknown domain -ESRCH; a domain may act on itself, the
 * privileged domain on any (-EPERM); then which params exist and which a domain may read
 * or write on itself depends on its kind (xen/include/xen/guest_kind.h): an ARM guest
 * reads its callback, xenstore and console params and writes none; an x86 guest also
 * sets its own CALLBACK_IRQ and event channels. The ports read the values they act on
 * (CALLBACK_IRQ) from d->hvm_params when they deliver; a domain setting its own
 * CALLBACK_IRQ also latches its width (domain_latch_guest_layout). A PV console param
 * nobody set (CONSOLE_PFN, CONSOLE_EVTCHN still 0) reads -ENOENT, not 0: only a domU with
 * minixen,pv-console has a ring, served by the hypervisor (pv_console.c, which sets both);
 * dom0 uses console_io (SIF_INITDOMAIN tells it), and "success, 0" made a domU put its
 * ring at address 0.
 * HVMOP_set_evtchn_upcall_vector (x86 guests only) records a vCPU's own upcall vector in
 * v->upcall_vector, which the port delivers. Other HVMOPs are -ENOSYS.
 */
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/event.h>
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
    int rc;

    if (arch_copy_from_guest(cd, &a, arg, sizeof(a)) != 0)
        return -EFAULT;
    if (a.index >= HVM_NR_PARAMS_MINIXEN)
        return -EINVAL;
    rc = domain_for_caller(cd, a.domid, &d);
    if (rc != 0)
        return rc;

    k = guest_kind_of(d);
    index = array_index_nospec(a.index, HVM_NR_PARAMS_MINIXEN);
    bit = 1ull << index;
    if (!(k->hvm_params & bit))
        return -EINVAL;
    if (op == HVMOP_set_param) {
        if (d == cd && !(k->hvm_params_self_write & bit))
            return -EPERM;
        __atomic_store_n(&d->hvm_params[index], a.value, __ATOMIC_RELEASE);
        /* Xen latches the guest's width here too, for a domain setting its own. */
        if (index == HVM_PARAM_CALLBACK_IRQ && d == cd)
            domain_latch_guest_layout(curr);
        return 0;
    }
    if (d == cd && !(k->hvm_params_self_read & bit))
        return -EPERM;
    a.value = __atomic_load_n(&d->hvm_params[index], __ATOMIC_ACQUIRE);
    /* No PV console ring that nobody set up: a guest told "success, page 0" puts its
     * ring over page 0 and waits forever for a backend; an error sends it elsewhere. */
    if (a.value == 0 && (index == HVM_PARAM_CONSOLE_PFN || index == HVM_PARAM_CONSOLE_EVTCHN))
        return -ENOENT;
    return arch_copy_to_guest(cd, arg, &a, sizeof(a)) != 0 ? -EFAULT : 0;
}

/*
 * HVMOP_set_evtchn_upcall_vector (Xen 4.17 hvmop_set_evtchn_upcall_vector): vCPU `vcpu` of
 * the caller's domain takes its upcall on `vector` from now on; vectors below 0x10 are the
 * CPU's exceptions (-EINVAL), a missing vCPU is -ENOENT. As on Xen, an upcall already
 * pending is raised at once through the new vector.
 */
static long set_upcall_vector(struct vcpu *curr, gpaddr_t arg)
{
    struct domain *d = curr->domain;
    struct xen_hvm_evtchn_upcall_vector op;
    struct vcpu *v;

    if (!guest_kind_of(d)->upcall_vector)
        return -ENOSYS;
    if (arch_copy_from_guest(d, &op, arg, sizeof(op)) != 0)
        return -EFAULT;
    if (op.vector < 0x10)
        return -EINVAL;
    if (op.vcpu >= d->max_vcpus)
        return -ENOENT;
    v = domain_vcpu(d, array_index_nospec(op.vcpu, d->max_vcpus));
    if (v == NULL)
        return -ENOENT;
    __atomic_store_n(&v->upcall_vector, op.vector, __ATOMIC_RELEASE);
    if (vcpu_upcall_pending(v))
        vcpu_raise_upcall(v);
    return 0;
}

/* args: op, guest address of the op's struct. */
long hypercall_hvm_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned long op = args[0];

    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        return param_op(curr, (unsigned int)op, args[1]);
    case HVMOP_set_evtchn_upcall_vector:
        return set_upcall_vector(curr, args[1]);
    default:
        return -ENOSYS;
    }
}
