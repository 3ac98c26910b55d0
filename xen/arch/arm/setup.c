/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot CPU bring-up after head.S: host DT, page tables and MMU, console, banner,
 * vector self-test, heap, clock, GIC and vGIC, secondary CPUs, scheduler, domains, then
 * every CPU enters its run loop. Order matters: the DT is read with the MMU off (byte loads
 * only), because the page tables are built from what it says; secondaries start before the
 * scheduler so that it is sized by the CPUs that really came up, and wait until the
 * domains are built before they look for vCPUs.
 */
#include <asm/guest_atomics.h>
#include <asm/domain_build.h>
#include <asm/gic.h>
#include <asm/vgic.h>
#include <xen/sched.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/vcpu.h>
#include <xen/alloc.h>
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/wallclock.h>
#include <xen/serial.h>

void arm_guest_atomics_init(void);

uint8_t cpu_stacks[NR_CPUS][STACK_SIZE] __attribute__((aligned(16)));

static struct host_dt host_dt;
static volatile unsigned int cpus_online;
static volatile bool cpus_go; /* the domains are built: secondaries may enter their run loops */

unsigned int arm_cpus_online(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

void arch_halt(void)
{
    halt();
}

/*
 * head.S's last words when it cannot go on (entered at EL1): msg on the board's UART,
 * which answers at its physical address with the MMU off. Nothing is set up, .bss not
 * even zeroed: the driver is given everything it uses. CR before LF is msg's own.
 */
void early_message(const char *msg);
void early_message(const char *msg)
{
    const struct serial_driver *drv;
    struct serial_resource r;

    if (!serial_board_console(NULL, &drv, &r))
        return;
    drv->init(&r);
    for (; *msg != '\0'; msg++)
        drv->write_byte(*msg);
}

static void start_secondaries(const struct host_dt *dt)
{
    unsigned int boot_mpidr = (unsigned int)(READ_SYSREG(mpidr_el1) & 0xff00ffffffull);
    unsigned int next = 1;

    for (unsigned int i = 0; i < dt->nr_cpus && next < NR_CPUS; i++) {
        unsigned int want = next + 1;
        int rc;

        if (dt->cpu_mpidr[i] == boot_mpidr)
            continue;
        rc = psci_cpu_on(dt->cpu_mpidr[i], (paddr_t)secondary_entry, next);
        if (rc != 0) {
            printk("smp: cpu mpidr 0x%llx: PSCI CPU_ON failed (%d)\n",
                   (unsigned long long)dt->cpu_mpidr[i], rc);
            continue;
        }
        /* Wait for it to report in before starting the next (bounded: ~1 s of polling). */
        for (unsigned long spin = 0; spin < 100000000ul && cpus_online < want; spin++)
            __asm__ __volatile__("yield" ::: "memory");
        if (cpus_online < want) {
            printk("smp: cpu %u did not come up\n", next);
            break;
        }
        next++;
    }
    printk("smp: %u cpu(s) online\n", cpus_online);
}

void start_secondary(unsigned int cpu)
{
    mm_enable_secondary();
    gic_init_secondary();
    arm_cpu_virt_init();
    printk("smp: cpu %u up at EL2 (mpidr 0x%llx)\n", cpu,
           (unsigned long long)(READ_SYSREG(mpidr_el1) & 0xff00ffffffull));
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
    /* Parked until the boot CPU has built the domains and their vCPUs are queued. */
    while (!__atomic_load_n(&cpus_go, __ATOMIC_ACQUIRE))
        __asm__ __volatile__("wfe" ::: "memory");
    arm_run_loop();
}

/* Build the domains the DT describes; the number built (0 without a builder or config). */
static int build_domains(const struct host_dt *dt, paddr_t dtb)
{
    int rc;

    rc = sched_init(cpus_online);
    if (rc != 0)
        panic("scheduler: sched_init(%u) failed (%d)", cpus_online, rc);
    rc = arm_build_domains(dt, dtb);
    if (rc < 0)
        printk("minixen: building the domains failed (%d)\n", rc);
    return rc < 0 ? 0 : rc;
}

void start_xen(paddr_t dtb)
{
    struct host_dt *dt = &host_dt;
    paddr_t heap_start = ((paddr_t)_end + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
    const struct serial_driver *early_uart;
    struct serial_resource early_res;
    int rc;

    /* The board's UART until the DT is read (the MMU is off: devices answer at their
     * physical addresses), so that a DT we cannot use is still reported. */
    if (serial_board_console(NULL, &early_uart, &early_res))
        serial_console_start(early_uart, &early_res);
    /* The DTB must not overlap the heap we are about to carve behind the image. */
    rc = hostdt_parse(dt, dtb);
    if (rc != 0)
        panic("no usable device tree at 0x%llx (%d)", (unsigned long long)dtb, rc);
    if (dtb < heap_start + HEAP_SIZE && dtb + fdt_total_size((const void *)dtb) > heap_start)
        heap_start =
            (dtb + fdt_total_size((const void *)dtb) + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);

    mm_init(dt, heap_start, HEAP_SIZE);
    serial_console_start(dt->uart_drv, &dt->uart);
    serial_console_locking_on(); /* the MMU is on: RAM is cacheable, exclusives work */
    psci_init(dt);
    cpus_online = 1;

    printk("\nminixen %s on %s (EL2, GICv%u)\n", MINIXEN_VERSION, MINIXEN_BOARD, dt->gic_version);
    hostdt_print(dt);
    printk("mm: EL2 identity map, %u page-table pages, MMU and caches on, WXN\n", mm_tables_used());
    printk("mm: image 0x%llx-0x%llx, heap 0x%llx +%u KiB\n", (unsigned long long)_start,
           (unsigned long long)_end, (unsigned long long)heap_start, HEAP_SIZE >> 10);
    heap_init(heap_start, HEAP_SIZE);
    arm_time_init();
    traps_selftest();
    arm_guest_atomics_init();
    printk("atomics: guest atomics use %s\n", arm_guest_atomics_lse ? "LSE" : "bounded LL/SC");

    rc = gic_init(dt);
    if (rc != 0)
        panic("no usable GIC (%d)", rc);
    vgic_init();
    if (dt->uart_intid != 0) { /* else no interrupt in the DT: output only */
        serial_console_rx_on(dt->uart_intid);
        gic_enable_irq(dt->uart_intid, true);
    }
    arm_cpu_virt_init();

    /* The clock runs and the RTC is mapped: fix the wall clock before any domain exists. */
    wallclock_init(pl031_probe(dt->rtc_base));

    start_secondaries(dt);
    rc = build_domains(dt, dtb);
    printk("minixen: boot complete, %d domain(s)%s\n", rc, rc == 0 ? ": idling" : "");
    /* Serial input to dom0 (else the debug keys), and the line that says how to switch. */
    console_endboot();
    __atomic_store_n(&cpus_go, true, __ATOMIC_RELEASE);
    __asm__ __volatile__("dsb ish\n sev" ::: "memory");
    arm_run_loop();
}
