/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kinds of guests and how Xen 4.17 treats each (see xen/include/xen/guest_kind.h).
 * Sources: xen/common/kernel.c (features), xen/arch/arm/{hvm.c, domain.c}
 * (do_arm_vcpu_op allows two VCPUOPs and refuses the rest with -EINVAL; params a guest
 * may only read), xen/arch/x86/hvm/hvm.c (params an x86 guest may set on itself).
 */
#include <xen/arch_hooks.h>
#include <xen/errno.h>
#include <xen/guest_kind.h>
#include <public/features.h>
#include <public/hvm/params.h>
#include <public/vcpu.h>

#define BIT32(n) (1u << (n))
#define BIT64(n) (1ull << (n))

/* The params minixen keeps: event callback, xenstore and PV console rings. */
#define PARAMS_RINGS                                                                               \
    (BIT64(HVM_PARAM_CALLBACK_IRQ) | BIT64(HVM_PARAM_STORE_PFN) | BIT64(HVM_PARAM_STORE_EVTCHN) |  \
     BIT64(HVM_PARAM_CONSOLE_PFN) | BIT64(HVM_PARAM_CONSOLE_EVTCHN))

/* Every VCPUOP minixen implements; x86 guests may use them all. */
#define VCPU_OPS_X86                                                                               \
    (BIT32(VCPUOP_initialise) | BIT32(VCPUOP_up) | BIT32(VCPUOP_down) | BIT32(VCPUOP_is_up) |      \
     BIT32(VCPUOP_get_runstate_info) | BIT32(VCPUOP_register_runstate_memory_area) |               \
     BIT32(VCPUOP_set_singleshot_timer) | BIT32(VCPUOP_stop_singleshot_timer) |                    \
     BIT32(VCPUOP_register_vcpu_info))

static const struct guest_kind kind_arm = {
    .name = "arm",
    .xen_features = BIT32(XENFEAT_ARM_SMCCC_supported),
    .capabilities = "xen-3.0-aarch64 ",
    .vcpu_ops = BIT32(VCPUOP_register_vcpu_info) | BIT32(VCPUOP_register_runstate_memory_area),
    .vcpu_op_refused = -EINVAL,
    .set_timer_op = false,
    .hvm_params = PARAMS_RINGS,
    .hvm_params_self_read = PARAMS_RINGS,
    .hvm_params_self_write = 0, /* the toolstack's; a guest writing its own gets -EPERM */
};

#define KIND_X86_HVM(nm, compat)                                                                   \
    {                                                                                              \
        .name = nm,                                                                                \
        .xen_features = BIT32(XENFEAT_hvm_safe_pvclock) | BIT32(XENFEAT_hvm_callback_vector),      \
        .capabilities = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ",           \
        .vcpu_ops = VCPU_OPS_X86, .vcpu_op_refused = -ENOSYS, .set_timer_op = true,                \
        .upcall_vector = true, .compat32 = (compat),                                               \
        .hvm_params = BIT64(HVM_NR_PARAMS_MINIXEN) - 1, .hvm_params_self_read = PARAMS_RINGS,      \
        .hvm_params_self_write = BIT64(HVM_PARAM_CALLBACK_IRQ) | BIT64(HVM_PARAM_STORE_EVTCHN) |   \
                                 BIT64(HVM_PARAM_CONSOLE_EVTCHN),                                  \
    }

static const struct guest_kind kind_x86_64 = KIND_X86_HVM("x86_64 hvm", false);
static const struct guest_kind kind_x86_32 = KIND_X86_HVM("x86_32 hvm", true);

BUILD_BUG_ON(HVM_NR_PARAMS_MINIXEN > 63);

bool hypercall_compat32(struct vcpu *curr)
{
    return arch_guest_layout_now(curr) == &guest_layout_x86_32;
}

const struct guest_kind *guest_kind_of(const struct domain *d)
{
    /* One read: an x86 guest may latch its width again meanwhile (domain.h). */
    const struct guest_layout *l = __atomic_load_n(&d->guest_layout, __ATOMIC_ACQUIRE);

    if (l == &guest_layout_arm)
        return &kind_arm;
    return l == &guest_layout_x86_32 ? &kind_x86_32 : &kind_x86_64;
}
