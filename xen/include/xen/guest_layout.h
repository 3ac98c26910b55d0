/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the words the hypervisor writes live in a guest's shared_info and vcpu_info: the
 * 2-level event-channel words, the wall clock and the time base.
 *
 * Xen's layout depends on the guest, not on the hypervisor: an x86 hypervisor serves
 * 32-bit guests (32-bit xen_ulong_t, 1024 2-level ports) and 64-bit guests (4096), and
 * ARM guests of either width use 64-bit words and a 48-byte vcpu_info. One descriptor per
 * layout lets one piece of common code serve all of them; the arch picks the descriptor
 * for each domain (x86 latches it from the guest's mode, as Xen does).
 */
#ifndef MINIXEN_GUEST_LAYOUT_H
#define MINIXEN_GUEST_LAYOUT_H

#include <xen/types.h>

struct guest_layout {
    const char *name;
    uint8_t word_bits;             /* bits in the guest's xen_ulong_t: 32 or 64 */
    uint16_t vcpu_info_size;       /* sizeof(struct vcpu_info) for this guest */
    uint16_t nr_legacy_vcpus;      /* vcpu_info slots inside shared_info (ARM 1, x86 32) */
    uint16_t pending_sel_off;      /* vcpu_info.evtchn_pending_sel */
    uint16_t shinfo_pending_off;   /* shared_info.evtchn_pending[] */
    uint16_t shinfo_mask_off;      /* shared_info.evtchn_mask[] */
    uint16_t shinfo_size;          /* sizeof(struct shared_info) */
    uint16_t shinfo_wc_off;        /* shared_info.wc_version; wc_sec and wc_nsec follow it */
    uint16_t shinfo_wc_sec_hi_off; /* wc_sec_hi: in shared_info, but arch for x86_32 */
    uint16_t vcpu_time_off;        /* vcpu_info.time (struct vcpu_time_info) */
};

extern const struct guest_layout guest_layout_arm;
extern const struct guest_layout guest_layout_x86_64;
extern const struct guest_layout guest_layout_x86_32;

/* vcpu_info.evtchn_upcall_pending is byte 0: bit 0 of the aligned 32-bit word there. */
#define VCPU_INFO_UPCALL_PENDING_BIT 0

#endif
