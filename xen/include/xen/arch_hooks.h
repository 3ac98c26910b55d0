/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arch interface: everything common code (xen/common/) needs from a port.
 *
 * Common code includes this header and never an arch header. Each port
 * (xen/arch/arm, xen/arch/x86) implements every function below but the few that say
 * common code implements them; so does the host test harness (tests/host/arch_host.c),
 * which is how the event core runs as an ordinary Linux program. Keep this list small: a
 * new hook needs a reason that no common mechanism can serve.
 */
#ifndef MINIXEN_ARCH_HOOKS_H
#define MINIXEN_ARCH_HOOKS_H

#include <xen/types.h>

struct domain;
struct guest_layout;
struct vcpu;

/* ---- Bounded atomics on guest-writable words ------------------------------------------
 *
 * The guest may write these words at any time, from another CPU. An LL/SC loop can
 * therefore be starved forever (XSA-295): every primitive below gives up after a bounded
 * number of failed store-exclusives and says so. A primitive that cannot be starved
 * (x86 `lock` instructions, arm64 LSE) never gives up. Words are naturally aligned.
 * `seen`/`old` receive the value observed by the (final) attempt.
 */
typedef enum {
    GUEST_ATOMIC_DONE = 0,    /* the operation happened atomically */
    GUEST_ATOMIC_GAVE_UP = 1, /* the guest kept the word busy; nothing was written */
} guest_atomic_t;

guest_atomic_t arch_guest_cmpxchg32(uint32_t *word, uint32_t expected, uint32_t desired,
                                    uint32_t *seen);
guest_atomic_t arch_guest_cmpxchg64(uint64_t *word, uint64_t expected, uint64_t desired,
                                    uint64_t *seen);
guest_atomic_t arch_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old);
guest_atomic_t arch_guest_test_and_set_bit32(uint32_t *word, unsigned int bit, bool *was_set);
guest_atomic_t arch_guest_test_and_clear_bit32(uint32_t *word, unsigned int bit, bool *was_set);

/* ---- Guest memory -------------------------------------------------------------------- */

/*
 * Map one frame of d for hypervisor access. Returns NULL unless gfn is a writable RAM
 * page of d (never MMIO, never another domain's or the hypervisor's memory). The
 * mapping stays valid until arch_unmap_guest_frame().
 */
void *arch_map_guest_frame(struct domain *d, gfn_t gfn);
void arch_unmap_guest_frame(struct domain *d, void *va);

/*
 * The hypervisor's pointer to the bytes va..va+len-1 of d's calling vCPU (1 <= len, all in
 * va's page: the caller splits at page boundaries), for writing if write. The address is
 * as that vCPU sees it: on ARM and x86 HVM/PVH a guest *virtual* address, translated
 * through the guest's own page tables (stage 1) and then d's stage-2/nested tables, as Xen
 * does. NULL unless d's vCPU is the one running here and the bytes are d's RAM.
 */
void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write);

/*
 * Copy hypercall arguments (addresses as for arch_guest_va_to_ptr). Return 0, or -EFAULT
 * if any byte is not d's RAM. Common code implements these on top of the hook above
 * (xen/common/guest_copy.c), once for every port. (Guest frame numbers in hypercall
 * structs, e.g. init_control's control_gfn, are gfns: arch_map_guest_frame.)
 */
int arch_copy_from_guest(struct domain *d, void *dst, gpaddr_t src, size_t len);
int arch_copy_to_guest(struct domain *d, gpaddr_t dst, const void *src, size_t len);

/* ---- Event delivery ------------------------------------------------------------------ */

/*
 * v's vcpu_info.evtchn_upcall_pending is set (it just went 0 -> 1, or a new upcall vector
 * was registered): make the upcall interrupt pending in v's virtual interrupt controller
 * (ARM: PPI 31 in the vGIC; x86: v's own upcall vector in its vLAPIC, or nothing for the
 * global callback vector, which is injected for as long as the flag is set). Mechanism
 * only: returns whether v can take it, and common code (vcpu_raise_upcall) then wakes v
 * and kicks its CPU. May be called with a domain's event lock held and from interrupt
 * context.
 */
bool arch_vcpu_raise_upcall(struct vcpu *v);

/* v is blocked in SCHEDOP_poll on a port that just became pending: wake it. */
void arch_vcpu_wake_poller(struct vcpu *v);

/*
 * v, the caller, is in SCHEDOP_block: unmask its event upcall so the one that ends the
 * block is taken at once, as Xen's local_event_delivery_enable() does (ARM: clear the
 * guest's PSTATE.I; x86: clear vcpu_info.evtchn_upcall_mask). Called from v's hypercall.
 */
void arch_vcpu_enable_event_delivery(struct vcpu *v);

/* ---- CPU ----------------------------------------------------------------------------- */

/* Inside a spin-wait loop: let the other hardware thread or the bus make progress. */
void arch_cpu_relax(void);

/* Local interrupt masking, for locks also taken from interrupt context. */
unsigned long arch_local_irq_save(void);
void arch_local_irq_restore(unsigned long flags);

/* A long-running hypercall asks whether to stop and continue later (-ERESTART). */
bool arch_hypercall_preempt_check(void);

/* Stop this CPU for good, interrupts masked: where panic() (xen/common/panic.c) ends. */
void arch_halt(void) __attribute__((noreturn));

/* ---- Time, physical CPUs and the scheduler (xen/common/sched.c) ----------------------
 *
 * The common scheduler owns run queues, blocking and guest timers; the port owns the
 * clock, the one-shot timer interrupt of each CPU, the kick between CPUs and the world
 * switch. See xen/include/xen/sched.h for how the two meet.
 */

/* Monotonic hypervisor time in nanoseconds since boot (ARM: CNTPCT; x86: TSC/APIC). */
uint64_t arch_now_ns(void);

/*
 * The time base guests of d read in each vcpu_info (xen/include/xen/vcpu_time.h): fill
 * tsc_timestamp, system_time (arch_now_ns time at that counter value), tsc_to_system_mul,
 * tsc_shift and flags of *t (version is common code's); it must hold for d's whole life,
 * for every vCPU. false: the port publishes none (ARM, as Xen on Arm: guests use the
 * generic timer). Called from domain_create(), before the port's d->arch exists. Not a way
 * to the wall clock: that comes from the board's RTC, whose driver the port hands to
 * wallclock_init() at boot (xen/include/xen/wallclock.h).
 */
bool arch_guest_time_base(struct domain *d, struct vcpu_time_info *t);

/*
 * The layout of shared_info and vcpu_info that fits the mode v runs in now: x86 32- or
 * 64-bit (guest_layout_x86_32 / _x86_64); on ARM the domain's own, for every width.
 * domain_latch_guest_layout() asks it when a guest sets up its PV interfaces.
 */
const struct guest_layout *arch_guest_layout_now(struct vcpu *v);

/*
 * Program this CPU's one-shot hypervisor timer to fire at deadline_ns (arch_now_ns time);
 * 0 cancels. When it fires the port calls sched_timer_interrupt() on that CPU.
 */
void arch_set_cpu_timer(uint64_t deadline_ns);

/* The index (0..nr_cpus-1) of the physical CPU we run on. */
unsigned int arch_this_cpu(void);

/*
 * Make physical CPU cpu leave guest mode and look at its scheduler and pending virtual
 * interrupts soon (ARM: an SGI; x86: an IPI). A no-op for the calling CPU itself: it checks
 * both on its way back to the guest.
 */
void arch_cpu_kick(unsigned int cpu);

/*
 * Would v, if it blocked now (SCHEDOP_block, WFI, HLT), have to be woken at once? True
 * when an interrupt is pending for it in its virtual interrupt controller, including the
 * event upcall (evtchn_upcall_pending). Called with v's scheduler lock held.
 */
bool arch_vcpu_has_wakeup_event(struct vcpu *v);

/* ---- Domains --------------------------------------------------------------------------- */

/*
 * ---- A domain's guest-physical map (xen/common/physmap.c, memory_op.c, grant_map.c) ----
 *
 * A domain owns the RAM its port gave it at construction: arch_guest_ram_frames() frames,
 * frame i at hypervisor address arch_guest_ram_frame(d, i), for as long as it exists (its
 * reservation never grows past that). Its guest-physical map places, at guest frames:
 * its own RAM frames (not necessarily where they started, once it gives pages back and
 * asks for them again), hypervisor pages (shared_info, grant-table frames) and other
 * domains' frames it mapped by grant. A port that cannot change a domain's map after
 * construction says 0 frames; the operations that need it are then -ENOSYS.
 */
enum physmap_type {
    PHYSMAP_NONE,     /* nothing: an access faults */
    PHYSMAP_RAM,      /* one of d's own RAM frames, read/write */
    PHYSMAP_HYP_PAGE, /* a hypervisor page (shared_info, a grant-table frame) */
    PHYSMAP_GRANT_RW, /* another domain's frame mapped by grant, read/write */
    PHYSMAP_GRANT_RO, /* ... read-only */
    PHYSMAP_OTHER,    /* anything else the port put there (device MMIO, a boot image) */
};

uint64_t arch_guest_ram_frames(const struct domain *d);
/* The gfn where d's RAM frame 0 was placed when it was built (frame i at that + i). */
gfn_t arch_guest_ram_first_gfn(const struct domain *d);
/* Is d's RAM at its host addresses (gfn == host frame, Xen's direct map)? Its frames can
 * then only ever go back where they were built. */
bool arch_domain_direct_mapped(const struct domain *d);
/* Frame idx of d's RAM (NULL past the end); its index from the address, or -1. */
void *arch_guest_ram_frame(struct domain *d, uint64_t idx);
int64_t arch_guest_ram_index(const struct domain *d, const void *page);

/* The host ("machine") address of a page: what map_grant_ref reports as dev_bus_addr. */
uint64_t arch_page_maddr(const void *page);

/* What d has at gfn, and (not PHYSMAP_NONE/OTHER) the page's hypervisor address. */
enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page);

/*
 * Map `page` into d at gfn as type t (RAM, HYP_PAGE or a grant type), replacing whatever
 * d had there; the change is seen by every CPU when this returns. 0, or -EINVAL for a
 * gfn outside what d may use or a type the port does not offer, -ENOMEM.
 */
int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t);
/* Unmap gfn of d (seen by every CPU when this returns). 0, -EINVAL, -ENOMEM. */
int arch_guest_physmap_clear(struct domain *d, gfn_t gfn);

/*
 * The frame of d's RAM its builder set aside for the PV console ring (xen/common/
 * pv_console.c): kept out of the memory map the guest is given, part of the RAM d is
 * charged for. 0: this port places no ring (the console stays off).
 */
gfn_t arch_pv_console_gfn(const struct domain *d);

/*
 * Build the port's half of domain d (just made by domain_create, named) from its boot
 * configuration: its RAM, stage-2 (nested) tables, virtual interrupt controller, every
 * vCPU's architectural state, the kernel and its boot information (ARM: a DT; x86: PVH
 * start info), vCPU 0 at the entry. Nothing runs yet. 0, or -errno (no domain will run).
 * The common life-cycle around it: xen/include/xen/domain_build.h.
 */
struct boot_domain;
int arch_domain_construct(struct domain *d, const struct boot_domain *cfg);

/* v was just pinned to physical CPU cpu (sched_add_vcpu): the port's per-CPU lists. */
int arch_vcpu_placed(struct vcpu *v, unsigned int cpu);

/*
 * A domU that asked to reboot, once no CPU holds one of its vCPUs and domain_reset() has
 * put its common state back: build the port's half again from the configuration
 * arch_domain_construct() had (its RAM scrubbed and the kernel loaded again, fresh
 * virtual interrupt controller and vCPU state, stage 2 without the pages the guest
 * added, its static channels), vCPU 0 at the entry. 0, or -errno (the domain stays down).
 * The policy (which shutdowns restart) is common: xen/common/sched.c, domain_shutdown().
 */
int arch_domain_rebuild(struct domain *d);

/*
 * VCPUOP_initialise: give v, a vCPU of the caller's domain that has never run, its first
 * register state from the guest's struct at arg (a guest virtual address, as for
 * arch_copy_from_guest; x86 HVM/PVH: struct vcpu_hvm_context). VCPUOP_up then starts it.
 * 0, -EFAULT, or -EINVAL for a state the port will not run. Common code calls this only
 * for guest kinds that offer the op (guest_kind.h) and only while v is down and not yet
 * initialised; two vCPUs of a guest may initialise the same v at once, so the port
 * serialises the write. Ports whose guests never get the op return -ENOSYS.
 */
int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg);

/* ---- The machine (xen/common/shutdown.c) ----------------------------------------------
 *
 * When the hardware domain (dom0) shuts down, the machine follows it, as on Xen: common
 * code says why on the console, pauses every domain (so no CPU runs a guest any more) and
 * calls one of these, from the CPU that ended dom0, interrupts masked or not. Neither
 * returns: when the firmware or the hardware does not do what was asked, the port says so
 * and calls machine_halt() (xen/include/xen/shutdown.h).
 */

/* Power the machine off (ARM: PSCI SYSTEM_OFF; x86: ACPI S5 through PM1a/PM1b_CNT). */
void arch_machine_power_off(void) __attribute__((noreturn));

/*
 * Reset the machine (ARM: PSCI SYSTEM_RESET; x86: the FADT's reset register, else port
 * 0xCF9, else the keyboard controller).
 */
void arch_machine_restart(void) __attribute__((noreturn));

/* ---- Console ------------------------------------------------------------------------- */

void arch_console_write(const char *s, size_t len);

#endif
