/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The model-specific registers a PVH guest may read and write beyond the ones the port
 * emulates itself (EFER, the hypercall page, the x2APIC and TSC-deadline MSRs), and the
 * per-vCPU state they keep (msr_policy.c). Pure: no hardware is touched, so the host
 * tests check the policy.
 */
#ifndef MINIXEN_ASM_MSR_POLICY_H
#define MINIXEN_ASM_MSR_POLICY_H

#include <xen/types.h>

#define MSR_POLICY_MTRR_VCNT  8  /* variable-range MTRR pairs offered (as Xen) */
#define MSR_POLICY_MTRR_FIXED 11 /* fixed-range MTRR registers */

#define MSR_IA32_DEBUGCTL  0x1d9
#define MSR_IA32_MTRRCAP   0xfe
#define MSR_IA32_PAT       0x277
#define MSR_MTRR_DEF_TYPE  0x2ff
#define MSR_PLATFORM_INFO  0xce
#define MSR_MTRR_PHYSBASE0 0x200

struct msr_state {
    uint64_t pat;
    uint64_t mtrr_def_type;
    uint64_t mtrr_fixed[MSR_POLICY_MTRR_FIXED];
    uint64_t mtrr_var[2 * MSR_POLICY_MTRR_VCNT]; /* PHYSBASEn, PHYSMASKn */
};

/* A vCPU's MSRs at reset: PAT's power-on value, MTRRs disabled and all zero. */
void msr_state_init(struct msr_state *s);

/*
 * Read or write msr; maxphyaddr bounds the MTRRs' address fields. False: the MSR does not
 * exist for a guest, or the value is not one the CPU would accept: #GP, as Xen and the CPU
 * do.
 */
bool msr_policy_read(const struct msr_state *s, uint32_t msr, uint64_t *val);
bool msr_policy_write(struct msr_state *s, uint32_t msr, uint64_t val, unsigned int maxphyaddr);

#endif
