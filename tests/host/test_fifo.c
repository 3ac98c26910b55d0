/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FIFO-based event channel ABI end to end: a guest (tests/host/guest_fifo.c, written
 * the way Linux's events_fifo.c is) switches to FIFO with hypercalls on its own pages,
 * binds, masks and consumes; the tests check what the guest sees, and the error codes of
 * Xen (reference sheet sections 1.6-1.11).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include "test_util.h"

#define WORD_P (1u << EVTCHN_FIFO_PENDING)
#define WORD_M (1u << EVTCHN_FIFO_MASKED)
#define WORD_L (1u << EVTCHN_FIFO_LINKED)

static struct domain *dom0, *d1, *d2;

static int setup(void **state)
{
    (void)state;
    return make_three_domains(&dom0, &d1, &d2);
}

/* ---- Guest actions ------------------------------------------------------------------------ */

/* An IPI port on vcpu, unmasked the way Linux does when it starts the irq. */
static evtchn_port_t ipi(struct domain *d, uint32_t vcpu)
{
    evtchn_port_t p;

    assert_int_equal(bind_ipi(d, vcpu, &p), 0);
    guest_unmask(d->vcpu[vcpu], p);
    return p;
}

/* A gfn that is not RAM of d. */
static gfn_t not_ram(struct domain *d)
{
    static const gfn_t candidates[] = {0, 1ull << 40, ~0ull, 0x3ffffull};

    for (unsigned int i = 0; i < ARRAY_SIZE(candidates); i++)
        if (harness_gfn_to_va(d, candidates[i]) == NULL)
            return candidates[i];
    fail_msg("no non-RAM gfn found");
    return 0;
}

/* ---- What an upcall delivers ---------------------------------------------------------- */

#define SEEN_MAX 256

struct seen {
    evtchn_port_t ports[SEEN_MAX];
    unsigned int n;
};

static void record(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct seen *s = ctx;

    (void)v;
    if (s->n < SEEN_MAX)
        s->ports[s->n] = port;
    s->n++;
}

static struct seen consume(struct domain *d, unsigned int vcpu)
{
    struct seen s = {.n = 0};

    guest_consume(d->vcpu[vcpu], record, &s);
    return s;
}

/* The upcall delivers exactly `ports`, in this order. */
static void expect(struct domain *d, unsigned int vcpu, const evtchn_port_t *ports, unsigned int n)
{
    struct seen s = consume(d, vcpu);

    assert_int_equal(s.n, n);
    for (unsigned int i = 0; i < n; i++)
        assert_int_equal(s.ports[i], ports[i]);
}

static void expect_one(struct domain *d, unsigned int vcpu, evtchn_port_t port)
{
    expect(d, vcpu, &port, 1);
}

static void expect_none(struct domain *d, unsigned int vcpu)
{
    expect(d, vcpu, NULL, 0);
}

/* ---- Switching to FIFO ---------------------------------------------------------------- */

static void test_switch_keeps_bound_ports(void **state)
{
    evtchn_port_t a, b, up, lp;
    unsigned long before;

    (void)state;
    /* Bound and pending under 2-level, before the guest switches. */
    assert_int_equal(bind_ipi(d1, 0, &a), 0);
    assert_int_equal(bind_ipi(d1, 1, &b), 0);
    assert_int_equal(alloc_unbound(d2, DOMID_SELF, 1, &up), 0);
    assert_int_equal(bind_interdomain(d1, 2, up, &lp), 0);
    expect_one(d1, 0, lp); /* a new interdomain port starts pending */
    assert_int_equal(send(d1, a), 0);
    assert_true(guest_is_pending(d1, a));

    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    assert_int_equal(guest_abi(d1), GUEST_ABI_FIFO);

    /*
     * The pending event was carried over. Linux hands over array pages MASKED, so it sits
     * pending and masked until the guest unmasks it, and then it is delivered.
     */
    assert_true(guest_is_pending(d1, a));
    assert_false(guest_is_pending(d1, b));
    expect_none(d1, 0);
    before = harness_upcalls(d1->vcpu[0]);
    guest_unmask(d1->vcpu[0], a);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before + 1);
    expect_one(d1, 0, a);
    expect_none(d1, 0);

    /* Every port bound before the switch keeps working. */
    guest_unmask(d1->vcpu[1], b);
    guest_unmask(d1->vcpu[0], lp);
    assert_int_equal(send(d1, b), 0);
    expect_none(d1, 0);
    expect_one(d1, 1, b);
    assert_int_equal(send(d2, up), 0);
    expect_one(d1, 0, lp);
    assert_int_equal(send(d1, a), 0);
    expect_one(d1, 0, a);

    /* ... in both directions: d2 (2-level) still hears from d1. */
    assert_int_equal(send(d1, lp), 0);
    expect_one(d2, 0, up);
}

static void test_init_control_errors(void **state)
{
    gfn_t page = harness_alloc_gfn(d1), page1 = harness_alloc_gfn(d1);
    gfn_t bad = not_ram(d1);
    uint8_t lb;

    (void)state;
    /* Bad vCPU. */
    assert_int_equal(init_control(d1, 2, page, 0, &lb), -ENOENT);
    assert_int_equal(init_control(d1, MAX_VCPUS, page, 0, &lb), -ENOENT);
    assert_int_equal(init_control(d1, ~0u, page, 0, &lb), -ENOENT);
    assert_int_equal(lb, 0xAA); /* copied back only on success */

    /* Offset: 8-aligned and at most PAGE_SIZE - 72. */
    assert_int_equal(init_control(d1, 0, page, 4, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 0, page, 4025, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 0, page, 4032, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 0, page, 4096, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 0, page, ~0u - 7, &lb), -EINVAL);

    /* Not a RAM page: -EINVAL, and the domain stays on 2-level with nothing half set up. */
    assert_int_equal(init_control(d1, 0, bad, 0, &lb), -EINVAL);
    assert_int_equal(guest_abi(d1), GUEST_ABI_2L);
    assert_null(d1->evtchn_abi[EVTCHN_ABI_FIFO]);
    assert_int_equal(expand_array(d1, harness_alloc_gfn(d1)), -EOPNOTSUPP);

    /* Out of memory while building the FIFO state: -ENOMEM, still 2-level, no leak. */
    size_t heap = xalloc_bytes_in_use();
    harness_fail_next_allocs(1);
    assert_int_equal(init_control(d1, 0, page, 0, &lb), -ENOMEM);
    harness_fail_next_allocs(0);
    assert_int_equal(guest_abi(d1), GUEST_ABI_2L);
    assert_int_equal(xalloc_bytes_in_use(), heap);

    /* The argument itself unreadable: -EFAULT from the copy. */
    assert_int_equal(do_event_channel_op(d1->vcpu[0], EVTCHNOP_init_control, 0), -EFAULT);

    /* Success writes link_bits = 17; a second block for the same vCPU is -EINVAL. */
    assert_int_equal(init_control(d1, 0, page, 0, &lb), 0);
    assert_int_equal(lb, EVTCHN_FIFO_LINK_BITS);
    assert_int_equal(guest_abi(d1), GUEST_ABI_FIFO);
    assert_int_equal(init_control(d1, 0, page1, 0, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 0, page, 0, &lb), -EINVAL);

    /* Later vCPUs: the last legal offset, and bad pages still refused. */
    assert_int_equal(init_control(d1, 1, bad, 0, &lb), -EINVAL);
    assert_int_equal(init_control(d1, 1, page1, 4024, &lb), 0);
    assert_int_equal(lb, EVTCHN_FIFO_LINK_BITS);
    assert_int_equal(init_control(d1, 1, page1, 4024, &lb), -EINVAL);
}

static void test_control_block_not_ram(void **state)
{
    uint8_t lb;

    (void)state;
    assert_int_equal(init_control(d2, 0, not_ram(d2), 0, &lb), -EINVAL);
    assert_int_equal(init_control(d2, 0, 1ull << 40, 0, &lb), -EINVAL);
    assert_int_equal(init_control(d2, 0, ~0ull, 0, &lb), -EINVAL);
    assert_int_equal(guest_abi(d2), GUEST_ABI_2L);

    /* The domain still works on 2-level, and can still switch afterwards. */
    evtchn_port_t p = ipi(d2, 0);
    assert_int_equal(send(d2, p), 0);
    expect_one(d2, 0, p);
    assert_int_equal(guest_setup_fifo(d2, 1), 0);
    guest_unmask(d2->vcpu[0], p);
    assert_int_equal(send(d2, p), 0);
    expect_one(d2, 0, p);
}

static void test_not_from_3level(void **state)
{
    evtchn_port_t p;

    (void)state;
    /* A 3-level domain must reset before it may switch to FIFO. */
    assert_int_equal(guest_setup_3l(d2), 0);
    assert_int_equal(guest_abi(d2), GUEST_ABI_3L);
    assert_int_equal(init_control(d2, 0, harness_alloc_gfn(d2), 0, NULL), -EINVAL);
    assert_int_equal(expand_array(d2, harness_alloc_gfn(d2)), -EOPNOTSUPP);
    assert_int_equal(guest_abi(d2), GUEST_ABI_3L);
    p = ipi(d2, 0);
    assert_int_equal(send(d2, p), 0);
    expect_one(d2, 0, p);

    assert_int_equal(reset_self(d2), 0);
    guest_model_forget(d2);
    assert_int_equal(guest_setup_fifo(d2, 1), 0);
    p = ipi(d2, 0);
    assert_int_equal(send(d2, p), 0);
    expect_one(d2, 0, p);
}

static void test_expand_array_errors(void **state)
{
    (void)state;
    /* Not on FIFO. */
    assert_int_equal(expand_array(d1, harness_alloc_gfn(d1)), -EOPNOTSUPP);
    assert_int_equal(guest_setup_fifo(d1, 0), 0);

    /* Not a RAM page. */
    assert_int_equal(expand_array(d1, not_ram(d1)), -EINVAL);
    assert_int_equal(expand_array(d1, ~0ull), -EINVAL);

    /* 128 pages are the whole 17-bit port space; one more is -ENOSPC. */
    assert_int_equal(guest_fifo_expand(d1, 128), 0);
    assert_int_equal(guest_fifo_nr_pages(d1), 128);
    assert_int_equal(expand_array(d1, harness_alloc_gfn(d1)), -ENOSPC);

    /* Unreadable argument. */
    assert_int_equal(do_event_channel_op(d1->vcpu[0], EVTCHNOP_expand_array, 0), -EFAULT);
}

/* ---- Queues --------------------------------------------------------------------------- */

static void test_priority_order(void **state)
{
    evtchn_port_t a, b, c, order[3];
    unsigned long before;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    a = ipi(d1, 0); /* default priority 7 */
    b = ipi(d1, 0);
    c = ipi(d1, 0);
    assert_int_equal(set_priority(d1, b, EVTCHN_FIFO_PRIORITY_MAX), 0);
    assert_int_equal(set_priority(d1, c, EVTCHN_FIFO_PRIORITY_MIN), 0);

    before = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, c), 0);
    assert_int_equal(send(d1, a), 0);
    assert_int_equal(send(d1, b), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before + 1); /* one upcall is enough */

    /* The guest sees three READY bits and serves priority 0 first. */
    assert_int_equal(guest_fifo_control_block(d1->vcpu[0])->ready,
                     (1u << 0) | (1u << 7) | (1u << 15));
    order[0] = b;
    order[1] = a;
    order[2] = c;
    expect(d1, 0, order, 3);
    expect_none(d1, 0);

    /* Priorities are checked: 0..15. */
    assert_int_equal(set_priority(d1, a, 16), -EINVAL);
    assert_int_equal(set_priority(d1, a, ~0u), -EINVAL);
    assert_int_equal(set_priority(d1, 0, 3), -EACCES);   /* reserved port */
    assert_int_equal(set_priority(d1, 999, 3), -EINVAL); /* no such port */
    /* 2-level has no priorities. */
    evtchn_port_t p = ipi(d2, 0);
    assert_int_equal(set_priority(d2, p, 3), -ENOSYS);
}

static void test_same_priority_fifo_order(void **state)
{
    evtchn_port_t p[6], order[6];
    static const unsigned int sends[6] = {3, 1, 4, 0, 5, 2};

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    for (unsigned int i = 0; i < 6; i++)
        p[i] = ipi(d1, 0);
    for (unsigned int i = 0; i < 6; i++) {
        assert_int_equal(send(d1, p[sends[i]]), 0);
        order[i] = p[sends[i]];
    }
    /* Sending again while queued adds nothing: still one entry, in its place. */
    assert_int_equal(send(d1, p[4]), 0);
    expect(d1, 0, order, 6);
    expect_none(d1, 0);

    /* A queue drained and refilled starts again from a fresh HEAD. */
    assert_int_equal(send(d1, p[5]), 0);
    assert_int_equal(send(d1, p[0]), 0);
    order[0] = p[5];
    order[1] = p[0];
    expect(d1, 0, order, 2);
}

static void test_events_while_consuming(void **state)
{
    evtchn_port_t a, b, c;
    struct evtchn_fifo_control_block *cb;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    a = ipi(d1, 0);
    b = ipi(d1, 0);
    c = ipi(d1, 0);
    cb = guest_fifo_control_block(d1->vcpu[0]);

    /* A queue the guest has taken READY for but not walked yet: links go on its tail. */
    assert_int_equal(send(d1, a), 0);
    assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a);
    assert_int_equal(send(d1, b), 0);
    assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a); /* HEAD only for new heads */
    assert_int_equal(*guest_fifo_word(d1, a) & EVTCHN_FIFO_LINK_MASK, b);

    /* Masked events are not linked; unmask links them (EVTCHNOP_unmask). */
    guest_mask(d1, c);
    assert_int_equal(send(d1, c), 0);
    assert_true(guest_is_pending(d1, c));
    assert_int_equal(*guest_fifo_word(d1, c) & WORD_L, 0);
    evtchn_port_t order[3] = {a, b, c};
    guest_unmask(d1->vcpu[0], c);
    assert_int_equal(*guest_fifo_word(d1, c) & WORD_L, WORD_L);
    expect(d1, 0, order, 3);

    /* A masked event that the guest consumes is skipped (stays pending). */
    assert_int_equal(send(d1, a), 0);
    guest_mask(d1, a);
    expect_none(d1, 0);
    assert_true(guest_is_pending(d1, a));
    guest_unmask(d1->vcpu[0], a);
    expect_one(d1, 0, a);
}

static void test_set_priority_while_queued(void **state)
{
    evtchn_port_t p, x, y, order[2];

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    p = ipi(d1, 0); /* 7 */
    x = ipi(d1, 0);
    y = ipi(d1, 0); /* 7 */
    assert_int_equal(set_priority(d1, x, 5), 0);

    /* p is queued on 7, then moves to 2: the queued event stays on 7 and is found there. */
    assert_int_equal(send(d1, p), 0);
    assert_int_equal(set_priority(d1, p, 2), 0);
    assert_int_equal(send(d1, x), 0);
    assert_int_equal(send(d1, p), 0); /* still linked on 7: nothing new */
    order[0] = x;
    order[1] = p;
    expect(d1, 0, order, 2);

    /* The next event goes to the new queue: now ahead of x. */
    assert_int_equal(send(d1, x), 0);
    assert_int_equal(send(d1, p), 0);
    order[0] = p;
    order[1] = x;
    expect(d1, 0, order, 2);

    /*
     * Queue 7 still named p as its tail. p is now linked on queue 2; an event for queue 7
     * must start a fresh queue 7, not be chained behind p on queue 2.
     */
    assert_int_equal(send(d1, p), 0);
    assert_int_equal(send(d1, y), 0);
    assert_int_equal(guest_fifo_control_block(d1->vcpu[0])->head[7], y);
    order[0] = p;
    order[1] = y;
    expect(d1, 0, order, 2);
    expect_none(d1, 0);

    /* And back to 7, twice round. */
    assert_int_equal(set_priority(d1, p, 7), 0);
    assert_int_equal(send(d1, y), 0);
    assert_int_equal(send(d1, p), 0);
    order[0] = y;
    order[1] = p;
    expect(d1, 0, order, 2);
}

static void test_bind_vcpu_while_queued(void **state)
{
    evtchn_port_t u, l, m;
    unsigned long before1;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    /* A loopback pair: sending on u raises l. */
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, DOMID_SELF, &u), 0);
    assert_int_equal(bind_interdomain(d1, DOMID_SELF, u, &l), 0);
    guest_unmask(d1->vcpu[0], u);
    guest_unmask(d1->vcpu[0], l); /* pending since bind: linked now */
    expect_one(d1, 0, l);
    m = ipi(d1, 0);

    /* Queued on vCPU 0, then re-targeted to vCPU 1: consumed where it is queued. */
    assert_int_equal(send(d1, u), 0);
    assert_int_equal(bind_vcpu(d1, l, 1), 0);
    before1 = harness_upcalls(d1->vcpu[1]);
    assert_int_equal(send(d1, u), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[1]), before1);
    expect_none(d1, 1);
    expect_one(d1, 0, l);

    /* The next event goes to vCPU 1. */
    assert_int_equal(send(d1, u), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[1]), before1 + 1);
    expect_none(d1, 0);
    expect_one(d1, 1, l);

    /* vCPU 0's queue 7 had l as its stale tail: it must restart cleanly. */
    assert_int_equal(send(d1, u), 0); /* l on vCPU 1, linked */
    assert_int_equal(send(d1, m), 0); /* m on vCPU 0 */
    expect_one(d1, 0, m);
    expect_one(d1, 1, l);

    /* Back to vCPU 0 while linked on vCPU 1, then round again. */
    assert_int_equal(send(d1, u), 0);
    assert_int_equal(bind_vcpu(d1, l, 0), 0);
    expect_none(d1, 0);
    expect_one(d1, 1, l);
    assert_int_equal(send(d1, u), 0);
    expect_one(d1, 0, l);
}

static void test_linked_port_not_reused(void **state)
{
    evtchn_port_t p, q, r;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    p = ipi(d1, 0);
    assert_int_equal(send(d1, p), 0);
    assert_int_equal(close_port(d1, p), 0);

    /* Closed but still LINKED: the guest can still reach it, so it is not handed out. */
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 2, &q), 0);
    assert_int_not_equal(q, p);
    assert_false(guest_is_pending(d1, p)); /* close cleared P */

    /* The guest walks past it (not pending: nothing handled) and unlinks it. */
    expect_none(d1, 0);
    assert_int_equal(*guest_fifo_word(d1, p) & WORD_L, 0);
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 2, &r), 0);
    assert_int_equal(r, p); /* the lowest free port again */

    /* Reused, it works, with the default priority. */
    assert_int_equal(close_port(d1, r), 0);
    r = ipi(d1, 0);
    assert_int_equal(r, p);
    assert_int_equal(send(d1, r), 0);
    assert_int_equal(guest_fifo_control_block(d1->vcpu[0])->head[7], r);
    expect_one(d1, 0, r);
}

static void test_latched_until_expand(void **state)
{
    evtchn_port_t p = 0, gone = 0, first = 0;
    unsigned long before;

    (void)state;
    assert_int_equal(set_limit(dom0, 1, 4095), 0);
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    /* Ports 1..1025: 1024 and 1025 have no event word yet. */
    for (unsigned int i = 0; i < 1025; i++) {
        assert_int_equal(bind_ipi(d1, 0, &p), 0);
        if (i == 0)
            first = p;
    }
    assert_int_equal(first, 1);
    assert_int_equal(p, 1025);
    gone = 1024;

    before = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, p), 0);
    assert_int_equal(send(d1, gone), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before);
    assert_false(guest_is_pending(d1, p)); /* the guest has no word to look at */
    /* SCHEDOP_poll sees the latched event; EVTCHNOP_unmask has no word to act on yet. */
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], &p, 1), 1);
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], &first, 1), 0);
    struct evtchn_unmask um = {.port = p};
    assert_int_equal(op(d1->vcpu[0], EVTCHNOP_unmask, &um, sizeof(um)), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before);
    /* A port closed while latched is not raised later. */
    assert_int_equal(close_port(d1, gone), 0);

    /* The page arrives (MASKED, as Linux sets it): the event is there, pending. */
    assert_int_equal(guest_fifo_expand(d1, 1), 0);
    assert_true(guest_is_pending(d1, p));
    assert_false(guest_is_pending(d1, gone));
    assert_int_equal(evtchn_poll_any_pending(d1->vcpu[0], &p, 1), 1);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before);
    guest_unmask(d1->vcpu[0], p);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before + 1);
    expect_one(d1, 0, p);
    expect_none(d1, 0);

    /* A masked port's event waits in its word until the guest unmasks it. */
    assert_int_equal(send(d1, first), 0);
    guest_unmask(d1->vcpu[0], first);
    expect_one(d1, 0, first);
}

/* ---- Debug dump ----------------------------------------------------------------------- */

static void test_dump_describes_queues(void **state)
{
    evtchn_port_t a, b, latched = 0;
    char *out, line_a[64], line_b[64];

    (void)state;
    assert_int_equal(set_limit(dom0, 1, 4095), 0);
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    a = ipi(d1, 1);
    b = ipi(d1, 0);
    assert_int_equal(set_priority(d1, a, 4), 0);
    assert_int_equal(send(d1, a), 0); /* linked on vCPU 1, queue 4 */
    guest_mask(d1, b);                /* masked, not pending */
    for (unsigned int i = 0; i < 1024 - 2; i++)
        assert_int_equal(bind_ipi(d1, 0, &latched), 0);
    assert_int_equal(latched, 1024);
    assert_int_equal(send(d1, latched), 0); /* no word yet: latched */

    free(harness_take_console());
    evtchn_dump_domain(d1);
    out = harness_take_console();
    assert_non_null(out);
    assert_non_null(strstr(out, "fifo"));
    snprintf(line_a, sizeof(line_a), "%6u ipi", a);
    snprintf(line_b, sizeof(line_b), "%6u ipi", b);
    assert_non_null(strstr(out, line_a));
    assert_non_null(strstr(strstr(out, line_a), "P-L- prio  4 q 1"));
    assert_non_null(strstr(strstr(out, line_b), "-M-- prio  7 q -1"));
    assert_non_null(strstr(strstr(out, "  1024 ipi"), "PM-- prio  7 q -1"));
    free(out);
}

/* ---- No control block (XSA-107) ------------------------------------------------------- */

static void test_vcpu_without_control_block(void **state)
{
    gfn_t cb = harness_alloc_gfn(d1), arr = harness_alloc_gfn(d1);
    event_word_t *words = harness_gfn_to_va(d1, arr);
    evtchn_port_t p0, p1;
    unsigned long before;

    (void)state;
    /* Only vCPU 0 registers a control block; words start unmasked (zeroed page). */
    assert_int_equal(init_control(d1, 0, cb, 0, NULL), 0);
    assert_int_equal(expand_array(d1, arr), 0);
    assert_int_equal(bind_ipi(d1, 1, &p1), 0);
    assert_int_equal(bind_ipi(d1, 0, &p0), 0);

    /* Bound to vCPU 1: dropped, no upcall, no crash. */
    before = harness_upcalls(d1->vcpu[1]);
    assert_int_equal(send(d1, p1), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[1]), before);
    assert_int_equal(words[p1] & (WORD_P | WORD_L), 0);

    /* vCPU 0 works, and so does moving a port away from a block-less vCPU. */
    before = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, p0), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[0]), before + 1);
    assert_int_equal(words[p0] & (WORD_P | WORD_L), WORD_P | WORD_L);

    /* Its control block arrives: events flow from then on. */
    assert_int_equal(init_control(d1, 1, harness_alloc_gfn(d1), 64, NULL), 0);
    before = harness_upcalls(d1->vcpu[1]);
    assert_int_equal(send(d1, p1), 0);
    assert_int_equal(harness_upcalls(d1->vcpu[1]), before + 1);
}

/* ---- The whole port space ------------------------------------------------------------- */

static unsigned char *hits;

static void count_hit(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    evtchn_port_t *last = ctx;

    /* Same priority, one vCPU: strictly in send order, which was port order. */
    assert_true(port > last[v->vcpu_id]);
    last[v->vcpu_id] = port;
    assert_true(port < EVTCHN_FIFO_NR_CHANNELS);
    hits[port]++;
}

static void test_max_ports(void **state)
{
    const uint32_t n = EVTCHN_FIFO_NR_CHANNELS; /* 131072: ports 1..131071 */
    evtchn_port_t p, last[2] = {0, 0};
    unsigned int got;

    (void)state;
    hits = calloc(n, 1);
    assert_non_null(hits);
    /* dom0 is privileged: its limit is past what FIFO can address. 2.6 MiB of storage. */
    dom0->heap_budget = DOMAIN_HEAP_BUDGET_MAX;
    assert_int_equal(guest_setup_fifo(dom0, 128), 0);
    for (uint32_t i = 1; i < n; i++) {
        assert_int_equal(bind_ipi(dom0, i % 2, &p), 0);
        assert_int_equal(p, i);
        guest_unmask(dom0->vcpu[i % 2], p);
    }
    /* The ABI's maximum: no port 131072. */
    assert_int_equal(bind_ipi(dom0, 0, &p), -ENOSPC);

    for (uint32_t i = 1; i < n; i++)
        assert_int_equal(send(dom0, i), 0);
    got = guest_consume(dom0->vcpu[0], count_hit, last);
    got += guest_consume(dom0->vcpu[1], count_hit, last);
    assert_int_equal(got, n - 1);
    for (uint32_t i = 1; i < n; i++)
        assert_int_equal(hits[i], 1);
    assert_int_equal(hits[0], 0);

    /* The top port works at a high priority too. */
    assert_int_equal(set_priority(dom0, n - 1, 0), 0);
    assert_int_equal(send(dom0, 2), 0);
    assert_int_equal(send(dom0, n - 1), 0);
    evtchn_port_t order[1] = {2};
    expect_one(dom0, 1, n - 1);
    expect(dom0, 0, order, 1);
    free(hits);
    hits = NULL;
}

/* ---- Hostile guest -------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t hostile_rnd(void)
{
    /*
     * xorshift64* on one global state, not test_util.h's per-thread rnd(): a different
     * generator, kept so the single-threaded hostile run replays the same sequence.
     */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t hostile_value(void)
{
    static const uint32_t interesting[] = {
        0,
        ~0u,
        WORD_L,
        WORD_L | 1,
        WORD_L | 0x1ffff,
        WORD_P | WORD_L | 2,
        1u << EVTCHN_FIFO_BUSY,
        WORD_M | WORD_L,
        0x0fffffff,
        3,
    };

    return hostile_rnd() % 3 ? interesting[hostile_rnd() % ARRAY_SIZE(interesting)] : hostile_rnd();
}

/* d1's guest scribbles over everything the FIFO ABI shares with it. */
static void scribble(struct domain *d, unsigned int nports)
{
    unsigned int k = hostile_rnd() % 8;

    for (unsigned int i = 0; i < k; i++) {
        event_word_t *w = guest_fifo_word(d, hostile_rnd() % nports);

        if (w)
            __atomic_store_n(w, hostile_value(), __ATOMIC_RELAXED);
    }
    if (hostile_rnd() % 4 == 0) {
        struct evtchn_fifo_control_block *cb = guest_fifo_control_block(d->vcpu[hostile_rnd() % 2]);

        if (hostile_rnd() % 2)
            __atomic_store_n(&cb->ready, hostile_value(), __ATOMIC_RELAXED);
        else
            __atomic_store_n(&cb->head[hostile_rnd() % 16], hostile_value(), __ATOMIC_RELAXED);
    }
}

static void ignore(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    (void)v;
    (void)port;
    (void)ctx;
}

static void count_port(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    unsigned int *count = ctx;

    (void)v;
    (void)port;
    (*count)++;
}

struct scribbler {
    struct domain *d;
    unsigned int nports;
    bool stop; /* atomic: set by the test, read by the thread */
    uint64_t seed;
};

static void *scribble_thread(void *arg)
{
    struct scribbler *s = arg;
    uint64_t x = s->seed;

    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        xorshift64(&x);
        event_word_t *w = guest_fifo_word(s->d, (uint32_t)(x % s->nports));

        if (w != NULL) {
            /* Flip link bits and flags on live tail words, as fast as it can. */
            if (x & 1)
                __atomic_fetch_xor(w, (uint32_t)(x >> 32) | WORD_L, __ATOMIC_RELAXED);
            else
                __atomic_store_n(w, (uint32_t)(x >> 32), __ATOMIC_RELAXED);
        }
        struct evtchn_fifo_control_block *cb = guest_fifo_control_block(s->d->vcpu[x % 2]);
        if (cb != NULL && (x & 0x30) == 0)
            __atomic_store_n(&cb->head[(x >> 8) % 16], (uint32_t)(x >> 40), __ATOMIC_RELAXED);
    }
    return NULL;
}

static void test_hostile_guest(void **state)
{
    enum { NPORTS = 64, ROUNDS = 20000 };
    evtchn_port_t ports[NPORTS], d2_port, d1_peer, u, l;
    unsigned int sent = 0, got = 0;
    struct scribbler sc;
    pthread_t thr;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    assert_int_equal(guest_setup_fifo(d2, 1), 0);

    /* d2 is the innocent party: it talks to d1 and must keep hearing from it. */
    assert_int_equal(alloc_unbound(d2, DOMID_SELF, 1, &d2_port), 0);
    assert_int_equal(bind_interdomain(d1, 2, d2_port, &d1_peer), 0);
    guest_unmask(d2->vcpu[0], d2_port);
    guest_unmask(d1->vcpu[0], d1_peer);
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, DOMID_SELF, &u), 0);
    assert_int_equal(bind_interdomain(d1, DOMID_SELF, u, &l), 0);
    for (unsigned int i = 0; i < NPORTS; i++)
        ports[i] = ipi(d1, i % 2);

    for (unsigned int round = 0; round < ROUNDS; round++) {
        evtchn_port_t p = ports[hostile_rnd() % NPORTS];

        scribble(d1, 2200);
        if (hostile_rnd() % 64 == 0)
            harness_starve_atomics(d1, hostile_rnd() % 8);
        switch (hostile_rnd() % 10) {
        case 0:
            (void)set_priority(d1, p, hostile_rnd() % 17);
            break;
        case 1:
            (void)bind_vcpu(d1, hostile_rnd() % 2 ? l : u, hostile_rnd() % 3);
            break;
        case 2:
            guest_unmask(d1->vcpu[hostile_rnd() % 2], p);
            break;
        case 3:
            guest_mask(d1, p);
            break;
        case 4:
            guest_consume(d1->vcpu[hostile_rnd() % 2], ignore, NULL);
            break;
        case 5:
            (void)send(d1, hostile_rnd() % 2 ? u : l);
            break;
        case 6: {
            /* Close and rebind: the port may be busy (LINKED): another one is fine. */
            unsigned int i = hostile_rnd() % NPORTS;

            (void)close_port(d1, ports[i]);
            assert_int_equal(bind_ipi(d1, i % 2, &ports[i]), 0);
            break;
        }
        case 7: {
            struct evtchn_unmask um = {.port = hostile_rnd() % 1100};

            (void)op(d1->vcpu[0], EVTCHNOP_unmask, &um, sizeof(um));
            break;
        }
        default:
            (void)send(d1, p);
            break;
        }
        /* d1 -> d2 keeps working every time. */
        if (round % 16 == 0) {
            assert_int_equal(send(d1, d1_peer), 0);
            sent++;
            guest_consume(d2->vcpu[0], count_port, &got);
            assert_int_equal(got, sent);
        }
    }

    /* Now with a thread rewriting d1's words concurrently while the hypervisor links. */
    sc.d = d1;
    sc.nports = 2200;
    sc.stop = false;
    sc.seed = 0x1234567887654321ull;
    assert_int_equal(pthread_create(&thr, NULL, scribble_thread, &sc), 0);
    for (unsigned int round = 0; round < ROUNDS; round++) {
        (void)send(d1, ports[round % NPORTS]);
        if (round % 7 == 0)
            guest_unmask(d1->vcpu[round % 2], ports[(round / 7) % NPORTS]);
        if (round % 5 == 0)
            guest_consume(d1->vcpu[round % 2], ignore, NULL);
        if (round % 16 == 0) {
            assert_int_equal(send(d1, d1_peer), 0);
            sent++;
            guest_consume(d2->vcpu[0], count_port, &got);
            assert_int_equal(got, sent);
        }
    }
    __atomic_store_n(&sc.stop, true, __ATOMIC_RELEASE);
    pthread_join(thr, NULL);

    /* The hostile domain can still reset itself and start over on 2-level. */
    assert_int_equal(reset_self(d1), 0);
    guest_model_forget(d1);
    assert_int_equal(guest_abi(d1), GUEST_ABI_2L);
    evtchn_port_t p = ipi(d1, 0);
    assert_int_equal(send(d1, p), 0);
    expect_one(d1, 0, p);

    /* d2 was not affected at any point; its port was closed by d1's reset (unbound now). */
    assert_int_equal(send(d2, d2_port), 0);
}

/*
 * A guest that keeps rewriting the tail word while the hypervisor links behind it (here:
 * toggling a reserved bit of every LINKED word with LINK = 0, as fast as it can). The
 * BUSY protocol bounds the hypervisor's attempts; when they all fail the event must not
 * leave a LINKED word that no queue reaches. Afterwards every port still works.
 */
struct tail_hammer {
    struct domain *d;
    evtchn_port_t first, last;
    bool stop; /* atomic: set by the test, read by the thread */
    unsigned long flips, busy_seen;
};

static void *tail_hammer_thread(void *arg)
{
    struct tail_hammer *t = arg;

    while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
        for (evtchn_port_t p = t->first; p <= t->last; p++) {
            event_word_t *w = guest_fifo_word(t->d, p);
            uint32_t v = __atomic_load_n(w, __ATOMIC_RELAXED);

            /* A tail: hammer it for a while, the hypervisor is about to link behind it. */
            for (unsigned int k = 0; k < 256 && (v & WORD_L) && !(v & EVTCHN_FIFO_LINK_MASK); k++) {
                v = __atomic_xor_fetch(w, 1u << 27, __ATOMIC_RELAXED);
                t->flips++;
                t->busy_seen += (v >> EVTCHN_FIFO_BUSY) & 1;
            }
        }
    }
    return NULL;
}

static void test_link_race_keeps_queues_whole(void **state)
{
    enum { N = 32, ROUNDS = 3000 };
    evtchn_port_t ports[N];
    struct tail_hammer t = {.d = d1, .stop = false};
    unsigned long delivered = 0;
    pthread_t thr;

    (void)state;
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    for (unsigned int i = 0; i < N; i++)
        ports[i] = ipi(d1, 0);
    t.first = ports[0];
    t.last = ports[N - 1];
    assert_int_equal(pthread_create(&thr, NULL, tail_hammer_thread, &t), 0);
    for (unsigned int r = 0; r < ROUNDS; r++) {
        unsigned int n = 0;

        for (unsigned int i = 0; i < N; i++)
            assert_int_equal(send(d1, ports[i]), 0);
        guest_consume(d1->vcpu[0], count_port, &n);
        delivered += n;
    }
    __atomic_store_n(&t.stop, true, __ATOMIC_RELEASE);
    pthread_join(thr, NULL);
    print_message(
        "# link race: %lu tail flips (%lu saw BUSY), %lu of %u events delivered at once\n", t.flips,
        t.busy_seen, delivered, ROUNDS * N);

    /* Nothing is left BUSY, and no port is stuck LINKED outside every queue. */
    for (unsigned int i = 0; i < N; i++) {
        event_word_t w = *guest_fifo_word(d1, ports[i]);

        assert_int_equal(w & (1u << EVTCHN_FIFO_BUSY), 0);
    }
    guest_consume(d1->vcpu[0], ignore, NULL);
    for (unsigned int i = 0; i < N; i++)
        assert_int_equal(*guest_fifo_word(d1, ports[i]) & WORD_L, 0);

    /* Every port delivers again, each exactly once, in order. */
    for (unsigned int i = 0; i < N; i++)
        assert_int_equal(send(d1, ports[i]), 0);
    expect(d1, 0, ports, N);
}

/* ---- Reset ---------------------------------------------------------------------------- */

static void test_reset_returns_to_2l(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    size_t heap = xalloc_bytes_in_use();
    assert_int_equal(guest_setup_fifo(d1, 2), 0);
    assert_true(xalloc_bytes_in_use() > heap);
    a = ipi(d1, 0);
    assert_int_equal(send(d1, a), 0); /* left queued on purpose */
    assert_int_equal(set_priority(d1, a, 3), 0);

    assert_int_equal(reset_self(d1), 0);
    guest_model_forget(d1);
    assert_int_equal(guest_abi(d1), GUEST_ABI_2L);
    assert_null(d1->evtchn_abi[EVTCHN_ABI_FIFO]);
    for (unsigned int i = 0; i < d1->max_vcpus; i++)
        assert_null(d1->vcpu[i]->evtchn_abi[EVTCHN_ABI_FIFO]);
    assert_int_equal(xalloc_bytes_in_use(), heap); /* every piece of FIFO state freed */

    /* FIFO-only operations are refused now. */
    assert_int_equal(expand_array(d1, harness_alloc_gfn(d1)), -EOPNOTSUPP);

    /* Events work on 2-level (the old queued port is gone with the event array). */
    a = ipi(d1, 0);
    b = ipi(d1, 1);
    assert_int_equal(set_priority(d1, a, 3), -ENOSYS);
    assert_int_equal(send(d1, a), 0);
    assert_int_equal(send(d1, b), 0);
    expect_one(d1, 0, a);
    expect_one(d1, 1, b);

    /* ... and the guest may switch to FIFO again, carrying its ports over. */
    assert_int_equal(send(d1, b), 0);
    assert_int_equal(guest_setup_fifo(d1, 1), 0);
    guest_unmask(d1->vcpu[0], a);
    guest_unmask(d1->vcpu[1], b);
    expect_one(d1, 1, b);
    assert_int_equal(send(d1, a), 0);
    expect_one(d1, 0, a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_switch_keeps_bound_ports, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_init_control_errors, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_control_block_not_ram, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_not_from_3level, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_expand_array_errors, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_priority_order, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_same_priority_fifo_order, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_events_while_consuming, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_set_priority_while_queued, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_bind_vcpu_while_queued, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_linked_port_not_reused, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_latched_until_expand, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_dump_describes_queues, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_vcpu_without_control_block, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_max_ports, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_guest, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_link_race_keeps_queues_whole, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_reset_returns_to_2l, setup, harness_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
