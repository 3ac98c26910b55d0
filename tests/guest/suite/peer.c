/* SPDX-License-Identifier: Apache-2.0 */
/*
 * role=peer: the other end of the interdomain tests. Echoes every event it receives back
 * on the same port (the static echo channel and any channel the main domain binds to us),
 * follows the control protocol of interdomain.c (ready; switch to FIFO, or to 3-level with
 * pabi=3l; stop) and reports
 * what it saw as its own TAP.
 */
#include "xtest.h"

#define PEER_IDLE_MS 60000 /* longest wait for the next command */

static uint32_t echoed;

static void echo_hook(unsigned int cpu, evtchn_port_t port)
{
    (void)cpu;
    if (port != xt.sctl && ev_send(port) == 0)
        echoed++;
}

static bool wait_command(uint32_t n)
{
    return ev_wait_count(xt.sctl, n, PEER_IDLE_MS);
}

void role_peer(void)
{
    uint32_t before;
    long rc;

    tap_diag("role: peer of d%u (echo port %u, control port %u)", xt.peer, xt.sport, xt.sctl);
    check_static_channels();
    area_wallclock();  /* a dom0less domU is where Linux on Arm reads it */
    area_memory();     /* a domU: on Xen/Arm, dom0 cannot take a page back */
    area_pv_console(); /* a domU's hvc0 */
    grant_offer();     /* before the main domain hears from us */

    /* Forget the stray event Xen may have left on a static port (see interdomain.c). */
    ev_clear(xt.sctl);
    ev_take_pending_irqs();
    ev_reset_counters();
    ev_hook = echo_hook;
    tap_diag("echoing; console through %s", console_uses_fallback() ? "the UART" : "console_io");
    tap_ok(wait_command(1), "command 1 (switch to %s) received", peer_abi_name());
    tap_ok(echoed > 0, "echoed %u events on the 2-level ABI", echoed);
    rc = xt.peer_3l ? ev_setup_3l(xt.cpus_up) : ev_setup_fifo(xt.cpus_up, 1);
    ev_unmask_guest(xt.sport);
    ev_unmask_guest(xt.sctl);
    tap_ok(rc == 0, "switched to %s with the static channels bound (%ld)", peer_abi_name(), rc);
    ev_send(xt.sctl);
    before = echoed;
    tap_ok(wait_command(2), "command 2 (stop) received");
    tap_ok(echoed > before, "echoed %u events on %s", echoed - before, peer_abi_name());
    ev_hook = NULL;
}
