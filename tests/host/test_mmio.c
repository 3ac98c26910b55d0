/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 instruction decoder (xen/arch/x86/mmio_decode.c): the MMIO forms, MOV to CR
 * (cr4.c's, with REX.R/REX.B, prefix noise, truncation, the 15-byte limit) and the
 * address size of string I/O (vmexit.c's: the mode, 0x67); the MOV family
 * on hand-encoded instructions of every form it takes and refuses, in 16-, 32- and
 * 64-bit code, on truncated and over-long input and on random bytes (every decode is
 * of an exact-size copy, so the sanitizers see any read past the end); the register
 * results of loads and the values of stores; and the virtual I/O APIC's register file
 * (xen/arch/x86/vioapic.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/mmio_decode.h>
#include <asm/vioapic.h>

static enum mmio_decode_result decode(const void *bytes, size_t len, enum mmio_mode mode,
                                      struct mmio_insn *insn)
{
    uint8_t *copy = malloc(len ? len : 1);
    enum mmio_decode_result r;

    assert_non_null(copy);
    memcpy(copy, bytes, len);
    r = mmio_decode(copy, len, mode, insn);
    free(copy);
    return r;
}

/* The other decoders over the same prefix scan, each on an exact-size copy (ASan). */
static enum mmio_decode_result mov_cr(const void *bytes, size_t len, enum mmio_mode mode,
                                      struct insn_mov_cr *mov)
{
    uint8_t *copy = malloc(len ? len : 1);
    enum mmio_decode_result r;

    assert_non_null(copy);
    memcpy(copy, bytes, len);
    r = insn_decode_mov_to_cr(copy, len, mode, mov);
    free(copy);
    return r;
}

static unsigned int addr_bits(const void *bytes, size_t len, enum mmio_mode mode)
{
    uint8_t *copy = malloc(len ? len : 1);
    unsigned int bits;

    assert_non_null(copy);
    memcpy(copy, bytes, len);
    bits = insn_addr_bits(copy, len, mode);
    free(copy);
    return bits;
}

struct known {
    const char *bytes;
    size_t n;
    enum mmio_mode mode;
    enum mmio_op op;
    unsigned int size, reg, reg_size;
    bool high;
    uint64_t imm;
};

#define K(b, mode, op, size, reg, rsize, high, imm)                                                \
    {                                                                                              \
        b, sizeof(b) - 1, MMIO_MODE_##mode, MMIO_##op, size, reg, rsize, high, imm                 \
    }

/* Encodings checked against GNU objdump. */
static const struct known known[] = {
    /* mov %eax,(%rdi) / mov (%rdi),%eax */
    K("\x89\x07", 64, STORE, 4, 0, 4, false, 0),
    K("\x8b\x07", 64, LOAD, 4, 0, 4, false, 0),
    /* mov %r9,0x10(%rax) (REX.WR) / mov 0x300(%rdx),%r12d (REX.R, disp32) */
    K("\x4c\x89\x48\x10", 64, STORE, 8, 9, 8, false, 0),
    K("\x44\x8b\xa2\x00\x03\x00\x00", 64, LOAD, 4, 12, 4, false, 0),
    /* mov %ax,(%rbx) (66) / mov %cl,(%rsi) / mov (%rsi),%dh (no REX: DH) */
    K("\x66\x89\x03", 64, STORE, 2, 0, 2, false, 0),
    K("\x88\x0e", 64, STORE, 1, 1, 1, false, 0),
    K("\x8a\x36", 64, LOAD, 1, 2, 1, true, 0),
    /* mov (%rsi),%sil (REX: SIL, not DH) */
    K("\x40\x8a\x36", 64, LOAD, 1, 6, 1, false, 0),
    /* mov 0x12345678(%rip),%eax: RIP-relative disp32 */
    K("\x8b\x05\x78\x56\x34\x12", 64, LOAD, 4, 0, 4, false, 0),
    /* mov %edx,(%rax,%rcx,4) (SIB) / mov %edx,0x8(%rsp) (SIB, disp8) */
    K("\x89\x14\x88", 64, STORE, 4, 2, 4, false, 0),
    K("\x89\x54\x24\x08", 64, STORE, 4, 2, 4, false, 0),
    /* mov %eax,0xfee000b0 (SIB without base: disp32) */
    K("\x89\x04\x25\xb0\x00\xe0\xfe", 64, STORE, 4, 0, 4, false, 0),
    /* movl $0x12345678,0x20(%rdi) / movq $-1,(%rax) / movw $0x1234,(%rax) / movb $7,(%rax) */
    K("\xc7\x47\x20\x78\x56\x34\x12", 64, STORE_IMM, 4, 0, 4, false, 0x12345678),
    K("\x48\xc7\x00\xff\xff\xff\xff", 64, STORE_IMM, 8, 0, 8, false, ~0ull),
    K("\x66\xc7\x00\x34\x12", 64, STORE_IMM, 2, 0, 2, false, 0x1234),
    K("\xc6\x00\x07", 64, STORE_IMM, 1, 0, 1, false, 7),
    /* movl $1,0x0(%rip): RIP-relative with an immediate after the displacement */
    K("\xc7\x05\x00\x00\x00\x00\x01\x00\x00\x00", 64, STORE_IMM, 4, 0, 4, false, 1),
    /* movzbl (%rax),%ecx / movzwl (%rax),%r8d / movsbq (%rax),%rdx / movswl (%rax),%eax */
    K("\x0f\xb6\x08", 64, LOAD_ZX, 1, 1, 4, false, 0),
    K("\x44\x0f\xb7\x00", 64, LOAD_ZX, 2, 8, 4, false, 0),
    K("\x48\x0f\xbe\x10", 64, LOAD_SX, 1, 2, 8, false, 0),
    K("\x0f\xbf\x00", 64, LOAD_SX, 2, 0, 4, false, 0),
    /* movabs 0xfee00020,%eax (A1, 8-byte offset) / movabs %al,0xfee00000 (A2) */
    K("\xa1\x20\x00\xe0\xfe\x00\x00\x00\x00", 64, LOAD, 4, 0, 4, false, 0),
    K("\xa2\x00\x00\xe0\xfe\x00\x00\x00\x00", 64, STORE, 1, 0, 1, false, 0),
    /* addr32 mov 0xfee00020,%eax (67 A1: 4-byte offset) */
    K("\x67\xa1\x20\x00\xe0\xfe", 64, LOAD, 4, 0, 4, false, 0),
    /* segment overrides: mov %fs:(%rax),%eax, mov %gs:0x10(%rdx),%rcx */
    K("\x64\x8b\x00", 64, LOAD, 4, 0, 4, false, 0),
    K("\x65\x48\x8b\x4a\x10", 64, LOAD, 8, 1, 8, false, 0),
    /* 32-bit code: mov 0xfee00030,%eax (A1, 4-byte offset), mov %eax,0xfee000b0 (ModRM
     * disp32), mov (%eax),%bh, movl $0x20,0xfee00080, mov %ax,(%ebx) (66) */
    K("\xa1\x30\x00\xe0\xfe", 32, LOAD, 4, 0, 4, false, 0),
    K("\x89\x05\xb0\x00\xe0\xfe", 32, STORE, 4, 0, 4, false, 0),
    K("\x8a\x38", 32, LOAD, 1, 3, 1, true, 0),
    K("\xc7\x05\x80\x00\xe0\xfe\x20\x00\x00\x00", 32, STORE_IMM, 4, 0, 4, false, 0x20),
    K("\x66\x89\x03", 32, STORE, 2, 0, 2, false, 0),
    /* 32-bit code, 16-bit addressing (67): mov (%bx,%si),%eax; mov 0x1234,%ecx (disp16);
     * mov 0x10(%bp),%edx (disp8) */
    K("\x67\x8b\x00", 32, LOAD, 4, 0, 4, false, 0),
    K("\x67\x8b\x0e\x34\x12", 32, LOAD, 4, 1, 4, false, 0),
    K("\x67\x8b\x56\x10", 32, LOAD, 4, 2, 4, false, 0),
    /* 16-bit code: mov (%bx),%ax; 66 for 32 bits; 67 for 32-bit addressing with SIB */
    K("\x8b\x07", 16, LOAD, 2, 0, 2, false, 0),
    K("\x66\x8b\x07", 16, LOAD, 4, 0, 4, false, 0),
    K("\x67\x8b\x04\x24", 16, LOAD, 2, 0, 2, false, 0),
    /* ALU: add %eax,(%rdi); or (%rdi),%ecx (register dest); lock orl $0x100,0xf0(%rdx);
     * orq $-8,(%rax) (83, imm8 sign-extended); andb $0xfe,(%rsi) (80); cmpw $0x1234,(%rbx)
     * (66 81); xor %ah,(%rdi) (high byte); test %r8d,(%rax); testb $0x80,0x3(%rax) (F6);
     * testl $0x10000,(%rax) (F7); xchg %edx,(%rcx); sbb (%rax),%rax */
    K("\x01\x07", 64, ALU, 4, 0, 4, false, 0),
    K("\x0b\x0f", 64, ALU, 4, 1, 4, false, 0),
    K("\xf0\x81\x8a\xf0\x00\x00\x00\x00\x01\x00\x00", 64, ALU, 4, 0, 4, false, 0x100),
    K("\x48\x83\x08\xf8", 64, ALU, 8, 0, 8, false, ~7ull),
    K("\x80\x26\xfe", 64, ALU, 1, 0, 1, false, 0xfe),
    K("\x66\x81\x3b\x34\x12", 64, ALU, 2, 0, 2, false, 0x1234),
    K("\x30\x27", 64, ALU, 1, 0, 1, true, 0),
    K("\x44\x85\x00", 64, ALU, 4, 8, 4, false, 0),
    K("\xf6\x40\x03\x80", 64, ALU, 1, 0, 1, false, 0x80),
    K("\xf7\x00\x00\x00\x01\x00", 64, ALU, 4, 0, 4, false, 0x10000),
    K("\x87\x11", 64, XCHG, 4, 2, 4, false, 0),
    K("\x48\x1b\x00", 64, ALU, 8, 0, 8, false, 0),
    /* 32-bit code: orl $0x100,0xfee000f0 (81, disp32, imm32); orw $1,(%eax) (66 83) */
    K("\x81\x0d\xf0\x00\xe0\xfe\x00\x01\x00\x00", 32, ALU, 4, 0, 4, false, 0x100),
    K("\x66\x83\x08\x01", 32, ALU, 2, 0, 2, false, 1),
    /* a REX before a legacy prefix is ignored: 48 66 89 07 is mov %ax,(%rdi) */
    K("\x48\x66\x89\x07", 64, STORE, 2, 0, 2, false, 0),
};

static void test_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
        const struct known *k = &known[i];
        struct mmio_insn insn;

        print_message("# case %zu\n", i);
        assert_int_equal(decode(k->bytes, k->n, k->mode, &insn), MMIO_DECODE_OK);
        assert_int_equal(insn.len, k->n);
        assert_int_equal(insn.op, k->op);
        assert_int_equal(insn.size, k->size);
        assert_int_equal(insn.reg, k->reg);
        assert_int_equal(insn.reg_size, k->reg_size);
        assert_int_equal(insn.high_byte, k->high);
        if (k->op == MMIO_STORE_IMM || insn.has_imm)
            assert_int_equal(insn.imm, k->imm);
        /* Trailing bytes are the next instruction's: the length stays. */
        {
            uint8_t buf[32];

            memset(buf, 0x90, sizeof(buf));
            memcpy(buf, k->bytes, k->n);
            assert_int_equal(decode(buf, sizeof(buf), k->mode, &insn), MMIO_DECODE_OK);
            assert_int_equal(insn.len, k->n);
        }
        /* Every proper prefix of the bytes is short. */
        for (size_t n = 0; n < k->n; n++)
            assert_int_equal(decode(k->bytes, n, k->mode, &insn), MMIO_DECODE_SHORT);
    }
}

static void test_refused(void **state)
{
    static const struct {
        const char *b;
        size_t n;
        enum mmio_mode mode;
    } refused[] = {
        {"\x89\xc0", 2, MMIO_MODE_64},         /* mov %eax,%eax: register operand */
        {"\x01\xc7", 2, MMIO_MODE_64},         /* add %eax,%edi: register operand */
        {"\x04\x01", 2, MMIO_MODE_64},         /* add $1,%al: no memory */
        {"\xf0\x89\x07", 3, MMIO_MODE_64},     /* lock mov */
        {"\xf0\x39\x07", 3, MMIO_MODE_64},     /* lock cmp */
        {"\xf0\x85\x07", 3, MMIO_MODE_64},     /* lock test */
        {"\xf0\x0b\x07", 3, MMIO_MODE_64},     /* lock or (%rdi),%eax: register destination */
        {"\xf0\x0f\xb6\x07", 4, MMIO_MODE_64}, /* lock movzbl */
        {"\xf3\xa5", 2, MMIO_MODE_64},         /* rep movsl */
        {"\xf2\x89\x07", 3, MMIO_MODE_64},     /* repne mov */
        {"\xa5", 1, MMIO_MODE_64},             /* movsl */
        {"\xf6\x17", 2, MMIO_MODE_64},         /* notb (%rdi) */
        {"\xf7\x4f\x10\x00\x00\x00\x00", 7, MMIO_MODE_64}, /* F7 /1 */
        {"\x82\x07\x01", 3, MMIO_MODE_64},                 /* 82: not taken */
        {"\x0f\xc1\x07", 3, MMIO_MODE_64},                 /* xadd: not taken */
        {"\xc7\x48\x10\x00\x00\x00\x00", 7, MMIO_MODE_64}, /* C7 /1 */
        {"\xc6\xf8\x00", 3, MMIO_MODE_64},                 /* xabort */
        {"\x0f\x10\x07", 3, MMIO_MODE_64},                 /* movups */
        {"\x0f\xc3\x07", 3, MMIO_MODE_64},                 /* movnti */
        {"\xc5\xf8\x10\x07", 4, MMIO_MODE_64},             /* vmovups (VEX) */
        {"\x40\x89\x07", 3, MMIO_MODE_32},                 /* inc %eax in 32-bit code */
        {"\x0f\xb6\xc0", 3, MMIO_MODE_64},                 /* movzbl %al,%eax */
        {"\x63\x07", 2, MMIO_MODE_64},                     /* movslq: not taken */
    };
    struct mmio_insn insn;
    uint8_t buf[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
        print_message("# refused %zu\n", i);
        assert_int_equal(decode(refused[i].b, refused[i].n, refused[i].mode, &insn),
                         MMIO_DECODE_UNSUPPORTED);
    }
    /* 15 bytes is the limit: 11 prefixes + mov %eax,0x0(%rip) is 17. */
    memset(buf, 0x3e, sizeof(buf));
    memcpy(buf + 11, "\x89\x05\x00\x00\x00\x00", 6);
    assert_int_equal(decode(buf, 17, MMIO_MODE_64, &insn), MMIO_DECODE_UNSUPPORTED);
    /* ... 9 prefixes make exactly 15, which is fine. */
    assert_int_equal(decode(buf + 2, 15, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(insn.len, 15);
    /* Prefixes only, as many as there are bytes: 15 of them is over the limit, fewer short. */
    assert_int_equal(decode(buf, 32, MMIO_MODE_64, &insn), MMIO_DECODE_UNSUPPORTED);
    assert_int_equal(decode(buf, 14, MMIO_MODE_64, &insn), MMIO_DECODE_SHORT);
}

static void test_alu_fields(void **state)
{
    struct mmio_insn insn;

    (void)state;
    assert_int_equal(decode("\x01\x07", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.alu == MMIO_ALU_ADD && insn.mem_dest && !insn.has_imm);
    assert_int_equal(decode("\x0b\x0f", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.alu == MMIO_ALU_OR && !insn.mem_dest && mmio_alu_writes(&insn));
    assert_int_equal(decode("\x66\x81\x3b\x34\x12", 5, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.alu == MMIO_ALU_CMP && insn.has_imm && !mmio_alu_writes(&insn));
    assert_int_equal(decode("\xf6\x40\x03\x80", 4, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.alu == MMIO_ALU_TEST && insn.has_imm && !mmio_alu_writes(&insn));
    assert_int_equal(mmio_source_value(&insn, 0x1234), 0x80);
    assert_int_equal(decode("\x48\x1b\x00", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.alu == MMIO_ALU_SBB && !insn.mem_dest);
    /* Each of 80 /0-/7 is its operation. */
    for (uint8_t r = 0; r < 8; r++) {
        uint8_t b[3] = {0x80, (uint8_t)(r << 3), 1};

        assert_int_equal(decode(b, 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
        assert_int_equal(insn.alu, r);
        assert_int_equal(insn.reg, 0);
    }
}

#if defined(__x86_64__)
/* The build machine's CPU as the reference for results and flags: `op s, d` with flags in
 * (the red zone below RSP stepped over for the PUSH). */
#define HOST_ALU(name, mnemonic, type, cons)                                                       \
    static uint64_t host_##name(uint64_t d, uint64_t s, uint64_t fin, uint64_t *fout)              \
    {                                                                                              \
        type dd = (type)d, ss = (type)s;                                                           \
        uint64_t f;                                                                                \
        __asm__ volatile("sub $128, %%rsp\n\tpush %[fin]\n\tpopf\n\t" mnemonic                     \
                         " %[s], %[d]\n\tpushf\n\tpop %[f]\n\tadd $128, %%rsp"                     \
                         : [d] "+" cons(dd), [f] "=&r"(f)                                          \
                         : [s] cons(ss), [fin] "r"(fin)                                            \
                         : "cc");                                                                  \
        *fout = f;                                                                                 \
        return (uint64_t)dd;                                                                       \
    }
#define HOST_ALU_SIZES(op)                                                                         \
    HOST_ALU(op##b, #op "b", uint8_t, "q")                                                         \
    HOST_ALU(op##w, #op "w", uint16_t, "r")                                                        \
    HOST_ALU(op##l, #op "l", uint32_t, "r")                                                        \
    HOST_ALU(op##q, #op "q", uint64_t, "r")
HOST_ALU_SIZES(add)
HOST_ALU_SIZES(or)
HOST_ALU_SIZES(adc)
HOST_ALU_SIZES(sbb)
HOST_ALU_SIZES(and)
HOST_ALU_SIZES(sub)
HOST_ALU_SIZES(xor)
HOST_ALU_SIZES(cmp)
HOST_ALU_SIZES(test)

typedef uint64_t (*host_alu_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
#define ROW(op)                                                                                    \
    {                                                                                              \
        host_##op##b, host_##op##w, host_##op##l, host_##op##q                                     \
    }
static const host_alu_fn host_alu[9][4] = {ROW(add), ROW(or),  ROW(adc), ROW(sbb), ROW(and),
                                           ROW(sub), ROW(xor), ROW(cmp), ROW(test)};

/* Every operation at every size on edge and random operands, both carry-ins: the same
 * result and the same CF/PF/ZF/SF/OF as the CPU (and AF where it is defined). */
static void test_alu_flags(void **state)
{
    static const uint64_t edges[16] = {0,
                                       1,
                                       0x0f,
                                       0x10,
                                       0x7f,
                                       0x80,
                                       0xff,
                                       0x7fff,
                                       0x8000,
                                       0xffff,
                                       0x7fffffff,
                                       0x80000000,
                                       0xffffffff,
                                       0x7fffffffffffffffull,
                                       0x8000000000000000ull,
                                       ~0ull};
    uint64_t x = 0x243f6a8885a308d3ull;

    (void)state;
    for (unsigned int iter = 0; iter < 20000; iter++) {
        for (unsigned int op = 0; op < 9; op++) {
            for (unsigned int sz = 0; sz < 4; sz++) {
                struct mmio_insn insn = {.op = MMIO_ALU,
                                         .alu = (enum mmio_alu)op,
                                         .size = 1u << sz,
                                         .reg_size = 1u << sz};
                uint64_t cf = (iter >> 8) & 1, fin = 0x202 | cf, got_f = fin, want_f, d, s;
                uint64_t mask = sz == 3 ? ~0ull : (1ull << (8 << sz)) - 1, want, got;
                bool logic = op == MMIO_ALU_OR || op == MMIO_ALU_AND || op == MMIO_ALU_XOR ||
                             op == MMIO_ALU_TEST;
                uint64_t defined = logic ? 0x8c5 : 0x8d5; /* AF is undefined after logic */

                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                d = iter < 512 ? edges[iter % 16] : x;
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                s = iter < 512 ? edges[(iter / 16) % 16] : x;
                want = host_alu[op][sz](d, s, fin, &want_f);
                got = mmio_alu(&insn, d, s, &got_f);
                /* CMP and TEST leave the CPU's destination alone: only flags to compare. */
                if (op != MMIO_ALU_CMP && op != MMIO_ALU_TEST)
                    assert_int_equal(got, want & mask);
                assert_int_equal(got_f & defined, want_f & defined);
                assert_int_equal(got_f & ~0x8d5ull, fin & ~0x8d5ull); /* nothing else moved */
            }
        }
    }
}
#else
static void test_alu_flags(void **state)
{
    (void)state;
    skip();
}
#endif

static void test_values(void **state)
{
    struct mmio_insn insn;
    const uint64_t old = 0x1122334455667788ull;

    (void)state;
    /* 32-bit load: zero-extended. */
    assert_int_equal(decode("\x8b\x07", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xffffffffffffffffull), 0xffffffffull);
    /* 16-bit load: merged. */
    assert_int_equal(decode("\x66\x8b\x07", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xabcd), 0x112233445566abcdull);
    /* 8-bit load to DH: bits 15:8 only. */
    assert_int_equal(decode("\x8a\x36", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0x1ef), 0x112233445566ef88ull);
    /* 8-bit load to SIL: bits 7:0. */
    assert_int_equal(decode("\x40\x8a\x36", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xef), 0x11223344556677efull);
    /* 64-bit load. */
    assert_int_equal(decode("\x48\x8b\x07", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xfedcba9876543210ull), 0xfedcba9876543210ull);
    /* movzbl: zero-extended to 32, then to 64. movsbq of 0x80: sign-extended. */
    assert_int_equal(decode("\x0f\xb6\x08", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xff80), 0x80);
    assert_int_equal(decode("\x48\x0f\xbe\x10", 4, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0x80), 0xffffffffffffff80ull);
    /* movswl of 0x8000 into a 32-bit register: 0xffff8000, upper half cleared. */
    assert_int_equal(decode("\x0f\xbf\x00", 3, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0x8000), 0xffff8000ull);
    /* 66 movzbw: a 16-bit destination, merged. */
    assert_int_equal(decode("\x66\x0f\xb6\x00", 4, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_load_result(&insn, old, 0xfe), 0x11223344556600feull);
    /* Stores: the operand's bytes; DH is bits 15:8; immediates cut to size. */
    assert_int_equal(decode("\x89\x07", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_int_equal(mmio_source_value(&insn, old), 0x55667788ull);
    assert_int_equal(decode("\x88\x37", 2, MMIO_MODE_64, &insn), MMIO_DECODE_OK);
    assert_true(insn.high_byte);
    assert_int_equal(mmio_source_value(&insn, old), 0x77);
    assert_int_equal(decode("\x48\xc7\x00\x00\x00\x00\x80", 7, MMIO_MODE_64, &insn),
                     MMIO_DECODE_OK);
    assert_int_equal(mmio_source_value(&insn, 0), 0xffffffff80000000ull);
}

/* Random bytes, biased towards the prefixes and opcodes it knows: never a read past the
 * end (ASan), never more than 15 bytes, and a decode is stable: the same result from
 * exactly its own bytes, and short from one byte fewer. */
static void test_random(void **state)
{
    static const uint8_t hot[] = {0x66, 0x67, 0x2e, 0x3e, 0x64, 0x65, 0x48, 0x4c, 0x41, 0x0f, 0x88,
                                  0x89, 0x8a, 0x8b, 0xa0, 0xa1, 0xa2, 0xa3, 0xc6, 0xc7, 0xb6, 0xb7,
                                  0xbe, 0xbf, 0x04, 0x05, 0x25, 0x44, 0x84, 0xf0, 0xf3, 0x22};
    uint64_t x = 0x9e3779b97f4a7c15ull;
    unsigned int ok = 0;

    (void)state;
    for (unsigned int iter = 0; iter < 200000; iter++) {
        uint8_t buf[20];
        size_t len;
        enum mmio_mode mode;
        struct mmio_insn insn, again;
        struct insn_mov_cr mov;
        unsigned int bits;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        len = x % (sizeof(buf) + 1);
        mode = (enum mmio_mode)((x >> 8) % 3);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[i] = (x >> 8) % 3 ? hot[(x >> 16) % sizeof(hot)] : (uint8_t)(x >> 24);
        }
        /* The other decoders on the same bytes: bounded, in range. */
        if (mov_cr(buf, len, mode, &mov) == MMIO_DECODE_OK) {
            assert_true(mov.len >= 3 && mov.len <= MMIO_INSN_MAX && mov.len <= len);
            assert_true(mov.cr < 16 && mov.gpr < 16);
            assert_true(mode == MMIO_MODE_64 || (mov.cr < 8 && mov.gpr < 8));
        }
        bits = addr_bits(buf, len, mode);
        assert_true(bits == 16 || bits == 32 || bits == 64);
        assert_true(bits != 16 || mode != MMIO_MODE_64);
        if (decode(buf, len, mode, &insn) != MMIO_DECODE_OK)
            continue;
        ok++;
        assert_true(insn.len >= 2 && insn.len <= MMIO_INSN_MAX && insn.len <= len);
        assert_true(insn.size == 1 || insn.size == 2 || insn.size == 4 || insn.size == 8);
        assert_true(insn.reg < 16 && (mode == MMIO_MODE_64 || insn.reg < 8));
        assert_true(insn.size != 8 || mode == MMIO_MODE_64);
        assert_int_equal(decode(buf, insn.len, mode, &again), MMIO_DECODE_OK);
        assert_memory_equal(&insn, &again, sizeof(insn));
        assert_int_equal(decode(buf, insn.len - 1, mode, &again), MMIO_DECODE_SHORT);
    }
    print_message("# %u of 200000 random byte strings decoded\n", ok);
    assert_true(ok > 1000);
}

/* MOV to CR (0F 22 /r), as cr4.c decodes the instruction behind a CR4-write intercept.
 * Encodings checked against GNU objdump. */
static void test_mov_cr(void **state)
{
    static const struct {
        const char *b;
        size_t n;
        enum mmio_mode mode;
        unsigned int cr, gpr;
    } ok[] = {
        {"\x0f\x22\xe0", 3, MMIO_MODE_64, 4, 0},         /* mov %rax,%cr4 */
        {"\x0f\x22\xe7", 3, MMIO_MODE_64, 4, 7},         /* mov %rdi,%cr4 */
        {"\x41\x0f\x22\xe0", 4, MMIO_MODE_64, 4, 8},     /* mov %r8,%cr4 (REX.B) */
        {"\x49\x0f\x22\xe7", 4, MMIO_MODE_64, 4, 15},    /* REX.WB: mov %r15,%cr4 */
        {"\x44\x0f\x22\xe0", 4, MMIO_MODE_64, 12, 0},    /* REX.R: mov %rax,%cr12 (#UD) */
        {"\x45\x0f\x22\xe1", 4, MMIO_MODE_64, 12, 9},    /* REX.RB */
        {"\x0f\x22\xd8", 3, MMIO_MODE_64, 3, 0},         /* mov %rax,%cr3 */
        {"\x0f\x22\x20", 3, MMIO_MODE_64, 4, 0},         /* mod 0: still %rax, no memory */
        {"\x0f\x22\x61", 3, MMIO_MODE_64, 4, 1},         /* mod 1: no displacement either */
        {"\x66\x67\x0f\x22\xe3", 5, MMIO_MODE_64, 4, 3}, /* 66 67: noise */
        {"\x67\x66\x41\x0f\x22\xe3", 6, MMIO_MODE_64, 4, 11},
        {"\x41\x66\x0f\x22\xe0", 5, MMIO_MODE_64, 4, 0}, /* REX before 66: ignored */
        {"\xf3\x2e\x0f\x22\xe2", 5, MMIO_MODE_64, 4, 2}, /* F3, CS override: ignored */
        {"\x0f\x22\xe1", 3, MMIO_MODE_32, 4, 1},         /* mov %ecx,%cr4 */
        {"\x66\x67\x0f\x22\xe6", 5, MMIO_MODE_32, 4, 6},
        {"\x0f\x22\xe5", 3, MMIO_MODE_16, 4, 5},
    };
    static const struct {
        const char *b;
        size_t n;
        enum mmio_mode mode;
    } refused[] = {
        {"\xf0\x0f\x22\xe0", 4, MMIO_MODE_64}, /* LOCK: CR8's other encoding, else #UD */
        {"\x0f\x20\xe0", 3, MMIO_MODE_64},     /* mov %cr4,%rax: a read */
        {"\x0f\x23\xe0", 3, MMIO_MODE_64},     /* mov to a debug register */
        {"\x41\x0f\x22\xe0", 4, MMIO_MODE_32}, /* 41 is inc %ecx in 32-bit code */
        {"\x89\x07", 2, MMIO_MODE_64},         /* an MMIO store */
        {"\x90", 1, MMIO_MODE_64},
    };
    struct insn_mov_cr mov;
    uint8_t buf[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        print_message("# mov cr %zu\n", i);
        assert_int_equal(mov_cr(ok[i].b, ok[i].n, ok[i].mode, &mov), MMIO_DECODE_OK);
        assert_int_equal(mov.len, ok[i].n);
        assert_int_equal(mov.cr, ok[i].cr);
        assert_int_equal(mov.gpr, ok[i].gpr);
        /* Trailing bytes are the next instruction's; every proper prefix is short. */
        memset(buf, 0x90, sizeof(buf));
        memcpy(buf, ok[i].b, ok[i].n);
        assert_int_equal(mov_cr(buf, sizeof(buf), ok[i].mode, &mov), MMIO_DECODE_OK);
        assert_int_equal(mov.len, ok[i].n);
        for (size_t n = 0; n < ok[i].n; n++)
            assert_int_equal(mov_cr(ok[i].b, n, ok[i].mode, &mov), MMIO_DECODE_SHORT);
    }
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
        print_message("# mov cr refused %zu\n", i);
        assert_int_equal(mov_cr(refused[i].b, refused[i].n, refused[i].mode, &mov),
                         MMIO_DECODE_UNSUPPORTED);
    }
    /* 15 bytes is the limit: 12 prefixes + 0F 22 E0 is 15, 13 of them 16. */
    memset(buf, 0x66, sizeof(buf));
    memcpy(buf + 13, "\x0f\x22\xe0", 3);
    assert_int_equal(mov_cr(buf + 1, 15, MMIO_MODE_64, &mov), MMIO_DECODE_OK);
    assert_int_equal(mov.len, 15);
    assert_int_equal(mov_cr(buf, 16, MMIO_MODE_64, &mov), MMIO_DECODE_UNSUPPORTED);
    /* Cut by the limit inside the opcode: over the limit, not short. */
    memset(buf, 0x66, sizeof(buf));
    memcpy(buf + 14, "\x0f\x22\xe0", 3);
    assert_int_equal(mov_cr(buf, 17, MMIO_MODE_64, &mov), MMIO_DECODE_UNSUPPORTED);
    /* Prefixes only. */
    memset(buf, 0x66, sizeof(buf));
    assert_int_equal(mov_cr(buf, 32, MMIO_MODE_64, &mov), MMIO_DECODE_UNSUPPORTED);
}

/* String I/O's address size (the width of rSI/rDI/rCX): the mode's, switched by 0x67
 * wherever it is among the prefixes; whatever follows the prefixes does not count. */
static void test_addr_bits(void **state)
{
    static const struct {
        const char *b;
        size_t n;
        enum mmio_mode mode;
        unsigned int bits;
    } cases[] = {
        {"\x6c", 1, MMIO_MODE_64, 64},                     /* insb */
        {"\x67\x6c", 2, MMIO_MODE_64, 32},                 /* addr32 insb */
        {"\xf3\x67\x6d", 3, MMIO_MODE_64, 32},             /* rep addr32 insl */
        {"\x66\xf3\x6f", 3, MMIO_MODE_64, 64},             /* rep outsw: 66 is operand size */
        {"\x67\x48\x6d", 3, MMIO_MODE_64, 32},             /* REX after 67 */
        {"\xf3\x66\x2e\x3e\x67\x6e", 6, MMIO_MODE_64, 32}, /* 67 as the fifth prefix */
        {"\x6c", 1, MMIO_MODE_32, 32},
        {"\x67\x6c", 2, MMIO_MODE_32, 16},
        {"\xf3\x67\x6c", 3, MMIO_MODE_32, 16},
        {"\x48\x67\x6c", 3, MMIO_MODE_32, 32}, /* 48 is dec %eax: the opcode */
        {"\x6c", 1, MMIO_MODE_16, 16},
        {"\x67\x6c", 2, MMIO_MODE_16, 32},
        {"\x6c\x67", 2, MMIO_MODE_64, 64}, /* after the opcode: not ours */
        {"", 0, MMIO_MODE_64, 64},         /* nothing readable: the mode's */
        {"", 0, MMIO_MODE_32, 32},
        {"\xf3\x67", 2, MMIO_MODE_64, 32}, /* cut short: as far as read */
    };
    uint8_t buf[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        print_message("# addr bits %zu\n", i);
        assert_int_equal(addr_bits(cases[i].b, cases[i].n, cases[i].mode), cases[i].bits);
    }
    /* Prefixes past the 15-byte limit do not count: 15 x 66 then 67. */
    memset(buf, 0x66, sizeof(buf));
    buf[15] = 0x67;
    buf[16] = 0x6c;
    assert_int_equal(addr_bits(buf, 17, MMIO_MODE_64), 64);
    buf[14] = 0x67;
    assert_int_equal(addr_bits(buf, 17, MMIO_MODE_64), 32);
}

static void test_vioapic(void **state)
{
    struct vioapic io;

    (void)state;
    vioapic_init(&io);
    /* Version: 0x11, 24 pins (maximum redirection entry 23). */
    vioapic_write(&io, 0x00, 4, 0x01);
    assert_int_equal(vioapic_read(&io, 0x00, 4), 0x01);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0x00170011);
    assert_int_equal(vioapic_read(&io, 0x10, 1), 0x11);
    assert_int_equal(vioapic_read(&io, 0x12, 2), 0x0017);
    vioapic_write(&io, 0x10, 4, 0); /* read-only */
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0x00170011);
    /* ID: bits 27:24; arbitration follows it. */
    vioapic_write(&io, 0x00, 4, 0x00);
    vioapic_write(&io, 0x10, 4, 0xffffffff);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0x0f000000);
    vioapic_write(&io, 0x00, 1, 0x02);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0x0f000000);
    /* Every redirection entry starts masked. */
    for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++) {
        vioapic_write(&io, 0x00, 4, 0x10 + 2 * pin);
        assert_int_equal(vioapic_read(&io, 0x10, 4), 0x00010000);
        vioapic_write(&io, 0x00, 4, 0x11 + 2 * pin);
        assert_int_equal(vioapic_read(&io, 0x10, 4), 0);
    }
    /* Stored and read back, writable bits only (not delivery status 12, remote IRR 14). */
    vioapic_write(&io, 0x00, 4, 0x10 + 2 * 23);
    vioapic_write(&io, 0x10, 4, 0xffffffff);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0x0001afff);
    vioapic_write(&io, 0x00, 4, 0x11 + 2 * 23);
    vioapic_write(&io, 0x10, 4, 0xffffffff);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0xff000000);
    vioapic_write(&io, 0x10, 2, 0); /* a partial IOWIN write is ignored */
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0xff000000);
    /* Past the last pin, and in between: nothing. */
    vioapic_write(&io, 0x00, 4, 0x10 + 2 * 24);
    vioapic_write(&io, 0x10, 4, 0x1234);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0);
    vioapic_write(&io, 0x00, 4, 0x03);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0);
    vioapic_write(&io, 0x00, 4, 0xff);
    assert_int_equal(vioapic_read(&io, 0x10, 4), 0);
    /* Other offsets of the page read 0; an 8-byte access fits no window. */
    assert_int_equal(vioapic_read(&io, 0x20, 4), 0);
    assert_int_equal(vioapic_read(&io, 0x40, 4), 0);
    assert_int_equal(vioapic_read(&io, 0x10, 8), 0);
    assert_int_equal(vioapic_read(&io, 0x0e, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),     cmocka_unit_test(test_refused),
        cmocka_unit_test(test_values),    cmocka_unit_test(test_alu_fields),
        cmocka_unit_test(test_alu_flags), cmocka_unit_test(test_random),
        cmocka_unit_test(test_mov_cr),    cmocka_unit_test(test_addr_bits),
        cmocka_unit_test(test_vioapic),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
