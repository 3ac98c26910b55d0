/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices the hardware domain (dom0) owns, as on Xen: every host DT node the
 * hypervisor does not use, found at boot, mapped 1:1 into its stage 2 as device memory
 * with its SPIs routed to its vGIC, and copied into its DT (hwdom_devices.c).
 */
#ifndef MINIXEN_ARM_ASM_HWDOM_DEVICES_H
#define MINIXEN_ARM_ASM_HWDOM_DEVICES_H

#include <asm/guest_dt.h>
#include <asm/hostdt.h>
#include <xen/domain.h>

/* Choose the nodes to pass through from the host DT (once, at boot; dt must last). */
void hwdom_devices_init(const struct host_dt *dt);

/*
 * Map them into d, if it is the hardware domain, 1:1 as device memory, and route their
 * SPIs: 0 or p2m_map's error. One that would cover something in d's guest memory map is
 * refused with a boot message and left out of d (and of its DT) for good. A d not mapped
 * 1:1 gets none (no IOMMU).
 */
int hwdom_devices_map(struct domain *d);

/* What of d's guest memory map [base, base + size) would cover (a name), or NULL. */
const char *guest_map_collision(const struct domain *d, uint64_t base, uint64_t size);

/* What host range [base, base + size) belongs to already (hypervisor, RAM, dom0), or NULL. */
const char *host_range_taken(uint64_t base, uint64_t size);

/* Add them to the DT description of d if it is the hardware domain (nothing otherwise):
 * the host nodes to copy, the host root's cells, the host GIC's phandle. */
void hwdom_devices_describe(const struct domain *d, struct guest_dt_desc *g);

#endif
