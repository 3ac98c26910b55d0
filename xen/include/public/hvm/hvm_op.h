/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_hvm_op(cmd, arg). ARM implements only set_param, get_param
 * and guest_request_vm_event.
 */
#ifndef MINIXEN_PUBLIC_HVM_HVM_OP_H
#define MINIXEN_PUBLIC_HVM_HVM_OP_H

#include <stdint.h>

#include "../xen.h"

#define HVMOP_set_param                0
#define HVMOP_get_param                1
#define HVMOP_pagetable_dying          9
#define HVMOP_get_time                 10
#define HVMOP_get_mem_type             15
#define HVMOP_set_evtchn_upcall_vector 23
#define HVMOP_guest_request_vm_event   24

/* HVMOP_set_param / HVMOP_get_param (16 bytes): index is HVM_PARAM_* (params.h). */
struct xen_hvm_param {
    domid_t domid; /* IN: DOMID_SELF or a controlled domain */
    uint16_t pad;
    uint32_t index; /* IN */
    uint64_t value; /* IN (set) / OUT (get) */
};
typedef struct xen_hvm_param xen_hvm_param_t;

/*
 * HVMOP_set_evtchn_upcall_vector (x86 HVM/PVH): deliver <vcpu>'s upcall as
 * a LAPIC interrupt on <vector> (>= 0x10). It takes precedence over
 * HVM_PARAM_CALLBACK_IRQ and, unlike the global VECTOR type, needs an EOI.
 * Size: 8 bytes.
 */
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;  /* IN */
    uint8_t vector; /* IN */
    uint8_t _pad[3];
};
typedef struct xen_hvm_evtchn_upcall_vector xen_hvm_evtchn_upcall_vector_t;

#endif /* MINIXEN_PUBLIC_HVM_HVM_OP_H */
