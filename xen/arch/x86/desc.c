/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Descriptor tables. One GDT for every CPU: the boot entries (head.S's layout) followed by
 * one 16-byte TSS descriptor per CPU, since `ltr` marks its descriptor busy and each CPU
 * needs its own. Ring 0 only, so a TSS holds no RSP0; it holds the IST pointers: #DF, NMI
 * and #MC switch to a stack of their own (per CPU and per vector, so an NMI inside a #DF
 * handler does not overwrite it). Without that, a fault whose cause is the stack itself
 * (RSP overflowed or corrupted) cannot push its frame, the #DF cannot either, and the CPU
 * shuts down: the machine resets with no line on the console. With it the #DF handler
 * runs on a good stack and prints the state (traps.c). One IDT for every CPU, each gate
 * pointing at its vector's stub in entry.S.
 *
 * TR is the host's only outside the guest-run window: VMRUN's host VMCB round trip
 * (svm_entry.S) puts the guest's TR in between #VMEXIT and the host's VMLOAD, where GIF=0
 * holds off NMIs and nothing may fault.
 */
#include <asm/setup.h>

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define GDT_BOOT_ENTRIES (SEL_TSS0 / 8)
#define GATE_INTR64      0x8e /* present, DPL 0, 64-bit interrupt gate (IF cleared) */
#define TSS_AVAILABLE    0x89 /* present, 64-bit TSS, available */

extern const uint64_t boot_gdt[GDT_BOOT_ENTRIES];
extern const uint8_t trap_stubs[X86_NR_VECTORS][16];

static uint64_t gdt[GDT_BOOT_ENTRIES + 2 * NR_CPUS] __attribute__((aligned(16)));
static struct tss64 tss[NR_CPUS] __attribute__((aligned(16)));
static struct idt_gate idt[X86_NR_VECTORS] __attribute__((aligned(16)));
uint8_t ist_stacks[NR_CPUS][X86_NR_IST][IST_STACK_SIZE] __attribute__((aligned(4096)));

/* Which IST slot (1-based, as the gate holds it; 0: the current stack) each vector uses. */
static unsigned int ist_of(unsigned int vector)
{
    switch (vector) {
    case X86_EXC_DF:
        return 1;
    case X86_EXC_NMI:
        return 2;
    case X86_EXC_MC:
        return 3;
    default:
        return 0;
    }
}

void desc_init(void)
{
    for (unsigned int i = 0; i < GDT_BOOT_ENTRIES; i++)
        gdt[i] = boot_gdt[i];
    for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
        uint64_t base = (uint64_t)&tss[cpu];
        uint64_t limit = sizeof(tss[cpu]) - 1;
        unsigned int slot = GDT_BOOT_ENTRIES + 2 * cpu;

        tss[cpu].iomap_base = sizeof(tss[cpu]); /* no I/O bitmap */
        for (unsigned int i = 0; i < X86_NR_IST; i++)
            tss[cpu].ist[i] = (uint64_t)&ist_stacks[cpu][i][IST_STACK_SIZE]; /* grows down */
        gdt[slot] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)TSS_AVAILABLE << 40 |
                    ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
        gdt[slot + 1] = base >> 32;
    }
    for (unsigned int v = 0; v < X86_NR_VECTORS; v++) {
        uint64_t off = (uint64_t)trap_stubs[v];

        idt[v] = (struct idt_gate){
            .offset_lo = (uint16_t)off,
            .selector = SEL_CODE64,
            .ist = (uint8_t)ist_of(v),
            .type_attr = GATE_INTR64,
            .offset_mid = (uint16_t)(off >> 16),
            .offset_hi = (uint32_t)(off >> 32),
        };
    }
}

void desc_load(unsigned int cpu)
{
    struct desc_ptr gp = {sizeof(gdt) - 1, (uint64_t)gdt};
    struct desc_ptr ip = {sizeof(idt) - 1, (uint64_t)idt};
    uint16_t tr = (uint16_t)(SEL_TSS0 + 16 * cpu);

    __asm__ __volatile__("lgdt %0" ::"m"(gp) : "memory");
    /* Reload CS through a far return, then the data segments. */
    __asm__ __volatile__("pushq %[cs]\n"
                         "leaq 1f(%%rip), %%rax\n"
                         "pushq %%rax\n"
                         "lretq\n"
                         "1:\n"
                         "mov %[ds], %%ds\n"
                         "mov %[ds], %%es\n"
                         "mov %[ds], %%ss\n"
                         :
                         : [cs] "i"(SEL_CODE64), [ds] "r"(SEL_DATA)
                         : "rax", "memory");
    __asm__ __volatile__("ltr %0" ::"r"(tr) : "memory");
    __asm__ __volatile__("lidt %0" ::"m"(ip) : "memory");
}
