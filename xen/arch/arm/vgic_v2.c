/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv2 guests: the emulated distributor at GUEST_GICD_BASE, and the host's virtual CPU
 * interface (GICV) mapped at GUEST_GICC_BASE so the guest's GICC accesses (acknowledge,
 * EOI, priority mask) never trap. Registers: Arm IHI 0048. What the guest may not change,
 * or what we do not model, reads as zero and ignores writes, as the spec allows.
 */
#include <asm/guest_memmap.h>
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <asm/vgic_state.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/shutdown.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00
#define GICD_SGIR       0xf00
#define GICD_ID_REGS    0xfd0

#define GICD_IIDR_VALUE 0x0000043bu /* implementer Arm, product 0: no quirks apply */

/* PIDR4..7, PIDR0..3, CIDR0..3 (0xfd0-0xffc): a GICv2 (PIDR2.ArchRev = 2). */
static const uint8_t id_regs[12] = {0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1};

static uint32_t vcpu_mask(const struct domain *d)
{
    return (1u << d->max_vcpus) - 1; /* max_vcpus <= 8 for GICv2 */
}

static uint8_t byte_read(struct vcpu *v, unsigned int off)
{
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS)
        return vgic_priority_read(v, off - GICD_IPRIORITYR);
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_PRIVATE)
        return (uint8_t)(1u << v->vcpu_id); /* banked: reads as the reader itself */
    if (off >= GICD_ITARGETSR + VGIC_NR_PRIVATE && off < GICD_ITARGETSR + VGIC_NR_IRQS)
        return vd->spi_targets[off - GICD_ITARGETSR - VGIC_NR_PRIVATE];
    return 0;
}

static void byte_write(struct vcpu *v, unsigned int off, uint8_t val)
{
    struct vgic_domain *vd = vgic_domain_of(v->domain);

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
        vgic_priority_write(v, off - GICD_IPRIORITYR, val);
    } else if (off >= GICD_ITARGETSR + VGIC_NR_PRIVATE && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
        unsigned int spi = off - GICD_ITARGETSR - VGIC_NR_PRIVATE;
        uint8_t t = (uint8_t)(val & vcpu_mask(v->domain));

        /* One target is enough (1-of-N): the lowest-numbered vCPU of the list. */
        vd->spi_targets[spi] = t;
        vgic_spi_route(v->domain, spi, t != 0 ? (unsigned int)__builtin_ctz(t) : VGIC_NO_VCPU);
    }
}

static void sgir_write(struct vcpu *v, uint32_t val)
{
    uint64_t all = vcpu_mask(v->domain);
    uint64_t self = 1ull << v->vcpu_id;
    uint64_t targets;

    switch ((val >> 24) & 3) {
    case 0:
        targets = (val >> 16) & 0xff & all;
        break;
    case 1:
        targets = all & ~self;
        break;
    case 2:
        targets = self;
        break;
    default:
        return;
    }
    vgic_send_sgi(v, val & 15, targets);
}

static uint32_t word_read(struct vcpu *v, unsigned int off)
{
    struct domain *d = v->domain;

    if (off == GICD_CTLR)
        return vgic_domain_of(d)->ctlr;
    if (off == GICD_TYPER)
        return (VGIC_NR_IRQS / 32 - 1) | (d->max_vcpus - 1) << 5;
    if (off == GICD_IIDR)
        return GICD_IIDR_VALUE;
    if (off >= GICD_ISENABLER && off < GICD_ICFGR) {
        unsigned int word = (off & 0x7f) / 4;

        switch (off & ~0x7fu) {
        case GICD_ISENABLER:
        case GICD_ICENABLER:
            return vgic_bits_read(v, word, VGIC_ENABLE);
        case GICD_ISPENDR:
        case GICD_ICPENDR:
            return vgic_bits_read(v, word, VGIC_PEND);
        case GICD_ISACTIVER:
        case GICD_ICACTIVER:
            return vgic_bits_read(v, word, VGIC_ACTIVE);
        default: /* IPRIORITYR, ITARGETSR: by bytes */
            break;
        }
        return 0;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
        return vgic_icfgr_read(v, (off - GICD_ICFGR) / 4);
    if (off >= GICD_ID_REGS)
        return id_regs[(off - GICD_ID_REGS) / 4];
    return 0;
}

static void word_write(struct vcpu *v, unsigned int off, uint32_t val)
{
    unsigned int word = (off & 0x7f) / 4;

    if (off == GICD_CTLR) {
        vgic_domain_of(v->domain)->ctlr = val & 1;
        return;
    }
    if (off == GICD_SGIR) {
        sgir_write(v, val);
        return;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        vgic_icfgr_write(v, (off - GICD_ICFGR) / 4, val);
        return;
    }
    switch (off & ~0x7fu) {
    case GICD_ISENABLER:
        vgic_bits_set(v, word, VGIC_ENABLE, val);
        break;
    case GICD_ICENABLER:
        vgic_bits_clear(v, word, VGIC_ENABLE, val);
        break;
    case GICD_ISPENDR:
        vgic_bits_set(v, word, VGIC_PEND, val);
        break;
    case GICD_ICPENDR:
        vgic_bits_clear(v, word, VGIC_PEND, val);
        break;
    case GICD_ISACTIVER:
        vgic_bits_set(v, word, VGIC_ACTIVE, val);
        break;
    case GICD_ICACTIVER:
        vgic_bits_clear(v, word, VGIC_ACTIVE, val);
        break;
    default:
        break; /* read-only, reserved, IGROUPR (one group), SPENDSGIR ...: ignored */
    }
}

static bool byte_reg(unsigned int off)
{
    return off >= GICD_IPRIORITYR && off < GICD_ICFGR;
}

bool vgic_v2_dist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    unsigned int off = (unsigned int)a->offset;

    (void)priv;
    if (a->offset >= GUEST_GICD_SIZE || vgic_domain_of(v->domain) == NULL)
        return false;
    if (byte_reg(off) && (a->size == 1 || a->size == 2 || a->size == 4) &&
        (off & (a->size - 1)) == 0) {
        uint64_t val = 0;

        for (unsigned int i = 0; i < a->size; i++) {
            if (a->write)
                byte_write(v, off + i, (uint8_t)(a->data >> (8 * i)));
            else
                val |= (uint64_t)byte_read(v, off + i) << (8 * i);
        }
        if (!a->write)
            a->data = val;
        return true;
    }
    if (a->size != 4 || (off & 3) != 0) {
        /* Other widths are not architected for these registers: read zero, ignore writes. */
        if (!a->write)
            a->data = 0;
        return true;
    }
    if (a->write)
        word_write(v, off, (uint32_t)a->data);
    else
        a->data = word_read(v, off);
    return true;
}

#define GICV_ALIGN      0x1000ull /* stage 2 maps 4 KiB pages */
/*
 * A GIC-400 wired with 64 KiB pages (ZynqMP: the DT gives each CPU interface 128 KiB) has
 * its second 4 KiB page (GICC_DIR / GICV_DIR) 64 KiB after the first, each page repeated
 * through its 64 KiB. The guest's 8 KiB window then takes its two pages from there.
 */
#define GICV_64K_REGION 0x20000ull
#define GICV_64K_STRIDE 0x10000ull

/* Where the host GICV's second page is, from the first: next to it, or 64 KiB on. */
static uint64_t gicv_page1_offset(uint64_t gicv_size)
{
    return gicv_size >= GICV_64K_REGION ? GICV_64K_STRIDE : GICV_ALIGN;
}

static int domain_init(struct domain *d)
{
    struct vgic_dt_info at;
    int rc;

    if (gic_host.gicv_base == 0)
        return -ENOSYS;
    /*
     * The guest's 8 KiB GICC window is the host's GICV, mapped whole: a host DT that
     * gives GICV less (or an unaligned base) would hand the guest whatever device sits
     * after it. Refuse GICv2 guests on such a machine, and say why.
     */
    if (gic_host.gicv_size < GUEST_GICC_SIZE || (gic_host.gicv_base & (GICV_ALIGN - 1)) != 0) {
        printk("vgic: host GICV 0x%llx+0x%llx is smaller than the 0x%llx a guest's GICC "
               "maps, or not 4 KiB aligned: no GICv2 domains\n",
               (unsigned long long)gic_host.gicv_base, (unsigned long long)gic_host.gicv_size,
               (unsigned long long)GUEST_GICC_SIZE);
        return -ENXIO;
    }
    vgic_dt_info(d, &at);
    rc = mmio_register(d, at.dist_base, at.dist_size, vgic_v2_dist_access, NULL);
    if (rc != 0)
        return rc;
    /* The guest's GICC is the host's GICV: acknowledge/EOI without a trap. */
    rc = p2m_map(d, at.cpu_base, gic_host.gicv_base, GICV_ALIGN, P2M_MMIO_DEV);
    if (rc != 0)
        return rc;
    return p2m_map(d, at.cpu_base + GICV_ALIGN,
                   gic_host.gicv_base + gicv_page1_offset(gic_host.gicv_size),
                   GUEST_GICC_SIZE - GICV_ALIGN, P2M_MMIO_DEV);
}

/*
 * The hardware domain's GIC is where the host's is, as on Xen, so every other host
 * address stays free for the devices it gets (hwdom_devices.c); every other domain's is
 * at Xen's guest addresses.
 */
static void dt_info(const struct domain *d, struct vgic_dt_info *info)
{
    bool host = d != NULL && is_hardware_domain(d) && gic_host.gicd_base != 0 &&
                gic_host.gicc_base != 0 && (gic_host.gicc_base & (GICV_ALIGN - 1)) == 0;

    info->dist_base = host ? gic_host.gicd_base : GUEST_GICD_BASE;
    info->dist_size = GUEST_GICD_SIZE;
    info->cpu_base = host ? gic_host.gicc_base : GUEST_GICC_BASE;
    info->cpu_size = GUEST_GICC_SIZE;
}

const struct vgic_ops vgic_v2_ops = {
    .version = 2,
    .max_vcpus = VGIC_V2_MAX_VCPUS,
    .group1 = false,
    .domain_init = domain_init,
    .dt_info = dt_info,
};
