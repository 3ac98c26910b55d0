/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local APIC in xAPIC mode (MMIO; this QEMU's TCG has no x2APIC), its one-shot timer
 * and inter-processor interrupts, the TSC as the clock, and the I/O APIC route for the
 * UART. The TSC and the APIC timer are calibrated once against the PIT (channel 2, gate
 * through port 0x61, no interrupt), the one timer whose rate is fixed by the platform.
 * The legacy 8259 PICs are masked for good: every interrupt comes through the APICs.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define APIC_ID        0x020
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_IRR       0x200
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TMR   0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERR   0x370
#define APIC_TMR_INIT  0x380
#define APIC_TMR_CUR   0x390
#define APIC_TMR_DIV   0x3e0

#define SVR_ENABLE       (1u << 8)
#define LVT_MASKED       (1u << 16)
#define LVT_NMI          (4u << 8)
#define ICR_BUSY         (1u << 12)
#define TMR_DIV_16       0x3
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)

#define PIT_HZ        1193182u
#define PIT_CAL_TICKS 11932u /* 10 ms */
#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PIT_GATE      0x61

#define IOAPIC_REGSEL    0x00
#define IOAPIC_WIN       0x10
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

static paddr_t lapic_base = 0xfee00000;
static uint64_t tsc_freq, apic_freq;

static uint32_t lapic_read(unsigned int reg)
{
    return *mmio32(lapic_base + reg);
}

static void lapic_write(unsigned int reg, uint32_t v)
{
    *mmio32(lapic_base + reg) = v;
}

void lapic_init(paddr_t base)
{
    uint64_t msr = rdmsr(MSR_APIC_BASE);

    if (base != 0)
        lapic_base = base;
    /* xAPIC: enabled, x2APIC off (the MMIO interface is the one this CPU model has). */
    wrmsr(MSR_APIC_BASE, (msr | APIC_BASE_ENABLE) & ~APIC_BASE_X2APIC);
    lapic_write(APIC_TPR, 0);
    lapic_write(APIC_LVT_TMR, LVT_MASKED | VECTOR_TIMER);
    lapic_write(APIC_LVT_LINT0, LVT_MASKED);
    lapic_write(APIC_LVT_LINT1, smp_processor_id() == 0 ? LVT_NMI : LVT_MASKED);
    lapic_write(APIC_LVT_ERR, LVT_MASKED);
    lapic_write(APIC_TMR_DIV, TMR_DIV_16);
    lapic_write(APIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    if (smp_processor_id() == 0) {
        /* Mask both 8259s: nothing may arrive through the legacy path. */
        outb(0x21, 0xff);
        outb(0xa1, 0xff);
    }
}

uint32_t lapic_id(void)
{
    return lapic_read(APIC_ID) >> 24;
}

bool lapic_irq_pending(void)
{
    /* IRR: eight 32-bit registers 16 bytes apart; vectors 0-31 are never requested. */
    for (unsigned int i = 1; i < 8; i++)
        if (lapic_read(APIC_IRR + 0x10 * i) != 0)
            return true;
    return false;
}

void lapic_eoi(void)
{
    lapic_write(APIC_EOI, 0);
}

int lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
    unsigned long flags = arch_local_irq_save();
    int rc = 0;

    lapic_write(APIC_ICR_HI, apic_id << 24);
    lapic_write(APIC_ICR_LO, icr_low);
    /* Bounded: an APIC that never accepts the IPI is reported, not waited on forever. */
    for (unsigned int i = 0; (lapic_read(APIC_ICR_LO) & ICR_BUSY) != 0; i++) {
        if (i == 1000000) {
            rc = -EBUSY;
            break;
        }
        __asm__ __volatile__("pause");
    }
    arch_local_irq_restore(flags);
    return rc;
}

void lapic_timer_calibrate(void)
{
    uint64_t t0, t1;
    uint32_t a0, a1;
    uint8_t gate = inb(PIT_GATE);
    unsigned long i;

    /* Channel 2, lobyte/hibyte, mode 0 (OUT rises at terminal count), speaker off. */
    outb(PIT_GATE, (uint8_t)((gate & ~0x02) & ~0x01));
    outb(PIT_CMD, 0xb0);
    outb(PIT_CH2, PIT_CAL_TICKS & 0xff);
    outb(PIT_CH2, PIT_CAL_TICKS >> 8);
    lapic_write(APIC_TMR_INIT, 0xffffffffu);
    t0 = rdtsc();
    a0 = lapic_read(APIC_TMR_CUR);
    outb(PIT_GATE, (uint8_t)((gate & ~0x02) | 0x01)); /* gate high: count */
    for (i = 0; i < 100000000ul && (inb(PIT_GATE) & 0x20) == 0; i++)
        __asm__ __volatile__("pause");
    t1 = rdtsc();
    a1 = lapic_read(APIC_TMR_CUR);
    lapic_write(APIC_TMR_INIT, 0);
    outb(PIT_GATE, gate);
    if (i == 100000000ul)
        panic("apic: the PIT never counted down; cannot calibrate the clocks");
    tsc_freq = (t1 - t0) * PIT_HZ / PIT_CAL_TICKS;
    apic_freq = (uint64_t)(a0 - a1) * PIT_HZ / PIT_CAL_TICKS;
    if (tsc_freq == 0 || apic_freq == 0)
        panic("apic: calibration gave a zero clock (tsc %llu, apic %llu)",
              (unsigned long long)tsc_freq, (unsigned long long)apic_freq);
}

uint64_t tsc_hz(void)
{
    return tsc_freq;
}

uint64_t lapic_timer_hz(void)
{
    return apic_freq;
}

void lapic_timer_oneshot_ns(uint64_t delta_ns)
{
    unsigned __int128 ticks;

    if (delta_ns == 0) {
        lapic_write(APIC_TMR_INIT, 0);
        return;
    }
    /* Rounded up and one tick late: never before the deadline the caller computed. */
    ticks = ((unsigned __int128)delta_ns * apic_freq + 999999999u) / 1000000000u + 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    lapic_write(APIC_LVT_TMR, VECTOR_TIMER); /* one-shot, unmasked */
    lapic_write(APIC_TMR_INIT, (uint32_t)ticks);
}

void udelay(uint64_t us)
{
    uint64_t end = rdtsc() + us * tsc_freq / 1000000u;

    while ((int64_t)(rdtsc() - end) < 0)
        __asm__ __volatile__("pause");
}

uint64_t tsc_ticks_to_ns(uint64_t ticks)
{
    return tsc_freq == 0 ? 0 : (uint64_t)((unsigned __int128)ticks * 1000000000u / tsc_freq);
}

uint64_t arch_now_ns(void)
{
    uint64_t t = rdtsc();

    if (tsc_freq == 0)
        return 0;
    /* Since the machine's reset, as the TSC counts: the guests' TSC is the same clock. */
    return (uint64_t)((unsigned __int128)t * 1000000000u / tsc_freq);
}

static uint32_t ioapic_read(paddr_t base, uint32_t reg)
{
    *mmio32(base + IOAPIC_REGSEL) = reg;
    return *mmio32(base + IOAPIC_WIN);
}

static void ioapic_write(paddr_t base, uint32_t reg, uint32_t v)
{
    *mmio32(base + IOAPIC_REGSEL) = reg;
    *mmio32(base + IOAPIC_WIN) = v;
}

/* ISA interrupts are edge-triggered, active high (unless an override says otherwise). */
void ioapic_route_isa(const struct platform *p, unsigned int irq, unsigned int vector,
                      uint32_t dest_apic_id)
{
    uint32_t gsi = p->isa_gsi[irq & 15], pin, max_pin;

    if (p->ioapic == 0 || gsi < p->ioapic_gsi_base)
        return;
    pin = gsi - p->ioapic_gsi_base;
    max_pin = (ioapic_read(p->ioapic, 1) >> 16) & 0xff;
    if (pin > max_pin)
        return;
    ioapic_write(p->ioapic, IOAPIC_REDTBL(pin) + 1, dest_apic_id << 24);
    ioapic_write(p->ioapic, IOAPIC_REDTBL(pin), vector);
}
