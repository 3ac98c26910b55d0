/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one way the port reads a guest instruction (<asm/insn_fetch.h>): at CS:RIP, the CS
 * base added outside 64-bit mode (32-bit code wraps at 4 GiB), through the guest's own
 * page tables (the walker hypercall arguments use: guest_mem.c), page by page, from pages
 * that are still the domain's RAM (not a frame replaced by shared_info), at most 15 bytes.
 * The bytes are copied once: the decoder never reads guest memory another vCPU can change
 * under it.
 */
#include <asm/insn_fetch.h>
#include <xen/arch_hooks.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define SEG_AR_DB BIT(10)

/* Up to MMIO_INSN_MAX bytes at linear address `at`. Returns how many were read. */
static size_t fetch(struct vcpu *v, uint64_t at, bool wrap32, uint8_t *buf)
{
    size_t n = 0;

    while (n < MMIO_INSN_MAX) {
        uint64_t va = wrap32 ? (at + n) & 0xffffffffull : at + n, gpa;
        const uint8_t *page;
        size_t off, chunk;

        if (guest_va_to_gpa(v, va, &gpa) != 0 ||
            (page = arch_map_guest_frame(v->domain, gpa >> PAGE_SHIFT)) == NULL)
            break;
        off = gpa & (PAGE_SIZE - 1);
        chunk = MIN(PAGE_SIZE - off, MMIO_INSN_MAX - n);
        for (size_t i = 0; i < chunk; i++)
            buf[n + i] = ((const volatile uint8_t *)page)[off + i]; /* the guest may write it */
        n += chunk;
    }
    return n;
}

void x86_insn_fetch(struct vcpu *v, struct insn_fetch *f)
{
    uint64_t rip = x86_vcpu(v)->regs.rip;
    struct hvm_seg cs;

    if (hvm->is_64bit(v)) {
        f->mode = MMIO_MODE_64;
        f->n = fetch(v, rip, false, f->bytes);
        return;
    }
    hvm->get_cs(v, &cs);
    f->mode = (cs.ar & SEG_AR_DB) ? MMIO_MODE_32 : MMIO_MODE_16;
    f->n = fetch(v, cs.base + (rip & 0xffffffffull), true, f->bytes);
}

void x86_insn_skip(struct vcpu *v, enum mmio_mode mode, unsigned int len)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;

    r->rip += len;
    if (mode != MMIO_MODE_64)
        r->rip &= 0xffffffffull;
}

uint64_t *x86_gpr(struct guest_regs *r, unsigned int n)
{
    uint64_t *const by_number[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                                     &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                                     &r->r12, &r->r13, &r->r14, &r->r15};

    return by_number[n & 15];
}
