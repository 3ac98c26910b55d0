/* SPDX-License-Identifier: Apache-2.0 */
/*
 * minixen's 3-level ABI (EVTCHNOP_register_3level): detected by probing; a hypervisor
 * without it answers -ENOSYS and every result here is a SKIP with that reason.
 */
#include "xtest.h"

#define N_TESTS   5
#define HIGH_PORT 4100

static const char *const names[N_TESTS] = {
    "register_3level: bitmaps and every vCPU's L2 selector",
    "an IPI is delivered through the three levels",
    "IPI ports beyond 2-level's range can be bound",
    "an event on a port beyond 4096 is delivered",
    "EVTCHNOP_reset returns the domain to 2-level",
};

void area_3l(void)
{
    struct evtchn_register_3level probe = {.cmd = 0xffffffffu};
    evtchn_port_t p = 0;
    unsigned int i, n = 0;
    long rc;

    tap_diag("area: 3-level ABI (minixen)");
    rc = hc_evtchn(EVTCHNOP_register_3level, &probe);
    if (rc == -XEN_ENOSYS) {
        for (i = 0; i < N_TESTS; i++)
            tap_skip(SKIP_ENOSYS, "%s", names[i]);
        return;
    }
    rc = ev_setup_3l(xt.cpus_up);
    expect_rc(rc, 0, names[0]);
    ev_reset_counters();
    ev_bind_ipi(0, &p);
    ev_send(p);
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 1, "%s", names[1]);
    while (n < HIGH_PORT && ev_bind_ipi(0, &p) == 0)
        n++;
    tap_ok(n == HIGH_PORT && p >= HIGH_PORT, "%s (last: %u)", names[2], p);
    ev_send(p);
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 1, "%s", names[3]);
    rc = ev_reset(DOMID_SELF);
    ev_forget_abi();
    tap_ok(rc == 0 && ev_set_priority(1, 3) == -XEN_ENOSYS, "%s", names[4]);
}
