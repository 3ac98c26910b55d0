/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host device tree: one walk over the DTB collects what the hypervisor needs to own the
 * machine: RAM, CPUs, the GIC (version decided here, at run time, so one image serves
 * GICv2 and GICv3 boards), the console UART (whichever linked driver drives the one the
 * DT names: serial_dt_console), the PL031 RTC, the generic timer's PPIs, the PSCI
 * conduit, and the RAM the firmware keeps (/memreserve/, /reserved-memory).
 *
 * Addresses are the CPU's: a device inside a bus (the Raspberry Pi 4's GIC sits in /soc at
 * 0x40041000, which the bus's "ranges" put at 0xff841000) is translated up to the root.
 */
#include <asm/hostdt.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/serial.h>

/* Interrupt specifiers in the GIC bindings: <type number flags>, type 1 = PPI. */
#define GIC_SPEC_SPI 0
#define GIC_SPEC_PPI 1

static void copy_str(char *dst, size_t size, const char *src, uint32_t len)
{
    size_t i;

    for (i = 0; i + 1 < size && i < len && src[i] != '\0'; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

static bool name_is(const char *name, const char *base)
{
    /* "memory@40000000" is a "memory" node; so is "memory". */
    while (*base != '\0' && *name == *base) {
        name++;
        base++;
    }
    return *base == '\0' && (*name == '\0' || *name == '@');
}

/* PPI number of the i-th interrupt of a node, if it is a PPI in GIC 3-cell form. */
static bool ppi_of(const struct fdt *fdt, const struct fdt_node *n, unsigned int i, uint32_t *ppi)
{
    uint32_t len;
    const uint8_t *p = fdt_prop(fdt, n, "interrupts", &len);

    if (p == NULL || len < 12 * (i + 1))
        return false;
    if (fdt_be32(p + 12 * i) != GIC_SPEC_PPI)
        return false;
    *ppi = fdt_be32(p + 12 * i + 4);
    return true;
}

/* INTID of the first interrupt of a node, if it is an SPI in GIC 3-cell form. */
static bool spi_intid_of(const struct fdt *fdt, const struct fdt_node *n, uint32_t *intid)
{
    uint32_t len;
    const uint8_t *p = fdt_prop(fdt, n, "interrupts", &len);

    if (p == NULL || len < 12 || fdt_be32(p) != GIC_SPEC_SPI || fdt_be32(p + 4) > 987)
        return false;
    *intid = 32 + fdt_be32(p + 4);
    return true;
}

/*
 * The i-th reg range of path[depth] as the CPU sees it, through its buses' ranges; false
 * (and 0, 0) if it has none or no bus maps it.
 */
static bool cpu_reg(const struct fdt *fdt, const struct fdt_node *path, unsigned int depth,
                    unsigned int i, uint64_t *base, uint64_t *size)
{
    if (fdt_reg(fdt, &path[depth], i, base, size) && fdt_translate(fdt, path, depth, base, *size))
        return true;
    *base = *size = 0;
    return false;
}

static void parse_gic(struct host_dt *dt, const struct fdt_node *path, unsigned int depth,
                      unsigned int version)
{
    const struct fdt *fdt = &dt->fdt;
    const struct fdt_node *n = &path[depth];

    if (dt->gic_version != 0)
        return; /* the first interrupt controller wins; QEMU virt has one */
    dt->gic_version = version;
    cpu_reg(fdt, path, depth, 0, &dt->gicd_base, &dt->gicd_size);
    if (version == 3) {
        cpu_reg(fdt, path, depth, 1, &dt->gicr_base, &dt->gicr_size);
    } else {
        cpu_reg(fdt, path, depth, 1, &dt->gicc_base, &dt->gicc_size);
        cpu_reg(fdt, path, depth, 2, &dt->gich_base, &dt->gich_size);
        cpu_reg(fdt, path, depth, 3, &dt->gicv_base, &dt->gicv_size);
    }
    ppi_of(fdt, n, 0, &dt->gic_maint_irq);
    if (!fdt_prop_u32(fdt, n, "phandle", &dt->gic_phandle))
        dt->gic_phandle = 0;
}

/* One more reserved range; false if there is no room for it. */
static bool add_rsv(struct host_dt *dt, uint64_t base, uint64_t size)
{
    if (size == 0)
        return true; /* a placeholder the firmware did not fill (the Pi's nvram@0) */
    if (dt->nr_rsv == HOSTDT_MAX_RSV)
        return false;
    dt->rsv[dt->nr_rsv].base = base;
    dt->rsv[dt->nr_rsv].size = size;
    dt->nr_rsv++;
    return true;
}

/* path[0] is the root, path[depth] the node (a walk's nodes, kept per depth). */
static void parse_node(struct host_dt *dt, const struct fdt_node *path, unsigned int depth,
                       bool in_cpus)
{
    const struct fdt *fdt = &dt->fdt;
    const struct fdt_node *n = &path[depth];
    uint32_t len;
    const char *s;

    if (!fdt_is_available(fdt, n))
        return;
    if (n->depth == 0) {
        s = fdt_prop(fdt, n, "model", &len);
        if (s != NULL)
            copy_str(dt->model, sizeof(dt->model), s, len);
        return;
    }
    if (in_cpus && n->depth == 2 && fdt_prop_has_string(fdt, n, "device_type", "cpu")) {
        uint64_t mpidr, unused;

        if (dt->nr_cpus < HOSTDT_MAX_CPUS && fdt_reg(fdt, n, 0, &mpidr, &unused))
            dt->cpu_mpidr[dt->nr_cpus++] = mpidr;
        return;
    }
    if (n->depth == 1 &&
        (fdt_prop_has_string(fdt, n, "device_type", "memory") || name_is(n->name, "memory"))) {
        for (unsigned int i = 0; dt->nr_mem < HOSTDT_MAX_MEM; i++) {
            uint64_t base, size;

            if (!fdt_reg(fdt, n, i, &base, &size))
                break;
            if (size == 0)
                continue;
            dt->mem[dt->nr_mem].base = base;
            dt->mem[dt->nr_mem].size = size;
            dt->nr_mem++;
        }
        return;
    }
    if (depth == 2 && name_is(path[1].name, "reserved-memory")) {
        uint64_t base, size;

        /*
         * Every range of its reg, in the root's addresses (the binding's empty ranges);
         * dynamic ones (size and alloc-ranges, no reg) are for dom0 to place.
         */
        for (unsigned int i = 0; fdt_reg(fdt, n, i, &base, &size); i++)
            if (!add_rsv(dt, base, size))
                dt->rsv_overflow = true;
        return;
    }
    if (n->depth == 1 && name_is(n->name, "chosen")) {
        const uint8_t *p;

        p = fdt_prop(fdt, n, "linux,initrd-start", &len);
        if (p != NULL && (len == 4 || len == 8))
            dt->initrd_start = fdt_read_cells(p, len / 4);
        p = fdt_prop(fdt, n, "linux,initrd-end", &len);
        if (p != NULL && (len == 4 || len == 8))
            dt->initrd_end = fdt_read_cells(p, len / 4);
        return;
    }
    if (fdt_is_compatible(fdt, n, "arm,gic-v3")) {
        parse_gic(dt, path, depth, 3);
        return;
    }
    if (fdt_is_compatible(fdt, n, "arm,cortex-a15-gic") ||
        fdt_is_compatible(fdt, n, "arm,gic-400") ||
        fdt_is_compatible(fdt, n, "arm,cortex-a9-gic")) {
        parse_gic(dt, path, depth, 2);
        return;
    }
    if (fdt_is_compatible(fdt, n, "arm,pl031")) {
        uint64_t size;

        if (dt->rtc_base == 0)
            cpu_reg(fdt, path, depth, 0, &dt->rtc_base, &size);
        return;
    }
    if (fdt_is_compatible(fdt, n, "arm,armv8-timer") ||
        fdt_is_compatible(fdt, n, "arm,armv7-timer")) {
        dt->have_timer = true;
        for (unsigned int i = 0; i < 4; i++)
            ppi_of(fdt, n, i, &dt->timer_ppi[i]);
        return;
    }
    if (fdt_is_compatible(fdt, n, "arm,psci-1.0") || fdt_is_compatible(fdt, n, "arm,psci-0.2") ||
        fdt_is_compatible(fdt, n, "arm,psci")) {
        if (fdt_prop_has_string(fdt, n, "method", "hvc"))
            dt->psci = PSCI_HVC;
        else if (fdt_prop_has_string(fdt, n, "method", "smc"))
            dt->psci = PSCI_SMC;
        return;
    }
}

int hostdt_parse(struct host_dt *dt, paddr_t dtb)
{
    struct fdt_walk w;
    struct fdt_node n, path[FDT_MAX_DEPTH + 1];
    unsigned int cpus_depth = 0;
    uint64_t base, size;
    bool in_cpus = false;
    int rc;

    memset(dt, 0, sizeof(*dt));
    /* The header says how big the blob is; fdt_open() checks that against its own limit. */
    rc = fdt_open(&dt->fdt, (const void *)dtb, fdt_total_size((const void *)dtb));
    if (rc != 0)
        return rc;
    fdt_walk_start(&w);
    while (fdt_walk_next(&dt->fdt, &w, &n)) {
        if (in_cpus && n.depth <= cpus_depth)
            in_cpus = false;
        if (n.depth == 1 && name_is(n.name, "cpus")) {
            in_cpus = true;
            cpus_depth = n.depth;
            continue;
        }
        if (n.depth > FDT_MAX_DEPTH)
            continue; /* the walk stops there anyway */
        path[n.depth] = n;
        parse_node(dt, path, n.depth, in_cpus);
    }
    for (unsigned int i = 0; fdt_mem_rsv(&dt->fdt, i, &base, &size); i++)
        if (!add_rsv(dt, base, size))
            dt->rsv_overflow = true;
    if (dt->nr_mem == 0 || dt->nr_cpus == 0 || dt->rsv_overflow)
        return -EINVAL;
    /* The console: the DT's, else the board's (which the memory map must cover too). */
    if (serial_dt_console(&dt->fdt, &dt->uart_drv, &dt->uart, &n))
        spi_intid_of(&dt->fdt, &n, &dt->uart_intid);
    else
        serial_board_console(NULL, &dt->uart_drv, &dt->uart); /* uart_drv NULL if not */
    return 0;
}

static const char *const conduit_names[] = {"none", "hvc", "smc"};

void hostdt_print(const struct host_dt *dt)
{
    uint64_t total = 0;

    printk("dt: model \"%s\"\n", dt->model[0] != '\0' ? dt->model : "?");
    for (unsigned int i = 0; i < dt->nr_mem; i++) {
        printk("dt: memory 0x%llx-0x%llx\n", (unsigned long long)dt->mem[i].base,
               (unsigned long long)(dt->mem[i].base + dt->mem[i].size - 1));
        total += dt->mem[i].size;
    }
    printk("dt: memory total %llu MiB in %u bank(s)\n", (unsigned long long)(total >> 20),
           dt->nr_mem);
    for (unsigned int i = 0; i < dt->nr_rsv; i++)
        printk("dt: reserved 0x%llx-0x%llx\n", (unsigned long long)dt->rsv[i].base,
               (unsigned long long)(dt->rsv[i].base + dt->rsv[i].size - 1));
    printk("dt: cpus %u (mpidr", dt->nr_cpus);
    for (unsigned int i = 0; i < dt->nr_cpus; i++)
        printk(" 0x%llx", (unsigned long long)dt->cpu_mpidr[i]);
    printk(")\n");
    if (dt->gic_version == 3)
        printk("dt: gic v3 dist 0x%llx redist 0x%llx maint ppi %u\n",
               (unsigned long long)dt->gicd_base, (unsigned long long)dt->gicr_base,
               dt->gic_maint_irq);
    else if (dt->gic_version == 2)
        printk("dt: gic v2 dist 0x%llx cpu 0x%llx hyp 0x%llx vcpu 0x%llx maint ppi %u\n",
               (unsigned long long)dt->gicd_base, (unsigned long long)dt->gicc_base,
               (unsigned long long)dt->gich_base, (unsigned long long)dt->gicv_base,
               dt->gic_maint_irq);
    else
        printk("dt: gic none found\n");
    if (dt->uart_drv != NULL)
        printk("dt: uart %s 0x%llx\n", dt->uart_drv->name, (unsigned long long)dt->uart.base);
    else
        printk("dt: uart none found\n");
    if (dt->rtc_base != 0)
        printk("dt: rtc pl031 0x%llx\n", (unsigned long long)dt->rtc_base);
    else
        printk("dt: rtc none found\n");
    if (dt->have_timer)
        printk("dt: timer ppi sec %u phys %u virt %u hyp %u\n", dt->timer_ppi[0], dt->timer_ppi[1],
               dt->timer_ppi[2], dt->timer_ppi[3]);
    else
        printk("dt: timer none found\n");
    printk("dt: psci %s\n", conduit_names[dt->psci]);
}
