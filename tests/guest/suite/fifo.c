/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The FIFO ABI: reset back to 2-level, the switch with a port already bound, control
 * blocks for every vCPU, priorities (order across queues and within one), masking,
 * re-targeting to another vCPU's queues, priority changes, the event-array limit, ports
 * beyond the 2-level range, and reset back to 2-level again.
 */
#include "xtest.h"

#define HIGH_PORT 4100 /* above the 2-level ABI's 4096 ports */

static uint8_t spare_page[GUEST_PAGE_SIZE] __attribute__((aligned(4096)));

static void reset_to_2l(void)
{
    struct evtchn_status st;
    evtchn_port_t p = 0;
    long rc;

    ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p);
    rc = ev_reset(DOMID_SELF);
    ev_forget_abi();
    ev_status(DOMID_SELF, p, &st);
    tap_ok(rc == 0 && st.status == EVTCHNSTAT_closed, "EVTCHNOP_reset(self) closes every port");
    expect_rc(ev_set_priority(1, 3), -XEN_ENOSYS, "after reset the domain is on 2-level");
}

static bool log_is(unsigned int cpu, const evtchn_port_t *want, unsigned int n)
{
    unsigned int i;

    if (ev_log[cpu].n != n)
        return false;
    for (i = 0; i < n; i++)
        if (ev_log[cpu].port[i] != want[i])
            return false;
    return true;
}

static void switch_and_setup(evtchn_port_t *early)
{
    unsigned int cpu;
    long rc = 0;

    ev_bind_ipi(0, early);
    rc = ev_fifo_init_control(0, arch_gfn(ev_fifo_control_block(0)), 0);
    expect_rc(rc, 0, "init_control(vcpu 0) switches to FIFO (link_bits 17)");
    expect_rc(ev_fifo_init_control(0, arch_gfn(ev_fifo_control_block(0)), 0), -XEN_EINVAL,
              "init_control twice for one vCPU");
    for (cpu = 1, rc = 0; cpu < xt.cpus_up && rc == 0; cpu++)
        rc = ev_fifo_init_control(cpu, arch_gfn(ev_fifo_control_block(cpu)), 0);
    tap_ok(rc == 0, "init_control for the other %u vCPUs", xt.cpus_up - 1);
    expect_rc(ev_fifo_expand(1), 0, "expand_array: the first event-array page");
    ev_reset_counters();
    ev_unmask_guest(*early);
    ev_send(*early);
    ev_take_pending_irqs();
    tap_eq(ev_count[*early], 1, "a port bound before the switch works on FIFO");
}

static void priorities(void)
{
    evtchn_port_t p[3] = {0, 0, 0}, want[3];
    unsigned int i;

    for (i = 0; i < 3; i++) {
        ev_bind_ipi(0, &p[i]);
        ev_unmask_guest(p[i]);
    }
    tap_ok(ev_set_priority(p[0], 10) == 0 && ev_set_priority(p[1], 2) == 0,
           "set_priority 10 and 2 (third port stays at the default, 7)");
    ev_reset_counters();
    ev_send(p[0]);
    ev_send(p[2]);
    ev_send(p[1]);
    ev_take_pending_irqs();
    want[0] = p[1];
    want[1] = p[2];
    want[2] = p[0];
    tap_ok(log_is(0, want, 3), "events sent at priorities 10, 7, 2 are consumed 2, 7, 10");

    ev_set_priority(p[0], 7);
    ev_set_priority(p[1], 7);
    ev_reset_counters();
    ev_send(p[2]);
    ev_send(p[0]);
    ev_send(p[1]);
    ev_take_pending_irqs();
    want[0] = p[2];
    want[1] = p[0];
    want[2] = p[1];
    tap_ok(log_is(0, want, 3), "events of one priority are consumed in the order sent");

    ev_set_priority(p[1], 1);
    ev_set_priority(p[0], 3);
    ev_reset_counters();
    ev_send(p[0]);
    ev_send(p[1]);
    ev_take_pending_irqs();
    want[0] = p[1];
    want[1] = p[0];
    tap_ok(log_is(0, want, 2), "a priority change applies to the next event");

    expect_rc(ev_set_priority(p[0], EVTCHN_FIFO_PRIORITY_MIN + 1), -XEN_EINVAL, "set_priority 16");
    expect_rc(ev_set_priority(0x7fffffffu, 3), -XEN_EINVAL, "set_priority of an invalid port");
    for (i = 0; i < 3; i++)
        ev_close(p[i]);
}

static void masking(void)
{
    evtchn_port_t p = 0;
    uint32_t *w;

    ev_bind_ipi(0, &p);
    ev_reset_counters();
    w = ev_fifo_word(p);
    ev_mask(p); /* the word keeps whatever a previous user of the port left: mask it */
    ev_send(p);
    ev_take_pending_irqs();
    tap_ok(w != NULL && (*w & (1u << EVTCHN_FIFO_PENDING)) && !(*w & (1u << EVTCHN_FIFO_LINKED)) &&
               ev_count[p] == 0,
           "send to a masked port sets PENDING only (not LINKED, no upcall)");
    expect_rc(ev_unmask(p), 0, "EVTCHNOP_unmask of the pending port");
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 1, "... links and delivers it");
    ev_mask(p);
    ev_send(p);
    ev_unmask_guest(p);
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 2, "guest-side unmask (clear MASKED, then EVTCHNOP_unmask) delivers");
    ev_close(p);
}

static void retarget(void)
{
    evtchn_port_t a = 0, b = 0;

    if (xt.cpus_up < 2) {
        tap_skip("needs two vCPUs", "FIFO: bind_vcpu moves a port to vCPU 1's queues");
        return;
    }
    ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &a);
    ev_bind_interdomain(DOMID_SELF, a, &b);
    ev_unmask_guest(b);
    ev_take_pending_irqs();
    ev_bind_vcpu(b, 1);
    ev_set_cpu(b, 1);
    ev_reset_counters();
    ev_send(a);
    tap_ok(ev_wait_count(b, 1, WAIT_MS) && ev_cpu_of[b] == 1,
           "FIFO: bind_vcpu moves a port to vCPU 1's queues");
    ev_set_cpu(b, 0);
    ev_close(a);
    ev_close(b);
}

static void array_limit_and_high_ports(void)
{
    struct evtchn_expand_array ea = {.array_gfn = arch_gfn(spare_page)};
    evtchn_port_t p = 0;
    unsigned int n = 0;
    long rc;

    rc = ev_fifo_expand(EV_FIFO_PAGES - ev_fifo_pages());
    tap_ok(rc == 0 && ev_fifo_pages() == EV_FIFO_PAGES, "expand_array up to %u pages",
           EV_FIFO_PAGES);
    expect_rc(hc_evtchn(EVTCHNOP_expand_array, &ea), -XEN_ENOSPC, "expand_array beyond them");

    while (n < HIGH_PORT && ev_bind_ipi(0, &p) == 0)
        n++;
    tap_ok(n == HIGH_PORT && p >= HIGH_PORT, "%u IPI ports bound, the last is port %u", n, p);
    ev_unmask_guest(p);
    ev_reset_counters();
    ev_send(p);
    ev_take_pending_irqs();
    tap_eq(ev_count[p], 1, "an event on port %u (beyond 2-level's range) is delivered", p);
}

static void reset_again(void)
{
    long rc = ev_reset(DOMID_SELF);

    ev_forget_abi();
    tap_ok(rc == 0 && ev_set_priority(1, 3) == -XEN_ENOSYS,
           "EVTCHNOP_reset leaves FIFO: the domain is back on 2-level");
    rc = ev_setup_fifo(xt.cpus_up, 1);
    expect_rc(rc, 0, "the domain can switch to FIFO again after reset");
    rc = ev_reset(DOMID_SELF);
    ev_forget_abi();
    expect_rc(rc, 0, "and reset again");
}

void area_fifo(void)
{
    evtchn_port_t early = 0;

    tap_diag("area: FIFO ABI");
    reset_to_2l();
    switch_and_setup(&early);
    priorities();
    masking();
    retarget();
    array_limit_and_high_ports();
    reset_again();
}
