/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 2-level and 3-level ABIs, through hypercalls and the guest model: limits and bit
 * placement on every guest layout, 3-level registration and each of its errors, switching
 * ABIs with events pending, delivery at high ports, late L2 registration, masking, reset,
 * and delivery to vCPUs other than 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/guest_atomic.h>
#include "test_util.h"

static const struct guest_layout *const layouts[] = {
    &guest_layout_arm,
    &guest_layout_x86_64,
    &guest_layout_x86_32,
};

static int teardown(void **state)
{
    (void)state;
    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup(id);

        if (d != NULL)
            guest_model_forget(d);
    }
    harness_reset();
    return 0;
}

/* ---- Guest actions, one hypercall each ------------------------------------------------- */

static evtchn_port_t ipi(struct domain *d, uint32_t target)
{
    evtchn_port_t port = 0;

    assert_int_equal(bind_ipi(d, target, &port), 0);
    return port;
}

static long reg3l(struct domain *d, uint32_t vcpu, struct evtchn_register_3level *reg)
{
    return op(d->vcpu[vcpu], EVTCHNOP_register_3level, reg, sizeof(*reg));
}

/* Bind IPIs to vCPU 0 until the ABI says no; returns the highest port bound. */
static evtchn_port_t bind_all(struct domain *d)
{
    evtchn_port_t port = 0, last = 0;
    long rc;

    while ((rc = bind_ipi(d, 0, &port)) == 0) {
        assert_int_equal(port, last + 1);
        last = port;
    }
    assert_int_equal(rc, -ENOSPC);
    return last;
}

/* ---- What the guest sees -------------------------------------------------------------- */

struct seen {
    unsigned int n;
    evtchn_port_t port[64];
    uint32_t vcpu[64];
};

static void record(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    struct seen *s = ctx;

    if (s->n < ARRAY_SIZE(s->port)) {
        s->port[s->n] = port;
        s->vcpu[s->n] = v->vcpu_id;
    }
    s->n++;
}

static struct seen consume(struct vcpu *v)
{
    struct seen s = {0};
    unsigned int n = guest_consume(v, record, &s);

    assert_int_equal(n, s.n);
    return s;
}

/* Deliver `port` and check that vCPU v (and only its upcall) sees exactly it. */
static void expect_delivery(struct domain *d, struct vcpu *v, evtchn_port_t port)
{
    unsigned long before = harness_upcalls(v);
    struct seen s;

    assert_int_equal(send(d, port), 0);
    assert_true(guest_is_pending(d, port));
    assert_int_equal(harness_upcalls(v), before + 1);
    s = consume(v);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], port);
    assert_false(guest_is_pending(d, port));
}

static uint8_t upcall_pending_byte(struct vcpu *v)
{
    return *(volatile uint8_t *)v->vcpu_info;
}

/* A selector word of the guest's xen_ulong_t width. */
static uint64_t read_xen_ulong(const void *p, unsigned int word_bits)
{
    return word_bits == 32 ? *(const volatile uint32_t *)p : *(const volatile uint64_t *)p;
}

static uint64_t pending_sel(struct vcpu *v)
{
    const struct guest_layout *l = v->domain->guest_layout;

    return read_xen_ulong((uint8_t *)v->vcpu_info + l->pending_sel_off, l->word_bits);
}

static uint64_t shinfo_word(struct domain *d, bool mask, unsigned int w)
{
    const struct guest_layout *l = d->guest_layout;
    const uint8_t *base =
        (uint8_t *)d->shared_info + (mask ? l->shinfo_mask_off : l->shinfo_pending_off);

    return read_xen_ulong(base + w * (l->word_bits / 8), l->word_bits);
}

/* ---- 2-level ---------------------------------------------------------------------------- */

/*
 * Every layout: port count word_bits^2, and port p lands in bit p%wb of shared_info's
 * evtchn_pending word p/wb, with selector bit p/wb and the upcall flag set.
 */
static void test_2l_layouts(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
        const struct guest_layout *l = layouts[i];
        unsigned int wb = l->word_bits;
        struct domain *d = harness_domain(1, 1, true, l);
        struct vcpu *v;
        evtchn_port_t last, probe[3];

        assert_non_null(d);
        v = d->vcpu[0];
        assert_int_equal(guest_abi(d), GUEST_ABI_2L);
        last = bind_all(d);
        assert_int_equal(last, wb * wb - 1); /* 4095, or 1023 for x86_32 */

        probe[0] = 1;
        probe[1] = 3 * wb + 5;
        probe[2] = last;
        for (unsigned int k = 0; k < ARRAY_SIZE(probe); k++) {
            evtchn_port_t p = probe[k];
            unsigned long up = harness_upcalls(v);
            struct seen s;

            assert_int_equal(pending_sel(v), 0);
            assert_int_equal(send(d, p), 0);
            assert_int_equal(shinfo_word(d, false, p / wb), 1ull << (p % wb));
            assert_int_equal(pending_sel(v), 1ull << (p / wb));
            assert_int_equal(upcall_pending_byte(v) & 1, 1);
            assert_int_equal(harness_upcalls(v), up + 1);

            /* A second send while pending is no new edge. */
            assert_int_equal(send(d, p), 0);
            assert_int_equal(harness_upcalls(v), up + 1);

            /*
             * Not even once the guest, mid-scan, has taken the selector and the upcall
             * flag: it is about to read the pending word and will find the event.
             */
            void *sel = (uint8_t *)v->vcpu_info + l->pending_sel_off;
            uint64_t taken = wb == 32 ? __atomic_exchange_n((uint32_t *)sel, 0, __ATOMIC_SEQ_CST)
                                      : __atomic_exchange_n((uint64_t *)sel, 0, __ATOMIC_SEQ_CST);
            *(volatile uint8_t *)v->vcpu_info = 0;
            assert_int_equal(send(d, p), 0);
            assert_int_equal(harness_upcalls(v), up + 1);
            assert_int_equal(pending_sel(v), 0);
            /* (The model cannot resume a scan: hand the selector back.) */
            if (wb == 32)
                __atomic_fetch_or((uint32_t *)sel, (uint32_t)taken, __ATOMIC_SEQ_CST);
            else
                __atomic_fetch_or((uint64_t *)sel, taken, __ATOMIC_SEQ_CST);

            s = consume(v);
            assert_int_equal(s.n, 1);
            assert_int_equal(s.port[0], p);
            assert_int_equal(upcall_pending_byte(v), 0);
            assert_int_equal(pending_sel(v), 0);
            assert_int_equal(shinfo_word(d, false, p / wb), 0);
        }
        teardown(NULL);
    }
}

/* Several ports in one scan come out in port order, each once. */
static void test_2l_many_ports_one_upcall(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_x86_32);
    evtchn_port_t ports[8];
    struct seen s;

    (void)state;
    assert_non_null(d);
    for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++)
        ports[i] = ipi(d, 0);
    for (unsigned int i = ARRAY_SIZE(ports); i-- > 0;)
        assert_int_equal(send(d, ports[i]), 0);
    assert_int_equal(harness_upcalls(d->vcpu[0]), 1);
    s = consume(d->vcpu[0]);
    assert_int_equal(s.n, ARRAY_SIZE(ports));
    for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++)
        assert_int_equal(s.port[i], ports[i]);
    assert_int_equal(consume(d->vcpu[0]).n, 0);
}

static void test_set_priority_enosys(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
    struct evtchn_set_priority sp = {.priority = 3};

    (void)state;
    assert_non_null(d);
    sp.port = ipi(d, 0);
    assert_int_equal(harness_evtchn_op(d->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)),
                     -ENOSYS);
    assert_int_equal(guest_setup_3l(d), 0);
    assert_int_equal(harness_evtchn_op(d->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp)),
                     -ENOSYS);
}

/*
 * Fairness, as Linux scans: the next upcall starts after the last port handled, wraps,
 * and finishes with the lower part of the word it started in.
 */
static void test_round_robin(void **state)
{
    (void)state;
    for (int levels = 2; levels <= 3; levels++) {
        struct domain *d = harness_domain(1, 1, true, &guest_layout_x86_64);
        const evtchn_port_t order[] = {135, 1, 70, 130};
        struct seen s;
        evtchn_port_t p = 0;

        assert_non_null(d);
        if (levels == 3)
            assert_int_equal(guest_setup_3l(d), 0);
        while (p < 135)
            p = ipi(d, 0);
        assert_int_equal(send(d, 1), 0);
        assert_int_equal(send(d, 70), 0);
        assert_int_equal(send(d, 130), 0);
        s = consume(d->vcpu[0]); /* 1, 70, 130: the next scan starts at 131 */
        assert_int_equal(s.n, 3);
        assert_int_equal(s.port[2], 130);

        for (unsigned int i = 0; i < ARRAY_SIZE(order); i++)
            assert_int_equal(send(d, order[ARRAY_SIZE(order) - 1 - i]), 0);
        s = consume(d->vcpu[0]);
        assert_int_equal(s.n, ARRAY_SIZE(order));
        for (unsigned int i = 0; i < ARRAY_SIZE(order); i++)
            assert_int_equal(s.port[i], order[i]);
        teardown(NULL);
    }
}

/* check(d) on a fresh domain of nr_vcpus per layout: 2-level, or switched to 3-level first. */
static void on_every_layout(uint32_t nr_vcpus, bool three_level, void (*check)(struct domain *))
{
    for (unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
        struct domain *d = harness_domain(1, nr_vcpus, false, layouts[i]);

        assert_non_null(d);
        if (three_level)
            assert_int_equal(guest_setup_3l(d), 0);
        check(d);
        teardown(NULL);
    }
}

/* ---- Masking (both ABIs) --------------------------------------------------------------- */

static void check_mask_unmask(struct domain *d)
{
    struct vcpu *v = d->vcpu[0];
    evtchn_port_t p = ipi(d, 0);
    unsigned long up;

    expect_delivery(d, v, p);

    /* Masked: pending is recorded, nobody is signalled. */
    guest_mask(d, p);
    up = harness_upcalls(v);
    assert_int_equal(send(d, p), 0);
    assert_true(guest_is_pending(d, p));
    assert_int_equal(harness_upcalls(v), up);
    assert_int_equal(consume(v).n, 0);
    assert_true(guest_is_pending(d, p));

    /* Unmask while pending goes through EVTCHNOP_unmask, which delivers it again. */
    guest_unmask(v, p);
    assert_int_equal(harness_upcalls(v), up + 1);
    struct seen s = consume(v);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], p);

    /* Unmask when nothing is pending is local; the next send is delivered normally. */
    guest_mask(d, p);
    guest_unmask(v, p);
    expect_delivery(d, v, p);

    /*
     * 2-level only (the test can reach shared_info, not the model's L3 pages): a mask
     * the guest cleared by hand gets no re-delivery from EVTCHNOP_unmask. The edge is
     * lost, as Xen documents; the event stays pending for the guest to find.
     */
    if (guest_abi(d) == GUEST_ABI_2L) {
        const struct guest_layout *l = d->guest_layout;
        uint8_t *mask = (uint8_t *)d->shared_info + l->shinfo_mask_off;
        struct evtchn_unmask um = {.port = p};

        guest_mask(d, p);
        assert_int_equal(send(d, p), 0);
        up = harness_upcalls(v);
        __atomic_fetch_and(&mask[p / 8], (uint8_t) ~(1u << (p % 8)), __ATOMIC_SEQ_CST);
        assert_int_equal(harness_evtchn_op(v, EVTCHNOP_unmask, &um, sizeof(um)), 0);
        assert_int_equal(harness_upcalls(v), up);
        assert_int_equal(consume(v).n, 0);
        assert_true(guest_is_pending(d, p));
    }
}

static void test_2l_mask_unmask(void **state)
{
    (void)state;
    on_every_layout(1, false, check_mask_unmask);
}

static void test_3l_mask_unmask(void **state)
{
    (void)state;
    on_every_layout(1, true, check_mask_unmask);
}

/* ---- 3-level registration ---------------------------------------------------------------- */

static struct evtchn_register_3level bitmaps_op(struct domain *d, uint32_t nr_pages)
{
    struct evtchn_register_3level op = {.cmd = EVTCHN_3L_CMD_REGISTER_BITMAPS,
                                        .nr_pages = nr_pages};

    for (uint32_t i = 0; i < nr_pages && i < EVTCHN_3L_MAX_PAGES; i++) {
        op.pending_gfn[i] = harness_alloc_gfn(d);
        op.mask_gfn[i] = harness_alloc_gfn(d);
    }
    return op;
}

static struct evtchn_register_3level l2_op(uint32_t vcpu, gfn_t gfn, uint32_t offset)
{
    return (struct evtchn_register_3level){
        .cmd = EVTCHN_3L_CMD_REGISTER_L2, .vcpu = vcpu, .l2_gfn = gfn, .offset = offset};
}

static void test_3l_register_errors(void **state)
{
    struct domain *d = harness_domain(1, 2, false, &guest_layout_x86_64);
    struct evtchn_register_3level op;
    gfn_t l2 = 0;
    evtchn_port_t p;

    (void)state;
    assert_non_null(d);
    l2 = harness_alloc_gfn(d);

    /* Unknown command. */
    op = bitmaps_op(d, 1);
    op.cmd = 2;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op.cmd = 0xffffffffu;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* nr_pages out of 1..8. */
    op = bitmaps_op(d, 0);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = bitmaps_op(d, 8);
    op.nr_pages = 9;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op.nr_pages = 0x80000001u;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* A gfn that is not the domain's RAM, in either bitmap, first or last page. */
    op = bitmaps_op(d, 8);
    op.mask_gfn[7] = 0;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = bitmaps_op(d, 3);
    op.pending_gfn[0] = HARNESS_GUEST_PAGES + 5;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = bitmaps_op(d, 2);
    op.pending_gfn[1] = ~0ull;
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* L2 before the bitmaps. */
    op = l2_op(0, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* None of that changed anything: still 2-level, still delivering. */
    assert_int_equal(guest_abi(d), GUEST_ABI_2L);
    p = ipi(d, 0);
    expect_delivery(d, d->vcpu[0], p);

    /* Register the bitmaps: now 3-level. Twice is refused. */
    op = bitmaps_op(d, 8);
    assert_int_equal(reg3l(d, 0, &op), 0);
    assert_int_equal(guest_abi(d), GUEST_ABI_3L);
    op = bitmaps_op(d, 8);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* L2: bad vCPU, bad gfn, bad offsets. */
    op = l2_op(2, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), -ENOENT);
    op = l2_op(MAX_VCPUS, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), -ENOENT);
    op = l2_op(0xffffffffu, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), -ENOENT);
    op = l2_op(0, 0, 0);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, HARNESS_GUEST_PAGES, 0);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, 4); /* not 8-aligned for a 64-bit xen_ulong_t */
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, PAGE_SIZE - 256); /* 512 bytes would cross the page */
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, PAGE_SIZE);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, 0xfffffe00u);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);

    /* The last slot that fits works; a second L2 for that vCPU is refused. */
    op = l2_op(0, l2, PAGE_SIZE - 512);
    assert_int_equal(reg3l(d, 0, &op), 0);
    op = l2_op(0, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), -EEXIST);
    /* Another vCPU may register (from any vCPU) in the same page. */
    op = l2_op(1, l2, 0);
    assert_int_equal(reg3l(d, 0, &op), 0);
    op = l2_op(1, l2, 512);
    assert_int_equal(reg3l(d, 1, &op), -EEXIST);
}

/* No memory for the 3-level state: -ENOMEM, and the domain stays on 2-level intact. */
static void test_3l_register_enomem(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
    struct evtchn_register_3level op;
    evtchn_port_t p;

    (void)state;
    assert_non_null(d);
    p = ipi(d, 0);
    op = bitmaps_op(d, 8);
    harness_fail_next_allocs(1);
    assert_int_equal(reg3l(d, 0, &op), -ENOMEM);
    harness_fail_next_allocs(0);
    assert_int_equal(guest_abi(d), GUEST_ABI_2L);
    expect_delivery(d, d->vcpu[0], p);
    assert_int_equal(guest_setup_3l(d), 0);
    expect_delivery(d, d->vcpu[0], p);
}

/* x86_32: L2 is 32 words of 4 bytes, so 4-byte alignment and 128 bytes to the page end. */
static void test_3l_register_x86_32_l2_geometry(void **state)
{
    struct domain *d = harness_domain(1, 3, false, &guest_layout_x86_32);
    struct evtchn_register_3level op;
    gfn_t l2;

    (void)state;
    assert_non_null(d);
    l2 = harness_alloc_gfn(d);
    op = bitmaps_op(d, 2);
    assert_int_equal(reg3l(d, 0, &op), 0);
    op = l2_op(0, l2, 2);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, PAGE_SIZE - 124);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    op = l2_op(0, l2, PAGE_SIZE - 128);
    assert_int_equal(reg3l(d, 0, &op), 0);
    op = l2_op(1, l2, 4);
    assert_int_equal(reg3l(d, 0, &op), 0);
}

/* A FIFO domain cannot switch to 3-level (only reset leaves FIFO). */
static void test_3l_refused_under_fifo(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
    struct evtchn_register_3level op;

    (void)state;
    assert_non_null(d);
    assert_int_equal(guest_setup_fifo(d, 1), 0);
    op = bitmaps_op(d, 8);
    assert_int_equal(reg3l(d, 0, &op), -EINVAL);
    assert_int_equal(guest_abi(d), GUEST_ABI_FIFO);
}

/* A 3-level domain cannot switch to FIFO either; it keeps delivering. */
static void test_fifo_refused_under_3l(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_x86_64);
    evtchn_port_t p;

    (void)state;
    assert_non_null(d);
    assert_int_equal(guest_setup_3l(d), 0);
    p = ipi(d, 0);
    assert_int_not_equal(guest_setup_fifo(d, 1), 0);
    guest_fifo_forget(d);
    assert_int_equal(guest_abi(d), GUEST_ABI_3L);
    expect_delivery(d, d->vcpu[0], p);
}

/* ---- Switching ------------------------------------------------------------------------- */

/* Events pending under 2-level are delivered by 3-level once each vCPU has its L2. */
static void test_switch_2l_to_3l_carries_pending(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
        struct domain *d = harness_domain(1, 2, false, layouts[i]);
        unsigned int wb = layouts[i]->word_bits;
        evtchn_port_t a, b, c;
        struct seen s;

        assert_non_null(d);
        a = ipi(d, 0);
        b = ipi(d, 1);
        c = ipi(d, 0); /* not sent: must not appear */
        assert_int_equal(send(d, a), 0);
        assert_int_equal(send(d, b), 0);
        assert_true(guest_is_pending(d, a));

        assert_int_equal(guest_setup_3l(d), 0);
        assert_int_equal(guest_abi(d), GUEST_ABI_3L);
        /* The 2-level words are cleaned: shared_info no longer holds the events. */
        assert_int_equal(shinfo_word(d, false, a / wb), 0);
        assert_true(guest_is_pending(d, a));
        assert_true(guest_is_pending(d, b));
        assert_false(guest_is_pending(d, c));

        s = consume(d->vcpu[0]);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], a);
        s = consume(d->vcpu[1]);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], b);
        expect_delivery(d, d->vcpu[0], c);
        teardown(NULL);
    }
}

/* Reset returns a 3-level domain to 2-level; 3-level can be registered again after. */
static void test_reset_3l_to_2l(void **state)
{
    struct domain *d = harness_domain(1, 2, false, &guest_layout_arm);
    struct evtchn_reset r = {.dom = DOMID_SELF};
    evtchn_port_t p;
    size_t mem;

    (void)state;
    assert_non_null(d);
    mem = xalloc_bytes_in_use();
    assert_int_equal(guest_setup_3l(d), 0);
    p = ipi(d, 1);
    assert_int_equal(send(d, p), 0);

    assert_int_equal(harness_evtchn_op(d->vcpu[0], EVTCHNOP_reset, &r, sizeof(r)), 0);
    guest_model_forget(d);
    assert_int_equal(guest_abi(d), GUEST_ABI_2L);
    /* The 3-level state is gone (the port table may have kept its buckets). */
    assert_true(xalloc_bytes_in_use() <= mem + evtchn_port_table_bytes(d));

    /* 2-level works, in shared_info, up to its own limit again. */
    consume(d->vcpu[1]); /* drop whatever the old upcall left */
    p = ipi(d, 1);
    assert_int_equal(p, 1);
    expect_delivery(d, d->vcpu[1], p);
    assert_int_equal(shinfo_word(d, false, 0), 0);

    /* And 3-level can be set up again. */
    assert_int_equal(guest_setup_3l(d), 0);
    expect_delivery(d, d->vcpu[1], p);
}

/* ---- 3-level delivery ---------------------------------------------------------------- */

/*
 * 262,143 ports on a privileged 64-bit domain; port 200,000 sets L3 bit 200000, L2 bit
 * 200000/64 = 3125 (word 48, bit 53) and L1 bit 48.
 */
static void test_3l_high_ports(void **state)
{
    struct domain *d = harness_domain(0, 1, true, &guest_layout_arm);
    struct vcpu *v;
    evtchn_port_t probe[] = {1, 63, 64, 4095, 4096, 200000, 262143};

    (void)state;
    assert_non_null(d);
    v = d->vcpu[0];
    /* 2^18 ports take 5.2 MiB of port storage: more than the default budget allows. */
    d->heap_budget = DOMAIN_HEAP_BUDGET_MAX;
    assert_int_equal(guest_setup_3l(d), 0);
    assert_int_equal(bind_all(d), EVTCHN_3L_NR_CHANNELS(64) - 1);

    for (unsigned int k = 0; k < ARRAY_SIZE(probe); k++) {
        evtchn_port_t p = probe[k];
        unsigned long up = harness_upcalls(v);
        struct seen s;

        assert_int_equal(send(d, p), 0);
        assert_true(guest_is_pending(d, p));
        assert_int_equal(pending_sel(v), 1ull << (p / 64 / 64));
        assert_int_equal(harness_upcalls(v), up + 1);
        s = consume(v);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], p);
        assert_int_equal(pending_sel(v), 0);
    }
}

/* x86_32: 32-bit selectors, 64-bit L3 words: 65,536 ports, 2 pages per bitmap. */
static void test_3l_x86_32(void **state)
{
    struct domain *d = harness_domain(0, 1, true, &guest_layout_x86_32);
    struct vcpu *v;
    evtchn_port_t probe[] = {1, 2047, 2048, 32767, 32768, 65535};

    (void)state;
    assert_non_null(d);
    v = d->vcpu[0];
    d->heap_budget = DOMAIN_HEAP_BUDGET_MAX; /* 65,535 ports: 1.3 MiB of storage */
    assert_int_equal(guest_setup_3l(d), 0);
    assert_int_equal(bind_all(d), EVTCHN_3L_NR_CHANNELS(32) - 1);
    for (unsigned int k = 0; k < ARRAY_SIZE(probe); k++) {
        evtchn_port_t p = probe[k];

        assert_int_equal(send(d, p), 0);
        assert_int_equal(pending_sel(v), 1ull << (p / 64 / 32));
        assert_true(upcall_pending_byte(v) & 1);
        struct seen s = consume(v);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], p);
    }
}

/* Fewer pages than the capacity: the limit follows nr_pages * 32768. */
static void test_3l_nr_pages_limits_ports(void **state)
{
    struct domain *d = harness_domain(0, 1, true, &guest_layout_x86_64);
    struct evtchn_register_3level op;

    (void)state;
    assert_non_null(d);
    op = bitmaps_op(d, 1);
    assert_int_equal(reg3l(d, 0, &op), 0);
    assert_int_equal(bind_all(d), 32767);
}

/* An L2 registered after events arrived raises exactly its own vCPU's unmasked events. */
static void test_3l_late_l2_reraises(void **state)
{
    struct domain *d = harness_domain(1, 3, false, &guest_layout_arm);
    evtchn_port_t a0, b1, c1, m1;
    struct seen s;

    (void)state;
    assert_non_null(d);
    assert_int_equal(guest_3l_register_l2(d->vcpu[1]), -EINVAL); /* bitmaps first */
    assert_int_equal(guest_3l_register_bitmaps(d), 0);
    b1 = ipi(d, 1);
    c1 = ipi(d, 1);
    m1 = ipi(d, 1);
    while ((a0 = ipi(d, 2)) < 64) /* fillers for vCPU 2, never sent */
        ;
    assert_int_equal(close_port(d, a0), 0);
    a0 = ipi(d, 0); /* port 64: L3 word 1, so L2 bit 1 */
    assert_int_equal(a0, 64);
    guest_mask(d, m1);
    assert_int_equal(send(d, b1), 0);
    assert_int_equal(send(d, c1), 0);
    assert_int_equal(send(d, m1), 0);
    assert_int_equal(send(d, a0), 0);

    /* Nobody has an L2: everything waits in L3, no upcall, no selector bit. */
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(harness_upcalls(d->vcpu[i]), 0);
        assert_int_equal(pending_sel(d->vcpu[i]), 0);
    }
    assert_true(guest_is_pending(d, b1));

    /* vCPU 1 registers: its two unmasked events, and nothing for vCPU 0. */
    assert_int_equal(guest_3l_register_l2(d->vcpu[1]), 0);
    assert_int_equal(harness_upcalls(d->vcpu[1]), 1);
    assert_int_equal(harness_upcalls(d->vcpu[0]), 0);
    /* Only L3 word 0 (b1, c1) is selected in vCPU 1's L2; vCPU 0's port 64 is not. */
    assert_int_equal(*(volatile uint64_t *)d->vcpu[1]->evtchn_abi[EVTCHN_ABI_3L], 1);
    s = consume(d->vcpu[1]);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.port[0], b1);
    assert_int_equal(s.port[1], c1);
    assert_true(guest_is_pending(d, m1));

    /* vCPU 0 registers (from vCPU 0 itself): its event. */
    assert_int_equal(guest_3l_register_l2(d->vcpu[0]), 0);
    assert_int_equal(harness_upcalls(d->vcpu[0]), 1);
    s = consume(d->vcpu[0]);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], a0);

    /* The masked one comes when unmasked. */
    guest_unmask(d->vcpu[1], m1);
    s = consume(d->vcpu[1]);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], m1);

    /* vCPU 2 registers with nothing pending for it: no upcall. */
    assert_int_equal(guest_3l_register_l2(d->vcpu[2]), 0);
    assert_int_equal(harness_upcalls(d->vcpu[2]), 0);
}

/* ---- Other vCPUs ------------------------------------------------------------------------- */

static void check_other_vcpus(struct domain *d)
{
    evtchn_port_t p0 = ipi(d, 0), p1 = ipi(d, 1), p3 = ipi(d, 3);
    evtchn_port_t unbound, bound;
    struct seen s;

    expect_delivery(d, d->vcpu[3], p3);
    assert_int_equal(harness_upcalls(d->vcpu[0]), 0);

    /* Ports of one word bound to different vCPUs: each vCPU handles only its own. */
    assert_int_equal(send(d, p0), 0);
    assert_int_equal(send(d, p1), 0);
    assert_int_equal(harness_upcalls(d->vcpu[0]), 1);
    assert_int_equal(harness_upcalls(d->vcpu[1]), 1);
    s = consume(d->vcpu[1]);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], p1);
    s = consume(d->vcpu[0]);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], p0);

    /* A loopback interdomain pair, moved to vCPU 2 with bind_vcpu. */
    assert_int_equal(alloc_unbound(d, DOMID_SELF, DOMID_SELF, &unbound), 0);
    assert_int_equal(bind_interdomain(d, DOMID_SELF, unbound, &bound), 0);
    consume(d->vcpu[0]); /* a fresh interdomain port may start pending */
    assert_int_equal(bind_vcpu(d, unbound, 2), 0);
    /* Sending on one end notifies the other: bound -> unbound on vCPU 2. */
    {
        unsigned long up2 = harness_upcalls(d->vcpu[2]);

        assert_int_equal(send(d, bound), 0);
        assert_int_equal(harness_upcalls(d->vcpu[2]), up2 + 1);
        s = consume(d->vcpu[2]);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], unbound);
        assert_int_equal(s.vcpu[0], 2);
    }
}

static void test_2l_other_vcpus(void **state)
{
    (void)state;
    on_every_layout(4, false, check_other_vcpus);
}

static void test_3l_other_vcpus(void **state)
{
    (void)state;
    on_every_layout(4, true, check_other_vcpus);
}

/* ---- Hostile guests ---------------------------------------------------------------------- */

/*
 * XSA-295, as Xen answers it: a guest that keeps its words busy is paused while the
 * hypervisor finishes the operation, so the event still arrives, and the pause is over
 * when the send returns. One whose word outlasts the paused attempts too loses that event,
 * nothing else: the send returns, the domain is not left paused, the next one is delivered.
 */
static void test_starved_atomics_pause_then_give_up(void **state)
{
    (void)state;
    for (int levels = 2; levels <= 3; levels++) {
        struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
        struct seen s;
        evtchn_port_t p;
        char *out;

        assert_non_null(d);
        if (levels == 3)
            assert_int_equal(guest_setup_3l(d), 0);
        p = ipi(d, 0);
        free(harness_take_console());

        harness_starve_atomics(d, 3);
        assert_int_equal(send(d, p), 0);
        assert_true(d->atomics_paused >= 1);
        assert_int_equal(d->atomics_starved, 0);
        assert_int_equal(d->pause_count, 0);
        s = consume(d->vcpu[0]);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.port[0], p);
        out = harness_take_console();
        assert_non_null(strstr(out, "(d1) guest keeps shared event words busy: paused"));
        free(out);

        /* The first attempt and every paused one give up: the event is lost, only it. */
        harness_starve_atomics(d, 1 + GUEST_ATOMIC_PAUSED_ROUNDS);
        assert_int_equal(send(d, p), 0);
        assert_int_equal(d->atomics_starved, 1);
        assert_int_equal(d->pause_count, 0);
        out = harness_take_console();
        assert_non_null(strstr(out, "even while paused"));
        free(out);
        consume(d->vcpu[0]);
        expect_delivery(d, d->vcpu[0], p);
        teardown(NULL);
    }
}

/* Garbage in every selector: the guest scans for nothing, real events still arrive. */
static void test_3l_garbage_selectors(void **state)
{
    struct domain *d = harness_domain(1, 1, false, &guest_layout_x86_64);
    struct vcpu *v;
    evtchn_port_t p;
    uint8_t *sel;

    (void)state;
    assert_non_null(d);
    v = d->vcpu[0];
    assert_int_equal(guest_setup_3l(d), 0);
    p = ipi(d, 0);
    sel = (uint8_t *)v->vcpu_info + d->guest_layout->pending_sel_off;
    memset(sel, 0xff, 8);
    memset(v->evtchn_abi[EVTCHN_ABI_3L], 0xff, 512);
    /* Selector bits already set: no new upcall, but the event is found on the next scan. */
    assert_int_equal(send(d, p), 0);
    struct seen s = consume(v);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.port[0], p);
    expect_delivery(d, v, p);
}

/* ---- Width latch and dump ------------------------------------------------------------- */

/*
 * XSA-342: an x86 guest's width is latched late. Ports bound while it looked 64-bit and
 * above the 32-bit limit must then never be delivered, nor touch memory past the 32-bit
 * bitmaps, and count as masked; new binds stop at 1023.
 */
static void test_2l_width_latch(void **state)
{
    struct domain *d = harness_domain(0, 1, true, &guest_layout_x86_64);
    struct vcpu *v;
    evtchn_port_t p = 0;
    uint8_t before[PAGE_SIZE];
    unsigned long up;
    char *dump;

    (void)state;
    assert_non_null(d);
    v = d->vcpu[0];
    while (p < 2000)
        p = ipi(d, 0);

    d->guest_layout = &guest_layout_x86_32; /* what the x86 port does when it latches */
    memcpy(before, d->shared_info, PAGE_SIZE);
    up = harness_upcalls(v);
    assert_int_equal(send(d, 2000), 0);
    assert_int_equal(send(d, 1024), 0);
    assert_memory_equal(before, d->shared_info, PAGE_SIZE);
    assert_int_equal(harness_upcalls(v), up);

    free(harness_take_console());
    evtchn_dump_domain(d);
    dump = harness_take_console();
    assert_non_null(strstr(dump, "2-level ABI"));
    assert_non_null(strstr(dump, "  2000 "));
    assert_non_null(strstr(dump, "-M-- prio")); /* beyond the ABI: masked, not pending */
    free(dump);

    /* Ports below the new limit use the 32-bit placement. */
    expect_delivery(d, v, 1023);
    assert_int_equal(pending_sel(v), 0);
    {
        evtchn_port_t q;

        assert_int_equal(bind_ipi(d, 0, &q), -ENOSPC);
    }
}

/* 3-level registered 64-bit, then re-latched 32-bit: L1 writes stay in the 32-bit field. */
static void test_3l_width_relatch(void **state)
{
    struct domain *d = harness_domain(0, 1, true, &guest_layout_x86_64);
    struct vcpu *v;
    evtchn_port_t p = 0;
    uint8_t before[64];

    (void)state;
    assert_non_null(d);
    v = d->vcpu[0];
    d->heap_budget = DOMAIN_HEAP_BUDGET_MAX; /* 140,000 ports: 2.8 MiB of storage */
    assert_int_equal(guest_setup_3l(d), 0);
    while (p < 140000) /* L1 bit 140000 / 4096 = 34: beyond a 32-bit selector */
        p = ipi(d, 0);
    d->guest_layout = &guest_layout_x86_32;
    memcpy(before, v->vcpu_info, sizeof(before));
    assert_int_equal(send(d, p), 0);
    assert_memory_equal(before, v->vcpu_info, sizeof(before));
    assert_true(guest_is_pending(d, p));
    /* Low ports still reach the guest through bits that exist in its selector. */
    d->guest_layout = &guest_layout_x86_64;
    expect_delivery(d, v, 5);
}

/* The debug dump shows each bitmap port's pending and mask bits, per ABI. */
static void test_dump_bitmap_ports(void **state)
{
    (void)state;
    for (int levels = 2; levels <= 3; levels++) {
        struct domain *d = harness_domain(1, 1, false, &guest_layout_arm);
        evtchn_port_t a, b;
        char line[128], *dump;

        assert_non_null(d);
        if (levels == 3)
            assert_int_equal(guest_setup_3l(d), 0);
        a = ipi(d, 0);
        b = ipi(d, 0);
        guest_mask(d, a);
        assert_int_equal(send(d, a), 0);
        assert_int_equal(send(d, b), 0);

        free(harness_take_console());
        evtchn_dump_domain(d);
        dump = harness_take_console();
        assert_non_null(strstr(dump, levels == 2 ? "2-level ABI" : "3-level ABI"));
        snprintf(line, sizeof(line), "  %6u ipi", a);
        assert_non_null(strstr(dump, line));
        assert_non_null(strstr(strstr(dump, line), "PM-- prio  0 q -1"));
        snprintf(line, sizeof(line), "  %6u ipi", b);
        assert_non_null(strstr(strstr(dump, line), "P--- prio  0 q -1"));
        free(dump);
        teardown(NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_2l_layouts, teardown),
        cmocka_unit_test_teardown(test_2l_many_ports_one_upcall, teardown),
        cmocka_unit_test_teardown(test_set_priority_enosys, teardown),
        cmocka_unit_test_teardown(test_round_robin, teardown),
        cmocka_unit_test_teardown(test_2l_mask_unmask, teardown),
        cmocka_unit_test_teardown(test_3l_mask_unmask, teardown),
        cmocka_unit_test_teardown(test_3l_register_errors, teardown),
        cmocka_unit_test_teardown(test_3l_register_enomem, teardown),
        cmocka_unit_test_teardown(test_3l_register_x86_32_l2_geometry, teardown),
        cmocka_unit_test_teardown(test_3l_refused_under_fifo, teardown),
        cmocka_unit_test_teardown(test_fifo_refused_under_3l, teardown),
        cmocka_unit_test_teardown(test_switch_2l_to_3l_carries_pending, teardown),
        cmocka_unit_test_teardown(test_reset_3l_to_2l, teardown),
        cmocka_unit_test_teardown(test_3l_high_ports, teardown),
        cmocka_unit_test_teardown(test_3l_x86_32, teardown),
        cmocka_unit_test_teardown(test_3l_nr_pages_limits_ports, teardown),
        cmocka_unit_test_teardown(test_3l_late_l2_reraises, teardown),
        cmocka_unit_test_teardown(test_2l_other_vcpus, teardown),
        cmocka_unit_test_teardown(test_3l_other_vcpus, teardown),
        cmocka_unit_test_teardown(test_starved_atomics_pause_then_give_up, teardown),
        cmocka_unit_test_teardown(test_3l_garbage_selectors, teardown),
        cmocka_unit_test_teardown(test_2l_width_latch, teardown),
        cmocka_unit_test_teardown(test_3l_width_relatch, teardown),
        cmocka_unit_test_teardown(test_dump_bitmap_ports, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
