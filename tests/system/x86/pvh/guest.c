/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 port's bring-up PVH guest: checks, from inside a domain, what the port promises
 * a PVH guest, and prints TAP through HYPERVISOR_console_io. Its command line (bootargs in
 * the boot DT) picks extra roles:
 *   peer=<port>  a static event channel to another domain on <port>: send on it, and
 *                expect the other domain's event (different domains, different CPUs)
 *   crash=npf    check that a data access outside the domain is MMIO where nothing is (a
 *                read sees all ones, a write vanishes; an instruction the hypervisor does
 *                not emulate there gets #GP), then end by running code there
 *                (an instruction fetch outside the domain: it must end, alone)
 *   crash=triple end by a triple fault (the domain must end, alone)
 *   exhaust=<port>  spend this domain's heap budget on nested tables (add_to_physmap at
 *                new 2 MiB regions until -ENOMEM), then tell the domain at <port>
 *   victim=<port>   wait for that word, then set up and map a grant table: it must work
 * Every role also runs the isolation probes of isolation.c (issue #11).
 * It always ends with SCHEDOP_shutdown(poweroff) otherwise.
 * Besides the callback vector it checks the per-vCPU upcall vector, which goes through the
 * virtual LAPIC (x2APIC MSRs): injected once, then held until the guest's EOI.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "guest.h"

#define UPCALL_VECTOR 0xf3
#define VCPU_VECTOR   0xe0 /* HVMOP_set_evtchn_upcall_vector's */
#define MSR_APIC_BASE 0x1b
#define X2APIC_EOI    0x80b
#define X2APIC_SVR    0x80f
#define X2APIC_ISR7   0x817 /* vectors 224-255 */
#define X2APIC_IRR7   0x827 /* vectors 224-255 */
#define XEN_MSR_HCALL 0x40000000u
#define SPIN_LIMIT    20000000ul
#define SHINFO_GFN    0x200 /* a page of RAM the shared_info page replaces */

void guest_start(const struct hvm_start_info *si);
void guest_upcall(void);
void guest_upcall_vec(void);
void guest_exception(uint64_t a, uint64_t b);
extern void exc_entry(void), upcall_entry(void), upcall_vec_entry(void), ap32_entry(void);
volatile uint32_t ap_flag;
static uint8_t ap_stack[4096] __attribute__((aligned(16)));
extern uint64_t idt[512];

uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static volatile struct shared_info_x86_64 *shinfo =
    (volatile struct shared_info_x86_64 *)(SHINFO_GFN * 4096ul);
static volatile unsigned long upcalls, vec_upcalls;
static volatile bool vec_eoi; /* the per-vCPU vector's handler EOIs (after its own test) */
static volatile uint64_t seen_pending[2];
static unsigned int test_no, failed;

long hcall(unsigned int nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
    long ret;

    __asm__ __volatile__("call *%[fn]"
                         : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2)
                         : [fn] "r"(hypercall_page + nr * 32)
                         : "memory", "rcx", "r8", "r9", "r10", "r11");
    return ret;
}

static size_t slen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

void puts_(const char *s)
{
    hcall(__HYPERVISOR_console_io, CONSOLEIO_write, slen(s), (unsigned long)s);
}

void put_num(const char *pre, unsigned long v, const char *post)
{
    char b[24];
    int i = 23;

    b[i] = '\0';
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    puts_(pre);
    puts_(b + i);
    puts_(post);
}

void ok(bool cond, const char *what)
{
    test_no++;
    if (!cond)
        failed++;
    put_num(cond ? "ok " : "not ok ", test_no, " - ");
    puts_(what);
    puts_("\n");
}

void skip(const char *what)
{
    test_no++;
    put_num("ok ", test_no, " - ");
    puts_(what);
    puts_(" # SKIP\n");
}

bool port_seen(unsigned int port)
{
    return port < 128 && (seen_pending[port / 64] & (1ull << (port % 64))) != 0;
}

static void set_gate(unsigned int vec, void (*fn)(void))
{
    uint64_t off = (uint64_t)fn;

    idt[2 * vec] =
        (off & 0xffff) | (0x08ull << 16) | (0x8eull << 40) | ((off >> 16) & 0xffff) << 48;
    idt[2 * vec + 1] = off >> 32;
}

void guest_exception(uint64_t a, uint64_t b)
{
    put_num("not ok - unexpected exception (error code or rip ", a, "");
    put_num(", then rip or cs ", b, ")\n");
    for (;;)
        __asm__ __volatile__("cli; hlt");
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* The upcall: as a Linux guest does, clear upcall_pending, then walk pending & ~mask. */
static void consume(void)
{
    volatile struct vcpu_info_x86_64 *vi = &shinfo->vcpu_info[0];
    uint64_t sel;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    for (unsigned int w = 0; w < 2 && sel; w++) {
        if (!(sel & (1ull << w)))
            continue;
        uint64_t bits = shinfo->evtchn_pending[w] & ~shinfo->evtchn_mask[w];

        seen_pending[w] |= bits;
        __atomic_fetch_and(&shinfo->evtchn_pending[w], ~bits, __ATOMIC_SEQ_CST);
    }
}

void guest_upcall(void)
{
    upcalls++;
    consume();
}

void guest_upcall_vec(void)
{
    vec_upcalls++;
    consume();
    if (vec_eoi)
        wrmsr(X2APIC_EOI, 0);
}

/* Interrupt windows of one instruction, n times. */
static void windows(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        __asm__ __volatile__("sti; nop; cli; pause" ::: "memory");
}

static bool wait_port(unsigned int port)
{
    for (unsigned long i = 0; i < SPIN_LIMIT; i++) {
        if (seen_pending[port / 64] & (1ull << (port % 64)))
            return true;
        /* An interrupt window of one instruction; PAUSE outside it (under TCG a PAUSE in
         * the STI shadow leaves the CPU loop with the shadow still set). */
        __asm__ __volatile__("sti; nop; cli; pause" ::: "memory");
    }
    return false;
}

static const char *arg(const char *cmdline, const char *key)
{
    size_t k = slen(key);

    for (const char *p = cmdline; *p; p++) {
        size_t i = 0;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (i < k && p[i] == key[i])
            i++;
        if (i == k)
            return p + k;
    }
    return NULL;
}

static unsigned int num(const char *s)
{
    unsigned int v = 0;

    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned int)(*s++ - '0');
    return v;
}

void guest_start(const struct hvm_start_info *si)
{
    uint32_t a, b, c, d;
    const char *cmdline = (const char *)si->cmdline_paddr;
    const char *peer, *crash;
    struct xen_feature_info fi = {0, 0};
    struct xen_add_to_physmap xatp = {DOMID_SELF, 0, XENMAPSPACE_shared_info, 0, SHINFO_GFN};
    struct xen_hvm_param hp = {DOMID_SELF, 0, HVM_PARAM_CALLBACK_IRQ,
                               (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 | UPCALL_VECTOR};
    struct evtchn_alloc_unbound au = {DOMID_SELF, DOMID_SELF, 0};
    struct evtchn_bind_interdomain bi;
    struct evtchn_send send;
    struct sched_shutdown sd = {SHUTDOWN_poweroff};
    unsigned long before;

    for (unsigned int v = 0; v < 32; v++)
        set_gate(v, exc_entry);
    set_gate(UPCALL_VECTOR, upcall_entry);
    set_gate(VCPU_VECTOR, upcall_vec_entry);

    /* Xen's CPUID leaves, then the hypercall page through the MSR they name. */
    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000002), "c"(0));
    __asm__ __volatile__("wrmsr" ::"c"(b), "a"((uint32_t)(uintptr_t)hypercall_page), "d"(0));

    puts_("TAP version 13\n");
    puts_("# minixen x86 PVH bring-up guest, cmdline '");
    puts_(cmdline);
    puts_("'\n");
    iso_fresh_state(); /* before this vCPU touches any FPU/SIMD or debug register */
    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
    ok(b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e && a >= 0x40000002,
       "CPUID 0x40000000 says XenVMMXenVMM");
    ok(si->magic == XEN_HVM_START_MAGIC_VALUE && si->memmap_entries >= 1,
       "EBX pointed at hvm_start_info with a memory map");
    ok(hcall(__HYPERVISOR_xen_version, XENVER_version, 0, 0) == (4 << 16 | 17),
       "hypercall page (MSR 0x40000000): XENVER_version is 4.17");
    ok(hcall(__HYPERVISOR_xen_version, XENVER_get_features, (unsigned long)&fi, 0) == 0 &&
           (fi.submap & (1u << XENFEAT_hvm_callback_vector)),
       "XENVER_get_features advertises the callback vector");
    ok(hcall(63, 0, 0, 0) == -XEN_ENOSYS, "an unknown hypercall is -ENOSYS");
    ok(hcall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0) == 0,
       "XENMEM_add_to_physmap maps shared_info");
    shinfo->vcpu_info[0].evtchn_upcall_mask = 0;
    ok(hcall(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&hp, 0) == 0,
       "HVM_PARAM_CALLBACK_IRQ takes the vector type");

    /* Loopback channel: alloc_unbound + bind_interdomain to ourselves, then send. */
    ok(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (unsigned long)&au, 0) == 0,
       "EVTCHNOP_alloc_unbound");
    bi = (struct evtchn_bind_interdomain){DOMID_SELF, 0, au.port, 0};
    ok(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, (unsigned long)&bi, 0) == 0,
       "EVTCHNOP_bind_interdomain to ourselves");
    send.port = bi.local_port;
    before = upcalls;
    ok(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0) == 0 &&
           wait_port(au.port) && upcalls > before,
       "an event arrives through the callback vector");

    /* Pending while interrupts are off: HLT must wake and the upcall follow. */
    before = upcalls;
    hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0);
    __asm__ __volatile__("sti; hlt; cli" ::: "memory");
    ok(upcalls > before, "HLT wakes for a pending upcall");
    before = upcalls;
    hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0);
    ok(hcall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0) == 0,
       "SCHEDOP_block returns with an event pending");
    __asm__ __volatile__("sti; nop; cli" ::: "memory");
    ok(upcalls > before, "the upcall follows SCHEDOP_block");

    /* Registers VMRUN does not switch, with another domain on the same CPU (-smp 1). */
    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000004), "c"(0));
    iso_registers(c + 1, send.port);
    iso_cache_flush();
    iso_xsetbv();
    iso_ymm(c + 1);
    iso_physmap_bound(si);

    /* The per-vCPU upcall vector: through the virtual LAPIC, so it needs an EOI. */
    {
        struct xen_hvm_evtchn_upcall_vector uv = {.vcpu = 0, .vector = VCPU_VECTOR};
        unsigned long cb = upcalls, vec = vec_upcalls;

        wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 3u << 10); /* EN + EXTD: x2APIC */
        wrmsr(X2APIC_SVR, 0x1ff);                              /* software-enabled */
        ok(hcall(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, (unsigned long)&uv, 0) == 0,
           "HVMOP_set_evtchn_upcall_vector(vcpu 0, 0xe0)");
        hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0);
        windows(100000);
        ok(vec_upcalls == vec + 1 && upcalls == cb,
           "the event arrives on the per-vCPU vector, not the callback vector");
        ok(rdmsr(X2APIC_ISR7) & 1u, "... and stays in service in the x2APIC's ISR");
        hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0);
        windows(100000);
        ok(vec_upcalls == vec + 1, "no second injection before the EOI");
        vec_eoi = true;
        wrmsr(X2APIC_EOI, 0);
        /*
         * Windows until it comes, bounded. At least, not exactly, one more: the other
         * domain's static-channel message (its heap-budget test) may land on this vector
         * at any time, and then it is rightly injected again after the held one.
         */
        for (unsigned int round = 0; round < 50 && vec_upcalls < vec + 2; round++)
            windows(100000);
        ok(vec_upcalls >= vec + 2 && !(rdmsr(X2APIC_ISR7) & 1u),
           "after the EOI the held event is injected (and retired by its handler's EOI)");
        if (vec_upcalls < vec + 2 || (rdmsr(X2APIC_ISR7) & 1u)) {
            put_num("# held event: ", vec_upcalls - vec, " injection(s) since the first send");
            put_num(", ISR7 ", (unsigned long)rdmsr(X2APIC_ISR7), "");
            put_num(", IRR7 ", (unsigned long)rdmsr(X2APIC_IRR7), "\n");
        }
    }
    iso_periodic_timer();

    /* VCPUOP_initialise: hostile contexts are refused, a 32-bit one starts vCPU 1. */
    if (hcall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0) == 0) {
        static struct vcpu_hvm_context ctx;
        struct vcpu_hvm_x86_32 *c = &ctx.cpu_regs.x86_32;
        long bad[4];

        ctx = (struct vcpu_hvm_context){.mode = 7};
        bad[0] = hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx);
        ctx = (struct vcpu_hvm_context){.mode = VCPU_HVM_MODE_64B};
        ctx.cpu_regs.x86_64.cr0 = 0x80000011; /* paging without PAE / long mode */
        bad[1] = hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx);
        ctx = (struct vcpu_hvm_context){.mode = VCPU_HVM_MODE_32B};
        *c = (struct vcpu_hvm_x86_32){.eip = (uint32_t)(uintptr_t)ap32_entry,
                                      .eflags = 2,
                                      .esp = (uint32_t)(uintptr_t)(ap_stack + sizeof(ap_stack)),
                                      .cr0 = 0x11,
                                      .cs_limit = ~0u,
                                      .ds_limit = ~0u,
                                      .ss_limit = ~0u,
                                      .es_limit = ~0u,
                                      .tr_limit = 0x67,
                                      .cs_ar = 0xc9b,
                                      .ds_ar = 0xc93,
                                      .ss_ar = 0xc93,
                                      .es_ar = 0xc93,
                                      .tr_ar = 0x8b};
        c->cs_ar = 0x49b; /* not present */
        bad[2] = hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx);
        c->cs_ar = 0xc9b;
        c->cr0 = 0x80000011, c->cr3 = 0x7ffff000; /* paging on a CR3 outside our RAM */
        bad[3] = hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx);
        ok(bad[0] == -XEN_EINVAL && bad[1] == -XEN_EINVAL && bad[2] == -XEN_EINVAL &&
               bad[3] == -XEN_EINVAL,
           "VCPUOP_initialise refuses bad contexts (mode, paging, segment, CR3) -> EINVAL");
        c->cr0 = 0x11, c->cr3 = 0;
        ok(hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx) == 0 &&
               hcall(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)&ctx) ==
                   -XEN_EEXIST,
           "VCPUOP_initialise takes a 32-bit context once, then -> EEXIST");
        ok(hcall(__HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0) == 0, "VCPUOP_up(1)");
        for (unsigned long i = 0; i < SPIN_LIMIT && ap_flag != 0x5a5a; i++)
            __asm__ __volatile__("pause" ::: "memory");
        ok(ap_flag == 0x5a5a, "vCPU 1 runs its 32-bit entry (paging off, flat segments)");
    }

    peer = arg(cmdline, "peer=");
    if (peer != NULL) {
        unsigned int port = num(peer);

        send.port = port;
        ok(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0) == 0,
           "EVTCHNOP_send on the static interdomain channel");
        ok(wait_port(port), "the other domain's event arrives (interdomain, another CPU)");
    }
    if ((peer = arg(cmdline, "victim=")) != NULL) {
        iso_physmap_victim(si, num(peer));
        iso_reset_preempts(); /* last: it closes every port, the static ones too */
    }
    if ((peer = arg(cmdline, "exhaust=")) != NULL) /* last: our budget is spent after it */
        iso_physmap_exhaust(si, num(peer));
    crash = arg(cmdline, "crash=");
    if (crash != NULL && crash[0] == 'n') {
        /* Inside the identity map, outside our RAM: nothing there, and no domain's data. */
        volatile uint32_t *hole = (volatile uint32_t *)0x3ff00000;
        uint32_t before = *hole;

        *hole = 1;
        ok(before == 0xffffffffu && *hole == 0xffffffffu,
           "a data access outside the domain's memory: reads all ones, the write vanishes");
        ok(iso_not_faults(hole) && *hole == 0xffffffffu,
           "an instruction the MMIO path does not emulate (NOT) there gets #GP");
    }
    put_num("1..", test_no, "\n");
    put_num("# ", failed, " failed\n");

    if (crash != NULL && crash[0] == 'n') {
        puts_("# running code outside the domain\n");
        ((void (*)(void))0x3ff00000)(); /* an instruction fetch there ends the domain */
    } else if (crash != NULL && crash[0] == 't') {
        static const uint16_t empty_idt[5] = {0, 0, 0, 0, 0};

        puts_("# triple fault\n");
        __asm__ __volatile__("lidt %0; int3" ::"m"(empty_idt));
    }
    hcall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&sd, 0);
    for (;;)
        __asm__ __volatile__("cli; hlt");
}
