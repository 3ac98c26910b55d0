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
 * guest at CS:RIP (through its own page tables, like hypercall arguments: guest_mem.c)
 * and decoded here (mmio_decode.c), the access done, its register (or RFLAGS) written, RIP
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
#include <asm/mmio_decode.h>
#include <asm/vcpu.h>
#include <asm/vioapic.h>
#include <xen/arch_hooks.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>

#define X86_EXC_GP_VEC 13
#define SEG_AR_DB      BIT(10)

/* The guest register of an encoding's number (0 = rAX ... 15 = r15). */
static uint64_t *gpr(struct guest_regs *r, unsigned int n)
{
    uint64_t *const by_number[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                                     &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                                     &r->r12, &r->r13, &r->r14, &r->r15};

    return by_number[n & 15];
}

/*
 * Up to MMIO_INSN_MAX bytes of the instruction at linear address `at`, page by page
 * while the guest's tables and the domain's RAM (still mapped as RAM) have them.
 * 32-bit code wraps at 4 GiB. Returns how many bytes were read.
 */
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
    uint8_t bytes[MMIO_INSN_MAX];
    struct mmio_insn insn;
    enum mmio_decode_result res;
    enum mmio_mode mode;
    struct hvm_seg cs;
    size_t n;
    bool wrap32;

    hvm->get_cs(v, &cs);
    if (hvm->is_64bit(v)) {
        mode = MMIO_MODE_64;
        wrap32 = false;
        n = fetch(v, r->rip, false, bytes);
    } else {
        mode = (cs.ar & SEG_AR_DB) ? MMIO_MODE_32 : MMIO_MODE_16;
        wrap32 = true;
        n = fetch(v, cs.base + (r->rip & 0xffffffffull), true, bytes);
    }
    res = mmio_decode(bytes, n, mode, &insn);
    if (res != MMIO_DECODE_OK) {
        refused(v, gpa, bytes, n, res == MMIO_DECODE_SHORT);
        return;
    }
    reg = gpr(r, insn.reg);
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
    r->rip += insn.len;
    if (wrap32)
        r->rip &= 0xffffffffull;
}
