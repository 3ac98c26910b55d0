/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The port's one x86 instruction decoder (<asm/mmio_decode.h>): the MMIO forms and the
 * arithmetic of their ALU operations, MOV to a control register, and the address size of
 * a string instruction, all over one prefix scan (insn_prefixes). The layout it walks
 * (AMD APM vol. 3, Intel SDM vol. 2, ch. 2):
 *
 *   legacy prefixes   66 operand size, 67 address size, 26/2E/36/3E/64/65 segment
 *                     (any order, repeats allowed); F0 LOCK only on a read-modify-write
 *                     of memory (not MOV, CMP, TEST: #UD on the CPU); F2/F3 REP: refused
 *                     by MMIO, ignored by MOV CR
 *   REX 40-4F         64-bit mode only, and only as the last byte before the opcode
 *                     (a REX followed by a legacy prefix is ignored, as the CPU does)
 *   opcode            88 89 8A 8B A0-A3 C6 C7, or 0F B6 B7 BE BF (MOV family);
 *                     00-3B (ALU with a register), 80 81 83 (ALU with an immediate),
 *                     84 85 F6/0 F7/0 (TEST), 86 87 (XCHG); 0F 22 (MOV to CR: ModRM.reg
 *                     + REX.R the CR, ModRM.rm + REX.B the register, whatever mod is)
 *   ModRM [SIB] [displacement]   the memory operand: its length only matters, the fault
 *                     gave the guest-physical address; a register operand (mod 3)
 *                     cannot have faulted and is refused
 *   immediate         C6 80 83 F6: 1 byte (83's sign-extended); C7 81 F7: 2 (16-bit
 *                     operand) or 4 (sign-extended to 64 bits with REX.W)
 *
 * Every read is bounded by `avail` and by the 15-byte limit.
 */
#include <asm/mmio_decode.h>

#define PFX_OPSIZE   0x66
#define PFX_ADDRSIZE 0x67
#define PFX_LOCK     0xf0
#define PFX_REPNE    0xf2
#define PFX_REP      0xf3
#define REX_W        0x8
#define REX_R        0x4
#define REX_B        0x1

struct cursor {
    const uint8_t *bytes;
    size_t avail, pos;
};

/* The next byte, or false when the bytes or the 15-byte limit end first. */
static bool next(struct cursor *c, uint8_t *b)
{
    if (c->pos >= MMIO_INSN_MAX || c->pos >= c->avail)
        return false;
    *b = c->bytes[c->pos++];
    return true;
}

/* Skip n bytes (displacement, offset); read up to 8 of them little-endian into *val. */
static enum mmio_decode_result take(struct cursor *c, unsigned int n, uint64_t *val)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < n; i++) {
        uint8_t b;

        if (c->pos >= MMIO_INSN_MAX)
            return MMIO_DECODE_UNSUPPORTED; /* longer than 15 bytes: #GP on hardware */
        if (!next(c, &b))
            return MMIO_DECODE_SHORT;
        v |= (uint64_t)b << (8 * i);
    }
    if (val != NULL)
        *val = v;
    return MMIO_DECODE_OK;
}

/* After the ModRM byte: the SIB byte and displacement of a memory operand. */
static enum mmio_decode_result memory_operand(struct cursor *c, uint8_t modrm, unsigned int asize)
{
    unsigned int mod = modrm >> 6, rm = modrm & 7, disp;

    if (mod == 3)
        return MMIO_DECODE_UNSUPPORTED; /* a register: no memory access to emulate */
    if (asize == 2) {
        /* 16-bit addressing: no SIB; mod 0 rm 6 is a bare disp16. */
        disp = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0;
        return take(c, disp, NULL);
    }
    if (rm == 4) {
        uint8_t sib;
        enum mmio_decode_result r = take(c, 1, NULL);

        if (r != MMIO_DECODE_OK)
            return r;
        sib = c->bytes[c->pos - 1];
        if (mod == 0 && (sib & 7) == 5)
            return take(c, 4, NULL); /* no base: disp32 */
    }
    /* mod 0 rm 5: disp32 (RIP-relative in 64-bit mode: the same length). */
    disp = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 5)) ? 4 : 0;
    return take(c, disp, NULL);
}

/* The bytes ran out, or the 15-byte limit did (#GP on hardware). */
static enum mmio_decode_result ended(const struct cursor *c)
{
    return c->pos >= MMIO_INSN_MAX ? MMIO_DECODE_UNSUPPORTED : MMIO_DECODE_SHORT;
}

enum mmio_decode_result insn_prefixes(const uint8_t *bytes, size_t avail, enum mmio_mode mode,
                                      struct insn_prefixes *pfx)
{
    struct cursor c = {bytes, avail, 0};
    uint8_t b;

    *pfx = (struct insn_prefixes){0};
    for (;;) {
        if (!next(&c, &b))
            return ended(&c);
        if (b == PFX_OPSIZE) {
            pfx->opsize = true;
        } else if (b == PFX_ADDRSIZE) {
            pfx->addrsize = true;
        } else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65) {
            /* a segment override: no user here needs which (an MMIO fault's address has
             * the segment in it; MOV CR and I/O ports have no memory operand) */
        } else if (b == PFX_LOCK) {
            pfx->lock = true;
        } else if (b == PFX_REPNE || b == PFX_REP) {
            pfx->rep = true;
        } else if (mode == MMIO_MODE_64 && (b & 0xf0) == 0x40) {
            pfx->rex = b; /* the last one counts; a legacy prefix after it cancels it */
            pfx->len = (unsigned int)c.pos;
            continue;
        } else {
            return MMIO_DECODE_OK; /* the opcode's first byte, at pfx->len */
        }
        pfx->rex = 0;
        pfx->len = (unsigned int)c.pos;
    }
}

enum mmio_decode_result mmio_decode(const uint8_t *bytes, size_t avail, enum mmio_mode mode,
                                    struct mmio_insn *insn)
{
    struct cursor c = {bytes, avail, 0};
    struct insn_prefixes pfx;
    bool two_byte = false;
    unsigned int imm_bytes = 0;
    uint8_t op, modrm = 0;
    unsigned int osize, asize;
    enum mmio_decode_result r;

    *insn = (struct mmio_insn){0};
    r = insn_prefixes(bytes, avail, mode, &pfx);
    if (pfx.rep)
        return MMIO_DECODE_UNSUPPORTED; /* REP/REPNE: a string instruction */
    if (r != MMIO_DECODE_OK)
        return r;
    c.pos = pfx.len;
    if (!next(&c, &op))
        return ended(&c); /* not reached: the scan saw an opcode byte there */
    if (op == 0x0f) {
        two_byte = true;
        if (!next(&c, &op))
            return ended(&c);
    }

    if (mode == MMIO_MODE_64) {
        osize = (pfx.rex & REX_W) ? 8 : pfx.opsize ? 2 : 4;
        asize = pfx.addrsize ? 4 : 8;
    } else {
        bool wide = (mode == MMIO_MODE_32) != pfx.opsize;
        bool wide_addr = (mode == MMIO_MODE_32) != pfx.addrsize;

        osize = wide ? 4 : 2;
        asize = wide_addr ? 4 : 2;
    }

    if (two_byte) {
        if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
            return MMIO_DECODE_UNSUPPORTED;
        insn->op = op & 8 ? MMIO_LOAD_SX : MMIO_LOAD_ZX;
        insn->size = op & 1 ? 2 : 1;
        insn->reg_size = osize;
    } else if (op >= 0xa0 && op <= 0xa3) {
        /* MOV AL/rAX <-> moffs: the offset is as wide as the address size. */
        if (pfx.lock)
            return MMIO_DECODE_UNSUPPORTED;
        insn->op = op & 2 ? MMIO_STORE : MMIO_LOAD;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
        insn->reg = 0;
        r = take(&c, asize, NULL);
        if (r != MMIO_DECODE_OK)
            return r;
        insn->len = (unsigned int)c.pos;
        return MMIO_DECODE_OK;
    } else if (op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b) {
        insn->op = op & 2 ? MMIO_LOAD : MMIO_STORE;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
    } else if (op == 0xc6 || op == 0xc7) {
        insn->op = MMIO_STORE_IMM;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
        imm_bytes = op & 1 ? MIN(osize, 4u) : 1;
    } else if (op <= 0x3b && (op & 7) <= 3) {
        /* ADD OR ADC SBB AND SUB XOR CMP: r/m,reg (bit 1 clear) or reg,r/m (set). */
        insn->op = MMIO_ALU;
        insn->alu = (enum mmio_alu)(op >> 3);
        insn->mem_dest = !(op & 2);
        insn->size = insn->reg_size = op & 1 ? osize : 1;
    } else if (op == 0x80 || op == 0x81 || op == 0x83) {
        insn->op = MMIO_ALU; /* the operation is ModRM's reg field */
        insn->mem_dest = insn->has_imm = true;
        insn->size = insn->reg_size = op == 0x81 ? osize : op == 0x83 ? osize : 1;
        imm_bytes = op == 0x81 ? MIN(osize, 4u) : 1;
    } else if (op == 0x84 || op == 0x85) {
        insn->op = MMIO_ALU;
        insn->alu = MMIO_ALU_TEST;
        insn->mem_dest = true;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
    } else if (op == 0xf6 || op == 0xf7) {
        insn->op = MMIO_ALU; /* /0 TEST imm; the rest (NOT, NEG, MUL, DIV) is not taken */
        insn->alu = MMIO_ALU_TEST;
        insn->mem_dest = insn->has_imm = true;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
        imm_bytes = op & 1 ? MIN(osize, 4u) : 1;
    } else if (op == 0x86 || op == 0x87) {
        insn->op = MMIO_XCHG;
        insn->size = insn->reg_size = op & 1 ? osize : 1;
    } else {
        return MMIO_DECODE_UNSUPPORTED;
    }

    if (!next(&c, &modrm))
        return ended(&c);
    r = memory_operand(&c, modrm, asize);
    if (r != MMIO_DECODE_OK)
        return r;
    insn->reg = ((modrm >> 3) & 7) | ((pfx.rex & REX_R) ? 8 : 0);
    if (op == 0x80 || op == 0x81 || op == 0x83) {
        insn->alu = (enum mmio_alu)((modrm >> 3) & 7);
        insn->reg = 0;
    } else if (op == 0xc6 || op == 0xc7 || op == 0xf6 || op == 0xf7) {
        if ((modrm >> 3) & 7)
            return MMIO_DECODE_UNSUPPORTED; /* C6/C7 /1-/7: not MOV; F6/F7 /1-/7: not TEST */
        insn->reg = 0;
    }
    if (imm_bytes != 0) {
        uint64_t imm;

        r = take(&c, imm_bytes, &imm);
        if (r != MMIO_DECODE_OK)
            return r;
        /* Sign-extended from its own width (imm8 of 83, imm32 with REX.W), then cut to size. */
        if (imm_bytes < insn->size && (imm >> (8 * imm_bytes - 1)) & 1)
            imm |= ~0ull << (8 * imm_bytes);
        insn->imm = imm & (insn->size >= 8 ? ~0ull : (1ull << (8 * insn->size)) - 1);
    } else if (insn->reg_size == 1 && pfx.rex == 0 && insn->reg >= 4) {
        insn->reg -= 4; /* AH, CH, DH, BH: bits 15:8 of rAX..rBX */
        insn->high_byte = true;
    }
    /* LOCK: only on an instruction that writes memory it read (XCHG is locked anyway). */
    if (pfx.lock &&
        !(insn->op == MMIO_XCHG || (insn->op == MMIO_ALU && insn->mem_dest &&
                                    insn->alu != MMIO_ALU_CMP && insn->alu != MMIO_ALU_TEST)))
        return MMIO_DECODE_UNSUPPORTED;
    insn->len = (unsigned int)c.pos;
    return MMIO_DECODE_OK;
}

enum mmio_decode_result insn_decode_mov_to_cr(const uint8_t *bytes, size_t avail,
                                              enum mmio_mode mode, struct insn_mov_cr *mov)
{
    struct insn_prefixes pfx;
    struct cursor c = {bytes, avail, 0};
    enum mmio_decode_result r = insn_prefixes(bytes, avail, mode, &pfx);
    uint8_t op0, op1, modrm;

    *mov = (struct insn_mov_cr){0};
    if (r != MMIO_DECODE_OK)
        return r;
    /* LOCK MOV CR0 is AMD's other encoding of CR8; with any other CR it is #UD. No caller
     * intercepts CR8 writes, so LOCK is refused (#UD for the caller). */
    if (pfx.lock)
        return MMIO_DECODE_UNSUPPORTED;
    c.pos = pfx.len;
    if (!next(&c, &op0) || (op0 == 0x0f && !next(&c, &op1)))
        return ended(&c);
    if (op0 != 0x0f || op1 != 0x22)
        return MMIO_DECODE_UNSUPPORTED;
    if (!next(&c, &modrm))
        return ended(&c);
    /* The operand is a register whatever ModRM.mod says; 66, F2, F3 change nothing. */
    mov->cr = ((modrm >> 3) & 7) | ((pfx.rex & REX_R) ? 8 : 0);
    mov->gpr = (modrm & 7) | ((pfx.rex & REX_B) ? 8 : 0);
    mov->len = (unsigned int)c.pos;
    return MMIO_DECODE_OK;
}

unsigned int insn_addr_bits(const uint8_t *bytes, size_t avail, enum mmio_mode mode)
{
    struct insn_prefixes pfx;

    /* Whatever the scan found before the bytes ended: no 0x67 seen is the mode's size. */
    (void)insn_prefixes(bytes, avail, mode, &pfx);
    switch (mode) {
    case MMIO_MODE_64:
        return pfx.addrsize ? 32 : 64;
    case MMIO_MODE_32:
        return pfx.addrsize ? 16 : 32;
    default:
        return pfx.addrsize ? 32 : 16;
    }
}

static uint64_t mask_of(unsigned int size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t mmio_source_value(const struct mmio_insn *insn, uint64_t reg_val)
{
    if (insn->op == MMIO_STORE_IMM || insn->has_imm)
        return insn->imm & mask_of(insn->size);
    if (insn->high_byte)
        reg_val >>= 8;
    return reg_val & mask_of(insn->size);
}

uint64_t mmio_load_result(const struct mmio_insn *insn, uint64_t reg_old, uint64_t val)
{
    uint64_t m = mask_of(insn->size);

    val &= m;
    if (insn->op == MMIO_LOAD_SX && (val & (1ull << (8 * insn->size - 1))))
        val |= ~m;
    if (insn->high_byte)
        return (reg_old & ~0xff00ull) | (val & 0xff) << 8;
    switch (insn->reg_size) {
    case 1:
        return (reg_old & ~0xffull) | (val & 0xff);
    case 2:
        return (reg_old & ~0xffffull) | (val & 0xffff);
    case 4:
        return val & 0xffffffffull; /* a 32-bit destination clears bits 63:32 */
    default:
        return val;
    }
}

#define FLAG_CF     0x001ull
#define FLAG_PF     0x004ull
#define FLAG_AF     0x010ull
#define FLAG_ZF     0x040ull
#define FLAG_SF     0x080ull
#define FLAG_OF     0x800ull
#define FLAGS_ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

bool mmio_alu_writes(const struct mmio_insn *insn)
{
    return insn->alu != MMIO_ALU_CMP && insn->alu != MMIO_ALU_TEST;
}

uint64_t mmio_alu(const struct mmio_insn *insn, uint64_t d, uint64_t s, uint64_t *rflags)
{
    uint64_t m = mask_of(insn->size), sign = 1ull << (8 * insn->size - 1), r, f = 0;
    uint64_t carry = (*rflags & FLAG_CF) ? 1 : 0;

    d &= m;
    s &= m;
    switch (insn->alu) {
    case MMIO_ALU_ADD:
    case MMIO_ALU_ADC:
        carry = insn->alu == MMIO_ALU_ADC ? carry : 0;
        r = (d + s + carry) & m;
        /* Carry out of the top bit: the sum wrapped below d (or to d, with a carry in). */
        if (carry ? r <= d : r < d)
            f |= FLAG_CF;
        if ((d ^ r) & (s ^ r) & sign)
            f |= FLAG_OF; /* both operands of one sign, the result of the other */
        f |= (d ^ s ^ r) & FLAG_AF;
        break;
    case MMIO_ALU_SUB:
    case MMIO_ALU_SBB:
    case MMIO_ALU_CMP:
        carry = insn->alu == MMIO_ALU_SBB ? carry : 0;
        r = (d - s - carry) & m;
        if (carry ? d <= s : d < s)
            f |= FLAG_CF; /* a borrow */
        if ((d ^ s) & (d ^ r) & sign)
            f |= FLAG_OF;
        f |= (d ^ s ^ r) & FLAG_AF;
        break;
    case MMIO_ALU_OR:
        r = d | s;
        break;
    case MMIO_ALU_XOR:
        r = d ^ s;
        break;
    default: /* AND, TEST */
        r = d & s;
        break;
    }
    if (r == 0)
        f |= FLAG_ZF;
    if (r & sign)
        f |= FLAG_SF;
    if (!(__builtin_popcount((unsigned int)(r & 0xff)) & 1))
        f |= FLAG_PF; /* even parity of the low byte */
    *rflags = (*rflags & ~FLAGS_ARITH) | f;
    return r;
}
