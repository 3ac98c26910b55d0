/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host SPIs of the devices a domain owns (dom0's, hwdom_devices.c; a domU's from its
 * partial DT, passthrough.c), delivered to it through its vGIC (host_spis.c), each to one
 * domain only. The host interrupt is masked from the moment it fires until the guest
 * ends (EOIs) the virtual one: a level-triggered device that still asserts its line then
 * fires again, one that was served does not, and the line can never storm the host.
 */
#ifndef MINIXEN_ARM_ASM_HOST_SPIS_H
#define MINIXEN_ARM_ASM_HOST_SPIS_H

#include <xen/domain.h>
#include <xen/fdt.h>

#define HOST_SPI_FIRST 32   /* SPIs only */
#define HOST_SPI_LIMIT 1020 /* the GIC's last SPI + 1 */

/*
 * A DT's 3-cell GIC interrupt specifier (type, number, flags; big-endian): true for an
 * SPI, with its number (INTID - 32) and flags (1 rising edge, 4 level high, ...).
 */
static inline bool host_spi_spec(const void *cells, uint32_t *spi, uint32_t *flags)
{
    const uint8_t *c = cells;

    if (fdt_be32(c) != 0 || fdt_be32(c + 4) >= HOST_SPI_LIMIT - HOST_SPI_FIRST)
        return false; /* a PPI, or past the GIC's SPIs */
    *spi = fdt_be32(c + 4);
    *flags = fdt_be32(c + 8) & 0xf;
    return true;
}

/* Is an SPI with these specifier flags level-triggered? (GIC SPIs: level high or edge.) */
static inline bool host_spi_level(uint32_t flags)
{
    return (flags & 0xc) != 0;
}

/*
 * Give host SPI intid (level-triggered or rising edge) to d as the same INTID of its vGIC,
 * and enable it at the host GIC. 0, -EBUSY (already given), -ENOSPC (past the vGIC's SPIs
 * or the table), -EINVAL (not an SPI, or the hypervisor's own).
 */
int host_spi_route(struct domain *d, unsigned int intid, bool level);

/* The guest ended intid (the vGIC saw its list register retire): unmask the host SPI. */
void host_spi_guest_eoi(struct domain *d, unsigned int intid);

#endif
