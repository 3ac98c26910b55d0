/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSCI 1.0 (and 0.2) for guests, over HVC #0 or SMC #0 with the SMC Calling Convention:
 * function id in w0, arguments in x1-x3, result in x0. Only the calling domain is
 * affected: SYSTEM_OFF/RESET end or restart that domain, CPU_ON/OFF move its own vCPUs.
 * Function ids and return codes are those of Arm DEN 0022 (PSCI) and DEN 0028 (SMCCC).
 */
#include <xen/sched.h>
#include <asm/vcpu.h>
#include <public/sched.h>

#define PSCI_VERSION           0x84000000u
#define PSCI_CPU_SUSPEND_32    0x84000001u
#define PSCI_CPU_SUSPEND_64    0xc4000001u
#define PSCI_CPU_OFF           0x84000002u
#define PSCI_CPU_ON_32         0x84000003u
#define PSCI_CPU_ON_64         0xc4000003u
#define PSCI_AFFINITY_INFO_32  0x84000004u
#define PSCI_AFFINITY_INFO_64  0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF        0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES          0x8400000au
#define SMCCC_VERSION          0x80000000u
#define SMCCC_ARCH_FEATURES    0x80000001u

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON         (-4)
#define PSCI_ON_PENDING         (-5)

#define PSCI_VERSION_1_0     0x00010000u
#define SMCCC_VERSION_1_1    0x00010001u
#define MIGRATE_NOT_REQUIRED 2 /* no Trusted OS to migrate */
#define AFFINITY_ON          0
#define AFFINITY_OFF         1

/* The vCPU an MPIDR names: Aff0 = vcpu_id, every other affinity field 0 (context.c). */
static struct vcpu *mpidr_to_vcpu(struct domain *d, uint64_t mpidr)
{
    if ((mpidr & 0xff00ffff00ull) != 0)
        return NULL;
    return domain_vcpu(d, (uint32_t)(mpidr & 0xff));
}

static int64_t psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx)
{
    struct vcpu *t = mpidr_to_vcpu(v->domain, target);
    struct arm_vcpu *at;

    if (t == NULL || t->arch == NULL)
        return PSCI_INVALID_PARAMETERS;
    at = arm_vcpu(t);
    if (__atomic_load_n(&at->psci_on_pending, __ATOMIC_ACQUIRE))
        return PSCI_ON_PENDING;
    if (vcpu_is_online(t))
        return PSCI_ALREADY_ON;
    /* Applied by t's own CPU when it next loads t (context.c), then t goes online. */
    at->psci_entry = entry;
    at->psci_context_id = ctx;
    at->psci_kernel_boot = false;
    __atomic_store_n(&at->psci_on_pending, true, __ATOMIC_RELEASE);
    vcpu_set_online(t, true);
    return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
    struct vcpu *t;

    if (level != 0)
        return PSCI_INVALID_PARAMETERS; /* only level 0: one vCPU per "core" */
    t = mpidr_to_vcpu(v->domain, target);
    if (t == NULL)
        return PSCI_INVALID_PARAMETERS;
    return vcpu_is_online(t) ? AFFINITY_ON : AFFINITY_OFF;
}

static bool psci_implemented(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION:
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
    case SMCCC_VERSION:
        return true;
    default:
        return false;
    }
}

void vpsci_call(struct vcpu *v, struct cpu_regs *regs)
{
    uint32_t fn = (uint32_t)regs->x[0];
    /* SMC32/HVC32 calls (bit 30 clear) take 32-bit arguments: the upper halves are ignored. */
    uint64_t mask = (fn & 0x40000000u) ? ~0ull : 0xffffffffull;
    uint64_t a1 = regs->x[1] & mask, a2 = regs->x[2] & mask, a3 = regs->x[3] & mask;
    int64_t ret;

    /* An AArch32 caller (SPSR.M[4]) has only the SMC32 calls (SMCCC 2.6). */
    if ((regs->spsr & 0x10) && (fn & 0x40000000u))
        fn = ~0u;
    switch (fn) {
    case PSCI_VERSION:
        ret = PSCI_VERSION_1_0;
        break;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        /* A standby state: a WFI that returns success when it wakes. */
        ret = PSCI_SUCCESS;
        vcpu_block(v);
        break;
    case PSCI_CPU_OFF:
        vcpu_set_online(v, false); /* does not return to the caller */
        ret = PSCI_SUCCESS;
        break;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        ret = psci_cpu_on(v, a1, a2, a3);
        break;
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        ret = psci_affinity_info(v, a1, a2);
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = MIGRATE_NOT_REQUIRED;
        break;
    case PSCI_SYSTEM_OFF:
        ret = PSCI_SUCCESS;
        domain_shutdown(v->domain, SHUTDOWN_poweroff);
        break;
    case PSCI_SYSTEM_RESET:
        ret = PSCI_SUCCESS;
        domain_shutdown(v->domain, SHUTDOWN_reboot);
        break;
    case PSCI_FEATURES:
        /* 0 for CPU_SUSPEND: the original power_state format, no OS-initiated mode. */
        ret = psci_implemented((uint32_t)a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        break;
    case SMCCC_VERSION:
        ret = SMCCC_VERSION_1_1;
        break;
    case SMCCC_ARCH_FEATURES: /* no firmware workarounds to offer */
    default:
        ret = PSCI_NOT_SUPPORTED; /* SMCCC: unknown function -> -1 */
        break;
    }
    regs->x[0] = (uint64_t)ret;
}
