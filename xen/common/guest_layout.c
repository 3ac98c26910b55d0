/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The three guest layouts of the words the hypervisor writes in shared_info and vcpu_info
 * (2-level event words, the wall clock, the time base), taken from the public structs by
 * offsetof so they cannot drift from the ABI that make check-abi verifies.
 */
#include <xen/guest_layout.h>

#define LAYOUT(arch, bits, legacy, sec_hi)                                                         \
    {                                                                                              \
        .name = #arch, .word_bits = (bits), .vcpu_info_size = sizeof(struct vcpu_info_##arch),     \
        .nr_legacy_vcpus = (legacy),                                                               \
        .pending_sel_off = offsetof(struct vcpu_info_##arch, evtchn_pending_sel),                  \
        .shinfo_pending_off = offsetof(struct shared_info_##arch, evtchn_pending),                 \
        .shinfo_mask_off = offsetof(struct shared_info_##arch, evtchn_mask),                       \
        .shinfo_size = sizeof(struct shared_info_##arch),                                          \
        .shinfo_wc_off = offsetof(struct shared_info_##arch, wc_version),                          \
        .shinfo_wc_sec_hi_off = offsetof(struct shared_info_##arch, sec_hi),                       \
        .vcpu_time_off = offsetof(struct vcpu_info_##arch, time),                                  \
    }

/* A 32-bit x86 guest finds wc_sec_hi in arch_shared_info (Xen's compat layout). */
const struct guest_layout guest_layout_arm = LAYOUT(arm, 64, XEN_LEGACY_MAX_VCPUS_ARM, wc_sec_hi);
const struct guest_layout guest_layout_x86_64 =
    LAYOUT(x86_64, 64, XEN_LEGACY_MAX_VCPUS_X86, wc_sec_hi);
const struct guest_layout guest_layout_x86_32 =
    LAYOUT(x86_32, 32, XEN_LEGACY_MAX_VCPUS_X86, arch.wc_sec_hi);

BUILD_BUG_ON(sizeof(struct shared_info_x86_64) > PAGE_SIZE);
/* The wall-clock writer stores 32-bit words: wc_version, wc_sec and wc_nsec in a row. */
BUILD_BUG_ON(offsetof(struct shared_info_arm, wc_nsec) !=
             offsetof(struct shared_info_arm, wc_version) + 8);
BUILD_BUG_ON(offsetof(struct shared_info_x86_64, wc_nsec) !=
             offsetof(struct shared_info_x86_64, wc_version) + 8);
BUILD_BUG_ON(offsetof(struct shared_info_x86_32, wc_nsec) !=
             offsetof(struct shared_info_x86_32, wc_version) + 8);
/* x86 re-latching a domain's width moves its wall clock but never vcpu_info.time. */
BUILD_BUG_ON(offsetof(struct vcpu_info_x86_32, time) != offsetof(struct vcpu_info_x86_64, time));
BUILD_BUG_ON(sizeof(struct vcpu_info_x86_32) != sizeof(struct vcpu_info_x86_64));
