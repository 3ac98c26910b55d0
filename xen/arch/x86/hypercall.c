/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercalls from PVH guests: VMMCALL with the number in RAX and the arguments in RDI,
 * RSI, RDX, R10, R8 (64-bit guests) or EBX, ECX, EDX, ESI, EDI (32-bit); the result goes
 * back in RAX. The calls themselves are the common table's (xen/common/hypercall.c), the
 * same one the arm64 port dispatches to. -ERESTART continues the call: RIP is rewound
 * onto the VMMCALL with the updated arguments, so the guest re-issues it (as Xen's
 * continuations do). As on Xen, a call from guest user mode (CPL > 0) is -EPERM.
 */
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/domain.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>

#define VMMCALL_LEN 3
#define STUB_SIZE   32

void x86_hypercall(struct vcpu *v)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    bool wide = hvm->is_64bit(v);
    unsigned long nr = wide ? r->rax : (uint32_t)r->rax;
    unsigned long args[HYPERCALL_NR_ARGS];
    long ret;

    if (hvm->cpl(v) != 0) {
        r->rax = wide ? (uint64_t)-EPERM : (uint32_t)-EPERM;
        return;
    }
    if (wide) {
        args[0] = r->rdi, args[1] = r->rsi, args[2] = r->rdx, args[3] = r->r10, args[4] = r->r8;
    } else {
        args[0] = (uint32_t)r->rbx, args[1] = (uint32_t)r->rcx, args[2] = (uint32_t)r->rdx;
        args[3] = (uint32_t)r->rsi, args[4] = (uint32_t)r->rdi;
    }
    ret = hypercall_dispatch(v, nr, args);
    if (ret == -ERESTART) {
        r->rip -= VMMCALL_LEN;
        if (wide) {
            r->rdi = args[0], r->rsi = args[1], r->rdx = args[2], r->r10 = args[3], r->r8 = args[4];
        } else {
            r->rbx = args[0], r->rcx = args[1], r->rdx = args[2], r->rsi = args[3],
            r->rdi = args[4];
        }
        return;
    }
    r->rax = wide ? (uint64_t)ret : (uint32_t)ret;
}

/* Xen's hvm_guest_x86_mode() == 8 picks the 64-bit layout; any other mode, the 32-bit one. */
const struct guest_layout *arch_guest_layout_now(struct vcpu *v)
{
    return hvm->is_64bit(v) ? &guest_layout_x86_64 : &guest_layout_x86_32;
}

/* One 32-byte stub per hypercall: mov $nr, %eax; vmmcall; ret (the same in 32 and 64 bits). */
int x86_write_hypercall_page(struct vcpu *v, uint64_t gpa)
{
    uint8_t *page = arch_map_guest_frame(v->domain, gpa >> PAGE_SHIFT);

    if (page == NULL)
        return -EFAULT;
    domain_latch_guest_layout(v);  /* as Xen's hvm_init_hypercall_page() */
    memset(page, 0xcc, PAGE_SIZE); /* int3 between stubs */
    for (unsigned int nr = 0; nr < PAGE_SIZE / STUB_SIZE; nr++) {
        uint8_t *s = page + nr * STUB_SIZE;

        s[0] = 0xb8; /* mov imm32, %eax */
        s[1] = (uint8_t)nr;
        s[2] = s[3] = s[4] = 0;
        s[5] = 0x0f, s[6] = 0x01, s[7] = 0xd9; /* vmmcall */
        s[8] = 0xc3;                           /* ret */
    }
    return 0;
}
