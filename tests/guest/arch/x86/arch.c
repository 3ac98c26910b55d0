/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86 PVH glue of the conformance guest, 64-bit (head_64.S) and 32-bit (head_32.S), as a
 * Xen PVH guest does it:
 *   hypercalls   the hypercall page, written by the MSR that CPUID leaf base+2 names
 *   upcall       HVM_PARAM_CALLBACK_IRQ of the vector type: one vector for every vCPU,
 *                no EOI, re-injected while evtchn_upcall_pending stays set
 *   vCPUs        counted with VCPUOP_is_up (-ENOENT past the last), started with
 *                VCPUOP_initialise (a 64- or 32-bit context on our page tables) + VCPUOP_up
 *   time         the TSC at the rate of CPUID base+3 (Xen's TSC leaf); the timeout timer
 *                is the x2APIC timer in TSC-deadline mode, else one-shot at its rate
 *                measured against the TSC (Xen's and minixen's vLAPIC count at 100 MHz;
 *                measuring keeps it honest)
 *   per-CPU      the vCPU index at GS:0 (64-bit: the GS base MSR; 32-bit: a GDT segment
 *                per vCPU; either way no exit to read it)
 *   config       hvm_start_info's command line, handed to the suite as /chosen/bootargs
 *   console      console_io; port 0xe9 (Xen's HVM debug port) as the fallback
 */
#include "cmdline_dt.h"
#include "x86_cpu.h"
#include "guest_arch.h"
#include "libc.h"

#include <public/hvm/hvm_op.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/memory.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define STACK_SIZE      16384 /* head.S's */
#define UPCALL_VECTOR   0xf3  /* Linux's HYPERVISOR_CALLBACK_VECTOR */
#define TIMER_VECTOR    0xef
#define SPURIOUS_VECTOR 0xff

#define MSR_APIC_BASE    0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_GS_BASE      0xc0000101u
#define X2APIC_EOI       0x80b
#define X2APIC_SVR       0x80f
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_TMR_INIT  0x838
#define X2APIC_TMR_CUR   0x839
#define X2APIC_TMR_DIV   0x83e
#define APIC_BASE_EN     (1u << 11)
#define APIC_BASE_EXTD   (1u << 10)
#define LVT_TSC_DEADLINE (2u << 17)
#define CPUID1_X2APIC    (1u << 21)
#define CPUID1_TSC_DL    (1u << 24)
#define CR0_PAGING       0x80010033ul /* PG WP NE ET MP PE */
#define CR4_PAE          0x20ul
#define CR4_PSE          0x10ul
#define EFER_LONG_MODE   0x500ul /* LMA LME */
#define XEN_ENOSYS       38

struct percpu {
    unsigned long id; /* GS:0 */
};

extern char exc_stubs[], irq_upcall_entry[], irq_timer_entry[], irq_other_entry[];
extern char irq_spurious_entry[], cpu_stacks[];
#ifdef __x86_64__
extern char secondary_entry64[], guest_pml4[];
#else
extern char secondary_entry32[], guest_pgdir[];
extern uint64_t gdt_percpu[GUEST_MAX_CPUS];
#define SEL_PERCPU(cpu) (0x18 + 8 * (cpu)) /* head_32.S's gdt_percpu */
#endif
void arch_boot_cpu0(const struct hvm_start_info *si);
void arch_boot_secondary(unsigned int cpu);
void arch_exception(unsigned long vector, unsigned long error, unsigned long rip);
void arch_irq_upcall(void);
void arch_irq_timer(void);
void arch_irq_other(void);

static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static struct percpu percpu[GUEST_MAX_CPUS];
#ifdef __x86_64__
static uint64_t idt[256 * 2] __attribute__((aligned(16))); /* 16-byte gates */
#else
static uint64_t idt[256] __attribute__((aligned(16)));
#endif
static unsigned int nr_cpus = 1;
static uint32_t xen_base;
static uint64_t tsc_hz;
static bool have_tsc_deadline, have_x2apic;
static uint64_t apic_per_tsc; /* one-shot counts per TSC tick, 32.32 fixed point (measured) */
static bool hypercalls_ready;

/*
 * A hypercall before the hypercall page MSR: XENMEM_add_to_physmap(shared_info) by inline
 * VMMCALL with this width's struct (the i386 build's is the 16-byte 32-bit one). Xen picks
 * the argument layout by the caller's mode at each call, so a 32-bit domain that has not
 * latched its width yet still gets its own. Its gfn is never touched again: the real
 * mapping (ev_init) moves shared_info away. The result is reported by cpu_policy.c.
 */
static uint8_t early_shinfo_page[4096] __attribute__((aligned(4096)));
long x86_early_physmap_rc = 1;

static long early_physmap(void)
{
    struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
                                      .space = XENMAPSPACE_shared_info,
                                      .idx = 0,
                                      .gpfn = arch_gfn(early_shinfo_page)};
    long ret;

#ifdef __x86_64__
    __asm__ volatile("vmmcall"
                     : "=a"(ret)
                     : "a"((long)__HYPERVISOR_memory_op), "D"((long)XENMEM_add_to_physmap),
                       "S"(&xatp)
                     : "memory");
#else
    __asm__ volatile("vmmcall"
                     : "=a"(ret)
                     : "a"((long)__HYPERVISOR_memory_op), "b"((long)XENMEM_add_to_physmap),
                       "c"(&xatp)
                     : "memory");
#endif
    return ret;
}

/* ---- Instructions ---------------------------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

/* ---- Hypercalls --------------------------------------------------------------------------- */

/* Xen's register conventions: RDI, RSI, RDX, R10, R8 from 64-bit code; EBX, ECX, EDX,
 * ESI, EDI from 32-bit code (every general register but EBP: the stub's address is read
 * from memory). */
long arch_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
                    unsigned long a3, unsigned long a4)
{
    long ret;

    if (!hypercalls_ready || nr >= sizeof(hypercall_page) / 32)
        return -XEN_ENOSYS;
#ifdef __x86_64__
    register unsigned long r10 __asm__("r10") = a3;
    register unsigned long r8 __asm__("r8") = a4;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "rcx", "r9", "r11");
#else
    const void *stub = hypercall_page + nr * 32;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+b"(a0), "+c"(a1), "+d"(a2), "+S"(a3), "+D"(a4)
                     : [stub] "m"(stub)
                     : "memory");
#endif
    return ret;
}

/* Xen's CPUID leaves: "XenVMMXenVMM" at 0x40000000 or a later multiple of 0x100. */
static bool find_xen(void)
{
    uint32_t base, r[4];

    for (base = 0x40000000u; base < 0x40010000u; base += 0x100) {
        cpuid(base, 0, r);
        if (r[1] == 0x566e6558u && r[2] == 0x65584d4du && r[3] == 0x4d4d566eu && r[0] >= base + 3) {
            xen_base = base;
            return true;
        }
    }
    return false;
}

/* ---- Interrupt descriptor table ------------------------------------------------------------ */

static void set_gate(unsigned int vector, const void *handler)
{
    uint64_t a = (uint64_t)(uintptr_t)handler;
    /* Interrupt gate (64- or 32-bit by the mode), DPL 0, present, selector 0x08, no IST. */
    uint64_t low = (a & 0xffff) | (0x08ull << 16) | (0x8eull << 40) | ((a >> 16) & 0xffff) << 48;

#ifdef __x86_64__
    idt[vector * 2] = low;
    idt[vector * 2 + 1] = a >> 32;
#else
    idt[vector] = low;
#endif
}

static void idt_build(void)
{
    const uintptr_t *stubs = (const uintptr_t *)(uintptr_t)exc_stubs;
    unsigned int v;

    for (v = 0; v < 32; v++)
        set_gate(v, (const void *)(uintptr_t)stubs[v]);
    for (v = 32; v < 256; v++)
        set_gate(v, irq_other_entry);
    set_gate(UPCALL_VECTOR, irq_upcall_entry);
    set_gate(TIMER_VECTOR, irq_timer_entry);
    set_gate(SPURIOUS_VECTOR, irq_spurious_entry);
}

static void cpu_local_init(unsigned int cpu)
{
    struct {
        uint16_t limit;
        uintptr_t base;
    } __attribute__((packed)) idtr = {sizeof(idt) - 1, (uintptr_t)idt};

    __asm__ volatile("lidt %0" ::"m"(idtr));
    percpu[cpu].id = cpu;
#ifdef __x86_64__
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&percpu[cpu]);
#else
    {
        uint64_t base = (uintptr_t)&percpu[cpu];

        /* Flat-limit data segment (as head_32.S's) whose base is this vCPU's block. */
        gdt_percpu[cpu] = 0x00cf92000000ffffull | (base & 0xffffff) << 16 | (base >> 24) << 56;
        __asm__ volatile("mov %0, %%gs" ::"r"(SEL_PERCPU(cpu)) : "memory");
    }
#endif
}

/* ---- Start-up ---------------------------------------------------------------------------------
 */

void arch_boot_cpu0(const struct hvm_start_info *si)
{
    const char *cmdline = NULL;
    uint32_t r[4];
    unsigned int cpu;

    idt_build();
    cpu_local_init(0);
    if (!find_xen()) {
        static const char msg[] = "# xtest FATAL: no Xen CPUID leaves: not a Xen PVH domain\n";

        arch_console_fallback_write(msg, sizeof(msg) - 1);
        return;
    }
    x86_early_physmap_rc = early_physmap();
    cpuid(xen_base + 2, 0, r);
    wrmsr(r[1], (uint64_t)(uintptr_t)hypercall_page); /* page index 0 */
    hypercalls_ready = true;
    cpuid(xen_base + 3, 0, r);
    tsc_hz = (uint64_t)r[2] * 1000;
    cpuid(1, 0, r);
    have_x2apic = (r[2] & CPUID1_X2APIC) != 0;
    have_tsc_deadline = (r[2] & CPUID1_TSC_DL) != 0;

    /* The vCPUs that exist answer VCPUOP_is_up (0 or 1); the first missing one -ENOENT. */
    for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++)
        if (arch_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, cpu, 0, 0, 0) < 0)
            break;
    nr_cpus = cpu;

    if (si != NULL && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr != 0)
        cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    guest_main(cmdline_dt(cmdline));
}

void arch_boot_secondary(unsigned int cpu)
{
    cpu_local_init(cpu);
    guest_secondary_main(cpu);
    for (;;)
        __asm__ volatile("cli; hlt");
}

unsigned int arch_nr_cpus(void)
{
    return nr_cpus;
}

long arch_cpu_start(unsigned int cpu)
{
    static struct vcpu_hvm_context ctx; /* one at a time: vCPU 0 starts them in turn */
    long rc;

    if (cpu == 0 || cpu >= nr_cpus)
        return -22;
    memset(&ctx, 0, sizeof(ctx));
#ifdef __x86_64__
    ctx.mode = VCPU_HVM_MODE_64B;
    ctx.cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
        .rip = (uint64_t)(uintptr_t)secondary_entry64,
        .rsp = (uint64_t)(uintptr_t)(cpu_stacks + (cpu + 1) * STACK_SIZE),
        .rdi = cpu,
        .rflags = 0x2,
        .cr0 = CR0_PAGING,
        .cr3 = (uint64_t)(uintptr_t)guest_pml4,
        .cr4 = CR4_PAE,
        .efer = EFER_LONG_MODE,
    };
#else
    /* Flat 4 GiB segments (limits in bytes, G set) and a busy 32-bit TSS, as Xen wants
     * them (the TSS is never used: no privilege change ever happens in this guest). */
    ctx.mode = VCPU_HVM_MODE_32B;
    ctx.cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
        .eip = (uint32_t)(uintptr_t)secondary_entry32,
        .esp = (uint32_t)(uintptr_t)(cpu_stacks + (cpu + 1) * STACK_SIZE),
        .edi = cpu,
        .eflags = 0x2,
        .cr0 = CR0_PAGING,
        .cr3 = (uint32_t)(uintptr_t)guest_pgdir,
        .cr4 = CR4_PSE,
        .cs_limit = 0xffffffffu,
        .ds_limit = 0xffffffffu,
        .ss_limit = 0xffffffffu,
        .es_limit = 0xffffffffu,
        .tr_limit = 0x67,
        .cs_ar = 0xc9b,
        .ds_ar = 0xc93,
        .ss_ar = 0xc93,
        .es_ar = 0xc93,
        .tr_ar = 0x8b,
    };
#endif
    rc = arch_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, cpu, (uintptr_t)&ctx, 0, 0);
    if (rc == 0)
        rc = arch_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_up, cpu, 0, 0, 0);
    return rc;
}

unsigned int arch_cpu_id(void)
{
    unsigned long id;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(id));
    return (unsigned int)id;
}

const char *arch_name(void)
{
#ifdef __x86_64__
    return "x86_64";
#else
    return "x86_32"; /* Xen's name for a 32-bit x86 guest */
#endif
}

const bool arch_block_unmasks_irqs = false;
const bool arch_has_pirqs = true;
const bool arch_has_pvclock = true;
const bool arch_hwdom_rtc_in_dt = false;

int arch_rtc_read(uint64_t *seconds, uint64_t *base)
{
    *seconds = *base = 0;
    return 0; /* no DT: the CMOS clock is not looked for */
}

const char *arch_irq_controller(void)
{
    return "x2APIC";
}

/* The global callback vector; the x2APIC is only for the timeout timer. */
const char *arch_platform_init(void)
{
    static char why[64];
    struct xen_hvm_param p = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value = HVM_PARAM_CALLBACK_VAL_VECTOR(UPCALL_VECTOR),
    };
    long rc;

    if (!have_x2apic)
        return "CPUID has no x2APIC";
    rc = arch_hypercall(__HYPERVISOR_hvm_op, HVMOP_set_param, (uintptr_t)&p, 0, 0, 0);
    if (rc != 0) {
        snprintf(why, sizeof(why), "HVM_PARAM_CALLBACK_IRQ refused (%ld)", rc);
        return why;
    }
    return NULL;
}

/*
 * The one-shot timer's count rate is the virtual APIC bus clock, which no CPUID leaf of
 * Xen's reports (Xen's and minixen's vLAPIC count at 100 MHz): count it down for
 * 10 ms of TSC with interrupts masked. Same rate on every vCPU; measured once, on vCPU 0.
 */
static uint64_t measure_apic_per_tsc(void)
{
    uint64_t t0, t1, counted;
    unsigned int spins;

    wrmsr(X2APIC_TMR_INIT, 0xffffffffu);
    t0 = arch_counter();
    for (spins = 0; spins < 100000000u && arch_counter() - t0 < arch_counter_freq() / 100; spins++)
        arch_relax();
    counted = 0xffffffffu - (uint32_t)rdmsr(X2APIC_TMR_CUR);
    t1 = arch_counter();
    wrmsr(X2APIC_TMR_INIT, 0);
    if (counted == 0 || t1 - t0 < 1000)
        counted = 1, t1 = t0 + 1; /* nothing to go by: one count per TSC tick */
    /* counted < 2^32 and the window < 2^32 TSC ticks: no overflow. */
    return (counted << 32) / (t1 - t0);
}

void arch_cpu_irq_init(void)
{
    if (!have_x2apic)
        return;
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
    wrmsr(X2APIC_SVR, 0x100 | SPURIOUS_VECTOR); /* software-enabled */
    wrmsr(X2APIC_TMR_DIV, 0xb);                 /* divide by 1 */
    wrmsr(X2APIC_LVT_TIMER, TIMER_VECTOR | (have_tsc_deadline ? LVT_TSC_DEADLINE : 0));
    arch_timer_disarm();
    if (!have_tsc_deadline && apic_per_tsc == 0)
        apic_per_tsc = measure_apic_per_tsc();
}

/* ---- Interrupts ---------------------------------------------------------------------------------
 */

void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

bool arch_irq_enabled(void)
{
    unsigned long flags;

    __asm__ volatile("pushf; pop %0" : "=r"(flags));
    return (flags & (1u << 9)) != 0;
}

void arch_irq_upcall(void)
{
    guest_irq_upcall(arch_cpu_id()); /* the callback vector needs no EOI */
}

void arch_irq_timer(void)
{
    wrmsr(X2APIC_EOI, 0);
    guest_irq_timer(arch_cpu_id()); /* one-shot: already disarmed */
}

void arch_irq_other(void)
{
    guest_fatal("unexpected interrupt (no vector)", 0, 0, 0);
}

void arch_exception(unsigned long vector, unsigned long error, unsigned long rip)
{
    guest_fatal("unexpected exception (vector, error code, RIP)", vector, error, rip);
}

/* ---- Time ---------------------------------------------------------------------------------------
 */

uint64_t arch_counter(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

uint64_t arch_counter_freq(void)
{
    return tsc_hz != 0 ? tsc_hz : 1000000000ull; /* Xen always fills its TSC leaf */
}

void arch_timer_arm(uint64_t ticks)
{
    if (have_tsc_deadline) {
        wrmsr(MSR_TSC_DEADLINE, arch_counter() + (ticks != 0 ? ticks : 1));
    } else {
        /* One-shot at the measured bus rate. */
        uint64_t n = mul_shr32(ticks, apic_per_tsc);

        wrmsr(X2APIC_TMR_INIT, n == 0 ? 1 : n > 0xffffffffu ? 0xffffffffu : n);
    }
}

void arch_timer_disarm(void)
{
    if (have_tsc_deadline)
        wrmsr(MSR_TSC_DEADLINE, 0);
    else
        wrmsr(X2APIC_TMR_INIT, 0);
}

void arch_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
    /* The HLT is in the STI shadow: no interrupt is taken between the two, and the
     * hypervisor sees the HLT with IF set, so one already pending ends it at once. */
    __asm__ volatile("sti; hlt" ::: "memory");
}

/* ---- Console fallback: Xen's HVM debug port
 * ------------------------------------------------------ */

bool arch_console_fallback_init(void)
{
    return true;
}

void arch_console_fallback_write(const char *s, unsigned long len)
{
    unsigned long i;

    for (i = 0; i < len; i++)
        outb(0xe9, (uint8_t)s[i]);
}
