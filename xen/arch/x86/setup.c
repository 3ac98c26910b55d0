/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot CPU bring-up after head.S: console, descriptor tables, the loader's information,
 * banner, heap, trap self-test, then the platform (ACPI, APIC, secondary CPUs).
 * Order matters: the loader's structures are copied out before anything may reuse the
 * low memory they live in, and the heap is carved from RAM that holds neither the image
 * nor a boot module.
 */
#include <asm/platform.h>
#include <asm/pvh.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/irq.h>
#include <xen/alloc.h>
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>
#include <xen/wallclock.h>
#include <xen/serial.h>

#define HEAP_MAX (512ull << 20)
#define HEAP_MIN (16ull << 20)
#define LOW_1M   (1ull << 20)
#define LOW_4G   (1ull << 32) /* the identity map's end */

uint8_t cpu_stacks[NR_CPUS][STACK_SIZE] __attribute__((aligned(4096)));
/* 4 KiB pages for the 2 MiB page that holds the stacks, so their guards can be unmapped. */
static uint64_t stack_pt[512] __attribute__((aligned(4096)));

/*
 * Unmap the lowest page of every CPU's stack. Without it, a stack that overflows writes
 * on silently: CPU 1's into CPU 0's stack, CPU 0's into `running`, `hvm`, the GDT, TSS and
 * IDT below it in .bss, until an interrupt finds a broken IDT and the machine resets with
 * nothing printed. With it, the first push into the guard page faults; that #PF cannot
 * push its frame either, so it becomes a #DF, which runs on its IST stack (desc.c) and
 * prints the state. The 2 MiB boot mapping is split into 4 KiB entries for this: boot_pd
 * is shared by the identity map and the link-address map, so both lose the guards. Runs
 * on CPU 0 before the secondaries start (they come up on these same tables).
 */
void stack_guards_init(void)
{
    paddr_t lo = virt_to_phys(cpu_stacks), hi = lo + sizeof(cpu_stacks) - 1;
    unsigned int slot = (unsigned int)(lo >> 21);
    uint64_t big = boot_pd[slot];

    if ((hi >> 21) != slot || !(big & PTE_PS))
        panic("mm: the CPU stacks 0x%llx-0x%llx are not inside one 2 MiB boot page",
              (unsigned long long)lo, (unsigned long long)hi);
    for (unsigned int i = 0; i < 512; i++)
        stack_pt[i] = ((uint64_t)slot << 21) + ((uint64_t)i << 12) +
                      (big & (PTE_P | PTE_W | PTE_PWT | PTE_PCD));
    for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
        for (unsigned int off = 0; off < STACK_GUARD; off += PAGE_SIZE)
            stack_pt[((virt_to_phys(&cpu_stacks[cpu][off]) >> 12) & 511)] = 0;
    __atomic_store_n(&boot_pd[slot], virt_to_phys(stack_pt) | PTE_P | PTE_W, __ATOMIC_RELEASE);
    WRITE_CR(3, READ_CR(3)); /* no global pages: this flushes every old translation */
}

static struct boot_info boot_info;
static struct platform platform;
static volatile unsigned int timer_hits;

static void timer_selftest_handler(unsigned int irq)
{
    (void)irq;
    timer_hits++;
}

/* The one-shot timer must interrupt a halted CPU: the scheduler depends on exactly that. */
static void timer_selftest(void)
{
    uint64_t t0 = arch_now_ns();

    irq_register(VECTOR_TIMER, timer_selftest_handler);
    lapic_timer_oneshot_ns(1000000);
    for (unsigned int i = 0; i < 1000 && timer_hits == 0; i++)
        __asm__ __volatile__("sti; hlt; cli" ::: "memory");
    if (timer_hits != 1)
        panic("apic: the one-shot timer did not interrupt (%u)", timer_hits);
    printk("apic: timer %llu MHz, tsc %llu MHz (PIT-calibrated); one-shot ok after %llu us\n",
           (unsigned long long)(lapic_timer_hz() / 1000000),
           (unsigned long long)(tsc_hz() / 1000000),
           (unsigned long long)((arch_now_ns() - t0) / 1000));
}

void arch_halt(void)
{
    halt();
}

/* Does [s, e) meet the image or a boot module? Returns the end of what it meets, or 0. */
static paddr_t reserved_overlap(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    paddr_t img_s = virt_to_phys(_start), img_e = virt_to_phys(_end);

    if (s < img_e && e > img_s)
        return img_e;
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        paddr_t ms = bi->module[i].start, me = ms + bi->module[i].size;

        if (s < me && e > ms)
            return me;
    }
    return 0;
}

/*
 * The heap: the largest run of usable RAM between 1 MiB and 4 GiB that holds neither the
 * image nor a module (both loaders leave modules where they put them), capped at HEAP_MAX.
 */
static paddr_t pick_heap(const struct boot_info *bi, size_t *size)
{
    paddr_t best = 0;
    uint64_t best_len = 0;

    for (unsigned int r = 0; r < bi->nr_ram; r++) {
        paddr_t s = MAX(bi->ram[r].start, LOW_1M), end = MIN(bi->ram[r].end, LOW_4G);

        /* Each step either ends this range or skips past one reserved block: bounded. */
        for (unsigned int step = 0; step <= BOOT_MAX_MODULES + 1 && s < end; step++) {
            paddr_t e = end, skip;

            s = (s + PAGE_SIZE - 1) & ~(paddr_t)(PAGE_SIZE - 1);
            /* Shrink [s, e) to the free part before the first reserved block in it. */
            for (paddr_t probe = s; probe < e; probe += PAGE_SIZE) {
                skip = reserved_overlap(bi, probe, probe + PAGE_SIZE);
                if (skip != 0) {
                    e = probe;
                    break;
                }
            }
            if (e > s && e - s > best_len) {
                best = s;
                best_len = e - s;
            }
            if (e == end)
                break;
            s = reserved_overlap(bi, e, e + PAGE_SIZE);
        }
    }
    *size = (size_t)MIN(best_len, HEAP_MAX);
    return best;
}

/* Each secondary CPU, once the domains exist: enable the back end, then run vCPUs. */
static void secondary_run(unsigned int cpu)
{
    xstate_cpu_init(cpu);
    if (hvm->cpu_init(cpu) != 0)
        panic("%s could not be enabled on cpu %u", hvm->name, cpu);
    x86_run_loop(cpu);
}

/* The PC's I/O port space, for a UART on it (COM1): the console drivers reach it here. */
static uint8_t pio_in8(uint64_t port)
{
    return inb((uint16_t)port);
}

static void pio_out8(uint64_t port, uint8_t v)
{
    outb((uint16_t)port, v);
}

static const struct serial_pio x86_pio = {.in8 = pio_in8, .out8 = pio_out8};

/* The board's UART (board.mk: a PC has no DT to name one). */
static void console_init(void)
{
    const struct serial_driver *drv;
    struct serial_resource res;

    if (serial_board_console(&x86_pio, &drv, &res))
        serial_console_start(drv, &res);
    serial_console_locking_on(); /* paging and caches are on from the first instruction */
}

void start_xen(uint32_t magic, uint32_t info)
{
    struct boot_info *bi = &boot_info;
    unsigned int nr_domains;
    paddr_t heap;
    size_t heap_size;
    int rc;

    console_init();
    desc_init();
    desc_load(0);
    stack_guards_init();

    printk("\nminixen %s on %s (x86_64 long mode, xAPIC)\n", MINIXEN_VERSION, MINIXEN_BOARD);
    rc = bootinfo_parse(bi, magic, info);
    if (rc != 0)
        panic("not started by a Multiboot or Multiboot2 loader (magic 0x%x, info 0x%x)", magic,
              info);
    bootinfo_print(bi);
    shutdown_parse_cmdline(bi->cmdline); /* Xen's options may come this way too: noreboot */

    heap = pick_heap(bi, &heap_size);
    if (heap_size < HEAP_MIN)
        panic("no %llu MiB of free RAM for the heap", (unsigned long long)(HEAP_MIN >> 20));
    printk("mm: image 0x%llx-0x%llx at 0x%lx, heap 0x%llx +%zu MiB\n",
           (unsigned long long)virt_to_phys(_start), (unsigned long long)virt_to_phys(_end),
           (unsigned long)_start, (unsigned long long)heap, heap_size >> 20);
    heap_init((uintptr_t)phys_to_virt(heap), heap_size);
    traps_selftest();

    if (acpi_init(&platform, bi) != 0)
        panic("no usable ACPI MADT: cannot find the CPUs and the APICs");
    acpi_print(&platform);
    x86_power_init(&platform.power);
    lapic_init(platform.lapic);
    lapic_timer_calibrate();
    timer_selftest();
    smp_boot_secondaries(&platform);
    smp_ipi_selftest();

    if (!hvm_probe())
        halt();
    x86_kick_init();
    x86_time_init();
    /* The TSC is calibrated: fix the wall clock before any domain exists. */
    wallclock_init(platform.no_cmos_rtc ? NULL : cmos_rtc_probe(platform.rtc_century));
    xstate_cpu_init(0);
    if (hvm->cpu_init(0) != 0)
        panic("%s could not be enabled on cpu 0", hvm->name);
    if (sched_init(nr_cpus_online) != 0)
        panic("no memory for the scheduler's run queues");
    nr_domains = dombuild_from_modules(bi, nr_cpus_online);
    /* Serial input: the debug keys (h, e, q) and dom0's console, on the boot CPU. */
    serial_console_rx_on(VECTOR_UART);
    ioapic_route_isa(&platform, UART_ISA_IRQ, VECTOR_UART, cpu_apic_id[0]);
    printk("minixen: boot complete; %u domain(s) starting\n", nr_domains);
    /* Serial input to dom0 (else the debug keys), and the line that says how to switch. */
    console_endboot();
    smp_start_work(secondary_run);
    x86_run_loop(0);
}
