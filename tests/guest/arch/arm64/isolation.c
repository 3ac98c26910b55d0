/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 isolation checks (arch_area_isolation): the debug, OS-lock and PMU registers.
 *
 * They are not part of a world switch, so a hypervisor must trap them or domains share
 * them. Xen 4.17 traps all of them (MDCR_EL2 TDRA, TDOSA, TDA, TPM, TPMCR) and shows a
 * fixed view (xen/arch/arm/arm64/vsysreg.c): breakpoint/watchpoint registers, MDSCR and
 * the PMU registers read as zero and ignore writes, OSLSR reads 0x8 (OS lock implemented,
 * unlocked), the rest is UNDEFINED. Every domain writes a marker into DBGBVR0/DBGWVR0 at
 * boot (arch_isolation_mark), so a hypervisor that let them through would show one
 * domain's marker to another on the same CPU.
 *
 * A probe arms a flag, runs one MRS/MSR, and arch_sync_entry() turns the UNDEFINED it may
 * cause into "probe_undef" and steps over the instruction.
 */
#include "guest_arch.h"
#include "hcall.h"
#include "isolation.h"
#include "libc.h"
#include "tap.h"

#include <public/version.h>

#define EC_SHIFT   26
#define EC_MASK    0x3f
#define EC_UNKNOWN 0x00 /* what an UNDEFINED instruction reports */
#define FRAME_ELR  21   /* vectors.S save_regs: ELR at byte 168 */

#define MARKER_BVR 0x0000ffffc0de0000ul /* aligned, canonical: a plausible breakpoint */
#define MARKER_WVR 0x0000ffffbeef0000ul
#define PMCR_E     (1ul << 0)
#define PMCR_C     (1ul << 2)
#define PMCNTEN_C  (1ul << 31)
#define OSLSR_XEN  0x8ul
#define HYPERCALLS 500

static volatile bool probe_armed, probe_undef;

void arch_trap(unsigned long kind, unsigned long esr, unsigned long elr, unsigned long far);
void arch_sync_entry(uint64_t *frame);
unsigned long arch_probe_recover(unsigned long kind, unsigned long esr, uint64_t *frame);
void arch_sync_entry(uint64_t *frame)
{
    uint64_t esr, far;

    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    if (probe_armed && ((esr >> EC_SHIFT) & EC_MASK) == EC_UNKNOWN) {
        probe_undef = true;
        probe_armed = false;
        frame[FRAME_ELR] += 4;
        return;
    }
    if (arch_probe_recover(4, esr, frame)) /* the hostile suite's probes (probe.c) */
        return;
    arch_trap(4, esr, frame[FRAME_ELR], far);
}

static void probe_begin(void)
{
    probe_undef = false;
    probe_armed = true;
    __asm__ volatile("" ::: "memory");
}

static bool probe_end(void)
{
    __asm__ volatile("" ::: "memory");
    probe_armed = false;
    return probe_undef;
}

/* Read/write a register by name; *undef says whether it was UNDEFINED (then 0). */
#define MRS_PROBE(reg, undef)                                                                      \
    ({                                                                                             \
        uint64_t v_ = 0;                                                                           \
        probe_begin();                                                                             \
        __asm__ volatile("mrs %0, " #reg : "+r"(v_)::"memory");                                    \
        *(undef) = probe_end();                                                                    \
        v_;                                                                                        \
    })
#define MSR_PROBE(reg, val)                                                                        \
    ({                                                                                             \
        probe_begin();                                                                             \
        __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(val)) : "memory");                    \
        probe_end();                                                                               \
    })

#define PFR0_EL0_MASK    0xful
#define PFR0_EL0_AARCH32 0x2ul /* EL0 can run AArch32 too */
#define EC_SVC32         0x11
#define ESR_EC(esr)      (((esr) >> EC_SHIFT) & EC_MASK)

/*
 * An AArch32 process of this (AArch64) kernel touches the PMU and the debug registers:
 * the hypervisor sees AArch32 exception classes (EC 0x03, 0x05). Xen 4.17: PMUSERENR reads
 * 0 at EL0, DBGDSCRint is UNDEFINED, and the domain goes on.
 */
static void el0_aarch32(void)
{
    uint64_t pfr0, esr, out[3] = {0, 0, 0};
    uint64_t entry = el0_alias_base + ((uintptr_t)el0_a32_probe & ((1ul << 30) - 1));
    const char *why = NULL;

    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    if ((pfr0 & PFR0_EL0_MASK) != PFR0_EL0_AARCH32)
        why = "no AArch32 at EL0";
    else if (el0_alias_base == 0)
        why = "no GiB below 4 GiB free for an EL0 alias";
    if (why != NULL) {
        tap_skip(why, "AArch32 EL0: MRC PMUSERENR reads 0, the process goes on");
        tap_skip(why, "AArch32 EL0: MRC DBGDSCRint is UNDEFINED, domain lives");
        return;
    }
    esr = arch_run_el0_a32(entry, out);
    tap_ok(out[2] == entry + 4 && out[0] == 0,
           "AArch32 EL0: MRC PMUSERENR reads 0, the process goes on (r0 %lx, stopped at +%lx)",
           (unsigned long)out[0], (unsigned long)(out[2] - entry));
    tap_ok(ESR_EC(esr) == EC_UNKNOWN && out[2] == entry + 4,
           "AArch32 EL0: MRC DBGDSCRint is UNDEFINED to the guest kernel, domain lives "
           "(ESR %lx at +%lx)",
           (unsigned long)esr, (unsigned long)(out[2] - entry));
    esr = arch_run_el0_a32(entry + 8, out);
    if (ESR_EC(esr) != EC_SVC32)
        tap_diag("AArch32 EL0 SVC came back with ESR %lx", (unsigned long)esr);
}

void arch_isolation_mark(void)
{
    MSR_PROBE(dbgbvr0_el1, MARKER_BVR);
    MSR_PROBE(dbgwvr0_el1, MARKER_WVR);
}

void arch_area_isolation(void)
{
    bool u1, u2, u3, u4, w1, w2, w3, w4;
    uint64_t a, b, c, d, before, after, pmcr;

    a = MRS_PROBE(dbgbvr0_el1, &u1);
    b = MRS_PROBE(dbgwvr0_el1, &u2);
    tap_ok(!u1 && !u2 && a == 0 && b == 0,
           "DBGBVR0/DBGWVR0_EL1 read 0 after every domain wrote a marker (got %lx %lx%s)",
           (unsigned long)a, (unsigned long)b, u1 || u2 ? ", UNDEFINED" : "");

    w1 = MSR_PROBE(dbgbvr1_el1, MARKER_BVR);
    w2 = MSR_PROBE(dbgbcr1_el1, 0x1e7); /* enabled, EL1+EL0, all byte lanes */
    w3 = MSR_PROBE(dbgwvr1_el1, MARKER_WVR);
    w4 = MSR_PROBE(dbgwcr1_el1, 0x1ff7);
    a = MRS_PROBE(dbgbvr1_el1, &u1);
    b = MRS_PROBE(dbgbcr1_el1, &u2);
    c = MRS_PROBE(dbgwvr1_el1, &u3);
    d = MRS_PROBE(dbgwcr1_el1, &u4);
    tap_ok(!(w1 || w2 || w3 || w4 || u1 || u2 || u3 || u4) && (a | b | c | d) == 0,
           "breakpoint and watchpoint registers (DBG{B,W}{V,C}R1_EL1) ignore writes, read 0 "
           "(got %lx %lx %lx %lx)",
           (unsigned long)a, (unsigned long)b, (unsigned long)c, (unsigned long)d);

    w1 = MSR_PROBE(mdscr_el1, 1ul << 12); /* TDCC: would change what EL0 may do */
    a = MRS_PROBE(mdscr_el1, &u1);
    tap_ok(!w1 && !u1 && a == 0, "MDSCR_EL1 ignores writes, reads 0 (got %lx)", (unsigned long)a);

    w1 = MSR_PROBE(oslar_el1, 1); /* lock the OS lock: ignored */
    a = MRS_PROBE(oslsr_el1, &u1);
    tap_ok(!w1 && !u1 && a == OSLSR_XEN,
           "OSLAR_EL1 write ignored, OSLSR_EL1 reads %lx (OS lock implemented, unlocked; "
           "got %lx)",
           OSLSR_XEN, (unsigned long)a);

    MSR_PROBE(pmcr_el0, PMCR_E | PMCR_C);
    MSR_PROBE(pmcntenset_el0, PMCNTEN_C);
    pmcr = MRS_PROBE(pmcr_el0, &u1);
    before = MRS_PROBE(pmccntr_el0, &u2);
    for (unsigned int i = 0; i < HYPERCALLS; i++)
        hc_version(XENVER_version, 0);
    after = MRS_PROBE(pmccntr_el0, &u3);
    tap_ok(!u1 && !u2 && !u3 && pmcr == 0 && before == after,
           "PMCCNTR_EL0 does not count over %u hypercalls after enabling it (%lu -> %lu, "
           "PMCR %lx)",
           HYPERCALLS, (unsigned long)before, (unsigned long)after, (unsigned long)pmcr);

    MRS_PROBE(dbgprcr_el1, &u1);
    MRS_PROBE(pmccfiltr_el0, &u2);
    MRS_PROBE(mdccint_el1, &u3);
    tap_ok(u1 && u2 && u3,
           "unemulated debug/PMU registers are UNDEFINED (DBGPRCR_EL1 %d, PMCCFILTR_EL0 %d, "
           "MDCCINT_EL1 %d)",
           u1, u2, u3);

    el0_aarch32();
}
