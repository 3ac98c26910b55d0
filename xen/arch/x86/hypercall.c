/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercalls from PVH guests: VMMCALL with the number in RAX and the arguments in RDI,
 * RSI, RDX, R10, R8 (64-bit guests) or EBX, ECX, EDX, ESI, EDI (32-bit); the result goes
 * back in RAX. -ERESTART continues the call: RIP is rewound onto the VMMCALL with the
 * updated arguments, so the guest re-issues it (as Xen's continuations do).
 *
 * Until the common dispatch table (xen/common/hypercall.c) is linked, this file holds the
 * port's own small table of the calls its PVH guests need; the event-channel call goes to
 * the common code, the x86-only ones (hvm_op's callback vector and upcall vector,
 * shared_info placement) are the port's.
 */
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <public/features.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/version.h>

#define NR_ARGS        5
#define VMMCALL_LEN    3
#define STUB_SIZE      32
#define CONSOLE_CHUNK  256
#define CONSOLE_MAX    4096 /* bytes of one CONSOLEIO_write we print; the rest is dropped */

void x86_guest_console_putc(struct domain *d, char c);

typedef long (*hypercall_t)(struct vcpu *v, unsigned long args[NR_ARGS]);

static long hc_console_io(struct vcpu *v, unsigned long args[NR_ARGS])
{
    char buf[CONSOLE_CHUNK];
    unsigned long count = args[1], done = 0;

    if (args[0] != CONSOLEIO_write)
        return -ENOSYS;
    while (done < count && done < CONSOLE_MAX) {
        size_t n = (size_t)MIN((unsigned long)sizeof(buf), count - done);

        if (arch_copy_from_guest(v->domain, buf, args[2] + done, n) != 0)
            return -EFAULT;
        for (size_t i = 0; i < n; i++)
            x86_guest_console_putc(v->domain, buf[i]);
        done += n;
    }
    return (long)count;
}

static long hc_sched_op(struct vcpu *v, unsigned long args[NR_ARGS])
{
    struct sched_shutdown sd;

    switch (args[0]) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        x86_vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown:
        if (arch_copy_from_guest(v->domain, &sd, args[1], sizeof(sd)) != 0)
            return -EFAULT;
        x86_domain_end(v->domain, sd.reason);
        return 0;
    default:
        return -ENOSYS;
    }
}

static long hc_event_channel_op(struct vcpu *v, unsigned long args[NR_ARGS])
{
    return do_event_channel_op(v, (int)args[0], args[1]);
}

static long hc_xen_version(struct vcpu *v, unsigned long args[NR_ARGS])
{
    struct xen_feature_info fi;

    switch (args[0]) {
    case XENVER_version:
        return 4 << 16 | 17;
    case XENVER_get_features:
        if (arch_copy_from_guest(v->domain, &fi, args[1], sizeof(fi)) != 0)
            return -EFAULT;
        fi.submap = 0;
        if (fi.submap_idx == 0)
            fi.submap = 1u << XENFEAT_auto_translated_physmap |
                        1u << XENFEAT_supervisor_mode_kernel |
                        1u << XENFEAT_hvm_callback_vector;
        return arch_copy_to_guest(v->domain, args[1], &fi, sizeof(fi));
    default:
        return -ENOSYS;
    }
}

static long hc_memory_op(struct vcpu *v, unsigned long args[NR_ARGS])
{
    struct xen_add_to_physmap_64 a64;
    struct xen_add_to_physmap_x86_32 a32;
    uint64_t space, idx, gpfn;
    domid_t domid;

    if (args[0] != XENMEM_add_to_physmap)
        return -ENOSYS;
    if (hvm->is_64bit(v)) {
        if (arch_copy_from_guest(v->domain, &a64, args[1], sizeof(a64)) != 0)
            return -EFAULT;
        domid = a64.domid, space = a64.space, idx = a64.idx, gpfn = a64.gpfn;
    } else {
        if (arch_copy_from_guest(v->domain, &a32, args[1], sizeof(a32)) != 0)
            return -EFAULT;
        domid = a32.domid, space = a32.space, idx = a32.idx, gpfn = a32.gpfn;
    }
    if (domid != DOMID_SELF && domid != v->domain->domain_id)
        return -EPERM;
    if (space != XENMAPSPACE_shared_info || idx != 0)
        return -ENOSYS;
    return arch_guest_physmap_add_page(v->domain, gpfn, v->domain->shared_info);
}

static long hc_hvm_op(struct vcpu *v, unsigned long args[NR_ARGS])
{
    struct domain *d = v->domain;
    struct xen_hvm_param p;
    struct xen_hvm_evtchn_upcall_vector uv;
    struct vcpu *target;

    switch (args[0]) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        if (arch_copy_from_guest(d, &p, args[1], sizeof(p)) != 0)
            return -EFAULT;
        if (p.domid != DOMID_SELF && p.domid != d->domain_id)
            return -EPERM;
        if (p.index >= HVM_NR_PARAMS_MINIXEN)
            return -EINVAL;
        if (args[0] == HVMOP_get_param) {
            p.value = d->hvm_params[p.index];
            return arch_copy_to_guest(d, args[1], &p, sizeof(p));
        }
        if (p.index == HVM_PARAM_CALLBACK_IRQ) {
            uint64_t type = (p.value & HVM_PARAM_CALLBACK_IRQ_TYPE_MASK) >>
                            HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT;

            /* Only the vector type: there is no emulated interrupt controller for a GSI. */
            if (p.value != 0 && (type != HVM_PARAM_CALLBACK_TYPE_VECTOR ||
                                 (p.value & 0xff) < 0x10))
                return -EINVAL;
            x86_dom(d)->callback_vector = (uint8_t)p.value;
        }
        d->hvm_params[p.index] = p.value;
        return 0;
    case HVMOP_set_evtchn_upcall_vector:
        /*
         * Needs the virtual LAPIC's EOI (the guest's write to the APIC page), which is not
         * emulated yet: refuse rather than deliver one upcall and then none.
         */
        (void)uv;
        (void)target;
        return -ENOSYS;
    default:
        return -ENOSYS;
    }
}

static const hypercall_t hypercalls[] = {
    [__HYPERVISOR_console_io] = hc_console_io,
    [__HYPERVISOR_sched_op] = hc_sched_op,
    [__HYPERVISOR_event_channel_op] = hc_event_channel_op,
    [__HYPERVISOR_xen_version] = hc_xen_version,
    [__HYPERVISOR_memory_op] = hc_memory_op,
    [__HYPERVISOR_hvm_op] = hc_hvm_op,
};

void x86_hypercall(struct vcpu *v)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    bool wide = hvm->is_64bit(v);
    unsigned long nr = wide ? r->rax : (uint32_t)r->rax;
    unsigned long args[NR_ARGS];
    hypercall_t h = nr < ARRAY_SIZE(hypercalls) ? hypercalls[nr] : NULL;
    long ret;

    if (wide) {
        args[0] = r->rdi, args[1] = r->rsi, args[2] = r->rdx, args[3] = r->r10, args[4] = r->r8;
    } else {
        args[0] = (uint32_t)r->rbx, args[1] = (uint32_t)r->rcx, args[2] = (uint32_t)r->rdx;
        args[3] = (uint32_t)r->rsi, args[4] = (uint32_t)r->rdi;
    }
    ret = h != NULL ? h(v, args) : -ENOSYS;
    if (ret == -ERESTART) {
        r->rip -= VMMCALL_LEN;
        if (wide) {
            r->rdi = args[0], r->rsi = args[1], r->rdx = args[2], r->r10 = args[3], r->r8 = args[4];
        } else {
            r->rbx = args[0], r->rcx = args[1], r->rdx = args[2], r->rsi = args[3], r->rdi = args[4];
        }
        return;
    }
    r->rax = wide ? (uint64_t)ret : (uint32_t)ret;
}

/* One 32-byte stub per hypercall: mov $nr, %eax; vmmcall; ret (the same in 32 and 64 bits). */
int x86_write_hypercall_page(struct vcpu *v, uint64_t gpa)
{
    uint8_t *page = arch_map_guest_frame(v->domain, gpa >> PAGE_SHIFT);

    if (page == NULL)
        return -EFAULT;
    memset(page, 0xcc, PAGE_SIZE); /* int3 between stubs */
    for (unsigned int nr = 0; nr < PAGE_SIZE / STUB_SIZE; nr++) {
        uint8_t *s = page + nr * STUB_SIZE;

        s[0] = 0xb8; /* mov imm32, %eax */
        s[1] = (uint8_t)nr;
        s[2] = s[3] = s[4] = 0;
        s[5] = 0x0f, s[6] = 0x01, s[7] = 0xd9; /* vmmcall */
        s[8] = 0xc3;                            /* ret */
    }
    return 0;
}
