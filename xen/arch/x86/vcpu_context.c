/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Start states of PVH vCPUs: vCPU 0's at the PVH entry point, and VCPUOP_initialise's
 * (struct vcpu_hvm_context, public/hvm/hvm_vcpu.h) for the secondaries, which is how Xen
 * PVH guests start them without an emulated INIT/SIPI.
 *
 * The guest's context is hostile input that will be loaded into a VMCB: every control
 * register bit must be one this port runs guests with, the paging mode must be
 * consistent, segments present and sane, and with paging on CR3 must lie in the domain's
 * RAM. Anything else is -EINVAL (Xen's answer for a context it will not load), so a bad
 * context never reaches VMRUN.
 */
#include <asm/vcpu.h>
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/hvm/hvm_vcpu.h>

#define CR0_AM BIT(18)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
#define CR0_ALLOWED                                                                                \
    (CR0_PE | CR0_MP | BIT(2) | BIT(3) | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD |     \
     CR0_PG)                 /* PE MP EM TS ET NE WP AM NW CD PG */
#define CR4_ALLOWED   0x7ffu /* VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT */
#define EFER_ALLOWED  (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define RFLAGS_FIXED1 BIT64(1)
#define RFLAGS_ALLOWED                                                                             \
    0x3f7fd7ull /* arithmetic, TF, IF, DF, OF, IOPL, NT, RF, AC, VIF, VIP, ID: no VM */
#define MAXPHYS_CR3 0x000ffffffffff000ull

BUILD_BUG_ON(sizeof(struct vcpu_hvm_context) != 128);

static struct hvm_seg flat(uint16_t sel, uint16_t ar)
{
    return (struct hvm_seg){.sel = sel, .ar = ar, .limit = 0xffffffffu, .base = 0};
}

void x86_pvh_start_state(struct hvm_start_state *s, uint32_t entry, uint32_t ebx)
{
    /* PVH: 32-bit protected mode, paging off, flat 4 GiB code and data segments. */
    *s = (struct hvm_start_state){
        .cr0 = CR0_PE | CR0_ET,
        .cs = flat(0x08, SEG_AR_CODE32),
        .ds = flat(0x10, SEG_AR_DATA),
        .es = flat(0x10, SEG_AR_DATA),
        .ss = flat(0x10, SEG_AR_DATA),
        .fs = flat(0x10, SEG_AR_DATA),
        .gs = flat(0x10, SEG_AR_DATA),
        .tr = {.sel = 0x18, .ar = SEG_AR_TSS32, .limit = 0x67},
    };
    s->regs.rip = entry;
    s->regs.rbx = ebx;
    s->regs.rflags = RFLAGS_FIXED1;
}

/* Paging and control registers, the same rules in both modes. */
static bool control_ok(struct domain *d, uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
    bool lma = (efer & EFER_LMA) != 0;

    if ((cr0 & ~(uint64_t)CR0_ALLOWED) || (cr4 & ~(uint64_t)CR4_ALLOWED) ||
        (efer & ~(uint64_t)EFER_ALLOWED) || !(cr0 & CR0_PE) || ((cr0 & CR0_NW) && !(cr0 & CR0_CD)))
        return false;
    /* Long mode is active exactly when LME and paging are on, and needs PAE. */
    if (lma != ((efer & EFER_LME) && (cr0 & CR0_PG)) || (lma && !(cr4 & CR4_PAE)))
        return false;
    if (cr0 & CR0_PG) {
        uint64_t table =
            (cr4 & CR4_PAE) ? (lma ? cr3 & MAXPHYS_CR3 : cr3 & 0xffffffe0u) : cr3 & 0xfffff000u;

        if ((cr3 >> 52) != 0 || table >= x86_dom(d)->ram_size)
            return false; /* the first table the walk reads must be the domain's RAM */
    }
    return true;
}

/*
 * A 32-bit mode segment: base, limit, attributes (12-bit form) from the context. DS and ES
 * may be null (not present: unusable until loaded), as Xen allows; CS, SS and TR may not.
 */
static bool seg_ok(struct hvm_seg *s, uint32_t base, uint32_t limit, uint16_t ar, bool code,
                   bool tss, bool may_be_null)
{
    if (ar & 0xf000)
        return false;
    if (!(ar & SEG_AR_P)) {
        *s = (struct hvm_seg){0};
        return may_be_null;
    }
    if (tss) {
        if ((ar & SEG_AR_S) || ((ar & 0xf) != 0xb && (ar & 0xf) != 0x3))
            return false; /* a busy 32- or 16-bit TSS */
    } else if (!(ar & SEG_AR_S) || ((ar & SEG_AR_CODE) != 0) != code) {
        return false;
    }
    /* With G, the limit counts 4 KiB pages: its low 12 bits read as ones. */
    if ((ar & SEG_AR_G) && (limit & 0xfff) != 0xfff)
        return false;
    if (!(ar & SEG_AR_G) && limit > 0xfffff)
        return false;
    if (ar & SEG_AR_L)
        return false; /* a 64-bit code segment belongs to VCPU_HVM_MODE_64B */
    *s = (struct hvm_seg){.sel = 0, .ar = ar, .limit = limit, .base = base};
    return true;
}

static int from_32(struct domain *d, const struct vcpu_hvm_x86_32 *c, struct hvm_start_state *s)
{
    *s = (struct hvm_start_state){0};
    if (!control_ok(d, c->cr0, c->cr3, c->cr4, c->efer) || (c->efer & EFER_LMA) ||
        (c->eflags & ~RFLAGS_ALLOWED))
        return -EINVAL;
    if (!seg_ok(&s->cs, c->cs_base, c->cs_limit, c->cs_ar, true, false, false) ||
        !seg_ok(&s->ds, c->ds_base, c->ds_limit, c->ds_ar, false, false, true) ||
        !seg_ok(&s->ss, c->ss_base, c->ss_limit, c->ss_ar, false, false, false) ||
        !seg_ok(&s->es, c->es_base, c->es_limit, c->es_ar, false, false, true) ||
        !seg_ok(&s->tr, c->tr_base, c->tr_limit, c->tr_ar, false, true, false))
        return -EINVAL;
    s->fs = s->gs = s->ds;
    s->cr0 = c->cr0, s->cr3 = c->cr3, s->cr4 = c->cr4, s->efer = c->efer;
    s->regs = (struct guest_regs){
        .rax = c->eax,
        .rcx = c->ecx,
        .rdx = c->edx,
        .rbx = c->ebx,
        .rsp = c->esp,
        .rbp = c->ebp,
        .rsi = c->esi,
        .rdi = c->edi,
        .rip = c->eip,
        .rflags = c->eflags | RFLAGS_FIXED1,
    };
    return 0;
}

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static int from_64(struct domain *d, const struct vcpu_hvm_x86_64 *c, struct hvm_start_state *s)
{
    if ((c->cr0 & (CR0_PE | CR0_PG)) != (CR0_PE | CR0_PG) || !(c->cr4 & CR4_PAE) ||
        (c->efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA) ||
        !control_ok(d, c->cr0, c->cr3, c->cr4, c->efer) || (c->rflags & ~RFLAGS_ALLOWED) ||
        !canonical(c->rip) || !canonical(c->rsp))
        return -EINVAL;
    /* Flat segments, as Xen loads them for this mode. */
    *s = (struct hvm_start_state){
        .cr0 = c->cr0,
        .cr3 = c->cr3,
        .cr4 = c->cr4,
        .efer = c->efer,
        .cs = flat(0, SEG_AR_CODE64),
        .ds = flat(0, SEG_AR_DATA),
        .es = flat(0, SEG_AR_DATA),
        .ss = flat(0, SEG_AR_DATA),
        .fs = flat(0, SEG_AR_DATA),
        .gs = flat(0, SEG_AR_DATA),
        .tr = {.ar = SEG_AR_TSS32, .limit = 0x67},
    };
    s->regs = (struct guest_regs){
        .rax = c->rax,
        .rcx = c->rcx,
        .rdx = c->rdx,
        .rbx = c->rbx,
        .rsp = c->rsp,
        .rbp = c->rbp,
        .rsi = c->rsi,
        .rdi = c->rdi,
        .rip = c->rip,
        .rflags = c->rflags | RFLAGS_FIXED1,
    };
    return 0;
}

int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    struct domain *d = v->domain;
    struct x86_domain *xd = x86_dom(d);
    struct vcpu_hvm_context ctx;
    struct hvm_start_state s;
    unsigned long flags;
    int rc;

    if (xd == NULL || v->arch == NULL)
        return -EINVAL;
    if (arch_copy_from_guest(d, &ctx, arg, sizeof(ctx)) != 0)
        return -EFAULT;
    if (ctx.mode == VCPU_HVM_MODE_32B)
        rc = from_32(d, &ctx.cpu_regs.x86_32, &s);
    else if (ctx.mode == VCPU_HVM_MODE_64B)
        rc = from_64(d, &ctx.cpu_regs.x86_64, &s);
    else
        rc = -EINVAL;
    if (rc != 0)
        return rc;
    /* The first of several concurrent callers wins; v is down, so nobody runs it. */
    flags = spin_lock_irqsave(&xd->context_lock);
    if (x86_vcpu(v)->has_context || vcpu_is_online(v)) {
        rc = -EEXIST;
    } else {
        hvm->vcpu_set_start_state(v, &s);
        xstate_vcpu_reset(v); /* FNINIT/MXCSR reset state, never another vCPU's leftovers */
        x86_vcpu(v)->has_context = true;
    }
    spin_unlock_irqrestore(&xd->context_lock, flags);
    return rc;
}
