/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Port limits: 2-level gives exactly ports 1..4095 (port 0 is reserved), then -ENOSPC;
 * FIFO goes beyond that (its 131071 are not exhausted here: Xen finds a free port by a
 * linear scan from 0, so filling FIFO would take ~2^33 steps); reset frees them all.
 * minixen's EVTCHNOP_set_limit is probed and skipped where it does not exist.
 */
#include "xtest.h"

#define N_SET_LIMIT 3
#define FIFO_PORTS  (EVTCHN_2L_NR_CHANNELS + 100)

/* Allocate unbound ports until failure: how many, the last port, the failure. */
static unsigned int fill(evtchn_port_t *last, long *err)
{
    unsigned int n = 0;
    evtchn_port_t p = 0;
    long rc;

    while ((rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0 && n < 300000) {
        *last = p;
        n++;
    }
    *err = rc;
    return n;
}

static void limit_of(const char *abi, unsigned int want)
{
    struct evtchn_status st;
    evtchn_port_t last = 0;
    long err = 0, rc;
    uint64_t t0 = arch_counter();
    unsigned int n = fill(&last, &err);

    tap_ok(n == want && last == want, "%s: %u ports allocated (last %u), the next -> %s", abi, n,
           last, xen_errname(err));
    tap_eq(err, -XEN_ENOSPC, "%s: the port after the last -> ENOSPC", abi);
    tap_diag("%s: %u allocations took %lu ms", abi, n,
             (unsigned long)((arch_counter() - t0) / ticks_from_ms(1)));
    rc = ev_reset(DOMID_SELF);
    ev_forget_abi();
    ev_status(DOMID_SELF, last, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_closed, "%s: reset frees them all", abi);
}

static void fifo_beyond_2l(void)
{
    struct evtchn_status st;
    evtchn_port_t p = 0, last = 0;
    unsigned int n = 0;
    long rc;

    while (n < FIFO_PORTS && ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p) == 0) {
        last = p;
        n++;
    }
    tap_ok(n == FIFO_PORTS && last == FIFO_PORTS, "FIFO: %u ports allocated, more than 2-level's",
           n);
    rc = ev_reset(DOMID_SELF);
    ev_forget_abi();
    ev_status(DOMID_SELF, last, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_closed, "FIFO: reset frees them all");
}

static void set_limit(void)
{
    struct evtchn_set_limit op = {.domid = DOMID_SELF, .max_port = 10};
    evtchn_port_t last = 0;
    long rc = hc_evtchn(EVTCHNOP_set_limit, &op), err = 0;
    unsigned int i, n;

    if (rc == -XEN_ENOSYS) {
        for (i = 0; i < N_SET_LIMIT; i++)
            tap_skip(SKIP_ENOSYS, "EVTCHNOP_set_limit test %u", i + 1);
        return;
    }
    expect_rc(rc, 0, "EVTCHNOP_set_limit(self, 10)");
    n = fill(&last, &err);
    tap_ok(n == 10 && last == 10 && err == -XEN_ENOSPC,
           "with the limit at 10 ports 1..10 are allocated, then ENOSPC");
    ev_reset(DOMID_SELF);
    op.max_port = 0x7fffffffu;
    expect_rc(hc_evtchn(EVTCHNOP_set_limit, &op), 0, "the limit raised again");
}

void area_limits(void)
{
    tap_diag("area: limits");
    ev_reset(DOMID_SELF);
    ev_forget_abi();
    limit_of("2-level", EVTCHN_2L_NR_CHANNELS - 1);
    expect_rc(ev_setup_fifo(xt.cpus_up, 1), 0, "switch to FIFO");
    fifo_beyond_2l();
    set_limit();
}
