/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SVM back end of <asm/hvm.h>: EFER.SVME and the host save area on each CPU, one VMCB
 * per vCPU, one ASID per domain, nested paging (npt.c) per domain, and the decoding of
 * every #VMEXIT into a vendor-neutral struct hvm_exit through a table by exit code.
 *
 * Intercepted: physical interrupts (so the hypervisor's timer and kicks always win), NMI,
 * SMI, INIT, the interrupt window (only while an injection waits), CPUID, HLT, every I/O
 * port and every MSR except the ones the VMCB holds for the guest anyway (syscall and
 * segment-base MSRs), shutdown (triple fault), task switches, INVD and WBINVD (ignored:
 * no device of the guest's can hold dirty lines, and a guest must not stall the CPU's
 * other guests by flushing every cache), XSETBV (XCR0 is not in the VMCB: xstate.c
 * validates and loads it), and the SVM instructions themselves (a guest cannot nest).
 * VMMCALL is the hypercall.
 */
#include <asm/domain.h>
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/svm.h>
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define CPUID_8000000A_EDX_NRIPS BIT(3)
#define IOPM_SIZE                (3 * PAGE_SIZE)
#define MSRPM_SIZE               (2 * PAGE_SIZE)

/* Segment attributes in the VMCB's compressed form. */
#define SEG_LDT 0x082 /* P, type 2 */
#define SEG_L   BIT(9)

/* EXITINFO1 of a nested page fault: the fault was on the guest's page-table walk. */
#define NPF_IN_GUEST_TABLES BIT64(33)

void svm_vmrun(paddr_t vmcb_pa, struct guest_regs *regs, paddr_t host_vmcb_pa);

struct svm_vcpu {
    struct vmcb *vmcb;
    paddr_t vmcb_pa;
    bool launched;           /* flush its ASID's TLB on the first run */
    uint64_t npt_generation; /* the domain's nested tables as of its last flush */
    uint64_t last_eventinj;  /* the last event injected at an entry: for crash reports */
};

static void *hsave_area[NR_CPUS];
static struct vmcb *last_vmcb[NR_CPUS]; /* the VMCB this CPU entered last */
static struct vmcb *host_vmcb[NR_CPUS];
static uint8_t *iopm, *msrpm; /* shared by every vCPU */
static uint32_t nr_asids;
static bool have_nrips;

static inline struct svm_vcpu *svm(struct vcpu *v)
{
    return x86_vcpu(v)->hvm_state;
}

/* The MSRs whose state the VMCB holds: the guest reads and writes them directly. */
static void msrpm_allow(uint32_t msr)
{
    uint32_t base, off;

    if (msr < 0x2000)
        base = 0, off = msr;
    else if (msr >= 0xc0000000 && msr < 0xc0002000)
        base = 0x800, off = msr - 0xc0000000;
    else
        return;
    /* Two bits per MSR (read, write), clear = not intercepted. */
    msrpm[base + off / 4] &= (uint8_t) ~(3u << (2 * (off % 4)));
}

static int svm_cpu_init(unsigned int cpu)
{
    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        printk("svm: cpu %u: SVM disabled by the firmware (VM_CR.SVMDIS)\n", cpu);
        return -EPERM;
    }
    if (hsave_area[cpu] == NULL) {
        hsave_area[cpu] = xzalloc_bytes(PAGE_SIZE);
        host_vmcb[cpu] = xzalloc_bytes(PAGE_SIZE);
        if (hsave_area[cpu] == NULL || host_vmcb[cpu] == NULL)
            return -ENOMEM;
    }
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, virt_to_phys(hsave_area[cpu]));
    return 0;
}

static int svm_domain_init(struct domain *d)
{
    /* ASID 0 is the host's. One per domain: its vCPUs share the guest-physical space. */
    if (d->domain_id + 1u >= nr_asids)
        return -ENOSPC;
    x86_dom(d)->asid = d->domain_id + 1u;
    return 0;
}

/*
 * The VMCB of a vCPU that never ran: intercepts, permission maps, ASID, nested tables,
 * everything else zero (no pending event, no interrupt window, no shadow). Both a new
 * vCPU and one whose domain reboots (svm_vcpu_reset) start from here.
 */
static void vmcb_setup(struct vcpu *v)
{
    struct svm_vcpu *s = svm(v);
    struct vmcb *vmcb = s->vmcb;

    memset(vmcb, 0, sizeof(*vmcb));
    s->launched = false; /* its first VMRUN flushes its ASID's TLB */
    s->npt_generation = 0;
    vmcb->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
                            SVM_INTERCEPT_INIT | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVD |
                            SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO |
                            SVM_INTERCEPT_MSR | SVM_INTERCEPT_TASKSW | SVM_INTERCEPT_SHUTDOWN;
    vmcb->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
                            SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
                            SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_ICEBP | SVM_INTERCEPT_WBINVD |
                            SVM_INTERCEPT_MONITOR | SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_XSETBV;
    /* CR4: a bit the guest may not have would fail the next VMRUN and end the domain;
     * intercepted, it is #GP instead (cr4.c). */
    vmcb->intercept_cr = SVM_INTERCEPT_CR_WRITE(4);
    vmcb->iopm_base_pa = virt_to_phys(iopm);
    vmcb->msrpm_base_pa = virt_to_phys(msrpm);
    vmcb->guest_asid = x86_dom(v->domain)->asid;
    vmcb->vintr = V_INTR_MASKING;
    vmcb->np_enable = 1;
    vmcb->n_cr3 = npt_root_pa(v->domain);
    vmcb->g_pat = 0x0007040600070406ull; /* the reset PAT */
    /*
     * No TSC offset: the guest's TSC is the host's, the clock of arch_now_ns() (both count
     * from the machine's reset), at the rate CPUID leaf 0x40000003 reports. Guest TSC ticks
     * convert to system time (set_timer_op, poll deadlines) with that rate alone.
     */
    vmcb->tsc_offset = 0;
}

static int svm_vcpu_init(struct vcpu *v)
{
    struct svm_vcpu *s = xzalloc(struct svm_vcpu);

    if (s == NULL)
        return -ENOMEM;
    s->vmcb = xzalloc_bytes(sizeof(struct vmcb));
    if (s->vmcb == NULL) {
        xfree(s);
        return -ENOMEM;
    }
    s->vmcb_pa = virt_to_phys(s->vmcb);
    x86_vcpu(v)->hvm_state = s;
    vmcb_setup(v);
    return 0;
}

static void svm_vcpu_reset(struct vcpu *v)
{
    vmcb_setup(v);
}

static void load_seg(struct vmcb_seg *d, const struct hvm_seg *s)
{
    *d = (struct vmcb_seg){.sel = s->sel, .attr = s->ar, .limit = s->limit, .base = s->base};
}

static void svm_vcpu_set_start_state(struct vcpu *v, const struct hvm_start_state *st)
{
    struct vmcb *vmcb = svm(v)->vmcb;

    load_seg(&vmcb->cs, &st->cs);
    load_seg(&vmcb->ds, &st->ds);
    load_seg(&vmcb->es, &st->es);
    load_seg(&vmcb->ss, &st->ss);
    load_seg(&vmcb->fs, &st->fs);
    load_seg(&vmcb->gs, &st->gs);
    load_seg(&vmcb->tr, &st->tr);
    vmcb->ldtr = (struct vmcb_seg){.attr = SEG_LDT};
    vmcb->gdtr = (struct vmcb_seg){0};
    vmcb->idtr = (struct vmcb_seg){0};
    vmcb->cpl = 0;
    vmcb->cr0 = st->cr0;
    vmcb->cr3 = st->cr3;
    vmcb->cr4 = st->cr4;
    vmcb->efer = st->efer | EFER_SVME; /* required in the guest's EFER while it runs under SVM */
    vmcb->dr6 = 0xffff0ff0;
    vmcb->dr7 = 0x400;
    vmcb->interrupt_shadow = 0;
    vmcb->eventinj = 0;
    x86_vcpu(v)->regs = st->regs;
    svm(v)->launched = false;
}

/*
 * Exit codes below VMEXIT_NR_CODES, stored as reason + 1 so that 0 marks a code we never
 * expect: those end the domain (HVM_EXIT_FAILED).
 */
#define R(reason) (1 + (reason))
static const uint8_t exit_reasons[VMEXIT_NR_CODES] = {
    [VMEXIT_INTR] = R(HVM_EXIT_NONE),
    [VMEXIT_NMI] = R(HVM_EXIT_NONE),
    [VMEXIT_SMI] = R(HVM_EXIT_NONE),
    [VMEXIT_INIT] = R(HVM_EXIT_NONE),
    [VMEXIT_VINTR] = R(HVM_EXIT_INTR_WINDOW),
    [VMEXIT_CPUID] = R(HVM_EXIT_CPUID),
    [VMEXIT_HLT] = R(HVM_EXIT_HLT),
    [VMEXIT_IOIO] = R(HVM_EXIT_IO),
    [VMEXIT_MSR] = R(HVM_EXIT_MSR_READ),
    [VMEXIT_SHUTDOWN] = R(HVM_EXIT_TRIPLE_FAULT),
    [VMEXIT_VMMCALL] = R(HVM_EXIT_HYPERCALL),
    [VMEXIT_INVD] = R(HVM_EXIT_CACHE_FLUSH),
    [VMEXIT_WBINVD] = R(HVM_EXIT_CACHE_FLUSH),
    [VMEXIT_INVLPGA] = R(HVM_EXIT_UD),
    [VMEXIT_VMRUN] = R(HVM_EXIT_UD),
    [VMEXIT_VMLOAD] = R(HVM_EXIT_UD),
    [VMEXIT_VMSAVE] = R(HVM_EXIT_UD),
    [VMEXIT_STGI] = R(HVM_EXIT_UD),
    [VMEXIT_CLGI] = R(HVM_EXIT_UD),
    [VMEXIT_SKINIT] = R(HVM_EXIT_UD),
    [VMEXIT_ICEBP] = R(HVM_EXIT_ICEBP),
    [VMEXIT_CR4_WRITE] = R(HVM_EXIT_CR4_WRITE),
    [VMEXIT_MONITOR] = R(HVM_EXIT_UD),
    [VMEXIT_MWAIT] = R(HVM_EXIT_UD),
    [VMEXIT_XSETBV] = R(HVM_EXIT_XSETBV),
};
#undef R

/* Fixed instruction lengths, for CPUs without next-RIP saving. */
static unsigned int ins_len(const struct vmcb *vmcb, uint64_t code)
{
    if (have_nrips && vmcb->nrip > vmcb->rip)
        return (unsigned int)(vmcb->nrip - vmcb->rip);
    switch (code) {
    case VMEXIT_CPUID:
    case VMEXIT_MSR:
        return 2;
    case VMEXIT_HLT:
    case VMEXIT_ICEBP:
        return 1;
    case VMEXIT_VMMCALL:
    case VMEXIT_XSETBV:
        return 3;
    case VMEXIT_INVD:
    case VMEXIT_WBINVD:
        return 2;
    case VMEXIT_IOIO:
        return (unsigned int)(vmcb->exitinfo2 - vmcb->rip);
    default:
        return 0;
    }
}

static void svm_vcpu_run(struct vcpu *v, struct hvm_exit *exit)
{
    struct svm_vcpu *s = svm(v);
    struct vmcb *vmcb = s->vmcb;
    struct guest_regs *r = &x86_vcpu(v)->regs;
    uint64_t code, gen;
    bool delivering;

    vmcb->rax = r->rax;
    vmcb->rsp = r->rsp;
    vmcb->rip = r->rip;
    vmcb->rflags = r->rflags;
    /*
     * Flush the guest TLB at a vCPU's first run and whenever this CPU ran another VMCB in
     * between. ASIDs alone would do on hardware; QEMU's TCG does not tag its TLB by ASID,
     * so without the flush one domain would see another's translations.
     */
    /* ... and when a nested entry it may have cached changed (npt.c kicked us). The mark
     * goes up before the generation is read, so npt_flush() either waits for this run to
     * end or this run flushes (npt.c). */
    __atomic_store_n(&x86_vcpu(v)->npt_in_guest, NPT_IN_GUEST, __ATOMIC_SEQ_CST);
    gen = __atomic_load_n(&x86_dom(v->domain)->npt_generation, __ATOMIC_SEQ_CST);
    __atomic_store_n(&x86_vcpu(v)->npt_in_guest, NPT_IN_GUEST | gen, __ATOMIC_SEQ_CST);
    vmcb->tlb_control =
        s->launched && last_vmcb[smp_processor_id()] == vmcb && gen == s->npt_generation ? 0 : 1;
    s->npt_generation = gen;
    last_vmcb[smp_processor_id()] = vmcb;
    vmcb->vmcb_clean = 0; /* we may have changed anything */
    s->launched = true;
    if (vmcb->eventinj & EVENT_VALID)
        s->last_eventinj = vmcb->eventinj;

    svm_vmrun(s->vmcb_pa, r, virt_to_phys(host_vmcb[smp_processor_id()]));
    __atomic_store_n(&x86_vcpu(v)->npt_in_guest, 0, __ATOMIC_RELEASE);

    r->rax = vmcb->rax;
    r->rsp = vmcb->rsp;
    r->rip = vmcb->rip;
    r->rflags = vmcb->rflags;

    /* An event whose delivery the exit interrupted is delivered again on the next entry. */
    delivering = (vmcb->exitintinfo & EVENT_VALID) != 0;
    if (delivering) {
        vmcb->eventinj = vmcb->exitintinfo;
        vmcb->exitintinfo = 0;
    }

    code = vmcb->exitcode;
    memset(exit, 0, sizeof(*exit));
    exit->raw = code;
    if (code == VMEXIT_NPF) {
        exit->reason = HVM_EXIT_NPF;
        exit->npf.gpa = vmcb->exitinfo2;
        exit->npf.write = (vmcb->exitinfo1 & 2) != 0;
        exit->npf.fetch = (vmcb->exitinfo1 & 16) != 0;
        exit->npf.table_walk = (vmcb->exitinfo1 & NPF_IN_GUEST_TABLES) != 0;
        exit->npf.in_delivery = delivering;
        return;
    }
    if (code >= VMEXIT_NR_CODES || exit_reasons[code] == 0) {
        exit->reason = HVM_EXIT_FAILED; /* incl. VMEXIT_INVALID and task switches */
        return;
    }
    exit->reason = exit_reasons[code] - 1;
    exit->ins_len = ins_len(vmcb, code);
    if (code == VMEXIT_MSR) {
        exit->reason = vmcb->exitinfo1 ? HVM_EXIT_MSR_WRITE : HVM_EXIT_MSR_READ;
        exit->msr = (uint32_t)r->rcx;
    } else if (code == VMEXIT_IOIO) {
        uint64_t info = vmcb->exitinfo1;

        exit->io.port = (uint16_t)(info >> IOIO_PORT_SHIFT);
        exit->io.size = (uint8_t)((info >> IOIO_SIZE_SHIFT) & 7);
        exit->io.in = (info & IOIO_IN) != 0;
        exit->io.string = (info & IOIO_STR) != 0;
        exit->io.rep = (info & IOIO_REP) != 0;
    } else if (code == VMEXIT_VINTR) {
        vmcb->vintr &= ~(V_IRQ | V_IGN_TPR | V_INTR_VECTOR(0xff));
        vmcb->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
    }
}

static bool svm_can_inject_interrupt(struct vcpu *v)
{
    const struct vmcb *vmcb = svm(v)->vmcb;

    return (x86_vcpu(v)->regs.rflags & RFLAGS_IF) && !(vmcb->interrupt_shadow & 1) &&
           !(vmcb->eventinj & EVENT_VALID);
}

static void svm_inject_interrupt(struct vcpu *v, uint8_t vector)
{
    svm(v)->vmcb->eventinj = vector | EVENT_TYPE_INTR | EVENT_VALID;
}

static void svm_inject_exception(struct vcpu *v, uint8_t vector, int error_code)
{
    uint64_t ev = vector | EVENT_TYPE_EXC | EVENT_VALID;

    if (error_code >= 0)
        ev |= EVENT_ERR_VALID | (uint64_t)(uint32_t)error_code << 32;
    svm(v)->vmcb->eventinj = ev;
}

/* A virtual interrupt request with TPR ignored: VINTR exits when the guest could take it. */
static void svm_request_interrupt_window(struct vcpu *v, bool on)
{
    struct vmcb *vmcb = svm(v)->vmcb;

    if (on) {
        vmcb->vintr |= V_IRQ | V_IGN_TPR | V_INTR_PRIO(0xf);
        vmcb->intercept_misc1 |= SVM_INTERCEPT_VINTR;
    } else {
        vmcb->vintr &= ~(V_IRQ | V_IGN_TPR | V_INTR_PRIO(0xf));
        vmcb->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
    }
}

static void svm_get_paging(struct vcpu *v, struct hvm_paging *p)
{
    const struct vmcb *vmcb = svm(v)->vmcb;

    *p = (struct hvm_paging){vmcb->cr0, vmcb->cr3, vmcb->cr4, vmcb->efer, vmcb->cr2};
}

static bool svm_set_efer(struct vcpu *v, uint64_t efer)
{
    const uint64_t allowed = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

    if (efer & ~allowed)
        return false;
    /* LMA is the CPU's to set; the guest's write keeps what it is. */
    efer = (efer & ~(uint64_t)EFER_LMA) | (svm(v)->vmcb->efer & EFER_LMA);
    svm(v)->vmcb->efer = efer | EFER_SVME;
    return true;
}

static void svm_set_cr4(struct vcpu *v, uint64_t cr4)
{
    svm(v)->vmcb->cr4 = cr4;
    /* PGE, PAE, PSE, PCIDE and SMEP change translations: flush the guest's TLB at the
     * next entry (svm_vcpu_run flushes a vCPU not yet launched). */
    svm(v)->launched = false;
}

static bool svm_is_64bit(struct vcpu *v)
{
    const struct vmcb *vmcb = svm(v)->vmcb;

    return (vmcb->efer & EFER_LMA) && (vmcb->cs.attr & SEG_L);
}

static unsigned int svm_cpl(struct vcpu *v)
{
    return svm(v)->vmcb->cpl & 3;
}

static void svm_get_cs(struct vcpu *v, struct hvm_seg *cs)
{
    const struct vmcb_seg *s = &svm(v)->vmcb->cs;

    *cs = (struct hvm_seg){.sel = s->sel, .ar = s->attr, .limit = s->limit, .base = s->base};
}

static bool svm_event_pending(struct vcpu *v)
{
    return (svm(v)->vmcb->eventinj & EVENT_VALID) != 0;
}

static void svm_dump_state(struct vcpu *v)
{
    const struct vmcb *vmcb = svm(v)->vmcb;
    const struct guest_regs *r = &x86_vcpu(v)->regs;

    printk("  d%uv%u rip %llx rsp %llx rflags %llx cpl %u cr0 %llx cr2 %llx cr3 %llx cr4 %llx\n",
           v->domain->domain_id, v->vcpu_id, (unsigned long long)r->rip, (unsigned long long)r->rsp,
           (unsigned long long)r->rflags, vmcb->cpl & 3, (unsigned long long)vmcb->cr0,
           (unsigned long long)vmcb->cr2, (unsigned long long)vmcb->cr3,
           (unsigned long long)vmcb->cr4);
    printk("  idt %llx+%x gdt %llx+%x cs %x ss %x eventinj %llx last injected %llx "
           "exitinfo %llx/%llx\n",
           (unsigned long long)vmcb->idtr.base, vmcb->idtr.limit,
           (unsigned long long)vmcb->gdtr.base, vmcb->gdtr.limit, vmcb->cs.sel, vmcb->ss.sel,
           (unsigned long long)vmcb->eventinj, (unsigned long long)svm(v)->last_eventinj,
           (unsigned long long)vmcb->exitinfo1, (unsigned long long)vmcb->exitinfo2);
}

const struct hvm_ops svm_ops = {
    .name = "SVM",
    .cpu_init = svm_cpu_init,
    .domain_init = svm_domain_init,
    .vcpu_init = svm_vcpu_init,
    .vcpu_reset = svm_vcpu_reset,
    .vcpu_set_start_state = svm_vcpu_set_start_state,
    .vcpu_run = svm_vcpu_run,
    .can_inject_interrupt = svm_can_inject_interrupt,
    .inject_interrupt = svm_inject_interrupt,
    .inject_exception = svm_inject_exception,
    .request_interrupt_window = svm_request_interrupt_window,
    .get_paging = svm_get_paging,
    .set_efer = svm_set_efer,
    .set_cr4 = svm_set_cr4,
    .is_64bit = svm_is_64bit,
    .cpl = svm_cpl,
    .get_cs = svm_get_cs,
    .event_pending = svm_event_pending,
    .dump_state = svm_dump_state,
};

/* Does this CPU have SVM with nested paging? Says exactly what is missing if not. */
bool svm_probe(void)
{
    struct cpuid_regs ext = cpuid(0x80000000, 0), f1, fa;
    static const uint32_t passthrough[] = {
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR, LSTAR, CSTAR, SFMASK */
        0xc0000100, 0xc0000101, 0xc0000102,             /* FS/GS base, KernelGSbase */
        0x174,      0x175,      0x176,                  /* SYSENTER_CS/ESP/EIP */
    };

    if (ext.eax < 0x8000000a || !((f1 = cpuid(0x80000001, 0)).ecx & CPUID_80000001_ECX_SVM)) {
        printk("hvm: this CPU has no SVM (AMD-V); minixen needs it to run guests.\n"
               "hvm: QEMU: -cpu qemu64,+svm,+npt (or a host CPU with SVM). Halting.\n");
        return false;
    }
    fa = cpuid(0x8000000a, 0);
    if (!(fa.edx & CPUID_8000000A_EDX_NP)) {
        printk("hvm: this CPU has SVM but no nested paging (NPT); minixen needs both.\n"
               "hvm: QEMU: -cpu qemu64,+svm,+npt. Halting.\n");
        return false;
    }
    nr_asids = fa.ebx;
    have_nrips = (fa.edx & CPUID_8000000A_EDX_NRIPS) != 0;
    iopm = xzalloc_bytes(IOPM_SIZE);
    msrpm = xzalloc_bytes(MSRPM_SIZE);
    if (iopm == NULL || msrpm == NULL)
        panic("svm: no memory for the I/O and MSR permission maps");
    memset(iopm, 0xff, IOPM_SIZE);
    memset(msrpm, 0xff, MSRPM_SIZE);
    for (unsigned int i = 0; i < ARRAY_SIZE(passthrough); i++)
        msrpm_allow(passthrough[i]);
    printk("hvm: SVM revision %u with nested paging, %u ASIDs%s\n", fa.eax & 0xff, nr_asids,
           have_nrips ? ", next-RIP save" : "");
    return true;
}
