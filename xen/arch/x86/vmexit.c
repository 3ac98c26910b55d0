/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest exits, by reason: a const table indexed by enum hvm_exit_reason, as the arm64
 * port indexes one by ESR.EC. Everything here is vendor-neutral: the back end decoded the
 * exit and does the register and event plumbing.
 *
 *   CPUID     the host's leaves through the policy (cpuid_policy.c), plus the hypervisor
 *             bit, x2APIC and TSC-deadline (the virtual LAPIC, vlapic.c), and Xen's leaves
 *             at 0x40000000 ("XenVMMXenVMM", version, hypercall-page MSR, TSC rate, HVM
 *             features)
 *   MSR       the hypercall-page MSR, EFER (in the VMCB), the x2APIC and TSC_DEADLINE
 *             MSRs (vlapic.c), then the MSR policy (msr_policy.c: MTRRs, PAT, DEBUGCTL,
 *             ...); anything else is #GP, as on Xen 4.17
 *   I/O       there are no devices: reads see all ones, writes vanish, string I/O too
 *             (INS stores all ones, both advance their index registers, as Xen's emulator
 *             does for a port nobody claims); port 0xe9 is the debug console
 *             ("(dN) ..." lines), as Xen offers HVM guests
 *   CR4       MOV to CR4 is checked against the CPUID policy (cr4.c), else #GP
 *   ICEBP     INT1 is reflected to the guest as #DB, as Xen does
 *   NPF       outside the domain's memory: MMIO (mmio.c: the xAPIC page, the hardware
 *             domain's I/O APIC, all ones elsewhere); a fetch from there ends the domain
 *   shutdown  a triple fault ends that domain, never the machine
 *   XSETBV    validated against the XCR0 features CPUID offers (xstate.c), else #GP
 *   WBINVD/INVD  ignored, as Xen does for guests without passthrough devices
 */
#include <asm/cpuid_policy.h>
#include <asm/insn_fetch.h>
#include <asm/msr_policy.h>
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/xen.h>

#define XEN_CPUID_BASE                0x40000000u
#define XEN_CPUID_LEAVES              5 /* 0x40000000..0x40000004 */
#define XEN_MSR_HYPERCALL             0x40000000u
#define XEN_VERSION_MAJOR             4
#define XEN_VERSION_MINOR             17
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT   (1u << 4)
#define XEN_HVM_CPUID_UPCALL_VECTOR   (1u << 6)
#define CPUID1_ECX_X2APIC             (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE       (1u << 24)
#define CPUID1_ECX_HYPERVISOR         (1u << 31)
#define CR4_OSXSAVE                   (1u << 18)

#define MSR_TSC         0x10
#define MSR_MISC_ENABLE 0x1a0
#define DEBUG_PORT      0xe9
#define X86_EXC_DB_VEC  1
#define X86_EXC_GP_VEC  13
#define X86_EXC_UD_VEC  6
#define RFLAGS_DF       (1u << 10)
#define IO_STRING_BATCH 1024 /* REP INS/OUTS iterations per exit */

typedef void (*exit_handler_t)(struct vcpu *v, const struct hvm_exit *exit);

static void skip(struct vcpu *v, const struct hvm_exit *exit)
{
    x86_vcpu(v)->regs.rip += exit->ins_len;
}

static void exit_none(struct vcpu *v, const struct hvm_exit *exit)
{
    (void)v;
    (void)exit;
}

/* What CPUID leaf/sub answers v: Xen's leaves, or the host's through the policy. */
void x86_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    struct cpuid_regs c = {0, 0, 0, 0};

    if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x100) {
        switch (leaf - XEN_CPUID_BASE) {
        case 0:
            c.eax = XEN_CPUID_BASE + XEN_CPUID_LEAVES - 1;
            memcpy(&c.ebx, "XenV", 4);
            memcpy(&c.ecx, "MMXe", 4);
            memcpy(&c.edx, "nVMM", 4);
            break;
        case 1:
            c.eax = XEN_VERSION_MAJOR << 16 | XEN_VERSION_MINOR;
            break;
        case 2:
            c.eax = 1; /* hypercall pages */
            c.ebx = XEN_MSR_HYPERCALL;
            break;
        case 3:
            /* TSC: sub-leaf 0 ECX = the guest's TSC rate in kHz, sub-leaf 2 EAX = the
             * host's; the same here (no TSC scaling), constant (tsc_mode 0, no vTSC). */
            if (sub == 0)
                c.ecx = (uint32_t)(tsc_hz() / 1000);
            else if (sub == 2)
                c.eax = (uint32_t)(tsc_hz() / 1000);
            break;
        case 4:
            c.eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT |
                    XEN_HVM_CPUID_UPCALL_VECTOR;
            c.ebx = v->vcpu_id;
            c.ecx = v->domain->domain_id;
            break;
        default:
            break;
        }
    } else {
        uint32_t x[4];

        c = cpuid(leaf, sub);
        x[0] = c.eax, x[1] = c.ebx, x[2] = c.ecx, x[3] = c.edx;
        cpuid_policy_filter(leaf, sub, x);
        c = (struct cpuid_regs){x[0], x[1], x[2], x[3]};
        if (leaf == 1) {
            struct hvm_paging p;

            hvm->get_paging(v, &p);
            c.ebx = (c.ebx & 0x00ffffff) | v->vcpu_id << 24; /* initial APIC id */
            c.ecx |= CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE | CPUID1_ECX_HYPERVISOR;
            c.ecx = xstate_cpuid1_ecx(v, c.ecx, p.cr4); /* XSAVE/AVX: what we switch */
        } else if (leaf == 0xd) {
            uint32_t x[4];

            xstate_cpuid_d(v, sub, x);
            c = (struct cpuid_regs){x[0], x[1], x[2], x[3]};
        } else if (leaf == 0xb) {
            c.edx = v->vcpu_id; /* x2APIC id */
        }
    }
    out[0] = c.eax, out[1] = c.ebx, out[2] = c.ecx, out[3] = c.edx;
}

unsigned int x86_guest_maxphyaddr(struct vcpu *v)
{
    uint32_t c[4];

    x86_guest_cpuid(v, 0x80000000, 0, c);
    if (c[0] < 0x80000008)
        return 36; /* the architectural default without the leaf */
    x86_guest_cpuid(v, 0x80000008, 0, c);
    return c[0] & 0xff;
}

static void exit_cpuid(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint32_t c[4];

    x86_guest_cpuid(v, (uint32_t)r->rax, (uint32_t)r->rcx, c);
    r->rax = c[0];
    r->rbx = c[1];
    r->rcx = c[2];
    r->rdx = c[3];
    skip(v, exit);
}

static void exit_hlt(struct vcpu *v, const struct hvm_exit *exit)
{
    struct x86_vcpu *xv = x86_vcpu(v);
    bool woken = xv->regs.rip == xv->irq_injected_at;

    /*
     * An interrupt injected at this very HLT (its handler has just returned here) is the
     * interrupt that `sti; hlt` waits for: taken before the HLT, as hardware never does
     * inside STI's shadow, it would leave the vCPU asleep with its wake-up spent. QEMU's
     * SVM loses the shadow across an exit (its VMRUN does not reload int_state), so the
     * window exit lands on the HLT. The HLT completes instead of sleeping; anywhere else
     * this is at worst one early return from HLT, which guests loop around.
     */
    xv->irq_injected_at = 0;
    skip(v, exit);
    if (!woken)
        vcpu_block(v); /* sleeps unless an interrupt is already waiting for it */
}

/*
 * The address size of the string I/O instruction at CS:RIP (insn_addr_bits: the mode's,
 * switched by a 0x67 prefix). Read from the instruction rather than the exit's
 * address-size bits, which QEMU's SVM does not fill as AMD's manual lays them out (one
 * bit higher), so they are not to be trusted.
 */
static unsigned int io_addr_bits(struct vcpu *v)
{
    struct insn_fetch f;

    x86_insn_fetch(v, &f);
    return insn_addr_bits(f.bytes, f.n, f.mode);
}

/*
 * INS/OUTS (with or without REP) to a port: INS stores all ones at ES:rDI, OUTS reads
 * DS:rSI (port 0xe9 prints it); both step their index by the size (down with RFLAGS.DF)
 * and a REP runs rCX times, IO_STRING_BATCH per exit (interrupts are masked here: a
 * guest's rCX of 2^64 must not hold the CPU; the instruction runs again for the rest, as
 * Xen's emulator batches a REP). The segments are taken as flat (base 0), as a PVH guest runs; the
 * registers wrap at the instruction's address size. A page that is not the guest's is #GP (Xen: a
 * fault).
 */
static void io_string(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    unsigned int abits = io_addr_bits(v);
    uint64_t amask = abits >= 64 ? ~0ull : (1ull << abits) - 1;
    uint64_t *idx = exit->io.in ? &r->rdi : &r->rsi;
    uint64_t count = exit->io.rep ? r->rcx & amask : 1;
    unsigned int size = exit->io.size, done = 0;
    int64_t step = r->rflags & RFLAGS_DF ? -(int64_t)size : (int64_t)size;

    for (; count > 0 && done < IO_STRING_BATCH; count--, done++) {
        uint64_t va = *idx & amask;
        uint8_t *p = arch_guest_va_to_ptr(v->domain, va, size, exit->io.in);

        if (p == NULL || ((va + size - 1) & amask) < va) {
            hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
            break;
        }
        if (exit->io.in)
            memset(p, 0xff, size);
        else if (exit->io.port == DEBUG_PORT)
            console_guest_write(v->domain, (const char *)p, 1);
        *idx = (*idx & ~amask) | ((*idx + (uint64_t)step) & amask);
        if (exit->io.rep)
            r->rcx = (r->rcx & ~amask) | ((r->rcx - 1) & amask);
    }
    if (count == 0)
        skip(v, exit); /* else RIP stays on it: the rest is another exit, after interrupts */
}

static void exit_io(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint64_t mask = exit->io.size >= 4 ? 0xffffffffull : (1ull << (8 * exit->io.size)) - 1;

    if (exit->io.string) {
        io_string(v, exit);
        return;
    }
    if (exit->io.in)
        r->rax = exit->io.size >= 4 ? mask : (r->rax & ~mask) | mask;
    else if (exit->io.port == DEBUG_PORT)
        console_guest_write(v->domain, (const char *)&r->rax, 1); /* the low byte: AL */
    skip(v, exit);
}

static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct hvm_paging p;

    switch (msr) {
    case MSR_EFER:
        hvm->get_paging(v, &p);
        *val = p.efer & ~(uint64_t)EFER_SVME;
        return true;
    case MSR_TSC:
        *val = rdtsc();
        return true;
    case MSR_MISC_ENABLE:
        *val = 1; /* fast strings */
        return true;
    default:
        return vlapic_msr_read(v, msr, val) || msr_policy_read(&x86_vcpu(v)->msrs, msr, val);
    }
}

static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case XEN_MSR_HYPERCALL:
        /* Page index in the low 12 bits: we offer one page. */
        return (val & 0xfff) == 0 && x86_write_hypercall_page(v, val) == 0;
    case MSR_EFER:
        return hvm->set_efer(v, val);
    case MSR_MISC_ENABLE:
        return true; /* accepted, no effect */
    default:
        return vlapic_msr_write(v, msr, val) ||
               msr_policy_write(&x86_vcpu(v)->msrs, msr, val, x86_guest_maxphyaddr(v));
    }
}

static void exit_msr(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint64_t val;

    if (exit->reason == HVM_EXIT_MSR_READ) {
        if (!msr_read(v, exit->msr, &val)) {
            hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
            return;
        }
        r->rax = (uint32_t)val;
        r->rdx = val >> 32;
    } else {
        val = (uint32_t)r->rax | r->rdx << 32;
        if (!msr_write(v, exit->msr, val)) {
            hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
            return;
        }
    }
    skip(v, exit);
}

static void exit_hypercall(struct vcpu *v, const struct hvm_exit *exit)
{
    skip(v, exit); /* before: a continuation rewinds RIP itself */
    x86_hypercall(v);
}

static void exit_triple_fault(struct vcpu *v, const struct hvm_exit *exit)
{
    struct hvm_paging p;

    (void)exit;
    /* What the guest saw last: its state, and its walks of the fault address and stack. */
    hvm->dump_state(v);
    hvm->get_paging(v, &p);
    x86_dump_guest_walk(v, p.cr2);
    x86_dump_guest_walk(v, x86_vcpu(v)->regs.rsp);
    x86_domain_crash(v->domain, "triple fault");
}

/*
 * A nested page fault: an access outside the domain's memory. Data accesses are MMIO
 * (mmio.c: the xAPIC page, the I/O APIC, all ones elsewhere); an instruction fetch from
 * there, the guest's own page tables there, or an event delivered through there (its IDT
 * or stack: the instruction at RIP did not make that access) cannot be served and end the
 * domain, as does a fault at an address its tables do map (nothing should cause one but
 * a write to a read-only grant mapping).
 */
static void exit_npf(struct vcpu *v, const struct hvm_exit *exit)
{
    char why[112];
    paddr_t hpa;

    /* A write to a read-only grant mapping is the guest's mistake, not ours: #GP, as on
     * Xen. */
    if (exit->npf.write && !exit->npf.fetch && !exit->npf.table_walk && !exit->npf.in_delivery &&
        npt_query(v->domain, exit->npf.gpa & ~(uint64_t)(PAGE_SIZE - 1), &hpa) ==
            PHYSMAP_GRANT_RO) {
        hvm->inject_exception(v, X86_EXC_GP, 0);
        return;
    }
    if (!exit->npf.fetch && !exit->npf.table_walk && !exit->npf.in_delivery &&
        npt_lookup(v->domain, exit->npf.gpa, NULL) == 0) {
        x86_mmio_access(v, exit);
        return;
    }
    xen_snprintf(why, sizeof(why), "nested page fault at gpa 0x%llx (%s) outside its memory",
                 (unsigned long long)exit->npf.gpa,
                 exit->npf.fetch         ? "fetch"
                 : exit->npf.table_walk  ? "page-table walk"
                 : exit->npf.in_delivery ? "event delivery"
                 : exit->npf.write       ? "write"
                                         : "read");
    x86_domain_crash(v->domain, why);
}

static void exit_intr_window(struct vcpu *v, const struct hvm_exit *exit)
{
    (void)exit;
    x86_vcpu(v)->interrupt_window_requested = false; /* the run loop injects now */
}

static void exit_ud(struct vcpu *v, const struct hvm_exit *exit)
{
    (void)exit;
    hvm->inject_exception(v, X86_EXC_UD_VEC, -1);
}

/* XSETBV: XCR0 is the guest's while it runs, so only values CPUID offers it get in. */
static void exit_xsetbv(struct vcpu *v, const struct hvm_exit *exit)
{
    struct guest_regs *r = &x86_vcpu(v)->regs;
    struct hvm_paging p;

    hvm->get_paging(v, &p);
    if (!(p.cr4 & CR4_OSXSAVE)) {
        hvm->inject_exception(v, X86_EXC_UD_VEC, -1);
        return;
    }
    if (hvm->cpl(v) != 0 ||
        !xstate_set_xcr0(v, (uint32_t)r->rcx, (uint32_t)r->rax | (r->rdx & 0xffffffffu) << 32)) {
        hvm->inject_exception(v, X86_EXC_GP_VEC, 0);
        return;
    }
    skip(v, exit);
}

/* ICEBP (INT1, 0xf1): Xen reflects it to the guest as the #DB trap it is on hardware,
 * RIP past the instruction. */
static void exit_icebp(struct vcpu *v, const struct hvm_exit *exit)
{
    skip(v, exit);
    hvm->inject_exception(v, X86_EXC_DB_VEC, -1);
}

/* WBINVD/INVD: as Xen does for a guest without passthrough devices, nothing (its caches
 * hold no device's data), rather than flushing every cache under the other guests. */
static void exit_cache_flush(struct vcpu *v, const struct hvm_exit *exit)
{
    skip(v, exit);
}

static void exit_failed(struct vcpu *v, const struct hvm_exit *exit)
{
    char why[64];

    xen_snprintf(why, sizeof(why), "unexpected exit 0x%llx", (unsigned long long)exit->raw);
    x86_domain_crash(v->domain, why);
}

static const exit_handler_t exit_handlers[HVM_NR_EXITS] = {
    [HVM_EXIT_NONE] = exit_none,
    [HVM_EXIT_CPUID] = exit_cpuid,
    [HVM_EXIT_HLT] = exit_hlt,
    [HVM_EXIT_IO] = exit_io,
    [HVM_EXIT_MSR_READ] = exit_msr,
    [HVM_EXIT_MSR_WRITE] = exit_msr,
    [HVM_EXIT_HYPERCALL] = exit_hypercall,
    [HVM_EXIT_TRIPLE_FAULT] = exit_triple_fault,
    [HVM_EXIT_NPF] = exit_npf,
    [HVM_EXIT_INTR_WINDOW] = exit_intr_window,
    [HVM_EXIT_UD] = exit_ud,
    [HVM_EXIT_XSETBV] = exit_xsetbv,
    [HVM_EXIT_CACHE_FLUSH] = exit_cache_flush,
    [HVM_EXIT_CR4_WRITE] = x86_exit_cr4_write,
    [HVM_EXIT_ICEBP] = exit_icebp,
    [HVM_EXIT_FAILED] = exit_failed,
};

void x86_handle_exit(struct vcpu *v, const struct hvm_exit *exit)
{
    exit_handler_t h = exit->reason < HVM_NR_EXITS ? exit_handlers[exit->reason] : NULL;

    if (h == NULL)
        h = exit_failed;
    h(v, exit);
}
