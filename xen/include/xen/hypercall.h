/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercall dispatch, shared by every port (xen/common/hypercall.c).
 *
 * The port decodes its calling convention (ARM: HVC #0xEA1, number in x16, arguments in
 * x0-x4, result in x0; x86: VMMCALL, RAX and RDI/RSI/RDX/R10/R8 or EBX/ECX/EDX/ESI/EDI)
 * into a number and five arguments, calls hypercall_dispatch() and writes the result back.
 * One table, indexed by __HYPERVISOR_* number, serves all ports; unknown and unsupported
 * numbers return -ENOSYS.
 *
 * Pointer arguments are addresses as the calling vCPU sees them (see arch_copy_from_guest).
 */
#ifndef MINIXEN_HYPERCALL_H
#define MINIXEN_HYPERCALL_H

#include <xen/arch_hooks.h>
#include <xen/domain.h>
#include <xen/errno.h>
#include <xen/nospec.h>
#include <public/xen.h>

#define HYPERCALL_NR_ARGS 5

/*
 * arch_copy_from_guest() for a hypercall's argument struct, whose size the compiler knows:
 * when it lies in one page (nearly always), one translation and a copy written inline,
 * not the general page-by-page loop. The guest's pointer may be unaligned: then the copy
 * goes byte by byte, which -mstrict-align builds need; aligned, word by word.
 */
/* The widest word an argument struct of len bytes can be copied in, if aligned to it. */
#define ARG_WORD(len) ((len) % 8 == 0 ? 8 : (len) % 4 == 0 ? 4 : 1)

static inline int copy_arg_from_guest(struct domain *d, void *dst, gpaddr_t src, size_t len)
{
    const void *p;

    if (!__builtin_constant_p(len) || len > 64 || (src & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
        return arch_copy_from_guest(d, dst, src, len);
    p = arch_guest_va_to_ptr(d, src, len, false);
    if (p == NULL)
        return -EFAULT;
    /* Aligned as guests lay their structs out: by words (the alignments are literals, as
     * clang wants them; the compiler keeps only the branch len allows). */
    if (ARG_WORD(len) == 8 && ((uintptr_t)p & 7) == 0)
        __builtin_memcpy(dst, __builtin_assume_aligned(p, 8), len);
    else if (ARG_WORD(len) >= 4 && ((uintptr_t)p & 3) == 0)
        __builtin_memcpy(dst, __builtin_assume_aligned(p, 4), len);
    else
        __builtin_memcpy(dst, p, len);
    return 0;
}

/* args are in/out: a handler that returns -ERESTART leaves its progress in them. */
typedef long (*hypercall_fn_t)(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);

/*
 * Run hypercall nr for curr (the current vCPU). Returns the guest's result register.
 * -ERESTART means "not finished, arguments updated in args": the port re-issues the
 * same hypercall with the new args when the guest next runs (Xen's continuation; e.g.
 * EVTCHNOP_reset on a domain with many ports). Callers must treat args as in/out.
 */
long hypercall_dispatch(struct vcpu *curr, unsigned long nr, unsigned long args[HYPERCALL_NR_ARGS]);

/*
 * The table (xen/common/hypercall.c): the handler of each __HYPERVISOR_* number up to the
 * highest one we implement, NULL for the others.
 */
#define HYPERCALL_TABLE_SIZE (__HYPERVISOR_hvm_op + 1)
extern const hypercall_fn_t hypercall_table[HYPERCALL_TABLE_SIZE];

/*
 * Pure hypercalls: the handler only reads state or copies to the caller's memory; it never
 * wakes, blocks, pauses or signals any vCPU, so a port's fast path returns to the caller
 * without asking the scheduler or its interrupt controller. A handler listed here must keep
 * that property. A mask, not a field of the table: the fast path tests one bit of a
 * constant instead of loading a second word per entry.
 */
#define HYPERCALL_PURE_MASK (1ull << __HYPERVISOR_xen_version)

static inline bool hypercall_is_pure(unsigned long nr)
{
    return nr < HYPERCALL_TABLE_SIZE && ((HYPERCALL_PURE_MASK >> nr) & 1) != 0;
}

/*
 * Hypercalls whose only effect on any scheduler is vcpu_wake() (an event send wakes its
 * receiver, a poller): a wake on this CPU marks it (sched_kept_after_wakes), one on
 * another CPU kicks that CPU. Whatever else they do to a domain (the bounded guest
 * atomics' pause, XSA-295) is undone before they return. A port's exit then asks
 * sched_kept_after_wakes() instead of sched_keeps(). A handler listed here must keep that
 * property: anything that blocks, pauses, takes a vCPU down or arms a timer stays out.
 */
#define HYPERCALL_WAKES_ONLY_MASK (1ull << __HYPERVISOR_event_channel_op)

static inline bool hypercall_only_wakes(unsigned long nr)
{
    return nr < HYPERCALL_TABLE_SIZE && ((HYPERCALL_WAKES_ONLY_MASK >> nr) & 1) != 0;
}

/*
 * The handler of hypercall nr (the guest's number clamped against speculation), or NULL if
 * we do not implement it. Inline: a port's fast path looks it up once.
 */
static inline hypercall_fn_t hypercall_lookup(unsigned long nr)
{
    if (nr >= HYPERCALL_TABLE_SIZE)
        return NULL;
    return hypercall_table[array_index_nospec((uint32_t)nr, HYPERCALL_TABLE_SIZE)];
}

/* Run handler fn (from hypercall_lookup) for curr: -ENOSYS for a number we do not implement. */
static inline long hypercall_call(hypercall_fn_t fn, struct vcpu *curr,
                                  unsigned long args[HYPERCALL_NR_ARGS])
{
    return fn != NULL ? fn(curr, args) : -ENOSYS;
}

/*
 * The handlers of the table (xen/common/hypercall.c), one file each; args as the guest
 * passed them (see each file for their meaning). Every one validates every argument and
 * returns Xen's result and error codes.
 */
long hypercall_sched_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_set_timer_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_vcpu_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_memory_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_xen_version(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_console_io(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_hvm_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);
long hypercall_grant_table_op(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS]);

#endif
