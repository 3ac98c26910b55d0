/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI calls to the firmware below us, through the conduit the host DT names. */
#include <asm/setup.h>

#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

static uint64_t psci_call(enum psci_conduit conduit, uint64_t fn, uint64_t a1, uint64_t a2,
                          uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    /* SMCCC: x4-x17 may be clobbered by the callee. */
    if (conduit == PSCI_SMC)
        __asm__ __volatile__("smc #0"
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                             :
                             : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                               "x14", "x15", "x16", "x17", "memory");
    else
        __asm__ __volatile__("hvc #0"
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                             :
                             : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                               "x14", "x15", "x16", "x17", "memory");
    return x0;
}

int psci_cpu_on(const struct host_dt *dt, uint64_t mpidr, paddr_t entry, uint64_t context)
{
    /* At EL2, HVC would trap to ourselves: only SMC reaches the firmware. */
    if (dt->psci != PSCI_SMC)
        return -1;
    return (int)(int64_t)psci_call(dt->psci, PSCI_0_2_FN64_CPU_ON, mpidr, entry, context);
}
