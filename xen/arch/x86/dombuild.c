/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Domains from the boot device tree, with the same bindings as on ARM
 * (xen/common/boot_config.c reads them): boot module 0 is a DTB whose /chosen/domU* nodes
 * ("xen,domain": cpus, memory, bootargs, a multiboot,kernel module) describe the domains.
 *
 * On x86 the boot loader, not the DT's author, decides where modules land, so a module
 * node names its Multiboot module by number, as Xen's x86 boot DT does:
 *     module { compatible = "multiboot,kernel", "multiboot,module";
 *              module-index = <1>; reg = <0 0 0 0>; };
 * and before parsing we write each such module's real address and size into its reg, and
 * the RAM the loader reported into /memory's reg (both placeholders of the right size).
 *
 * The port's half of each domain (arch_domain_construct): RAM from the heap, nested tables
 * mapping it at guest-physical 0, an ASID, its PVH kernel loaded (pvh.c). The rest is the
 * common life-cycle (xen/include/xen/domain_build.h): static channels once every domain
 * exists, then each vCPU to its CPU (cpupool, else round-robin) and the scheduler, vCPU 0
 * runnable, the others down until the guest starts them with VCPUOP_initialise and
 * VCPUOP_up.
 */
#include <asm/pvh.h>
#include <asm/vcpu.h>
#include <xen/alloc.h>
#include <xen/boot_config.h>
#include <xen/domain_build.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/fdt.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>

#define DTB_MAX (1u << 20)

static struct boot_config boot_cfg; /* domains keep pointers into it (reboot) */

static void put_cells(uint8_t *p, uint32_t cells, uint64_t v)
{
    for (uint32_t i = cells; i > 0; i--, v >>= 32) {
        uint32_t c = (uint32_t)v;
        uint8_t *q = p + 4 * (i - 1);

        q[0] = (uint8_t)(c >> 24), q[1] = (uint8_t)(c >> 16), q[2] = (uint8_t)(c >> 8);
        q[3] = (uint8_t)c;
    }
}

/* Write (addr, size) into a node's reg placeholder; false if it has no room for one pair. */
static bool patch_reg(const struct fdt *fdt, const struct fdt_node *n, uint64_t addr, uint64_t size)
{
    uint32_t len;
    uint8_t *reg = (uint8_t *)fdt_prop(fdt, n, "reg", &len);

    if (reg == NULL || n->addr_cells > 2 || n->size_cells > 2 ||
        len < 4 * (n->addr_cells + n->size_cells))
        return false;
    put_cells(reg, n->addr_cells, addr);
    put_cells(reg + 4 * n->addr_cells, n->size_cells, size);
    return true;
}

static int patch_placeholders(const struct fdt *fdt, const struct boot_info *bi)
{
    struct fdt_walk w;
    struct fdt_node n;
    uint64_t ram_lo = bi->ram[0].start, ram_hi = bi->ram[bi->nr_ram - 1].end;

    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, &n)) {
        uint32_t idx;

        if (n.depth == 1 && fdt_prop_has_string(fdt, &n, "device_type", "memory")) {
            if (!patch_reg(fdt, &n, ram_lo, ram_hi - ram_lo))
                printk("dom: /%s: no reg placeholder for the RAM\n", n.name);
        }
        if (!fdt_prop_u32(fdt, &n, "module-index", &idx))
            continue;
        if (idx == 0 || idx >= bi->nr_modules) {
            printk("dom: %s: module-index %u, but module 0 is the DTB and there are %u\n", n.name,
                   idx, bi->nr_modules);
            return -EINVAL;
        }
        if (!patch_reg(fdt, &n, bi->module[idx].start, bi->module[idx].size)) {
            printk("dom: %s: reg must be a placeholder of one (address, size) pair\n", n.name);
            return -EINVAL;
        }
    }
    return 0;
}

/*
 * The boot image of d as its configuration gives it: the PVH kernel's segments, the start
 * info page (memory map, command line), vCPU 0 at the PVH entry. The first build and every
 * reboot (reboot.c) come here, on RAM that is all zeros.
 */
int load_boot_image(struct domain *d)
{
    struct x86_domain *xd = x86_dom(d);
    const struct boot_domain *bd = xd->config;
    struct hvm_start_state s;
    const char *why = "";
    int rc;

    rc = pvh_load(d, phys_to_virt(bd->kernel.start), bd->kernel.size,
                  bd->ramdisk.size != 0 ? phys_to_virt(bd->ramdisk.start) : NULL, bd->ramdisk.size,
                  bd->bootargs, &why);
    if (rc != 0) {
        printk("dom: %s: kernel at 0x%llx: %s\n", bd->name, (unsigned long long)bd->kernel.start,
               why);
        return rc;
    }
    x86_pvh_start_state(&s, (uint32_t)xd->entry, (uint32_t)xd->start_info_gpa);
    hvm->vcpu_set_start_state(d->vcpu[0], &s);
    x86_vcpu(d->vcpu[0])->has_context = true;
    return 0;
}

/* A reboot restores d's static channels as the boot configuration bound them. */
int dombuild_rebind_static_evtchns(struct domain *d)
{
    return boot_config_rebind_static_evtchns(&boot_cfg, d->domain_id);
}

int arch_domain_construct(struct domain *d, const struct boot_domain *bd)
{
    struct x86_domain *xd;
    int rc;

    d->arch = xd = xzalloc(struct x86_domain);
    if (xd == NULL)
        return -ENOMEM;
    xd->ram_size = bd->mem_bytes;
    xd->ram = xzalloc_bytes(xd->ram_size);
    if (xd->ram == NULL) {
        printk("dom: %s: no %llu MiB for its memory\n", bd->name,
               (unsigned long long)(xd->ram_size >> 20));
        return -ENOMEM;
    }
    xd->ram_pa = virt_to_phys(xd->ram);
    xd->npt_lock = (spinlock_t)SPINLOCK_INIT;
    rc = npt_map(d, 0, xd->ram_pa, xd->ram_size);
    if (rc == -ENOMEM)
        /* The tables are charged to the domain: ~4 KiB per 2 MiB of its RAM. */
        printk("dom: %s: the nested tables for its %llu MiB exceed its heap budget "
               "(%llu KiB)\n",
               bd->name, (unsigned long long)(xd->ram_size >> 20),
               (unsigned long long)(d->heap_budget >> 10));
    if (rc == 0)
        rc = hvm->domain_init(d);
    if (rc != 0)
        return rc;
    xd->context_lock = (spinlock_t)SPINLOCK_INIT;
    xd->vioapic_lock = (spinlock_t)SPINLOCK_INIT;
    vioapic_init(&xd->vioapic); /* every entry masked */
    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        v->arch = xzalloc(struct x86_vcpu);
        if (v->arch == NULL || hvm->vcpu_init(v) != 0 || xstate_vcpu_init(v) != 0)
            return -ENOMEM;
        vlapic_init(v);
        msr_state_init(&x86_vcpu(v)->msrs);
    }
    xd->config = bd;
    rc = load_boot_image(d);
    if (rc != 0)
        return rc;
    printk("dom: d%u %s: %llu MiB at 0x%llx, PVH entry 0x%llx, asid %u, %u NPT pages\n",
           d->domain_id, bd->name, (unsigned long long)(xd->ram_size >> 20),
           (unsigned long long)xd->ram_pa, (unsigned long long)xd->entry, xd->asid, xd->npt_pages);
    return 0;
}

int arch_vcpu_placed(struct vcpu *v, unsigned int cpu)
{
    return x86_time_add_vcpu(v, cpu); /* its LAPIC timer is serviced by that CPU */
}

unsigned int dombuild_from_modules(const struct boot_info *bi, unsigned int nr_cpus)
{
    struct boot_config *cfg = &boot_cfg;
    struct fdt fdt;
    int rc;

    if (bi->nr_modules == 0) {
        printk("dom: no boot modules, so no device tree and no domains\n");
        return 0;
    }
    if (fdt_open(&fdt, phys_to_virt(bi->module[0].start), MIN(bi->module[0].size, DTB_MAX)) != 0) {
        printk("dom: boot module 0 is not a device tree\n");
        return 0;
    }
    if (patch_placeholders(&fdt, bi) != 0 || boot_config_parse(&fdt, nr_cpus, cfg) != 0) {
        printk("dom: the boot device tree describes no usable domains\n");
        return 0;
    }
    shutdown_parse_cmdline(cfg->xen_bootargs); /* noreboot */
    rc = domains_build(cfg, nr_cpus, &guest_layout_x86_64);
    return rc < 0 ? 0 : (unsigned int)rc;
}
