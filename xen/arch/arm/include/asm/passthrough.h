/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host devices given to a dom0less domU by its partial device tree, as Xen 4.17 does
 * (docs/misc/arm/passthrough.txt): the domU node's "multiboot,device-tree" module holds a
 * /passthrough node whose devices say where their host registers are ("xen,reg": host
 * address, size, guest address), which host node they are ("xen,path"), and, with no
 * IOMMU, "xen,force-assign-without-iommu". The host DT marks such nodes
 * "xen,passthrough", and dom0 does not get them (passthrough.c).
 */
#ifndef MINIXEN_ARM_ASM_PASSTHROUGH_H
#define MINIXEN_ARM_ASM_PASSTHROUGH_H

#include <asm/guest_dt.h>
#include <xen/boot_config.h>
#include <xen/domain.h>

/*
 * Map d's passthrough devices (xen,reg) and route their SPIs to its vGIC, at build and
 * again at every rebuild. 0 (none, or all given), or -errno with a boot line: a partial DT
 * that is malformed, a device without xen,force-assign-without-iommu, a range that is not
 * free for it, an SPI another domain has.
 */
int passthrough_domain_init(struct domain *d, const struct boot_domain *cfg);

/*
 * Give g cfg's /passthrough node to copy, if it has one (fdt, copy: storage for the opened
 * blob and the copy's description, which must last while g is written).
 */
void passthrough_describe(const struct boot_domain *cfg, struct fdt *fdt,
                          struct guest_dt_subtree *copy, struct guest_dt_desc *g);

#endif
