/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices passed through to the hardware domain (see asm/hwdom_devices.h).
 *
 * Which devices: the kinds in the table below, found by a walk over every available
 * host DT node, so giving dom0 another device is one more table entry. Each is mapped at
 * its host address (guest physical = host physical), as Xen maps dom0's devices, so the
 * host DT's description of it holds unchanged in dom0's DT. Stage 2 maps whole pages: a
 * device smaller than a page (QEMU's virtio-mmio transports are 0x200 bytes) brings its
 * whole page, which must not hold anything the hypervisor keeps (its GIC, its console).
 *
 * Interrupts: a device's SPI goes to dom0 as the same INTID of its vGIC (host_spis.c);
 * one past the vGIC's SPIs leaves the device out. DMA: a device that reads and writes
 * memory itself (virtio) is only given to a dom0 whose RAM is mapped 1:1 (domain_build.c):
 * there is no IOMMU, so the addresses dom0 gives it must be host addresses.
 *
 * What the hypervisor still does with them: the PL031 is read once by wallclock_init()
 * before any domain runs; from then on dom0 owns it and may also set it (hwclock -w).
 * domUs never get any of this.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/hwdom_devices.h>
#include <asm/host_spis.h>
#include <asm/hwdom_pci.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/shutdown.h>

struct hwdom_kind {
    const char *match;       /* a compatible string of the host node */
    const char *name;        /* dom0's node name before '@' */
    const char *compatible;  /* dom0's compatible list, as the host DT has it */
    uint32_t compatible_len; /* sizeof: every NUL */
    bool apb_pclk;
    bool dma; /* masters memory itself: only for a 1:1 dom0, and dma-coherent in its DT */
    bool pci; /* a PCIe host bridge: its windows and INTx lines too (hwdom_pci.c) */
    const struct guest_dt_prop *props; /* more of the binding's properties */
    unsigned int nr_props;
};

#define KIND(m, n, c, clk, dma, pci)                                                               \
    {                                                                                              \
        (m), (n), (c), sizeof(c), (clk), (dma), (pci), NULL, 0                                     \
    }
#define KIND_PROPS(m, n, c, clk, props)                                                            \
    {                                                                                              \
        (m), (n), (c), sizeof(c), (clk), false, false, (props), ARRAY_SIZE(props)                  \
    }

/* A GPIO controller's: "gpio-controller" (empty) and "#gpio-cells = <2>". */
static const uint32_t two = 2;
static const struct guest_dt_prop gpio_props[] = {{"gpio-controller", NULL, 0},
                                                  {"#gpio-cells", &two, 1}};

static const struct hwdom_kind kinds[] = {
    /* The RTC: Linux's rtc-pl031, an AMBA driver, sets the system time from it at boot. */
    KIND("arm,pl031", "pl031", "arm,pl031\0arm,primecell", true, false, false),
    /* The GPIO controller (QEMU virt wires its power button to it). */
    KIND_PROPS("arm,pl061", "pl061", "arm,pl061\0arm,primecell", true, gpio_props),
    /* QEMU's firmware configuration interface (Linux's qemu_fw_cfg; it does DMA). */
    KIND("qemu,fw-cfg-mmio", "fw-cfg", "qemu,fw-cfg-mmio", false, true, false),
    /* QEMU virt's virtio transports: disks, network, ... (virtio-*-device on the bus). */
    KIND("virtio,mmio", "virtio_mmio", "virtio,mmio", false, true, false),
    /* QEMU virt's PCIe: ECAM, the I/O and 32-bit memory windows, INTx (no MSI: no ITS). */
    KIND("pci-host-ecam-generic", "pcie", "pci-host-ecam-generic", false, true, true),
};

/* The one PCIe host bridge dom0 gets, described (devices[pci_index]). */
static struct hwdom_pci pci;
static int pci_index = -1;

/* Host ranges a passed-through page must not touch: the GIC and the console UART. */
#define HWDOM_KEEP_MAX 6
static struct {
    uint64_t base, size;
} keep[HWDOM_KEEP_MAX];
static unsigned int nr_keep;

static struct guest_dt_device devices[GUEST_DT_MAX_DEVICES];
static bool device_dma[GUEST_DT_MAX_DEVICES];
static unsigned int nr_devices;

static const struct hwdom_kind *kind_of(const struct fdt *fdt, const struct fdt_node *n)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
        if (fdt_is_compatible(fdt, n, kinds[i].match))
            return &kinds[i];
    return NULL;
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

/* The page-rounded range of a device: [*b, *e). */
static void pages_of(const struct guest_dt_device *dev, uint64_t *b, uint64_t *e)
{
    *b = dev->base & ~(uint64_t)(PAGE_SIZE - 1);
    *e = (dev->base + dev->size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* Host RAM: never a device's. */
#define HWDOM_RAM_MAX 8
static struct {
    uint64_t base, size;
} host_ram[HWDOM_RAM_MAX];
static unsigned int nr_host_ram;

const char *host_range_taken(uint64_t base, uint64_t size)
{
    for (unsigned int i = 0; i < nr_keep; i++)
        if (overlaps(base, size, keep[i].base, keep[i].size))
            return "the hypervisor's own device";
    for (unsigned int i = 0; i < nr_host_ram; i++)
        if (overlaps(base, size, host_ram[i].base, host_ram[i].size))
            return "host RAM";
    for (unsigned int i = 0; i < nr_devices; i++) {
        uint64_t b, e;

        pages_of(&devices[i], &b, &e);
        if (overlaps(base, size, b, e - b))
            return "a device of dom0's";
    }
    return NULL;
}

static void keep_range(uint64_t base, uint64_t size)
{
    if (size != 0 && nr_keep < HWDOM_KEEP_MAX) {
        keep[nr_keep].base = base;
        keep[nr_keep].size = size;
        nr_keep++;
    }
}

/* Its first interrupt, if the host DT gives it one as a GIC SPI (3 cells: 0, n, flags). */
static void read_irq(const struct fdt *fdt, const struct fdt_node *n, struct guest_dt_device *dev)
{
    uint32_t len = 0;
    const uint8_t *p = fdt_prop(fdt, n, "interrupts", &len);

    dev->has_irq = p != NULL && len >= 12 && host_spi_spec(p, &dev->spi, &dev->irq_flags);
}

void hwdom_devices_init(const struct host_dt *dt)
{
    struct fdt_walk w;
    struct fdt_node n;

    nr_devices = 0;
    pci_index = -1;
    nr_keep = 0;
    nr_host_ram = 0;
    for (unsigned int i = 0; i < dt->nr_mem && i < HWDOM_RAM_MAX; i++) {
        host_ram[nr_host_ram].base = dt->mem[i].base;
        host_ram[nr_host_ram].size = dt->mem[i].size;
        nr_host_ram++;
    }
    keep_range(dt->gicd_base, dt->gicd_size);
    keep_range(dt->gicr_base, dt->gicr_size);
    keep_range(dt->gicc_base, dt->gicc_size);
    keep_range(dt->gich_base, dt->gich_size);
    keep_range(dt->gicv_base, dt->gicv_size);
    if (dt->uart_drv != NULL && !dt->uart.pio)
        keep_range(dt->uart.base, PAGE_SIZE);
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt->fdt, &w, &n)) {
        const struct hwdom_kind *k = kind_of(&dt->fdt, &n);
        struct guest_dt_device *dev;
        uint64_t base, size, b, e;
        bool kept = false;

        /* "xen,passthrough": the host DT keeps it for a domU (passthrough.c). */
        if (k == NULL || !fdt_is_available(&dt->fdt, &n) ||
            fdt_prop(&dt->fdt, &n, "xen,passthrough", NULL) != NULL)
            continue;
        if (!fdt_reg(&dt->fdt, &n, 0, &base, &size) || size == 0 || base + size < base) {
            printk("hwdom: host %s node has no usable reg: not passed through\n", k->match);
            continue;
        }
        if (nr_devices == GUEST_DT_MAX_DEVICES) {
            printk("hwdom: more than %u devices to pass through: %s at 0x%llx left out\n",
                   GUEST_DT_MAX_DEVICES, k->match, (unsigned long long)base);
            continue;
        }
        dev = &devices[nr_devices];
        *dev = (struct guest_dt_device){.name = k->name,
                                        .compatible = k->compatible,
                                        .compatible_len = k->compatible_len,
                                        .base = base,
                                        .size = size,
                                        .apb_pclk = k->apb_pclk,
                                        .dma_coherent = k->dma};
        /* Its pages must hold nothing the hypervisor keeps. */
        pages_of(dev, &b, &e);
        for (unsigned int i = 0; i < nr_keep; i++)
            kept |= overlaps(b, e - b, keep[i].base, keep[i].size);
        if (kept) {
            printk("hwdom: host %s at 0x%llx+0x%llx shares a page with the hypervisor's own "
                   "devices: not passed through\n",
                   k->match, (unsigned long long)base, (unsigned long long)size);
            continue;
        }
        read_irq(&dt->fdt, &n, dev);
        dev->props = k->props;
        dev->nr_props = k->nr_props;
        if (k->pci) {
            /* One bridge; its windows stop short of the grant-table window. */
            if (pci_index >= 0 || !hwdom_pci_parse(&dt->fdt, &n, P2M_IPA_LIMIT, GUEST_GNTTAB_BASE,
                                                   GUEST_GNTTAB_SIZE, &pci))
                continue;
            dev->device_type = "pci";
            dev->props = pci.props;
            dev->nr_props = HWDOM_PCI_PROPS;
            while (dev->nr_props > 0 && pci.props[dev->nr_props - 1].name == NULL)
                dev->nr_props--;
            dev->has_irq = false;
            pci_index = (int)nr_devices;
        }
        device_dma[nr_devices] = k->dma;
        nr_devices++;
    }
}

/* What minixen itself places in d's guest memory map, named for the refusal. */
const char *guest_map_collision(const struct domain *d, uint64_t base, uint64_t size)
{
    const struct arm_domain *ad = arm_domain(d);
    struct vgic_dt_info gic;

    vgic_dt_info(d, &gic);
    if (overlaps(base, size, gic.dist_base, gic.dist_size))
        return "the vGIC distributor";
    if (overlaps(base, size, gic.cpu_base, gic.cpu_size))
        return gic.version == 3 ? "the vGIC redistributors" : "the vGIC CPU interface";
    for (unsigned int i = 0; i < ad->nr_mmio; i++)
        if (overlaps(base, size, ad->mmio[i].base, ad->mmio[i].size))
            return "an emulated MMIO region";
    if (overlaps(base, size, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE))
        return "the grant-table window";
    if (ad->vpl011 != NULL && overlaps(base, size, GUEST_PL011_BASE, GUEST_PL011_SIZE))
        return "the vPL011";
    if (overlaps(base, size, ad->ram_base, ad->ram_size))
        return "its RAM";
    return NULL;
}

static void drop(unsigned int i)
{
    memmove(&devices[i], &devices[i + 1], (nr_devices - i - 1) * sizeof(devices[0]));
    memmove(&device_dma[i], &device_dma[i + 1], (nr_devices - i - 1) * sizeof(device_dma[0]));
    nr_devices--;
    if (pci_index == (int)i)
        pci_index = -1;
    else if (pci_index > (int)i)
        pci_index--;
}

/* The bridge's windows 1:1 and its INTx SPIs to d; NULL, or why not. */
static const char *map_bridge(struct domain *d)
{
    for (unsigned int w = 0; w < pci.nr_windows; w++) {
        uint64_t b = pci.window[w].base & ~(uint64_t)(PAGE_SIZE - 1);
        uint64_t e =
            (pci.window[w].base + pci.window[w].size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
        const char *what = guest_map_collision(d, b, e - b);

        if (what != NULL)
            return what;
        if (p2m_map(d, b, b, e - b, P2M_MMIO_DEV) != 0)
            return "its window cannot be mapped";
    }
    for (unsigned int s = 0; s < pci.nr_spis; s++)
        if (host_spi_route(d, 32 + pci.spi[s], true) != 0)
            return "an INTx SPI cannot reach it";
    return NULL;
}

int hwdom_devices_map(struct domain *d)
{
    unsigned int past_vgic = 0;

    if (!is_hardware_domain(d))
        return 0;
    for (unsigned int i = 0; i < nr_devices;) {
        const struct guest_dt_device *dev = &devices[i];
        char irq[24] = "no IRQ";
        const char *what;
        uint64_t b, e;
        int rc;

        /* Refuse the device, not dom0: it boots without it, and its DT leaves it out. */
        if (device_dma[i] && !arm_domain(d)->direct_map) {
            printk("hwdom: host %s at 0x%llx+0x%llx does DMA and d%u is not mapped 1:1: "
                   "refused\n",
                   dev->name, (unsigned long long)dev->base, (unsigned long long)dev->size,
                   d->domain_id);
            drop(i);
            continue;
        }
        pages_of(dev, &b, &e);
        what = guest_map_collision(d, b, e - b);
        if (what != NULL) {
            printk("hwdom: host %s at 0x%llx+0x%llx would cover %s of d%u: refused\n", dev->name,
                   (unsigned long long)dev->base, (unsigned long long)dev->size, what,
                   d->domain_id);
            drop(i);
            continue;
        }
        if ((int)i == pci_index && (what = map_bridge(d)) != NULL) {
            printk("hwdom: host PCIe bridge at 0x%llx: %s: refused\n",
                   (unsigned long long)dev->base, what);
            drop(i);
            continue;
        }
        if ((int)i == pci_index)
            xen_snprintf(irq, sizeof(irq), "INTx on %u SPIs", pci.nr_spis);
        if (dev->has_irq) {
            rc = host_spi_route(d, 32 + dev->spi, host_spi_level(dev->irq_flags));
            if (rc == -ENOSPC) { /* one line for all of them, not one each */
                past_vgic++;
                drop(i);
                continue;
            }
            if (rc != 0) {
                printk("hwdom: host %s at 0x%llx+0x%llx: SPI %u cannot reach d%u (%d): refused\n",
                       dev->name, (unsigned long long)dev->base, (unsigned long long)dev->size,
                       dev->spi, d->domain_id, rc);
                drop(i);
                continue;
            }
            xen_snprintf(irq, sizeof(irq), "SPI %u", dev->spi);
        }
        rc = p2m_map(d, b, b, e - b, P2M_MMIO_DEV);
        if (rc != 0)
            return rc;
        printk("hwdom: d%u gets host %s at 0x%llx+0x%llx (1:1, device memory, %s)\n", d->domain_id,
               dev->name, (unsigned long long)dev->base, (unsigned long long)dev->size, irq);
        i++;
    }
    if (past_vgic != 0)
        printk("hwdom: %u host device(s) with an SPI past d%u's vGIC left out\n", past_vgic,
               d->domain_id);
    return 0;
}

void hwdom_devices_describe(const struct domain *d, struct guest_dt_desc *g)
{
    if (!is_hardware_domain(d))
        return;
    g->devices = devices;
    g->nr_devices = nr_devices;
}
