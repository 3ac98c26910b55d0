/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 2-level ABI semantics as a guest sees them in shared_info and vcpu_info: masking and
 * the lost edge of a guest-side unmask, EVTCHNOP_unmask re-delivery, the selector and
 * master flag, close clearing a pending bit, and many ports across selector words in one
 * upcall.
 */
#include "xtest.h"

#define MANY 130 /* ports: three selector words */

static void masking(void)
{
    struct vcpu_info *vi = ev_vcpu_info(0);
    evtchn_port_t p = 0;
    xen_ulong_t bit;

    ev_reset_counters();
    ev_bind_ipi(0, &p);
    bit = (xen_ulong_t)1 << (p / (sizeof(xen_ulong_t) * 8));
    ev_mask(p);
    ev_send(p);
    tap_ok(ev_pending(p) && !(vi->evtchn_pending_sel & bit) && !vi->evtchn_upcall_pending,
           "send to a masked port sets only its pending bit (no selector, no upcall)");
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 0, "a masked port is not delivered");
    expect_rc(ev_unmask(p), 0, "EVTCHNOP_unmask of a pending port");
    tap_ok(vi->evtchn_upcall_pending && (vi->evtchn_pending_sel & bit),
           "... sets the selector bit and evtchn_upcall_pending");
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 1, "... and the upcall delivers it");

    ev_mask(p);
    ev_send(p);
    ev_vcpu_info(0); /* the guest clears the mask itself: Xen sees no edge */
    __atomic_fetch_and(&ev_shared_info->evtchn_mask[p / (sizeof(xen_ulong_t) * 8)],
                       ~((xen_ulong_t)1 << (p % (sizeof(xen_ulong_t) * 8))), __ATOMIC_SEQ_CST);
    ev_take_pending_irqs();
    tap_ok(ev_count[p] == 1 && ev_pending(p),
           "clearing the mask bit in shared_info raises nothing (the edge is lost)");
    ev_mask(p);
    ev_unmask_guest(p);
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 2, "re-mask + EVTCHNOP_unmask delivers the held event");
    expect_rc(ev_unmask(p), 0, "EVTCHNOP_unmask of an unmasked, idle port");
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 2, "... raises nothing");

    ev_mask(p);
    ev_send(p);
    ev_close(p);
    tap_ok(!ev_pending(p), "close clears the port's pending bit");
    ev_unmask_guest(p);
}

static void many_ports(void)
{
    static evtchn_port_t ports[MANY];
    unsigned int i, bound = 0, delivered = 0, words;
    struct vcpu_info *vi = ev_vcpu_info(0);

    ev_reset_counters();
    for (i = 0; i < MANY; i++)
        if (ev_bind_ipi(0, &ports[i]) == 0)
            bound++;
    tap_eq(bound, MANY, "bind %u IPI ports", MANY);
    for (i = 0; i < bound; i++)
        ev_send(ports[i]);
    words = 0;
    for (xen_ulong_t sel = vi->evtchn_pending_sel; sel != 0; sel &= sel - 1)
        words++; /* not __builtin_popcount: libgcc's uses SIMD registers */
    tap_ok(words >= 3, "their events set %u selector bits", words);
    ev_take_pending_irqs();
    for (i = 0; i < bound; i++)
        delivered += ev_count[ports[i]] == 1;
    tap_eq(delivered, MANY, "one upcall delivers each exactly once");
    for (i = 0; i < bound; i++)
        ev_close(ports[i]);
}

void area_2l(void)
{
    tap_diag("area: 2-level ABI");
    masking();
    many_ports();
}
