/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bring-up guest's isolation probes (issue #11, the x86 findings), run by domU2 and
 * domU3 of boards/qemu-x86_64/domains.dts, which share a CPU at -smp 1:
 *   - a new vCPU's FPU/SIMD state is the reset state and its DR0-DR3 are 0, never what
 *     another vCPU left in the CPU;
 *   - x87, MXCSR, xmm0-15 and DR0-DR3 (and ymm0-15 where the CPU has AVX), loaded with a
 *     pattern of this domain's own, are still exactly that after many yields and blocks
 *     (the other domain loads its own);
 *   - XSETBV takes what CPUID offers and #GPs on the rest (CPUs with XSAVE only);
 *   - WBINVD and INVD are ignored, not faulted;
 *   - a periodic vLAPIC timer asked for at 10 us runs no faster than one per 100 us;
 *   - a long EVTCHNOP_reset is preempted for a pending interrupt: the guest's one-shot
 *     timer, due while it runs, arrives with RIP on the hypercall's VMMCALL (the
 *     continuation), not after it;
 *   - XENMEM_add_to_physmap refuses gfns past the domain's RAM + 4 GiB window (-EINVAL);
 *     one domain mapping at a new 2 MiB region each time runs out of its own heap budget
 *     (-ENOMEM), and then the other domain can still set up and map its grant table.
 * Everything here is minixen's behaviour; this guest does not run on Xen.
 */
#include <stddef.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/start_info.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

#define CR4_OSFXSR     (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_OSXSAVE    (1ul << 18)
#define FX_FCW         0
#define FX_FSW         2
#define FX_FTW         4
#define FX_MXCSR       24
#define FX_ST0         32  /* 8 x 16 bytes, 10 used */
#define FX_XMM0        160 /* 16 x 16 bytes */
#define YIELDS         400
#define TIMER_VECTOR   0xd0
#define X2APIC_EOI     0x80b
#define X2APIC_LVTT    0x832
#define X2APIC_TICR    0x838
#define X2APIC_TDCR    0x83e
#define LVT_MASKED     (1u << 16)
#define LVT_PERIODIC   (1u << 17)
#define PAGES_PER_2M   512ul
#define WINDOW_PAGES   ((4ul << 30) >> 12) /* minixen's add_to_physmap window above RAM */

extern void timer_entry(void), gp_entry(void), rip_tick_entry(void);
extern uint8_t hypercall_page[4096];
extern uint64_t idt[512];
volatile uint64_t gp_recover, gp_faults; /* head.S: #GP resumes at gp_recover if set */
static volatile unsigned long ticks;
static uint8_t fx_in[512] __attribute__((aligned(64)));
static uint8_t fx_out[512] __attribute__((aligned(64)));
static uint8_t ymm_in[16][32] __attribute__((aligned(32)));
static uint8_t ymm_out[16][32] __attribute__((aligned(32)));
static volatile unsigned long ticks_in_call, ticks_elsewhere;

static void gate(unsigned int vec, void (*fn)(void))
{
    uint64_t off = (uint64_t)fn;

    idt[2 * vec] =
        (off & 0xffff) | (0x08ull << 16) | (0x8eull << 40) | ((off >> 16) & 0xffff) << 48;
    idt[2 * vec + 1] = off >> 32;
}

static uint64_t read_cr4(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void write_cr4(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr4" ::"r"(v) : "memory");
}

static uint64_t rdtsc_(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr_(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static void cpuid_(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static void read_drs(uint64_t dr[4])
{
    __asm__ __volatile__("mov %%dr0, %0" : "=r"(dr[0]));
    __asm__ __volatile__("mov %%dr1, %0" : "=r"(dr[1]));
    __asm__ __volatile__("mov %%dr2, %0" : "=r"(dr[2]));
    __asm__ __volatile__("mov %%dr3, %0" : "=r"(dr[3]));
}

static void write_drs(const uint64_t dr[4])
{
    __asm__ __volatile__("mov %0, %%dr0" ::"r"(dr[0]));
    __asm__ __volatile__("mov %0, %%dr1" ::"r"(dr[1]));
    __asm__ __volatile__("mov %0, %%dr2" ::"r"(dr[2]));
    __asm__ __volatile__("mov %0, %%dr3" ::"r"(dr[3]));
}

static void fxsave(uint8_t *a)
{
    __asm__ __volatile__("fxsave64 (%0)" ::"r"(a) : "memory");
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

void iso_fresh_state(void)
{
    uint64_t dr[4];

    /* FXSAVE includes MXCSR and the xmm registers only with CR4.OSFXSR. */
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    fxsave(fx_out);
    read_drs(dr);
    ok(*(uint16_t *)(fx_out + FX_FCW) == 0x37f && *(uint16_t *)(fx_out + FX_FSW) == 0 &&
           fx_out[FX_FTW] == 0 && *(uint32_t *)(fx_out + FX_MXCSR) == 0x1f80 &&
           all_zero(fx_out + FX_ST0, 8 * 16) && all_zero(fx_out + FX_XMM0, 16 * 16),
       "a new vCPU's FPU/SIMD state is the reset state (FCW 0x37f, MXCSR 0x1f80, zeros)");
    ok((dr[0] | dr[1] | dr[2] | dr[3]) == 0, "a new vCPU's DR0-DR3 are 0");
}

/* This domain's pattern: every register a different value, seed in each. */
static void pattern(unsigned int seed, uint8_t *a, uint64_t dr[4])
{
    for (size_t i = 0; i < 512; i++)
        a[i] = 0;
    *(uint16_t *)(a + FX_FCW) = 0x37f;
    a[FX_FTW] = 0xff;                                         /* all eight x87 registers valid */
    *(uint32_t *)(a + FX_MXCSR) = 0x1f80 | (seed & 3u) << 13; /* rounding control */
    for (unsigned int i = 0; i < 8; i++) {
        *(uint64_t *)(a + FX_ST0 + 16 * i) = 1ull << 63 | (uint64_t)seed << 32 | i;
        *(uint16_t *)(a + FX_ST0 + 16 * i + 8) = (uint16_t)(0x3fff + i);
    }
    for (unsigned int i = 0; i < 16; i++) {
        *(uint64_t *)(a + FX_XMM0 + 16 * i) = (uint64_t)seed << 40 | 0xa5a5ull << 16 | i;
        *(uint64_t *)(a + FX_XMM0 + 16 * i + 8) = ~((uint64_t)seed << 40 | i);
    }
    for (unsigned int i = 0; i < 4; i++)
        dr[i] = 0x100000ull + (uint64_t)seed * 0x1000 + i * 8; /* DR7 stays 0: never armed */
}

static bool same_state(const uint8_t *want, const uint64_t want_dr[4])
{
    uint64_t dr[4];
    bool same;

    fxsave(fx_out);
    read_drs(dr);
    same = *(uint16_t *)(fx_out + FX_FCW) == *(const uint16_t *)(want + FX_FCW) &&
           fx_out[FX_FTW] == want[FX_FTW] &&
           *(uint32_t *)(fx_out + FX_MXCSR) == *(const uint32_t *)(want + FX_MXCSR);
    for (unsigned int i = 0; i < 8 && same; i++)
        for (unsigned int b = 0; b < 10; b++)
            same = same && fx_out[FX_ST0 + 16 * i + b] == want[FX_ST0 + 16 * i + b];
    for (unsigned int b = 0; b < 256 && same; b++)
        same = fx_out[FX_XMM0 + b] == want[FX_XMM0 + b];
    for (unsigned int i = 0; i < 4; i++)
        same = same && dr[i] == want_dr[i];
    return same;
}

void iso_registers(unsigned int seed, unsigned int port)
{
    struct evtchn_send send = {port};
    uint64_t dr[4];
    unsigned int bad = 0, i;

    pattern(seed, fx_in, dr);
    __asm__ __volatile__("fxrstor64 (%0)" ::"r"(fx_in) : "memory");
    write_drs(dr);
    for (i = 0; i < YIELDS; i++) {
        if (i % 4 == 3) { /* a block that returns at once: its own pending event */
            hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0);
            hcall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
        } else {
            hcall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
        }
        if (!same_state(fx_in, dr))
            bad++;
    }
    put_num("# registers changed after ", bad, " of ");
    put_num("", YIELDS, " yields/blocks\n");
    ok(bad == 0, "x87, MXCSR, xmm0-15 and DR0-DR3 keep this domain's values across yields and "
                 "blocks (another domain loads its own on the same CPU)");
}

void iso_cache_flush(void)
{
    __asm__ __volatile__("wbinvd; invd" ::: "memory");
    ok(true, "WBINVD and INVD are ignored (no #UD, no #GP)");
}

/* NOT on p (MMIO: an instruction the hypervisor does not emulate): true if it faulted
 * with #GP. */
bool iso_not_faults(volatile uint32_t *p)
{
    uint64_t before = gp_faults;

    gate(13, gp_entry);
    __asm__ __volatile__("lea 1f(%%rip), %%r8; mov %%r8, gp_recover(%%rip)\n"
                         "notl (%0)\n"
                         "1: movq $0, gp_recover(%%rip)" ::"a"(p)
                         : "r8", "memory");
    return gp_faults != before;
}

/* XSETBV index ecx, value v: true if it faulted (#GP). */
static bool xsetbv_faults(uint32_t ecx, uint64_t v)
{
    uint64_t before = gp_faults;

    __asm__ __volatile__("lea 1f(%%rip), %%r8; mov %%r8, gp_recover(%%rip)\n"
                         "xsetbv\n"
                         "1: movq $0, gp_recover(%%rip)" ::"c"(ecx),
                         "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                         : "r8", "memory");
    return gp_faults != before;
}

void iso_xsetbv(void)
{
    uint32_t r[4], d[4];
    uint64_t offered;

    cpuid_(1, 0, r);
    if (!(r[2] & (1u << 26))) {
        skip("XSETBV takes only what CPUID 0xD offers (this CPU has no XSAVE)");
        return;
    }
    gate(13, gp_entry);
    write_cr4(read_cr4() | CR4_OSXSAVE);
    cpuid_(1, 0, r);
    cpuid_(0xd, 0, d);
    offered = d[0] | (uint64_t)d[3] << 32;
    ok((r[2] & (1u << 27)) && (offered & 3) == 3 && d[1] >= 576,
       "CPUID: OSXSAVE follows the guest's CR4, leaf 0xD offers x87|SSE");
    ok(!xsetbv_faults(0, 3) && !xsetbv_faults(0, offered),
       "XSETBV(0, x87|SSE) and XSETBV(0, all offered) are taken");
    ok(xsetbv_faults(0, 0) && xsetbv_faults(0, 2) && xsetbv_faults(1, 1) &&
           xsetbv_faults(0, offered | 1ull << 62) && xsetbv_faults(0, 5),
       "XSETBV without x87, with index 1, with a bit not offered, AVX without SSE -> #GP");
    xsetbv_faults(0, 3); /* back to x87|SSE (#GP stays recoverable only while probing) */
}

/* ymm0-15 in and out (VEX encodings: the guest is built -mgeneral-regs-only, as minixen). */
static void ymm_load(void)
{
    __asm__ __volatile__("vmovdqu 0x000(%0), %%ymm0\n vmovdqu 0x020(%0), %%ymm1\n"
                         "vmovdqu 0x040(%0), %%ymm2\n vmovdqu 0x060(%0), %%ymm3\n"
                         "vmovdqu 0x080(%0), %%ymm4\n vmovdqu 0x0a0(%0), %%ymm5\n"
                         "vmovdqu 0x0c0(%0), %%ymm6\n vmovdqu 0x0e0(%0), %%ymm7\n"
                         "vmovdqu 0x100(%0), %%ymm8\n vmovdqu 0x120(%0), %%ymm9\n"
                         "vmovdqu 0x140(%0), %%ymm10\n vmovdqu 0x160(%0), %%ymm11\n"
                         "vmovdqu 0x180(%0), %%ymm12\n vmovdqu 0x1a0(%0), %%ymm13\n"
                         "vmovdqu 0x1c0(%0), %%ymm14\n vmovdqu 0x1e0(%0), %%ymm15\n" ::"r"(ymm_in)
                         : "memory");
}

static void ymm_store(void)
{
    __asm__ __volatile__("vmovdqu %%ymm0, 0x000(%0)\n vmovdqu %%ymm1, 0x020(%0)\n"
                         "vmovdqu %%ymm2, 0x040(%0)\n vmovdqu %%ymm3, 0x060(%0)\n"
                         "vmovdqu %%ymm4, 0x080(%0)\n vmovdqu %%ymm5, 0x0a0(%0)\n"
                         "vmovdqu %%ymm6, 0x0c0(%0)\n vmovdqu %%ymm7, 0x0e0(%0)\n"
                         "vmovdqu %%ymm8, 0x100(%0)\n vmovdqu %%ymm9, 0x120(%0)\n"
                         "vmovdqu %%ymm10, 0x140(%0)\n vmovdqu %%ymm11, 0x160(%0)\n"
                         "vmovdqu %%ymm12, 0x180(%0)\n vmovdqu %%ymm13, 0x1a0(%0)\n"
                         "vmovdqu %%ymm14, 0x1c0(%0)\n vmovdqu %%ymm15, 0x1e0(%0)\n" ::"r"(ymm_out)
                         : "memory");
}

void iso_ymm(unsigned int seed)
{
    uint32_t r[4], d[4];
    unsigned int bad = 0;

    cpuid_(1, 0, r);
    cpuid_(0xd, 0, d);
    if (!(r[2] & (1u << 27)) || !(r[2] & (1u << 28)) || !(d[0] & 4)) {
        skip("ymm0-15 keep this domain's values across yields (no AVX offered)");
        return;
    }
    if (xsetbv_faults(0, 7)) {
        ok(false, "XSETBV(0, x87|SSE|AVX)");
        return;
    }
    for (unsigned int i = 0; i < 16; i++)
        for (unsigned int b = 0; b < 32; b++)
            ymm_in[i][b] = (uint8_t)(seed * 37 + i * 32 + b);
    ymm_load();
    for (unsigned int n = 0; n < YIELDS; n++) {
        hcall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
        ymm_store();
        for (unsigned int i = 0; i < 16; i++)
            for (unsigned int b = 0; b < 32; b++)
                if (ymm_out[i][b] != ymm_in[i][b]) {
                    bad++;
                    i = 16;
                    break;
                }
    }
    put_num("# ymm registers changed after ", bad, " yields\n");
    ok(bad == 0, "ymm0-15 (AVX, XCR0 x87|SSE|AVX) keep this domain's values across yields");
}

void guest_rip_tick(uint64_t rip);
void guest_rip_tick(uint64_t rip)
{
    uint64_t call = (uint64_t)(hypercall_page + __HYPERVISOR_event_channel_op * 32);

    /* The stub is mov $nr,%eax; vmmcall; ret: a continuation rewinds RIP onto vmmcall. */
    if (rip > call && rip < call + 8)
        ticks_in_call++;
    else
        ticks_elsewhere++;
    wrmsr_(X2APIC_EOI, 0);
}

/* Bind as many ports as the domain may, then EVTCHNOP_reset them with IF set and a
 * one-shot vLAPIC timer due `us` microseconds after it is armed; true if it returned 0. */
static bool reset_with_timer(unsigned int us, unsigned int *bound)
{
    struct evtchn_alloc_unbound au = {DOMID_SELF, DOMID_SELF, 0};
    struct evtchn_reset rs = {DOMID_SELF};
    unsigned int n;
    long rc;

    for (n = 0; n < 4000; n++)
        if (hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (unsigned long)&au, 0) !=
            0)
            break;
    *bound = n;
    wrmsr_(X2APIC_TDCR, 0xb);
    wrmsr_(X2APIC_LVTT, TIMER_VECTOR); /* one-shot */
    wrmsr_(X2APIC_TICR, 100ul * us);   /* 100 MHz */
    __asm__ __volatile__("sti" ::: "memory");
    rc = hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_reset, (unsigned long)&rs, 0);
    for (unsigned int i = 0; i < 1000 && ticks_in_call + ticks_elsewhere == 0; i++)
        __asm__ __volatile__("nop" ::: "memory"); /* a timer still to come arrives here */
    __asm__ __volatile__("cli" ::: "memory");
    wrmsr_(X2APIC_TICR, 0);
    wrmsr_(X2APIC_LVTT, LVT_MASKED | TIMER_VECTOR);
    return rc == 0;
}

void iso_reset_preempts(void)
{
    /* Up to 16 ms: on a loaded host TCG's reset of a few thousand ports takes that long. */
    static const unsigned int due_us[] = {20,  40,  60,  80,   100,  150,  200,  300,
                                          400, 600, 800, 1200, 2000, 4000, 8000, 16000};
    struct evtchn_alloc_unbound au = {DOMID_SELF, DOMID_SELF, 0};
    unsigned int n = 0, tries;
    bool done = true;

    gate(TIMER_VECTOR, rip_tick_entry);
    ticks_in_call = ticks_elsewhere = 0;
    /*
     * The timer must come due while the reset runs, whose length depends on the host
     * (tens of us to ms under TCG), and so does the way from arming it to the VMMCALL:
     * one-shots due 20 us ... 1.2 ms after arming, until one lands inside the reset. Its interrupt
     * then waits in the host's IRR, the reset returns -ERESTART, and the guest takes the tick with
     * RIP on the VMMCALL it will re-execute.
     */
    for (tries = 0; tries < sizeof(due_us) / sizeof(due_us[0]); tries++) {
        done = reset_with_timer(due_us[tries], &n) && done;
        if (ticks_in_call != 0)
            break;
    }
    tries += tries < sizeof(due_us) / sizeof(due_us[0]);
    put_num("# EVTCHNOP_reset of ", n, " ports, a one-shot timer due during it: ");
    put_num("", ticks_in_call, " interrupt(s) inside it (on its VMMCALL), ");
    put_num("", ticks_elsewhere, " outside, ");
    put_num("", tries, " attempt(s)\n");
    au.port = 0;
    ok(done && n >= 500 &&
           hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (unsigned long)&au, 0) ==
               0 &&
           au.port < 64,
       "EVTCHNOP_reset of hundreds of ports completes (the ports are free again)");
    ok(ticks_in_call >= 1,
       "... and is preempted for a pending interrupt (-ERESTART: the timer arrives on VMMCALL)");
}

void guest_timer_tick(void);
void guest_timer_tick(void)
{
    ticks++;
    wrmsr_(X2APIC_EOI, 0);
}

void iso_periodic_timer(void)
{
    uint32_t r[4];
    uint64_t khz, t0, t1, us;
    unsigned long n;

    cpuid_(0x40000003, 0, r);
    khz = r[2] ? r[2] : 1000000;
    gate(TIMER_VECTOR, timer_entry);
    ticks = 0;
    wrmsr_(X2APIC_TDCR, 0xb); /* divide by 1: 100 MHz */
    wrmsr_(X2APIC_LVTT, LVT_PERIODIC | TIMER_VECTOR);
    t0 = rdtsc_();
    wrmsr_(X2APIC_TICR, 1000); /* 1000 ticks = 10 us */
    /*
     * At least 30 ms, then on until 20 interrupts came or 2 s passed: under TCG on a busy
     * host one delivery can take milliseconds, and the check below is about the ceiling
     * (the clamp), not about how fast an emulated CPU takes interrupts.
     */
    do {
        __asm__ __volatile__("sti; nop; nop; nop; cli" ::: "memory");
        t1 = rdtsc_();
        us = (t1 - t0) * 1000 / khz;
    } while (us < 30000 || (ticks < 20 && us < 2000000));
    wrmsr_(X2APIC_TICR, 0);
    wrmsr_(X2APIC_LVTT, LVT_MASKED | TIMER_VECTOR);
    n = ticks;
    us = (t1 - t0) * 1000 / khz;
    put_num("# periodic 10 us timer: ", n, " interrupts in ");
    put_num("", us, " us\n");
    ok(n >= 1 && n <= us / 100 + 2,
       "a 10 us periodic vLAPIC timer is clamped to one interrupt per 100 us at most");
}

static unsigned long ram_end_gfn(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *m = (const void *)si->memmap_paddr;
    uint64_t end = 0;

    for (uint32_t i = 0; i < si->memmap_entries && i < 16; i++)
        if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM && m[i].addr + m[i].size > end)
            end = m[i].addr + m[i].size;
    /* The start-info page sits in the last page of RAM, which the map may leave out. */
    return (unsigned long)((end + 0x1fffff) & ~0x1fffffull) >> 12;
}

static long map_shinfo(unsigned long gfn)
{
    struct xen_add_to_physmap xatp = {DOMID_SELF, 0, XENMAPSPACE_shared_info, 0, gfn};

    return hcall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
}

void iso_physmap_bound(const struct hvm_start_info *si)
{
    unsigned long end = ram_end_gfn(si) + WINDOW_PAGES;

    ok(map_shinfo(end) == -XEN_EINVAL && map_shinfo((1ul << 27) - 1) == -XEN_EINVAL &&
           map_shinfo(1ul << 40) == -XEN_EINVAL,
       "XENMEM_add_to_physmap past RAM + the 4 GiB window -> EINVAL");
    ok(map_shinfo(end - 1) == 0, "... and the last page of the window maps");
}

void iso_physmap_exhaust(const struct hvm_start_info *si, unsigned int port)
{
    unsigned long base = ram_end_gfn(si) + 1, k;
    struct evtchn_send send = {port};
    long rc = 0;

    /* Each call at a new 2 MiB region needs a new nested table, charged to us. */
    for (k = 0; k < WINDOW_PAGES / PAGES_PER_2M; k++) {
        rc = map_shinfo(base + k * PAGES_PER_2M);
        if (rc != 0)
            break;
    }
    put_num("# add_to_physmap at new 2 MiB regions: ", k, " mapped, then ");
    put_num("-", (unsigned long)-rc, "\n");
    ok(rc == -XEN_ENOMEM && k >= 64,
       "add_to_physmap at ever new regions ends in -ENOMEM (this domain's heap budget)");
    ok(map_shinfo(base + PAGES_PER_2M + 7) == 0,
       "... while a region it already has tables for still maps");
    ok(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0) == 0,
       "told the other domain (static channel) that the budget is spent");
}

void iso_physmap_victim(const struct hvm_start_info *si, unsigned int port)
{
    static uint64_t frame;
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    struct xen_add_to_physmap xatp = {DOMID_SELF, 0, XENMAPSPACE_grant_table, 0,
                                      ram_end_gfn(si) + 5 * PAGES_PER_2M};
    unsigned long i;

    for (i = 0; i < 200000 && !port_seen(port); i++) {
        hcall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
        __asm__ __volatile__("sti; nop; cli" ::: "memory");
    }
    ok(port_seen(port), "the other domain exhausted its heap budget (its event arrived)");
    set_xen_guest_handle_64(st.frame_list, &frame);
    ok(hcall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (unsigned long)&st, 1) == 0 &&
           st.status == GNTST_okay,
       "... and GNTTABOP_setup_table still succeeds here");
    ok(hcall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0) == 0,
       "... and add_to_physmap of a grant frame at a new 2 MiB region still succeeds here");
}
