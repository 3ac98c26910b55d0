/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARM glue of the conformance guest shared by the arm64 and arm32 builds: the identity
 * map's contents (1 GiB blocks: RAM from /memory Normal, the rest Device), vCPU start-up
 * with PSCI, the virtual timer as a timeout source, interrupt entry and the DT UART
 * fallback. What differs by width (system register access, the MMU's control registers,
 * PSCI function ids, the table's size) is each width's arm_cpu.h and arch.c.
 */
#include "arm_guest.h"
#include "fdt.h"
#include "gic.h"
#include "guest_arch.h"
#include "hcall.h"
#include "hostile.h"
#include "libc.h"

#define VTIMER_PPI 27

uint64_t arm_l1_table[ARM_L1_ENTRIES] __attribute__((aligned(4096)));
static unsigned int nr_cpus = 1;
static uint64_t cpu_mpidr[GUEST_MAX_CPUS];
static bool psci_smc;
static volatile uintptr_t uart_base;

/* The 1 GiB block at index gb, as Device or as Normal RAM. */
static uint64_t block(uint64_t gb, bool ram)
{
    return gb << 30 | ARM_PTE_BLOCK | ARM_PTE_AF |
           (ram ? ARM_PTE_SH_INNER | ARM_PTE_ATTR(ARM_MAIR_NORMAL)
                : ARM_PTE_ATTR(ARM_MAIR_DEVICE) | ARM_PTE_XN);
}

/*
 * Identity map: every 1 GiB block that holds RAM (from /memory) is Normal write-back,
 * inner shareable, which Xen requires of memory it shares with the guest and which the
 * exclusives of our atomics need; everything else is Device. Without a DT, only the
 * block we run in.
 */
static void mmu_build(bool have_dt)
{
    int node;
    unsigned int i;

    for (i = 0; i < ARM_L1_ENTRIES; i++)
        arm_l1_table[i] = block(i, false);
    for (node = have_dt ? fdt_first_child(0) : -1; node >= 0; node = fdt_next_sibling(node)) {
        uint32_t len;
        const char *type = fdt_prop(node, "device_type", &len);
        uint64_t base, size;

        if (type == NULL || strcmp(type, "memory") != 0)
            continue;
        for (i = 0; fdt_reg(node, i, &base, &size); i++) {
            uint64_t gb;

            for (gb = base >> 30; gb < ARM_L1_ENTRIES && gb <= (base + size - 1) >> 30; gb++)
                arm_l1_table[gb] = block(gb, true);
        }
    }
    /* Our own image is RAM whatever the DT says. */
    i = (unsigned int)((uintptr_t)arm_l1_table >> 30);
    arm_l1_table[i] = block(i, true);
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
    bool have_dt = fdt_init(dt);

    mmu_build(have_dt);
    if (have_dt)
        cpus_from_dt();
    arm_mmu_finish(); /* the width's own edits, then the MMU on */
    guest_main(dt);
    for (;;)
        __asm__ volatile("wfi");
}

void arch_boot_secondary(unsigned int cpu);
void arch_boot_secondary(unsigned int cpu)
{
    arm_mmu_on();
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
    return (long)call(ARM_PSCI_CPU_ON, cpu_mpidr[cpu], (uintptr_t)secondary_entry, cpu);
}

unsigned int arch_cpu_id(void)
{
    return arm_cpu_index();
}

const char *arch_name(void)
{
    return ARM_NAME;
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
    if (*base >= ((uint64_t)ARM_L1_ENTRIES << 30) ||
        (arm_l1_table[*base >> 30] & ARM_PTE_ATTR(7)) != ARM_PTE_ATTR(ARM_MAIR_DEVICE))
        return -1;
    *seconds = *(volatile uint32_t *)(uintptr_t)*base;
    return 1;
}

uint64_t arch_counter_freq(void)
{
    uint64_t f = arm_cntfrq();

    return f ? f : 62500000; /* QEMU virt's frequency if firmware left it 0 */
}

void arch_timer_arm(uint64_t ticks)
{
    arm_cntv_cval_write(arch_counter() + ticks);
    arm_cntv_ctl_write(1); /* enabled, not masked */
    __asm__ volatile("isb");
}

void arch_timer_disarm(void)
{
    arm_cntv_ctl_write(2); /* disabled, masked */
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

/* ---- The hostile suite's interrupt storm, both widths ---- */

#define STORM_SGI 5

/* SGIs to ourselves for ms milliseconds, 16 at a time, each batch taken as it comes. */
unsigned long arch_irq_storm(unsigned int ms)
{
    uint64_t end = arch_counter() + ms * (arch_counter_freq() / 1000);
    unsigned long sent = 0;

    gic_enable_ppi(STORM_SGI);
    while (arch_counter() < end) {
        unsigned int i;

        for (i = 0; i < 16; i++, sent++)
            arm_storm_sgi(STORM_SGI);
        arch_irq_enable(); /* take them: arch_irq_entry acknowledges and EOIs */
        arch_relax();
        arch_irq_disable();
    }
    return sent;
}

/* ---- What the hostile suite (hostile.h) has no use for on ARM: port I/O, extras ---- */

const bool arch_has_port_io = false;

bool arch_fuzz_io(uint64_t rnd, uint32_t val)
{
    (void)rnd;
    (void)val;
    return false;
}

unsigned long arch_fuzz_extra(unsigned int n)
{
    (void)n;
    return 0;
}
