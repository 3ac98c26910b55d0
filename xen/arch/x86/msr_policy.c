/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MSRs a PVH guest finds beyond the port's own (vmexit.c: EFER, TSC, the hypercall
 * page; vlapic.c: APIC base, x2APIC, TSC deadline). What Linux and Xen-aware guests read
 * at boot is here, with the values and write rules of the architecture (Intel SDM vol. 4,
 * AMD APM vol. 2); every other MSR is #GP, as on Xen 4.17, whose default is to refuse an
 * MSR it does not know rather than read it as 0.
 *
 *   MTRRs      MTRRcap: 8 variable ranges, fixed ranges, write-combining (Xen's values);
 *              DEF_TYPE, the 11 fixed and 16 variable registers are stored per vCPU with
 *              the CPU's checks (valid memory types, reserved bits, address bits past
 *              MAXPHYADDR). They change nothing: the domain's memory is RAM, cached as the
 *              host maps it, as under Xen with no passthrough device.
 *   PAT        stored per vCPU, each entry a valid type (0, 1, 4, 5, 6, 7), else #GP.
 *   DEBUGCTL   reads 0, accepts 0: LBR and BTF would be state to switch (docs/x86.md,
 *              "Isolation"), so setting a bit is #GP.
 *   PLATFORM_INFO, MISC_FEATURES_ENABLES  read 0 (no CPUID faulting offered); the former
 *              is read-only, the latter takes 0.
 *   machine check  MCG_CAP 0 (no banks, no MCG_CTL), MCG_STATUS 0 (writes of 0)
 *   microcode revision (0x8b)  reads 0; a write of 0 (how a guest asks for it) is taken.
 *   AMD        HWCR, SYSCFG, TOP_MEM, TOP_MEM2, VM_CR read 0; OSVW: 3 errata known, none
 *              present; DE_CFG reads
 *              LFENCE-serialising (what Linux checks); the legacy and extended
 *              performance counters read 0 and ignore writes (no vPMU, as Xen by default).
 */
#include <asm/msr_policy.h>

#define MSR_UCODE_REV        0x8b
#define MSR_MISC_FEATURES    0x140
#define MSR_MCG_CAP          0x179
#define MSR_MCG_STATUS       0x17a
#define MSR_MTRR_FIX64K      0x250
#define MSR_MTRR_FIX16K_0    0x258
#define MSR_MTRR_FIX16K_1    0x259
#define MSR_MTRR_FIX4K_0     0x268
#define MSR_MTRR_FIX4K_LAST  0x26f
#define MSR_K7_PERF_FIRST    0xc0010000 /* 4 event selects, 4 counters */
#define MSR_K7_PERF_LAST     0xc0010007
#define MSR_K8_SYSCFG        0xc0010010
#define MSR_K8_HWCR          0xc0010015
#define MSR_K8_TOP_MEM       0xc001001a
#define MSR_K8_TOP_MEM2      0xc001001d
#define MSR_K8_VM_CR         0xc0010114
#define MSR_AMD_OSVW_LEN     0xc0010140
#define MSR_AMD_OSVW_STATUS  0xc0010141
#define OSVW_KNOWN_IDS       3
#define MSR_F15H_PERF_FIRST  0xc0010200 /* 6 select/counter pairs */
#define MSR_F15H_PERF_LAST   0xc001020b
#define MSR_AMD_DE_CFG       0xc0011029
#define DE_CFG_LFENCE_SERIAL (1ull << 1)

#define MTRRCAP_FIX    (1ull << 8)
#define MTRRCAP_WC     (1ull << 10)
#define DEF_TYPE_FE    (1ull << 10)
#define DEF_TYPE_E     (1ull << 11)
#define PHYSMASK_VALID (1ull << 11)
#define PAT_RESET      0x0007040600070406ull

/* Memory types: UC 0, WC 1, WT 4, WP 5, WB 6; PAT also has UC- 7. */
static bool mtrr_type_ok(uint64_t t)
{
    return t == 0 || t == 1 || (t >= 4 && t <= 6);
}

static bool pat_ok(uint64_t pat)
{
    for (unsigned int i = 0; i < 8; i++) {
        uint64_t t = (pat >> (8 * i)) & 0xff;

        if (!mtrr_type_ok(t) && t != 7)
            return false;
    }
    return true;
}

/* Index into mtrr_fixed[] of a fixed-range MTRR, or -1. */
static int fixed_index(uint32_t msr)
{
    if (msr == MSR_MTRR_FIX64K)
        return 0;
    if (msr == MSR_MTRR_FIX16K_0 || msr == MSR_MTRR_FIX16K_1)
        return 1 + (int)(msr - MSR_MTRR_FIX16K_0);
    if (msr >= MSR_MTRR_FIX4K_0 && msr <= MSR_MTRR_FIX4K_LAST)
        return 3 + (int)(msr - MSR_MTRR_FIX4K_0);
    return -1;
}

static bool is_var_mtrr(uint32_t msr)
{
    return msr >= MSR_MTRR_PHYSBASE0 && msr < MSR_MTRR_PHYSBASE0 + 2 * MSR_POLICY_MTRR_VCNT;
}

static bool is_perf_counter(uint32_t msr)
{
    return (msr >= MSR_K7_PERF_FIRST && msr <= MSR_K7_PERF_LAST) ||
           (msr >= MSR_F15H_PERF_FIRST && msr <= MSR_F15H_PERF_LAST);
}

void msr_state_init(struct msr_state *s)
{
    *s = (struct msr_state){.pat = PAT_RESET};
}

bool msr_policy_read(const struct msr_state *s, uint32_t msr, uint64_t *val)
{
    int fix = fixed_index(msr);

    if (fix >= 0) {
        *val = s->mtrr_fixed[fix];
        return true;
    }
    if (is_var_mtrr(msr)) {
        *val = s->mtrr_var[msr - MSR_MTRR_PHYSBASE0];
        return true;
    }
    switch (msr) {
    case MSR_IA32_MTRRCAP:
        *val = MSR_POLICY_MTRR_VCNT | MTRRCAP_FIX | MTRRCAP_WC;
        return true;
    case MSR_MTRR_DEF_TYPE:
        *val = s->mtrr_def_type;
        return true;
    case MSR_IA32_PAT:
        *val = s->pat;
        return true;
    case MSR_AMD_DE_CFG:
        *val = DE_CFG_LFENCE_SERIAL;
        return true;
    case MSR_IA32_DEBUGCTL:
    case MSR_PLATFORM_INFO:
    case MSR_MISC_FEATURES:
    case MSR_UCODE_REV:
    case MSR_MCG_CAP:
    case MSR_MCG_STATUS:
    case MSR_K8_SYSCFG:
    case MSR_K8_HWCR:
    case MSR_K8_TOP_MEM:
    case MSR_K8_TOP_MEM2:
    case MSR_K8_VM_CR:
    case MSR_AMD_OSVW_STATUS: /* none of the errata OSVW_LEN covers is present */
        *val = 0;
        return true;
    case MSR_AMD_OSVW_LEN:
        /* IDs 0-2 (TLB flush filter, E400 C1E, E415 APIC timer) are known, and the
         * status says the guest need not work around them: the hypervisor owns C1E
         * and the real APIC timer. Xen 4.17 answers a guest the same on a host without
         * OSVW (length 3, errata 1 and 2 cleared from the host's status). */
        *val = OSVW_KNOWN_IDS;
        return true;
    default:
        if (is_perf_counter(msr)) {
            *val = 0;
            return true;
        }
        return false;
    }
}

bool msr_policy_write(struct msr_state *s, uint32_t msr, uint64_t val, unsigned int maxphyaddr)
{
    uint64_t addr_bits = maxphyaddr >= 64 ? ~0ull : (1ull << maxphyaddr) - 1;
    int fix = fixed_index(msr);

    if (fix >= 0) {
        for (unsigned int i = 0; i < 8; i++)
            if (!mtrr_type_ok((val >> (8 * i)) & 0xff))
                return false;
        s->mtrr_fixed[fix] = val;
        return true;
    }
    if (is_var_mtrr(msr)) {
        bool is_mask = (msr - MSR_MTRR_PHYSBASE0) & 1;
        uint64_t rsvd = ~addr_bits | (is_mask ? 0x7ffull : 0xf00ull);

        if ((val & rsvd) || (!is_mask && !mtrr_type_ok(val & 0xff)))
            return false;
        s->mtrr_var[msr - MSR_MTRR_PHYSBASE0] = val;
        return true;
    }
    switch (msr) {
    case MSR_MTRR_DEF_TYPE:
        if ((val & ~(0xffull | DEF_TYPE_FE | DEF_TYPE_E)) || !mtrr_type_ok(val & 0xff))
            return false;
        s->mtrr_def_type = val;
        return true;
    case MSR_IA32_PAT:
        if (!pat_ok(val))
            return false;
        s->pat = val;
        return true;
    case MSR_IA32_DEBUGCTL:
    case MSR_MISC_FEATURES:
    case MSR_UCODE_REV:
    case MSR_MCG_STATUS:
        return val == 0;
    case MSR_AMD_DE_CFG:
        return true; /* LFENCE stays serialising whatever is asked */
    default:
        return is_perf_counter(msr); /* no vPMU: ignored */
    }
}
