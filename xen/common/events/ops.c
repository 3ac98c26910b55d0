/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_event_channel_op: one handler per EVTCHNOP, with Xen's semantics and error
 * codes (reference: xen-evtchn-abi.md section 4.2). The dispatcher copies the argument
 * struct in, runs the handler on the copy, and copies it back only on success.
 *
 * Two-domain operations (bind_interdomain, close of an interdomain port) take both
 * event locks, lowest domain id first. Send never does: see evtchn_send().
 */
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/errno.h>
#include <xen/fence.h>
#include <xen/hypercall.h>
#include <xen/lib.h>

/* A port the guest may operate on: bound (not free, not reserved). */
static struct evtchn *usable_evtchn(const struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);

    return chn != NULL && chn->state > ECS_RESERVED ? chn : NULL;
}

/* ---- Allocation and binding ---- */

static COLD int evtchn_alloc_unbound(struct vcpu *curr, struct evtchn_alloc_unbound *op)
{
    struct domain *d;
    struct domain_locked dl;
    unsigned long flags;
    int port, rc = domain_for_caller(curr->domain, op->dom, &d);

    if (rc != 0)
        return rc;
    /* Xen 4.17 refuses a remote domain that does not exist (measured: -ESRCH). */
    if (domain_resolve(curr->domain, op->remote_dom) == NULL)
        return -ESRCH;

    dl = evtchn_lock(d, &flags);
    port = evtchn_get_free_port(dl);
    if (port >= 0) {
        struct evtchn *chn = evtchn_from_port(d, (evtchn_port_t)port);

        chn->peer_domid = op->remote_dom == DOMID_SELF ? d->domain_id : op->remote_dom;
        evtchn_bind_port(dl, chn, ECS_UNBOUND, 0);
        op->port = (evtchn_port_t)port;
    }
    evtchn_unlock(dl, flags);
    return port < 0 ? port : 0;
}

static COLD int evtchn_bind_interdomain(struct vcpu *curr, struct evtchn_bind_interdomain *op)
{
    struct domain *ld = curr->domain;
    struct domain *rd = domain_resolve(ld, op->remote_dom);
    struct evtchn_pair_locked t;
    struct evtchn *lchn, *rchn;
    int lport, rc = 0;

    if (rd == NULL)
        return -ESRCH;

    evtchn_lock_pair(&t, ld, rd);
    lport = evtchn_get_free_port(evtchn_pair_locked_as(&t, ld));
    if (lport < 0) {
        rc = lport;
        goto out;
    }
    rchn = evtchn_from_port(rd, op->remote_port);
    if (rchn == NULL || rchn->state != ECS_UNBOUND || rchn->peer_domid != ld->domain_id) {
        rc = -EINVAL;
        goto out;
    }

    lchn = evtchn_from_port(ld, (evtchn_port_t)lport);
    lchn->peer_domid = rd->domain_id;
    lchn->u.peer_port = op->remote_port;
    evtchn_bind_port(evtchn_pair_locked_as(&t, ld), lchn, ECS_INTERDOMAIN, 0);

    /* The remote end keeps its notify vCPU; only its state and peer change. */
    rchn->state = ECS_INTERDOMAIN;
    rchn->peer_domid = ld->domain_id;
    rchn->u.peer_port = (evtchn_port_t)lport;

    /* The peer may have signalled before we bound: make sure we look (Xen does too). */
    evtchn_port_set_pending(evtchn_pair_locked_as(&t, ld), lchn);
    op->local_port = (evtchn_port_t)lport;
out:
    evtchn_unlock_pair(&t);
    return rc;
}

static COLD int evtchn_bind_virq(struct vcpu *curr, struct evtchn_bind_virq *op)
{
    struct domain *d = curr->domain;
    struct domain_locked dl;
    struct vcpu *v;
    unsigned long flags;
    uint32_t virq = op->virq;
    int port;

    if (virq >= NR_VIRQS)
        return -EINVAL;
    if (virq_is_global(virq) && op->vcpu != 0)
        return -EINVAL;
    v = domain_vcpu(d, op->vcpu);
    if (v == NULL)
        return -ENOENT;
    if (virq_is_global(virq) && virq != VIRQ_ARGO && global_virq_owner(virq) != d)
        return -EBUSY;

    dl = evtchn_lock(d, &flags);
    if (v->virq_to_evtchn[virq] != 0) {
        port = -EEXIST;
    } else {
        port = evtchn_get_free_port(dl);
        if (port >= 0) {
            struct evtchn *chn = evtchn_from_port(d, (evtchn_port_t)port);

            chn->u.virq = virq;
            evtchn_bind_port(dl, chn, ECS_VIRQ, (uint16_t)v->vcpu_id);
            __atomic_store_n(&v->virq_to_evtchn[virq], (evtchn_port_t)port, __ATOMIC_RELEASE);
            op->port = (evtchn_port_t)port;
        }
    }
    evtchn_unlock(dl, flags);
    return port < 0 ? port : 0;
}

static COLD int evtchn_bind_ipi(struct vcpu *curr, struct evtchn_bind_ipi *op)
{
    struct domain *d = curr->domain;
    struct domain_locked dl;
    unsigned long flags;
    int port;

    if (domain_vcpu(d, op->vcpu) == NULL)
        return -ENOENT;

    dl = evtchn_lock(d, &flags);
    port = evtchn_get_free_port(dl);
    if (port >= 0) {
        evtchn_bind_port(dl, evtchn_from_port(d, (evtchn_port_t)port), ECS_IPI, (uint16_t)op->vcpu);
        op->port = (evtchn_port_t)port;
    }
    evtchn_unlock(dl, flags);
    return port < 0 ? port : 0;
}

/* ---- Closing ---- */

/*
 * Free chn of d. The caller holds d's lock and, for an interdomain port whose peer domain
 * still exists, the peer's too (`peer`; NULL if the peer domain is gone).
 */
static void close_locked(struct evtchn_pair_locked *t, struct domain *d, struct domain *peer,
                         struct evtchn *chn)
{
    switch (chn->state) {
    case ECS_VIRQ: {
        struct vcpu *v = domain_vcpu(d, virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu);

        if (v != NULL && v->virq_to_evtchn[chn->u.virq] == chn->port)
            __atomic_store_n(&v->virq_to_evtchn[chn->u.virq], 0, __ATOMIC_RELEASE);
        break;
    }
    case ECS_INTERDOMAIN: {
        struct evtchn *rchn = peer ? evtchn_from_port(peer, chn->u.peer_port) : NULL;

        /* The peer end waits for a new partner: us again, by our domain id. */
        if (rchn != NULL && rchn->state == ECS_INTERDOMAIN && rchn->peer_domid == d->domain_id &&
            rchn->u.peer_port == chn->port) {
            rchn->state = ECS_UNBOUND;
            rchn->peer_domid = d->domain_id;
            rchn->u.peer_port = 0;
        }
        break;
    }
    default:
        break;
    }
    evtchn_free_port(evtchn_pair_locked_as(t, d), chn);
}

/*
 * Close port of d. An interdomain port needs the peer's lock too, and lock order may
 * force us to drop ours to take it; the port can change meanwhile (the peer closes, or
 * another domain binds our unbound port), so look again, a bounded number of times.
 */
static COLD int evtchn_close_port(struct domain *d, evtchn_port_t port)
{
    unsigned int attempt;

    for (attempt = 0; attempt < 8; attempt++) {
        struct evtchn_pair_locked t;
        struct domain *rd = d;
        struct evtchn *chn;
        unsigned long flags;
        struct domain_locked dl = evtchn_lock(d, &flags);

        chn = usable_evtchn(d, port);
        if (chn == NULL) {
            evtchn_unlock(dl, flags);
            return -EINVAL;
        }
        if (chn->state == ECS_INTERDOMAIN)
            rd = domain_lookup(chn->peer_domid);
        evtchn_unlock(dl, flags);

        if (rd == NULL)
            rd = d; /* peer already gone: its end no longer exists */
        evtchn_lock_pair(&t, d, rd);
        chn = usable_evtchn(d, port);
        if (chn == NULL) {
            evtchn_unlock_pair(&t);
            return -EINVAL;
        }
        if (chn->state == ECS_INTERDOMAIN && chn->peer_domid != rd->domain_id &&
            domain_lookup(chn->peer_domid) != NULL) {
            evtchn_unlock_pair(&t); /* peer changed under us: try again with the new one */
            continue;
        }
        close_locked(&t, d,
                     chn->state == ECS_INTERDOMAIN && chn->peer_domid == rd->domain_id ? rd : NULL,
                     chn);
        evtchn_unlock_pair(&t);
        return 0;
    }
    return -EAGAIN;
}

void evtchn_close_all(struct domain *d)
{
    evtchn_port_t port;

    for (port = 1; port < d->valid_evtchns; port++)
        (void)evtchn_close_port(d, port);
}

/* ---- Sending ---- */

int evtchn_send(struct domain *ld, evtchn_port_t port)
{
    struct domain *rd;
    struct evtchn *chn;
    struct domain_locked dl;
    unsigned long flags;
    domid_t peer;
    evtchn_port_t rport;
    int rc = 0;

    dl = evtchn_lock(ld, &flags);
    chn = evtchn_from_port(ld, port);
    if (chn == NULL) {
        rc = -EINVAL;
    } else if (chn->state == ECS_IPI) {
        evtchn_port_set_pending(dl, chn);
    } else if (chn->state == ECS_UNBOUND) {
        /* Nobody listens yet: dropped, as on Xen. */
    } else if (chn->state != ECS_INTERDOMAIN) {
        rc = -EINVAL;
    } else {
        peer = chn->peer_domid;
        rport = chn->u.peer_port;
        evtchn_unlock(dl, flags);

        /*
         * Deliver under the receiver's lock only. The channel may have been closed or
         * rebound since we looked: deliver only if the far end is still connected to us.
         */
        rd = domain_lookup(peer);
        if (rd == NULL) {
            /* No domain: gone, or the hypervisor's own end (xen_peer.c), which consumes. */
            if (peer == DOMID_XEN)
                xen_peer_notify(ld, port);
            return 0;
        }
        dl = evtchn_lock(rd, &flags);
        chn = evtchn_from_port(rd, rport);
        if (chn != NULL && chn->state == ECS_INTERDOMAIN && chn->peer_domid == ld->domain_id &&
            chn->u.peer_port == port)
            evtchn_port_set_pending(dl, chn);
    }
    evtchn_unlock(dl, flags);
    return rc;
}

/* ---- Status and re-targeting ---- */

static COLD int evtchn_status(struct vcpu *curr, struct evtchn_status *op)
{
    struct domain *d;
    struct domain_locked dl;
    struct evtchn *chn;
    unsigned long flags;
    int rc = domain_for_caller(curr->domain, op->dom, &d);

    if (rc != 0)
        return rc;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, op->port);
    if (chn == NULL) {
        rc = -EINVAL;
        goto out;
    }
    op->vcpu = chn->notify_vcpu;
    op->u.interdomain.dom = 0;
    op->u.interdomain._pad = 0;
    op->u.interdomain.port = 0;
    switch (chn->state) {
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->peer_domid;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->peer_domid;
        op->u.interdomain.port = chn->u.peer_port;
        break;
    case ECS_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        op->u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default: /* free, and the reserved port 0 */
        op->status = EVTCHNSTAT_closed;
        break;
    }
out:
    evtchn_unlock(dl, flags);
    return rc;
}

static COLD int evtchn_bind_vcpu(struct vcpu *curr, const struct evtchn_bind_vcpu *op)
{
    struct domain *d = curr->domain;
    struct domain_locked dl;
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    if (domain_vcpu(d, op->vcpu) == NULL)
        return -ENOENT;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, op->port);
    if (chn == NULL) {
        rc = -EINVAL;
        goto out;
    }
    switch (chn->state) {
    case ECS_VIRQ:
        if (!virq_is_global(chn->u.virq)) {
            rc = -EINVAL; /* a per-vCPU VIRQ belongs to its vCPU */
            break;
        }
        /* fall through */
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        /* Future events go to the new vCPU; one already queued stays where it is. */
        chn->notify_vcpu = (uint16_t)op->vcpu;
        break;
    default:
        rc = -EINVAL; /* free, reserved, and IPI (its vCPU is fixed) */
        break;
    }
out:
    evtchn_unlock(dl, flags);
    return rc;
}

static int evtchn_unmask(struct vcpu *curr, evtchn_port_t port)
{
    struct domain *d = curr->domain;
    struct domain_locked dl;
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, port);
    if (chn == NULL)
        rc = -EINVAL;
    else
        d->evtchn_ops->unmask(dl, chn);
    evtchn_unlock(dl, flags);
    return rc;
}

static COLD int evtchn_set_priority(struct vcpu *curr, const struct evtchn_set_priority *op)
{
    struct domain *d = curr->domain;
    struct domain_locked dl;
    struct evtchn *chn;
    unsigned long flags;
    int rc;

    dl = evtchn_lock(d, &flags);
    chn = evtchn_from_port(d, op->port);
    if (chn == NULL)
        rc = -EINVAL;
    else if (d->evtchn_ops->set_priority == NULL)
        rc = -ENOSYS; /* 2-level and 3-level have no priorities, bound port or not (as Xen) */
    else if (chn->state <= ECS_RESERVED)
        rc = -EACCES;
    else
        rc = d->evtchn_ops->set_priority(dl, chn, op->priority);
    evtchn_unlock(dl, flags);
    return rc;
}

/* ---- Limits and reset ---- */

static COLD int evtchn_set_limit(struct vcpu *curr, const struct evtchn_set_limit *op)
{
    struct domain *d;
    struct domain_locked dl;
    unsigned long flags;

    if (!curr->domain->is_privileged)
        return -EPERM;
    d = domain_resolve(curr->domain, op->domid);
    if (d == NULL)
        return -ESRCH;

    /* Only future binds are affected; ports above the new limit stay bound. */
    dl = evtchn_lock(d, &flags);
    d->max_evtchn_port = MIN(op->max_port, EVTCHN_MAX_PORTS - 1);
    evtchn_unlock(dl, flags);
    return 0;
}

/* Ports closed between preemption checks: bounds the work done without a check. */
#define RESET_PORTS_PER_CHECK 64

static COLD int evtchn_reset(struct vcpu *curr, const struct evtchn_reset *op)
{
    struct domain *d = domain_resolve(curr->domain, op->dom);
    struct domain_locked dl;
    unsigned long flags;
    evtchn_port_t port;
    int rc = 0;

    if (d == NULL)
        return -ESRCH;
    if (d != curr->domain) {
        /*
         * Xen lets a controller reset a domain it has paused. minixen has no control
         * domain pausing yet, so no other domain can be in that state.
         */
        return curr->domain->is_privileged ? -EINVAL : -EPERM;
    }

    /* Bounded work per call: a domain with 2^18 ports cannot stall this CPU. */
    port = MAX(READ_ONCE(d->reset_next_port), 1u);
    for (; port < READ_ONCE(d->valid_evtchns); port++) {
        if (port % RESET_PORTS_PER_CHECK == 0 && arch_hypercall_preempt_check()) {
            WRITE_ONCE(d->reset_next_port, port);
            return -ERESTART;
        }
        (void)evtchn_close_port(d, port);
    }

    dl = evtchn_lock(d, &flags);
    WRITE_ONCE(d->reset_next_port, 0);
    if (d->active_evtchns != 0) {
        rc = -EAGAIN; /* another vCPU bound ports meanwhile (XSA-343) */
    } else {
        d->evtchn_ops->leave(dl);
        __atomic_store_n(&d->evtchn_ops, &evtchn_ops_2l, __ATOMIC_RELEASE);
        d->free_hint = 1;
    }
    evtchn_unlock(dl, flags);
    /* The channels whose far end is the hypervisor come back, as after a reboot. */
    if (rc == 0)
        xen_peer_reset(d);
    return rc;
}

/* ---- The hypercall ---- */

/* Copy in, run, copy back on success: one place for every op's argument handling. */
#define WITH_ARG(type, call, copy_back)                                                            \
    do {                                                                                           \
        type a_;                                                                                   \
        if (copy_arg_from_guest(d, &a_, arg, sizeof(a_)) != 0)                                     \
            return -EFAULT;                                                                        \
        rc = call(curr, &a_);                                                                      \
        if (rc == 0 && (copy_back) && arch_copy_to_guest(d, arg, &a_, sizeof(a_)) != 0)            \
            rc = -EFAULT;                                                                          \
        return rc;                                                                                 \
    } while (0)

static int do_send(struct vcpu *curr, struct evtchn_send *op)
{
    return evtchn_send(curr->domain, op->port);
}

static int do_close(struct vcpu *curr, struct evtchn_close *op)
{
    return evtchn_close_port(curr->domain, op->port);
}

static int do_unmask(struct vcpu *curr, struct evtchn_unmask *op)
{
    return evtchn_unmask(curr, op->port);
}

static COLD int do_bind_pirq(struct vcpu *curr, struct evtchn_bind_pirq *op)
{
    (void)curr;
    (void)op;
    return -ENOSYS; /* no port routes physical IRQs to guests yet (docs/events.md) */
}

static COLD int do_init_control(struct vcpu *curr, struct evtchn_init_control *op)
{
    int rc = evtchn_fifo_init_control(curr->domain, op);

    if (rc == 0)
        op->link_bits = EVTCHN_FIFO_LINK_BITS;
    return rc;
}

static COLD int do_expand_array(struct vcpu *curr, struct evtchn_expand_array *op)
{
    return evtchn_fifo_expand_array(curr->domain, op);
}

static COLD int do_register_3level(struct vcpu *curr, struct evtchn_register_3level *op)
{
    return evtchn_3l_register(curr->domain, op);
}

/* Every op but the two a running guest issues all the time (below). */
static COLD NOINLINE long rare_op(struct vcpu *curr, int cmd, gpaddr_t arg)
{
    struct domain *d = curr->domain;
    int rc;

    switch ((unsigned int)cmd) {
    case EVTCHNOP_alloc_unbound:
        WITH_ARG(struct evtchn_alloc_unbound, evtchn_alloc_unbound, true);
    case EVTCHNOP_bind_interdomain:
        WITH_ARG(struct evtchn_bind_interdomain, evtchn_bind_interdomain, true);
    case EVTCHNOP_bind_virq:
        WITH_ARG(struct evtchn_bind_virq, evtchn_bind_virq, true);
    case EVTCHNOP_bind_ipi:
        WITH_ARG(struct evtchn_bind_ipi, evtchn_bind_ipi, true);
    case EVTCHNOP_bind_pirq:
        WITH_ARG(struct evtchn_bind_pirq, do_bind_pirq, true);
    case EVTCHNOP_close:
        WITH_ARG(struct evtchn_close, do_close, false);
    case EVTCHNOP_status:
        WITH_ARG(struct evtchn_status, evtchn_status, true);
    case EVTCHNOP_bind_vcpu:
        WITH_ARG(struct evtchn_bind_vcpu, evtchn_bind_vcpu, false);
    case EVTCHNOP_reset:
        WITH_ARG(struct evtchn_reset, evtchn_reset, false);
    case EVTCHNOP_init_control:
        WITH_ARG(struct evtchn_init_control, do_init_control, true);
    case EVTCHNOP_expand_array:
        WITH_ARG(struct evtchn_expand_array, do_expand_array, false);
    case EVTCHNOP_set_priority:
        WITH_ARG(struct evtchn_set_priority, evtchn_set_priority, false);
    case EVTCHNOP_set_limit:
        WITH_ARG(struct evtchn_set_limit, evtchn_set_limit, false);
    case EVTCHNOP_register_3level:
        WITH_ARG(struct evtchn_register_3level, do_register_3level, false);
    default:
        return -ENOSYS; /* includes reset_cont (14): Xen-internal, never a guest op */
    }
}

long do_event_channel_op(struct vcpu *curr, int cmd, gpaddr_t arg)
{
    struct domain *d = curr->domain;
    int rc;

    switch ((unsigned int)cmd) {
    case EVTCHNOP_send:
        WITH_ARG(struct evtchn_send, do_send, false);
    case EVTCHNOP_unmask:
        WITH_ARG(struct evtchn_unmask, do_unmask, false);
    default:
        return rare_op(curr, cmd, arg);
    }
}
