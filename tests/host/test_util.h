/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the host test programs share: the EVTCHNOP calls as a guest makes them, the
 * standard domains, and the clock, PRNG and environment helpers of the threaded suites.
 *
 * Everything is static inline, on purpose: host.mk builds every tests/host/test_*.c as its
 * own program and archives only arch_host.c, harness.c and guest_*.c, so a test_util.c
 * would be taken for a test program. Nothing here asserts (the fuzzer and the benchmark
 * do not link cmocka): helpers return the hypercall's result and the caller checks it.
 */
#ifndef MINIXEN_TEST_UTIL_H
#define MINIXEN_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guest_model.h"

/* ---- Hypercalls, as a guest makes them -------------------------------------------------- */

/* One EVTCHNOP from vCPU v (the raw form, for argument structs a test builds itself). */
/*
 * The console since the last take, without the "minixen: domain N heap: ..." lines a
 * domain's end adds (their numbers depend on the allocator): tests compare the rest.
 */
static inline char *console_without_heap_lines(void)
{
    char *out = harness_take_console(), *r = out, *w = out;

    while (r != NULL && *r != '\0') {
        char *nl = strchr(r, '\n');
        size_t len = nl != NULL ? (size_t)(nl - r) + 1 : strlen(r);

        if (!(strncmp(r, "minixen: domain ", 16) == 0 && strstr(r, " heap: ") != NULL &&
              strstr(r, " heap: ") < r + len)) {
            memmove(w, r, len);
            w += len;
        }
        r += len;
    }
    if (w != NULL)
        *w = '\0';
    return out;
}

static inline long op(struct vcpu *v, int cmd, void *arg, size_t size)
{
    return harness_evtchn_op(v, cmd, arg, size);
}

/*
 * One wrapper per EVTCHNOP: issued from d's vCPU 0 (the issuing vCPU does not matter to
 * these ops; where it does, use op()), returning the hypercall's result, with the OUT field
 * stored through the pointer when it is not NULL.
 */
static inline long alloc_unbound(struct domain *d, domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
    long rc = op(d->vcpu[0], EVTCHNOP_alloc_unbound, &a, sizeof(a));

    if (port)
        *port = a.port;
    return rc;
}

static inline long bind_interdomain(struct domain *d, domid_t remote, evtchn_port_t rport,
                                    evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain b = {.remote_dom = remote, .remote_port = rport};
    long rc = op(d->vcpu[0], EVTCHNOP_bind_interdomain, &b, sizeof(b));

    if (lport)
        *lport = b.local_port;
    return rc;
}

static inline long bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    long rc = op(d->vcpu[0], EVTCHNOP_bind_virq, &b, sizeof(b));

    if (port)
        *port = b.port;
    return rc;
}

static inline long bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = {.vcpu = vcpu};
    long rc = op(d->vcpu[0], EVTCHNOP_bind_ipi, &b, sizeof(b));

    if (port)
        *port = b.port;
    return rc;
}

static inline long send(struct domain *d, evtchn_port_t port)
{
    struct evtchn_send s = {.port = port};

    return op(d->vcpu[0], EVTCHNOP_send, &s, sizeof(s));
}

static inline long close_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn_close c = {.port = port};

    return op(d->vcpu[0], EVTCHNOP_close, &c, sizeof(c));
}

/* *st is zeroed first, so a field the hypervisor leaves alone reads 0. */
static inline long status(struct domain *d, domid_t dom, evtchn_port_t port,
                          struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return op(d->vcpu[0], EVTCHNOP_status, st, sizeof(*st));
}

static inline long bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

    return op(d->vcpu[0], EVTCHNOP_bind_vcpu, &b, sizeof(b));
}

static inline long set_priority(struct domain *d, evtchn_port_t port, uint32_t priority)
{
    struct evtchn_set_priority sp = {.port = port, .priority = priority};

    return op(d->vcpu[0], EVTCHNOP_set_priority, &sp, sizeof(sp));
}

static inline long reset_self(struct domain *d)
{
    struct evtchn_reset r = {.dom = DOMID_SELF};

    return op(d->vcpu[0], EVTCHNOP_reset, &r, sizeof(r));
}

static inline long set_limit(struct domain *ctl, domid_t dom, uint32_t max_port)
{
    struct evtchn_set_limit sl = {.domid = dom, .max_port = max_port};

    return op(ctl->vcpu[0], EVTCHNOP_set_limit, &sl, sizeof(sl));
}

/* link_bits goes in as 0xAA: the hypervisor must overwrite it (with 17) on success only. */
static inline long init_control(struct domain *d, uint32_t vcpu, gfn_t gfn, uint32_t offset,
                                uint8_t *link_bits)
{
    struct evtchn_init_control ic = {
        .control_gfn = gfn, .offset = offset, .vcpu = vcpu, .link_bits = 0xAA};
    long rc = op(d->vcpu[0], EVTCHNOP_init_control, &ic, sizeof(ic));

    if (link_bits)
        *link_bits = ic.link_bits;
    return rc;
}

static inline long expand_array(struct domain *d, gfn_t gfn)
{
    struct evtchn_expand_array ea = {.array_gfn = gfn};

    return op(d->vcpu[0], EVTCHNOP_expand_array, &ea, sizeof(ea));
}

/*
 * One interdomain channel, made the way guests make one: a allocates an unbound port for
 * b, b binds to it. Either port pointer may be NULL. Returns the first failing result.
 */
static inline long connect_pair(struct domain *a, struct domain *b, evtchn_port_t *a_port,
                                evtchn_port_t *b_port)
{
    evtchn_port_t ap = 0;
    long rc = alloc_unbound(a, DOMID_SELF, b->domain_id, &ap);

    if (rc == 0)
        rc = bind_interdomain(b, a->domain_id, ap, b_port);
    if (a_port)
        *a_port = ap;
    return rc;
}

/* ---- Domains and ABIs ------------------------------------------------------------------- */

/*
 * The standard three domains of the single-threaded suites: privileged dom0 and d1 with
 * two vCPUs each on the arm layout, and d2 with one vCPU on x86_64, so every call crosses
 * a layout and a vCPU count. Returns 0, or -1 if any creation failed (a cmocka setup).
 */
static inline int make_three_domains(struct domain **dom0, struct domain **d1, struct domain **d2)
{
    *dom0 = harness_domain(0, 2, true, &guest_layout_arm);
    *d1 = harness_domain(1, 2, false, &guest_layout_arm);
    *d2 = harness_domain(2, 1, false, &guest_layout_x86_64);
    return *dom0 && *d1 && *d2 ? 0 : -1;
}

/* A cmocka teardown for suites with nothing of their own to drop. */
static inline int harness_teardown(void **state)
{
    (void)state;
    harness_reset();
    return 0;
}

/* Switch d to abi as a guest does; FIFO gets `fifo_pages` event-array pages. */
static inline int setup_abi(struct domain *d, enum guest_abi abi, unsigned int fifo_pages)
{
    switch (abi) {
    case GUEST_ABI_FIFO:
        return guest_setup_fifo(d, fifo_pages);
    case GUEST_ABI_3L:
        return guest_setup_3l(d);
    case GUEST_ABI_2L:
    default:
        return 0;
    }
}

/* For the suites' progress lines. */
static inline const char *abi_name(enum guest_abi abi)
{
    return abi == GUEST_ABI_FIFO ? "fifo" : abi == GUEST_ABI_3L ? "3-level" : "2-level";
}

/*
 * vcpu_info.evtchn_upcall_pending, read the way a consumer thread polls it: the vcpu_info
 * pointer may be republished while the thread runs, and the flag is the guest's bit 0.
 */
static inline bool upcall_pending(struct vcpu *v)
{
    void *vi = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    return __atomic_load_n((uint8_t *)vi, __ATOMIC_SEQ_CST) & 1;
}

/* ---- Time, randomness, environment -------------------------------------------------------- */

static inline uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Marsaglia's xorshift64, one step on a caller-owned state: each thread keeps its own
 * (rand() is neither thread-safe nor fast) and a fixed seed makes a failure reproduce.
 * Returns the new state; the state must not be 0.
 */
static inline uint64_t xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* 32 random bits: the middle of the state (its low bits are the weakest). */
static inline uint32_t rnd(uint64_t *s)
{
    return (uint32_t)(xorshift64(s) >> 16);
}

/* A positive number from the environment, or `dflt` when it is unset, 0 or not a number. */
static inline unsigned int env_uint(const char *name, unsigned int dflt)
{
    const char *s = getenv(name);
    long v = s != NULL ? strtol(s, NULL, 10) : 0;

    return v > 0 ? (unsigned int)v : dflt;
}

/*
 * How long each threaded case runs: bounded in time, not iterations, so a case takes the
 * same wall time natively, under TSan and under qemu-aarch64.
 */
static inline unsigned int stress_ms(void)
{
    return env_uint("MINIXEN_STRESS_MS", 700);
}

#endif
