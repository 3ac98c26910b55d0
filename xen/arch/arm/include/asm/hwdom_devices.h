/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices the hardware domain (dom0) owns, as on Xen: found in the host DT at boot,
 * mapped 1:1 into its stage-2 as device memory and described in its generated DT
 * (hwdom_devices.c). The first and so far only one is the PL031 RTC, which an unmodified
 * Linux dom0 on Arm reads its date from (it never reads shared_info's wall clock).
 */
#ifndef MINIXEN_ARM_ASM_HWDOM_DEVICES_H
#define MINIXEN_ARM_ASM_HWDOM_DEVICES_H

#include <asm/guest_dt.h>
#include <asm/hostdt.h>
#include <xen/domain.h>

/* Collect the devices to pass through from the host DT (once, at boot). */
void hwdom_devices_init(const struct host_dt *dt);

/*
 * Map them into d, if it is the hardware domain, 1:1 as device memory: 0 or p2m_map's
 * error. One that would cover something in d's guest memory map is refused with a boot
 * message and left out of d (and of its DT) for good.
 */
int hwdom_devices_map(struct domain *d);

/* What of d's guest memory map [base, base + size) would cover (a name), or NULL. */
const char *guest_map_collision(const struct domain *d, uint64_t base, uint64_t size);

/* What host range [base, base + size) belongs to already (hypervisor, RAM, dom0), or NULL. */
const char *host_range_taken(uint64_t base, uint64_t size);

/* Add them to the DT description of d if it is the hardware domain (nothing otherwise). */
void hwdom_devices_describe(const struct domain *d, struct guest_dt_desc *g);

#endif
