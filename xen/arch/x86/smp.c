/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secondary CPUs: INIT, then two STARTUP IPIs (the MP specification's sequence) to each
 * enabled processor of the MADT, one at a time, each waited for (bounded) before the
 * next; see trampoline.S for the path from real mode to start_secondary(). Then an IPI
 * self-test: every CPU must take an IPI from the boot CPU.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/trampoline.h>
#include <xen/irq.h>
#include <xen/lib.h>

#define ICR_INIT    0x00004500 /* INIT, level assert */
#define ICR_STARTUP 0x00004600
#define ICR_FIXED   0x00004000 /* fixed delivery, level assert (edge) */

unsigned int nr_cpus_online = 1;
uint32_t cpu_apic_id[NR_CPUS];
static volatile uint32_t ipi_seen[NR_CPUS];
static void (*volatile secondary_work)(unsigned int cpu);

static void ipi_test_handler(unsigned int irq)
{
    (void)irq;
    __atomic_fetch_add(&ipi_seen[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

static bool start_one(unsigned int cpu, uint32_t apic_id)
{
    struct trampoline_params *tp =
        phys_to_virt(TRAMPOLINE_PA + (paddr_t)(trampoline_params - trampoline_start));
    unsigned int want = cpu + 1;

    tp->cr3 = (uint32_t)virt_to_phys(boot_pml4);
    tp->efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE));
    tp->stack = (uint64_t)&cpu_stacks[cpu][STACK_SIZE];
    tp->cpu = cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    if (lapic_send_ipi(apic_id, ICR_INIT) != 0)
        return false;
    udelay(10000);
    for (unsigned int i = 0; i < 2; i++) {
        if (lapic_send_ipi(apic_id, ICR_STARTUP | (TRAMPOLINE_PA >> 12)) != 0)
            return false;
        udelay(200);
        if (__atomic_load_n(&nr_cpus_online, __ATOMIC_ACQUIRE) >= want)
            return true;
    }
    /* Up to a second for it to report in. */
    for (unsigned int ms = 0; ms < 1000; ms++) {
        if (__atomic_load_n(&nr_cpus_online, __ATOMIC_ACQUIRE) >= want)
            return true;
        udelay(1000);
    }
    return false;
}

void smp_boot_secondaries(const struct platform *p)
{
    size_t len = (size_t)(_trampoline_end - trampoline_start);
    uint32_t self = lapic_id();
    unsigned int next = 1;

    cpu_apic_id[0] = self;
    memcpy(phys_to_virt(TRAMPOLINE_PA), trampoline_start, len);
    for (unsigned int i = 0; i < p->nr_cpus; i++) {
        if (p->apic_id[i] == self)
            continue;
        if (next == NR_CPUS) {
            printk("smp: more than %u cpus; the rest stay off\n", NR_CPUS);
            break;
        }
        cpu_apic_id[next] = p->apic_id[i];
        if (!start_one(next, p->apic_id[i])) {
            printk("smp: cpu %u (apic id %u) did not come up\n", next, p->apic_id[i]);
            break;
        }
        next++;
    }
    printk("smp: %u cpu(s) online\n", nr_cpus_online);
}

void smp_ipi_selftest(void)
{
    unsigned int ok = 0;

    irq_register(VECTOR_KICK, ipi_test_handler);
    for (unsigned int cpu = 1; cpu < nr_cpus_online; cpu++) {
        if (lapic_send_ipi(cpu_apic_id[cpu], ICR_FIXED | VECTOR_KICK) != 0)
            continue;
        for (unsigned int ms = 0; ms < 1000 && ipi_seen[cpu] == 0; ms++)
            udelay(1000);
        ok += ipi_seen[cpu] != 0;
    }
    if (ok + 1 != nr_cpus_online)
        panic("smp: only %u of %u secondary cpus took the test IPI", ok, nr_cpus_online - 1);
    printk("smp: IPI to every secondary cpu ok\n");
}

void start_secondary(unsigned int cpu)
{
    desc_load(cpu);
    lapic_init(0);
    printk("smp: cpu %u up in long mode (apic id %u)\n", cpu, lapic_id());
    __atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_RELEASE);
    /* Parked, interrupts on, until the boot CPU hands out work (smp_start_work). */
    while (secondary_work == NULL)
        __asm__ __volatile__("sti; hlt; cli" ::: "memory");
    secondary_work(cpu);
    halt();
}

void smp_start_work(void (*fn)(unsigned int cpu))
{
    secondary_work = fn;
    for (unsigned int cpu = 1; cpu < nr_cpus_online; cpu++)
        lapic_send_ipi(cpu_apic_id[cpu], ICR_FIXED | VECTOR_KICK);
}
