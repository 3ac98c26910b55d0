/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest accesses to guest-physical addresses that are not the domain's memory (a nested
 * page fault outside its nested tables), emulated as Xen does for a PVH guest:
 *
 *   the xAPIC page   IA32_APIC_BASE's page while the vCPU's APIC is in xAPIC mode: its
 *                    virtual LAPIC's registers (vlapic.c)
 *   the I/O APIC     0xfec00000, the hardware domain only: a register file (vioapic.c)
 *   anything else    nothing is there: reads return all ones, writes are dropped
 *
 * QEMU's SVM gives neither decode assists nor next-RIP, so the instruction is read from the
 * guest at CS:RIP (insn_fetch.c: through its own page tables, from its RAM) and decoded
 * (mmio_decode.c), the access done, its register (or RFLAGS) written, RIP
 * moved past it. The MOV family, the ALU read-modify-writes and compares (ADD ... CMP,
 * TEST) and XCHG are emulated; any other instruction touching MMIO, or bytes that cannot
 * be read, get #GP(0), what Xen injects when it cannot emulate an MMIO access. A
 * read-modify-write is a read and then a write of the device (not atomic against another
 * vCPU's access: no device here has registers whose reads have side effects).
 * Everything read comes from the domain's own state or is all ones: never another
 * domain's data.
 *
 * Not modelled: an access that straddles a page boundary (served whole at the faulting
 * address), RFLAGS.TF single-step over the emulated instruction, and the STI/MOV SS
 * interrupt shadow of the instruction before it (left as the exit found it).
 */
#include <asm/insn_fetch.h>
#include <asm/vcpu.h>
#include <asm/vioapic.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>

#define X86_EXC_GP_VEC 13

static void access_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
    struct x86_domain *xd = x86_dom(v->domain);

    if (vlapic_mmio_read(v, gpa, size, val))
        return;
    if (is_hardware_domain(v->domain) && gpa >= VIOAPIC_BASE && gpa < VIOAPIC_BASE + VIOAPIC_SIZE) {
        unsigned long flags = spin_lock_irqsave(&xd->vioapic_lock);

        *val = vioapic_read(&xd->vioapic, (uint32_t)(gpa - VIOAPIC_BASE), size);
        spin_unlock_irqrestore(&xd->vioapic_lock, flags);
        return;
    }
    *val = ~0ull; /* nothing there */
}

static void access_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val)
{
    struct x86_domain *xd = x86_dom(v->domain);

    if (vlapic_mmio_write(v, gpa, size, val))
        return;
    if (is_hardware_domain(v->domain) && gpa >= VIOAPIC_BASE && gpa < VIOAPIC_BASE + VIOAPIC_SIZE) {
        unsigned long flags = spin_lock_irqsave(&xd->vioapic_lock);

        vioapic_write(&xd->vioapic, (uint32_t)(gpa - VIOAPIC_BASE), size, (uint32_t)val);
        spin_unlock_irqrestore(&xd->vioapic_lock, flags);
    }
    /* else nothing there: dropped */
}

/* The first refusal of each domain goes to the console (a guest could repeat it forever). */
static void refused(struct vcpu *v, uint64_t gpa, const uint8_t *bytes, size_t n, bool short_read)
{
    struct x86_domain *xd = x86_dom(v->domain);
    char hex[3 * MMIO_INSN_MAX + 1] = "";

    hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
    if (__atomic_exchange_n(&xd->mmio_refusal_logged, true, __ATOMIC_RELAXED))
        return;
    for (size_t i = 0; i < n; i++)
        xen_snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x", bytes[i]);
    printk("minixen: domain %u (%s): MMIO at gpa 0x%llx by %s at rip 0x%llx (%s): #GP "
           "(reported once)\n",
           v->domain->domain_id, v->domain->name, (unsigned long long)gpa,
           short_read ? "an instruction it cannot read" : "an instruction not emulated",
           (unsigned long long)x86_vcpu(v)->regs.rip, n ? hex + 1 : "no bytes");
}

void x86_mmio_access(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint64_t gpa = exit->npf.gpa, val, *reg;
    struct insn_fetch f;
    struct mmio_insn insn;
    enum mmio_decode_result res;

    x86_insn_fetch(v, &f);
    res = mmio_decode(f.bytes, f.n, f.mode, &insn);
    if (res != MMIO_DECODE_OK) {
        refused(v, gpa, f.bytes, f.n, res == MMIO_DECODE_SHORT);
        return;
    }
    reg = x86_gpr(r, insn.reg);
    switch (insn.op) {
    case MMIO_STORE:
    case MMIO_STORE_IMM:
        access_write(v, gpa, insn.size, mmio_source_value(&insn, *reg));
        break;
    case MMIO_ALU:
        /* Read, operate, write back the one destination (none for CMP and TEST). */
        access_read(v, gpa, insn.size, &val);
        if (insn.mem_dest) {
            val = mmio_alu(&insn, val, mmio_source_value(&insn, *reg), &r->rflags);
            if (mmio_alu_writes(&insn))
                access_write(v, gpa, insn.size, val);
        } else {
            val = mmio_alu(&insn, mmio_source_value(&insn, *reg), val, &r->rflags);
            if (mmio_alu_writes(&insn))
                *reg = mmio_load_result(&insn, *reg, val);
        }
        break;
    case MMIO_XCHG:
        access_read(v, gpa, insn.size, &val);
        access_write(v, gpa, insn.size, mmio_source_value(&insn, *reg));
        *reg = mmio_load_result(&insn, *reg, val);
        break;
    default: /* the loads */
        access_read(v, gpa, insn.size, &val);
        *reg = mmio_load_result(&insn, *reg, val);
        break;
    }
    x86_insn_skip(v, f.mode, insn.len);
}
