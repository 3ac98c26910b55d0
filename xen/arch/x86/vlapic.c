/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The minimal virtual LAPIC (see <asm/vlapic.h>), behind both of its interfaces: the
 * x2APIC MSRs (the guest's MSR accesses already exit: svm.c intercepts every MSR it does
 * not pass through) and the xAPIC page at IA32_APIC_BASE (0xfee00000), reached from the
 * nested page faults of mmio.c while the APIC is enabled and not in x2APIC mode. Each
 * register is one case of reg_read()/reg_write(), by its x2APIC index (= xAPIC offset >> 4);
 * the two interfaces differ only where the architecture makes them: the ID's position,
 * LDR/DFR (written by the guest in xAPIC mode, derived in x2APIC mode), the ICR (two
 * halves vs one 64-bit MSR), SELF_IPI (x2APIC only), and how a refusal shows (#GP for an
 * MSR; an ignored write for the page).
 *
 * What is emulated, and what not:
 *   IRR/ISR/TPR/PPR/EOI   fixed, edge-triggered vectors by priority class (vector >> 4);
 *                         EOI retires the highest vector in service
 *   timer                 one-shot and periodic on a 100 MHz bus clock (Xen's vLAPIC rate),
 *                         divided by the divide register; TSC-deadline on the guest's TSC
 *   ICR / SELF_IPI        fixed-delivery IPIs to the domain's vCPUs by x2APIC id (= vCPU
 *                         id), with the self / all / all-but-self shorthands; other
 *                         delivery modes (INIT, SIPI, NMI, ...) are refused (ESR "illegal
 *                         vector" semantics are not modelled): vCPUs start with VCPUOP_up
 *   LVT entries but the timer, TMR, LDR logic  stored or read as Xen reports them, never
 *                         raised (no thermal, perf, LINT or error sources exist)
 *
 * Concurrency: IRR bits are set from any CPU with atomic ORs (event upcalls, IPIs); all
 * other state belongs to the vCPU's own CPU (its exits and its timer interrupt), where
 * interrupts are masked while it is touched.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <asm/vlapic.h>
#include <xen/sched.h>

#define MSR_TSC_DEADLINE 0x6e0
#define X2APIC_FIRST     0x800
#define X2APIC_LAST      0x8ff

/* x2APIC MSR = 0x800 + (xAPIC offset >> 4). */
#define R_ID          0x02
#define R_VERSION     0x03
#define R_TPR         0x08
#define R_PPR         0x0a
#define R_EOI         0x0b
#define R_LDR         0x0d
#define R_DFR         0x0e /* xAPIC only */
#define R_SVR         0x0f
#define R_ISR0        0x10
#define R_TMR0        0x18
#define R_IRR0        0x20
#define R_ESR         0x28
#define R_LVT_CMCI    0x2f
#define R_ICR         0x30
#define R_ICR_HIGH    0x31 /* xAPIC only: x2APIC's ICR is one 64-bit MSR */
#define R_LVT_TMR     0x32
#define R_LVT_THERMAL 0x33 /* ... through R_LVT_ERR 0x37 */
#define R_LVT_ERR     0x37
#define R_TMR_INIT    0x38
#define R_TMR_CUR     0x39
#define R_TMR_DIV     0x3e
#define R_SELF_IPI    0x3f

#define APIC_VERSION       0x00050014u /* version 0x14 (integrated), 6 LVT entries */
#define SVR_ENABLE         BIT(8)
#define LVT_MASKED         BIT(16)
#define LVT_TIMER_MODE(l)  (((l) >> 17) & 3)
#define TIMER_ONESHOT      0
#define TIMER_PERIODIC     1
#define TIMER_TSC_DEADLINE 2
#define ICR_DELIVERY(i)    (((i) >> 8) & 7)
#define ICR_SHORTHAND(i)   (((i) >> 18) & 3)
#define APIC_BASE_BSP      BIT(8)
#define APIC_BASE_EXTD     BIT(10)
#define APIC_BASE_EN       BIT(11)
#define APIC_BASE_ADDR     0xfee00000u
#define APIC_BASE_PAGE     0xffffff000ull
#define ICR_BUSY           BIT(12)
/* A periodic timer is never faster than 10 kHz: Xen's minimum period for virtual
 * platform timers (100 us), so one guest cannot keep its CPU in timer interrupts. */
#define MIN_PERIOD_NS      100000u

static struct vlapic *vl(struct vcpu *v)
{
    return &x86_vcpu(v)->vlapic;
}

void vlapic_init(struct vcpu *v)
{
    struct vlapic *l = vl(v);

    *l = (struct vlapic){0};
    l->svr = 0xff; /* software-disabled, spurious vector 0xff: the reset state */
    l->lvt_timer = LVT_MASKED;
    for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
        l->lvt[i] = LVT_MASKED;
    l->dfr = 0xffffffffu; /* flat model */
    l->apic_base = APIC_BASE_ADDR | APIC_BASE_EN | (v->vcpu_id == 0 ? APIC_BASE_BSP : 0);
}

void vlapic_reset(struct vcpu *v)
{
    struct vlapic *l = vl(v);

    /*
     * Its CPU's timer interrupt reads the timer without a lock (time.c): stop and mask it
     * first, a whole word at a time, so an interrupt running now finds nothing due rather
     * than raising the old life's vector into the new one; then the rest.
     */
    __atomic_store_n(&l->timer_deadline_ns, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&l->timer_parked_ns, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&l->lvt_timer, LVT_MASKED, __ATOMIC_RELEASE);
    vlapic_init(v);
}

static bool x2apic_on(const struct vlapic *l)
{
    return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

/* Highest set bit of a 256-bit map, or -1. */
static int highest(const uint32_t map[8])
{
    for (int w = 7; w >= 0; w--) {
        uint32_t bits = __atomic_load_n(&map[w], __ATOMIC_ACQUIRE);

        if (bits != 0)
            return w * 32 + 31 - __builtin_clz(bits);
    }
    return -1;
}

static uint32_t ppr(const struct vlapic *l)
{
    int isr = highest(l->isr);
    uint32_t isr_class = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

    return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

bool vlapic_mark_irq(struct vcpu *v, uint8_t vector)
{
    if (vector < 16)
        return false; /* reserved vectors: real APICs report an illegal vector, nothing arrives */
    __atomic_fetch_or(&vl(v)->irr[vector / 32], 1u << (vector % 32), __ATOMIC_ACQ_REL);
    return true;
}

void vlapic_set_irq(struct vcpu *v, uint8_t vector)
{
    if (vlapic_mark_irq(v, vector))
        vcpu_wake(v);
}

int vlapic_pending(struct vcpu *v)
{
    const struct vlapic *l = vl(v);
    int irr = highest(l->irr);

    if (irr < 0 || ((uint32_t)irr & 0xf0) <= (ppr(l) & 0xf0))
        return -1;
    return irr;
}

void vlapic_accept(struct vcpu *v, uint8_t vector)
{
    struct vlapic *l = vl(v);

    __atomic_fetch_and(&l->irr[vector / 32], ~(1u << (vector % 32)), __ATOMIC_ACQ_REL);
    l->isr[vector / 32] |= 1u << (vector % 32);
}

static void eoi(struct vlapic *l)
{
    int isr = highest(l->isr);

    if (isr >= 0)
        l->isr[isr / 32] &= ~(1u << (isr % 32));
}

/* ---- Timer ------------------------------------------------------------------------------- */

/* Xen's virtual APIC bus runs at 100 MHz: a guest calibrated on Xen sees the same ticks. */
#define BUS_NS_PER_TICK 10u

static unsigned int divisor(const struct vlapic *l)
{
    /* Divide configuration bits 3, 1, 0: 0b000 = 2 ... 0b110 = 128, 0b111 = 1. */
    unsigned int code = ((l->timer_divide_reg >> 1) & 4) | (l->timer_divide_reg & 3);

    return code == 7 ? 1 : 2u << code;
}

static void timer_stop(struct vlapic *l)
{
    l->timer_deadline_ns = 0;
    l->timer_period_ns = 0;
    l->timer_parked_ns = 0;
}

/* Arm one-shot/periodic from an initial count (0 stops), at 10 ns per bus tick. */
static void timer_start_count(struct vlapic *l, uint32_t count)
{
    timer_stop(l);
    l->timer_initial = count;
    if (count == 0 || LVT_TIMER_MODE(l->lvt_timer) == TIMER_TSC_DEADLINE)
        return;
    l->timer_period_ns = (uint64_t)count * divisor(l) * BUS_NS_PER_TICK;
    if (LVT_TIMER_MODE(l->lvt_timer) == TIMER_PERIODIC && l->timer_period_ns < MIN_PERIOD_NS)
        l->timer_period_ns = MIN_PERIOD_NS;
    l->timer_deadline_ns = arch_now_ns() + l->timer_period_ns;
}

/* The guest's TSC is the host's (svm.c sets no offset): arch_now_ns() time in ticks. */
static void timer_start_tsc(struct vlapic *l, uint64_t tsc)
{
    uint64_t ns;

    timer_stop(l);
    l->tsc_deadline = tsc;
    if (tsc == 0 || LVT_TIMER_MODE(l->lvt_timer) != TIMER_TSC_DEADLINE)
        return;
    ns = tsc_ticks_to_ns(tsc);
    l->timer_deadline_ns = ns != 0 ? ns : 1;
}

static uint32_t timer_current(const struct vlapic *l)
{
    uint64_t now = arch_now_ns();

    if (l->timer_deadline_ns == 0 || l->timer_period_ns == 0 || now >= l->timer_deadline_ns)
        return 0;
    return (uint32_t)((l->timer_deadline_ns - now) / (divisor(l) * BUS_NS_PER_TICK));
}

void vlapic_timer_expired(struct vcpu *v, uint64_t now_ns)
{
    struct vlapic *l = vl(v);
    uint32_t lvt = l->lvt_timer;

    if (l->timer_deadline_ns == 0 || now_ns < l->timer_deadline_ns)
        return;
    if (LVT_TIMER_MODE(lvt) == TIMER_PERIODIC && l->timer_period_ns != 0 &&
        !v->domain->is_shut_down) {
        /* Skip periods that passed unseen (a descheduled vCPU): one interrupt for them. */
        uint64_t late = now_ns - l->timer_deadline_ns;

        l->timer_deadline_ns += (late / l->timer_period_ns + 1) * l->timer_period_ns;
        /*
         * Not running here now: this interrupt already wakes it, and more periods would
         * only be coalesced into it, so stop the timer until v runs again
         * (vlapic_timer_resume) rather than interrupt its CPU, and whoever runs there,
         * every period.
         */
        if (x86_running_vcpu(smp_processor_id()) != v) {
            l->timer_parked_ns = l->timer_deadline_ns;
            l->timer_deadline_ns = 0;
        }
    } else {
        l->timer_deadline_ns = 0;
        if (LVT_TIMER_MODE(lvt) == TIMER_TSC_DEADLINE)
            l->tsc_deadline = 0; /* the MSR reads 0 once it fired */
    }
    if (!(lvt & LVT_MASKED) && (l->svr & SVR_ENABLE))
        vlapic_set_irq(v, (uint8_t)lvt);
}

void vlapic_timer_resume(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    uint64_t now, next = l->timer_parked_ns;

    if (next == 0 || l->timer_period_ns == 0)
        return;
    now = arch_now_ns();
    /* The periods missed while it was away are coalesced into the interrupt raised when
     * the timer was parked (still pending, or taken since): keep the phase, skip them. */
    if (now >= next)
        next += ((now - next) / l->timer_period_ns + 1) * l->timer_period_ns;
    l->timer_parked_ns = 0;
    l->timer_deadline_ns = next;
    x86_timer_reprogram();
}

/* ---- IPIs -------------------------------------------------------------------------------- */

static bool send_ipi(struct vcpu *v, uint64_t icr)
{
    struct domain *d = v->domain;
    uint8_t vector = (uint8_t)icr;
    unsigned int shorthand = ICR_SHORTHAND(icr);
    uint32_t dest = (uint32_t)(icr >> 32);

    if (ICR_DELIVERY(icr) != 0 || (icr & BIT(11)))
        return true; /* not fixed, or logical destination: accepted, nothing delivered */
    if (shorthand == 1) {
        vlapic_set_irq(v, vector);
        return true;
    }
    for (uint32_t i = 0; i < d->max_vcpus; i++) {
        struct vcpu *t = d->vcpu[i];

        if (t == NULL || t->arch == NULL)
            continue;
        if ((shorthand == 0 && (dest == t->vcpu_id || dest == 0xffffffffu)) || shorthand == 2 ||
            (shorthand == 3 && t != v))
            vlapic_set_irq(t, vector);
    }
    return true;
}

/* ---- MSR interface ------------------------------------------------------------------------- */

/*
 * One register by its x2APIC index (xAPIC offset >> 4), in either mode: `x2` says which
 * interface asks, for the few registers whose layout differs (ID, LDR, DFR, ICR).
 */
static bool reg_read(struct vcpu *v, uint32_t r, bool x2, uint64_t *val)
{
    struct vlapic *l = vl(v);

    if (r >= R_ISR0 && r < R_ISR0 + 8) {
        *val = __atomic_load_n(&l->isr[r - R_ISR0], __ATOMIC_RELAXED);
        return true;
    }
    if (r >= R_IRR0 && r < R_IRR0 + 8) {
        *val = __atomic_load_n(&l->irr[r - R_IRR0], __ATOMIC_RELAXED);
        return true;
    }
    if (r >= R_TMR0 && r < R_TMR0 + 8) {
        *val = 0; /* every vector is edge-triggered */
        return true;
    }
    if (r >= R_LVT_THERMAL && r <= R_LVT_ERR) {
        *val = l->lvt[r - R_LVT_THERMAL];
        return true;
    }
    switch (r) {
    case R_ID:
        *val = x2 ? v->vcpu_id : v->vcpu_id << 24; /* xAPIC: the ID in bits 31:24 */
        return true;
    case R_VERSION:
        *val = APIC_VERSION;
        return true;
    case R_TPR:
        *val = l->tpr;
        return true;
    case R_PPR:
        *val = ppr(l);
        return true;
    case R_LDR:
        /* x2APIC: the cluster form derived from the ID; xAPIC: what the guest wrote. */
        *val = x2 ? (v->vcpu_id >> 4) << 16 | 1u << (v->vcpu_id & 0xf) : l->ldr;
        return true;
    case R_DFR:
        if (x2)
            return false; /* no DFR in x2APIC mode */
        *val = l->dfr;
        return true;
    case R_SVR:
        *val = l->svr;
        return true;
    case R_ESR:
        *val = l->esr;
        return true;
    case R_LVT_CMCI:
        *val = l->lvt[5];
        return true;
    case R_ICR:
        *val = x2 ? 0 : l->icr_low; /* delivered at once: never busy */
        return true;
    case R_ICR_HIGH:
        if (x2)
            return false; /* one 64-bit ICR in x2APIC mode */
        *val = l->icr_high;
        return true;
    case R_LVT_TMR:
        *val = l->lvt_timer;
        return true;
    case R_TMR_INIT:
        *val = l->timer_initial;
        return true;
    case R_TMR_CUR:
        *val = timer_current(l);
        return true;
    case R_TMR_DIV:
        *val = l->timer_divide_reg;
        return true;
    default:
        return false; /* EOI and SELF_IPI are write-only; the rest reserved */
    }
}

bool vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct vlapic *l = vl(v);

    if (msr == MSR_APIC_BASE) {
        *val = l->apic_base;
        return true;
    }
    if (msr == MSR_TSC_DEADLINE) {
        *val = l->tsc_deadline;
        return true;
    }
    if (msr < X2APIC_FIRST || msr > X2APIC_LAST || !x2apic_on(l))
        return false;
    return reg_read(v, msr - X2APIC_FIRST, true, val);
}

static bool write_apic_base(struct vcpu *v, uint64_t val)
{
    struct vlapic *l = vl(v);
    uint64_t keep = APIC_BASE_BSP | APIC_BASE_ADDR;

    /* Only EN and EXTD may change; the base stays where CPUID-era software expects it. */
    if ((val & ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD)) != (l->apic_base & keep))
        return false;
    if ((val & APIC_BASE_EXTD) && !(val & APIC_BASE_EN))
        return false; /* x2APIC without the APIC: an invalid state */
    if (x2apic_on(l) && !(val & APIC_BASE_EXTD) && (val & APIC_BASE_EN))
        return false; /* x2APIC -> xAPIC directly is invalid too */
    l->apic_base = (l->apic_base & keep) | (val & (APIC_BASE_EN | APIC_BASE_EXTD));
    return true;
}

static bool reg_write(struct vcpu *v, uint32_t r, bool x2, uint64_t val)
{
    struct vlapic *l = vl(v);
    uint32_t lo = (uint32_t)val;

    if (r >= R_LVT_THERMAL && r <= R_LVT_ERR) {
        l->lvt[r - R_LVT_THERMAL] = lo & 0x000317ffu;
        return true;
    }
    switch (r) {
    case R_TPR:
        l->tpr = lo & 0xff;
        return true;
    case R_EOI:
        if (x2 && lo != 0)
            return false; /* x2APIC: #GP; xAPIC: any value is an EOI */
        eoi(l);
        return true;
    case R_LDR:
        if (x2)
            return false; /* read-only in x2APIC mode */
        l->ldr = lo & 0xff000000u;
        return true;
    case R_DFR:
        if (x2)
            return false;
        l->dfr = lo | 0x0fffffffu; /* the model in bits 31:28, the rest reads as ones */
        return true;
    case R_SVR:
        l->svr = lo & 0x11ff;
        if (!(l->svr & SVR_ENABLE)) {
            /* Software-disabled: every LVT entry masks itself. */
            l->lvt_timer |= LVT_MASKED;
            for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
                l->lvt[i] |= LVT_MASKED;
        }
        return true;
    case R_ESR:
        l->esr = 0;
        return true;
    case R_LVT_CMCI:
        l->lvt[5] = lo & 0x000117ffu;
        return true;
    case R_ICR:
        if (x2)
            return send_ipi(v, val);
        /* xAPIC: writing the low half sends, to the 8-bit destination of the high half
         * (0xff: every vCPU, the broadcast ID). */
        l->icr_low = lo & ~ICR_BUSY;
        val = l->icr_high >> 24;
        return send_ipi(v, (uint64_t)(val == 0xff ? 0xffffffffu : val) << 32 | lo);
    case R_ICR_HIGH:
        if (x2)
            return false;
        l->icr_high = lo & 0xff000000u;
        return true;
    case R_LVT_TMR: {
        uint32_t old_mode = LVT_TIMER_MODE(l->lvt_timer);

        if (LVT_TIMER_MODE(lo) == 3)
            return false; /* reserved mode */
        l->lvt_timer = lo & 0x000710ffu;
        if (!(l->svr & SVR_ENABLE))
            l->lvt_timer |= LVT_MASKED;
        if (LVT_TIMER_MODE(l->lvt_timer) != old_mode) {
            /* A mode change disarms the timer, as on hardware. */
            timer_stop(l);
            l->tsc_deadline = 0;
            l->timer_initial = 0;
            x86_timer_reprogram();
        }
        return true;
    }
    case R_TMR_INIT:
        timer_start_count(l, lo);
        x86_timer_reprogram();
        return true;
    case R_TMR_DIV:
        l->timer_divide_reg = lo & 0xb;
        return true;
    case R_SELF_IPI:
        if (!x2 || (val >> 8) != 0)
            return false; /* x2APIC only */
        vlapic_set_irq(v, (uint8_t)val);
        return true;
    default:
        return false; /* read-only or reserved */
    }
}

bool vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct vlapic *l = vl(v);
    uint32_t r = msr - X2APIC_FIRST;

    if (msr == MSR_APIC_BASE)
        return write_apic_base(v, val);
    if (msr == MSR_TSC_DEADLINE) {
        timer_start_tsc(l, val);
        x86_timer_reprogram();
        return true;
    }
    if (msr < X2APIC_FIRST || msr > X2APIC_LAST || !x2apic_on(l))
        return false;
    /* Writes to 32-bit registers with the high half set are #GP in x2APIC mode. */
    if (r != R_ICR && (val >> 32) != 0)
        return false;
    return reg_write(v, r, true, val);
}

/* ---- xAPIC page ---------------------------------------------------------------------------- */

/* Is gpa in v's xAPIC page, and is that page there (APIC enabled, not in x2APIC mode)? */
static bool xapic_page(const struct vlapic *l, uint64_t gpa)
{
    return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN &&
           (gpa & ~(uint64_t)(PAGE_SIZE - 1)) == (l->apic_base & APIC_BASE_PAGE);
}

/*
 * Registers are 32 bits wide at 16-byte steps. A read of 1, 2 or 4 bytes inside a
 * register's first four bytes gets those bytes (8 bytes: the register, zero above);
 * elsewhere in the slot, and write-only or reserved registers, read 0. Only aligned
 * 32-bit writes reach a register (the SDM makes narrower ones undefined); others vanish.
 */
bool vlapic_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
    uint32_t off = (uint32_t)(gpa & (PAGE_SIZE - 1)), in = off & 0xf;
    uint64_t reg = 0;

    if (!xapic_page(vl(v), gpa))
        return false;
    if (in >= 4 || !reg_read(v, off >> 4, false, &reg))
        reg = 0;
    reg = (uint32_t)reg >> (8 * in);
    *val = size >= 4 ? reg : reg & ((1u << (8 * size)) - 1);
    return true;
}

bool vlapic_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val)
{
    uint32_t off = (uint32_t)(gpa & (PAGE_SIZE - 1));

    if (!xapic_page(vl(v), gpa))
        return false;
    if (size == 4 && (off & 0xf) == 0)
        (void)reg_write(v, off >> 4, false, (uint32_t)val); /* refused: ignored, no #GP */
    return true;
}
