/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The machine follows the hardware domain (xen/include/xen/shutdown.h): Xen's policy,
 * once for every port, which only supplies the power-off and the reset
 * (arch_machine_power_off, arch_machine_restart).
 *
 * Every domain is paused before the machine goes down: the CPUs that still run domUs then
 * drop them at their next pass through the scheduler (domain_pause kicks them) and idle,
 * so no guest runs while this CPU waits out the crash delay, talks to the firmware, or
 * halts; that is all a port needs of "stop the other CPUs" before powering off or resetting.
 */
#include <xen/arch_hooks.h>
#include <xen/boot_config.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shutdown.h>
#include <public/sched.h>

static bool opt_noreboot;

/* "0", "no", "false", "off" turn a boolean option off; anything else (or nothing) on. */
static bool option_true(const char *v)
{
    static const char *const off[] = {"0", "no", "false", "off"};

    for (unsigned int i = 0; i < ARRAY_SIZE(off); i++)
        if (strlen(v) == strlen(off[i]) && memcmp(v, off[i], strlen(v)) == 0)
            return false;
    return true;
}

void shutdown_parse_cmdline(const char *cmdline)
{
    char val[8];

    if (bootargs_get(cmdline, "noreboot", val, sizeof(val)))
        __atomic_store_n(&opt_noreboot, option_true(val), __ATOMIC_RELAXED);
}

/* Pause every domain: their CPUs drop them and idle. */
static void stop_guests(void)
{
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);

        if (d != NULL)
            domain_pause(d);
    }
}

void machine_halt(void)
{
    stop_guests();
    arch_halt();
}

/* Busy-wait on the hypervisor clock: this CPU has nothing else to do any more. */
static void wait_ms(uint64_t ms)
{
    uint64_t end = arch_now_ns() + ms * 1000000u;

    while (arch_now_ns() < end)
        arch_cpu_relax();
}

void hwdom_shutdown(struct domain *d, unsigned int reason)
{
    const char *name = shutdown_reason_name(reason);
    char why[40];

    if (reason == SHUTDOWN_poweroff) {
        printk("minixen: Hardware Dom%u halted: halting machine\n", d->domain_id);
        stop_guests();
        arch_machine_power_off();
    }
    if (reason == SHUTDOWN_reboot) {
        printk("minixen: Hardware Dom%u shutdown: rebooting machine\n", d->domain_id);
        stop_guests();
        arch_machine_restart();
    }
    /* Xen's words for a crash; for the rarer reasons, which one it was. */
    if (reason == SHUTDOWN_crash)
        xen_snprintf(why, sizeof(why), "crashed");
    else if (name != NULL)
        xen_snprintf(why, sizeof(why), "shutdown (%s)", name);
    else
        xen_snprintf(why, sizeof(why), "shutdown (reason %u)", reason);
    if (__atomic_load_n(&opt_noreboot, __ATOMIC_RELAXED)) {
        printk("minixen: Hardware Dom%u %s: 'noreboot' set - not rebooting.\n", d->domain_id, why);
        machine_halt();
    }
    printk("minixen: Hardware Dom%u %s: rebooting machine in %u seconds.\n", d->domain_id, why,
           HWDOM_REBOOT_DELAY_MS / 1000);
    stop_guests();
    wait_ms(HWDOM_REBOOT_DELAY_MS);
    arch_machine_restart();
}
