/* SPDX-License-Identifier: Apache-2.0 */
/* x86_64 registers, instructions and bit fields the port uses, by their architectural names. */
#ifndef MINIXEN_X86_ASM_X86_H
#define MINIXEN_X86_ASM_X86_H

/* Constants shared with assembly, which knows no integer suffixes. */
#ifdef __ASSEMBLY__
#define BIT(n)   (1 << (n))
#define BIT64(n) (1 << (n))
#else
#define BIT(n)   (1u << (n))
#define BIT64(n) (1ull << (n))
#endif

/* The image runs in the top 2 GiB (-mcmodel=kernel): virtual = KERNEL_VBASE + physical. */
#define KERNEL_VBASE 0xffffffff80000000

/* Segment selectors of the hypervisor GDT (desc.c; head.S and the trampoline agree). */
#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define SEL_CODE32 0x18
#define SEL_TSS0   0x20 /* CPU n's TSS descriptor is at SEL_TSS0 + 16 n */

#define NR_CPUS     8
/* Per CPU, STACK_GUARD bytes of it unmapped at the bottom (setup.c: an overflow faults
 * instead of running into the next CPU's stack or the IDT); smp_processor_id() derives
 * the CPU from the stack. */
#define STACK_SIZE  0x5000
#define STACK_GUARD 0x1000

#define CR0_PE BIT(0)
#define CR0_MP BIT(1)
#define CR0_ET BIT(4)
#define CR0_NE BIT(5)
#define CR0_WP BIT(16)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
#define CR0_PG BIT(31)

#define CR4_PAE BIT(5)
#define CR4_PGE BIT(7)

#define MSR_EFER        0xc0000080
#define EFER_SCE        BIT(0)
#define EFER_LME        BIT(8)
#define EFER_LMA        BIT(10)
#define EFER_NXE        BIT(11)
#define EFER_SVME       BIT(12)
#define MSR_APIC_BASE   0x1b
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_VM_CR       0xc0010114
#define VM_CR_SVMDIS    BIT(4)

/* Page-table entry bits (4-level, 4 KiB granule). */
#define PTE_P    BIT64(0)
#define PTE_W    BIT64(1)
#define PTE_U    BIT64(2)
#define PTE_PWT  BIT64(3)
#define PTE_PCD  BIT64(4)
#define PTE_A    BIT64(5)
#define PTE_D    BIT64(6)
#define PTE_PS   BIT64(7)
#define PTE_G    BIT64(8)
#define PTE_NX   BIT64(63)
#define PTE_ADDR 0x000ffffffffff000

/* Exception vectors. */
#define X86_EXC_DE     0
#define X86_EXC_DB     1
#define X86_EXC_NMI    2
#define X86_EXC_BP     3
#define X86_EXC_UD     6
#define X86_EXC_DF     8
#define X86_EXC_TS     10
#define X86_EXC_NP     11
#define X86_EXC_SS     12
#define X86_EXC_GP     13
#define X86_EXC_PF     14
#define X86_EXC_MC     18
#define X86_NR_EXC     32
#define X86_NR_VECTORS 256

#define RFLAGS_IF BIT64(9)

#ifndef __ASSEMBLY__
#include <xen/types.h>

typedef uint64_t paddr_t;

/* The register frame entry.S builds for every trap and interrupt (struct order = stack). */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ __volatile__("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ __volatile__("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    __asm__ __volatile__("cpuid"
                         : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                         : "a"(leaf), "c"(subleaf));
    return r;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#define READ_CR(n)                                                                                 \
    ({                                                                                             \
        uint64_t v__;                                                                              \
        __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v__));                                    \
        v__;                                                                                       \
    })
#define WRITE_CR(n, v) __asm__ __volatile__("mov %0, %%cr" #n ::"r"((uint64_t)(v)) : "memory")

static inline void local_irq_disable(void)
{
    __asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
    __asm__ __volatile__("sti" ::: "memory");
}

/* Physical address of a hypervisor pointer: the image (high half) or the identity map. */
static inline paddr_t virt_to_phys(const void *p)
{
    uintptr_t va = (uintptr_t)p;

    return va >= KERNEL_VBASE ? va - KERNEL_VBASE : va;
}

/* The low 4 GiB, and RAM above it up to the map's end, are identity-mapped (mm.c). */
static inline void *phys_to_virt(paddr_t pa)
{
    uintptr_t va = pa;

    /* Opaque to the compiler: a constant low address is firmware data, not a null deref. */
    __asm__("" : "+r"(va));
    return (void *)va;
}

static inline volatile uint32_t *mmio32(paddr_t pa)
{
    return (volatile uint32_t *)(uintptr_t)pa;
}
#endif

#endif
