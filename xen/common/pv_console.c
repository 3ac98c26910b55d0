/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PV console ring, served by the hypervisor (see xen/include/xen/pv_console.h and
 * docs/console.md). Xen leaves this to xenconsoled in dom0; minixen's domUs have no such
 * dom0, so the hypervisor is the backend: the guest's end of the event channel is bound
 * to DOMID_XEN (xen/common/events/xen_peer.c), its notify lands in xen_peer_notify(), and
 * what it wrote goes through console_guest_write(), the path CONSOLEIO_write and the
 * vPL011 use: "(dN) " lines, control characters dropped, rate-limited.
 *
 * The ring is a frame of the guest's own RAM, which the builder kept out of the guest's
 * memory map (arch_pv_console_gfn). It is mapped for each use with arch_map_guest_frame(),
 * which gives only a frame that is d's RAM right now: if the guest has put something else
 * there, nothing is read or written. Every word in it is the guest's to change at any
 * moment, so each index is loaded once, bytes are addressed through the mask, and one
 * call handles at most two rings' worth (pv_console_drain).
 */
#include <xen/arch_hooks.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pv_console.h>
#include <public/hvm/params.h>

#define CHUNK        128 /* bytes printed per console_guest_write (its own bounce size) */
#define DRAIN_RING   ((uint32_t)sizeof(((struct xencons_interface *)0)->out))
#define DRAIN_PASSES 2 /* rings one call may print: its own, and one a busy notify left */

/* The page's size is 4096 whatever the guest's page size: the ring must fit in it. */
BUILD_BUG_ON(sizeof(struct xencons_interface) > PAGE_SIZE);

int pv_console_ring_read(struct xencons_interface *r, char *buf, uint32_t max)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    uint32_t n = prod - cons, i;

    if (n > sizeof(r->out)) {
        __atomic_store_n(&r->out_cons, prod, __ATOMIC_RELEASE);
        return -1;
    }
    n = MIN(n, MIN(max, (uint32_t)sizeof(r->out)));
    for (i = 0; i < n; i++)
        buf[i] = __atomic_load_n(&r->out[MASK_XENCONS_IDX(cons + i, r->out)], __ATOMIC_RELAXED);
    /* The bytes are read before the guest may reuse their slots. */
    __atomic_store_n(&r->out_cons, cons + n, __ATOMIC_RELEASE);
    return (int)n;
}

bool pv_console_ring_write(struct xencons_interface *r, char c)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_RELAXED);

    if (prod - cons >= sizeof(r->in))
        return false; /* full, or indices no ring could have */
    __atomic_store_n(&r->in[MASK_XENCONS_IDX(prod, r->in)], c, __ATOMIC_RELAXED);
    /* The byte is in place before the guest can see the index that covers it. */
    __atomic_store_n(&r->in_prod, prod + 1, __ATOMIC_RELEASE);
    return true;
}

/* The ring of d as it is now, or NULL (no console, or the frame is no longer its RAM). */
static struct xencons_interface *ring_map(struct domain *d)
{
    if (!d->pv_console.on)
        return NULL;
    return arch_map_guest_frame(d, d->pv_console.gfn);
}

/*
 * One chunk of d's out[] into buf (pc->lock held only for the read, so serial input and a
 * concurrent notify never wait for the UART). -1: broken indices; 0: nothing or no ring.
 */
static int take_chunk(struct domain *d, char *buf, uint32_t max)
{
    struct pv_console *pc = &d->pv_console;
    unsigned long flags = spin_lock_irqsave(&pc->lock);
    struct xencons_interface *r = ring_map(d);
    int n = 0;

    if (r != NULL) {
        n = pv_console_ring_read(r, buf, max);
        arch_unmap_guest_frame(d, r);
    }
    if (n > 0)
        pc->out_bytes += (uint32_t)n;
    spin_unlock_irqrestore(&pc->lock, flags);
    return n;
}

/* Up to one ring of d's output, printed in order (the caller is the one drainer). */
static uint32_t drain_ring(struct domain *d)
{
    char buf[CHUNK];
    uint32_t done = 0;

    while (done < DRAIN_RING) {
        int n = take_chunk(d, buf, MIN((uint32_t)CHUNK, DRAIN_RING - done));

        if (n < 0 && !__atomic_exchange_n(&d->pv_console.ring_noted, true, __ATOMIC_RELAXED))
            printk("d%u: PV console ring indices out of range; its output was dropped\n",
                   d->domain_id);
        if (n <= 0)
            break;
        /* Printed outside pc->lock: the UART is slow, and console.c bounds its own time. */
        console_guest_write(d, buf, (size_t)n);
        done += (uint32_t)n;
    }
    return done;
}

uint32_t pv_console_drain(struct domain *d)
{
    struct pv_console *pc = &d->pv_console;
    uint32_t done = 0;

    /*
     * One drainer at a time, so chunks are printed in ring order; a notify that finds one
     * at work leaves it a note (again) instead of waiting, and the drainer looks once more.
     * At most DRAIN_PASSES rings per call: a guest notifying from every vCPU cannot keep
     * one here; what is left waits for its next notify.
     */
    for (unsigned int pass = 0; pass < DRAIN_PASSES; pass++) {
        if (__atomic_exchange_n(&pc->draining, true, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&pc->again, true, __ATOMIC_RELEASE);
            break;
        }
        __atomic_store_n(&pc->again, false, __ATOMIC_RELAXED);
        done += drain_ring(d);
        __atomic_store_n(&pc->draining, false, __ATOMIC_RELEASE);
        /* A notify that came while we printed may have found us busy: its bytes are ours. */
        if (!__atomic_load_n(&pc->again, __ATOMIC_ACQUIRE))
            break;
    }
    return done;
}

void xen_peer_notify(struct domain *d, evtchn_port_t port)
{
    evtchn_port_t ours = __atomic_load_n(&d->pv_console.port, __ATOMIC_ACQUIRE);

    if (!d->pv_console.on || ours == 0 || port != ours)
        return;
    /* Tell the guest out[] has room again, as a backend does after consuming. */
    if (pv_console_drain(d) != 0)
        evtchn_raise_xen_peer(d, ours);
}

/* A character typed while d has the serial input (console_input.c, its lock held). */
static void pv_receive(struct domain *d, char c)
{
    struct pv_console *pc = &d->pv_console;
    struct xencons_interface *r;
    unsigned long flags;
    bool put = false;

    flags = spin_lock_irqsave(&pc->lock);
    r = ring_map(d);
    if (r != NULL) {
        put = pv_console_ring_write(r, c);
        arch_unmap_guest_frame(d, r);
    }
    if (!put)
        pc->in_dropped++;
    spin_unlock_irqrestore(&pc->lock, flags);
    /* Signalled even when full, so a guest that stopped reading is reminded. */
    evtchn_raise_xen_peer(d, __atomic_load_n(&pc->port, __ATOMIC_ACQUIRE));
}

static const struct console_input_ops pv_console_input_ops = {.receive = pv_receive};

/* The port and the params, for a life of d that has neither yet. */
static int bind_port(struct domain *d)
{
    evtchn_port_t port = 0;
    int rc = evtchn_bind_xen_peer(d, &port);

    if (rc != 0) {
        printk("d%u: no port for its PV console (%d)\n", d->domain_id, rc);
        return rc;
    }
    __atomic_store_n(&d->pv_console.port, port, __ATOMIC_RELEASE);
    __atomic_store_n(&d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN], (uint64_t)port, __ATOMIC_RELEASE);
    return 0;
}

/* A new life of d's console: the ring zeroed, a port, the params, the input cycle. */
static int start(struct domain *d)
{
    struct pv_console *pc = &d->pv_console;
    void *page = arch_map_guest_frame(d, pc->gfn);
    int rc;

    if (page == NULL) {
        printk("d%u: PV console frame 0x%llx is not its RAM\n", d->domain_id,
               (unsigned long long)pc->gfn);
        return -EINVAL;
    }
    memset(page, 0, PAGE_SIZE);
    arch_unmap_guest_frame(d, page);
    pc->ring_noted = false;
    rc = bind_port(d);
    if (rc != 0)
        return rc;
    __atomic_store_n(&d->hvm_params[HVM_PARAM_CONSOLE_PFN], (uint64_t)pc->gfn, __ATOMIC_RELEASE);
    /* A domain with a vPL011 keeps its input there (registered first): -EEXIST is fine. */
    rc = console_register_input(d, &pv_console_input_ops);
    return rc == -EEXIST ? 0 : rc;
}

int pv_console_enable(struct domain *d)
{
    struct pv_console *pc = &d->pv_console;
    gfn_t gfn = arch_pv_console_gfn(d);
    int rc;

    if (gfn == 0) {
        printk("d%u: minixen,pv-console: this port places no PV console ring\n", d->domain_id);
        return -EOPNOTSUPP;
    }
    pc->lock = (spinlock_t)SPINLOCK_INIT;
    pc->gfn = gfn;
    pc->port = 0;
    pc->on = true;
    rc = start(d);
    if (rc != 0) {
        pc->on = false;
        return rc;
    }
    printk("d%u: PV console ring at gfn 0x%llx, event channel %u\n", d->domain_id,
           (unsigned long long)gfn, pc->port);
    return 0;
}

int pv_console_restart(struct domain *d)
{
    if (!d->pv_console.on)
        return 0;
    __atomic_store_n(&d->pv_console.port, 0, __ATOMIC_RELEASE);
    return start(d);
}

void xen_peer_reset(struct domain *d)
{
    /* The guest's EVTCHNOP_reset closed its end: a new one; the ring stays as it is. */
    if (!d->pv_console.on)
        return;
    __atomic_store_n(&d->pv_console.port, 0, __ATOMIC_RELEASE);
    (void)bind_port(d);
}
