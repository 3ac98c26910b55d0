/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 side (64- and 32-bit) of the hostile suite (hostile.h): register probes (XMM, DR0-DR3, the
 * AMD performance counters), random MSR and port accesses, MMIO where nothing is, self-IPI and
 * LAPIC-timer storms, WBINVD. An access the hypervisor answers with an exception
 * (#GP, #UD, #PF) resumes at the instruction's fixup label: head.S's exception entry
 * jumps to probe_fixup when it is set and counts the trap.
 */
#include "guest_arch.h"
#include "hostile.h"
#include "libc.h"
#include "x86_probe.h"

#define TIMER_VECTOR     0xef /* arch.c's: its handler EOIs */
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_TMR_INIT  0x838
#define X2APIC_SELF_IPI  0x83f
#define LVT_PERIODIC     (1u << 17)
#define MSR_PERF_CTR0    0xc0010004u /* AMD PERF_CTR0..3 */
#define CR4_OSFXSR       (1ul << 9)
#define CR4_OSXMMEXCPT   (1ul << 10)
#define CR0_EM           (1ul << 2)
#define CR0_TS           (1ul << 3)

volatile unsigned long arch_probe_traps;
volatile unsigned long probe_last_vector;
volatile uintptr_t probe_fixup;

bool try_rdmsr(uint32_t msr, uint64_t *v)
{
    unsigned long before = arch_probe_traps;
    uint32_t lo = 0, hi = 0;

    __asm__ volatile(FIX_BEGIN "rdmsr" FIX_END : "+a"(lo), "+d"(hi) : "c"(msr) : FIX_REG, "memory");
    *v = (uint64_t)hi << 32 | lo;
    return arch_probe_traps == before;
}

bool try_wrmsr(uint32_t msr, uint64_t v)
{
    unsigned long before = arch_probe_traps;

    __asm__ volatile(FIX_BEGIN "wrmsr" FIX_END ::"c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32))
                     : FIX_REG, "memory");
    return arch_probe_traps == before;
}

void arch_probe_init(void)
{
    unsigned long cr0, cr4;
    unsigned long before = arch_probe_traps;

    /* SSE needs CR4.OSFXSR, and no CR0.EM/TS. */
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile(FIX_BEGIN "mov %0, %%cr0" FIX_END ::"r"(cr0 & ~(CR0_EM | CR0_TS))
                     : FIX_REG, "memory");
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile(FIX_BEGIN "mov %0, %%cr4" FIX_END ::"r"(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT)
                     : FIX_REG, "memory");
    (void)before;
}

const char *arch_probe_name(enum probe_class c)
{
    static const char *const names[PROBE_NR] = {"FP/SIMD xmm0-xmm3", "debug DR0-DR3",
                                                "PMU PERF_CTR0-3"};

    return c < PROBE_NR ? names[c] : "?";
}

bool arch_probe_write(enum probe_class c, const uint64_t v[PROBE_REGS])
{
    unsigned long before = arch_probe_traps;
    unsigned int i;

    switch (c) {
    case PROBE_FPSIMD:
        __asm__ volatile(FIX_BEGIN "movq (%0), %%xmm0\n\tmovq 8(%0), %%xmm1\n\t"
                                   "movq 16(%0), %%xmm2\n\tmovq 24(%0), %%xmm3" FIX_END ::"r"(v)
                         : FIX_REG, "memory");
        break;
    case PROBE_DEBUG:
        /* A debug register is a long: a 32-bit guest writes the low halves. */
        __asm__ volatile(FIX_BEGIN "mov %0, %%dr0" FIX_END ::"r"((unsigned long)v[0])
                         : FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %0, %%dr1" FIX_END ::"r"((unsigned long)v[1])
                         : FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %0, %%dr2" FIX_END ::"r"((unsigned long)v[2])
                         : FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %0, %%dr3" FIX_END ::"r"((unsigned long)v[3])
                         : FIX_REG, "memory");
        break;
    case PROBE_PMU:
        for (i = 0; i < PROBE_REGS; i++)
            try_wrmsr(MSR_PERF_CTR0 + 2 * i, v[i] & 0xffffffffffffull); /* 48-bit counters */
        break;
    default:
        return false;
    }
    return arch_probe_traps == before;
}

bool arch_probe_read(enum probe_class c, uint64_t v[PROBE_REGS])
{
    unsigned long before = arch_probe_traps;
    unsigned int i;

    switch (c) {
    case PROBE_FPSIMD:
        __asm__ volatile(FIX_BEGIN "movq %%xmm0, (%0)\n\tmovq %%xmm1, 8(%0)\n\t"
                                   "movq %%xmm2, 16(%0)\n\tmovq %%xmm3, 24(%0)" FIX_END ::"r"(v)
                         : FIX_REG, "memory");
        break;
    case PROBE_DEBUG: {
        unsigned long d[4] = {0};

        __asm__ volatile(FIX_BEGIN "mov %%dr0, %0" FIX_END : "+r"(d[0])::FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %%dr1, %0" FIX_END : "+r"(d[1])::FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %%dr2, %0" FIX_END : "+r"(d[2])::FIX_REG, "memory");
        __asm__ volatile(FIX_BEGIN "mov %%dr3, %0" FIX_END : "+r"(d[3])::FIX_REG, "memory");
        for (i = 0; i < 4; i++)
            v[i] = d[i];
    } break;
    case PROBE_PMU:
        for (i = 0; i < PROBE_REGS; i++)
            try_rdmsr(MSR_PERF_CTR0 + 2 * i, &v[i]);
        break;
    default:
        return false;
    }
    return arch_probe_traps == before;
}

bool arch_probe_pmu_run(void)
{
    unsigned int i;
    bool ok = true;

    /* PERF_CTL0..3: enable, count at every privilege level, event 0x76 (cycles). */
    for (i = 0; i < PROBE_REGS; i++)
        ok &= try_wrmsr(0xc0010000u + i, 1ull << 22 | 3ull << 16 | 0x76);
    return ok;
}

/* Writes that would only wreck this guest: the TSC (its clock), the APIC base, EFER,
 * FS/GS bases (GS holds the per-CPU pointer), and the hypervisor's own MSRs (the
 * hypercall page MSR would overwrite a page of ours). */
static bool msr_write_denied(uint32_t msr)
{
    return msr == 0x10 || msr == 0x1b || msr == 0x3b || msr == 0xc0000080u ||
           (msr >= 0xc0000100u && msr <= 0xc0000102u) || (msr >= 0x40000000u && msr < 0x40010000u);
}

bool arch_fuzz_sysreg(uint64_t rnd, uint64_t val, bool *skipped)
{
    static const uint32_t bases[] = {0, 0xc0000000u, 0xc0010000u, 0x800};
    unsigned int kind = rnd & 7;
    uint32_t msr = kind < 4 ? bases[kind] + (uint32_t)((rnd >> 8) & 0x1fff) : (uint32_t)(rnd >> 16);
    uint64_t v;

    *skipped = false;
    if ((rnd >> 3) & 1) {
        if (msr_write_denied(msr)) {
            *skipped = true;
            return false;
        }
        return !try_wrmsr(msr, val);
    }
    return !try_rdmsr(msr, &v);
}

const bool arch_has_port_io = true;

bool arch_fuzz_io(uint64_t rnd, uint32_t val)
{
    unsigned long before = arch_probe_traps;
    uint16_t port = (uint16_t)(rnd >> 8);
    uint32_t in = 0;

    switch (rnd & 7) {
    case 0:
        __asm__ volatile(FIX_BEGIN "inb %%dx, %%al" FIX_END
                         : "+a"(in)
                         : "d"(port)
                         : FIX_REG, "memory");
        break;
    case 1:
        __asm__ volatile(FIX_BEGIN "inw %%dx, %%ax" FIX_END
                         : "+a"(in)
                         : "d"(port)
                         : FIX_REG, "memory");
        break;
    case 2:
        __asm__ volatile(FIX_BEGIN "inl %%dx, %%eax" FIX_END
                         : "+a"(in)
                         : "d"(port)
                         : FIX_REG, "memory");
        break;
    case 3:
        __asm__ volatile(FIX_BEGIN "outb %%al, %%dx" FIX_END ::"a"(val), "d"(port)
                         : FIX_REG, "memory");
        break;
    case 4:
        __asm__ volatile(FIX_BEGIN "outw %%ax, %%dx" FIX_END ::"a"(val), "d"(port)
                         : FIX_REG, "memory");
        break;
    default:
        __asm__ volatile(FIX_BEGIN "outl %%eax, %%dx" FIX_END ::"a"(val), "d"(port)
                         : FIX_REG, "memory");
        break;
    }
    return arch_probe_traps != before;
}

uint64_t arch_fuzz_mmio_addr(uint64_t rnd)
{
    /* Below 4 GiB (the guest maps it) but outside the domain's RAM: where q35 has its
     * IOAPIC, HPET, LAPIC and PCI windows, and plain holes. */
    static const uint64_t bases[] = {0x3f000000, 0xb0000000, 0xc0000000,
                                     0xfec00000, 0xfed00000, 0xfee00000};

    return bases[rnd % ARRAY_SIZE(bases)] + ((rnd >> 8) & 0xffc);
}

bool arch_fuzz_mmio(uint64_t gpa, bool write)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)gpa;
    unsigned long before = arch_probe_traps;
    uint32_t v = 0;

    if (write)
        __asm__ volatile(FIX_BEGIN "movl %1, (%0)" FIX_END ::"r"(p), "r"(0xdeadbeefu)
                         : FIX_REG, "memory");
    else
        __asm__ volatile(FIX_BEGIN "movl (%1), %0" FIX_END : "+r"(v) : "r"(p) : FIX_REG, "memory");
    return arch_probe_traps != before;
}

unsigned long arch_irq_storm(unsigned int ms)
{
    uint64_t end = arch_counter() + ms * (arch_counter_freq() / 1000);
    unsigned long sent = 0;

    /* The LAPIC timer periodic at its shortest period, and self-IPIs on its vector. */
    try_wrmsr(X2APIC_LVT_TIMER, TIMER_VECTOR | LVT_PERIODIC);
    try_wrmsr(X2APIC_TMR_INIT, 1);
    while (arch_counter() < end) {
        unsigned int i;

        for (i = 0; i < 16; i++, sent++)
            try_wrmsr(X2APIC_SELF_IPI, TIMER_VECTOR);
        arch_irq_enable();
        arch_relax();
        arch_irq_disable();
    }
    try_wrmsr(X2APIC_TMR_INIT, 0);
    arch_cpu_irq_init(); /* the timer as arch.c had it */
    return sent;
}

unsigned long arch_fuzz_extra(unsigned int n)
{
    unsigned int i;

    /* WBINVD writes back and invalidates every cache of the physical CPU: unintercepted,
     * a guest makes every other guest on it pay. */
    for (i = 0; i < n; i++)
        __asm__ volatile(FIX_BEGIN "wbinvd" FIX_END ::: FIX_REG, "memory");
    return n;
}
