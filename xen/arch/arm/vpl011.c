/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBSA UART a domain may have (asm/vpl011.h): the register subset the SBSA's generic
 * UART defines, as Xen 4.17 emulates it for a dom0less domain whose backend is in the
 * hypervisor, so Linux's "arm,sbsa-uart" driver gets a console on ttyAMA0.
 *
 *   DR      write: one byte out to the console (console_guest_write: the domain's lines,
 *           rate-limited); read: one byte of input, 0 when there is none
 *   RSR     reads 0 (no receive errors are ever modelled); writes ignored
 *   FR      TXFE always (output never waits), RXFE/RXFF from the input FIFO; TXFF and
 *           BUSY never, so a driver never has to wait for a transmit interrupt
 *   IMSC    the interrupt mask; RIS and MIS (RIS & IMSC) read-only; ICR write-only
 *   RIS     TX set by each DR write (the byte is gone), cleared only through ICR; RT
 *           while input is waiting, RX while at least half the FIFO is, both dropping
 *           as DR reads drain it
 *
 * Every other offset in the 4 KiB page reads as zero and ignores writes (Xen 4.18's
 * choice; 4.17 aborts, which oopses Linux kernels that write DMACR on close). An ICR
 * read and any 64-bit access abort, as on Xen. The interrupt is raised when MIS gains a
 * bit it did not have, as Xen's vGIC does: Linux's handler drains every cause before it
 * returns, and a drained FIFO clears RT and RX by itself.
 *
 * Input arrives from the UART's interrupt on whichever CPU takes it, while the domain's
 * vCPUs read DR on theirs: the state is under one lock, and the console is called
 * without it (console.c takes its own locks, and input arrives under console_input's).
 * The guest sees a 32-byte receive FIFO (RXFF, and RX at half of it), as on Xen. Behind
 * it wait up to IN_RING bytes more, fed to it as the guest reads: the serial line may
 * deliver a pasted line, or a test's, faster than a guest drains 32 bytes (QEMU's does,
 * at memory speed), and Xen's in-hypervisor backend drops what does not fit in the 32
 * while its xenconsoled backend queues 1 KiB. Only what overflows the ring is dropped.
 */
#include <asm/domain.h>
#include <asm/guest_memmap.h>
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <xen/alloc.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/pl011_regs.h>
#include <xen/spinlock.h>

#define FIFO_SIZE  32u /* the SBSA UART's receive FIFO, as the guest sees it */
#define FIFO_LEVEL (FIFO_SIZE / 2)
#define IN_RING    256u /* input waiting, the FIFO's included (a power of two) */

struct vpl011 {
    spinlock_t lock;
    char in[IN_RING];
    uint32_t in_cons, in_prod; /* free-running; in_prod - in_cons bytes waiting */
    uint32_t ris, imsc;
    uint32_t mis_seen; /* MIS at the last check: a new bit raises the interrupt */
};

static struct vpl011 *vpl011_of(const struct domain *d)
{
    return arm_domain(d)->vpl011;
}

/* Bytes waiting, up to a FIFO's worth: what the guest's flags and interrupts count. */
static uint32_t fifo_level(const struct vpl011 *u)
{
    uint32_t waiting = u->in_prod - u->in_cons;

    return waiting < FIFO_SIZE ? waiting : FIFO_SIZE;
}

/* RT and RX follow the FIFO's level (lock held). */
static void rx_status(struct vpl011 *u)
{
    uint32_t level = fifo_level(u);

    u->ris &= ~(INT_RT | INT_RX);
    if (level > 0)
        u->ris |= INT_RT;
    if (level >= FIFO_LEVEL)
        u->ris |= INT_RX;
}

/* Does MIS have a bit it did not have at the last look? (lock held) */
static bool interrupt_due(struct vpl011 *u)
{
    uint32_t mis = u->ris & u->imsc;
    bool due = (mis & ~u->mis_seen) != 0;

    u->mis_seen = mis;
    return due;
}

static void raise(struct domain *d)
{
    /* The SPI goes wherever the guest routed it: any vCPU names the domain. */
    vgic_inject_irq(d->vcpu[0], GUEST_PL011_SPI);
}

static uint32_t flags_of(const struct vpl011 *u)
{
    uint32_t level = fifo_level(u);

    return FR_TXFE | (level == 0 ? FR_RXFE : 0) | (level == FIFO_SIZE ? FR_RXFF : 0);
}

static bool read_reg(struct vpl011 *u, uint64_t offset, uint32_t *val)
{
    switch (offset) {
    case UARTDR:
        *val = 0;
        if (fifo_level(u) > 0)
            *val = (uint8_t)u->in[u->in_cons++ % IN_RING];
        rx_status(u);
        return true;
    case UARTFR:
        *val = flags_of(u);
        return true;
    case UARTIMSC:
        *val = u->imsc;
        return true;
    case UARTRIS:
        *val = u->ris;
        return true;
    case UARTMIS:
        *val = u->ris & u->imsc;
        return true;
    case UARTICR:
        return false; /* write-only: Xen aborts a read too */
    default:
        *val = 0; /* RSR, and what the SBSA subset leaves out */
        return true;
    }
}

/*
 * A register write of the bits in mask (a byte or halfword access writes only its own);
 * *out gets a byte for the console (-1: none).
 */
static void write_reg(struct vpl011 *u, uint64_t offset, uint32_t val, uint32_t mask, int *out)
{
    switch (offset) {
    case UARTDR:
        if ((mask & 0xff) != 0) {
            *out = (uint8_t)val;
            u->ris |= INT_TX;
        }
        break;
    case UARTIMSC:
        u->imsc = ((u->imsc & ~mask) | (val & mask)) & INT_ALL;
        break;
    case UARTICR:
        u->ris &= ~(val & INT_ALL);
        break;
    default:
        break; /* RSR (errors: none to clear), FR, RIS, MIS and the rest: ignored */
    }
}

static bool access(struct vcpu *v, struct mmio_access *a, void *priv)
{
    struct domain *d = v->domain;
    struct vpl011 *u = priv;
    unsigned int shift = 8 * (unsigned int)(a->offset & 3);
    uint32_t mask, val = 0;
    unsigned long flags;
    bool ok = true, due;
    int out = -1;

    /* 8, 16 and 32-bit accesses, each within its register (mmio.c has the size). */
    if (a->size > 4 || (a->offset & 3) + a->size > 4)
        return false;
    mask = (uint32_t)(((1ull << (8 * a->size)) - 1) << shift);
    flags = spin_lock_irqsave(&u->lock);
    if (a->write)
        write_reg(u, a->offset & ~3ull, (uint32_t)(a->data << shift), mask, &out);
    else
        ok = read_reg(u, a->offset & ~3ull, &val);
    due = interrupt_due(u);
    spin_unlock_irqrestore(&u->lock, flags);
    if (!a->write)
        a->data = (val & mask) >> shift;
    if (out >= 0) {
        char c = (char)out;

        console_guest_write(d, &c, 1);
    }
    if (due)
        raise(d);
    return ok;
}

/* A character typed while d has the serial input (console_input's lock held). */
static void receive(struct domain *d, char c)
{
    struct vpl011 *u = vpl011_of(d);
    unsigned long flags;
    bool due;

    if (u == NULL)
        return;
    flags = spin_lock_irqsave(&u->lock);
    if (u->in_prod - u->in_cons < IN_RING)
        u->in[u->in_prod++ % IN_RING] = c;
    rx_status(u);
    due = interrupt_due(u);
    spin_unlock_irqrestore(&u->lock, flags);
    if (due)
        raise(d);
}

static const struct console_input_ops vpl011_input_ops = {.receive = receive};

int vpl011_domain_init(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);
    struct vpl011 *u = ad->vpl011;
    int rc;

    if (u == NULL) {
        u = domain_xzalloc(d, struct vpl011);
        if (u == NULL)
            return -ENOMEM;
        ad->vpl011 = u;
    }
    /*
     * A reboot's new life starts from reset: nothing waiting, every interrupt masked. No
     * one holds the lock now: the domain's vCPUs are down, and its shutdown took it out
     * of the input cycle (so no receive() is running or can start).
     */
    *u = (struct vpl011){.lock = SPINLOCK_INIT};
    rc = mmio_register(d, GUEST_PL011_BASE, GUEST_PL011_SIZE, access, u);
    if (rc != 0)
        return rc;
    /* Already in the cycle (its reboot keeps its place) is as good as joining it. */
    rc = console_register_input(d, &vpl011_input_ops);
    return rc == -EEXIST ? 0 : rc;
}
