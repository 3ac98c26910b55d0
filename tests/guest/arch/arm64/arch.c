/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 glue of the conformance guest: identity MMU, vCPU start-up with PSCI, the
 * virtual timer as a timeout source, interrupt entry and the DT UART fallback. The
 * interrupt controllers are in gic.c.
 */
#include "fdt.h"
#include "gic.h"
#include "guest_arch.h"
#include "isolation.h"
#include "hcall.h"
#include "libc.h"

#define PSCI_CPU_ON_64 0xC4000003ul
#define VTIMER_PPI     27

#define PTE_BLOCK     1ul
#define PTE_ATTR(i)   ((unsigned long)(i) << 2)
#define PTE_SH_INNER  (3ul << 8)
#define PTE_AF        (1ul << 10)
#define PTE_XN        (3ul << 53)
#define PTE_PXN       (1ul << 53)
#define PTE_AP_RO_EL0 (3ul << 6) /* read-only at EL1 and EL0 */
#define MAIR_DEVICE   0          /* attribute index 0: Device-nGnRnE */
#define MAIR_NORMAL   1          /* attribute index 1: Normal, write-back */

void arch_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair);
unsigned long arch_smccc_hvc(unsigned long fid, unsigned long a1, unsigned long a2,
                             unsigned long a3);
unsigned long arch_smccc_smc(unsigned long fid, unsigned long a1, unsigned long a2,
                             unsigned long a3);
extern char secondary_entry[];

/* One level-1 table of 1 GiB blocks covers a 39-bit address space (T0SZ = 25). */
static uint64_t l1_table[512] __attribute__((aligned(4096)));
static uint64_t mmu_tcr, mmu_mair;
static unsigned int nr_cpus = 1;
static uint64_t cpu_mpidr[GUEST_MAX_CPUS];
static bool psci_smc;
uint64_t el0_alias_base; /* isolation.h */
static volatile uintptr_t uart_base;

#define sysreg_read(r)                                                                             \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #r : "=r"(v_));                                                \
        v_;                                                                                        \
    })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

/*
 * Identity map: every 1 GiB block that holds RAM (from /memory) is Normal write-back,
 * inner shareable, which Xen requires of memory it shares with the guest and which the
 * exclusives of our atomics need; everything else is Device.
 */
static void mmu_build(void)
{
    int node;
    unsigned int i;

    for (i = 0; i < 512; i++)
        l1_table[i] = ((uint64_t)i << 30) | PTE_BLOCK | PTE_AF | PTE_ATTR(MAIR_DEVICE) | PTE_XN;
    for (node = fdt_first_child(0); node >= 0; node = fdt_next_sibling(node)) {
        uint32_t len;
        const char *type = fdt_prop(node, "device_type", &len);
        uint64_t base, size;

        if (type == NULL || strcmp(type, "memory") != 0)
            continue;
        for (i = 0; fdt_reg(node, i, &base, &size); i++) {
            uint64_t gb;

            for (gb = base >> 30; gb < 512 && gb <= (base + size - 1) >> 30; gb++)
                l1_table[gb] =
                    (gb << 30) | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(MAIR_NORMAL);
        }
    }
    /* Our own image is RAM whatever the DT says. */
    i = (unsigned int)((uintptr_t)l1_table >> 30);
    l1_table[i] = ((uint64_t)i << 30) | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(MAIR_NORMAL);
    /*
     * The same GiB again, read-only and executable only at EL0, for the AArch32 EL0 probe
     * of isolation.c (EL0-accessible memory cannot be EL1's: an alias). AArch32 addresses
     * are 32-bit, so the alias takes a GiB below 4 GiB without RAM, if there is one (the
     * first GiB holds the devices).
     */
    for (unsigned int gb = 3; gb >= 1 && el0_alias_base == 0; gb--) {
        if ((l1_table[gb] & PTE_ATTR(7)) == PTE_ATTR(MAIR_DEVICE) && gb != i) {
            l1_table[gb] = ((uint64_t)i << 30) | PTE_BLOCK | PTE_AF | PTE_SH_INNER |
                           PTE_ATTR(MAIR_NORMAL) | PTE_AP_RO_EL0 | PTE_PXN;
            el0_alias_base = (uint64_t)gb << 30;
        }
    }

    mmu_mair = (0x00ul << (8 * MAIR_DEVICE)) | (0xfful << (8 * MAIR_NORMAL));
    /* T0SZ 25, WB-WA walks, inner shareable, 4K granule, no TTBR1 walks, IPS from the CPU. */
    mmu_tcr = 25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) |
              ((sysreg_read(id_aa64mmfr0_el1) & 7) << 32);
}

static void cpus_from_dt(void)
{
    int cpus = fdt_path("/cpus"), node;
    uint32_t ac = fdt_u32(cpus, "#address-cells", 1);

    nr_cpus = 0;
    for (node = fdt_first_child(cpus); node >= 0 && nr_cpus < GUEST_MAX_CPUS;
         node = fdt_next_sibling(node)) {
        uint32_t len;
        const char *type = fdt_prop(node, "device_type", &len);
        const void *reg = fdt_prop(node, "reg", &len);

        if (type == NULL || strcmp(type, "cpu") != 0 || reg == NULL || len < ac * 4)
            continue;
        cpu_mpidr[nr_cpus++] = fdt_cells(reg, ac);
    }
    if (nr_cpus == 0)
        nr_cpus = 1;
    node = fdt_path("/psci");
    if (node >= 0) {
        uint32_t len;
        const char *method = fdt_prop(node, "method", &len);

        psci_smc = method != NULL && strcmp(method, "smc") == 0;
    }
}

void arch_boot_cpu0(const void *dt);
void arch_boot_cpu0(const void *dt)
{
    if (fdt_init(dt)) {
        mmu_build();
        cpus_from_dt();
    } else {
        /* No DT: map the 1 GiB block we run in and hope for the best. */
        unsigned int i = (unsigned int)((uintptr_t)l1_table >> 30);

        l1_table[i] =
            ((uint64_t)i << 30) | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(MAIR_NORMAL);
        mmu_mair = 0xfful << 8;
        mmu_tcr = 25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (2ul << 32);
    }
    arch_mmu_enable((uintptr_t)l1_table, mmu_tcr, mmu_mair);
    guest_main(dt);
    for (;;)
        __asm__ volatile("wfi");
}

void arch_boot_secondary(unsigned int cpu);
void arch_boot_secondary(unsigned int cpu)
{
    arch_mmu_enable((uintptr_t)l1_table, mmu_tcr, mmu_mair);
    guest_secondary_main(cpu);
    for (;;)
        __asm__ volatile("wfi");
}

unsigned int arch_nr_cpus(void)
{
    return nr_cpus;
}

long arch_cpu_start(unsigned int cpu)
{
    unsigned long (*call)(unsigned long, unsigned long, unsigned long, unsigned long) =
        psci_smc ? arch_smccc_smc : arch_smccc_hvc;

    if (cpu == 0 || cpu >= nr_cpus)
        return -22;
    return (long)call(PSCI_CPU_ON_64, cpu_mpidr[cpu], (uintptr_t)secondary_entry, cpu);
}

unsigned int arch_cpu_id(void)
{
    return (unsigned int)sysreg_read(tpidr_el1);
}

const char *arch_name(void)
{
    return "arm64";
}

const bool arch_block_unmasks_irqs = true;
const bool arch_has_pirqs = false;
const bool arch_has_pvclock = false;
const bool arch_hwdom_rtc_in_dt = true;

/* The PL031's data register at offset 0. The first GiB is Device in our identity map
 * (mmu_build), where QEMU virt and Xen's dom0 map put it; a node whose address our map
 * holds as RAM (or beyond it) is not read: -1. */
int arch_rtc_read(uint64_t *seconds, uint64_t *base)
{
    int node = fdt_find_compatible("arm,pl031");
    uint64_t size;

    *seconds = *base = 0;
    if (node < 0 || !fdt_reg(node, 0, base, &size))
        return 0;
    if (*base >= (512ull << 30) || (l1_table[*base >> 30] & PTE_ATTR(7)) != PTE_ATTR(MAIR_DEVICE))
        return -1;
    *seconds = *(volatile uint32_t *)(uintptr_t)*base;
    return 1;
}

void arch_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

bool arch_irq_enabled(void)
{
    return !(sysreg_read(daif) & (1u << 7));
}

uint64_t arch_counter(void)
{
    __asm__ volatile("isb" ::: "memory");
    return sysreg_read(cntvct_el0);
}

uint64_t arch_counter_freq(void)
{
    uint64_t f = sysreg_read(cntfrq_el0);

    return f ? f : 62500000; /* QEMU virt's frequency if firmware left it 0 */
}

void arch_timer_arm(uint64_t ticks)
{
    sysreg_write(cntv_cval_el0, arch_counter() + ticks);
    sysreg_write(cntv_ctl_el0, 1); /* enabled, not masked */
    __asm__ volatile("isb");
}

void arch_timer_disarm(void)
{
    sysreg_write(cntv_ctl_el0, 2); /* disabled, masked */
    __asm__ volatile("isb");
}

void arch_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
    sched_block(); /* returns at once if an interrupt is pending, whatever PSTATE.I */
}

void arch_cpu_irq_init(void)
{
    gic_cpu_init();
    gic_enable_ppi(VTIMER_PPI);
    arch_timer_disarm();
}

/* The interrupt entry of vectors.S. */
void arch_irq_entry(void);
void arch_irq_entry(void)
{
    unsigned int cpu = arch_cpu_id();
    unsigned int rounds;

    for (rounds = 0; rounds < 16; rounds++) {
        uint32_t irq = gic_ack();

        if (irq >= 1020)
            break;
        if (irq == VTIMER_PPI) {
            arch_timer_disarm();
            gic_eoi(irq);
            guest_irq_timer(cpu);
        } else if (irq == gic_upcall_irq()) {
            /* EOI first: an event raised while we consume re-asserts the line. */
            gic_eoi(irq);
            guest_irq_upcall(cpu);
        } else {
            gic_eoi(irq);
        }
    }
}

void arch_trap(unsigned long kind, unsigned long esr, unsigned long elr, unsigned long far);
void arch_trap(unsigned long kind, unsigned long esr, unsigned long elr, unsigned long far)
{
    (void)kind;
    guest_fatal("unexpected exception (ESR, ELR, FAR)", esr, elr, far);
}

/* ---- UART fallback: PL011 / SBSA UART data register at offset 0 ---- */

bool arch_console_fallback_init(void)
{
    static const char *const compat[] = {"arm,sbsa-uart", "arm,pl011"};
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(compat); i++) {
        int node = fdt_find_compatible(compat[i]);
        uint64_t base, size;

        if (node >= 0 && fdt_reg(node, 0, &base, &size)) {
            uart_base = (uintptr_t)base;
            return true;
        }
    }
    return false;
}

void arch_console_fallback_write(const char *s, unsigned long len)
{
    volatile uint32_t *dr = (volatile uint32_t *)uart_base;
    volatile uint32_t *fr = (volatile uint32_t *)(uart_base + 0x18);
    unsigned long i;

    if (uart_base == 0)
        return;
    for (i = 0; i < len; i++) {
        unsigned int spins = 0;

        while ((*fr & (1u << 5)) && spins++ < 100000) /* TXFF */
            ;
        *dr = (uint8_t)s[i];
    }
}

void arch_isolation_mark(void); /* isolation.c */

const char *arch_platform_init(void)
{
    arch_isolation_mark(); /* every role: a marker another domain must never read */
    return gic_init();
}
