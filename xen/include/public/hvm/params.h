/* SPDX-License-Identifier: MIT */
/*
 * HVM parameters, read and written with HVMOP_get_param/HVMOP_set_param
 * (hvm_op.h). ARM guests may read them but write none.
 */
#ifndef MINIXEN_PUBLIC_HVM_PARAMS_H
#define MINIXEN_PUBLIC_HVM_PARAMS_H

#include "hvm_op.h"

/*
 * How event-channel upcalls reach the guest. The type is val[63:56]:
 *
 * x86 (writable by the guest; writing it also latches 32/64-bit shared_info):
 *   GSI      val[55:0] = GSI number; val 0 disables delivery. Level,
 *            vCPU0 only, asserted while vcpu_info[0].evtchn_upcall_pending.
 *   PCI_INTX val[47:32] segment, [31:16] bus, [15:8] devfn, [1:0] INTx.
 *   VECTOR   val[7:0] = vector on every vCPU, no EOI, re-injected while
 *            upcall_pending stays set. Needs XENFEAT_hvm_callback_vector.
 * ARM (read-only):
 *   PPI      val[7:0] = PPI, val[15:8] = flags (bit 8: 1 edge / 0 level;
 *            bit 9: 1 active-low / 0 active-high), val[55:16] = 0.
 */
#define HVM_PARAM_CALLBACK_IRQ                     0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK           0xFF00000000000000ULL
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT          56
#define HVM_PARAM_CALLBACK_TYPE_GSI                0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX           1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR             2 /* x86 */
#define HVM_PARAM_CALLBACK_TYPE_PPI                2 /* ARM */
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK      0xFF00ULL
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT     8
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_EDGE      1 /* in the flag byte */
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL 2 /* in the flag byte */

/* Build a CALLBACK_IRQ value. */
#define HVM_PARAM_CALLBACK_VAL(type, low)                                                          \
    (((uint64_t)(type) << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) | (uint64_t)(low))
#define HVM_PARAM_CALLBACK_VAL_VECTOR(vec)                                                         \
    HVM_PARAM_CALLBACK_VAL(HVM_PARAM_CALLBACK_TYPE_VECTOR, (vec)&0xFFU)
#define HVM_PARAM_CALLBACK_VAL_INTX(seg, bus, devfn, intx)                                         \
    HVM_PARAM_CALLBACK_VAL(HVM_PARAM_CALLBACK_TYPE_PCI_INTX,                                       \
                           ((uint64_t)((seg)&0xFFFFU) << 32) | ((uint64_t)((bus)&0xFFFFU) << 16) | \
                               ((uint64_t)((devfn)&0xFFU) << 8) | ((intx)&3U))
#define HVM_PARAM_CALLBACK_VAL_PPI(flags, ppi)                                                     \
    HVM_PARAM_CALLBACK_VAL(HVM_PARAM_CALLBACK_TYPE_PPI,                                            \
                           ((uint64_t)((flags)&0xFFU) << 8) | ((ppi)&0xFFU))
/* What an ARM domU reads: PPI 31, active-low level = 0x020000000000021F. */
#define HVM_PARAM_CALLBACK_VAL_ARM_DOMU                                                            \
    HVM_PARAM_CALLBACK_VAL_PPI(HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL, 31)

#define HVM_PARAM_STORE_PFN      1 /* xenstore ring page */
#define HVM_PARAM_STORE_EVTCHN   2 /* xenstore event channel (0: none/local) */
#define HVM_PARAM_PAE_ENABLED    4
#define HVM_PARAM_IOREQ_PFN      5
#define HVM_PARAM_BUFIOREQ_PFN   6
#define HVM_PARAM_VIRIDIAN       9
#define HVM_PARAM_TIMER_MODE     10
#define HVM_PARAM_HPET_ENABLED   11
#define HVM_PARAM_IDENT_PT       12
#define HVM_PARAM_ACPI_S_STATE   14
#define HVM_PARAM_VM86_TSS       15
#define HVM_PARAM_VPT_ALIGN      16
#define HVM_PARAM_CONSOLE_PFN    17 /* PV console ring page */
#define HVM_PARAM_CONSOLE_EVTCHN 18 /* PV console event channel */

#endif /* MINIXEN_PUBLIC_HVM_PARAMS_H */
