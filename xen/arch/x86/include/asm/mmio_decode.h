/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The port's one x86 instruction decoder (mmio_decode.c). QEMU's SVM gives no decode
 * assists and no next-RIP, so the port reads the bytes at the guest's CS:RIP (insn_fetch.c)
 * and decodes them here: the instruction behind an MMIO nested page fault, MOV to CR4
 * (insn_decode_mov_to_cr), the address size of string I/O (insn_addr_bits), all through
 * one scan of the legacy prefixes and REX (insn_prefixes).
 *
 * For MMIO only the MOV family that drivers use on device registers is
 * taken: MOV r/m<->reg (88/89/8A/8B), MOV moffs (A0-A3), MOV imm (C6/C7 /0), MOVZX and
 * MOVSX from memory (0F B6/B7/BE/BF), and the read-modify-writes and compares a compiler
 * emits for `*reg |= bit` on a volatile pointer: ADD/OR/ADC/SBB/AND/SUB/XOR/CMP with a
 * register (00-3B) or an immediate (80/81/83), TEST (84/85, F6/F7 /0) and XCHG (86/87);
 * with the operand- and address-size prefixes, REX, LOCK where the CPU allows it, segment
 * overrides (ignored: the fault already names the guest-physical address) and every
 * ModRM/SIB/displacement form. Anything else (REP/REPNE, string instructions, VEX, SSE,
 * a register operand, more than 15 bytes) is refused.
 *
 * Pure functions over bytes: no guest state, host-tested (tests/host/test_mmio.c).
 */
#ifndef MINIXEN_X86_ASM_MMIO_DECODE_H
#define MINIXEN_X86_ASM_MMIO_DECODE_H

#include <xen/types.h>

#define MMIO_INSN_MAX 15 /* the architectural limit: longer is #GP on hardware */

/* The code segment's default sizes: CS.L in long mode, else CS.D. */
enum mmio_mode { MMIO_MODE_16, MMIO_MODE_32, MMIO_MODE_64 };

enum mmio_op {
    MMIO_LOAD,      /* register <- memory (same width) */
    MMIO_LOAD_ZX,   /* register <- memory, zero-extended (MOVZX) */
    MMIO_LOAD_SX,   /* register <- memory, sign-extended (MOVSX) */
    MMIO_STORE,     /* memory <- register */
    MMIO_STORE_IMM, /* memory <- immediate */
    MMIO_ALU,       /* an arithmetic or logic operation with memory (mmio_alu) */
    MMIO_XCHG,      /* memory <-> register */
};

/* In the order of the opcodes' bits 5:3 (and ModRM.reg of 80/81/83); TEST apart. */
enum mmio_alu {
    MMIO_ALU_ADD,
    MMIO_ALU_OR,
    MMIO_ALU_ADC,
    MMIO_ALU_SBB,
    MMIO_ALU_AND,
    MMIO_ALU_SUB,
    MMIO_ALU_XOR,
    MMIO_ALU_CMP,
    MMIO_ALU_TEST,
};

enum mmio_decode_result {
    MMIO_DECODE_OK,
    MMIO_DECODE_SHORT,       /* the bytes ran out before the instruction did */
    MMIO_DECODE_UNSUPPORTED, /* not an instruction this decoder emulates */
};

struct mmio_insn {
    unsigned int len; /* bytes, prefixes included: RIP advances by this */
    enum mmio_op op;
    unsigned int size;     /* bytes the memory operand covers: 1, 2, 4 or 8 */
    unsigned int reg;      /* the register operand, in encoding order (0 = rAX ... 15 = r15) */
    bool high_byte;        /* a byte register without REX, reg 4-7: AH, CH, DH, BH */
    unsigned int reg_size; /* bytes of the register operand (loads: the destination) */
    uint64_t imm;          /* MMIO_STORE_IMM, has_imm: the value, sign-extended, cut to size */
    enum mmio_alu alu;     /* MMIO_ALU: which operation */
    bool mem_dest;         /* MMIO_ALU: memory is the destination (else the register) */
    bool has_imm;          /* MMIO_ALU: the other operand is imm, not a register */
};

/* The legacy prefixes and REX before an opcode. */
struct insn_prefixes {
    unsigned int len; /* bytes of prefixes: where the opcode starts */
    bool opsize;      /* 66 */
    bool addrsize;    /* 67 */
    bool lock;        /* F0 */
    bool rep;         /* F2 or F3 */
    uint8_t rex;      /* 64-bit mode: the REX right before the opcode (0: none) */
};

/*
 * Scan the prefixes of the first `avail` bytes. OK when an opcode byte follows them
 * (at pfx->len < avail); else SHORT, or UNSUPPORTED at the 15-byte limit. *pfx holds
 * what was scanned either way.
 */
enum mmio_decode_result insn_prefixes(const uint8_t *bytes, size_t avail, enum mmio_mode mode,
                                      struct insn_prefixes *pfx);

/* Decode the first `avail` bytes of an instruction. */
enum mmio_decode_result mmio_decode(const uint8_t *bytes, size_t avail, enum mmio_mode mode,
                                    struct mmio_insn *insn);

/* The register or immediate operand's value (its low insn->size bytes; AH-BH shifted
 * down), given the register's value: what a store writes, an ALU op's other operand. */
uint64_t mmio_source_value(const struct mmio_insn *insn, uint64_t reg_val);

/* MMIO_ALU: dst op src at insn->size, RFLAGS' CF/PF/AF/ZF/SF/OF updated as the CPU does
 * (AF 0 after logic operations, where it is undefined). Returns the result. */
uint64_t mmio_alu(const struct mmio_insn *insn, uint64_t dst, uint64_t src, uint64_t *rflags);
/* Does the operation write its destination (not CMP or TEST)? */
bool mmio_alu_writes(const struct mmio_insn *insn);

/* A load read `val` (insn->size bytes): the register operand's new value, given its old one.
 * 32-bit destinations are zero-extended to 64 bits, 8- and 16-bit ones merged. */
uint64_t mmio_load_result(const struct mmio_insn *insn, uint64_t reg_old, uint64_t val);

/* MOV to a control register (0F 22 /r, LOCK refused). */
struct insn_mov_cr {
    unsigned int len; /* bytes, prefixes included */
    unsigned int cr;  /* the control register, ModRM.reg + REX.R: 0-15 */
    unsigned int gpr; /* the source register in encoding order, ModRM.rm + REX.B: 0-15 */
};
enum mmio_decode_result insn_decode_mov_to_cr(const uint8_t *bytes, size_t avail,
                                              enum mmio_mode mode, struct insn_mov_cr *mov);

/*
 * The address size in bits (16, 32, 64) of the instruction in `bytes` (string I/O: the
 * width of rSI/rDI/rCX): the mode's (16, 32, 64), switched by a 0x67 prefix (to 32, 16,
 * 32). Prefixes that could not all be read count as far as they were.
 */
unsigned int insn_addr_bits(const uint8_t *bytes, size_t avail, enum mmio_mode mode);

#endif
