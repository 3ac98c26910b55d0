/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the guest's instruction at CS:RIP (insn_fetch.c), for the exits that must decode
 * it themselves (QEMU's SVM gives no decode assists and no next-RIP): MMIO (mmio.c), MOV
 * to CR4 (cr4.c), string I/O (vmexit.c). The bytes go to the one decoder, mmio_decode.c.
 */
#ifndef MINIXEN_X86_ASM_INSN_FETCH_H
#define MINIXEN_X86_ASM_INSN_FETCH_H

#include <asm/mmio_decode.h>
#include <asm/vcpu.h>

/* The instruction's bytes as far as they could be read, and the mode to decode them in. */
struct insn_fetch {
    uint8_t bytes[MMIO_INSN_MAX];
    size_t n;            /* bytes read: 0 to 15 */
    enum mmio_mode mode; /* CS.L in long mode, else CS.D */
};

/* Read up to 15 bytes at v's CS:RIP. The guest may change them meanwhile: hostile bytes. */
void x86_insn_fetch(struct vcpu *v, struct insn_fetch *f);

/* Move v's RIP past `len` bytes of an instruction fetched in `mode` (outside 64-bit mode
 * EIP wraps at 4 GiB). */
void x86_insn_skip(struct vcpu *v, enum mmio_mode mode, unsigned int len);

/* The guest register of an encoding's number (0 = rAX ... 15 = r15; higher bits ignored). */
uint64_t *x86_gpr(struct guest_regs *r, unsigned int n);

#endif
