/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The boot-time domain life-cycle shared by every port (xen/include/xen/domain_build.h):
 * create, let the port construct, bind the static channels, place and schedule.
 */
#include <xen/arch_hooks.h>
#include <xen/domain_build.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <xen/sched.h>

unsigned int domain_build_vcpu_cpu(const struct boot_domain *bd, unsigned int i,
                                   unsigned int nr_cpus, unsigned int *next)
{
    uint32_t mask = bd->cpu_mask & ((nr_cpus >= 32 ? 0 : 1u << nr_cpus) - 1);
    unsigned int n = (unsigned int)__builtin_popcount(mask);

    if (nr_cpus == 0)
        return 0;
    if (n == 0)
        return (*next)++ % nr_cpus;
    i %= n;
    for (unsigned int cpu = 0; cpu < 32; cpu++)
        if ((mask & (1u << cpu)) && i-- == 0)
            return cpu;
    return 0;
}

/* vCPU i of d to its CPU; a CPU that did not come up is replaced by CPU 0. */
static int place_vcpu(struct domain *d, uint32_t i, unsigned int cpu)
{
    int rc = sched_add_vcpu(d->vcpu[i], cpu, i == 0);

    if (rc == -EINVAL && cpu != 0) {
        printk("dom: %s: vcpu %u: cpu %u is not online, using cpu 0\n", d->name, i, cpu);
        cpu = 0;
        rc = sched_add_vcpu(d->vcpu[i], cpu, i == 0);
    }
    if (rc == 0)
        rc = arch_vcpu_placed(d->vcpu[i], cpu);
    if (rc != 0)
        printk("dom: %s: vcpu %u cannot join cpu %u (%d)\n", d->name, i, cpu, rc);
    return rc;
}

int domains_build(const struct boot_config *cfg, unsigned int nr_cpus,
                  const struct guest_layout *layout)
{
    unsigned int next = 0;
    int rc;

    for (unsigned int id = 0; id < cfg->nr_domains; id++) {
        const struct boot_domain *bd = &cfg->domains[id];
        struct domain *d = domain_create((domid_t)id, bd->nr_vcpus, bd->is_dom0, layout);

        if (d == NULL) {
            printk("dom: %s: cannot create domain %u; no domain runs\n", bd->name, id);
            return -ENOMEM;
        }
        memcpy(d->name, bd->name, sizeof(d->name));
        d->name[sizeof(d->name) - 1] = '\0';
        rc = arch_domain_construct(d, bd);
        if (rc != 0) {
            printk("dom: %s not built (%d); no domain runs\n", bd->name, rc);
            return rc;
        }
    }
    /* Before any of them can run: a guest finds its channels there from its first step. */
    rc = boot_config_bind_static_evtchns(cfg);
    if (rc != 0) {
        printk("dom: static event channels could not be bound (%d); no domain runs\n", rc);
        return rc;
    }
    /* After them: a console's port is the lowest one free, never one the DT names. */
    for (unsigned int id = 0; id < cfg->nr_domains; id++) {
        if (!cfg->domains[id].pv_console || cfg->domains[id].is_dom0)
            continue;
        rc = pv_console_enable(domain_lookup((domid_t)id));
        if (rc == -EOPNOTSUPP)
            continue; /* said so; its params keep answering -ENOENT */
        if (rc != 0) {
            printk("dom: %s: no PV console (%d); no domain runs\n", cfg->domains[id].name, rc);
            return rc;
        }
    }
    for (unsigned int id = 0; id < cfg->nr_domains; id++) {
        struct domain *d = domain_lookup((domid_t)id);
        char cpus[64];
        int len = 0;

        for (uint32_t i = 0; i < d->max_vcpus; i++) {
            unsigned int cpu = domain_build_vcpu_cpu(&cfg->domains[id], i, nr_cpus, &next);

            rc = place_vcpu(d, i, cpu);
            if (rc != 0)
                return rc;
            if (len >= 0 && (size_t)len < sizeof(cpus))
                len += xen_snprintf(cpus + len, sizeof(cpus) - (size_t)len, " %u",
                                    d->vcpu[i]->processor);
        }
        printk("dom: d%u %s: %u vcpu(s) from cpu %u, on cpus%s\n", id, d->name, d->max_vcpus,
               d->vcpu[0]->processor, cpus);
    }
    return (int)cfg->nr_domains;
}
