/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSCI calls to the firmware below us, through the conduit the host DT names: starting
 * the other CPUs, and powering off or resetting the machine when dom0 ends
 * (arch_machine_power_off/restart, for xen/common/shutdown.c).
 *
 * Only SMC reaches the firmware: we run at EL2, where an HVC would trap to ourselves. A DT
 * that says "hvc" describes a machine on which we are not the hypervisor it expects, so
 * every call fails and says so rather than calling into our own vectors.
 */
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <xen/shutdown.h>

#define PSCI_0_2_FN64_CPU_ON     0xc4000003u
#define PSCI_0_2_FN_SYSTEM_OFF   0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_NOT_SUPPORTED       (-1)

static enum psci_conduit conduit = PSCI_NONE;

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    if (conduit != PSCI_SMC)
        return (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
    /* SMCCC: x4-x17 may be clobbered by the callee. */
    __asm__ __volatile__("smc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                         :
                         : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
                           "x15", "x16", "x17", "memory");
    return x0;
}

void psci_init(const struct host_dt *dt)
{
    conduit = dt->psci;
}

int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
    return (int)(int64_t)psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, context);
}

void arch_machine_power_off(void)
{
    /* SYSTEM_OFF does not return when it works; the firmware stops every core. */
    int rc = (int)(int64_t)psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);

    printk("minixen: PSCI SYSTEM_OFF did not power the machine off (%d): halting\n", rc);
    machine_halt();
}

void arch_machine_restart(void)
{
    int rc = (int)(int64_t)psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);

    printk("minixen: PSCI SYSTEM_RESET did not reset the machine (%d): halting\n", rc);
    machine_halt();
}
