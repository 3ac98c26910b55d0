/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host SPIs delivered to the domain that owns their device (see asm/host_spis.h).
 *
 * On a host SPI: mask it at the distributor (so that deactivating it, which the host's
 * EOI does, cannot re-raise it while a level-triggered device still asserts the line),
 * then make the same INTID pending in the owner's vGIC, which delivers it wherever the
 * guest routed it. When the guest ends the virtual interrupt (an EOI maintenance interrupt
 * brings the vCPU out, vgic_sync retires the list register) the host SPI is unmasked: if
 * the device still wants service it fires again at once, as the line says. An edge that
 * comes while masked is latched by the distributor and delivered then.
 *
 * The table is written at boot, before any guest runs, and only read afterwards.
 */
#include <asm/gic.h>
#include <asm/host_spis.h>
#include <asm/vgic.h>
#include <xen/errno.h>
#include <xen/fdt.h>
#include <xen/irq.h>
#include <xen/lib.h>
#include <xen/sched.h>

static struct {
    struct domain *owner;
    bool level;
} routed[HOST_SPI_LIMIT - HOST_SPI_FIRST];

static void host_spi_fired(unsigned int intid)
{
    struct domain *d = routed[intid - HOST_SPI_FIRST].owner;

    gic_disable_irq(intid); /* until the guest ends it: host_spi_guest_eoi() */
    if (d != NULL && d->vcpu[0] != NULL)
        vgic_inject_irq(d->vcpu[0], intid); /* delivered to the vCPU it is routed to */
}

int host_spi_route(struct domain *d, unsigned int intid, bool level)
{
    int rc;

    if (intid < HOST_SPI_FIRST || intid >= HOST_SPI_LIMIT)
        return -EINVAL;
    if (routed[intid - HOST_SPI_FIRST].owner == d) {
        /* Again, for a rebuilt domain: its fresh vGIC, and the SPI unmasked in case its
         * last life ended before it ended the interrupt. */
        rc = vgic_bind_hw_spi(d, intid);
        if (rc == 0)
            gic_enable_irq(intid, routed[intid - HOST_SPI_FIRST].level);
        return rc;
    }
    if (routed[intid - HOST_SPI_FIRST].owner != NULL)
        return -EBUSY;
    rc = vgic_bind_hw_spi(d, intid);
    if (rc != 0)
        return rc;
    routed[intid - HOST_SPI_FIRST].owner = d;
    routed[intid - HOST_SPI_FIRST].level = level;
    irq_register(intid, host_spi_fired);
    gic_enable_irq(intid, level);
    return 0;
}

void host_spi_guest_eoi(struct domain *d, unsigned int intid)
{
    if (intid < HOST_SPI_FIRST || intid >= HOST_SPI_LIMIT ||
        routed[intid - HOST_SPI_FIRST].owner != d)
        return;
    gic_enable_irq(intid, routed[intid - HOST_SPI_FIRST].level);
}
