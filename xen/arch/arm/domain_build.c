/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building the domains of the boot DT (boot_config.c reads it) before any guest runs.
 *
 * For each domain: the common domain (id = its index, dom0 first), its stage-2 tables
 * and VMID, contiguous RAM from host memory nobody else uses, mapped at GUEST_RAM0_BASE
 * (the hardware domain's at its own host address, 1:1, as Xen maps dom0: the devices it
 * drives do DMA to the addresses it gives them, and there is no IOMMU to translate them),
 * the vGIC, then the guest image: an arm64 Image (the domain's EL1 runs AArch64) or an ARM
 * zImage (AArch32), its DT and ramdisk laid out as Xen lays them out (kernel_image.c).
 *
 * vCPU 0 starts at the kernel as Linux's boot protocol for its width wants (context.c:
 * x0 = the DT; or r0 = 0, r1 = ~0, r2 = the DT); the others wait for PSCI CPU_ON. This is
 * the port's half (arch_domain_construct); creating the domain, its static event channels
 * and placing its vCPUs are the common life-cycle's (xen/include/xen/domain_build.h).
 */
#include <asm/domain.h>
#include <asm/domain_build.h>
#include <asm/guest_dt.h>
#include <asm/guest_memmap.h>
#include <asm/guest_ram.h>
#include <asm/hwdom_devices.h>
#include <asm/kernel_image.h>
#include <asm/p2m.h>
#include <asm/passthrough.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <public/hvm/params.h>
#include <xen/alloc.h>
#include <xen/boot_config.h>
#include <xen/domain_build.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_layout.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>

#define SZ_2M         (2ull << 20)
#define DT_MAX_SIZE   (512u << 10) /* a domU's is ~2 KiB; dom0's holds host nodes */
#define MIN_GUEST_RAM (4ull << 20)

static struct boot_config boot_cfg; /* domains keep pointers into it (rebuild) */
static unsigned int nr_host_cpus;

/* Print why building failed and return rc. */
static int __attribute__((format(printf, 2, 3))) fail(int rc, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    xen_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("domains: %s\n", buf);
    return rc;
}

/* ---- Cache maintenance: the guest starts with its MMU (and so its caches) off ---------- */

static uint64_t dcache_line(void)
{
    return 4ull << ((READ_SYSREG(ctr_el0) >> 16) & 0xf);
}

/* Clean and invalidate [start, start + size) to the point of coherency. */
void dcache_clean_inval(paddr_t start, uint64_t size)
{
    uint64_t line = dcache_line();

    for (paddr_t a = start & ~(line - 1); a < start + size; a += line)
        __asm__ __volatile__("dc civac, %0" ::"r"(a) : "memory");
    __asm__ __volatile__("dsb sy" ::: "memory");
}

/* Zero guest RAM: DC ZVA where the CPU allows it (a block per instruction), else memset. */
void scrub(paddr_t start, uint64_t size)
{
    uint64_t dczid = READ_SYSREG(dczid_el0);
    uint64_t block = 4ull << (dczid & 0xf);

    if ((dczid & (1u << 4)) != 0 || (start & (block - 1)) != 0 || (size & (block - 1)) != 0) {
        memset((void *)start, 0, size);
        return;
    }
    for (paddr_t a = start; a < start + size; a += block)
        __asm__ __volatile__("dc zva, %0" ::"r"(a) : "memory");
    __asm__ __volatile__("dsb ish" ::: "memory");
}

/*
 * scrub() and dcache_clean_inval() in one pass, for a domain's first boot: zero each block
 * and push it to the point of coherency while it is at hand, four blocks per iteration.
 * This runs over every byte of the domain's RAM (4 Mi blocks for 256 MiB), where two
 * separate loops spent as many instructions on their own counting and branching as on
 * the maintenance itself (`make bench-linux`). Only when a ZVA block is one cache line and
 * the size a whole number of iterations; otherwise the two passes.
 */
static void scrub_to_poc(paddr_t start, uint64_t size)
{
    uint64_t dczid = READ_SYSREG(dczid_el0);
    uint64_t block = 4ull << (dczid & 0xf);

    if ((dczid & (1u << 4)) != 0 || block != dcache_line() || (start & (block - 1)) != 0 ||
        (size & (4 * block - 1)) != 0) {
        scrub(start, size);
        dcache_clean_inval(start, size);
        return;
    }
    for (paddr_t a = start, end = start + size; a < end;) {
        __asm__ __volatile__("dc zva, %0\n dc civac, %0\n add %0, %0, %1\n"
                             "dc zva, %0\n dc civac, %0\n add %0, %0, %1\n"
                             "dc zva, %0\n dc civac, %0\n add %0, %0, %1\n"
                             "dc zva, %0\n dc civac, %0\n add %0, %0, %1"
                             : "+r"(a)
                             : "r"(block)
                             : "memory");
    }
    __asm__ __volatile__("dsb sy" ::: "memory");
}

/* ---- The guest image --------------------------------------------------------------------- */

static int place_image(const struct domain *d, const struct boot_domain *cfg,
                       struct guest_image *img)
{
    const struct arm_domain *ad = arm_domain(d);
    struct kernel_image k;
    const char *why;

    if (kernel_image_probe((const void *)cfg->kernel.start, cfg->kernel.size, &k, &why) != 0 ||
        kernel_image_place(&k, ad->ram_base, ad->ram_size, cfg->ramdisk.size, img, &why) != 0)
        return fail(-EINVAL, "%s: %s (%llu MiB of RAM)", cfg->name, why,
                    (unsigned long long)(ad->ram_size >> 20));
    return 0;
}

/* Guest physical -> host address within the domain's contiguous RAM. */
static void *ram_ptr(const struct domain *d, uint64_t gpa)
{
    const struct arm_domain *ad = arm_domain(d);

    return (void *)(ad->ram_host + (gpa - ad->ram_base));
}

int guest_dt_build(const struct domain *d, const struct boot_domain *cfg, uint64_t initrd_gpa,
                   void *buf, size_t size)
{
    const struct arm_domain *ad = arm_domain(d);
    struct vgic_dt_info gic;
    struct fdt partial;
    struct guest_dt_subtree partial_copy;
    struct guest_dt_desc g = {
        .ram_base = ad->ram_base,
        .ram_size = ad->ram_size,
        .nr_vcpus = d->max_vcpus,
        .aarch32 = ad->aarch32,
        .gnttab_base = GUEST_GNTTAB_BASE,
        .gnttab_size = GUEST_GNTTAB_SIZE,
        .evtchn_ppi = GUEST_EVTCHN_PPI_INTID - 16,
        .vpl011 = cfg->vpl011,
        .pl011_base = GUEST_PL011_BASE,
        .pl011_size = GUEST_PL011_SIZE,
        .pl011_spi = GUEST_PL011_SPI - 32,
        .bootargs = cfg->bootargs,
    };

    vgic_dt_info(d, &gic);
    g.gic_version = gic.version;
    g.gicd_base = gic.dist_base;
    g.gicd_size = gic.dist_size;
    g.gicc_base = gic.cpu_base;
    g.gicc_size = gic.cpu_size;
    if (initrd_gpa != 0) {
        g.initrd_start = initrd_gpa;
        g.initrd_end = initrd_gpa + cfg->ramdisk.size;
    }
    hwdom_devices_describe(d, &g);
    if (!is_hardware_domain(d))
        passthrough_describe(cfg, &partial, &partial_copy, &g);
    return guest_dt_write(&g, buf, size);
}

/*
 * Lay the kernel, ramdisk and DT into the domain's RAM, scrubbing it first unless that
 * was done already (a reboot scrubs in bounded chunks beforehand: reboot_scrub.c).
 */
static int load_image(struct domain *d, const struct boot_domain *cfg, struct guest_image *img,
                      bool scrubbed)
{
    struct arm_domain *ad = arm_domain(d);
    int rc, dt_size;

    rc = place_image(d, cfg, img);
    if (rc != 0)
        return rc;
    if (!scrubbed)
        scrub_to_poc(ad->ram_host, ad->ram_size);
    memcpy(ram_ptr(d, img->kernel_gpa), (const void *)cfg->kernel.start, cfg->kernel.size);
    if (img->initrd_gpa != 0)
        memcpy(ram_ptr(d, img->initrd_gpa), (const void *)cfg->ramdisk.start, cfg->ramdisk.size);
    dt_size = guest_dt_build(d, cfg, img->initrd_gpa, ram_ptr(d, img->dt_gpa), DT_MAX_SIZE);
    if (dt_size < 0)
        return fail(dt_size, "%s: guest DT does not fit (%d)", cfg->name, dt_size);

    /*
     * The guest reads all of it with its MMU and caches off: push it to memory. The RAM's
     * zeros were cleaned as they were written (here or by the reboot's chunks); only what
     * was just written is left.
     */
    dcache_clean_inval((paddr_t)ram_ptr(d, img->kernel_gpa), cfg->kernel.size);
    if (img->initrd_gpa != 0)
        dcache_clean_inval((paddr_t)ram_ptr(d, img->initrd_gpa), cfg->ramdisk.size);
    dcache_clean_inval((paddr_t)ram_ptr(d, img->dt_gpa), (uint64_t)dt_size);
    __asm__ __volatile__("ic ialluis\n dsb ish\n isb" ::: "memory");
    return 0;
}

/* ---- Domains ------------------------------------------------------------------------------ */

static int map_and_load(struct domain *d, const struct boot_domain *cfg)
{
    struct arm_domain *ad = arm_domain(d);
    struct guest_image img = {0};
    int rc;

    rc = p2m_map(d, ad->ram_base, ad->ram_host, ad->ram_size, P2M_RAM_RW);
    if (rc == 0)
        rc = hwdom_devices_map(d); /* dom0 only; they stay mapped across its reboots */
    if (rc != 0)
        return rc;
    rc = load_image(d, cfg, &img, false);
    if (rc != 0)
        return rc;
    arm_vcpu_set_kernel_entry(d->vcpu[0], img.kernel_gpa, img.dt_gpa);
    printk("%s: d%u, %u vCPU(s), %llu MiB at 0x%llx (host 0x%llx), kernel 0x%llx, DT 0x%llx%s\n",
           cfg->name, d->domain_id, d->max_vcpus, (unsigned long long)(ad->ram_size >> 20),
           (unsigned long long)ad->ram_base, (unsigned long long)ad->ram_host,
           (unsigned long long)img.kernel_gpa, (unsigned long long)img.dt_gpa,
           img.initrd_gpa != 0 ? ", initrd" : "");
    return 0;
}

/* The domain's EL1 runs AArch32 if its kernel is an ARM zImage. */
static int kernel_width(struct domain *d, const struct boot_domain *cfg)
{
    struct kernel_image k;
    const char *why;

    if (kernel_image_probe((const void *)cfg->kernel.start, cfg->kernel.size, &k, &why) != 0)
        return fail(-EINVAL, "%s: the kernel is %s", cfg->name, why);
    arm_domain(d)->aarch32 = k.aarch32;
    return 0;
}

static bool ranges_overlap(uint64_t b, uint64_t e, uint64_t base, uint64_t size)
{
    return b < base + size && base < e;
}

/*
 * The hardware domain's RAM at its host address when that leaves the rest of the guest
 * map where it is (grant-table window, vPL011, within the IPA size; its vGIC is at the
 * host GIC's address, which is no RAM); else it keeps GUEST_RAM0_BASE and gets no device
 * that does DMA (hwdom_devices.c). Host RAM below GUEST_RAM0_BASE is fine where it misses
 * those windows: ZynqMP's DDR starts at 0.
 */
static void direct_map(struct domain *d, bool vpl011)
{
    struct arm_domain *ad = arm_domain(d);
    uint64_t b = ad->ram_host, e = ad->ram_host + ad->ram_size;

    if (e > P2M_IPA_LIMIT || ranges_overlap(b, e, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE) ||
        (vpl011 && ranges_overlap(b, e, GUEST_PL011_BASE, GUEST_PL011_SIZE))) {
        printk("%s: host RAM 0x%llx-0x%llx would cover the guest map: not 1:1, no DMA devices\n",
               ad->config->name, (unsigned long long)b, (unsigned long long)e);
        return;
    }
    ad->ram_base = ad->ram_host;
    ad->direct_map = true;
}

int arch_domain_construct(struct domain *d, const struct boot_domain *cfg)
{
    uint64_t ram = (cfg->mem_bytes + SZ_2M - 1) & ~(SZ_2M - 1);
    struct arm_domain *ad;
    int rc;

    if (ram < MIN_GUEST_RAM || ram > GUEST_RAM0_SIZE)
        return fail(-EINVAL, "%s: memory %llu KiB outside %llu MiB..%llu GiB", cfg->name,
                    (unsigned long long)(cfg->mem_bytes >> 10),
                    (unsigned long long)(MIN_GUEST_RAM >> 20),
                    (unsigned long long)(GUEST_RAM0_SIZE >> 30));
    ad = xzalloc(struct arm_domain);
    if (ad == NULL)
        return -ENOMEM;
    d->arch = ad;
    ad->config = cfg;
    ad->ram_base = GUEST_RAM0_BASE;
    ad->ram_size = ram;
    ad->ram_host = guest_ram_alloc(ram, SZ_2M);
    if (ad->ram_host == 0)
        return fail(-ENOMEM, "%s: no %llu MiB of free host RAM left", cfg->name,
                    (unsigned long long)(ram >> 20));
    if (is_hardware_domain(d))
        direct_map(d, cfg->vpl011);
    rc = p2m_domain_init(d);
    if (rc == 0)
        rc = vgic_domain_init(d);
    if (rc == 0 && cfg->vpl011)
        rc = vpl011_domain_init(d);
    if (rc == 0)
        rc = kernel_width(d, cfg); /* before its vCPUs: they are made for it */
    for (uint32_t i = 0; rc == 0 && i < d->max_vcpus; i++)
        rc = arm_vcpu_init(d->vcpu[i]);
    if (rc == 0 && !is_hardware_domain(d))
        rc = passthrough_domain_init(d, cfg); /* its vGIC and map exist: the checks need both */
    if (rc == 0)
        rc = map_and_load(d, cfg);
    if (rc != 0)
        return fail(rc, "%s: set-up failed (%d)", cfg->name, rc);
    d->hvm_params[HVM_PARAM_CALLBACK_IRQ] = HVM_PARAM_CALLBACK_VAL_ARM_DOMU;
    return 0;
}

int arch_vcpu_placed(struct vcpu *v, unsigned int cpu)
{
    (void)v; /* the vtimer and vGIC find a vCPU through the scheduler: nothing per CPU */
    (void)cpu;
    return 0;
}

/*
 * Keep what boot left in RAM and we still read: image, heap, host DT, every module; and
 * what the firmware keeps for itself (the host DT's reserved ranges).
 */
static void reserve_boot_memory(const struct host_dt *dt, paddr_t dtb)
{
    uint64_t dtb_size = fdt_total_size((const void *)dtb);

    /*
     * setup.c puts the heap right behind the image, or right behind the DTB when the two
     * would overlap: cover both places.
     */
    guest_ram_reserve((paddr_t)_start, (uint64_t)(_end - _start) + HEAP_SIZE + PAGE_SIZE);
    guest_ram_reserve(dtb, dtb_size + HEAP_SIZE + PAGE_SIZE);
    if (dt->initrd_end > dt->initrd_start)
        guest_ram_reserve(dt->initrd_start, dt->initrd_end - dt->initrd_start);
    for (unsigned int i = 0; i < dt->nr_rsv; i++)
        guest_ram_reserve(dt->rsv[i].base, dt->rsv[i].size);
    for (unsigned int i = 0; i < boot_cfg.nr_domains; i++) {
        const struct boot_domain *b = &boot_cfg.domains[i];

        guest_ram_reserve(b->kernel.start, b->kernel.size);
        guest_ram_reserve(b->ramdisk.start, b->ramdisk.size);
        guest_ram_reserve(b->dtb.start, b->dtb.size);
    }
}

int arm_build_domains(const struct host_dt *dt, paddr_t dtb)
{
    int rc;

    nr_host_cpus = MIN(dt->nr_cpus, (unsigned int)NR_CPUS);
    if (nr_host_cpus == 0)
        nr_host_cpus = 1;
    rc = boot_config_parse(&dt->fdt, nr_host_cpus, &boot_cfg);
    if (rc != 0)
        return rc;
    shutdown_parse_cmdline(boot_cfg.xen_bootargs); /* noreboot */
    if (boot_cfg.nr_domains == 0) {
        printk("domains: none in /chosen\n");
        return 0;
    }
    guest_ram_init(dt);
    reserve_boot_memory(dt, dtb);
    hwdom_devices_init(dt);
    rc = domains_build(&boot_cfg, nr_host_cpus, &guest_layout_arm);
    if (rc < 0)
        return rc;
    printk("domains: %u built, %u static event channel(s), %llu MiB of RAM left\n",
           boot_cfg.nr_domains, boot_cfg.nr_evtchns / 2,
           (unsigned long long)(guest_ram_free_bytes() >> 20));
    return (int)boot_cfg.nr_domains;
}

/*
 * The vCPU's armed virtual timer may still sit on its CPU's wake list (vtimer.c), which
 * only that CPU touches: a deadline that never comes keeps it from firing into the new
 * life until the vCPU's next switch_in unlinks it and loads its reset timer.
 */
static void vcpu_timer_quiet(struct vcpu *v)
{
    struct arm_vcpu *av = arm_vcpu(v);

    __atomic_store_n(&av->cntv_cval, ~0ull, __ATOMIC_RELAXED);
    __atomic_store_n(&av->cntv_ctl, 0, __ATOMIC_RELAXED);
}

/*
 * SHUTDOWN_reboot, called by the scheduler once no CPU holds d's vCPUs and domain_reset()
 * has put its common state back (xen/common/sched.c): the same RAM, scrubbed and loaded
 * again, a fresh vGIC, stage-2 without the pages the guest added (shared_info over its RAM,
 * grant frames), its static channels again, vCPU 0 at the kernel entry, the others down.
 */
int arch_domain_rebuild(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);
    int rc;

    if (ad == NULL || ad->config == NULL)
        return -EINVAL;
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        vcpu_timer_quiet(d->vcpu[i]);

    /* The vGIC and the vPL011 from scratch: their MMIO regions are the only ones. */
    vgic_domain_destroy(d);
    ad->nr_mmio = 0;
    rc = vgic_domain_init(d);
    if (rc == 0 && ad->config->vpl011)
        rc = vpl011_domain_init(d);
    for (uint32_t i = 0; rc == 0 && i < d->max_vcpus; i++)
        rc = vgic_vcpu_init(d->vcpu[i]);
    if (rc == 0)
        rc = passthrough_domain_init(d, ad->config); /* its SPIs to the fresh vGIC */
    if (rc != 0)
        return rc;

    rc = p2m_unmap(d, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
    if (rc == 0)
        rc = p2m_map(d, ad->ram_base, ad->ram_host, ad->ram_size, P2M_RAM_RW);
    if (rc == 0)
        rc = hwdom_devices_map(d); /* again: the guest may have mapped a page over one */
    if (rc != 0)
        return rc;

    d->hvm_params[HVM_PARAM_CALLBACK_IRQ] = HVM_PARAM_CALLBACK_VAL_ARM_DOMU;
    rc = boot_config_rebind_static_evtchns(&boot_cfg, d->domain_id);
    if (rc != 0)
        printk("%s: some static event channels were not restored (%d)\n", ad->config->name, rc);
    /*
     * Its RAM is scrubbed in bounded chunks from the run loops while d stays paused; the
     * last chunk loads the image and unpauses it (arm_reboot_load, reboot_scrub.c).
     */
    arm_reboot_scrub_start(d);
    return 0;
}

/* The reboot scrub of d's RAM is complete: load its image, start vCPU 0 at its entry. */
int arm_reboot_load(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);
    struct guest_image img = {0};
    struct arm_vcpu *av0;
    int rc;

    rc = load_image(d, ad->config, &img, true);
    if (rc != 0)
        return rc;

    /*
     * vCPU 0's registers as at boot, applied by its own CPU when it next loads it, exactly
     * as PSCI CPU_ON does (context.c): that CPU may still hold its old FP/SIMD state.
     */
    av0 = arm_vcpu(d->vcpu[0]);
    arm_vcpu_set_kernel_entry(d->vcpu[0], img.kernel_gpa, img.dt_gpa);
    av0->psci_entry = img.kernel_gpa;
    av0->psci_context_id = img.dt_gpa;
    av0->psci_kernel_boot = true;
    __atomic_store_n(&av0->psci_on_pending, true, __ATOMIC_RELEASE);
    vcpu_timer_quiet(d->vcpu[0]);
    for (uint32_t i = 1; i < d->max_vcpus; i++)
        __atomic_store_n(&arm_vcpu(d->vcpu[i])->psci_on_pending, false, __ATOMIC_RELEASE);
    return 0;
}
