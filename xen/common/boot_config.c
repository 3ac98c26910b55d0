/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Domains from the boot device tree, with Xen's dom0 and dom0less bindings (Xen's
 * docs/misc/arm/device-tree/booting.txt), so ImageBuilder-style boot scripts work
 * unchanged. The layout accepted is in <xen/boot_config.h> and docs/dt-bindings.md.
 *
 * Two walks over the DT: the first collects what nodes refer to by phandle or by address
 * (RAM banks, the CPUs of /cpus, cpupools), the second reads /chosen. Everything is
 * validated here, before any domain exists: a bad DT is reported by node and refused as a
 * whole (-EINVAL), so domain building never meets half a configuration.
 */
#include <xen/alloc.h>
#include <xen/boot_config.h>
#include <xen/domain.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>

#define BOOT_MAX_MEM   8
#define BOOT_MAX_CPUS  32 /* cpu_mask is 32 bits wide */
#define BOOT_MAX_POOLS 8

/* dom0 without dom0_mem=: enough for a small Linux or a test guest. */
#define DOM0_DEFAULT_MEM   (128ull << 20)
/* Guest RAM is 40-bit IPA space at most; anything near it is a typo. */
#define BOOT_MAX_MEM_BYTES (1ull << 39)

struct parse_state {
    const struct fdt *fdt;
    unsigned int nr_host_cpus;

    unsigned int nr_mem;
    struct {
        uint64_t base, size;
    } mem[BOOT_MAX_MEM];

    unsigned int nr_cpus; /* cpu nodes of /cpus, in DT order: host CPU index */
    uint32_t cpu_phandle[BOOT_MAX_CPUS];

    unsigned int nr_pools;
    struct {
        uint32_t phandle, mask;
        struct fdt_node node;
    } pools[BOOT_MAX_POOLS];

    /* Second walk: dom0's pieces (they may come after domU nodes) and the domUs. */
    bool have_dom0_kernel;
    struct boot_domain dom0;
    const char *dom0_mod_args; /* bootargs of dom0's kernel module */
    uint32_t dom0_mod_args_len;
    unsigned int nr_dom0_generic; /* "multiboot,module" without a kind, seen so far */
    unsigned int nr_domus;
    struct boot_domain domus[BOOT_MAX_DOMAINS];
    unsigned int domu_generic[BOOT_MAX_DOMAINS];
    int cur_domu; /* domU whose node we are inside, or -1 */
    /* Owner of each evtchn end: -1 for dom0, else the domU ordinal; fixed up at the end. */
    int evtchn_owner[BOOT_MAX_EVTCHNS];
};

static bool name_is(const char *name, const char *base)
{
    while (*base != '\0' && *name == *base) {
        name++;
        base++;
    }
    return *base == '\0' && (*name == '\0' || *name == '@');
}

static int bad(const struct fdt_node *n, const char *what)
{
    printk("boot config: %s: %s\n", n != NULL && n->name[0] != '\0' ? n->name : "/", what);
    return -EINVAL;
}

/*
 * A string property into dst (size bytes, NUL-terminated). Absent: false, dst untouched.
 * Present but unterminated or too long: -EINVAL through *rc.
 */
static bool get_string(const struct parse_state *ps, const struct fdt_node *n, const char *prop,
                       char *dst, size_t size, int *rc)
{
    uint32_t len;
    const char *s = fdt_prop(ps->fdt, n, prop, &len);
    uint32_t i;

    if (s == NULL)
        return false;
    for (i = 0; i < len && s[i] != '\0'; i++)
        ;
    if (i == len && len != 0) {
        *rc = bad(n, "string property is not NUL-terminated");
        return true;
    }
    if (i >= size) {
        *rc = bad(n, "string property too long");
        return true;
    }
    memcpy(dst, s, i);
    dst[i] = '\0';
    return true;
}

static bool get_phandle(const struct parse_state *ps, const struct fdt_node *n, uint32_t *ph)
{
    if (!fdt_prop_u32(ps->fdt, n, "phandle", ph) && !fdt_prop_u32(ps->fdt, n, "linux,phandle", ph))
        return false;
    return *ph != 0 && *ph != 0xffffffffu;
}

/* ---- First walk: RAM, CPUs, cpupools ---------------------------------------------------- */

static int collect_pool(struct parse_state *ps, const struct fdt_node *n)
{
    uint32_t ph = 0;

    /* Without a phandle no domain can name it; its CPUs still count as taken. */
    if (!get_phandle(ps, n, &ph))
        ph = 0;
    if (ps->nr_pools >= BOOT_MAX_POOLS)
        return bad(n, "too many cpupools");
    ps->pools[ps->nr_pools].phandle = ph;
    ps->pools[ps->nr_pools].node = *n;
    ps->nr_pools++;
    return 0;
}

static int first_walk(struct parse_state *ps)
{
    struct fdt_walk w;
    struct fdt_node n;
    bool in_cpus = false;
    int rc;

    fdt_walk_start(&w);
    while (fdt_walk_next(ps->fdt, &w, &n)) {
        if (n.depth <= 1)
            in_cpus = n.depth == 1 && name_is(n.name, "cpus");
        if (!fdt_is_available(ps->fdt, &n))
            continue;
        if (n.depth == 1 && (fdt_prop_has_string(ps->fdt, &n, "device_type", "memory") ||
                             name_is(n.name, "memory"))) {
            uint64_t base, size;

            for (unsigned int i = 0;
                 ps->nr_mem < BOOT_MAX_MEM && fdt_reg(ps->fdt, &n, i, &base, &size); i++) {
                if (size == 0 || base + size < base)
                    continue;
                ps->mem[ps->nr_mem].base = base;
                ps->mem[ps->nr_mem].size = size;
                ps->nr_mem++;
            }
        } else if (in_cpus && n.depth == 2 &&
                   fdt_prop_has_string(ps->fdt, &n, "device_type", "cpu")) {
            uint32_t ph = 0;

            if (ps->nr_cpus < BOOT_MAX_CPUS) {
                get_phandle(ps, &n, &ph);
                ps->cpu_phandle[ps->nr_cpus++] = ph;
            }
        } else if (fdt_is_compatible(ps->fdt, &n, "xen,cpupool")) {
            rc = collect_pool(ps, &n);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

/* Resolve each pool's cpupool-cpus phandles to host CPU indexes. */
static int resolve_pools(struct parse_state *ps)
{
    uint32_t taken = 0;

    for (unsigned int p = 0; p < ps->nr_pools; p++) {
        const struct fdt_node *n = &ps->pools[p].node;
        uint32_t len, mask = 0;
        const uint8_t *cells = fdt_prop(ps->fdt, n, "cpupool-cpus", &len);

        if (cells == NULL || len == 0 || len % 4 != 0)
            return bad(n, "cpupool-cpus missing or malformed");
        for (uint32_t i = 0; i < len / 4; i++) {
            uint32_t ph = fdt_be32(cells + 4 * i);
            unsigned int cpu;

            for (cpu = 0; cpu < ps->nr_cpus; cpu++)
                if (ps->cpu_phandle[cpu] != 0 && ps->cpu_phandle[cpu] == ph)
                    break;
            if (cpu == ps->nr_cpus)
                return bad(n, "cpupool-cpus names a node that is not a cpu of /cpus");
            if (cpu >= ps->nr_host_cpus)
                return bad(n, "cpupool-cpus names a cpu that is not online");
            mask |= 1u << cpu;
        }
        /* As on Xen, a physical CPU belongs to one pool. */
        if (mask & taken)
            return bad(n, "a cpu is in two cpupools");
        taken |= mask;
        ps->pools[p].mask = mask;
    }
    return 0;
}

/* ---- Second walk: /chosen --------------------------------------------------------------- */

/* A module inside one RAM bank (the boot loader put it there; we copy out of it). */
static int read_module(const struct parse_state *ps, const struct fdt_node *n,
                       struct boot_module *m)
{
    uint64_t start, size;

    if (m->size != 0)
        return bad(n, "second module of the same kind for one domain");
    if (!fdt_reg(ps->fdt, n, 0, &start, &size))
        return bad(n, "module without a usable reg");
    if (size == 0)
        return bad(n, "module of size 0");
    for (unsigned int i = 0; i < ps->nr_mem; i++) {
        uint64_t b = ps->mem[i].base, e = b + ps->mem[i].size;

        if (start >= b && start < e && size <= e - start) {
            m->start = start;
            m->size = size;
            return 0;
        }
    }
    return bad(n, "module is not inside the RAM of the device tree");
}

enum module_kind { MOD_NONE, MOD_KERNEL, MOD_RAMDISK, MOD_DTB, MOD_GENERIC };

static enum module_kind module_kind(const struct parse_state *ps, const struct fdt_node *n)
{
    const struct fdt *f = ps->fdt;

    if (fdt_is_compatible(f, n, "multiboot,kernel") || fdt_is_compatible(f, n, "xen,linux-zimage"))
        return MOD_KERNEL;
    if (fdt_is_compatible(f, n, "multiboot,ramdisk") || fdt_is_compatible(f, n, "xen,linux-initrd"))
        return MOD_RAMDISK;
    if (fdt_is_compatible(f, n, "multiboot,device-tree"))
        return MOD_DTB;
    if (fdt_is_compatible(f, n, "xen,xsm-policy"))
        return MOD_NONE; /* no XSM here: accepted and ignored */
    if (fdt_is_compatible(f, n, "multiboot,module"))
        return MOD_GENERIC;
    return MOD_NONE;
}

/* A module node of dom (dom0 or a domU); *generic counts kind-less ones for Xen's rule. */
static int add_module(struct parse_state *ps, const struct fdt_node *n, struct boot_domain *dom,
                      unsigned int *generic, bool is_dom0)
{
    enum module_kind k = module_kind(ps, n);
    int rc;

    /* Xen: a bare "multiboot,module" is the kernel, then the ramdisk, by position. */
    if (k == MOD_GENERIC)
        k = (*generic)++ == 0 ? MOD_KERNEL : MOD_RAMDISK;
    switch (k) {
    case MOD_KERNEL:
        rc = read_module(ps, n, &dom->kernel);
        if (rc == 0 && is_dom0) {
            ps->have_dom0_kernel = true;
            ps->dom0_mod_args = fdt_prop(ps->fdt, n, "bootargs", &ps->dom0_mod_args_len);
        } else if (rc == 0) {
            /* The kernel module's bootargs win over the domain node's (as on Xen). */
            get_string(ps, n, "bootargs", dom->bootargs, sizeof(dom->bootargs), &rc);
        }
        return rc;
    case MOD_RAMDISK:
        return read_module(ps, n, &dom->ramdisk);
    case MOD_DTB:
        if (is_dom0)
            return bad(n, "a partial device tree is for domUs only");
        return read_module(ps, n, &dom->dtb);
    default:
        return 0;
    }
}

static int add_evtchn(struct parse_state *ps, struct boot_config *cfg, const struct fdt_node *n,
                      int owner)
{
    struct boot_evtchn *e;
    uint32_t len, ph;
    const uint8_t *p;

    if (cfg->nr_evtchns >= BOOT_MAX_EVTCHNS)
        return bad(n, "too many static event channels");
    if (!get_phandle(ps, n, &ph))
        return bad(n, "xen,evtchn-v1 node without a phandle (the peer names it by phandle)");
    p = fdt_prop(ps->fdt, n, "xen,evtchn", &len);
    if (p == NULL || len != 8)
        return bad(n, "xen,evtchn must be <local-port &peer>");
    e = &cfg->evtchns[cfg->nr_evtchns];
    e->port = fdt_be32(p);
    e->peer_phandle = fdt_be32(p + 4);
    e->phandle = ph;
    if (e->port == 0)
        return bad(n, "port 0 is reserved");
    if (e->port >= EVTCHN_MAX_PORTS)
        return bad(n, "port beyond any event-channel ABI");
    ps->evtchn_owner[cfg->nr_evtchns] = owner;
    cfg->nr_evtchns++;
    return 0;
}

static void copy_name(char *dst, size_t size, const char *name)
{
    size_t i;

    for (i = 0; i + 1 < size && name[i] != '\0' && name[i] != '@'; i++)
        dst[i] = name[i];
    dst[i] = '\0';
}

/* The domU node itself (its children come later in the walk). */
static bool budget_ok(uint64_t bytes)
{
    return bytes >= DOMAIN_HEAP_BUDGET_MIN && bytes <= DOMAIN_HEAP_BUDGET_MAX;
}

static int add_domu(struct parse_state *ps, const struct fdt_node *n)
{
    struct boot_domain *dom;
    uint32_t len, pool_ph;
    const uint8_t *p;
    uint64_t kib;
    int rc = 0;

    if (ps->nr_domus >= BOOT_MAX_DOMAINS)
        return bad(n, "too many domains");
    dom = &ps->domus[ps->nr_domus];
    copy_name(dom->name, sizeof(dom->name), n->name);

    if (!fdt_prop_u32(ps->fdt, n, "cpus", &dom->nr_vcpus))
        return bad(n, "xen,domain without cpus = <n>");
    if (dom->nr_vcpus == 0 || dom->nr_vcpus > MAX_VCPUS)
        return bad(n, "cpus out of range");

    /* memory: KiB, one or two cells (Xen reads a u64; ImageBuilder writes <0 KiB>). */
    p = fdt_prop(ps->fdt, n, "memory", &len);
    if (p == NULL || (len != 4 && len != 8))
        return bad(n, "xen,domain without memory = <0 KiB>");
    kib = fdt_read_cells(p, len / 4);
    if (kib == 0 || kib % 4 != 0 || kib > BOOT_MAX_MEM_BYTES >> 10)
        return bad(n, "memory must be a non-zero multiple of 4 KiB below 512 GiB");
    dom->mem_bytes = kib << 10;

    dom->vpl011 = fdt_prop(ps->fdt, n, "vpl011", &len) != NULL;
    /* A minixen extension: on Xen, dom0's xenconsoled serves the ring (xen,enhanced). */
    dom->pv_console = fdt_prop(ps->fdt, n, "minixen,pv-console", &len) != NULL;
    if (fdt_prop_u32(ps->fdt, n, "domain-cpupool", &pool_ph)) {
        unsigned int i;

        for (i = 0; i < ps->nr_pools; i++)
            if (ps->pools[i].phandle != 0 && ps->pools[i].phandle == pool_ph)
                break;
        if (i == ps->nr_pools)
            return bad(n, "domain-cpupool does not name a xen,cpupool node");
        dom->cpu_mask = ps->pools[i].mask;
    }
    /* A minixen extension: Xen has no per-domain cap on the heap a guest makes it use. */
    p = fdt_prop(ps->fdt, n, "minixen,heap-budget", &len);
    if (p != NULL) {
        if (len != 4 && len != 8)
            return bad(n, "minixen,heap-budget must be one or two cells of bytes");
        dom->heap_budget = fdt_read_cells(p, len / 4);
        if (!budget_ok(dom->heap_budget))
            return bad(n, "minixen,heap-budget outside 64 KiB..1 GiB");
    }
    get_string(ps, n, "bootargs", dom->bootargs, sizeof(dom->bootargs), &rc);
    if (rc != 0)
        return rc;
    ps->cur_domu = (int)ps->nr_domus++;
    return 0;
}

static int chosen_child(struct parse_state *ps, struct boot_config *cfg, const struct fdt_node *n)
{
    if (fdt_is_compatible(ps->fdt, n, "xen,domain"))
        return add_domu(ps, n);
    if (fdt_is_compatible(ps->fdt, n, "xen,evtchn-v1"))
        return add_evtchn(ps, cfg, n, -1);
    if (module_kind(ps, n) != MOD_NONE)
        return add_module(ps, n, &ps->dom0, &ps->nr_dom0_generic, true);
    return 0;
}

static int domu_child(struct parse_state *ps, struct boot_config *cfg, const struct fdt_node *n)
{
    unsigned int d = (unsigned int)ps->cur_domu;

    if (fdt_is_compatible(ps->fdt, n, "xen,evtchn-v1"))
        return add_evtchn(ps, cfg, n, ps->cur_domu);
    if (module_kind(ps, n) != MOD_NONE)
        return add_module(ps, n, &ps->domus[d], &ps->domu_generic[d], false);
    return 0;
}

/* ---- dom0's command lines and sizes ----------------------------------------------------- */

/* "512M", "1G", "65536" (KiB, Xen's default unit), "4096B". 0 if it does not parse. */
static uint64_t parse_size(const char *s)
{
    uint64_t v = 0;
    unsigned int digits = 0;

    for (; *s >= '0' && *s <= '9' && digits < 19; s++, digits++)
        v = v * 10 + (uint64_t)(*s - '0');
    if (digits == 0 || (*s >= '0' && *s <= '9'))
        return 0;
    switch (*s) {
    case 'T':
    case 't':
        return v > (1ull << 24) ? 0 : v << 40;
    case 'G':
    case 'g':
        return v > (1ull << 34) ? 0 : v << 30;
    case 'M':
    case 'm':
        return v > (1ull << 44) ? 0 : v << 20;
    case 'B':
    case 'b':
        return v;
    case 'K':
    case 'k':
    default:
        return v > (1ull << 54) ? 0 : v << 10;
    }
}

static int dom0_from_bootargs(struct parse_state *ps, const struct boot_config *cfg)
{
    char val[32];

    ps->dom0.nr_vcpus = 1;
    ps->dom0.mem_bytes = DOM0_DEFAULT_MEM;
    if (bootargs_get(cfg->xen_bootargs, "dom0_max_vcpus", val, sizeof(val))) {
        uint32_t v = 0;
        unsigned int i;

        for (i = 0; val[i] >= '0' && val[i] <= '9' && v <= MAX_VCPUS; i++)
            v = v * 10 + (uint32_t)(val[i] - '0');
        if (i == 0 || v == 0 || v > MAX_VCPUS) {
            printk("boot config: dom0_max_vcpus=%s: not a vCPU count 1..%u\n", val, MAX_VCPUS);
            return -EINVAL;
        }
        ps->dom0.nr_vcpus = v;
    }
    if (bootargs_get(cfg->xen_bootargs, "dom0_mem", val, sizeof(val))) {
        uint64_t bytes = parse_size(val);

        if (bytes == 0 || bytes % PAGE_SIZE != 0 || bytes > BOOT_MAX_MEM_BYTES) {
            printk("boot config: dom0_mem=%s: not a page-multiple size\n", val);
            return -EINVAL;
        }
        ps->dom0.mem_bytes = bytes;
    }
    if (bootargs_get(cfg->xen_bootargs, "dom0_heap_budget", val, sizeof(val))) {
        uint64_t bytes = parse_size(val);

        if (!budget_ok(bytes)) {
            printk("boot config: dom0_heap_budget=%s: not a size in 64K..1G\n", val);
            return -EINVAL;
        }
        ps->dom0.heap_budget = bytes;
    }
    return 0;
}

/*
 * Xen's rules for the command lines under /chosen: xen,xen-bootargs is Xen's; dom0's is
 * its kernel module's bootargs, else xen,dom0-bootargs, else /chosen bootargs. /chosen
 * bootargs is Xen's instead when xen,xen-bootargs is absent and dom0 has its own.
 */
static int command_lines(struct parse_state *ps, struct boot_config *cfg,
                         const struct fdt_node *chosen)
{
    char chosen_args[BOOT_BOOTARGS_MAX] = "";
    bool have_xen, have_dom0, have_chosen;
    int rc = 0;

    have_xen = get_string(ps, chosen, "xen,xen-bootargs", cfg->xen_bootargs,
                          sizeof(cfg->xen_bootargs), &rc);
    have_dom0 = get_string(ps, chosen, "xen,dom0-bootargs", ps->dom0.bootargs,
                           sizeof(ps->dom0.bootargs), &rc);
    have_chosen = get_string(ps, chosen, "bootargs", chosen_args, sizeof(chosen_args), &rc);
    if (rc != 0)
        return rc;
    if (ps->dom0_mod_args != NULL) {
        uint32_t len = ps->dom0_mod_args_len;

        if (len == 0 || ps->dom0_mod_args[len - 1] != '\0' || len > BOOT_BOOTARGS_MAX)
            return bad(chosen, "dom0 kernel module bootargs malformed or too long");
        memcpy(ps->dom0.bootargs, ps->dom0_mod_args, len);
        have_dom0 = true;
    }
    if (!have_xen && have_dom0 && have_chosen)
        memcpy(cfg->xen_bootargs, chosen_args, sizeof(chosen_args));
    else if (!have_dom0 && have_chosen)
        memcpy(ps->dom0.bootargs, chosen_args, sizeof(chosen_args));
    return 0;
}

static int second_walk(struct parse_state *ps, struct boot_config *cfg)
{
    struct fdt_walk w;
    struct fdt_node n, chosen;
    bool in_chosen = false, have_chosen = false;
    int rc;

    ps->cur_domu = -1;
    fdt_walk_start(&w);
    while (fdt_walk_next(ps->fdt, &w, &n)) {
        if (n.depth <= 1) {
            in_chosen = n.depth == 1 && name_is(n.name, "chosen");
            if (in_chosen && !have_chosen) {
                chosen = n;
                have_chosen = true;
            }
            continue;
        }
        if (!in_chosen)
            continue;
        if (n.depth == 2)
            ps->cur_domu = -1; /* a disabled node's children belong to no one */
        if (!fdt_is_available(ps->fdt, &n))
            continue;
        if (n.depth == 2) {
            rc = chosen_child(ps, cfg, &n);
        } else if (n.depth == 3 && ps->cur_domu >= 0) {
            rc = domu_child(ps, cfg, &n);
        } else {
            rc = 0;
        }
        if (rc != 0)
            return rc;
    }
    if (!have_chosen)
        return 0; /* no /chosen: no domains */
    return command_lines(ps, cfg, &chosen);
}

/* ---- Putting it together ---------------------------------------------------------------- */

/* Both ends of every channel present, pointing at each other; no port bound twice. */
static int check_evtchns(const struct boot_config *cfg)
{
    for (unsigned int i = 0; i < cfg->nr_evtchns; i++) {
        const struct boot_evtchn *e = &cfg->evtchns[i];
        unsigned int peer = cfg->nr_evtchns;

        for (unsigned int j = 0; j < cfg->nr_evtchns; j++) {
            if (j == i)
                continue;
            if (cfg->evtchns[j].phandle == e->phandle) {
                printk("boot config: phandle 0x%x used by two xen,evtchn-v1 nodes\n", e->phandle);
                return -EINVAL;
            }
            if (cfg->evtchns[j].domain == e->domain && cfg->evtchns[j].port == e->port) {
                printk("boot config: %s: static port %u bound twice\n",
                       cfg->domains[e->domain].name, e->port);
                return -EINVAL;
            }
            if (cfg->evtchns[j].phandle == e->peer_phandle)
                peer = j;
        }
        if (peer == cfg->nr_evtchns) {
            printk("boot config: %s: static port %u: its peer (phandle 0x%x) is not a "
                   "xen,evtchn-v1 node\n",
                   cfg->domains[e->domain].name, e->port, e->peer_phandle);
            return -EINVAL;
        }
        if (cfg->evtchns[peer].peer_phandle != e->phandle) {
            printk("boot config: %s: static port %u: its peer does not point back at it\n",
                   cfg->domains[e->domain].name, e->port);
            return -EINVAL;
        }
    }
    return 0;
}

static int check_domain(const struct boot_domain *d)
{
    if (d->kernel.size == 0) {
        printk("boot config: %s: no kernel module\n", d->name);
        return -EINVAL;
    }
    return 0;
}

/*
 * Hand each domain's budget to domain_create() (before any domain is built), and say when
 * they add up to more than the heap has free. A budget is a cap, not a reservation, so
 * this is allowed; but then one domain can, within its budget, leave another short.
 */
static void publish_budgets(const struct boot_config *cfg)
{
    uint64_t sum = 0, free = heap_total_bytes() - MIN(xalloc_bytes_in_use(), heap_total_bytes());

    for (unsigned int id = 0; id < MAX_DOMAINS; id++)
        domain_set_configured_budget((domid_t)id, 0);
    for (unsigned int i = 0; i < cfg->nr_domains; i++) {
        domain_set_configured_budget((domid_t)i, (size_t)cfg->domains[i].heap_budget);
        sum += domain_configured_budget((domid_t)i);
    }
    if (sum > free)
        printk("boot config: the domains' heap budgets add up to %llu KiB, more than the %llu "
               "KiB of hypervisor heap free: a domain may get -ENOMEM before its budget\n",
               (unsigned long long)(sum >> 10), (unsigned long long)(free >> 10));
}

int boot_config_parse(const struct fdt *fdt, unsigned int nr_host_cpus, struct boot_config *cfg)
{
    static struct parse_state ps; /* ~3 KiB: not on a 16 KiB boot stack; boot is serial */
    unsigned int base;
    int rc;

    memset(&ps, 0, sizeof(ps));
    memset(cfg, 0, sizeof(*cfg));
    ps.fdt = fdt;
    ps.nr_host_cpus = MIN(nr_host_cpus, BOOT_MAX_CPUS);

    rc = first_walk(&ps);
    if (rc == 0)
        rc = resolve_pools(&ps);
    if (rc == 0)
        rc = second_walk(&ps, cfg);
    if (rc != 0)
        goto fail;

    /* dom0 exists when /chosen has a kernel module of its own. */
    if (!ps.have_dom0_kernel && (ps.dom0.ramdisk.size != 0)) {
        printk("boot config: dom0 ramdisk without a dom0 kernel\n");
        rc = -EINVAL;
        goto fail;
    }
    base = ps.have_dom0_kernel ? 1 : 0;
    if (base + ps.nr_domus > BOOT_MAX_DOMAINS) {
        printk("boot config: too many domains (more than %u)\n", BOOT_MAX_DOMAINS);
        rc = -EINVAL;
        goto fail;
    }
    if (ps.have_dom0_kernel) {
        rc = dom0_from_bootargs(&ps, cfg);
        if (rc != 0)
            goto fail;
        cfg->domains[0] = ps.dom0;
        memcpy(cfg->domains[0].name, "dom0", 5);
        cfg->domains[0].is_dom0 = true;
    }
    for (unsigned int i = 0; i < ps.nr_domus; i++)
        cfg->domains[base + i] = ps.domus[i];
    cfg->nr_domains = base + ps.nr_domus;
    for (unsigned int i = 0; i < cfg->nr_domains; i++) {
        rc = check_domain(&cfg->domains[i]);
        if (rc != 0)
            goto fail;
    }

    for (unsigned int i = 0; i < cfg->nr_evtchns; i++) {
        int owner = ps.evtchn_owner[i];

        if (owner < 0 && !ps.have_dom0_kernel) {
            printk("boot config: xen,evtchn-v1 under /chosen but no dom0 kernel\n");
            rc = -EINVAL;
            goto fail;
        }
        cfg->evtchns[i].domain = owner < 0 ? 0 : base + (unsigned int)owner;
    }
    rc = check_evtchns(cfg);
    if (rc == 0) {
        publish_budgets(cfg);
        return 0;
    }
fail:
    memset(cfg, 0, sizeof(*cfg));
    return rc;
}

int boot_config_bind_static_evtchns(const struct boot_config *cfg)
{
    for (unsigned int i = 0; i < cfg->nr_evtchns; i++) {
        const struct boot_evtchn *e = &cfg->evtchns[i];
        struct domain *ld, *rd;
        unsigned int j;
        int rc;

        for (j = 0; j < cfg->nr_evtchns; j++)
            if (cfg->evtchns[j].phandle == e->peer_phandle)
                break;
        if (j == cfg->nr_evtchns || cfg->evtchns[j].peer_phandle != e->phandle)
            return -EINVAL; /* parse refuses this; a hand-made config may not */
        if (j < i)
            continue; /* the pair was bound from its first end */
        ld = domain_lookup((domid_t)e->domain);
        rd = domain_lookup((domid_t)cfg->evtchns[j].domain);
        if (ld == NULL || rd == NULL)
            return -EINVAL;
        rc = evtchn_bind_static(ld, e->port, rd, cfg->evtchns[j].port);
        if (rc != 0) {
            printk("boot config: static channel %s:%u <-> %s:%u: error %d\n",
                   cfg->domains[e->domain].name, e->port, cfg->domains[cfg->evtchns[j].domain].name,
                   cfg->evtchns[j].port, rc);
            return rc;
        }
    }
    return 0;
}

int boot_config_rebind_static_evtchns(const struct boot_config *cfg, unsigned int domain)
{
    int ret = 0;

    for (unsigned int i = 0; i < cfg->nr_evtchns; i++) {
        const struct boot_evtchn *e = &cfg->evtchns[i];
        struct domain *ld, *rd;
        unsigned int j;
        int rc;

        if (e->domain != domain)
            continue;
        for (j = 0; j < cfg->nr_evtchns; j++)
            if (cfg->evtchns[j].phandle == e->peer_phandle)
                break;
        if (j == cfg->nr_evtchns || cfg->evtchns[j].peer_phandle != e->phandle)
            return -EINVAL;
        if (cfg->evtchns[j].domain == domain && j < i)
            continue; /* both ends are this domain's: bound from the first */
        ld = domain_lookup((domid_t)domain);
        rd = domain_lookup((domid_t)cfg->evtchns[j].domain);
        if (ld == NULL)
            return -EINVAL;
        if (rd == NULL)
            continue; /* the peer is gone: nothing to connect to */
        rc = evtchn_rebind_static(ld, e->port, rd, cfg->evtchns[j].port);
        if (rc == -EEXIST) {
            /* The peer closed its end: ours waits, unbound, as a new channel would. */
            printk("boot config: static channel %s:%u waits for %s to bind port %u again\n",
                   cfg->domains[domain].name, e->port, cfg->domains[cfg->evtchns[j].domain].name,
                   cfg->evtchns[j].port);
        } else if (rc != 0) {
            printk("boot config: static channel %s:%u <-> %s:%u not restored: error %d\n",
                   cfg->domains[domain].name, e->port, cfg->domains[cfg->evtchns[j].domain].name,
                   cfg->evtchns[j].port, rc);
            ret = ret != 0 ? ret : rc;
        }
    }
    return ret;
}

bool bootargs_get(const char *args, const char *name, char *value, size_t size)
{
    size_t nlen = strlen(name);
    bool found = false;

    if (args == NULL || size == 0 || nlen == 0)
        return false;
    /* Every space-separated word; the last "name=value" (or bare "name") wins, as on Xen. */
    while (*args != '\0') {
        const char *w = args;
        size_t wlen = 0;

        while (w[wlen] != '\0' && w[wlen] != ' ')
            wlen++;
        if (wlen >= nlen && memcmp(w, name, nlen) == 0 && (wlen == nlen || w[nlen] == '=')) {
            size_t vlen = wlen > nlen ? wlen - nlen - 1 : 0, i;

            for (i = 0; i < vlen && i + 1 < size; i++)
                value[i] = w[nlen + 1 + i];
            value[i] = '\0';
            found = true;
        }
        args = w + wlen;
        while (*args == ' ')
            args++;
    }
    return found;
}
