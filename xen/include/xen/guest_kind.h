/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What differs in Xen's hypercall interface between kinds of guests (xen/common/guest_kind.c).
 *
 * Xen 4.17 answers an ARM guest and an x86 HVM/PVH guest differently in a few places: the
 * feature bits and capabilities it reports, which VCPUOPs and HVM params a guest may use,
 * whether set_timer_op exists, and (x86 32-bit guests only) the layout of the argument
 * structs that hold a guest address or a 64-bit field. The port already says what kind of
 * guest a domain is when it picks d->guest_layout; the differences are data keyed on that
 * choice, so the hypercall handlers stay free of arch tests.
 */
#ifndef MINIXEN_GUEST_KIND_H
#define MINIXEN_GUEST_KIND_H

#include <xen/domain.h>

struct guest_kind {
    const char *name;
    uint32_t xen_features;    /* XENFEAT_* bits beyond those every guest gets */
    const char *capabilities; /* XENVER_capabilities */
    uint32_t vcpu_ops;        /* bit n: VCPUOP n is offered to this guest */
    int vcpu_op_refused;      /* what the other VCPUOPs return */
    bool set_timer_op;        /* __HYPERVISOR_set_timer_op exists (not on ARM) */
    bool upcall_vector;       /* HVMOP_set_evtchn_upcall_vector exists (x86 HVM/PVH) */
    bool compat32;            /* latched 32-bit x86 guest (shared_info); see hypercall_compat32 */
    /* HVM params (bit n = param n): those this guest kind has at all (others -EINVAL), and
     * those a domain may read / write on itself (the others: -EPERM on itself; the
     * privileged domain may read and write them on others). */
    uint64_t hvm_params;
    uint64_t hvm_params_self_read;
    uint64_t hvm_params_self_write;
};

const struct guest_kind *guest_kind_of(const struct domain *d);

/*
 * Whether this hypercall's argument structs have the 32-bit x86 layouts (*_x86_32). As
 * on Xen (hvm_hypercall: hcall_compat), that is the calling vCPU's mode at the call, not
 * the width the domain latched for its shared_info: a 32-bit guest issuing VMMCALL before
 * (or without) writing the hypercall page MSR still gets its own layouts.
 */
bool hypercall_compat32(struct vcpu *curr);

#endif
