/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_vcpu_op(cmd, vcpuid, arg), as Xen 4.17 does it (xen/common/domain.c
 * do_vcpu_op, map_vcpu_info). Which ops a guest may use depends on its kind
 * (xen/include/xen/guest_kind.h): ARM guests get register_vcpu_info and
 * register_runstate_memory_area only, as on Xen.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/evtchn.h>
#include <xen/fence.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/nospec.h>
#include <xen/sched.h>
#include <xen/vcpu_time.h>
#include <public/sched.h>
#include <public/vcpu.h>

/*
 * Move v's vcpu_info to byte `offset` of guest frame `gfn`. The area must fit in the page
 * and be aligned to the guest's xen_ulong_t (XSA-327: a misaligned one made the atomics
 * on it fault), -ENXIO otherwise; once per vCPU, and only on itself or on a vCPU that is
 * down (-EINVAL). Pending state follows: everything is marked pending in the new place.
 */
static long register_vcpu_info(struct vcpu *curr, struct vcpu *v, gpaddr_t arg)
{
    struct domain *d = v->domain;
    const struct guest_layout *l = d->guest_layout;
    struct vcpu_register_vcpu_info info;
    struct domain_locked dl;
    unsigned long flags;
    uint8_t *page;
    long rc = 0;

    if (arch_copy_from_guest(curr->domain, &info, arg, sizeof(info)) != 0)
        return -EFAULT;
    if (info.offset > PAGE_SIZE - l->vcpu_info_size || info.offset % (l->word_bits / 8) != 0)
        return -ENXIO;
    if (READ_ONCE(v->vcpu_info_registered))
        return -EINVAL;
    if (v != curr && vcpu_is_online(v))
        return -EINVAL;
    page = arch_map_guest_frame(d, info.mfn);
    if (page == NULL)
        return -EINVAL;

    /*
     * Under the event lock, no event is set pending on v meanwhile: everything pending in
     * the old place is copied, and whatever arrives later finds the new one.
     */
    dl = evtchn_lock(d, &flags);
    if (v->vcpu_info_registered) {
        rc = -EINVAL; /* another vCPU of d got there first */
    } else {
        memcpy(page + info.offset, v->vcpu_info, l->vcpu_info_size);
        __atomic_store_n(&v->vcpu_info, page + info.offset, __ATOMIC_RELEASE);
        v->vcpu_info_registered = true;
        /* The copy carries whatever the guest left in the old slot: write ours again. */
        vcpu_time_publish(v);
        evtchn_vcpu_info_moved(v);
    }
    evtchn_unlock(dl, flags);
    if (rc != 0)
        arch_unmap_guest_frame(d, page);
    return rc;
}

/*
 * Keep v's runstate at guest virtual address `addr` (0: stop). The scheduler rewrites it
 * each time v is switched in; when v is the caller it is written at once, and an address
 * the caller cannot write is refused (-EINVAL, as Xen on ARM checks it at registration).
 * A 32-bit x86 guest's address is its 4-byte handle alone, as Xen's compat path reads it:
 * the union's upper half is whatever the guest left there.
 */
static long register_runstate_area(struct vcpu *curr, struct vcpu *v, gpaddr_t arg)
{
    uint64_t addr;

    if (hypercall_compat32(curr)) {
        struct vcpu_register_runstate_memory_area_x86_32 area;

        if (arch_copy_from_guest(curr->domain, &area.addr.h, arg, sizeof(area.addr.h)) != 0)
            return -EFAULT;
        addr = area.addr.h.p;
    } else {
        struct vcpu_register_runstate_memory_area_64 area;

        if (arch_copy_from_guest(curr->domain, &area, arg, sizeof(area)) != 0)
            return -EFAULT;
        addr = area.addr.p;
    }
    WRITE_ONCE(v->runstate_area, addr);
    if (v == curr && addr != 0 && sched_write_runstate_area(v) != 0) {
        WRITE_ONCE(v->runstate_area, 0);
        return -EINVAL;
    }
    return 0;
}

static long get_runstate_info(struct vcpu *curr, struct vcpu *v, gpaddr_t arg)
{
    uint8_t buf[48];
    size_t len = sched_runstate_snapshot(v, buf);

    return arch_copy_to_guest(curr->domain, arg, buf, len) != 0 ? -EFAULT : 0;
}

static long set_singleshot_timer(struct vcpu *curr, struct vcpu *v, gpaddr_t arg)
{
    struct domain *d = curr->domain;
    uint64_t timeout;
    uint32_t flags;

    if (v != curr)
        return -EINVAL;
    if (hypercall_compat32(curr)) {
        struct vcpu_set_singleshot_timer_x86_32 t;

        if (arch_copy_from_guest(d, &t, arg, sizeof(t)) != 0)
            return -EFAULT;
        timeout = t.timeout_abs_ns[0] | (uint64_t)t.timeout_abs_ns[1] << 32;
        flags = t.flags;
    } else {
        struct vcpu_set_singleshot_timer_64 t;

        if (arch_copy_from_guest(d, &t, arg, sizeof(t)) != 0)
            return -EFAULT;
        timeout = t.timeout_abs_ns;
        flags = t.flags;
    }
    if ((flags & VCPU_SSHOTTMR_future) && timeout < arch_now_ns())
        return -ETIME;
    /* A deadline of 0 is long past: fire now (0 would mean "no timer" to the scheduler). */
    vcpu_set_guest_timer(v, timeout != 0 ? timeout : 1);
    return 0;
}

/*
 * The first context of a vCPU that has never run (Xen: arch_initialise_vcpu), which
 * VCPUOP_up then starts. Once per vCPU: a vCPU that has run, or was initialised
 * already, has its context (-EEXIST, as Xen's is_initialised check).
 */
static long vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    int rc;

    if (__atomic_load_n(&v->sched_initialised, __ATOMIC_ACQUIRE))
        return -EEXIST;
    rc = arch_vcpu_initialise(v, arg);
    if (rc == 0)
        __atomic_store_n(&v->sched_initialised, true, __ATOMIC_RELEASE); /* up may start it */
    return rc;
}

/* The last vCPU going down takes the domain with it (Xen: poweroff). */
static long vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;
    uint32_t i;

    for (i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != v && vcpu_is_online(d->vcpu[i]))
            break;
    if (i == d->max_vcpus)
        domain_shutdown(d, SHUTDOWN_poweroff);
    else
        vcpu_set_online(v, false);
    return 0;
}

/* args: cmd, vcpuid (of the caller's domain), guest address of the op's struct. */
long hypercall_vcpu_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    const struct guest_kind *k = guest_kind_of(curr->domain);
    unsigned int cmd = (unsigned int)args[0];
    gpaddr_t arg = args[2];
    struct vcpu *v;

    if (cmd >= 32 || !(k->vcpu_ops & (1u << cmd)))
        return k->vcpu_op_refused;
    if (args[1] >= curr->domain->max_vcpus)
        return -ENOENT;
    v = domain_vcpu(curr->domain, array_index_nospec((uint32_t)args[1], curr->domain->max_vcpus));
    if (v == NULL)
        return -ENOENT;

    switch (cmd) {
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(curr, v, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(curr, v, arg);
    case VCPUOP_get_runstate_info:
        return get_runstate_info(curr, v, arg);
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);
    case VCPUOP_is_up:
        return vcpu_is_online(v);
    case VCPUOP_up:
        /* Only a vCPU that has a context to resume (Xen: is_initialised). */
        if (!READ_ONCE(v->sched_initialised))
            return -EINVAL;
        vcpu_set_online(v, true);
        return 0;
    case VCPUOP_down:
        return vcpu_down(v);
    case VCPUOP_set_singleshot_timer:
        return set_singleshot_timer(curr, v, arg);
    case VCPUOP_stop_singleshot_timer:
        if (v != curr)
            return -EINVAL;
        vcpu_set_guest_timer(v, 0);
        return 0;
    default:
        return -ENOSYS;
    }
}
