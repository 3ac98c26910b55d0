/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event-channel hypercall: every EVTCHNOP's success path and documented errors,
 * checked through hypercalls and the guest model (2-level; the other ABIs have their own
 * suites). Error codes are Xen's (reference sheet section 4.2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>
#include "test_util.h"

static struct domain *dom0, *d1, *d2;

static int setup(void **state)
{
    (void)state;
    return make_three_domains(&dom0, &d1, &d2);
}

/* Connect d:? <-> r:? ; returns d's port, r's port in *rport. */
static evtchn_port_t connect(struct domain *d, struct domain *r, evtchn_port_t *rport)
{
    evtchn_port_t lp = 0;

    assert_int_equal(connect_pair(r, d, rport, &lp), 0);
    return lp;
}

/* Records the ports one upcall delivers. */
struct seen {
    evtchn_port_t ports[64];
    unsigned int n;
};

static void record(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct seen *s = ctx;

    (void)v;
    if (s->n < 64)
        s->ports[s->n] = port;
    s->n++;
}

static bool delivered(struct domain *d, unsigned int vcpu, evtchn_port_t port)
{
    struct seen s = {.n = 0};
    unsigned int i;

    guest_consume(d->vcpu[vcpu], record, &s);
    for (i = 0; i < s.n && i < 64; i++)
        if (s.ports[i] == port)
            return true;
    return false;
}

/* ---- alloc_unbound ---- */

static void test_alloc_unbound(void **state)
{
    struct evtchn_status st;
    evtchn_port_t p, q;

    (void)state;
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 2, &p), 0);
    assert_int_equal(p, 1); /* lowest free port; 0 is reserved */
    assert_int_equal(status(d1, DOMID_SELF, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 2);

    /* remote_dom = DOMID_SELF means the caller itself (loopback). */
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, DOMID_SELF, &q), 0);
    assert_int_equal(status(d1, DOMID_SELF, q, &st), 0);
    assert_int_equal(st.u.unbound.dom, 1);

    assert_int_equal(alloc_unbound(d1, 42, 0, NULL), -ESRCH);
    assert_int_equal(alloc_unbound(d1, 2, 0, NULL), -EPERM); /* not for another domain */
    assert_int_equal(alloc_unbound(dom0, 2, 1, &p), 0);      /* the privileged one may */
    assert_int_equal(status(d2, DOMID_SELF, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 1);
}

/* ---- bind_interdomain and send ---- */

static void test_interdomain_delivery(void **state)
{
    evtchn_port_t up, lp;
    struct evtchn_status st;
    unsigned long before;

    (void)state;
    assert_int_equal(alloc_unbound(d2, DOMID_SELF, 1, &up), 0);
    assert_int_equal(bind_interdomain(d1, 2, up, &lp), 0);

    /* The new local port starts pending: notifications may have been lost. */
    assert_true(delivered(d1, 0, lp));

    assert_int_equal(status(d1, DOMID_SELF, lp, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 2);
    assert_int_equal(st.u.interdomain.port, up);
    assert_int_equal(status(d2, DOMID_SELF, up, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.port, lp);

    before = harness_upcalls(d2->vcpu[0]);
    assert_int_equal(send(d1, lp), 0);
    assert_int_equal(harness_upcalls(d2->vcpu[0]), before + 1);
    assert_true(delivered(d2, 0, up));
    assert_false(delivered(d2, 0, up)); /* consumed once */

    assert_int_equal(send(d2, up), 0);
    assert_true(delivered(d1, 0, lp));
}

static void test_bind_interdomain_errors(void **state)
{
    evtchn_port_t up, ipi;

    (void)state;
    assert_int_equal(bind_interdomain(d1, 42, 1, NULL), -ESRCH);
    assert_int_equal(bind_interdomain(d1, 2, 77, NULL), -EINVAL);     /* never allocated */
    assert_int_equal(bind_interdomain(d1, 2, 100000, NULL), -EINVAL); /* beyond storage */
    assert_int_equal(bind_interdomain(d1, 2, 0, NULL), -EINVAL);      /* reserved */

    assert_int_equal(alloc_unbound(d2, DOMID_SELF, 0, &up), 0); /* accepts dom0 only */
    assert_int_equal(bind_interdomain(d1, 2, up, NULL), -EINVAL);
    assert_int_equal(bind_interdomain(dom0, 2, up, NULL), 0);
    assert_int_equal(bind_interdomain(dom0, 2, up, NULL), -EINVAL); /* no longer unbound */

    assert_int_equal(bind_ipi(d2, 0, &ipi), 0);
    assert_int_equal(bind_interdomain(d1, 2, ipi, NULL), -EINVAL);
}

static void test_loopback(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, DOMID_SELF, &a), 0);
    assert_int_equal(bind_interdomain(d1, DOMID_SELF, a, &b), 0);
    assert_int_not_equal(a, b);
    guest_consume(d1->vcpu[0], record, &(struct seen){0}); /* drop the bind's event */
    assert_int_equal(send(d1, b), 0);
    assert_true(delivered(d1, 0, a));
    assert_int_equal(send(d1, a), 0);
    assert_true(delivered(d1, 0, b));
}

static void test_send_cases(void **state)
{
    evtchn_port_t unbound, virq;
    unsigned long before = harness_upcalls(d1->vcpu[0]);

    (void)state;
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 2, &unbound), 0);
    assert_int_equal(send(d1, unbound), 0); /* nobody listens: silently dropped */
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before);
    assert_false(guest_is_pending(d1, unbound));

    assert_int_equal(send(d1, 0), -EINVAL);
    assert_int_equal(send(d1, 500), -EINVAL);
    assert_int_equal(send(d1, 0xffffffffu), -EINVAL);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 0, &virq), 0);
    assert_int_equal(send(d1, virq), -EINVAL);
}

/* ---- close ---- */

static void test_close(void **state)
{
    evtchn_port_t lp, rp;
    struct evtchn_status st;

    (void)state;
    lp = connect(d1, d2, &rp);
    assert_int_equal(close_port(d1, lp), 0);
    assert_int_equal(status(d1, DOMID_SELF, lp, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    /* The peer end returns to unbound, waiting for the closer. */
    assert_int_equal(status(d2, DOMID_SELF, rp, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 1);
    assert_int_equal(send(d2, rp), 0); /* unbound: dropped */
    assert_int_equal(send(d1, lp), -EINVAL);

    /* ... and can be bound again. */
    assert_int_equal(bind_interdomain(d1, 2, rp, &lp), 0);

    assert_int_equal(close_port(d1, 0), -EINVAL);     /* reserved */
    assert_int_equal(close_port(d1, 9), -EINVAL);     /* free */
    assert_int_equal(close_port(d1, 70000), -EINVAL); /* no storage */
    assert_int_equal(close_port(d1, lp), 0);
    assert_int_equal(close_port(d1, lp), -EINVAL); /* twice */
}

static void test_close_clears_pending_and_reuses_port(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    assert_int_equal(bind_ipi(d1, 0, &a), 0);
    assert_int_equal(send(d1, a), 0);
    assert_true(guest_is_pending(d1, a));
    assert_int_equal(close_port(d1, a), 0);
    assert_false(guest_is_pending(d1, a));
    assert_int_equal(bind_ipi(d1, 1, &b), 0);
    assert_int_equal(b, a); /* lowest free port again */
}

/* ---- VIRQs ---- */

static void test_bind_virq(void **state)
{
    evtchn_port_t t0, t1, con;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, &t1), 0);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 0, &t0), 0);
    assert_int_not_equal(t0, t1);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, NULL), -EEXIST);
    assert_int_equal(bind_virq(d1, NR_VIRQS, 0, NULL), -EINVAL);
    assert_int_equal(bind_virq(d1, 0xffffffffu, 0, NULL), -EINVAL);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 2, NULL), -ENOENT);
    assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 1, NULL), -EINVAL); /* global: vCPU 0 */
    assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, NULL), -EBUSY);  /* dom0's */
    assert_int_equal(bind_virq(dom0, VIRQ_CONSOLE, 0, &con), 0);

    assert_int_equal(status(d1, DOMID_SELF, t1, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.u.virq, VIRQ_TIMER);
    assert_int_equal(st.vcpu, 1);

    send_guest_vcpu_virq(d1->vcpu[1], VIRQ_TIMER);
    assert_true(delivered(d1, 1, t1));
    assert_false(delivered(d1, 0, t0));
    send_guest_global_virq(VIRQ_CONSOLE);
    assert_true(delivered(dom0, 0, con));

    /* After close the VIRQ can be bound again; raising an unbound VIRQ does nothing. */
    assert_int_equal(close_port(d1, t1), 0);
    send_guest_vcpu_virq(d1->vcpu[1], VIRQ_TIMER);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, &t1), 0);
}

static void test_global_virq_handler(void **state)
{
    evtchn_port_t p;

    (void)state;
    assert_int_equal(set_global_virq_handler(d1, VIRQ_DOM_EXC), 0);
    assert_int_equal(bind_virq(dom0, VIRQ_DOM_EXC, 0, NULL), -EBUSY);
    assert_int_equal(bind_virq(d1, VIRQ_DOM_EXC, 0, &p), 0);
    send_guest_global_virq(VIRQ_DOM_EXC);
    assert_true(delivered(d1, 0, p));
    assert_int_equal(set_global_virq_handler(d1, VIRQ_TIMER), -EINVAL);
    assert_int_equal(set_global_virq_handler(NULL, VIRQ_DOM_EXC), 0);
}

/* ---- IPI, PIRQ ---- */

static void test_bind_ipi(void **state)
{
    evtchn_port_t p;
    struct evtchn_status st;

    (void)state;
    assert_int_equal(bind_ipi(d1, 2, NULL), -ENOENT);
    assert_int_equal(bind_ipi(d1, 1, &p), 0);
    assert_int_equal(status(d1, DOMID_SELF, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(send(d1, p), 0);
    assert_true(delivered(d1, 1, p));
}

static void test_bind_pirq(void **state)
{
    struct evtchn_bind_pirq b = {.pirq = 5};

    (void)state;
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_bind_pirq, &b, sizeof(b)), -ENOSYS);
}

/* ---- status ---- */

static void test_status_errors(void **state)
{
    struct evtchn_status st;
    evtchn_port_t p;

    (void)state;
    assert_int_equal(status(d1, DOMID_SELF, 0, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed); /* the reserved port reads closed */
    assert_int_equal(status(d1, DOMID_SELF, 5, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(status(d1, DOMID_SELF, 1u << 20, &st), -EINVAL);
    assert_int_equal(status(d1, 42, 1, &st), -ESRCH);
    assert_int_equal(alloc_unbound(d2, DOMID_SELF, 1, &p), 0);
    assert_int_equal(status(d1, 2, p, &st), -EPERM);
    assert_int_equal(status(dom0, 2, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
}

/* ---- bind_vcpu ---- */

static void test_bind_vcpu(void **state)
{
    struct evtchn_bind_vcpu bv;
    evtchn_port_t lp, rp, ipi, timer;
    unsigned long before;

    (void)state;
    lp = connect(d1, d2, &rp);
    guest_consume(d1->vcpu[0], record, &(struct seen){0});

    bv = (struct evtchn_bind_vcpu){.port = lp, .vcpu = 1};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
    before = harness_upcalls(d1->vcpu[1]);
    assert_int_equal(send(d2, rp), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[1]), before + 1);
    assert_true(delivered(d1, 1, lp));

    bv = (struct evtchn_bind_vcpu){.port = lp, .vcpu = 2};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -ENOENT);
    bv = (struct evtchn_bind_vcpu){.port = 999, .vcpu = 0};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    assert_int_equal(bind_ipi(d1, 0, &ipi), 0);
    bv = (struct evtchn_bind_vcpu){.port = ipi, .vcpu = 1};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 0, &timer), 0);
    bv = (struct evtchn_bind_vcpu){.port = timer, .vcpu = 1};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
}

/* ---- unmask ---- */

static void test_unmask_reraises(void **state)
{
    evtchn_port_t p;
    struct evtchn_unmask um;
    unsigned long before;

    (void)state;
    assert_int_equal(bind_ipi(d1, 0, &p), 0);
    guest_mask(d1, p);
    before = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, p), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before); /* masked: no upcall */
    assert_true(guest_is_pending(d1, p));

    guest_unmask(d1->vcpu[0], p); /* pending: the guest asks Xen to unmask */
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before + 1);
    assert_true(delivered(d1, 0, p));

    um.port = 1u << 20;
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_unmask, &um, sizeof(um)), -EINVAL);
    um.port = 3; /* free but has storage: fine, nothing happens */
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_unmask, &um, sizeof(um)), 0);
}

/* ---- limits ---- */

static void test_default_limit(void **state)
{
    evtchn_port_t p = 0;
    unsigned int i;

    (void)state;
    for (i = 1; i <= 1023; i++)
        assert_int_equal(bind_ipi(d1, 0, &p), 0);
    assert_int_equal(p, 1023);
    assert_int_equal(bind_ipi(d1, 0, NULL), -ENOSPC);
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 0, NULL), -ENOSPC);
}

static void test_set_limit(void **state)
{
    struct evtchn_set_limit sl = {.domid = 1, .max_port = 10};
    unsigned int i;
    evtchn_port_t p;

    (void)state;
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl)), -EPERM);
    sl.domid = 42;
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl)), -ESRCH);

    for (i = 0; i < 20; i++)
        assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    sl.domid = 1;
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl)), 0);
    /* Only future binds: the 20 bound ports stay and still work. */
    assert_int_equal(send(d1, 20), 0);
    assert_true(delivered(d1, 0, 20));
    assert_int_equal(bind_ipi(d1, 0, NULL), -ENOSPC);
    assert_int_equal(close_port(d1, 5), 0);
    assert_int_equal(bind_ipi(d1, 0, &p), 0); /* below the limit again */
    assert_int_equal(p, 5);

    /* Raising it lets a 2-level guest go up to its ABI's 4096 ports, no further. */
    sl.max_port = 100000;
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl)), 0);
    for (i = 21; i <= 4095; i++)
        assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    assert_int_equal(bind_ipi(d1, 0, NULL), -ENOSPC);
}

static void test_x86_32_limit(void **state)
{
    struct domain *d = harness_domain(5, 1, true, &guest_layout_x86_32);
    unsigned int i;

    (void)state;
    for (i = 1; i <= 1023; i++)
        assert_int_equal(bind_ipi(d, 0, NULL), 0);
    assert_int_equal(bind_ipi(d, 0, NULL), -ENOSPC); /* 32 x 32 ports */
}

static void test_set_priority_on_2l(void **state)
{
    struct evtchn_set_priority sp = {.port = 1, .priority = 3};

    (void)state;
    /* Xen 4.17 (measured): 2-level answers ENOSYS whether or not the port is bound. */
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)), -ENOSYS);
    assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)), -ENOSYS);
    sp.port = 1u << 20;
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)), -EINVAL);
}

/* ---- reset ---- */

static void test_reset(void **state)
{
    struct evtchn_reset r = {.dom = DOMID_SELF};
    struct evtchn_status st;
    evtchn_port_t lp, rp;
    unsigned int i;

    (void)state;
    /* Enough ports that reset must be continued several times (-ERESTART). */
    struct evtchn_set_limit sl = {.domid = 1, .max_port = 4095};
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl)), 0);
    lp = connect(d1, d2, &rp);
    for (i = 0; i < 3000; i++)
        assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    assert_int_equal(send(d1, 100), 0);

    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_reset, &r, sizeof(r)), 0);
    for (i = 1; i <= 3001; i += 100) { /* ports 1..3001 were bound */
        assert_int_equal(status(d1, DOMID_SELF, i, &st), 0);
        assert_int_equal(st.status, EVTCHNSTAT_closed);
    }
    assert_false(guest_is_pending(d1, 100));
    assert_int_equal(status(d2, DOMID_SELF, rp, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound); /* the peer survives */
    assert_int_equal(bind_ipi(d1, 0, &lp), 0);
    assert_int_equal(lp, 1);

    r.dom = 42;
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_reset, &r, sizeof(r)), -ESRCH);
    r.dom = 2;
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_reset, &r, sizeof(r)), -EPERM);
    assert_int_equal(op(dom0->vcpu[0], EVTCHNOP_reset, &r, sizeof(r)), -EINVAL); /* not paused */
}

/* ---- the hypercall itself ---- */

static void test_bad_cmd_and_fault(void **state)
{
    struct evtchn_send s = {.port = 1};

    (void)state;
    assert_int_equal(op(d1->vcpu[0], 14, &s, sizeof(s)), -ENOSYS); /* reset_cont: internal */
    assert_int_equal(op(d1->vcpu[0], 15, &s, sizeof(s)), -ENOSYS);
    assert_int_equal(op(d1->vcpu[0], -1, &s, sizeof(s)), -ENOSYS);
    /* An argument outside the guest's RAM. */
    assert_int_equal(do_event_channel_op(d1->vcpu[0], EVTCHNOP_send, 0xfffffffff000ull), -EFAULT);
    assert_int_equal(do_event_channel_op(d1->vcpu[0], EVTCHNOP_send,
                                         (gpaddr_t)HARNESS_GUEST_PAGES * PAGE_SIZE - 2),
                     -EFAULT);
}

/* ---- storage follows the ports in use ---- */

static void test_storage_on_demand(void **state)
{
    unsigned int i;
    size_t small, big;

    (void)state;
    for (i = 0; i < 10; i++)
        assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    small = evtchn_port_table_bytes(d1);
    assert_true(small < 8 * 1024);
    print_message("# sizeof(struct evtchn) = %zu; port table for 10 ports: %zu bytes\n",
                  sizeof(struct evtchn), small);
    assert_true(sizeof(struct evtchn) <= 32);

    for (i = 10; i < 1000; i++)
        assert_int_equal(bind_ipi(d1, 0, NULL), 0);
    big = evtchn_port_table_bytes(d1);
    assert_true(big > small);
    assert_true(big < 1000 * sizeof(struct evtchn) + 4096);
}

/* ---- polling ---- */

static void test_poll_any_pending(void **state)
{
    evtchn_port_t a, b;
    evtchn_port_t ports[2];

    (void)state;
    assert_int_equal(bind_ipi(d1, 0, &a), 0);
    assert_int_equal(bind_ipi(d1, 0, &b), 0);
    ports[0] = a;
    ports[1] = b;
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], ports, 2), 0);
    assert_int_equal(send(d1, b), 0);
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], ports, 2), 1);
    ports[1] = 1u << 20;
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], ports, 2), -EINVAL);

    /* A vCPU blocked polling a port is woken when that port is signalled. */
    d1->vcpu[1]->poll_evtchn = a;
    d1->polling_vcpus = 1;
    assert_int_equal(send(d1, a), 0);
    assert_int_equal(harness_poll_wakes(d1->vcpu[1]), 1);
    assert_int_equal(d1->vcpu[1]->poll_evtchn, 0);
}

/* ---- debug dump ---- */

static void test_dump(void **state)
{
    evtchn_port_t lp;
    char *out;

    (void)state;
    lp = connect(d1, d2, NULL);
    assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, NULL), 0);
    free(harness_take_console());
    evtchn_dump_all();
    out = harness_take_console();
    assert_non_null(out);
    assert_non_null(strstr(out, "d1: event channels, 2-level"));
    assert_non_null(strstr(out, "interdomain"));
    assert_non_null(strstr(out, "virq 0"));
    assert_non_null(strstr(out, "d0: event channels"));
    (void)lp;
    free(out);
}

/* ---- domain destruction ---- */

static void test_destroy_unbinds_peers(void **state)
{
    evtchn_port_t lp, rp;
    struct evtchn_status st;
    struct domain *d3 = harness_domain(3, 1, false, &guest_layout_arm);

    (void)state;
    lp = connect(d3, d1, &rp);
    (void)lp;
    domain_destroy(d3);
    assert_null(domain_lookup(3));
    assert_int_equal(status(d1, DOMID_SELF, rp, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(send(d1, rp), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_alloc_unbound),
        T(test_interdomain_delivery),
        T(test_bind_interdomain_errors),
        T(test_loopback),
        T(test_send_cases),
        T(test_close),
        T(test_close_clears_pending_and_reuses_port),
        T(test_bind_virq),
        T(test_global_virq_handler),
        T(test_bind_ipi),
        T(test_bind_pirq),
        T(test_status_errors),
        T(test_bind_vcpu),
        T(test_unmask_reraises),
        T(test_default_limit),
        T(test_set_limit),
        T(test_x86_32_limit),
        T(test_set_priority_on_2l),
        T(test_reset),
        T(test_bad_cmd_and_fault),
        T(test_storage_on_demand),
        T(test_poll_any_pending),
        T(test_dump),
        T(test_destroy_unbinds_peers),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
