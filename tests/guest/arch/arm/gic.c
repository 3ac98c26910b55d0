/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal GIC drivers for a guest: enable the distributor, this vCPU's interface, and the
 * PPIs we use (the event upcall and the virtual timer) at one priority. Which GIC and
 * where comes from the DT, as does the upcall interrupt (/hypervisor "interrupts": Xen
 * gives dom0 and domUs PPI 31, written <1 15 0xf08>). Shared by arm64 and arm32: the
 * GICv3 CPU interface registers and MPIDR come from each arch's gic_cpuif.h.
 */
#include "gic.h"
#include "gic_cpuif.h"
#include "fdt.h"
#include "guest_arch.h"
#include "libc.h"

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xf00
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00c
#define GICC_EOIR       0x010
#define GICR_TYPER      0x008
#define GICR_WAKER      0x014
#define GICR_SGI        0x10000 /* SGI_base frame of a redistributor */
#define GICR_IGROUPR0   0x080
#define IRQ_PRIORITY    0xa0

static int version;
static uintptr_t gicd, gicc, gicr_region;
static uint64_t gicr_size;
static uintptr_t gicr[GUEST_MAX_CPUS];
static uint32_t upcall_irq;

static inline uint32_t rd32(uintptr_t a)
{
    return *(volatile uint32_t *)a;
}

static inline void wr32(uintptr_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

/* A 64-bit register: one access on arm64; two 32-bit ones (low word first) on arm32, as
 * Linux's lo_hi_readq: an LDRD gives the hypervisor no syndrome to emulate it by. */
static inline uint64_t rd64(uintptr_t a)
{
#ifdef __aarch64__
    return *(volatile uint64_t *)a;
#else
    uint32_t lo = rd32(a);

    return (uint64_t)rd32(a + 4) << 32 | lo;
#endif
}

uint32_t gic_upcall_irq(void)
{
    return upcall_irq;
}

const char *arch_irq_controller(void)
{
    static char desc[40];

    snprintf(desc, sizeof(desc), "%s (upcall INTID %u)",
             version == 3   ? "GICv3"
             : version == 2 ? "GICv2"
                            : "no GIC",
             upcall_irq);
    return desc;
}

/* The DT's interrupt controller node: GICv3 first, then the GICv2 kinds; -1 if none. */
static int gic_node(void)
{
    static const char *const v2[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic"};
    int node = fdt_find_compatible("arm,gic-v3");

    for (uint32_t i = 0; i < ARRAY_SIZE(v2) && node < 0; i++)
        node = fdt_find_compatible(v2[i]);
    return node;
}

bool gic_in_gib(uint64_t gb)
{
    int node = gic_node();
    uint64_t base, size;

    for (unsigned int i = 0; node >= 0 && fdt_reg(node, i, &base, &size); i++)
        if (base >> 30 == gb || (size != 0 && (base + size - 1) >> 30 == gb))
            return true;
    return false;
}

const char *gic_init(void)
{
    int node = gic_node(), hyp;
    uint64_t base, size;
    uint32_t len;
    const uint8_t *irq;

    if (node >= 0 && fdt_compatible(node, "arm,gic-v3")) {
        version = 3;
        if (!fdt_reg(node, 0, &base, &size))
            return "GICv3 node without reg";
        gicd = (uintptr_t)base;
        if (!fdt_reg(node, 1, &base, &gicr_size))
            return "GICv3 node without a redistributor region";
        gicr_region = (uintptr_t)base;
    } else {
        if (node < 0)
            return "no GIC in the DT";
        version = 2;
        if (!fdt_reg(node, 0, &base, &size))
            return "GICv2 node without reg";
        gicd = (uintptr_t)base;
        if (!fdt_reg(node, 1, &base, &size))
            return "GICv2 node without a CPU interface";
        gicc = (uintptr_t)base;
    }

    hyp = fdt_path("/hypervisor");
    if (hyp < 0 || !fdt_compatible(hyp, "xen,xen"))
        return "no /hypervisor node compatible with \"xen,xen\"";
    irq = fdt_prop(hyp, "interrupts", &len);
    if (irq == NULL || len < 8)
        return "/hypervisor has no interrupts";
    upcall_irq = fdt_be32(irq + 4) + (fdt_be32(irq) == 1 ? 16 : 32);

    /* Group 1 (non-secure) forwarding; GICv3 with affinity routing. */
    wr32(gicd + GICD_CTLR, version == 3 ? (1u << 4) | (1u << 1) : 1u);
    return NULL;
}

/* This vCPU's redistributor: the frame whose GICR_TYPER affinity matches MPIDR. */
static uintptr_t find_redistributor(void)
{
    uint64_t mpidr = read_mpidr(), aff, off;

    aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
    for (off = 0; off + 0x20000 <= gicr_size;) {
        uint64_t typer = rd64(gicr_region + off + GICR_TYPER);

        if ((typer >> 32) == aff)
            return gicr_region + off;
        if (typer & (1u << 4)) /* Last */
            break;
        off += (typer & (1u << 1)) ? 0x40000 : 0x20000; /* VLPIS: two more frames */
    }
    return 0;
}

void gic_cpu_init(void)
{
    unsigned int cpu = arch_cpu_id();

    if (version == 3) {
        uintptr_t rd = find_redistributor();
        unsigned int spins;

        gicr[cpu] = rd;
        if (rd != 0) {
            wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~(1u << 1));
            for (spins = 0; (rd32(rd + GICR_WAKER) & (1u << 2)) && spins < 100000; spins++)
                ;
            wr32(rd + GICR_SGI + GICR_IGROUPR0, 0xffffffffu);
        }
        icc_sre_write(7); /* SRE, DFB, DIB */
        __asm__ volatile("isb");
        icc_pmr_write(0xff);
        icc_bpr1_write(0);
        icc_ctlr_write(0); /* EOImode 0 */
        icc_igrpen1_write(1);
        __asm__ volatile("isb");
    } else if (version == 2) {
        wr32(gicc + GICC_PMR, 0xff);
        wr32(gicc + GICC_CTLR, 1);
    }
    if (upcall_irq != 0)
        gic_enable_ppi(upcall_irq);
}

void gic_enable_ppi(uint32_t irq)
{
    uintptr_t base;
    uint32_t shift = (irq % 4) * 8, word;

    if (version == 3) {
        base = gicr[arch_cpu_id()];
        if (base == 0)
            return;
        base += GICR_SGI;
    } else {
        base = gicd; /* banked per CPU for SGIs and PPIs */
    }
    word = rd32(base + GICD_IPRIORITYR + (irq / 4) * 4);
    word = (word & ~(0xffu << shift)) | ((uint32_t)IRQ_PRIORITY << shift);
    wr32(base + GICD_IPRIORITYR + (irq / 4) * 4, word);
    wr32(base + GICD_ISENABLER + (irq / 32) * 4, 1u << (irq % 32));
}

uint32_t gic_ack(void)
{
    if (version == 3) {
        uint32_t v = icc_iar1_read();

        __asm__ volatile("dsb sy" ::: "memory");
        return v & 0xffffff;
    }
    if (version == 2)
        return rd32(gicc + GICC_IAR) & 0x3ff;
    return 1023;
}

void gic_eoi(uint32_t irq)
{
    if (version == 3)
        icc_eoir1_write(irq);
    else if (version == 2)
        wr32(gicc + GICC_EOIR, irq);
}

void gic_send_sgi_self(uint32_t sgi)
{
    if (version == 3) {
        uint64_t mpidr = read_mpidr(), v;

        /* ICC_SGI1R: INTID [27:24], Aff3/2/1 of the target, target list bit Aff0. */
        v = (uint64_t)(sgi & 15) << 24 | ((mpidr >> 32) & 0xff) << 48 |
            ((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 8) & 0xff) << 16 | 1ull << (mpidr & 15);
        icc_sgi1r_write(v);
        __asm__ volatile("isb");
    } else if (version == 2) {
        wr32(gicd + GICD_SGIR, 2u << 24 | (sgi & 15)); /* TargetListFilter: this CPU */
    }
}
