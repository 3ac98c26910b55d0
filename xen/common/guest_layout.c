/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The three guest layouts of 2-level event words, taken from the public structs by
 * offsetof so they cannot drift from the ABI that make check-abi verifies.
 */
#include <xen/guest_layout.h>

#define LAYOUT(arch, bits, legacy)                                                           \
    {                                                                                        \
        .name = #arch, .word_bits = (bits),                                                  \
        .vcpu_info_size = sizeof(struct vcpu_info_##arch), .nr_legacy_vcpus = (legacy),     \
        .pending_sel_off = offsetof(struct vcpu_info_##arch, evtchn_pending_sel),            \
        .shinfo_pending_off = offsetof(struct shared_info_##arch, evtchn_pending),           \
        .shinfo_mask_off = offsetof(struct shared_info_##arch, evtchn_mask),                 \
        .shinfo_size = sizeof(struct shared_info_##arch),                                    \
    }

const struct guest_layout guest_layout_arm = LAYOUT(arm, 64, XEN_LEGACY_MAX_VCPUS_ARM);
const struct guest_layout guest_layout_x86_64 = LAYOUT(x86_64, 64, XEN_LEGACY_MAX_VCPUS_X86);
const struct guest_layout guest_layout_x86_32 = LAYOUT(x86_32, 32, XEN_LEGACY_MAX_VCPUS_X86);

BUILD_BUG_ON(sizeof(struct shared_info_x86_64) > PAGE_SIZE);
