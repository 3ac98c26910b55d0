/* SPDX-License-Identifier: Apache-2.0 */
/*
 * <xen/arch_hooks.h> for the host: the fake machine on which the event core runs as an
 * ordinary Linux program (see harness.h).
 *
 * - Guest atomics are the ports' own primitives (xen/arch/<arch>/include/asm/
 *   guest_atomics.h): `lock` instructions on x86_64, LSE or bounded LL/SC on aarch64, so
 *   test threads race them for real. Under ThreadSanitizer, which cannot see inside inline
 *   assembly, the same operations are done with compiler atomics so it can check the
 *   code around them.
 * - Guest RAM: HARNESS_GUEST_PAGES pages per domain at guest-physical
 *   HARNESS_RAM_BASE_GFN. Each page sits between inaccessible guard pages and becomes
 *   accessible when first used, so a hypervisor access that runs off the end of a guest
 *   page faults at once instead of silently touching the next one.
 * - The heap counts bytes in use (the benchmark and the fuzzer's leak check read it) and
 *   can be told to fail.
 */
#include <pthread.h>
#include <setjmp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__aarch64__)
#include <sys/auxv.h>
#include <asm/hwcap.h>
#endif

#include <asm/guest_atomics.h>

#include <xen/alloc.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu_time.h>

#include "harness.h"

/* First guest frame of RAM: QEMU virt's RAM base, so gfn 0 (and any small gfn) is not RAM. */
#define HARNESS_RAM_BASE_GFN 0x40000ull

/* Each guest page is followed by a guard page in host memory. */
#define HOST_PAGE_STRIDE (2 * (size_t)PAGE_SIZE)

#if defined(__SANITIZE_THREAD__)
#define HOST_COMPILER_ATOMICS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOST_COMPILER_ATOMICS 1
#endif
#endif

struct host_vcpu {
    unsigned long upcalls;
    unsigned long poll_wakes;
    unsigned long delivery_enables; /* arch_vcpu_enable_event_delivery calls */
    bool wakeup_event; /* an interrupt pending in the fake vGIC (harness_set_wakeup_event) */
    unsigned long initialised; /* arch_vcpu_initialise calls that succeeded */
};

/*
 * Changes to a domain's guest-physical map (arch_guest_physmap_set/clear), per domain:
 * RAM frame i sits at HARNESS_RAM_BASE_GFN + i unless a slot here says otherwise (a
 * PHYSMAP_NONE slot: nothing there now).
 */
#define HOST_PHYSMAP_SLOTS 2048 /* a balloon test gives back most of a domain's pages */
struct host_physmap {
    gfn_t gfn;
    void *page;
    enum physmap_type type;
    bool used;
};

/*
 * Per-domain host state, behind d->arch (and each v->arch points into it). It is kept by
 * domain id, not by the domain: a test may domain_destroy() a domain itself, and the
 * guest RAM must stay mapped for pointers the test still holds; harness_reset() or the
 * next domain with that id frees it.
 */
struct host_domain {
    struct domain *d;
    struct host_vcpu vcpu[MAX_VCPUS];
    uint8_t *ram;       /* HARNESS_GUEST_PAGES * HOST_PAGE_STRIDE bytes, PROT_NONE at first */
    uint32_t next_page; /* allocation cursor of harness_alloc_gfn() */
    uint32_t starve;    /* guest atomics left to fail (harness_starve_atomics) */
    pthread_mutex_t map_lock;
    uint64_t mapped[HARNESS_GUEST_PAGES / 64]; /* pages made accessible */
    struct host_physmap physmap[HOST_PHYSMAP_SLOTS];
    unsigned int physmap_used; /* slots in use: 0 keeps guest copies off the slow path */
    unsigned int rebuilds;     /* arch_domain_rebuild() calls */
};

/* Domains with host state, by id: for the starvation lookup, which only has an address. */
static struct host_domain *host_domains[MAX_DOMAINS];
static unsigned int starve_armed; /* sum of every domain's starve count: the fast path */

int host_domain_attach(struct domain *d);
void host_domain_release(domid_t id);

/* ---- Heap ----------------------------------------------------------------------------- */

/* In front of every block: its size and where the underlying allocation starts. */
struct alloc_hdr {
    size_t size;
    void *base;
};
_Static_assert(sizeof(struct alloc_hdr) == 16, "payload stays 16-byte aligned");

static size_t bytes_in_use;
static unsigned int allocs_to_fail;

/* Fault injection: the next n xzalloc_bytes() calls return NULL. */
void harness_fail_next_allocs(unsigned int n)
{
    __atomic_store_n(&allocs_to_fail, n, __ATOMIC_RELAXED);
}

static bool take_one(unsigned int *counter)
{
    unsigned int n = __atomic_load_n(counter, __ATOMIC_RELAXED);

    while (n != 0)
        if (__atomic_compare_exchange_n(counter, &n, n - 1, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED))
            return true;
    return false;
}

void *xzalloc_bytes(size_t size)
{
    /* Page-sized blocks get page alignment, as the hypervisor's page allocator gives. */
    size_t align = size >= PAGE_SIZE ? PAGE_SIZE : 16;
    struct alloc_hdr *h;
    uint8_t *base;

    if (take_one(&allocs_to_fail))
        return NULL;
    if (size > (SIZE_MAX / 2))
        return NULL;
    base = aligned_alloc(align, align + ((size + align - 1) & ~(align - 1)));
    if (base == NULL)
        return NULL;
    memset(base + align, 0, size);
    h = (struct alloc_hdr *)(base + align) - 1;
    h->size = size;
    h->base = base;
    __atomic_fetch_add(&bytes_in_use, size, __ATOMIC_RELAXED);
    return base + align;
}

void xfree(void *p)
{
    struct alloc_hdr *h;

    if (p == NULL)
        return;
    h = (struct alloc_hdr *)p - 1;
    __atomic_fetch_sub(&bytes_in_use, h->size, __ATOMIC_RELAXED);
    free(h->base);
}

size_t xalloc_size(const void *p)
{
    return p == NULL ? 0 : ((const struct alloc_hdr *)p - 1)->size;
}

size_t xalloc_bytes_in_use(void)
{
    return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}

/* libc has no fixed heap: tests say how large the hypervisor's would be. */
static size_t heap_total = 64u << 20;

void harness_set_heap_total(size_t bytes)
{
    heap_total = bytes;
}

size_t heap_total_bytes(void)
{
    return heap_total;
}

/* ---- Guest RAM ------------------------------------------------------------------------ */

static struct host_domain *host_of(const struct domain *d)
{
    return d != NULL ? d->arch : NULL;
}

void host_domain_release(domid_t id)
{
    struct host_domain *h = __atomic_exchange_n(&host_domains[id], NULL, __ATOMIC_ACQ_REL);

    if (h == NULL)
        return;
    __atomic_fetch_sub(&starve_armed, __atomic_exchange_n(&h->starve, 0, __ATOMIC_RELAXED),
                       __ATOMIC_RELAXED);
    munmap(h->ram, (size_t)HARNESS_GUEST_PAGES * HOST_PAGE_STRIDE);
    pthread_mutex_destroy(&h->map_lock);
    free(h);
}

int host_domain_attach(struct domain *d)
{
    size_t len = (size_t)HARNESS_GUEST_PAGES * HOST_PAGE_STRIDE;
    struct host_domain *h;

    host_domain_release(d->domain_id); /* left by a domain the test destroyed itself */
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return -ENOMEM;
    h->ram = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h->ram == MAP_FAILED) {
        free(h);
        return -ENOMEM;
    }
    pthread_mutex_init(&h->map_lock, NULL);
    h->d = d;
    d->arch = h;
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != NULL)
            d->vcpu[i]->arch = &h->vcpu[i];
    __atomic_store_n(&host_domains[d->domain_id], h, __ATOMIC_RELEASE);
    return 0;
}

/* Page index of gfn in d's RAM, or -1 if gfn is not RAM. */
static long ram_page(const struct host_domain *h, gfn_t gfn)
{
    if (h == NULL || gfn < HARNESS_RAM_BASE_GFN ||
        gfn - HARNESS_RAM_BASE_GFN >= HARNESS_GUEST_PAGES)
        return -1;
    return (long)(gfn - HARNESS_RAM_BASE_GFN);
}

/* Host address of a RAM page, made accessible on first use. */
static uint8_t *page_va(struct host_domain *h, long page)
{
    uint64_t bit = 1ull << (page % 64);
    uint8_t *va = h->ram + (size_t)page * HOST_PAGE_STRIDE;

    if (__atomic_load_n(&h->mapped[page / 64], __ATOMIC_ACQUIRE) & bit)
        return va;
    pthread_mutex_lock(&h->map_lock);
    if (!(h->mapped[page / 64] & bit)) {
        if (mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
            perror("harness: mprotect guest page");
            abort();
        }
        __atomic_fetch_or(&h->mapped[page / 64], bit, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&h->map_lock);
    return va;
}

void *harness_gfn_to_va(struct domain *d, gfn_t gfn)
{
    struct host_domain *h = host_of(d);
    long page = ram_page(h, gfn);

    return page < 0 ? NULL : page_va(h, page);
}

gpaddr_t harness_va_to_gpa(struct domain *d, const void *va)
{
    const struct host_domain *h = host_of(d);
    uintptr_t off;

    if (h == NULL || (const uint8_t *)va < h->ram)
        return 0;
    off = (uintptr_t)((const uint8_t *)va - h->ram);
    if (off >= (size_t)HARNESS_GUEST_PAGES * HOST_PAGE_STRIDE ||
        off % HOST_PAGE_STRIDE >= PAGE_SIZE)
        return 0;
    return ((HARNESS_RAM_BASE_GFN + off / HOST_PAGE_STRIDE) << PAGE_SHIFT) |
           (off % HOST_PAGE_STRIDE);
}

gfn_t harness_alloc_gfn(struct domain *d)
{
    struct host_domain *h = host_of(d);
    uint32_t page;

    if (h == NULL)
        return 0;
    page = __atomic_fetch_add(&h->next_page, 1, __ATOMIC_RELAXED);
    if (page >= HARNESS_GUEST_PAGES) {
        __atomic_store_n(&h->next_page, HARNESS_GUEST_PAGES, __ATOMIC_RELAXED);
        return 0;
    }
    memset(page_va(h, page), 0, PAGE_SIZE);
    return HARNESS_RAM_BASE_GFN + page;
}

/* Pages handed out so far (the hostile tests scribble over exactly these). */
uint32_t harness_gfns_allocated(struct domain *d)
{
    const struct host_domain *h = host_of(d);

    return h == NULL ? 0
                     : MIN(__atomic_load_n(&h->next_page, __ATOMIC_RELAXED),
                           (uint32_t)HARNESS_GUEST_PAGES);
}

gfn_t harness_first_gfn(void)
{
    return HARNESS_RAM_BASE_GFN;
}

static enum physmap_type override_at(struct host_domain *h, gfn_t gfn, void **page);

/* d's own RAM at gfn as its physmap has it now (NULL: none there). */
static void *ram_now(struct domain *d, gfn_t gfn)
{
    struct host_domain *h = host_of(d);
    void *page;

    if (h != NULL && __atomic_load_n(&h->physmap_used, __ATOMIC_ACQUIRE) != 0) {
        enum physmap_type t = override_at(h, gfn, &page);

        if (t != PHYSMAP_OTHER) /* OTHER: no slot for gfn */
            return t == PHYSMAP_RAM ? page : NULL;
    }
    return harness_gfn_to_va(d, gfn);
}

void *arch_map_guest_frame(struct domain *d, gfn_t gfn)
{
    return ram_now(d, gfn);
}

void arch_unmap_guest_frame(struct domain *d, void *va)
{
    /* RAM stays mapped for the domain's life: nothing to undo. */
    (void)d;
    (void)va;
}

/*
 * The harness's guests run without paging: their addresses are guest-physical. RAM pages
 * are not contiguous in host memory (guard pages between them), which the common copy
 * loop never assumes: it asks for one page at a time.
 */
void *arch_guest_va_to_ptr(struct domain *d, gpaddr_t va, size_t len, bool write)
{
    uint8_t *page = ram_now(d, va >> PAGE_SHIFT);

    (void)len;
    (void)write;
    return page == NULL ? NULL : page + (va & (PAGE_SIZE - 1));
}

/* ---- Guest atomics -------------------------------------------------------------------- */

#if defined(__aarch64__)
/* Read by the arm primitives. Chosen before main() from the CPU, or forced by the env. */
bool arm_guest_atomics_lse;

__attribute__((constructor)) static void host_atomics_choose(void)
{
    const char *force = getenv("MINIXEN_GUEST_ATOMICS");
    bool have_lse = (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0;

    arm_guest_atomics_lse = have_lse;
    if (force != NULL && strcmp(force, "llsc") == 0)
        arm_guest_atomics_lse = false;
    else if (force != NULL && strcmp(force, "lse") == 0 && !have_lse)
        fprintf(stderr, "harness: MINIXEN_GUEST_ATOMICS=lse but the CPU has no LSE\n");
}
#endif

/* Which primitives this run exercises (for test diagnostics). */
const char *harness_atomics_name(void)
{
#if defined(HOST_COMPILER_ATOMICS)
    return "compiler atomics (TSan build)";
#elif defined(__aarch64__)
    return arm_guest_atomics_lse ? "arm64 LSE" : "arm64 LL/SC (bounded)";
#else
    return "x86 lock";
#endif
}

static bool word_in(const void *word, const void *base, size_t len)
{
    return base != NULL && (const uint8_t *)word >= (const uint8_t *)base &&
           (const uint8_t *)word < (const uint8_t *)base + len;
}

/* Is word part of h's domain's memory: its RAM, its shared_info, a vcpu_info? */
static bool word_of(const struct host_domain *h, const void *word)
{
    const struct domain *d = h->d;

    if (word_in(word, h->ram, (size_t)HARNESS_GUEST_PAGES * HOST_PAGE_STRIDE) ||
        word_in(word, d->shared_info, PAGE_SIZE))
        return true;
    for (uint32_t i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] != NULL &&
            word_in(word, d->vcpu[i]->vcpu_info, d->guest_layout->vcpu_info_size))
            return true;
    return false;
}

/* Fault injection: should this atomic on `word` give up? */
static bool starved(const void *word)
{
    if (__atomic_load_n(&starve_armed, __ATOMIC_RELAXED) == 0)
        return false;
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct host_domain *h = __atomic_load_n(&host_domains[id], __ATOMIC_ACQUIRE);

        /* A domain the test destroyed itself has no memory to starve any more. */
        if (h != NULL && domain_lookup((domid_t)id) == h->d && word_of(h, word)) {
            if (!take_one(&h->starve))
                return false;
            __atomic_fetch_sub(&starve_armed, 1, __ATOMIC_RELAXED);
            return true;
        }
    }
    return false;
}

void harness_starve_atomics(struct domain *d, unsigned int n)
{
    struct host_domain *h = host_of(d);

    if (h == NULL)
        return;
    __atomic_fetch_add(&starve_armed, n, __ATOMIC_RELAXED);
    __atomic_fetch_add(&h->starve, n, __ATOMIC_RELAXED);
}

guest_atomic_t arch_guest_cmpxchg32(uint32_t *word, uint32_t expected, uint32_t desired,
                                    uint32_t *seen)
{
    if (starved(word)) {
        *seen = __atomic_load_n(word, __ATOMIC_RELAXED);
        return GUEST_ATOMIC_GAVE_UP;
    }
#ifdef HOST_COMPILER_ATOMICS
    __atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    *seen = expected;
    return GUEST_ATOMIC_DONE;
#else
    return raw_guest_cmpxchg32(word, expected, desired, seen);
#endif
}

guest_atomic_t arch_guest_cmpxchg64(uint64_t *word, uint64_t expected, uint64_t desired,
                                    uint64_t *seen)
{
    if (starved(word)) {
        *seen = __atomic_load_n(word, __ATOMIC_RELAXED);
        return GUEST_ATOMIC_GAVE_UP;
    }
#ifdef HOST_COMPILER_ATOMICS
    __atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    *seen = expected;
    return GUEST_ATOMIC_DONE;
#else
    return raw_guest_cmpxchg64(word, expected, desired, seen);
#endif
}

guest_atomic_t arch_guest_xchg32(uint32_t *word, uint32_t value, uint32_t *old)
{
    if (starved(word)) {
        *old = __atomic_load_n(word, __ATOMIC_RELAXED);
        return GUEST_ATOMIC_GAVE_UP;
    }
#ifdef HOST_COMPILER_ATOMICS
    *old = __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
    return GUEST_ATOMIC_DONE;
#else
    return raw_guest_xchg32(word, value, old);
#endif
}

/* test_and_set_bit32 (set) and test_and_clear_bit32 (!set): one starvation path for both. */
static guest_atomic_t test_and_change_bit32(uint32_t *word, unsigned int bit, bool *was_set,
                                            bool set)
{
    uint32_t m = 1u << (bit & 31);

    if (starved(word)) {
        *was_set = (__atomic_load_n(word, __ATOMIC_RELAXED) & m) != 0;
        return GUEST_ATOMIC_GAVE_UP;
    }
#ifdef HOST_COMPILER_ATOMICS
    uint32_t old = set ? __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST)
                       : __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST);

    *was_set = (old & m) != 0;
    return GUEST_ATOMIC_DONE;
#else
    return set ? raw_guest_test_and_set_bit32(word, bit, was_set)
               : raw_guest_test_and_clear_bit32(word, bit, was_set);
#endif
}

guest_atomic_t arch_guest_test_and_set_bit32(uint32_t *word, unsigned int bit, bool *was_set)
{
    return test_and_change_bit32(word, bit, was_set, true);
}

guest_atomic_t arch_guest_test_and_clear_bit32(uint32_t *word, unsigned int bit, bool *was_set)
{
    return test_and_change_bit32(word, bit, was_set, false);
}

/* ---- Event delivery ------------------------------------------------------------------- */

/*
 * As the ports do: the upcall interrupt becomes pending for v (counted here), and v can
 * take it, so common code wakes it (the scheduler ignores vCPUs it was not given, as in
 * the event-core suites).
 */
bool arch_vcpu_raise_upcall(struct vcpu *v)
{
    struct host_vcpu *hv = v->arch;

    if (hv != NULL)
        __atomic_fetch_add(&hv->upcalls, 1, __ATOMIC_RELAXED);
    return true;
}

void arch_vcpu_wake_poller(struct vcpu *v)
{
    struct host_vcpu *hv = v->arch;

    if (hv != NULL)
        __atomic_fetch_add(&hv->poll_wakes, 1, __ATOMIC_RELAXED);
    vcpu_wake(v);
}

void arch_vcpu_enable_event_delivery(struct vcpu *v)
{
    struct host_vcpu *hv = v->arch;

    if (hv != NULL)
        __atomic_fetch_add(&hv->delivery_enables, 1, __ATOMIC_RELAXED);
}

/* The upcall flag of v's vcpu_info, or an interrupt a test made pending. */
bool arch_vcpu_has_wakeup_event(struct vcpu *v)
{
    const struct host_vcpu *hv = v->arch;
    const uint8_t *info = __atomic_load_n((uint8_t **)&v->vcpu_info, __ATOMIC_ACQUIRE);

    if (hv != NULL && __atomic_load_n(&hv->wakeup_event, __ATOMIC_ACQUIRE))
        return true;
    return (__atomic_load_n(info, __ATOMIC_ACQUIRE) & 1) != 0;
}

void harness_set_wakeup_event(struct vcpu *v, bool pending)
{
    struct host_vcpu *hv = v->arch;

    if (hv != NULL)
        __atomic_store_n(&hv->wakeup_event, pending, __ATOMIC_RELEASE);
}

/* ---- Time and CPUs: a settable clock, recorded timers and kicks ------------------------- */

static uint64_t fake_now = 1000000000ull; /* 1 s after "boot": 0 is never a valid deadline */
static uint64_t cpu_timer[HARNESS_MAX_CPUS];
static unsigned long cpu_kicks[HARNESS_MAX_CPUS];
static _Thread_local unsigned int this_cpu;

uint64_t arch_now_ns(void)
{
    return __atomic_load_n(&fake_now, __ATOMIC_ACQUIRE);
}

/* arch_guest_layout_now(): the domain's own, unless a test set a mode for its guests. */
static const struct guest_layout *layout_now;

const struct guest_layout *arch_guest_layout_now(struct vcpu *v)
{
    return layout_now != NULL ? layout_now : v->domain->guest_layout;
}

void harness_set_layout_now(const struct guest_layout *l)
{
    layout_now = l;
}

/* arch_guest_time_base(): a counter at time_base_hz (0: none, as on ARM). */
static uint64_t time_base_hz;

bool arch_guest_time_base(struct domain *d, struct vcpu_time_info *t)
{
    uint64_t hz = __atomic_load_n(&time_base_hz, __ATOMIC_ACQUIRE);

    (void)d;
    if (hz == 0)
        return false;
    time_scale_from_hz(hz, &t->tsc_to_system_mul, &t->tsc_shift);
    /* A counter that reads 0 at system time 1 s: both ends of the base are exercised. */
    t->tsc_timestamp = 0;
    t->system_time = 1000000000ull;
    t->flags = 0;
    return true;
}

void harness_set_time_base(uint64_t hz)
{
    __atomic_store_n(&time_base_hz, hz, __ATOMIC_RELEASE);
}

void harness_set_now(uint64_t ns)
{
    __atomic_store_n(&fake_now, ns, __ATOMIC_RELEASE);
}

void harness_advance(uint64_t ns)
{
    __atomic_fetch_add(&fake_now, ns, __ATOMIC_ACQ_REL);
}

unsigned int arch_this_cpu(void)
{
    return this_cpu;
}

void harness_set_cpu(unsigned int cpu)
{
    if (cpu >= HARNESS_MAX_CPUS) {
        fprintf(stderr, "harness_set_cpu: cpu %u >= %u\n", cpu, HARNESS_MAX_CPUS);
        abort();
    }
    this_cpu = cpu;
}

void arch_set_cpu_timer(uint64_t deadline_ns)
{
    __atomic_store_n(&cpu_timer[this_cpu], deadline_ns, __ATOMIC_RELEASE);
}

uint64_t harness_cpu_timer(unsigned int cpu)
{
    return cpu < HARNESS_MAX_CPUS ? __atomic_load_n(&cpu_timer[cpu], __ATOMIC_ACQUIRE) : 0;
}

void arch_cpu_kick(unsigned int cpu)
{
    /* As on the ports, kicking yourself is a no-op. */
    if (cpu < HARNESS_MAX_CPUS && cpu != this_cpu)
        __atomic_fetch_add(&cpu_kicks[cpu], 1, __ATOMIC_RELAXED);
}

unsigned long harness_cpu_kicks(unsigned int cpu)
{
    return cpu < HARNESS_MAX_CPUS ? __atomic_load_n(&cpu_kicks[cpu], __ATOMIC_RELAXED) : 0;
}

/* Back to the state before the first test: clock, timers, kicks, this thread's CPU 0. */
void harness_machine_reset(void)
{
    __atomic_store_n(&fake_now, 1000000000ull, __ATOMIC_RELEASE);
    __atomic_store_n(&time_base_hz, 0, __ATOMIC_RELEASE);
    for (unsigned int i = 0; i < HARNESS_MAX_CPUS; i++) {
        __atomic_store_n(&cpu_timer[i], 0, __ATOMIC_RELAXED);
        __atomic_store_n(&cpu_kicks[i], 0, __ATOMIC_RELAXED);
    }
    this_cpu = 0;
}

/* ---- Domains: the physmap and shutdowns ------------------------------------------------- */

/* Guest frames below 2^28 (a 40-bit guest-physical space, ARM's smallest) may be used. */
#define HOST_PHYSMAP_LIMIT (1ull << (40 - PAGE_SHIFT))

/* The slot for gfn: its type and page; PHYSMAP_OTHER if there is none. */
static enum physmap_type override_at(struct host_domain *h, gfn_t gfn, void **page)
{
    enum physmap_type t = PHYSMAP_OTHER;

    pthread_mutex_lock(&h->map_lock);
    for (unsigned int i = 0; i < HOST_PHYSMAP_SLOTS; i++)
        if (h->physmap[i].used && h->physmap[i].gfn == gfn) {
            t = h->physmap[i].type;
            *page = h->physmap[i].page;
        }
    pthread_mutex_unlock(&h->map_lock);
    return t;
}

/* Tests may ask for a domain whose frames must go back where they were (populate). */
bool harness_direct_mapped[MAX_DOMAINS];

/* The PV console's frame: what the test chose (harness.h), 0 (none) by default. */
gfn_t harness_pv_console_gfn;

gfn_t arch_pv_console_gfn(const struct domain *d)
{
    (void)d;
    return harness_pv_console_gfn;
}

gfn_t arch_guest_ram_first_gfn(const struct domain *d)
{
    (void)d;
    return HARNESS_RAM_BASE_GFN;
}

bool arch_domain_direct_mapped(const struct domain *d)
{
    return d != NULL && d->domain_id < MAX_DOMAINS && harness_direct_mapped[d->domain_id];
}

uint64_t arch_guest_ram_frames(const struct domain *d)
{
    return host_of(d) == NULL ? 0 : HARNESS_GUEST_PAGES;
}

void *arch_guest_ram_frame(struct domain *d, uint64_t idx)
{
    struct host_domain *h = host_of(d);

    return h == NULL || idx >= HARNESS_GUEST_PAGES ? NULL : page_va(h, (long)idx);
}

int64_t arch_guest_ram_index(const struct domain *d, const void *page)
{
    const struct host_domain *h = host_of(d);
    uintptr_t off;

    if (h == NULL || (const uint8_t *)page < h->ram)
        return -1;
    off = (uintptr_t)((const uint8_t *)page - h->ram);
    if (off % HOST_PAGE_STRIDE != 0 || off / HOST_PAGE_STRIDE >= HARNESS_GUEST_PAGES)
        return -1;
    return (int64_t)(off / HOST_PAGE_STRIDE);
}

uint64_t arch_page_maddr(const void *page)
{
    return (uint64_t)(uintptr_t)page;
}

enum physmap_type arch_guest_physmap_query(struct domain *d, gfn_t gfn, void **page)
{
    struct host_domain *h = host_of(d);
    enum physmap_type t;
    long ram;

    *page = NULL;
    if (h == NULL)
        return PHYSMAP_NONE;
    t = override_at(h, gfn, page);
    if (t != PHYSMAP_OTHER)
        return t;
    ram = ram_page(h, gfn);
    if (ram < 0)
        return PHYSMAP_NONE;
    *page = page_va(h, ram);
    return PHYSMAP_RAM;
}

/* Record (gfn -> page, t) in a slot, replacing gfn's. -ENOMEM when every slot is taken. */
static int set_slot(struct host_domain *h, gfn_t gfn, void *page, enum physmap_type t)
{
    struct host_physmap *slot = NULL;
    int rc = 0;

    pthread_mutex_lock(&h->map_lock);
    for (unsigned int i = 0; i < HOST_PHYSMAP_SLOTS; i++) {
        if (h->physmap[i].used && h->physmap[i].gfn == gfn) {
            slot = &h->physmap[i]; /* replaces whatever was there */
            break;
        }
        if (!h->physmap[i].used && slot == NULL)
            slot = &h->physmap[i];
    }
    if (slot == NULL) {
        rc = -ENOMEM;
    } else {
        if (!slot->used)
            __atomic_fetch_add(&h->physmap_used, 1, __ATOMIC_RELEASE);
        *slot = (struct host_physmap){gfn, page, t, true};
    }
    pthread_mutex_unlock(&h->map_lock);
    return rc;
}

int arch_guest_physmap_set(struct domain *d, gfn_t gfn, void *page, enum physmap_type t)
{
    struct host_domain *h = host_of(d);

    if (h == NULL || gfn == 0 || gfn >= HOST_PHYSMAP_LIMIT || page == NULL ||
        ((uintptr_t)page & (PAGE_SIZE - 1)) != 0 || t == PHYSMAP_NONE || t == PHYSMAP_OTHER)
        return -EINVAL;
    return set_slot(h, gfn, page, t);
}

int arch_guest_physmap_clear(struct domain *d, gfn_t gfn)
{
    struct host_domain *h = host_of(d);

    if (h == NULL || gfn == 0 || gfn >= HOST_PHYSMAP_LIMIT)
        return -EINVAL;
    return set_slot(h, gfn, NULL, PHYSMAP_NONE);
}

void *harness_physmap_lookup(struct domain *d, gfn_t gfn)
{
    struct host_domain *h = host_of(d);
    void *page = NULL;

    if (h == NULL || override_at(h, gfn, &page) == PHYSMAP_OTHER)
        return NULL;
    return page;
}

/* The fake port's domains need no machine: constructing one only counts it. */
static unsigned int constructed;
unsigned int harness_fail_construct_id = ~0u;

int arch_domain_construct(struct domain *d, const struct boot_domain *cfg)
{
    (void)cfg;
    constructed++;
    return d->domain_id == harness_fail_construct_id ? -ENOMEM : 0;
}

int arch_vcpu_placed(struct vcpu *v, unsigned int cpu)
{
    (void)v;
    (void)cpu;
    return 0;
}

unsigned int harness_domains_constructed(void)
{
    return constructed;
}

/*
 * A domU's reboot: the fake port has no machine to rebuild; it counts the call and, as a
 * real port maps its RAM where it was built again, forgets every physmap change.
 */
int arch_domain_rebuild(struct domain *d)
{
    struct host_domain *h = host_of(d);

    if (h == NULL)
        return 0;
    __atomic_fetch_add(&h->rebuilds, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&h->map_lock);
    memset(h->physmap, 0, sizeof(h->physmap));
    __atomic_store_n(&h->physmap_used, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&h->map_lock);
    return 0;
}

unsigned int harness_rebuilds(struct domain *d)
{
    struct host_domain *h = host_of(d);

    return h != NULL ? __atomic_load_n(&h->rebuilds, __ATOMIC_RELAXED) : 0;
}

unsigned int harness_shutdowns(struct domain *d, unsigned int *last_reason)
{
    /* What common code records of it: the count and the reason of the last one. */
    if (last_reason != NULL)
        *last_reason = __atomic_load_n(&d->shutdown_reason, __ATOMIC_RELAXED);
    return __atomic_load_n(&d->shutdowns, __ATOMIC_ACQUIRE);
}

/* VCPUOP_initialise: the harness reads the guest's first 8 bytes as "the context". */
int arch_vcpu_initialise(struct vcpu *v, gpaddr_t arg)
{
    struct host_vcpu *hv = v->arch;
    uint64_t ctx;

    if (arch_copy_from_guest(v->domain, &ctx, arg, sizeof(ctx)) != 0)
        return -EFAULT;
    if (hv != NULL)
        __atomic_fetch_add(&hv->initialised, 1, __ATOMIC_RELAXED);
    return 0;
}

unsigned long harness_vcpu_initialised(const struct vcpu *v)
{
    const struct host_vcpu *hv = v->arch;

    return hv != NULL ? __atomic_load_n(&hv->initialised, __ATOMIC_RELAXED) : 0;
}

unsigned long harness_upcalls(const struct vcpu *v)
{
    const struct host_vcpu *hv = v->arch;

    return hv != NULL ? __atomic_load_n(&hv->upcalls, __ATOMIC_RELAXED) : 0;
}

unsigned long harness_poll_wakes(const struct vcpu *v)
{
    const struct host_vcpu *hv = v->arch;

    return hv != NULL ? __atomic_load_n(&hv->poll_wakes, __ATOMIC_RELAXED) : 0;
}

unsigned long harness_event_delivery_enables(const struct vcpu *v)
{
    const struct host_vcpu *hv = v->arch;

    return hv != NULL ? __atomic_load_n(&hv->delivery_enables, __ATOMIC_RELAXED) : 0;
}

/* ---- CPU ------------------------------------------------------------------------------ */

void arch_cpu_relax(void)
{
    static _Thread_local unsigned int spins;

    raw_cpu_relax();
    /*
     * Test threads are not CPUs: the lock holder may be descheduled (there are more
     * threads than host CPUs, and qemu-user or a sanitizer slows everything). Give the
     * CPU away now and then so it can finish.
     */
    if (++spins % 64 == 0)
        sched_yield();
}

unsigned long arch_local_irq_save(void)
{
    return 0; /* no interrupts in a test process */
}

void arch_local_irq_restore(unsigned long flags)
{
    (void)flags;
}

/*
 * Say "preempt" on every HARNESS_PREEMPT_EVERY-th call, so long operations (EVTCHNOP_reset)
 * take their -ERESTART continuation path in every test that runs them.
 */
#define HARNESS_PREEMPT_EVERY 4

bool arch_hypercall_preempt_check(void)
{
    static unsigned int calls;

    return __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) % HARNESS_PREEMPT_EVERY == 0;
}

/* ---- Console -------------------------------------------------------------------------- */

/* The newest output is kept; past this much, older text is dropped (fuzzing prints a lot). */
#define CONSOLE_CAP (1u << 20)

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static char *console_buf;
static size_t console_len;

/* Weak: test_serial links the real one (xen/drivers/char/serial.c) to drive fake UARTs. */
__attribute__((weak)) void arch_console_write(const char *s, size_t len)
{
    static int echo = -1; /* MINIXEN_CONSOLE set: also print to stderr */
    int e = __atomic_load_n(&echo, __ATOMIC_RELAXED);

    if (e < 0) {
        e = getenv("MINIXEN_CONSOLE") != NULL;
        __atomic_store_n(&echo, e, __ATOMIC_RELAXED);
    }
    if (e)
        fprintf(stderr, "%.*s", (int)len, s);
    if (len > CONSOLE_CAP)
        return;
    pthread_mutex_lock(&console_lock);
    if (console_buf == NULL)
        console_buf = malloc(CONSOLE_CAP + 1);
    if (console_buf != NULL) {
        if (console_len + len > CONSOLE_CAP)
            console_len = 0;
        memcpy(console_buf + console_len, s, len);
        console_len += len;
    }
    pthread_mutex_unlock(&console_lock);
}

/* ---- The machine: power-off, reset and halt ------------------------------------------- */

/*
 * A test that expects the machine to stop runs the code in harness_catch_machine_stop(),
 * which arms this thread's catcher: the hook then unwinds straight back there, as the real
 * machine would never come back. Unarmed, the three hooks end the program, loudly.
 */
static _Thread_local jmp_buf *machine_catcher;
static _Thread_local enum harness_machine_stop machine_stopped_how;

static void __attribute__((noreturn)) machine_stops(enum harness_machine_stop how)
{
    jmp_buf *catcher = machine_catcher;

    if (catcher != NULL) {
        machine_catcher = NULL;
        machine_stopped_how = how;
        longjmp(*catcher, 1);
    }
    pthread_mutex_lock(&console_lock);
    if (console_buf != NULL) {
        size_t n = MIN(console_len, (size_t)200);

        fprintf(stderr, "%.*s", (int)n, console_buf + console_len - n);
    }
    pthread_mutex_unlock(&console_lock);
    fprintf(stderr, "harness: the machine stopped (%d) outside harness_catch_machine_stop\n",
            (int)how);
    abort();
}

enum harness_machine_stop harness_catch_machine_stop(void (*fn)(void *), void *arg)
{
    jmp_buf here;

    if (setjmp(here) != 0)
        return machine_stopped_how;
    machine_catcher = &here;
    fn(arg);
    machine_catcher = NULL;
    return HARNESS_MACHINE_RUNS;
}

void arch_machine_power_off(void)
{
    machine_stops(HARNESS_MACHINE_POWERED_OFF);
}

void arch_machine_restart(void)
{
    machine_stops(HARNESS_MACHINE_RESTARTED);
}

/* panic() and machine_halt() end here. */
void arch_halt(void)
{
    machine_stops(HARNESS_MACHINE_HALTED);
}

char *harness_take_console(void)
{
    char *out;

    pthread_mutex_lock(&console_lock);
    out = malloc(console_len + 1);
    if (out != NULL) {
        if (console_len > 0)
            memcpy(out, console_buf, console_len);
        out[console_len] = '\0';
    }
    console_len = 0;
    pthread_mutex_unlock(&console_lock);
    return out;
}
