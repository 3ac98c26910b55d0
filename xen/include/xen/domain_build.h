/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domains of the boot configuration, built the same way on every port
 * (xen/common/domain_build.c):
 *
 *   boot_config_parse()          the port, from its DT (ARM: the host DT; x86: module 0)
 *   domains_build():
 *     for each domain, in order  domain_create() (id = its index, dom0 first, named)
 *                                arch_domain_construct(): the port's machine for it
 *                                (RAM, stage-2/nested tables, virtual interrupt
 *                                controller, vCPU state, kernel and boot information)
 *     once all exist             the static event channels between them
 *     then every vCPU            its physical CPU (domain_build_vcpu_cpu: its cpupool,
 *                                else round-robin), sched_add_vcpu() (vCPU 0 runnable,
 *                                the others down), arch_vcpu_placed()
 *
 * Nothing runs before its channels exist, and a configuration that fails anywhere before
 * the last step runs no domain at all. A domain that reboots is built again by its port's
 * rebuild function (domain_restart_when_quiescent, xen/common/sched.c).
 */
#ifndef MINIXEN_DOMAIN_BUILD_H
#define MINIXEN_DOMAIN_BUILD_H

#include <xen/boot_config.h>
#include <xen/guest_layout.h>

/* Build cfg's domains on nr_cpus physical CPUs; the number built, or -errno. */
int domains_build(const struct boot_config *cfg, unsigned int nr_cpus,
                  const struct guest_layout *layout);

/*
 * The physical CPU of vCPU i of domain bd: the i-th CPU of its cpupool (wrapping), else
 * the next CPU round-robin over every vCPU placed so far (*next, starting at 0), so
 * domains spread over the machine (docs/dt-bindings.md).
 */
unsigned int domain_build_vcpu_cpu(const struct boot_domain *bd, unsigned int i,
                                   unsigned int nr_cpus, unsigned int *next);

#endif
