/* SPDX-License-Identifier: Apache-2.0 */
/*
 * <xen/arch_hooks.h> for the emu backend's broker: the "port" under which minixen's event
 * core (xen/common) runs as the hypervisor of an emulated machine inside an ordinary
 * process. Only what event channels need is a machine here:
 *
 * - guest memory is each domain's shared memory (emu_machine.h has the map), so the core's
 *   bounded guest atomics work on words other processes (the domain's "kernel") write;
 * - an upcall only flags the domain; the broker then runs the guest kernel's side of the
 *   upcall for it (emu_guest.c) once the hypercall that raised it has returned;
 * - one CPU, no scheduler, no timers, nothing to preempt: the broker is single-threaded;
 * - building, rebuilding and reshaping domains (physmap, VCPUOP_initialise) is not
 *   offered (0 RAM frames, -ENOSYS), so those hypercalls fail as on a port without them.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include <asm/guest_atomics.h> /* raw_cpu_relax, arm_guest_atomics_lse */

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/sched.h>

#include "emu_machine.h"

struct emu_domain *emu_domains[MAX_DOMAINS];
int emu_console_fd = -1;

/* ---- Heap: libc's, with the accounting common code asks for ----------------------------- */

static size_t heap_in_use;

void *xzalloc_bytes(size_t size)
{
    /* Page-sized blocks are page-aligned, as the hypervisor's allocator gives them. */
    void *p = size >= PAGE_SIZE
                  ? aligned_alloc(PAGE_SIZE, (size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1))
                  : malloc(size == 0 ? 1 : size);

    if (p == NULL)
        return NULL;
    memset(p, 0, malloc_usable_size(p));
    heap_in_use += malloc_usable_size(p);
    return p;
}

void xfree(void *p)
{
    if (p == NULL)
        return;
    heap_in_use -= malloc_usable_size(p);
    free(p);
}

size_t xalloc_size(const void *p)
{
    return p == NULL ? 0 : malloc_usable_size((void *)p);
}

size_t xalloc_bytes_in_use(void)
{
    return heap_in_use;
}

/* No fixed heap: what a hypervisor of the emulated machine's size would have. */
size_t heap_total_bytes(void)
{
    return 256u << 20;
}

/* ---- Guest memory --------------------------------------------------------------------- */

static struct emu_domain *emu_of(const struct domain *d)
{
    return d != NULL ? d->arch : NULL;
}

int emu_arch_domain_attach(struct emu_domain *ed, struct domain *d)
{
    const struct guest_layout *l = d->guest_layout;

    /*
     * shared_info must be in the shared memory, where the domain's processes map it: the
     * page domain_create filled is copied there and the core pointed at the copy (and at
     * the vcpu_info slots inside it); the original goes back at destruction.
     */
    memcpy(ed->shm + EMU_SHM_SHARED_INFO * PAGE_SIZE, d->shared_info, PAGE_SIZE);
    ed->own_shinfo = d->shared_info;
    d->shared_info = ed->shm + EMU_SHM_SHARED_INFO * PAGE_SIZE;
    for (uint32_t i = 0; i < d->max_vcpus && i < l->nr_legacy_vcpus; i++)
        d->vcpu[i]->vcpu_info = (uint8_t *)d->shared_info + (size_t)i * l->vcpu_info_size;
    ed->d = d;
    d->arch = ed;
    return 0;
}

/* The host address of gfn in d, for the hypervisor: RAM or (if scratch) the scratch page. */
static uint8_t *gfn_ptr(struct domain *d, gfn_t gfn, bool scratch)
{
    struct emu_domain *ed = emu_of(d);

    if (ed == NULL)
        return NULL;
    if (scratch && gfn == EMU_SCRATCH_GFN)
        return ed->scratch;
    if (gfn < EMU_RAM_GFN + EMU_SHM_FIFO_CONTROL || gfn >= EMU_RAM_GFN + EMU_SHM_PAGES)
        return NULL;
    return ed->shm + (size_t)(gfn - EMU_RAM_GFN) * PAGE_SIZE;
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    return gfn_ptr(d, gfn, false);
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    (void)d; /* the shared memory stays mapped for the domain's life */
    (void)va;
}

void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write)
{
    uint8_t *page = gfn_ptr(d, va >> PAGE_SHIFT, true);

    (void)len;
    (void)write;
    return page == NULL ? NULL : page + (va & (PAGE_SIZE - 1));
}

long emu_hypercall(struct emu_domain *ed, int cmd, void *arg, size_t size)
{
    /* A continued hypercall that never ends is the core's bug: stop, don't spin. */
    unsigned int restarts = 0;
    long rc;

    if (size > PAGE_SIZE)
        return -EINVAL;
    memcpy(ed->scratch, arg, size);
    while ((rc = do_event_channel_op(ed->d->vcpu[0], cmd, EMU_SCRATCH_GFN << PAGE_SHIFT)) ==
               -ERESTART &&
           ++restarts < (1u << 20))
        ;
    memcpy(arg, ed->scratch, size);
    return rc == -ERESTART ? -EBUSY : rc;
}

/* ---- Guest atomics ------------------------------------------------------------------
 *
 * The hooks are every port's own, xen/arch/shared/guest_atomics_hooks.c (emu.mk compiles
 * it with the build machine's port's headers). On arm64 the port's boot code picks LSE or
 * LL/SC from the CPU's ID register, which a process cannot read: here the kernel's
 * HWCAP says, and MINIXEN_GUEST_ATOMICS=llsc forces the bounded LL/SC path, as in the
 * host tests (both paths are then exercised on one CPU).
 */
#if defined(__aarch64__)
bool arm_guest_atomics_lse;

__attribute__((constructor)) static void emu_atomics_choose(void)
{
    const char *force = getenv("MINIXEN_GUEST_ATOMICS");

    arm_guest_atomics_lse = (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0 &&
                            !(force != NULL && strcmp(force, "llsc") == 0);
}
#endif

/* ---- Event delivery ------------------------------------------------------------------- */

bool arch_vcpu_raise_upcall(struct vcpu *v)
{
    struct emu_domain *ed = emu_of(v->domain);

    if (ed != NULL)
        ed->upcall = true; /* the broker runs the guest's upcall after this hypercall */
    return true;
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    (void)v; /* nobody polls: SCHEDOP_poll is no request of the broker's */
}

void arch_vcpu_enable_event_delivery(struct vcpu *v)
{
    (void)v;
}

bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    return (__atomic_load_n((uint8_t *)v->vcpu_info, __ATOMIC_ACQUIRE) & 1) != 0;
}

/* ---- CPU, time ------------------------------------------------------------------------ */

void arch_cpu_relax(void)
{
    raw_cpu_relax();
}

unsigned long arch_local_irq_save(void)
{
    return 0; /* no interrupts: the broker is one thread */
}

void arch_local_irq_restore(unsigned long flags)
{
    (void)flags;
}

bool arch_hypercall_preempt_check(void)
{
    return false; /* nothing else waits for this CPU but the next request */
}

void arch_halt(void)
{
    /* panic(): the machine is gone; its clients see their connections close. */
    _exit(70);
}

uint64_t arch_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool arch_guest_time_base(struct domain *d, struct vcpu_time_info *t)
{
    (void)d;
    (void)t;
    return false; /* no guest clock is emulated */
}

const struct guest_layout *arch_guest_layout_now(struct vcpu *v)
{
    return v->domain->guest_layout;
}

void arch_set_cpu_timer(uint64_t deadline_ns)
{
    (void)deadline_ns;
}

unsigned int arch_this_cpu(void)
{
    return 0;
}

void arch_cpu_kick(unsigned int cpu)
{
    (void)cpu;
}

/* ---- Domains: fixed memory, nothing to build ------------------------------------------ */

uint64_t arch_guest_ram_frames(const struct domain *d)
{
    (void)d;
    return 0; /* no physmap changes: memory_op's reshaping is -ENOSYS */
}

gfn_t arch_guest_ram_first_gfn(const struct domain *d)
{
    (void)d;
    return EMU_RAM_GFN;
}

bool arch_domain_direct_mapped(const struct domain *d)
{
    (void)d;
    return false;
}

gfn_t arch_pv_console_gfn(const struct domain *d)
{
    (void)d;
    return 0; /* the emulated domains' programs have their own stdout: no console ring */
}

void *arch_guest_ram_frame(struct domain *d, uint64_t idx)
{
    (void)d;
    (void)idx;
    return NULL;
}

int64_t arch_guest_ram_index(const struct domain *d, const void *page)
{
    (void)d;
    (void)page;
    return -1;
}

uint64_t arch_page_maddr(const void *page)
{
    return (uint64_t)(uintptr_t)page;
}

enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page)
{
    *page = gfn_ptr(d, gfn, false);
    return *page != NULL ? PHYSMAP_RAM : PHYSMAP_NONE;
}

int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t)
{
    (void)d;
    (void)gfn;
    (void)page;
    (void)t;
    return -EINVAL;
}

int arch_guest_physmap_clear(struct domain *d, gfn_t gfn)
{
    (void)d;
    (void)gfn;
    return -EINVAL;
}

int arch_domain_construct(struct domain *d, const struct boot_domain *cfg)
{
    (void)d;
    (void)cfg;
    return -ENOSYS;
}

int arch_vcpu_placed(struct vcpu *v, unsigned int cpu)
{
    (void)v;
    (void)cpu;
    return 0;
}

int arch_domain_rebuild(struct domain *d)
{
    (void)d;
    return -ENOSYS;
}

int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    (void)v;
    (void)arg;
    return -ENOSYS;
}

/* ---- The machine stopping, the console ------------------------------------------------ */

void arch_machine_power_off(void)
{
    _exit(0);
}

void arch_machine_restart(void)
{
    _exit(0);
}

void arch_console_write(const char *s, size_t len)
{
    if (emu_console_fd >= 0 && write(emu_console_fd, s, len) < 0)
        emu_console_fd = -1; /* a console that fails is dropped, never retried */
}
