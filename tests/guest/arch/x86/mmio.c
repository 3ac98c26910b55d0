/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 MMIO semantics (the x86 area of role=main, after cpu_policy.c; both widths), what a PVH guest
 * finds outside its RAM: the xAPIC page of its virtual LAPIC (only while the APIC is in xAPIC
 * mode), the hardware domain's I/O APIC, and all ones where nothing is (writes dropped). Each
 * access is one instruction the hypervisor has to decode: MOVs in several encodings (32-bit loads
 * and stores, byte loads with MOVZX, a byte store, an immediate store), and OR, XCHG,
 * TEST and CMP on memory.
 *
 * The suite otherwise keeps the APIC in x2APIC mode (arch.c); here vCPU 0 leaves it for
 * xAPIC mode the architectural way (disabled, then enabled without EXTD), with interrupts
 * masked and its timer disarmed, and returns to x2APIC mode (then arch_cpu_irq_init()
 * programs the timer again).
 */
#include "guest_arch.h"
#include "x86_cpu.h"
#include "x86_probe.h"
#include "xtest.h"

#define MSR_APIC_BASE  0x1b
#define APIC_BASE_EN   (1u << 11)
#define APIC_BASE_EXTD (1u << 10)
#define X2APIC_VERSION 0x803
#define X2APIC_TPR     0x808
#define XAPIC_BASE     0xfee00000u
#define XAPIC_ID       0x20
#define XAPIC_VERSION  0x30
#define XAPIC_TPR      0x80
#define XAPIC_SVR      0xf0
#define IOAPIC_BASE    0xfec00000u
#define IOAPIC_WIN     0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIR0  0x10
#define UNBACKED       0xfed40000u /* where a TPM would be: nothing on QEMU's q35 */

static inline uint32_t mmio_read32(uintptr_t a)
{
    uint32_t v;

    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
    __asm__ volatile("movl %0, (%1)" ::"r"(v), "r"(a) : "memory");
}

static inline uint32_t mmio_read8(uintptr_t a)
{
    uint32_t v;

    __asm__ volatile("movzbl (%1), %0" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
    __asm__ volatile("movb %0, (%1)" ::"q"(v), "r"(a) : "memory");
}

static inline void mmio_write32_imm(uintptr_t a)
{
    __asm__ volatile("movl $0x5a5a5a5a, (%0)" ::"r"(a) : "memory");
}

static inline void mmio_or32(uintptr_t a, uint32_t bits)
{
    __asm__ volatile("orl %0, (%1)" ::"ri"(bits), "r"(a) : "memory", "cc");
}

/* TEST and CMP on memory: the ZF each leaves. */
static inline bool mmio_test32_zero(uintptr_t a, uint32_t bits)
{
    bool zf;

    __asm__ volatile("testl %1, (%2)\n\tsete %0" : "=q"(zf) : "ri"(bits), "r"(a) : "memory", "cc");
    return zf;
}

static inline bool mmio_cmp32_equal(uintptr_t a, uint32_t v)
{
    bool zf;

    __asm__ volatile("cmpl %1, (%2)\n\tsete %0" : "=q"(zf) : "ri"(v), "r"(a) : "memory", "cc");
    return zf;
}

static inline uint32_t mmio_xchg32(uintptr_t a, uint32_t v)
{
    __asm__ volatile("xchgl %0, (%1)" : "+r"(v) : "r"(a) : "memory");
    return v;
}

static void unbacked(void)
{
    uint32_t r32, r8, again;

    r32 = mmio_read32(UNBACKED);
    r8 = mmio_read8(UNBACKED + 3);
    mmio_write32(UNBACKED, 0);
    mmio_write8(UNBACKED + 1, 0);
    mmio_write32_imm(UNBACKED + 4);
    again = mmio_read32(UNBACKED);
    tap_ok(r32 == 0xffffffffu && r8 == 0xff && again == 0xffffffffu,
           "MMIO where nothing is (0x%x): reads all ones (32-bit 0x%x, byte 0x%x), writes "
           "dropped (0x%x after them)",
           UNBACKED, r32, r8, again);

    /* A read-modify-write reads all ones and its write vanishes; TEST and CMP see them. */
    mmio_or32(UNBACKED, 1);
    r32 = mmio_xchg32(UNBACKED + 8, 0x12345678);
    tap_ok(mmio_read32(UNBACKED) == 0xffffffffu && r32 == 0xffffffffu &&
               !mmio_test32_zero(UNBACKED, 0x80000000u) && mmio_cmp32_equal(UNBACKED, 0xffffffffu),
           "MMIO where nothing is: OR and XCHG read all ones (0x%x) and write nothing, TEST and "
           "CMP compare all ones",
           r32);
}

static void xapic(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    uint32_t version = (uint32_t)rdmsr(X2APIC_VERSION), r[4], id, ver, tpr, tpr8, tpr_or, in_x2;
    bool was_x2 = (base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);

    cpuid(1, 0, r);
    /* In x2APIC mode the page is not the APIC's: nothing is there. */
    in_x2 = mmio_read32(XAPIC_BASE + XAPIC_VERSION);
    tap_ok(was_x2 && in_x2 == 0xffffffffu,
           "xAPIC page while in x2APIC mode: not the APIC (version offset reads 0x%x)", in_x2);

    wrmsr(MSR_APIC_BASE, base & ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD));
    wrmsr(MSR_APIC_BASE, (base & ~(uint64_t)APIC_BASE_EXTD) | APIC_BASE_EN);
    id = mmio_read32(XAPIC_BASE + XAPIC_ID);
    ver = mmio_read32(XAPIC_BASE + XAPIC_VERSION);
    tap_ok((uint32_t)rdmsr(MSR_APIC_BASE) ==
                   ((uint32_t)(base & ~(uint64_t)APIC_BASE_EXTD) | APIC_BASE_EN) &&
               id >> 24 == r[1] >> 24 && ver == version,
           "xAPIC page at 0x%x: ID 0x%x (CPUID's initial APIC ID %u), version 0x%x (x2APIC "
           "MSR: 0x%x)",
           XAPIC_BASE, id, r[1] >> 24, ver, version);

    mmio_write32(XAPIC_BASE + XAPIC_TPR, 0x20);
    tpr = mmio_read32(XAPIC_BASE + XAPIC_TPR);
    tpr8 = mmio_read8(XAPIC_BASE + XAPIC_TPR);
    mmio_or32(XAPIC_BASE + XAPIC_TPR, 0x10);
    tpr_or = mmio_read32(XAPIC_BASE + XAPIC_TPR);
    mmio_write32(XAPIC_BASE + XAPIC_TPR, 0);
    tap_ok(tpr == 0x20 && tpr8 == 0x20 && tpr_or == 0x30 &&
               mmio_read32(XAPIC_BASE + XAPIC_TPR) == 0,
           "xAPIC TPR written and read back through the page (0x%x, byte 0x%x; OR 0x10: 0x%x), "
           "then 0",
           tpr, tpr8, tpr_or);

    /* Back to x2APIC mode (xAPIC -> x2APIC directly), the timer as arch.c had it. */
    wrmsr(MSR_APIC_BASE, base);
    arch_cpu_irq_init();
    tap_ok((rdmsr(MSR_APIC_BASE) & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
                   (APIC_BASE_EN | APIC_BASE_EXTD) &&
               rdmsr(X2APIC_TPR) == 0,
           "back in x2APIC mode, TPR 0 through the MSR");
}

static uint32_t ioapic_read(uint32_t reg)
{
    mmio_write32(IOAPIC_BASE, reg);
    return mmio_read32(IOAPIC_BASE + IOAPIC_WIN);
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
    mmio_write32(IOAPIC_BASE, reg);
    mmio_write32(IOAPIC_BASE + IOAPIC_WIN, val);
}

static void ioapic(void)
{
    uint32_t ver = ioapic_read(IOAPIC_VERSION), redir0 = ioapic_read(IOAPIC_REDIR0);
    uint32_t last = IOAPIC_REDIR0 + 2 * 23, lo, hi;

    if (xt.self != 0) {
        tap_ok(ver == 0xffffffffu, "a domU has no I/O APIC at 0x%x (reads 0x%x)", IOAPIC_BASE, ver);
        tap_skip("a domU has no I/O APIC", "I/O APIC redirection entry stored and read back");
        return;
    }
    tap_ok((ver & 0xff) == 0x11 && ((ver >> 16) & 0xff) >= 23 && redir0 == 0x10000,
           "hardware domain: an I/O APIC at 0x%x, version 0x%x (0x11, %u entries), entry 0 "
           "masked (0x%x)",
           IOAPIC_BASE, ver, ((ver >> 16) & 0xff) + 1, redir0);
    /* Entry 23, still masked: a vector and a destination, read back, then as it was. */
    ioapic_write(last, 0x10040);
    ioapic_write(last + 1, 0x01000000);
    lo = ioapic_read(last);
    hi = ioapic_read(last + 1);
    ioapic_write(last, 0x10000);
    ioapic_write(last + 1, 0);
    tap_ok(lo == 0x10040 && hi == 0x01000000 && ioapic_read(last) == 0x10000,
           "I/O APIC redirection entry 23 stored and read back (0x%x 0x%x, masked)", hi, lo);
}

void x86_area_mmio(void)
{
    bool irqs = arch_irq_enabled();

    arch_irq_disable();
    arch_timer_disarm();
    unbacked();
    xapic();
    ioapic();
    if (irqs)
        arch_irq_enable();
}
