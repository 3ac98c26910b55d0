/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Static event channels (the DT's "xen,evtchn-v1" pairs, xen/common/boot_config.c): an
 * interdomain channel on ports the boot configuration names, made before either domain
 * runs. EVTCHNOP_alloc_unbound + bind_interdomain pick the lowest free port; here the
 * port is given, so it needs storage up to it and must still be free: the core's
 * evtchn_claim_port(), as its locking is the core's evtchn_lock_pair().
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>

int evtchn_bind_static(struct domain *ld, evtchn_port_t lport, struct domain *rd,
                       evtchn_port_t rport)
{
    struct evtchn_pair_locked pair;
    struct domain_locked ll, rl;
    struct evtchn *lchn = NULL, *rchn = NULL;
    int rc;

    if (ld == rd && lport == rport)
        return -EINVAL;

    evtchn_lock_pair(&pair, ld, rd);
    ll = evtchn_pair_locked_as(&pair, ld);
    rl = evtchn_pair_locked_as(&pair, rd);

    rc = evtchn_claim_port(ll, lport, &lchn);
    if (rc == 0)
        rc = evtchn_claim_port(rl, rport, &rchn);
    if (rc == 0) {
        lchn->peer_domid = rd->domain_id;
        lchn->u.peer_port = rport;
        evtchn_bind_port(ll, lchn, ECS_INTERDOMAIN, 0);
        rchn->peer_domid = ld->domain_id;
        rchn->u.peer_port = lport;
        evtchn_bind_port(rl, rchn, ECS_INTERDOMAIN, 0);
    }
    evtchn_unlock_pair(&pair);
    return rc;
}

int evtchn_rebind_static(struct domain *ld, evtchn_port_t lport, struct domain *rd,
                         evtchn_port_t rport)
{
    struct evtchn_pair_locked pair;
    struct domain_locked ll;
    struct evtchn *lchn = NULL, *rchn;
    int rc;

    if (ld == rd)
        return evtchn_bind_static(ld, lport, rd, rport); /* both ends were closed: as at boot */

    /* Both locks: rd's end is read and changed under rd's. */
    evtchn_lock_pair(&pair, ld, rd);
    ll = evtchn_pair_locked_as(&pair, ld);

    rc = evtchn_claim_port(ll, lport, &lchn);
    if (rc == 0) {
        rchn = evtchn_from_port(rd, rport);
        lchn->peer_domid = rd->domain_id;
        if (rchn != NULL && rchn->state == ECS_UNBOUND && rchn->peer_domid == ld->domain_id) {
            /* The reset closed our end and left the peer's waiting for us: join it. */
            rchn->state = ECS_INTERDOMAIN;
            rchn->u.peer_port = lport;
            lchn->u.peer_port = rport;
            evtchn_bind_port(ll, lchn, ECS_INTERDOMAIN, 0);
        } else {
            /*
             * The peer closed its end (or uses the port for something else now): never
             * bind a port behind its back; ours waits for it to bind_interdomain to us.
             */
            lchn->u.peer_port = 0;
            evtchn_bind_port(ll, lchn, ECS_UNBOUND, 0);
            rc = -EEXIST;
        }
    }
    evtchn_unlock_pair(&pair);
    return rc;
}
