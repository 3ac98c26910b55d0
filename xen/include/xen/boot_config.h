/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Domains described by the boot device tree, with Xen's bindings (xen/common/boot_config.c),
 * so ImageBuilder-style boot scripts work unchanged. One format for every architecture:
 * on ARM the DT is the host DTB, on x86 a DTB passed as a boot module.
 *
 *   /chosen
 *     xen,xen-bootargs = "...";            hypervisor options
 *     xen,dom0-bootargs = "...";           dom0's command line
 *     module@... { compatible = "multiboot,kernel", "multiboot,module"; reg = <addr size>; }
 *     module@... { compatible = "multiboot,ramdisk", "multiboot,module"; reg = <...>; }
 *     evtchn@... { compatible = "xen,evtchn-v1"; xen,evtchn = <port &peer>; }   dom0's
 *     domU1 {
 *       compatible = "xen,domain";
 *       cpus = <n>; memory = <0 KiB>;  (#address-cells/#size-cells of the node, usually 1/2)
 *       vpl011; bootargs = "...";  domain-cpupool = <&pool>;  (optional)
 *       minixen,heap-budget = <bytes>;  (optional, one or two cells; a minixen extension)
 *       minixen,pv-console;  (optional: a PV console ring the hypervisor serves; an extension)
 *       module@... { compatible = "multiboot,kernel" | "multiboot,ramdisk" |
 * "multiboot,device-tree"; reg = <...>; bootargs = "..."; } evtchn@... { compatible =
 * "xen,evtchn-v1"; xen,evtchn = <port &peer>; }
 *     }
 *     pool { compatible = "xen,cpupool"; cpupool-cpus = <&cpu0 &cpu1>; }   (optional)
 *
 * Static event channels name their peer by phandle: each xen,evtchn-v1 node has a
 * phandle and points at the peer's node. Both ends must point at each other.
 */
#ifndef MINIXEN_BOOT_CONFIG_H
#define MINIXEN_BOOT_CONFIG_H

#include <xen/fdt.h>
#include <xen/types.h>

#define BOOT_MAX_DOMAINS  8
#define BOOT_MAX_EVTCHNS  16 /* static channel ends over all domains */
#define BOOT_BOOTARGS_MAX 256

struct boot_module {
    uint64_t start, size; /* host physical; size 0 = absent */
};

struct boot_domain {
    char name[16];        /* "dom0", "domU1" (node name) */
    bool is_dom0;         /* from the /chosen modules: privileged, domid 0 */
    uint32_t nr_vcpus;    /* cpus (dom0: dom0_max_vcpus= in xen,xen-bootargs, else 1) */
    uint64_t mem_bytes;   /* memory (KiB in the DT; dom0: dom0_mem=, else a default) */
    uint32_t cpu_mask;    /* physical CPUs its vCPUs may be pinned to (0: all) */
    uint64_t heap_budget; /* minixen,heap-budget / dom0_heap_budget= (0: the default) */
    bool vpl011;          /* wants an emulated PL011 */
    bool pv_console;      /* minixen,pv-console: the hypervisor serves its PV console ring */
    struct boot_module kernel, ramdisk, dtb;
    char bootargs[BOOT_BOOTARGS_MAX];
};

struct boot_evtchn {
    uint32_t domain;  /* index into boot_config.domains */
    uint32_t port;    /* local port */
    uint32_t phandle; /* of this end's node */
    uint32_t peer_phandle;
};

struct boot_config {
    char xen_bootargs[BOOT_BOOTARGS_MAX];
    unsigned int nr_domains;
    struct boot_domain domains[BOOT_MAX_DOMAINS]; /* dom0 first if present; domid = index */
    unsigned int nr_evtchns;
    struct boot_evtchn evtchns[BOOT_MAX_EVTCHNS];
};

/*
 * Read every domain of /chosen.  On success each domain's heap budget is also handed to
 * domain_set_configured_budget() (domid = index), and the console says so when the budgets
 * add up to more heap than is free.
 * Validates as it goes (required properties, sizes, module
 * ranges inside the DT's memory, ports, both ends of each channel present and pointing
 * at each other); on error prints which node is wrong and returns -EINVAL.
 * nr_host_cpus bounds cpus and the cpupools.
 */
int boot_config_parse(const struct fdt *fdt, unsigned int nr_host_cpus, struct boot_config *cfg);

/*
 * Bind the static event channels between the created domains (domains[i] has domid i),
 * before any of them runs: each pair becomes an interdomain channel on exactly the
 * ports the DT names. -EINVAL/-EEXIST/-ENOSPC as EVTCHNOP_bind_interdomain would.
 */
int boot_config_bind_static_evtchns(const struct boot_config *cfg);

/*
 * Domain `domain` (an index) was reset (reboot): its static channels again, each joined to
 * the peer's end if that is still waiting for it (evtchn_rebind_static; if the peer closed
 * it, ours waits unbound and the console says so). Every pair is tried; the first other
 * error is returned.
 */
int boot_config_rebind_static_evtchns(const struct boot_config *cfg, unsigned int domain);

/* Look up "name=value" in a bootargs string; copies value (NUL-terminated), true if found. */
bool bootargs_get(const char *args, const char *name, char *value, size_t size);

#endif
