/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event channels as the rest of the hypervisor sees them: the hypercall, VIRQs, and
 * notifications raised by the hypervisor itself.
 */
#ifndef MINIXEN_EVENT_H
#define MINIXEN_EVENT_H

#include <xen/domain.h>

/* HYPERVISOR_event_channel_op(cmd, arg): arg is the guest address of the op's struct. */
long do_event_channel_op(struct vcpu *curr, int cmd, gpaddr_t arg);

/* EVTCHNOP_send on behalf of ld (also for the hypervisor's own senders). */
int evtchn_send(struct domain *ld, evtchn_port_t port);

/*
 * A static interdomain channel (boot_config_bind_static_evtchns): ld's lport <-> rd's
 * rport, exactly those ports. -EINVAL (port 0, same port twice), -ENOSPC (beyond the
 * domain's limit or ABI), -EEXIST (port in use), -ENOMEM.
 */
int evtchn_bind_static(struct domain *ld, evtchn_port_t lport, struct domain *rd,
                       evtchn_port_t rport);

/* Domain life cycle. */
int evtchn_domain_init(struct domain *d);     /* port 0 reserved, 2-level, default limit */
void evtchn_domain_destroy(struct domain *d); /* closes every port (peers become unbound) */
/* Close every port and go back to the 2-level ABI and default limit; storage stays. */
void evtchn_domain_reset(struct domain *d);
/*
 * Restart of ld: its static channel lport <-> rd's rport again, if rd's end still waits
 * for ld (the reset closed ld's end). Otherwise (rd closed or reused its port) ld's end
 * waits, unbound, for rd to bind it, and -EEXIST says so.
 */
int evtchn_rebind_static(struct domain *ld, evtchn_port_t lport, struct domain *rd,
                         evtchn_port_t rport);

/*
 * A channel whose far end is the hypervisor (xen_peer.c): d's lowest free port, bound
 * interdomain to DOMID_XEN. 0 and *port, or -ENOSPC/-ENOMEM as for alloc_unbound.
 */
int evtchn_bind_xen_peer(struct domain *d, evtchn_port_t *port);
/* Is d's port still that channel (the guest may close it and reuse the number)? */
bool evtchn_is_xen_peer(struct domain *d, evtchn_port_t port);
/* The hypervisor's end notifies: port pending in d, if it is still that channel. */
void evtchn_raise_xen_peer(struct domain *d, evtchn_port_t port);
/*
 * The guest sent on such a port (EVTCHNOP_send, no lock held): the hypervisor's consumer
 * (pv_console.c). Implemented outside the event core.
 */
void xen_peer_notify(struct domain *d, evtchn_port_t port);
/* EVTCHNOP_reset closed every port of d: the hypervisor's channels come back (pv_console.c). */
void xen_peer_reset(struct domain *d);

/* vCPU v's vcpu_info moved (VCPUOP_register_vcpu_info): pending state follows. */
void evtchn_vcpu_info_moved(struct vcpu *v);

/* Raise a per-vCPU VIRQ (timer, debug) on v, or a global VIRQ (console, dom_exc). */
void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq);
void send_guest_global_virq(uint32_t virq);
bool virq_is_global(uint32_t virq);
/* Global VIRQs go to their handler domain (default: the hardware domain, id 0). */
struct domain *global_virq_owner(uint32_t virq);
int set_global_virq_handler(struct domain *d, uint32_t virq);

/*
 * Set v's evtchn_upcall_pending and, on 0 -> 1, raise the upcall. Every ABI signals
 * through this one function.
 */
void vcpu_mark_events_pending(struct vcpu *v);

/*
 * Make v take its upcall now that its evtchn_upcall_pending is set: the port marks the
 * interrupt (arch_vcpu_raise_upcall), and if v can take it, v is woken and its CPU kicked.
 */
void vcpu_raise_upcall(struct vcpu *v);

/*
 * Is v's evtchn_upcall_pending set? One load of vcpu_info's byte 0, which the guest may
 * write at any time: the answer is a snapshot, and every port asks it this way. Inline:
 * the vGIC asks on every way back into a guest.
 */
static inline bool vcpu_upcall_pending(const struct vcpu *v)
{
    const volatile uint8_t *info = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    return info != NULL && (*info & (1u << VCPU_INFO_UPCALL_PENDING_BIT)) != 0;
}

/* SCHEDOP_poll support: is any of the ports pending? (-EINVAL for a bad port) */
int evtchn_poll_any_pending(struct vcpu *v, const evtchn_port_t *ports, unsigned int n);

/*
 * How many ports d's current ABI addresses, read under d's event lock: the ABI's state
 * (3-level geometry, FIFO pages) may be freed by a concurrent EVTCHNOP_reset otherwise.
 */
uint32_t evtchn_abi_max_ports(struct domain *d);

/* Console debug key 'e': print every bound port of every domain, per ABI. */
void evtchn_dump_all(void);
void evtchn_dump_domain(struct domain *d);

#endif
