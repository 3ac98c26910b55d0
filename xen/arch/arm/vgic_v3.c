/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv3 guests: the emulated distributor (GICD, affinity routing always on, one security
 * state) and one redistributor per vCPU (RD_base + SGI_base frames, GUEST_GICR_STRIDE
 * apart), plus the trapped SGI system register. The CPU interface itself is the hardware's
 * ICV_* registers. vCPU n has MPIDR affinity 0.0.0.n (as Xen's guest DT says).
 * Registers: Arm IHI 0069. What we do not model reads as zero and ignores writes.
 */
#include <asm/guest_memmap.h>
#include <asm/mmio.h>
#include <asm/vgic_state.h>
#include <xen/errno.h>
#include <xen/shutdown.h>

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IIDR       0x0008
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICD_ID_REGS    0xffd0

#define GICD_CTLR_ENABLES 0x3u /* EnableGrp0, EnableGrp1 (DS = 1 layout) */
#define GICD_CTLR_ARE     (1u << 4)
#define GICD_CTLR_DS      (1u << 6)
#define GICD_TYPER_IDBITS (9u << 19) /* 10 INTID bits */
#define GICD_TYPER_NO1N   (1u << 25)
#define GICD_IROUTER_IRM  (1ull << 31)

#define GICR_CTLR    0x0000
#define GICR_IIDR    0x0004
#define GICR_TYPER   0x0008
#define GICR_WAKER   0x0014
#define GICR_ID_REGS 0xffd0
#define GICR_SGI     0x10000

#define GICR_TYPER_LAST           (1ull << 4)
#define GICR_WAKER_PROCESSORSLEEP (1u << 1)
#define GICR_WAKER_CHILDRENASLEEP (1u << 2)

#define GIC_IIDR_VALUE 0x0000043bu /* implementer Arm, product 0: no quirks apply */

/* PIDR4..7, PIDR0..3, CIDR0..3 (0xffd0-0xfffc): a GICv3 (PIDR2.ArchRev = 3). */
static const uint8_t id_regs[12] = {0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};

/* ---- Registers of INTID-indexed arrays, shared by GICD and the GICR SGI frame ---- */

static bool bitreg_access(struct vcpu *v, unsigned int off, unsigned int word, bool write,
                          uint64_t *data)
{
    enum vgic_bitreg r;
    bool set;

    switch (off & ~0x7fu) {
    case GICD_ISENABLER:
    case GICD_ICENABLER:
        r = VGIC_ENABLE;
        break;
    case GICD_ISPENDR:
    case GICD_ICPENDR:
        r = VGIC_PEND;
        break;
    case GICD_ISACTIVER:
    case GICD_ICACTIVER:
        r = VGIC_ACTIVE;
        break;
    default:
        return false;
    }
    set = (off & 0x80) == 0; /* IS* at +0x000, IC* at +0x080 of each pair */
    if (!write)
        *data = vgic_bits_read(v, word, r);
    else if (set)
        vgic_bits_set(v, word, r, (uint32_t)*data);
    else
        vgic_bits_clear(v, word, r, (uint32_t)*data);
    return true;
}

/* Priority bytes of INTIDs [first, first + size) (the caller checked the range). */
static void prio_access(struct vcpu *v, unsigned int first, struct mmio_access *a)
{
    uint64_t val = 0;

    for (unsigned int i = 0; i < a->size; i++) {
        if (a->write)
            vgic_priority_write(v, first + i, (uint8_t)(a->data >> (8 * i)));
        else
            val |= (uint64_t)vgic_priority_read(v, first + i) << (8 * i);
    }
    if (!a->write)
        a->data = val;
}

static bool size_ok(const struct mmio_access *a, unsigned int size)
{
    return a->size == size && (a->offset & (size - 1)) == 0;
}

/* off: 0xffd0-0xfffc of a 64 KiB frame (GICD or RD_base): the ID registers. */
static uint64_t id_reg(unsigned int off)
{
    return id_regs[((off & 0xffff) - GICD_ID_REGS) / 4];
}

/* ---- Distributor ---- */

static void irouter_write(struct vcpu *v, unsigned int spi, uint64_t val)
{
    struct vgic_domain *vd = vgic_domain_of(v->domain);
    unsigned int to = VGIC_NO_VCPU;

    /* Aff3.Aff2.Aff1 must be 0 for any of our vCPUs; IRM (any CPU) picks vCPU 0. */
    val &= 0xff000000ffull | GICD_IROUTER_IRM | 0xffff00ull;
    vd->spi_router[spi] = val;
    if (val & GICD_IROUTER_IRM)
        to = 0;
    else if ((val & 0xff00ffff00ull) == 0 && (val & 0xff) < v->domain->max_vcpus)
        to = (unsigned int)(val & 0xff);
    vgic_spi_route(v->domain, spi, to);
}

static bool dist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    struct vgic_domain *vd = vgic_domain_of(v->domain);
    unsigned int off = (unsigned int)a->offset;
    uint64_t val = 0;

    (void)priv;
    if (vd == NULL || a->offset >= GUEST_GICV3_GICD_SIZE)
        return false;
    /* IPRIORITYR: bytes; with affinity routing, INTIDs 0-31 live in the redistributors. */
    if (off >= GICD_IPRIORITYR + VGIC_NR_PRIVATE && off < GICD_IPRIORITYR + 0x400 &&
        (a->size == 1 || a->size == 2 || a->size == 4) && (off & (a->size - 1)) == 0) {
        if (off + a->size <= GICD_IPRIORITYR + VGIC_NR_IRQS)
            prio_access(v, off - GICD_IPRIORITYR, a);
        else if (!a->write)
            a->data = 0;
        return true;
    }
    /* IROUTER<n>: 64-bit, or either 32-bit half. */
    if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
        (size_ok(a, 8) || size_ok(a, 4))) {
        unsigned int spi = (off - GICD_IROUTER) / 8 - VGIC_NR_PRIVATE;
        unsigned int shift = (off & 4) * 8;
        uint64_t mask = a->size == 8 ? ~0ull : 0xffffffffull << shift;

        if (a->write)
            irouter_write(v, spi, (vd->spi_router[spi] & ~mask) | (a->data << shift & mask));
        else
            a->data = (vd->spi_router[spi] & mask) >> shift;
        return true;
    }
    if (!size_ok(a, 4)) {
        if (!a->write)
            a->data = 0;
        return true;
    }
    if (a->write)
        val = (uint32_t)a->data;
    if (off == GICD_CTLR) {
        if (a->write)
            vd->ctlr = (uint32_t)val & GICD_CTLR_ENABLES;
        else
            val = vd->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS; /* RWP reads 0: writes are done */
    } else if (off == GICD_TYPER) {
        val = (VGIC_NR_IRQS / 32 - 1) | GICD_TYPER_IDBITS | GICD_TYPER_NO1N |
              (v->domain->max_vcpus > 8 ? 7 : v->domain->max_vcpus - 1) << 5;
    } else if (off == GICD_IIDR) {
        val = GIC_IIDR_VALUE;
    } else if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
        val = (off - GICD_IGROUPR) / 4 == 1 ? ~0u : 0; /* our SPIs: group 1, RAO/WI */
    } else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
        unsigned int word = (off & 0x7f) / 4;

        if (word != 0) /* word 0 (SGIs/PPIs) is the redistributors' with affinity routing */
            bitreg_access(v, off, word, a->write, &val);
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        unsigned int word = (off - GICD_ICFGR) / 4;

        if (word >= 2 && a->write)
            vgic_icfgr_write(v, word, (uint32_t)val);
        else if (word >= 2)
            val = vgic_icfgr_read(v, word);
    } else if (off >= GICD_ID_REGS) {
        val = id_reg(off);
    }
    if (!a->write)
        a->data = val;
    return true;
}

/* ---- Redistributors ---- */

static bool redist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    struct domain *d = v->domain;
    uint32_t idx = (uint32_t)(a->offset / GUEST_GICV3_GICR_STRIDE);
    unsigned int off = (unsigned int)(a->offset % GUEST_GICV3_GICR_STRIDE);
    struct vcpu *t = domain_vcpu(d, idx);
    struct vgic_vcpu *tv = vgic_vcpu_of(t);
    uint64_t val = 0;

    (void)priv;
    if (tv == NULL)
        return false; /* past the last redistributor */
    if (off >= GICR_SGI + GICD_IPRIORITYR && off < GICR_SGI + GICD_IPRIORITYR + VGIC_NR_PRIVATE &&
        (a->size == 1 || a->size == 2 || a->size == 4) && (off & (a->size - 1)) == 0) {
        prio_access(t, off - GICR_SGI - GICD_IPRIORITYR, a);
        return true;
    }
    if (off == GICR_TYPER && size_ok(a, 8)) {
        /* Affinity 0.0.0.idx, processor number idx, Last on the final frame; read-only. */
        if (!a->write)
            a->data = (uint64_t)idx << 32 | (uint64_t)idx << 8 |
                      (idx + 1 == d->max_vcpus ? GICR_TYPER_LAST : 0);
        return true;
    }
    if (!size_ok(a, 4)) {
        if (!a->write)
            a->data = 0;
        return true;
    }
    if (a->write)
        val = (uint32_t)a->data;
    if (off == GICR_IIDR) {
        val = GIC_IIDR_VALUE;
    } else if (off == GICR_TYPER || off == GICR_TYPER + 4) {
        uint64_t typer = (uint64_t)idx << 32 | (uint64_t)idx << 8 |
                         (idx + 1 == d->max_vcpus ? GICR_TYPER_LAST : 0);

        val = (uint32_t)(typer >> ((off - GICR_TYPER) * 8));
    } else if (off == GICR_WAKER) {
        if (a->write)
            tv->waker = (val & GICR_WAKER_PROCESSORSLEEP) != 0;
        else
            val = tv->waker ? GICR_WAKER_PROCESSORSLEEP | GICR_WAKER_CHILDRENASLEEP : 0;
    } else if (off >= GICR_ID_REGS && off < GICR_SGI) {
        val = id_reg(off);
    } else if (off == GICR_SGI + GICD_IGROUPR) {
        val = ~0u; /* group 1, RAO/WI */
    } else if (off >= GICR_SGI + GICD_ISENABLER && off < GICR_SGI + GICD_IPRIORITYR) {
        if (((off - GICR_SGI) & 0x7f) == 0) /* only register 0 exists here */
            bitreg_access(t, off - GICR_SGI, 0, a->write, &val);
    } else if (off == GICR_SGI + GICD_ICFGR || off == GICR_SGI + GICD_ICFGR + 4) {
        unsigned int word = (off - GICR_SGI - GICD_ICFGR) / 4;

        if (a->write)
            vgic_icfgr_write(t, word, (uint32_t)val);
        else
            val = vgic_icfgr_read(t, word);
    }
    /* Everything else (CTLR with RWP 0, LPIs, IGRPMODR, NSACR): RAZ/WI. */
    if (!a->write)
        a->data = val;
    return true;
}

/* ---- ICC_SGI1R_EL1 ---- */

#define SGI1R_IRM (1ull << 40)

static void sgi1r_write(struct vcpu *v, uint64_t val)
{
    uint32_t nr = v->domain->max_vcpus;
    uint64_t all = nr >= 64 ? ~0ull : (1ull << nr) - 1;
    uint64_t targets;

    if (val & SGI1R_IRM) {
        targets = all & ~(1ull << v->vcpu_id);
    } else {
        unsigned int rs = (unsigned int)(val >> 44) & 0xf;
        uint64_t list = val & 0xffff;

        /* Aff3 [55:48], Aff2 [39:32], Aff1 [23:16]: all our vCPUs have 0 there. */
        if ((val & (0xffull << 48 | 0xffull << 32 | 0xffull << 16)) != 0 || rs >= 4)
            return;
        targets = (list << (16 * rs)) & all;
    }
    vgic_send_sgi(v, (unsigned int)(val >> 24) & 0xf, targets);
}

bool vgic_emulate_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val)
{
    uint32_t reg = iss & ISS_SYSREG_MASK;
    bool read = (iss & ISS_READ) != 0;

    if (vgic_vcpu_of(v) == NULL || vgic_domain_of(v->domain)->ops != &vgic_v3_ops)
        return false;
    if (reg == ISS_ICC_SGI1R_EL1) {
        if (read)
            *val = 0; /* write-only: reads are UNKNOWN, zero is as good as any */
        else
            sgi1r_write(v, *val);
        return true;
    }
    if (reg == ISS_ICC_ASGI1R_EL1 || reg == ISS_ICC_SGI0R_EL1) {
        /* Secure group 1 / group 0 SGIs do not exist for a one-security-state guest. */
        if (read)
            *val = 0;
        return true;
    }
    return false;
}

static int domain_init(struct domain *d)
{
    struct vgic_dt_info at;
    int rc;

    vgic_dt_info(d, &at);
    rc = mmio_register(d, at.dist_base, at.dist_size, dist_access, NULL);
    if (rc != 0)
        return rc;
    return mmio_register(d, at.cpu_base, at.cpu_size, redist_access, NULL);
}

/*
 * The hardware domain's GIC is where the host's is, as on Xen, so every other host
 * address stays free for the devices it gets (hwdom_devices.c): its redistributors in the
 * host's region, which has one per host CPU, so one per dom0 vCPU. Every other domain's
 * is at Xen's guest addresses.
 */
static void dt_info(const struct domain *d, struct vgic_dt_info *info)
{
    uint64_t redists = GUEST_GICV3_GICR_STRIDE * (d != NULL ? d->max_vcpus : 1);
    bool host = d != NULL && is_hardware_domain(d) && gic_host.gicd_base != 0 &&
                gic_host.gicr_base != 0 && gic_host.gicr_size >= redists;

    info->dist_base = host ? gic_host.gicd_base : GUEST_GICV3_GICD_BASE;
    info->dist_size = GUEST_GICV3_GICD_SIZE;
    info->cpu_base = host ? gic_host.gicr_base : GUEST_GICV3_GICR0_BASE;
    info->cpu_size = redists;
}

const struct vgic_ops vgic_v3_ops = {
    .version = 3,
    .max_vcpus = GUEST_GICV3_GICR0_SIZE / GUEST_GICV3_GICR_STRIDE, /* redistributors that fit */
    .group1 = true,
    .domain_init = domain_init,
    .dt_info = dt_info,
};

/* For the host unit tests: the two frames' handlers. */
bool vgic_v3_dist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    return dist_access(v, a, priv);
}

bool vgic_v3_redist_access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    return redist_access(v, a, priv);
}
