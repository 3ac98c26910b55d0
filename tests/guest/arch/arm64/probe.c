/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 side of the hostile suite (hostile.h): register probes, random system-register
 * and MMIO accesses, SGI storms. An access the hypervisor answers with an exception
 * (UNDEFINED, an injected abort) comes back to arch_probe_recover() through vectors.S,
 * which resumes after the instruction; the probe sees the trap counter move.
 */
#include "arm_guest.h"
#include "gic.h"
#include "guest_arch.h"
#include "hostile.h"
#include "libc.h"

#define SYSREG_OP1S    3    /* op1 = 0, 1, 3 (probe_asm.S) */
#define SYSREG_PER_OP1 2048 /* CRn x CRm x op2 */
#define SYSREG_STUBS   (SYSREG_OP1S * SYSREG_PER_OP1)

void probe_fp_write(const uint64_t v[4]);
void probe_fp_read(uint64_t v[4]);
extern char probe_sysreg_read_stubs[], probe_sysreg_write_stubs[];

volatile unsigned long arch_probe_traps;
static volatile int probe_armed;

unsigned long arch_probe_recover(unsigned long kind, unsigned long esr, uint64_t *frame);
unsigned long arch_probe_recover(unsigned long kind, unsigned long esr, uint64_t *frame)
{
    (void)esr;
    if (!probe_armed)
        return 0;
    arch_probe_traps++;
    if (kind == 4)
        frame[21] += 4; /* the saved ELR: past the instruction that trapped */
    return 1;
}

/* Run one access with recovery armed; true when it trapped. */
#define PROBE(stmt)                                                                                \
    ({                                                                                             \
        unsigned long before_ = arch_probe_traps;                                                  \
        probe_armed = 1;                                                                           \
        __asm__ volatile("" ::: "memory");                                                         \
        stmt;                                                                                      \
        __asm__ volatile("isb" ::: "memory");                                                      \
        probe_armed = 0;                                                                           \
        arch_probe_traps != before_;                                                               \
    })

void arch_probe_init(void)
{
    uint64_t cpacr;

    /* CPACR_EL1.FPEN = 0b11: FP/SIMD at EL1 without trapping to ourselves. */
    __asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
    cpacr |= 3ul << 20;
    __asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(cpacr));
}

const char *arch_probe_name(enum probe_class c)
{
    static const char *const names[PROBE_NR] = {"FP/SIMD d16-d19", "debug DBGBVR0/1 DBGWVR0/1",
                                                "PMU PMCCNTR PMEVCNTR0/1 PMEVTYPER0"};

    return c < PROBE_NR ? names[c] : "?";
}

static void debug_write(const uint64_t v[4])
{
    __asm__ volatile("msr dbgbvr0_el1, %0" ::"r"(v[0]));
    __asm__ volatile("msr dbgbvr1_el1, %0" ::"r"(v[1]));
    __asm__ volatile("msr dbgwvr0_el1, %0" ::"r"(v[2]));
    __asm__ volatile("msr dbgwvr1_el1, %0" ::"r"(v[3]));
}

static void debug_read(uint64_t v[4])
{
    __asm__ volatile("mrs %0, dbgbvr0_el1" : "=r"(v[0]));
    __asm__ volatile("mrs %0, dbgbvr1_el1" : "=r"(v[1]));
    __asm__ volatile("mrs %0, dbgwvr0_el1" : "=r"(v[2]));
    __asm__ volatile("mrs %0, dbgwvr1_el1" : "=r"(v[3]));
}

static void pmu_write(const uint64_t v[4])
{
    __asm__ volatile("msr pmccntr_el0, %0" ::"r"(v[0]));
    __asm__ volatile("msr s3_3_c14_c8_0, %0" ::"r"(v[1]));  /* PMEVCNTR0_EL0 */
    __asm__ volatile("msr s3_3_c14_c8_1, %0" ::"r"(v[2]));  /* PMEVCNTR1_EL0 */
    __asm__ volatile("msr s3_3_c14_c12_0, %0" ::"r"(v[3])); /* PMEVTYPER0_EL0 */
}

static void pmu_read(uint64_t v[4])
{
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v[0]));
    __asm__ volatile("mrs %0, s3_3_c14_c8_0" : "=r"(v[1]));
    __asm__ volatile("mrs %0, s3_3_c14_c8_1" : "=r"(v[2]));
    __asm__ volatile("mrs %0, s3_3_c14_c12_0" : "=r"(v[3]));
}

bool arch_probe_write(enum probe_class c, const uint64_t v[PROBE_REGS])
{
    switch (c) {
    case PROBE_FPSIMD:
        return !PROBE(probe_fp_write(v));
    case PROBE_DEBUG:
        return !PROBE(debug_write(v));
    case PROBE_PMU:
        return !PROBE(pmu_write(v));
    default:
        return false;
    }
}

bool arch_probe_read(enum probe_class c, uint64_t v[PROBE_REGS])
{
    switch (c) {
    case PROBE_FPSIMD:
        return !PROBE(probe_fp_read(v));
    case PROBE_DEBUG:
        return !PROBE(debug_read(v));
    case PROBE_PMU:
        return !PROBE(pmu_read(v));
    default:
        return false;
    }
}

bool arch_probe_pmu_run(void)
{
    /* PMCR_EL0.E, every counter enabled, counting at EL2 too (PMCCFILTR_EL0.NSH): a
     * hypervisor that leaves the PMU to guests lets this domain's counters run, and
     * count the hypervisor's cycles, while others run. */
    return !PROBE({
        __asm__ volatile("msr pmccfiltr_el0, %0" ::"r"(1ul << 27));
        __asm__ volatile("msr pmcntenset_el0, %0" ::"r"(0x80000003ul));
        __asm__ volatile("msr pmcr_el0, %0" ::"r"(1ul));
    });
}

/* Writes that would only wreck this guest: its MMU and caches (CRn 1, 2, 10), its
 * exception state and PSTATE (CRn 4), its vectors (VBAR), its per-CPU pointer (TPIDR_EL1). */
static bool sysreg_write_denied(unsigned int op1, unsigned int crn, unsigned int crm,
                                unsigned int op2)
{
    if (op1 == 0)
        return crn == 1 || crn == 2 || crn == 4 || crn == 10 || (crn == 12 && crm == 0) ||
               (crn == 13 && crm == 0 && op2 == 4);
    if (op1 == 3)
        return crn == 4;
    return false;
}

bool arch_fuzz_sysreg(uint64_t rnd, uint64_t val, bool *skipped)
{
    unsigned int idx = (unsigned int)(rnd % SYSREG_STUBS);
    unsigned int op1 = idx / SYSREG_PER_OP1 == 2 ? 3 : idx / SYSREG_PER_OP1;
    unsigned int enc = idx % SYSREG_PER_OP1;
    bool write = (rnd >> 32) & 1;

    *skipped = false;
    if (write) {
        void (*fn)(uint64_t) = (void (*)(uint64_t))(void *)(probe_sysreg_write_stubs + idx * 8);

        if (sysreg_write_denied(op1, enc >> 7, (enc >> 3) & 15, enc & 7)) {
            *skipped = true;
            return false;
        }
        return PROBE(fn(val));
    } else {
        uint64_t (*fn)(void) = (uint64_t(*)(void))(void *)(probe_sysreg_read_stubs + idx * 8);
        volatile uint64_t sink;

        return PROBE(sink = fn());
        (void)sink;
    }
}

uint64_t arch_fuzz_mmio_addr(uint64_t rnd)
{
    /* QEMU virt's map outside a domU's RAM: flash, the GIC (emulated: random register
     * offsets), the UART, virtio-mmio, PCIe windows, and high memory past the domain. */
    static const uint64_t bases[] = {0x00000000, 0x08000000,     0x08010000, 0x080a0000,
                                     0x09000000, 0x0a000000,     0x10000000, 0x3eff0000,
                                     0x80000000, 0x4010000000ull};

    return bases[rnd % ARRAY_SIZE(bases)] + ((rnd >> 8) & 0xfffc);
}

bool arch_fuzz_mmio(uint64_t gpa, bool write)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)gpa;
    volatile uint32_t sink;

    if (write)
        return PROBE(*p = 0xdeadbeefu);
    return PROBE(sink = *p);
    (void)sink;
}

void arm_storm_sgi(unsigned int sgi)
{
    PROBE(gic_send_sgi_self(sgi));
}
