/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MOV to CR4 from a PVH guest. CR4 writes are intercepted because the VMCB's CR4 is
 * checked only at the next VMRUN: a bit the CPU or the guest's CPUID does not offer (LA57,
 * PKE, VMXE, a reserved one) made that VMRUN fail, which ends the domain, where the
 * guest should have taken #GP at its instruction. The valid bits follow the guest's CPUID
 * (cpuid_policy.c), as Xen's hvm_cr4_guest_valid_bits do.
 *
 * The intercept reports no operand (QEMU's SVM has no decode assists), so the instruction
 * is read at CS:RIP (insn_fetch.c) and decoded (mmio_decode.c: 0F 22 /r, CR 4 from
 * ModRM.reg + REX.R, the source from ModRM.rm + REX.B, a register whatever ModRM.mod
 * says). Anything else there (the guest rewrote it, or its bytes cannot be read) is #UD.
 */
#include <asm/cpuid_policy.h>
#include <asm/insn_fetch.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define X86_EXC_GP_VEC 13
#define X86_EXC_UD_VEC 6
#define CR4            4

void x86_exit_cr4_write(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint32_t l1[4], l7[4];
    struct insn_fetch f;
    struct insn_mov_cr mov;
    struct hvm_paging p;
    uint64_t val;

    (void)exit;
    x86_insn_fetch(v, &f);
    if (insn_decode_mov_to_cr(f.bytes, f.n, f.mode, &mov) != MMIO_DECODE_OK || mov.cr != CR4) {
        hvm->inject_exception(v, X86_EXC_UD_VEC, -1); /* not an instruction we know */
        return;
    }
    val = *x86_gpr(r, mov.gpr);
    if (f.mode != MMIO_MODE_64)
        val = (uint32_t)val; /* MOV CR is 64-bit in 64-bit mode, 32-bit elsewhere */
    hvm->get_paging(v, &p);
    x86_guest_cpuid(v, 1, 0, l1);
    x86_guest_cpuid(v, 7, 0, l7);
    if (!cr4_write_ok(p.cr4, val, cr4_guest_valid_bits(l1, l7, (l1[CPUID_ECX] >> 26) & 1),
                      (p.efer & EFER_LMA) != 0, p.cr3)) {
        hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
        return;
    }
    hvm->set_cr4(v, val);
    x86_insn_skip(v, f.mode, mov.len);
}
