/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=hostile hostile=rebooter: the reboot storm's domain. Each life it exhausts its own
 * 3-level event-channel state (registration, every port it may bind), says hello to d0 on
 * its control channel and waits; on d0's go it asks for SCHEDOP_shutdown(reboot). d0 counts
 * the hellos, so the number of lives is known without anything surviving a restart; once
 * d0 has had enough it stops answering and the last life just waits.
 *
 * bootargs: rctl=<port> (its end of the channel to d0).
 */
#include "bootargs.h"
#include "hostile.h"
#include "xtest.h"

#include <public/sched.h>

#define PORTS_MAX 300000u

void hostile_rebooter(void)
{
    evtchn_port_t rctl = (evtchn_port_t)bootarg_num("rctl", 0), port;
    struct sched_shutdown op = {.reason = SHUTDOWN_reboot};
    unsigned int n;
    long rc, rc3;

    ev_clear(rctl); /* a static channel's stray event from boot */
    rc3 = ev_setup_3l(1);
    for (n = 0, rc = 0; n < PORTS_MAX; n++)
        if ((rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &port)) != 0)
            break;
    printf("# hostile rebooter: booted; 3-level %s, %u ports bound, stopped by %s\n",
           xen_errname(rc3), n, xen_errname(rc));
    ev_send(rctl);
    for (;;) {
        if (ev_pending(rctl)) {
            ev_clear(rctl);
            break;
        }
        sched_poll(&rctl, 1, 1000000000ull);
    }
    printf("# hostile rebooter: rebooting\n");
    rc = hc_sched(SCHEDOP_shutdown, &op);
    tap_ok(false, "hostile rebooter: SCHEDOP_shutdown(reboot) returned %ld", rc);
}
