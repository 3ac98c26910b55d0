/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The register state VMRUN leaves alone, switched per vCPU: x87/SSE/AVX and DR0-DR3.
 *
 * VMRUN and #VMEXIT switch neither the FPU/SIMD registers nor XCR0 nor DR0-DR3 (the VMCB
 * holds DR6 and DR7 only), so without this one domain reads another's xmm registers and
 * breakpoint addresses. The hypervisor itself never touches the FPU/SIMD registers (it is
 * built with -mgeneral-regs-only, see xen/build.mk) and keeps DR7 at its reset value (the
 * host's DR7 comes back from the host save area at every #VMEXIT), so whatever a guest
 * left in them is still intact when the run loop changes vCPU: saving there is enough.
 *
 * Eager, not lazy: a CPU that changes vCPU saves the old one's state and loads the new
 * one's right away (FXSAVE/FXRSTOR, or XSAVE/XRSTOR where the CPU has it). Lazy switching
 * (CR0.TS and #NM) would also have to emulate the guest's own CR0.TS, for one 512-832 byte
 * copy per switch that the scheduler's 10 ms slices make cheap.
 *
 * XCR0 is the guest's while it runs (it decides what its XSAVE saves and which
 * instructions #UD), so the XSETBV intercept validates the value against what CPUID
 * offers it, and the switch saves and restores with every feature we offer enabled.
 *
 * An x87 part whose status word holds nothing but the stack top (the initial state, and
 * what exact arithmetic leaves) is not loaded with FXRSTOR but rebuilt (asm/x87_rebuild.h:
 * FNINIT, FINCSTP, FLD of each register, FFREE of the empty ones, FLDCW; under XSAVE an
 * initial one is left to XRSTOR's own initialisation). Architecturally the same, and the
 * reason is QEMU's TCG: every x87 load of a status word (FXRSTOR, XRSTOR of x87, FRSTOR, FLDENV)
 * runs cpu_clear_ignne(), an unlocked read-modify-write of the *first* CPU's hflags2 from
 * whichever CPU executed it. That word holds CPU 0's GIF and "nested paging on" bits,
 * which its own VMRUN and #VMEXIT flip at the same moment; a lost update left CPU 0
 * walking its own page tables through a guest's nested tables (a hypervisor #PF right
 * after VMRUN, then a triple fault) or a guest's without them (a guest #PF on a present
 * page). With FXRSTOR in the run loop that was about 5 boots in 100 at -smp 4. A guest
 * whose x87 holds an exception flag or condition codes still takes FXRSTOR, and a guest's
 * own FXRSTOR/FRSTOR (Linux restoring a task) races the same way: QEMU's TCG only, see
 * docs/security.md.
 */
#include <asm/domain.h>
#include <asm/setup.h>
#include <asm/x87_rebuild.h>
#include <asm/xstate.h>
#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define CR0_EM             BIT(2)
#define CR0_TS             BIT(3)
#define CR4_OSFXSR         BIT(9)
#define CR4_OSXMMEXCPT     BIT(10)
#define CR4_OSXSAVE        BIT(18)
#define CPUID1_ECX_XSAVE   BIT(26)
#define CPUID1_ECX_OSXSAVE BIT(27)
#define CPUID1_ECX_AVX     BIT(28)
#define CPUID_D1_EAX_KEEP  0x7u /* XSAVEOPT, XSAVEC, XGETBV(1); never XSAVES (needs XSS) */

#define FXSAVE_SIZE  512
#define XSAVE_LEGACY 576 /* legacy region + XSAVE header: where AVX's component may start */
#define XSAVE_BV     512 /* XSTATE_BV in the XSAVE header: which components hold data */
#define FX_FCW       0
#define FX_MXCSR     24
#define MXCSR_RESET  0x1f80 /* all SIMD exceptions masked, round to nearest */

static bool have_xsave;
static uint64_t xstate_mask;       /* XCR0 features offered to guests (and used to save) */
static uint32_t xstate_size;       /* bytes of the XSAVE area for xstate_mask */
static uint64_t cpu_xcr0[NR_CPUS]; /* what each CPU's XCR0 holds now */

static inline uint64_t read_cr0(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void set_xcr0(uint64_t v)
{
    unsigned int cpu = smp_processor_id();

    if (cpu_xcr0[cpu] == v)
        return;
    __asm__ __volatile__("xsetbv" ::"c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
    cpu_xcr0[cpu] = v;
}

/* Bytes an XSAVE with this XCR0 writes (standard format): CPUID 0xD EBX for it. */
static uint32_t area_size(uint64_t xcr0)
{
    uint32_t size = XSAVE_LEGACY;

    if (xcr0 & XSTATE_YMM) {
        struct cpuid_regs c = cpuid(0xd, 2);

        size = MAX(size, c.ebx + c.eax);
    }
    return size;
}

void xstate_cpu_init(unsigned int cpu)
{
    uint64_t cr0 = read_cr0(), cr4 = read_cr4();

    if (cpu == 0 && (cpuid(1, 0).ecx & CPUID1_ECX_XSAVE)) {
        uint64_t host = cpuid(0xd, 0).eax;

        xstate_mask = host & (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM);
        xstate_size = area_size(xstate_mask);
        have_xsave = (xstate_mask & (XSTATE_X87 | XSTATE_SSE)) == (XSTATE_X87 | XSTATE_SSE) &&
                     xstate_size <= PAGE_SIZE;
        if (!have_xsave)
            xstate_mask = 0;
    }
    /* FXSAVE/XSAVE must not fault (#NM on TS/EM) and must include the XMM registers. */
    cr0 = (cr0 | CR0_MP | CR0_NE) & ~(uint64_t)(CR0_EM | CR0_TS);
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT | (have_xsave ? CR4_OSXSAVE : 0);
    __asm__ __volatile__("mov %0, %%cr0" ::"r"(cr0) : "memory");
    __asm__ __volatile__("mov %0, %%cr4" ::"r"(cr4) : "memory");
    if (have_xsave) {
        cpu_xcr0[cpu] = 0; /* unknown: force the write */
        set_xcr0(xstate_mask);
    }
    if (cpu == 0)
        printk("xstate: %s, %u bytes per vCPU, guest XCR0 up to 0x%llx; DR0-DR3 switched\n",
               have_xsave ? "XSAVE" : "FXSAVE", have_xsave ? xstate_size : FXSAVE_SIZE,
               (unsigned long long)xstate_mask);
}

void xstate_vcpu_reset(struct vcpu *v)
{
    struct x86_xstate *xs = &x86_vcpu(v)->xstate;
    uint8_t *a = xs->area;

    /* FNINIT's x87 state and MXCSR's reset value, empty registers; an XSAVE header of
     * zeros (XSTATE_BV 0) makes XRSTOR put every component in its initial state. */
    memset(a, 0, PAGE_SIZE);
    *(uint16_t *)(a + FX_FCW) = X87_FCW_RESET;
    *(uint32_t *)(a + FX_MXCSR) = MXCSR_RESET;
    xs->xcr0 = XSTATE_X87;
    for (unsigned int i = 0; i < 4; i++)
        xs->dr[i] = 0;
}

int xstate_vcpu_init(struct vcpu *v)
{
    struct x86_xstate *xs = &x86_vcpu(v)->xstate;

    xs->area = xzalloc_bytes(PAGE_SIZE); /* page-aligned: XSAVE needs 64, FXSAVE 16 */
    if (xs->area == NULL)
        return -ENOMEM;
    xstate_vcpu_reset(v);
    return 0;
}

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static void save(struct x86_xstate *xs)
{
    if (have_xsave) {
        /*
         * What the guest ran with: on hardware the value its intercepted XSETBV gave
         * us, but QEMU's TCG executes a guest's XSETBV without the intercept (its
         * checks still #GP what the CPU lacks), so read it back rather than trust ours.
         */
        xs->xcr0 = xgetbv0();
        cpu_xcr0[smp_processor_id()] = xs->xcr0;
        set_xcr0(xstate_mask); /* save every offered component, whatever the guest enabled */
        __asm__ __volatile__("xsave64 (%0)" ::"r"(xs->area), "a"(~0u), "d"(~0u) : "memory");
    } else {
        __asm__ __volatile__("fxsave64 (%0)" ::"r"(xs->area) : "memory");
    }
    __asm__ __volatile__("mov %%dr0, %0" : "=r"(xs->dr[0]));
    __asm__ __volatile__("mov %%dr1, %0" : "=r"(xs->dr[1]));
    __asm__ __volatile__("mov %%dr2, %0" : "=r"(xs->dr[2]));
    __asm__ __volatile__("mov %%dr3, %0" : "=r"(xs->dr[3]));
}

static void restore(const struct x86_xstate *xs)
{
    uint8_t *a = xs->area;

    if (have_xsave) {
        uint32_t rfbm = ~0u;

        /* An initial x87 part: XRSTOR initialises it; one with only TOP: rebuilt by hand. */
        if (x87_initial(a))
            *(uint64_t *)(a + XSAVE_BV) &= ~XSTATE_X87;
        else if ((*(uint64_t *)(a + XSAVE_BV) & XSTATE_X87) && x87_rebuildable(a))
            rfbm &= ~(uint32_t)XSTATE_X87;
        set_xcr0(xstate_mask);
        __asm__ __volatile__("xrstor64 (%0)" ::"r"(a), "a"(rfbm), "d"(~0u) : "memory");
        if (!(rfbm & XSTATE_X87))
            x87_rebuild(a);
        set_xcr0(xs->xcr0);
    } else if (x87_rebuildable(a)) {
        fxrstor_rebuilt(a);
    } else {
        __asm__ __volatile__("fxrstor64 (%0)" ::"r"(a) : "memory");
    }
    __asm__ __volatile__("mov %0, %%dr0" ::"r"(xs->dr[0]));
    __asm__ __volatile__("mov %0, %%dr1" ::"r"(xs->dr[1]));
    __asm__ __volatile__("mov %0, %%dr2" ::"r"(xs->dr[2]));
    __asm__ __volatile__("mov %0, %%dr3" ::"r"(xs->dr[3]));
}

void xstate_switch(struct vcpu *prev, struct vcpu *next)
{
    if (prev != NULL && prev->arch != NULL)
        save(&x86_vcpu(prev)->xstate);
    if (next != NULL && next->arch != NULL)
        restore(&x86_vcpu(next)->xstate);
}

bool xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t value)
{
    /* Xen's rules: XCR0 only, x87 always on, AVX only with SSE, nothing not offered. */
    if (!have_xsave || index != 0 || (value & ~xstate_mask) || !(value & XSTATE_X87) ||
        ((value & XSTATE_YMM) && !(value & XSTATE_SSE)))
        return false;
    x86_vcpu(v)->xstate.xcr0 = value;
    set_xcr0(value); /* v is the vCPU running on this CPU */
    return true;
}

uint32_t xstate_cpuid1_ecx(struct vcpu *v, uint32_t ecx, uint64_t guest_cr4)
{
    (void)v;
    ecx &= ~(uint32_t)CPUID1_ECX_OSXSAVE;
    if (!have_xsave)
        return ecx & ~(uint32_t)(CPUID1_ECX_XSAVE | CPUID1_ECX_AVX);
    if (!(xstate_mask & XSTATE_YMM))
        ecx &= ~(uint32_t)CPUID1_ECX_AVX;
    /* OSXSAVE mirrors the guest's CR4, not the host's, as it would on bare metal. */
    return ecx | (guest_cr4 & CR4_OSXSAVE ? CPUID1_ECX_OSXSAVE : 0);
}

void xstate_cpuid_d(struct vcpu *v, uint32_t sub, uint32_t regs[4])
{
    struct cpuid_regs c;

    regs[0] = regs[1] = regs[2] = regs[3] = 0;
    if (!have_xsave)
        return;
    if (sub == 0) {
        regs[0] = (uint32_t)xstate_mask;
        regs[1] = area_size(x86_vcpu(v)->xstate.xcr0);
        regs[2] = xstate_size;
    } else if (sub == 1) {
        regs[0] = cpuid(0xd, 1).eax & CPUID_D1_EAX_KEEP;
    } else if (sub == 2 && (xstate_mask & XSTATE_YMM)) {
        c = cpuid(0xd, 2);
        regs[0] = c.eax;
        regs[1] = c.ebx;
    }
}
