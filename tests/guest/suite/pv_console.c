/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PV console ring as a domU's hvc_xen uses it (role=peer): HVM_PARAM_CONSOLE_EVTCHN
 * and HVM_PARAM_CONSOLE_PFN give the port and the ring's frame; the guest writes a line
 * into out[], advances out_prod and notifies the port; a backend consumes it (out_cons
 * catches up). The system test then finds the line on the serial console as "(dN) ...".
 *
 * Xen 4.17 has no ring of its own: xenconsoled in dom0 serves it, and a dom0less domU
 * without one reads the params as 0 (or an error). minixen serves it itself, only for a
 * domain whose DT has minixen,pv-console, and answers -ENOENT otherwise. Either way "no
 * ring" is a skip with that reason; a ring that is there must be consumed.
 */
#include <public/io/console.h>

#include "xtest.h"

#define PV_CONSOLE_LINE "# xtest pv console: a line through the ring\n"
#define CONSUME_MS      2000

static volatile struct xencons_interface *ring;

static bool consumed(void *arg)
{
    (void)arg;
    return __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) ==
           __atomic_load_n(&ring->out_prod, __ATOMIC_RELAXED);
}

/* Params of the ring, or false if this domain has none. */
static bool ring_params(uint64_t *port, uint64_t *pfn, long *rc_port, long *rc_pfn)
{
    *rc_port = hc_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, port);
    *rc_pfn = hc_hvm_get_param(HVM_PARAM_CONSOLE_PFN, pfn);
    return *rc_port == 0 && *rc_pfn == 0 && *port != 0 && *pfn != 0;
}

/* Put `line` into out[] and notify; true once the backend consumed it (within ms; 0: now). */
static bool ring_put_line(uint64_t port, uint64_t pfn, const char *line, unsigned int ms)
{
    XENCONS_RING_IDX prod;
    unsigned int n = (unsigned int)strlen(line);
    bool ok;

    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
    prod = ring->out_prod;
    for (unsigned int i = 0; i < n; i++)
        ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = line[i];
    /* The bytes before the index that publishes them. */
    __atomic_store_n(&ring->out_prod, prod + (XENCONS_RING_IDX)n, __ATOMIC_RELEASE);
    ev_send((evtchn_port_t)port);
    ok = ms != 0 ? ev_wait(consumed, NULL, ms) : consumed(NULL);
    ev_clear((evtchn_port_t)port); /* the backend's answer: nothing to do with it */
    return ok;
}

bool pv_console_line(const char *line)
{
    uint64_t port = 0, pfn = 0;
    long rc_port, rc_pfn;

    return ring_params(&port, &pfn, &rc_port, &rc_pfn) && ring_put_line(port, pfn, line, 0);
}

void area_pv_console(void)
{
    uint64_t port = 0, pfn = 0;
    long rc_port, rc_pfn;
    bool have = ring_params(&port, &pfn, &rc_port, &rc_pfn);
    struct evtchn_status st;

    tap_diag("area: PV console ring (CONSOLE_EVTCHN %s %lu, CONSOLE_PFN %s 0x%lx)",
             xen_errname(rc_port), (unsigned long)port, xen_errname(rc_pfn), (unsigned long)pfn);
    if (!have) {
        tap_skip("no PV console ring from the hypervisor (Xen 4.17: xenconsoled in dom0 serves "
                 "it; minixen: only for a domain with minixen,pv-console)",
                 "PV console: a line through the ring is consumed");
        return;
    }
    if (ev_status(DOMID_SELF, (evtchn_port_t)port, &st) == 0)
        tap_diag("PV console port %lu: status %u, remote dom 0x%x port %u", (unsigned long)port,
                 st.status, st.u.interdomain.dom, st.u.interdomain.port);
    tap_ok(ring_put_line(port, pfn, PV_CONSOLE_LINE, CONSUME_MS),
           "PV console: a line through the ring (frame 0x%lx, port %lu) is consumed",
           (unsigned long)pfn, (unsigned long)port);
}
