/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PV console ring the hypervisor serves (xen/common/pv_console.c): the ring consumer
 * and producer against hostile indices (wrap, full, prod - cons past the ring, a guest
 * rewinding), the params (-ENOENT without a console, the frame and port with one), the
 * port's life (the guest's send prints "(dN) " lines and is answered; close, reuse of the
 * number, EVTCHNOP_reset and a reboot's reset bring the right port back), and serial input
 * switched to the domain landing in in[]; a guest thread scribbling every index while two
 * drainers and the serial input use the ring.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include <xen/console.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/pv_console.h>
#include <xen/sched.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include "test_util.h"

static struct domain *d1, *d2;

static int setup(void **state)
{
    (void)state;
    d1 = harness_domain(1, 2, false, &guest_layout_x86_64);
    d2 = harness_domain(2, 1, false, &guest_layout_x86_64);
    if (d1 == NULL || d2 == NULL || harness_sched_init(1) != 0)
        return -1;
    free(harness_take_console());
    return 0;
}

static long get_param(struct domain *d, uint32_t index, uint64_t *value)
{
    gpaddr_t gpa;
    struct xen_hvm_param *p = harness_guest_buf(d, &gpa);
    long rc;

    p->domid = DOMID_SELF;
    p->index = index;
    p->value = 0;
    rc = harness_hypercall(d->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_get_param, gpa, 0, 0, 0);
    *value = p->value;
    return rc;
}

/* d1 with a console on a fresh page of its RAM: the ring, and the port in *port. */
static struct xencons_interface *console_on(struct domain *d, evtchn_port_t *port)
{
    gfn_t gfn = harness_alloc_gfn(d);
    uint64_t v;

    memset(harness_gfn_to_va(d, gfn), 0xa5, PAGE_SIZE); /* the enable zeroes it */
    harness_pv_console_gfn = gfn;
    assert_int_equal(pv_console_enable(d), 0);
    assert_int_equal(get_param(d, HVM_PARAM_CONSOLE_PFN, &v), 0);
    assert_int_equal(v, gfn);
    assert_int_equal(get_param(d, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    assert_true(v != 0);
    *port = (evtchn_port_t)v;
    free(harness_take_console());
    return harness_gfn_to_va(d, gfn);
}

static void put_out(struct xencons_interface *r, const char *s)
{
    for (; *s != '\0'; s++)
        r->out[MASK_XENCONS_IDX(r->out_prod++, r->out)] = *s;
}

/* ---- The ring ----------------------------------------------------------------------------- */

static void test_ring_read(void **state)
{
    static struct xencons_interface r;
    char buf[4096];

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), 0);
    put_out(&r, "abc");
    assert_int_equal(pv_console_ring_read(&r, buf, 2), 2);
    assert_memory_equal(buf, "ab", 2);
    assert_int_equal(r.out_cons, 2);
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'c');

    /* Wrap of the array and of the 32-bit indices at once. */
    r.out_cons = r.out_prod = 0xfffffffeu;
    put_out(&r, "wxyz");
    assert_int_equal(r.out_prod, 2);
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "wxyz", 4);
    assert_int_equal(r.out_cons, 2);

    /* A full ring is all there, never more: max beyond the ring is cut to it. */
    r.out_cons = 100;
    r.out_prod = 100 + sizeof(r.out);
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), (int)sizeof(r.out));
    assert_int_equal(r.out_cons, r.out_prod);

    /* More than the ring holds, or the guest rewinding prod: nothing read, cons resynced. */
    r.out_cons = 0;
    r.out_prod = sizeof(r.out) + 1;
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), -1);
    assert_int_equal(r.out_cons, r.out_prod);
    r.out_cons = 50;
    r.out_prod = 10;
    assert_int_equal(pv_console_ring_read(&r, buf, sizeof(buf)), -1);
    assert_int_equal(r.out_cons, 10);
}

static void test_ring_write(void **state)
{
    static struct xencons_interface r;
    unsigned int i;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.in_cons = r.in_prod = 0xffffffffu;
    assert_true(pv_console_ring_write(&r, 'q'));
    assert_int_equal(r.in[sizeof(r.in) - 1], 'q');
    assert_int_equal(r.in_prod, 0);
    for (i = 1; i < sizeof(r.in); i++)
        assert_true(pv_console_ring_write(&r, 'x'));
    assert_false(pv_console_ring_write(&r, 'y')); /* full */
    assert_int_equal(r.in_prod - r.in_cons, sizeof(r.in));
    r.in_cons = r.in_prod + 5; /* the guest's cons ahead of prod: broken, nothing written */
    assert_false(pv_console_ring_write(&r, 'z'));
    r.in_cons = r.in_prod - 2 * (uint32_t)sizeof(r.in);
    assert_false(pv_console_ring_write(&r, 'z'));
}

/* ---- Params and port ------------------------------------------------------------------- */

static void test_off_without_config(void **state)
{
    uint64_t v;

    (void)state;
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_PFN, &v), -ENOENT);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_EVTCHN, &v), -ENOENT);
    /* A port with no place for the ring: off, said so, still -ENOENT. */
    assert_int_equal(pv_console_enable(d1), -EOPNOTSUPP);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_PFN, &v), -ENOENT);
    assert_false(d1->pv_console.on);
    /* A frame that is not d1's RAM. */
    harness_pv_console_gfn = 0x7ffff;
    assert_int_equal(pv_console_enable(d1), -EINVAL);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_EVTCHN, &v), -ENOENT);
    assert_int_equal(d1->active_evtchns, 0);
    free(harness_take_console());
}

static void test_output(void **state)
{
    evtchn_port_t port;
    struct xencons_interface *r = console_on(d1, &port);
    struct evtchn_status st;
    unsigned long up;
    char *out;

    (void)state;
    for (unsigned int i = 0; i < sizeof(*r); i++)
        assert_int_equal(((uint8_t *)r)[i], 0);
    assert_int_equal(status(d1, DOMID_SELF, port, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, DOMID_XEN);
    assert_int_equal(st.u.interdomain.port, 0);

    put_out(r, "hello from the ring\n");
    up = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, port), 0);
    out = harness_take_console();
    assert_non_null(strstr(out, "(d1) hello from the ring\n"));
    free(out);
    assert_int_equal(r->out_cons, r->out_prod);
    assert_true(harness_upcalls(d1->vcpu[0]) > up); /* room again: the guest is told */

    /* A notify with nothing new: nothing printed, nothing raised. */
    up = harness_upcalls(d1->vcpu[0]);
    assert_int_equal(send(d1, port), 0);
    out = harness_take_console();
    assert_string_equal(out, "");
    free(out);

    /* Broken indices: dropped, one note per life, the ring usable after. */
    r->out_prod = r->out_cons + 5000;
    assert_int_equal(send(d1, port), 0);
    assert_int_equal(send(d1, port), 0);
    put_out(r, "again\n");
    assert_int_equal(send(d1, port), 0);
    out = harness_take_console();
    assert_non_null(strstr(out, "d1: PV console ring indices out of range"));
    assert_null(strstr(strstr(out, "out of range") + 1, "out of range"));
    assert_non_null(strstr(out, "(d1) again\n"));
    free(out);

    /* One drain takes at most one ring, even with the indices at their widest. */
    r->out_prod = r->out_cons + sizeof(r->out);
    memset(r->out, 'z', sizeof(r->out));
    r->out[MASK_XENCONS_IDX(r->out_prod - 1, r->out)] = '\n'; /* no partial line left over */
    assert_int_equal(pv_console_drain(d1), sizeof(r->out));
    free(harness_take_console());
}

static void test_port_life(void **state)
{
    evtchn_port_t port, other;
    struct xencons_interface *r = console_on(d1, &port);
    uint64_t v;
    char *out;

    (void)state;
    /* Closed by the guest: sends fail, the hypervisor no longer raises it. */
    assert_int_equal(close_port(d1, port), 0);
    assert_int_equal(send(d1, port), -EINVAL);
    /* The number reused for an ordinary channel: our raise must not touch it, nor its send us. */
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, 2, &other), 0);
    assert_int_equal(other, port);
    put_out(r, "not printed\n");
    assert_int_equal(send(d1, other), 0);
    out = harness_take_console();
    assert_null(strstr(out, "not printed"));
    free(out);
    assert_false(evtchn_is_xen_peer(d1, other));
    /* A guest cannot make a DOMID_XEN peer itself. */
    assert_int_equal(alloc_unbound(d1, DOMID_SELF, DOMID_XEN, &other), -ESRCH);
    assert_int_equal(bind_interdomain(d1, DOMID_XEN, 0, &other), -ESRCH);

    /* EVTCHNOP_reset: every port closed, then the console's again, the param updated. */
    assert_int_equal(reset_self(d1), 0);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    assert_true(evtchn_is_xen_peer(d1, (evtchn_port_t)v));
    assert_int_equal(d1->active_evtchns, 1);
    r->out_cons = r->out_prod;
    put_out(r, "after reset\n");
    assert_int_equal(send(d1, (evtchn_port_t)v), 0);
    out = harness_take_console();
    assert_non_null(strstr(out, "(d1) after reset\n"));
    free(out);

    /* A reboot: domain_reset clears params and ports; the restart brings both back. */
    domain_reset(d1);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_PFN, &v), -ENOENT);
    assert_int_equal(pv_console_restart(d1), 0);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_PFN, &v), 0);
    assert_int_equal(v, harness_pv_console_gfn);
    assert_int_equal(get_param(d1, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    assert_true(evtchn_is_xen_peer(d1, (evtchn_port_t)v));
    assert_int_equal(r->out_prod, 0); /* a zeroed ring */
    /* d2 never had one: its restart does nothing. */
    assert_int_equal(pv_console_restart(d2), 0);
    assert_int_equal(get_param(d2, HVM_PARAM_CONSOLE_PFN, &v), -ENOENT);
    free(harness_take_console());
}

static void test_input(void **state)
{
    evtchn_port_t port;
    struct xencons_interface *r = console_on(d1, &port);
    unsigned long up;
    unsigned int i;

    (void)state;
    console_endboot();                                    /* no dom0: input with the hypervisor */
    console_input(1), console_input(1), console_input(1); /* Ctrl-A x3: to d1 */
    assert_true(console_input_is_with(d1));
    up = harness_upcalls(d1->vcpu[0]);
    console_input('l'), console_input('s'), console_input('\r');
    assert_int_equal(r->in_prod, 3);
    assert_memory_equal(r->in, "ls\r", 3);
    assert_true(harness_upcalls(d1->vcpu[0]) > up);
    /* A guest that does not read: in[] fills, the rest is dropped and counted. */
    for (i = 0; i < sizeof(r->in) + 10; i++)
        console_input('x');
    assert_int_equal(r->in_prod - r->in_cons, sizeof(r->in));
    assert_int_equal(d1->pv_console.in_dropped, 13);
    free(harness_take_console());
}

/* ---- A guest scribbling on every index while the hypervisor uses the ring ------------- */

static volatile bool scribbling;

static void *scribbler(void *arg)
{
    struct xencons_interface *r = arg;
    uint64_t s = 0x9e3779b97f4a7c15ull;

    while (__atomic_load_n(&scribbling, __ATOMIC_RELAXED)) {
        uint32_t v = (uint32_t)xorshift64(&s);

        switch (v & 3) {
        case 0:
            __atomic_store_n(&r->out_prod, v, __ATOMIC_RELAXED);
            break;
        case 1:
            __atomic_store_n(&r->out_cons, v >> 3, __ATOMIC_RELAXED);
            break;
        case 2:
            __atomic_store_n(&r->in_prod, v, __ATOMIC_RELAXED);
            break;
        default:
            __atomic_store_n(&r->in_cons, v >> 5, __ATOMIC_RELAXED);
            break;
        }
    }
    return NULL;
}

/* Another vCPU notifying all the time: a second drainer. */
static void *drainer(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&scribbling, __ATOMIC_RELAXED))
        assert_true(pv_console_drain(d1) <= 2 * sizeof(((struct xencons_interface *)0)->out));
    return NULL;
}

static void test_hostile_guest(void **state)
{
    evtchn_port_t port;
    struct xencons_interface *r = console_on(d1, &port);
    pthread_t t, t2;
    unsigned int i;

    (void)state;
    console_endboot();
    console_input(1), console_input(1), console_input(1);
    __atomic_store_n(&scribbling, true, __ATOMIC_RELAXED);
    assert_int_equal(pthread_create(&t, NULL, scribbler, r), 0);
    assert_int_equal(pthread_create(&t2, NULL, drainer, NULL), 0);
    /* Every call ends, within one ring, whatever the indices say meanwhile. */
    for (i = 0; i < 20000; i++) {
        assert_true(pv_console_drain(d1) <= 2 * sizeof(r->out));
        console_input((char)('a' + i % 26));
        if (i % 64 == 0)
            free(harness_take_console());
    }
    __atomic_store_n(&scribbling, false, __ATOMIC_RELAXED);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(pthread_join(t2, NULL), 0);
    free(harness_take_console());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_ring_read), T(test_ring_write), T(test_off_without_config), T(test_output),
        T(test_port_life), T(test_input),      T(test_hostile_guest),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
