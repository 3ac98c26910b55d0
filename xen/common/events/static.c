/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Static event channels (the DT's "xen,evtchn-v1" pairs, xen/common/boot_config.c): an
 * interdomain channel on ports the boot configuration names, made before either domain
 * runs. EVTCHNOP_alloc_unbound + bind_interdomain pick the lowest free port; here the
 * port is given, so it needs storage up to it and must still be free.
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>

/* The highest port d may bind now (its limit, and what its current ABI addresses). */
static uint32_t bind_limit(const struct domain *d)
{
    uint32_t abi_max = d->evtchn_ops->max_ports(d);

    return MIN(d->max_evtchn_port, abi_max ? abi_max - 1 : 0);
}

/*
 * Give d's port table storage up to `port`. The core grows storage one bucket at a time
 * when evtchn_get_free_port() scans past valid_evtchns; asking it to start at the first
 * port without storage makes it grow exactly one bucket and hand back that bucket's first
 * (free) port, which we do not take. free_hint is put back, so no free port is hidden.
 */
static int grow_to(struct domain_locked dl, evtchn_port_t port)
{
    struct domain *d = dl.d;
    uint32_t saved_hint = d->free_hint;
    int rc = 0;

    /* port <= bind_limit < 2^18: at most 4096 buckets, each iteration adds one or stops. */
    while (port >= d->valid_evtchns) {
        uint32_t before = d->valid_evtchns;

        d->free_hint = before;
        rc = evtchn_get_free_port(dl);
        if (rc < 0)
            break;
        rc = 0;
        if (d->valid_evtchns <= before) {
            rc = -ENOSPC; /* no progress: never loop */
            break;
        }
    }
    d->free_hint = saved_hint;
    return rc;
}

/* Port `port` of d exists, is free and the guest cannot still reach it. */
static int claim(struct domain_locked dl, evtchn_port_t port, struct evtchn **out)
{
    struct domain *d = dl.d;
    struct evtchn *chn;
    int rc;

    if (port == 0)
        return -EINVAL;
    if (port > bind_limit(d))
        return -ENOSPC;
    rc = grow_to(dl, port);
    if (rc != 0)
        return rc;
    chn = evtchn_from_port(d, port);
    if (chn == NULL)
        return -ENOSPC;
    if (chn->state != ECS_FREE || d->evtchn_ops->is_busy(d, chn))
        return -EEXIST;
    *out = chn;
    return 0;
}

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

    rc = claim(ll, lport, &lchn);
    if (rc == 0)
        rc = claim(rl, rport, &rchn);
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

    rc = claim(ll, lport, &lchn);
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
