/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest model's dispatcher: one entry per guest action, routed to the model of the
 * ABI the guest set up (guest_bitmap.c for 2-level and 3-level, guest_fifo.c for FIFO).
 *
 * Which ABI is in use is the outcome of the guest's own hypercalls, and the hypervisor
 * records exactly that outcome in d->evtchn_ops; the dispatcher reads it there rather
 * than keeping a copy. A copy keyed by domain id would go stale when a test destroys a
 * domain and creates another with the same id (and often the same address).
 */
#include "guest_model.h"

enum guest_abi guest_abi(struct domain *d)
{
    const struct evtchn_port_ops *ops = __atomic_load_n(&d->evtchn_ops, __ATOMIC_ACQUIRE);

    if (ops == &evtchn_ops_fifo)
        return GUEST_ABI_FIFO;
    if (ops == &evtchn_ops_3l)
        return GUEST_ABI_3L;
    return GUEST_ABI_2L;
}

void guest_model_forget(struct domain *d)
{
    guest_bitmap_forget(d);
    guest_fifo_forget(d);
}

unsigned int guest_consume(struct vcpu *v, guest_event_handler handler, void *ctx)
{
    switch (guest_abi(v->domain)) {
    case GUEST_ABI_FIFO:
        return guest_fifo_consume(v, handler, ctx);
    case GUEST_ABI_3L:
        return guest_3l_consume(v, handler, ctx);
    case GUEST_ABI_2L:
    default:
        return guest_2l_consume(v, handler, ctx);
    }
}

void guest_mask(struct domain *d, evtchn_port_t port)
{
    if (guest_abi(d) == GUEST_ABI_FIFO)
        guest_fifo_mask(d, port);
    else
        guest_bitmap_mask(d, port);
}

void guest_unmask(struct vcpu *v, evtchn_port_t port)
{
    if (guest_abi(v->domain) == GUEST_ABI_FIFO)
        guest_fifo_unmask(v, port);
    else
        guest_bitmap_unmask(v, port);
}

bool guest_is_pending(struct domain *d, evtchn_port_t port)
{
    if (guest_abi(d) == GUEST_ABI_FIFO)
        return guest_fifo_is_pending(d, port);
    return guest_bitmap_is_pending(d, port);
}
