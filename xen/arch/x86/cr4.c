/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MOV to CR4 from a PVH guest. CR4 writes are intercepted because the VMCB's CR4 is
 * checked only at the next VMRUN: a bit the CPU or the guest's CPUID does not offer (LA57,
 * PKE, VMXE, a reserved one) made that VMRUN fail, which ends the domain, where the
 * guest should have taken #GP at its instruction. The valid bits follow the guest's CPUID
 * (cpuid_policy.c), as Xen's hvm_cr4_guest_valid_bits do.
 *
 * The intercept reports no operand (QEMU's SVM has no decode assists), so the instruction
 * is read at RIP (the code segment flat, as a PVH guest's is) and decoded: legacy
 * prefixes, an optional REX (64-bit mode), 0F 22 /r with ModRM.reg (+REX.R) = 4; the
 * source is ModRM.rm (+REX.B), a register whatever ModRM.mod says.
 */
#include <asm/cpuid_policy.h>
#include <asm/vcpu.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define X86_EXC_GP_VEC 13
#define X86_EXC_UD_VEC 6
#define MAX_INSN       15

/* Guest register n in the instruction encoding's order (RAX, RCX, RDX, RBX, RSP, ...). */
static uint64_t *gpr(struct guest_regs *r, unsigned int n)
{
    uint64_t *const regs[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                                &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                                &r->r12, &r->r13, &r->r14, &r->r15};

    return regs[n & 15];
}

/* Decode MOV to CR4 at the guest's RIP: its length and source register, or false. */
static bool decode(struct vcpu *v, bool wide, unsigned int *len, unsigned int *src)
{
    const uint8_t *p = NULL;
    uint64_t rip = x86_vcpu(v)->regs.rip;
    unsigned int i = 0, rex = 0;

    if (!wide)
        rip &= 0xffffffffu;
    for (unsigned int n = MAX_INSN; n > 0 && p == NULL; n--) /* up to a page's end */
        p = arch_guest_va_to_ptr(v->domain, rip, n, false);
    for (; p != NULL && i < MAX_INSN - 3; i++) {
        uint8_t b = p[i];

        if (b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0x26 || b == 0x2e ||
            b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65)
            continue;
        if (wide && (b & 0xf0) == 0x40) {
            rex = b;
            continue;
        }
        break;
    }
    if (p == NULL || i >= MAX_INSN - 3 || p[i] != 0x0f || p[i + 1] != 0x22)
        return false;
    if ((((p[i + 2] >> 3) & 7) | (rex & 4 ? 8 : 0)) != 4)
        return false;
    *src = (p[i + 2] & 7) | (rex & 1 ? 8 : 0);
    *len = i + 3;
    return true;
}

void x86_exit_cr4_write(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    bool wide = hvm->is_64bit(v);
    uint32_t l1[4], l7[4];
    unsigned int len, src;
    struct hvm_paging p;
    uint64_t val;

    (void)exit;
    if (!decode(v, wide, &len, &src)) {
        hvm->inject_exception(v, X86_EXC_UD_VEC, -1); /* not an instruction we know */
        return;
    }
    val = *gpr(r, src);
    if (!wide)
        val = (uint32_t)val;
    hvm->get_paging(v, &p);
    x86_guest_cpuid(v, 1, 0, l1);
    x86_guest_cpuid(v, 7, 0, l7);
    if (!cr4_write_ok(p.cr4, val, cr4_guest_valid_bits(l1, l7, (l1[CPUID_ECX] >> 26) & 1),
                      (p.efer & EFER_LMA) != 0, p.cr3)) {
        hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
        return;
    }
    hvm->set_cr4(v, val);
    r->rip += len;
}
