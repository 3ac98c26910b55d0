/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channels whose far end is the hypervisor itself (the PV console ring it serves,
 * xen/common/pv_console.c). No new port state: the guest's end is an ordinary
 * interdomain port whose peer is DOMID_XEN, a domain id no domain ever has
 * (domain_lookup() answers NULL), with peer port 0. Everything the core already does
 * with an interdomain port is then right as it is: EVTCHNOP_status reports
 * "interdomain, dom 0x7ff2, port 0"; close, reset and destroy free it like one whose peer
 * has gone (there is no far end to make unbound); bind_vcpu retargets it; the ABIs
 * (2-level, 3-level, FIFO) see a bound port. Only two things are new: the hypervisor
 * raises it (evtchn_raise_xen_peer), and the guest's EVTCHNOP_send on it reaches the
 * hypervisor's consumer (evtchn_send() calls xen_peer_notify()). A guest cannot make such
 * a port itself: alloc_unbound and bind_interdomain resolve DOMID_XEN to no domain
 * (-ESRCH), so a port with that peer was always made here.
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>

int evtchn_bind_xen_peer(struct domain *d, evtchn_port_t *port)
{
    struct domain_locked dl;
    unsigned long flags;
    int p;

    dl = evtchn_lock(d, &flags);
    p = evtchn_get_free_port(dl);
    if (p >= 0) {
        struct evtchn *chn = evtchn_from_port(d, (evtchn_port_t)p);

        chn->peer_domid = DOMID_XEN;
        chn->u.peer_port = 0;
        evtchn_bind_port(dl, chn, ECS_INTERDOMAIN, 0);
        *port = (evtchn_port_t)p;
    }
    evtchn_unlock(dl, flags);
    return p < 0 ? p : 0;
}

bool evtchn_is_xen_peer(struct domain *d, evtchn_port_t port)
{
    struct domain_locked dl;
    unsigned long flags;
    struct evtchn *chn;
    bool yes;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, port);
    yes = chn != NULL && chn->state == ECS_INTERDOMAIN && chn->peer_domid == DOMID_XEN;
    evtchn_unlock(dl, flags);
    return yes;
}

void evtchn_raise_xen_peer(struct domain *d, evtchn_port_t port)
{
    struct domain_locked dl;
    unsigned long flags;
    struct evtchn *chn;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, port);
    /* The guest may have closed it and bound something else there since: only ours. */
    if (chn != NULL && chn->state == ECS_INTERDOMAIN && chn->peer_domid == DOMID_XEN)
        evtchn_port_set_pending(dl, chn);
    evtchn_unlock(dl, flags);
}
