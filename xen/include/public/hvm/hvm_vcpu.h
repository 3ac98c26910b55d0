/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise for x86 HVM and PVH guests: the first register state of a vCPU that
 * has never run, which VCPUOP_up then starts (how PVH guests start their secondary vCPUs
 * without an emulated INIT/SIPI). Layouts are the same for 32- and 64-bit guests.
 *
 * VCPU_HVM_MODE_32B: 32-bit protected mode (paging as CR0/CR4/EFER say), segments CS, DS,
 * SS, ES, TR from the struct. The `_ar` fields are segment attributes in the 12-bit
 * form: type [3:0], S [4], DPL [6:5], P [7], AVL [8], L [9], D/B [10], G [11]; [15:12]
 * must be 0.
 * VCPU_HVM_MODE_64B: long mode with paging: CR0.PE/PG, CR4.PAE, EFER.LME/LMA must be set;
 * the hypervisor loads flat segments (64-bit CS, base 0 data segments).
 * In both modes GDTR and IDTR are undefined: the guest loads its own before using them.
 */
#ifndef MINIXEN_PUBLIC_HVM_HVM_VCPU_H
#define MINIXEN_PUBLIC_HVM_HVM_VCPU_H

#include <stdint.h>

/* 120 bytes */
struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};

/* 112 bytes */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
};

#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1

/* 128 bytes */
struct vcpu_hvm_context {
    uint32_t mode; /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};
typedef struct vcpu_hvm_context vcpu_hvm_context_t;

#endif
