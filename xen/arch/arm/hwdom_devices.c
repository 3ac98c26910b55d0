/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices passed through to the hardware domain (see asm/hwdom_devices.h).
 *
 * Which devices: the kinds in the table below, found by a walk over every available
 * host DT node, so giving dom0 another device is one more table entry. Each is mapped at
 * its host address (guest physical = host physical), as Xen maps dom0's devices, so the
 * host DT's description of it holds unchanged in dom0's DT.
 *
 * What the hypervisor still does with them: the PL031 is read once by wallclock_init()
 * before any domain runs; from then on dom0 owns it and may also set it (hwclock -w).
 * No interrupts: the vGIC has no path from a physical SPI to a guest yet, so the nodes go
 * out without "interrupts" (Linux's rtc-pl031 reads and sets the time without its IRQ).
 * domUs never get any of this.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/hwdom_devices.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <xen/lib.h>
#include <xen/shutdown.h>

struct hwdom_kind {
    const char *match;       /* a compatible string of the host node */
    const char *name;        /* dom0's node name before '@' */
    const char *compatible;  /* dom0's compatible list, as the host DT has it */
    uint32_t compatible_len; /* sizeof: every NUL */
    bool apb_pclk;
};

#define KIND(m, n, c, clk)                                                                         \
    {                                                                                              \
        (m), (n), (c), sizeof(c), (clk)                                                            \
    }

static const struct hwdom_kind kinds[] = {
    /* The RTC: Linux's rtc-pl031, an AMBA driver, sets the system time from it at boot. */
    KIND("arm,pl031", "pl031", "arm,pl031\0arm,primecell", true),
};

static struct guest_dt_device devices[GUEST_DT_MAX_DEVICES];
static unsigned int nr_devices;

static const struct hwdom_kind *kind_of(const struct fdt *fdt, const struct fdt_node *n)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
        if (fdt_is_compatible(fdt, n, kinds[i].match))
            return &kinds[i];
    return NULL;
}

void hwdom_devices_init(const struct host_dt *dt)
{
    struct fdt_walk w;
    struct fdt_node n;

    nr_devices = 0;
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt->fdt, &w, &n)) {
        const struct hwdom_kind *k = kind_of(&dt->fdt, &n);
        struct guest_dt_device *dev;
        uint64_t base, size;

        if (k == NULL || !fdt_is_available(&dt->fdt, &n))
            continue;
        if (!fdt_reg(&dt->fdt, &n, 0, &base, &size) || size == 0) {
            printk("hwdom: host %s node has no usable reg: not passed through\n", k->match);
            continue;
        }
        /* Stage 2 maps whole pages: a device that shares one with another is refused. */
        if ((base & (PAGE_SIZE - 1)) != 0 || (size & (PAGE_SIZE - 1)) != 0) {
            printk("hwdom: host %s at 0x%llx+0x%llx is not page aligned: not passed through\n",
                   k->match, (unsigned long long)base, (unsigned long long)size);
            continue;
        }
        if (nr_devices == GUEST_DT_MAX_DEVICES) {
            printk("hwdom: more than %u devices to pass through: %s at 0x%llx left out\n",
                   GUEST_DT_MAX_DEVICES, k->match, (unsigned long long)base);
            continue;
        }
        dev = &devices[nr_devices];
        dev->name = k->name;
        dev->compatible = k->compatible;
        dev->compatible_len = k->compatible_len;
        dev->base = base;
        dev->size = size;
        dev->apb_pclk = k->apb_pclk;
        nr_devices++;
    }
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

/* What minixen itself places in d's guest memory map, named for the refusal. */
static const char *collision(const struct domain *d, uint64_t base, uint64_t size)
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
    if (overlaps(base, size, GUEST_PL011_BASE, GUEST_PL011_SIZE))
        return "the vPL011";
    if (overlaps(base, size, ad->ram_base, ad->ram_size))
        return "its RAM";
    return NULL;
}

int hwdom_devices_map(struct domain *d)
{
    if (!is_hardware_domain(d))
        return 0;
    for (unsigned int i = 0; i < nr_devices;) {
        const struct guest_dt_device *dev = &devices[i];
        const char *what = collision(d, dev->base, dev->size);
        int rc;

        if (what != NULL) {
            /*
             * Refuse the device, not dom0: it boots without it. Dropped from the list, so
             * its DT does not describe a device that is not there.
             */
            printk("hwdom: host %s at 0x%llx+0x%llx would cover %s of d%u: refused\n", dev->name,
                   (unsigned long long)dev->base, (unsigned long long)dev->size, what,
                   d->domain_id);
            memmove(&devices[i], &devices[i + 1], (nr_devices - i - 1) * sizeof(devices[0]));
            nr_devices--;
            continue;
        }
        rc = p2m_map(d, dev->base, dev->base, dev->size, P2M_MMIO_DEV);
        if (rc != 0)
            return rc;
        printk("hwdom: d%u gets host %s at 0x%llx+0x%llx (1:1, device memory, no IRQ)\n",
               d->domain_id, dev->name, (unsigned long long)dev->base,
               (unsigned long long)dev->size);
        i++;
    }
    return 0;
}

void hwdom_devices_describe(const struct domain *d, struct guest_dt_desc *g)
{
    if (!is_hardware_domain(d))
        return;
    g->devices = devices;
    g->nr_devices = nr_devices;
}
