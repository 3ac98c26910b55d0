/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Start-up of every role: read the bootargs, bring up the interrupt controller, map
 * shared_info and the vcpu_infos, start the other vCPUs, then run the role and end with
 * the TAP plan, the end marker and SCHEDOP_shutdown(poweroff) (or as end= says: end.c).
 */
#include "bootargs.h"
#include "fdt.h"
#include "hostile.h"
#include "xtest.h"

struct xtest xt;

struct mailbox {
    void (*volatile fn)(void *);
    void *volatile arg;
    volatile uint64_t not_before; /* counter value */
    volatile uint32_t posted, done;
    volatile uint32_t looks; /* how often the vCPU looked at its mailbox: is it alive? */
};
static struct mailbox mailbox[GUEST_MAX_CPUS];
static volatile uint32_t cpus_online;

static const struct {
    long rc;
    const char *name;
} errnames[] = {
    {-XEN_EPERM, "EPERM"},   {-XEN_ENOENT, "ENOENT"},         {-XEN_ESRCH, "ESRCH"},
    {-XEN_EAGAIN, "EAGAIN"}, {-XEN_ENOMEM, "ENOMEM"},         {-XEN_EACCES, "EACCES"},
    {-XEN_EFAULT, "EFAULT"}, {-XEN_EBUSY, "EBUSY"},           {-XEN_EEXIST, "EEXIST"},
    {-XEN_EINVAL, "EINVAL"}, {-XEN_ENOSPC, "ENOSPC"},         {-XEN_ENOSYS, "ENOSYS"},
    {-XEN_ENXIO, "ENXIO"},   {-XEN_EOPNOTSUPP, "EOPNOTSUPP"}, {0, "0"},
};

const char *xen_errname(long rc)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(errnames); i++)
        if (errnames[i].rc == rc)
            return errnames[i].name;
    return rc > 0 ? "positive" : "unknown error";
}

bool expect_rc(long rc, long want, const char *what)
{
    bool ok = tap_ok(rc == want, "%s -> %s", what, xen_errname(want));

    if (!ok)
        printf("#   got %ld (%s)\n", rc, xen_errname(rc));
    return ok;
}

void guest_fatal(const char *what, uint64_t a, uint64_t b, uint64_t c)
{
    printf("# xtest FATAL on vCPU %u: %s %lx %lx %lx\n", arch_cpu_id(), what, (unsigned long)a,
           (unsigned long)b, (unsigned long)c);
    printf("# xtest done: role=%s aborted\n", xt.role);
    sched_crash();
}

/* ---- bootargs (bootargs.h) ---- */

static void parse_bootargs(void)
{
    size_t n = 4;
    const char *role = bootarg("role", &n);

    if (role == NULL)
        role = "main";
    if (n > sizeof(xt.role) - 1)
        n = sizeof(xt.role) - 1;
    memcpy(xt.role, role, n);
    xt.role[n] = 0;
    xt.have_peer = bootarg("peer", NULL) != NULL;
    xt.peer = (domid_t)bootarg_num("peer", 0);
    xt.sport = (evtchn_port_t)bootarg_num("sport", 0);
    xt.pport = (evtchn_port_t)bootarg_num("pport", 0);
    xt.sctl = (evtchn_port_t)bootarg_num("sctl", 0);
    xt.pctl = (evtchn_port_t)bootarg_num("pctl", 0);
    {
        const char *abi = bootarg("pabi", &n);

        xt.peer_3l = abi != NULL && n == 2 && memcmp(abi, "3l", 2) == 0;
    }
    xt.bench_iters = (unsigned int)bootarg_num("iters", 1000);
    n = 4;
    role = bootarg("end", &n); /* end.c: what the domain does at its end */
    if (role == NULL) {
        role = "poweroff";
        n = 8;
    }
    if (n > sizeof(xt.end) - 1)
        n = sizeof(xt.end) - 1;
    memcpy(xt.end, role, n);
    xt.end[n] = 0;
}

/* ---- Secondary vCPUs: run what vCPU 0 posts ---- */

static bool mail_waiting(void *arg)
{
    struct mailbox *mb = arg;

    mb->looks++;
    return mb->posted != mb->done && arch_counter() >= mb->not_before;
}

void guest_secondary_main(unsigned int cpu)
{
    struct mailbox *mb = &mailbox[cpu];

    arch_cpu_irq_init();
    /*
     * Registering our vcpu_info marked everything pending (evtchn_upcall_pending = 1,
     * every selector bit), but Xen drops the interrupt it injects for a vCPU that is
     * still down; with the flag already set, no later event would interrupt us. Run the
     * upcall once by hand, as a guest bringing up a CPU must.
     */
    ev_upcall(cpu);
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
    for (;;) {
        if (!ev_wait(mail_waiting, mb, 1000))
            continue;
        mb->fn(mb->arg);
        __atomic_store_n(&mb->done, mb->posted, __ATOMIC_RELEASE);
    }
}

bool post_on(unsigned int cpu, void (*fn)(void *), void *arg, unsigned int delay_ms)
{
    struct mailbox *mb = &mailbox[cpu];

    if (cpu == 0 || cpu >= xt.cpus_up || mb->posted != mb->done)
        return false;
    mb->fn = fn;
    mb->arg = arg;
    mb->not_before = arch_counter() + ticks_from_ms(delay_ms);
    __atomic_store_n(&mb->posted, mb->posted + 1, __ATOMIC_RELEASE);
    return true;
}

bool posted_done(unsigned int cpu)
{
    return __atomic_load_n(&mailbox[cpu].done, __ATOMIC_ACQUIRE) == mailbox[cpu].posted;
}

void posted_diag(unsigned int cpu)
{
    const struct mailbox *mb = &mailbox[cpu];

    tap_diag("vCPU %u mailbox: posted %u, done %u, looked %u times", cpu, mb->posted, mb->done,
             mb->looks);
}

bool posted_done_cond(void *arg)
{
    return posted_done((unsigned int)(uintptr_t)arg);
}

bool run_on(unsigned int cpu, void (*fn)(void *), void *arg, unsigned int ms)
{
    return post_on(cpu, fn, arg, 0) && ev_wait(posted_done_cond, (void *)(uintptr_t)cpu, ms);
}

static bool all_online(void *arg)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) >= (uint32_t)(uintptr_t)arg;
}

/* ---- Boot ---- */

static void boot_checks(void)
{
    const char *why = arch_platform_init();
    struct evtchn_status st;
    evtchn_port_t port = 0;
    unsigned int cpu;
    long rc, ver;

    xt.nr_cpus = arch_nr_cpus();
    tap_ok(why == NULL, "guest DT: %s interrupt controller, event upcall interrupt found%s%s",
           arch_irq_controller(), why ? ": " : "", why ? why : "");
    arch_cpu_irq_init();

    ver = hc_version(XENVER_version, NULL);
    tap_ok(ver > 0, "xen_version(XENVER_version) = %ld.%ld", ver >> 16, ver & 0xffff);

    rc = ev_init(xt.nr_cpus);
    expect_rc(rc, 0, "shared_info mapped, vcpu_info registered for every vCPU");
    if (xt.have_peer)
        tap_diag("static ports at boot: echo %u %s, control %u %s", xt.sport,
                 ev_pending(xt.sport) ? "pending" : "idle", xt.sctl,
                 ev_pending(xt.sctl) ? "pending" : "idle");
    if (xt.nr_cpus > 1) {
        struct vcpu_info *vi = ev_vcpu_info(1);

        tap_ok(vi != NULL && vi->evtchn_upcall_pending == 1 &&
                   vi->evtchn_pending_sel == (xen_ulong_t)~0ull,
               "registering a vcpu_info marks everything pending (upcall flag, all selector bits)");
    } else {
        tap_skip(
            "one vCPU in the DT",
            "registering a vcpu_info marks everything pending (upcall flag, all selector bits)");
    }

    /* Our own domid: an unbound port for DOMID_SELF records the caller's id. */
    rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &port);
    if (rc == 0)
        rc = ev_status(DOMID_SELF, port, &st);
    if (rc == 0) {
        xt.self = st.u.unbound.dom;
        rc = ev_close(port);
    }
    tap_ok(rc == 0, "own domain id learnt from an unbound port's status: d%u", xt.self);

    xt.cpus_up = 1;
    for (cpu = 1; cpu < xt.nr_cpus; cpu++) {
        rc = arch_cpu_start(cpu);
        if (rc != 0)
            printf("# vCPU %u did not start: %ld\n", cpu, rc);
    }
    if (xt.nr_cpus > 1) {
        bool up = ev_wait(all_online, (void *)(uintptr_t)(xt.nr_cpus - 1), WAIT_MS);

        xt.cpus_up = 1 + cpus_online;
        tap_ok(up, "%u secondary vCPUs started with PSCI CPU_ON", xt.nr_cpus - 1);
    } else {
        tap_skip("one vCPU in the DT", "secondary vCPUs started with PSCI CPU_ON");
    }
}

void guest_main(const void *dt)
{
    fdt_init(dt);
    parse_bootargs();
    printf("# xtest: role=%s arch=%s vcpus=%u\n", xt.role, arch_name(), arch_nr_cpus());
    boot_checks();

    if (strcmp(xt.role, "peer") == 0) {
        role_peer();
    } else if (strcmp(xt.role, "bench") == 0) {
        role_bench();
    } else if (strcmp(xt.role, "reboot") == 0) {
        role_reboot(); /* returns only if the reboot was refused */
    } else if (strcmp(xt.role, "hostile") == 0) {
        role_hostile(); /* suite/hostile.c: tests/system/hostile-test.sh */
    } else if (strcmp(xt.role, "victim") == 0) {
        role_victim();
    } else if (strcmp(xt.role, "demo") == 0) {
        role_demo(); /* runs until the machine stops, unless its bootargs are wrong */
    } else {
        area_wallclock();
        area_ops();
        area_grant();
        area_2l();
        area_ipi_virq();
        area_block_poll();
        area_interdomain();
        area_grant_map();
        area_fifo();
        area_3l();
        area_limits();
        arch_area_isolation();
    }
    tap_done(xt.role);
    guest_end();
}
