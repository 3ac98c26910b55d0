/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_sched_op(cmd, arg): yield, block, poll, shutdown, as Xen 4.17 does them
 * (xen/common/sched/core.c do_sched_op / do_poll). The waiting itself is the scheduler's
 * (xen/common/sched.c); this file copies and checks what the guest passed.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <public/sched.h>

/* The guest's sched_poll in one shape, whichever layout it used. */
struct poll_args {
    gpaddr_t ports;
    uint32_t nr_ports;
    uint64_t timeout;
};

static int copy_poll_args(struct vcpu *curr, gpaddr_t arg, struct poll_args *p)
{
    struct domain *d = curr->domain;

    if (hypercall_compat32(curr)) {
        struct sched_poll_x86_32 a;

        if (arch_copy_from_guest(d, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        p->ports = a.ports.p;
        p->nr_ports = a.nr_ports;
        p->timeout = a.timeout[0] | (uint64_t)a.timeout[1] << 32;
    } else {
        struct sched_poll_64 a;

        if (arch_copy_from_guest(d, &a, arg, sizeof(a)) != 0)
            return -EFAULT;
        p->ports = a.ports.p;
        p->nr_ports = a.nr_ports;
        p->timeout = a.timeout;
    }
    return 0;
}

static long sched_op_poll(struct vcpu *curr, gpaddr_t arg)
{
    struct domain *d = curr->domain;
    evtchn_port_t ports[XEN_SCHED_POLL_MAX_PORTS];
    struct poll_args p;
    uint32_t max_ports, i;
    int rc = copy_poll_args(curr, arg, &p);

    if (rc != 0)
        return rc;
    if (p.nr_ports > XEN_SCHED_POLL_MAX_PORTS) /* Xen's "fairly arbitrary limit" */
        return -EINVAL;
    if (p.nr_ports > 0 &&
        arch_copy_from_guest(d, ports, p.ports, p.nr_ports * sizeof(ports[0])) != 0)
        return -EFAULT;
    /*
     * A port beyond what the domain's ABI can address is an error; an unbound one is not.
     * The ABI's geometry is read under the event lock: another vCPU's EVTCHNOP_reset may
     * be freeing the 3-level state it lives in right now.
     */
    max_ports = evtchn_abi_max_ports(d);
    for (i = 0; i < p.nr_ports; i++)
        if (ports[i] >= max_ports)
            return -EINVAL;
    return vcpu_poll(curr, ports, p.nr_ports, p.timeout);
}

static long sched_op_remote_shutdown(struct vcpu *curr, gpaddr_t arg)
{
    struct sched_remote_shutdown a;
    struct domain *d;

    if (arch_copy_from_guest(curr->domain, &a, arg, sizeof(a)) != 0)
        return -EFAULT;
    d = domain_lookup(a.domain_id); /* by id only: DOMID_SELF is not one (-ESRCH) */
    if (d == NULL)
        return -ESRCH;
    if (!curr->domain->is_privileged)
        return -EPERM;
    domain_shutdown(d, (uint8_t)a.reason);
    return 0;
}

/* args: cmd, guest address of the op's struct (unused by yield and block). */
long hypercall_sched_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned int cmd = (unsigned int)args[0];
    gpaddr_t arg = args[1];
    struct sched_shutdown s;

    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield(curr);
        return 0;
    case SCHEDOP_block:
        arch_vcpu_enable_event_delivery(curr);
        vcpu_block(curr);
        return 0;
    case SCHEDOP_shutdown:
        if (arch_copy_from_guest(curr->domain, &s, arg, sizeof(s)) != 0)
            return -EFAULT;
        /* Xen keeps the reason in a byte: any value is accepted, truncated. */
        domain_shutdown(curr->domain, (uint8_t)s.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (arch_copy_from_guest(curr->domain, &s, arg, sizeof(s)) != 0)
            return -EFAULT;
        domain_set_shutdown_code(curr->domain, (uint8_t)s.reason);
        return 0;
    case SCHEDOP_poll:
        return sched_op_poll(curr, arg);
    case SCHEDOP_remote_shutdown:
        return sched_op_remote_shutdown(curr, arg);
    default:
        return -ENOSYS; /* watchdog and pin_override are not implemented */
    }
}
