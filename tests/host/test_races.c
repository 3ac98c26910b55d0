/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercalls racing against the ops that free or replace a domain's event state. One vCPU
 * of domain R keeps switching ABIs (3-level registration, EVTCHNOP_init_control and
 * EVTCHNOP_expand_array, EVTCHNOP_reset back to 2-level) while its other vCPU issues
 * SCHEDOP_poll, VCPUOP_* and XENMEM_* and binds, sends and closes ports. Under ASan a read
 * of freed ABI state (the 3-level geometry SCHEDOP_poll once read without the event lock)
 * is a heap-use-after-free; under TSan an unlocked access is a data race. Afterwards the
 * domain's charge is exactly what it still owns (port storage and the fixed state), and
 * its destroy gives back everything (harness_reset checks).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include "test_util.h"

#define R_ID              1
#define PEER_ID           2
#define L3_PAGES          8 /* 64-bit words: 2^18 ports */
#define FIFO_EXPAND_PAGES 4

static struct domain *r, *peer;

/* The guest frames the flipper hands out again and again: its pages never change. */
static struct {
    gfn_t pending[L3_PAGES], mask[L3_PAGES], l2, cb[2], array[FIFO_EXPAND_PAGES];
} pages;

static int setup(void **state)
{
    unsigned int i;

    (void)state;
    /* x86_64: 32 vcpu_info slots in shared_info, so VCPUOP_register_vcpu_info is open. */
    r = harness_domain(R_ID, 2, false, &guest_layout_x86_64);
    peer = harness_domain(PEER_ID, 1, false, &guest_layout_x86_64);
    if (r == NULL || peer == NULL)
        return -1;
    for (i = 0; i < L3_PAGES; i++) {
        pages.pending[i] = harness_alloc_gfn(r);
        pages.mask[i] = harness_alloc_gfn(r);
    }
    pages.l2 = harness_alloc_gfn(r);
    pages.cb[0] = harness_alloc_gfn(r);
    pages.cb[1] = harness_alloc_gfn(r);
    for (i = 0; i < FIFO_EXPAND_PAGES; i++)
        pages.array[i] = harness_alloc_gfn(r);
    return 0;
}

struct race {
    uint64_t deadline_ms;
    unsigned int flips, calls;
    long bad_rc; /* a result no op may give (0: none seen) */
    const char *bad_what;
};

static bool running(const struct race *s)
{
    return now_ms() < s->deadline_ms;
}

static void note_bad(struct race *s, const char *what, long rc)
{
    if (__atomic_load_n(&s->bad_rc, __ATOMIC_RELAXED) == 0) {
        s->bad_what = what;
        __atomic_store_n(&s->bad_rc, rc == 0 ? 1 : rc, __ATOMIC_RELEASE);
    }
}

/* vCPU 0: 3-level, back to 2-level, FIFO, back to 2-level, ... */
static void *flipper(void *p)
{
    struct race *s = p;
    struct vcpu *v = r->vcpu[0];

    while (running(s)) {
        struct evtchn_register_3level l3 = {.cmd = EVTCHN_3L_CMD_REGISTER_BITMAPS,
                                            .nr_pages = L3_PAGES};
        unsigned int i;
        long rc;

        memcpy(l3.pending_gfn, pages.pending, sizeof(pages.pending));
        memcpy(l3.mask_gfn, pages.mask, sizeof(pages.mask));
        rc = harness_evtchn_op(v, EVTCHNOP_register_3level, &l3, sizeof(l3));
        for (i = 0; rc == 0 && i < r->max_vcpus; i++) {
            struct evtchn_register_3level l2 = {
                .cmd = EVTCHN_3L_CMD_REGISTER_L2, .vcpu = i, .l2_gfn = pages.l2, .offset = i * 512};

            rc = harness_evtchn_op(v, EVTCHNOP_register_3level, &l2, sizeof(l2));
        }
        if (rc != 0 && rc != -EINVAL)
            note_bad(s, "3-level registration", rc);
        rc = reset_self(r);
        if (rc != 0 && rc != -EAGAIN)
            note_bad(s, "reset after 3-level", rc);

        for (i = 0; i < r->max_vcpus; i++) {
            rc = init_control(r, i, pages.cb[i], 0, NULL);
            if (rc != 0 && rc != -EINVAL && rc != -EBUSY)
                note_bad(s, "init_control", rc);
        }
        for (i = 0; i < FIFO_EXPAND_PAGES; i++) {
            rc = expand_array(r, pages.array[i]);
            if (rc != 0 && rc != -EINVAL && rc != -EOPNOTSUPP && rc != -ENOSPC)
                note_bad(s, "expand_array", rc);
        }
        rc = reset_self(r);
        if (rc != 0 && rc != -EAGAIN)
            note_bad(s, "reset after FIFO", rc);
        __atomic_fetch_add(&s->flips, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* vCPU 1: polls ports of every ABI's range, uses VCPUOP and XENMEM, binds and closes. */
static void *caller(void *p)
{
    struct race *s = p;
    struct vcpu *v = r->vcpu[1];
    gpaddr_t poll_gpa, ports_gpa, arg_gpa;
    struct sched_poll_64 *poll = harness_guest_buf(r, &poll_gpa);
    evtchn_port_t *ports = harness_guest_buf(r, &ports_gpa);
    uint8_t *arg = harness_guest_buf(r, &arg_gpa);
    gfn_t vi_gfn = harness_alloc_gfn(r);
    uint64_t seed = 0x9e3779b97f4a7c15ull;

    ports[0] = 1;
    ports[1] = 4097;   /* beyond 2-level, inside FIFO and 3-level */
    ports[2] = 262143; /* the last 3-level port */
    while (running(s)) {
        evtchn_port_t port;
        long rc;

        *poll = (struct sched_poll_64){.nr_ports = 1 + rnd(&seed) % 3, .timeout = 0};
        poll->ports.p = ports_gpa;
        rc = harness_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_poll, poll_gpa, 0, 0, 0);
        if (rc != 0 && rc != -EINVAL)
            note_bad(s, "SCHEDOP_poll", rc);

        switch (rnd(&seed) % 6) {
        case 0: {
            struct vcpu_register_vcpu_info *vi = (void *)arg;

            *vi = (struct vcpu_register_vcpu_info){.mfn = vi_gfn, .offset = 64};
            rc = harness_hypercall(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, arg_gpa,
                                   0, 0);
            if (rc != 0 && rc != -EINVAL)
                note_bad(s, "VCPUOP_register_vcpu_info", rc);
            break;
        }
        case 1:
            rc = harness_hypercall(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, arg_gpa, 0,
                                   0);
            if (rc != 0)
                note_bad(s, "VCPUOP_get_runstate_info", rc);
            rc = harness_hypercall(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0, 0, 0);
            if (rc < 0)
                note_bad(s, "VCPUOP_is_up", rc);
            break;
        case 2: {
            struct xen_add_to_physmap_64 *a = (void *)arg;

            *a = (struct xen_add_to_physmap_64){.domid = DOMID_SELF,
                                                .space = rnd(&seed) % 2 ? XENMAPSPACE_grant_table
                                                                        : XENMAPSPACE_shared_info,
                                                .idx = rnd(&seed) % 4,
                                                .gpfn = 0x38000 + rnd(&seed) % 4};
            rc = harness_hypercall(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, arg_gpa, 0, 0,
                                   0);
            if (rc != 0 && rc != -EINVAL)
                note_bad(s, "XENMEM_add_to_physmap", rc);
            break;
        }
        case 3:
            if (bind_ipi(r, 1, &port) == 0) {
                (void)send(r, port);
                (void)close_port(r, port);
            }
            break;
        case 4:
            if (alloc_unbound(r, DOMID_SELF, PEER_ID, &port) == 0) {
                evtchn_port_t pp;

                if (bind_interdomain(peer, R_ID, port, &pp) == 0) {
                    (void)send(peer, pp);
                    (void)close_port(peer, pp);
                }
                (void)close_port(r, port);
            }
            break;
        default:
            *(domid_t *)arg = DOMID_SELF;
            rc = harness_hypercall(v, __HYPERVISOR_memory_op, XENMEM_current_reservation, arg_gpa,
                                   0, 0, 0);
            if (rc <= 0)
                note_bad(s, "XENMEM_current_reservation", rc);
            break;
        }
        __atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* Only SCHEDOP_poll, as fast as it goes: the widest window on the ABI being replaced. */
static void *poller(void *p)
{
    struct race *s = p;
    gpaddr_t poll_gpa, ports_gpa;
    struct sched_poll_64 *poll = harness_guest_buf(r, &poll_gpa);
    evtchn_port_t *ports = harness_guest_buf(r, &ports_gpa);

    ports[0] = 262143;
    while (running(s)) {
        long rc;

        *poll = (struct sched_poll_64){.nr_ports = 1, .timeout = 0};
        poll->ports.p = ports_gpa;
        rc = harness_hypercall(r->vcpu[1], __HYPERVISOR_sched_op, SCHEDOP_poll, poll_gpa, 0, 0, 0);
        if (rc != 0 && rc != -EINVAL)
            note_bad(s, "SCHEDOP_poll", rc);
    }
    return NULL;
}

/* What r still owns after a full reset: port storage and the private vcpu_infos. */
static size_t owned_after_reset(void)
{
    size_t bytes = 0;

    for (unsigned int g = 0; g < EVTCHN_NR_GROUPS; g++) {
        if (r->evtchn_group[g] == NULL)
            continue;
        bytes += xalloc_size(r->evtchn_group[g]);
        for (unsigned int b = 0; b < BUCKETS_PER_GROUP; b++)
            bytes += xalloc_size(r->evtchn_group[g][b]);
    }
    for (uint32_t i = 0; i < r->max_vcpus; i++)
        bytes += xalloc_size(r->vcpu[i]->dummy_vcpu_info);
    /* The grant table's own bookkeeping outlives a reset (its frames do not). */
    bytes += xalloc_size(r->grant_table);
    return bytes;
}

static void test_hypercalls_race_abi_switches(void **state)
{
    struct race s = {.deadline_ms = now_ms() + stress_ms()};
    pthread_t t[3];

    (void)state;
    assert_int_equal(pthread_create(&t[0], NULL, flipper, &s), 0);
    assert_int_equal(pthread_create(&t[1], NULL, caller, &s), 0);
    assert_int_equal(pthread_create(&t[2], NULL, poller, &s), 0);
    for (unsigned int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    if (s.bad_rc != 0)
        fail_msg("%s returned %ld", s.bad_what, s.bad_rc);
    print_message("# %u ABI round trips, %u calls racing them\n", s.flips, s.calls);
    assert_true(s.flips > 0 && s.calls > 0);

    /* Quiet now: a reset (and a reboot's reset) gives back all but what r still owns. */
    assert_int_equal(reset_self(r), 0);
    domain_reset(r);
    assert_int_equal(r->heap_charged, owned_after_reset());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hypercalls_race_abi_switches, setup, harness_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
