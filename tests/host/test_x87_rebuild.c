/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 vCPU switch's x87 shortcut (xen/arch/x86/include/asm/x87_rebuild.h), run on the
 * build machine's own CPU: which saved areas count as "x87 initial", and that loading one
 * without FXRSTOR leaves exactly FNINIT's state with every register zeroed (nothing of the
 * last owner's x87 values) and the area's MXCSR and XMM registers, so a vCPU's next
 * FXSAVE is initial again. Elsewhere (the aarch64 build of the tests) it is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#if defined(__x86_64__)
#include <asm/x87_rebuild.h>

#define AREA      512
#define MXCSR_OFF 24
#define XMM0_OFF  160

static _Alignas(64) uint8_t area[AREA];

static void initial_area(uint8_t *a)
{
    memset(a, 0, AREA);
    a[0] = X87_FCW_RESET & 0xff;
    a[1] = X87_FCW_RESET >> 8;
    a[MXCSR_OFF] = 0x80; /* MXCSR 0x1f80 */
    a[MXCSR_OFF + 1] = 0x1f;
}

static void test_which_areas_are_initial(void **state)
{
    static const unsigned int x87_bytes[] = {0, 1, 2, 4, 6, 8, 15, 16, 23, 32, 41, 144, 153};
    unsigned int i;

    (void)state;
    initial_area(area);
    assert_true(x87_initial(area));
    /* Any x87 byte: control, status, tags, opcode, pointers, a register's 10 bytes. */
    for (i = 0; i < sizeof(x87_bytes) / sizeof(x87_bytes[0]); i++) {
        initial_area(area);
        area[x87_bytes[i]] ^= 0x10;
        assert_false(x87_initial(area));
    }
    /* Not x87: MXCSR, a register slot's 6 unused bytes, XMM data. */
    initial_area(area);
    area[MXCSR_OFF + 1] = 0x7f;
    area[32 + 10] = area[32 + 15] = 0xff;
    area[XMM0_OFF] = area[XMM0_OFF + 255] = 0xa5;
    assert_true(x87_initial(area));
}

/*
 * Dirty the x87 (a non-default control word, two registers in use), load `from` by the
 * shortcut, FXSAVE into `to`; if ref is not NULL, also FXRSTOR `from` and FXSAVE that into
 * ref, the hardware's own answer. This process's own FPU state is put back around it.
 * Not inlined: to the caller it is a call, which may clobber every vector register.
 */
static __attribute__((noinline)) void shortcut_load(const uint8_t *from, uint8_t *to, uint8_t *ref)
{
    static _Alignas(64) uint8_t saved[AREA];
    static const uint16_t fcw = 0x027f;

    __asm__ __volatile__("fxsave64 %0" : "=m"(saved));
    if (ref != NULL) {
        __asm__ __volatile__("fxrstor64 (%0)" ::"r"(from) : "memory");
        __asm__ __volatile__("fxsave64 (%0)" ::"r"(ref) : "memory");
    }
    __asm__ __volatile__("fldcw %0\n\tfldpi\n\tfld1" ::"m"(fcw));
    fxrstor_rebuilt(from);
    __asm__ __volatile__("fxsave64 (%0)" ::"r"(to) : "memory");
    __asm__ __volatile__("fxrstor64 %0" ::"m"(saved));
}

static void test_shortcut_load_is_fninit_plus_sse(void **state)
{
    static _Alignas(64) uint8_t out[AREA];
    uint32_t mxcsr;
    unsigned int i;

    (void)state;
    initial_area(area);
    area[MXCSR_OFF + 1] = 0x7f; /* MXCSR 0x7f80: round toward zero, all masked */
    for (i = 0; i < 256; i++)
        area[XMM0_OFF + i] = (uint8_t)(i * 7 + 3);
    memset(out, 0xee, sizeof(out));
    shortcut_load(area, out, NULL);

    /* FNINIT's words, and no register kept fldpi/fld1. (Not the opcode and pointers: an
     * Intel CPU records its own FLDs there; AMD and QEMU store zeros without an exception.) */
    {
        static const uint8_t fninit_words[6] = {0x7f, 0x03, 0, 0, 0, 0};

        assert_memory_equal(out, fninit_words, sizeof(fninit_words));
        for (i = 0; i < 8; i++)
            for (unsigned int b = 0; b < 10; b++)
                assert_int_equal(out[32 + 16 * i + b], 0);
    }
    memcpy(&mxcsr, out + MXCSR_OFF, sizeof(mxcsr));
    assert_int_equal(mxcsr, 0x7f80);
    assert_memory_equal(out + XMM0_OFF, area + XMM0_OFF, 256);
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* An 80-bit value in a format the x87 supports: the explicit integer bit as the exponent
 * says (zero/denormal: clear; normal, infinity, NaN: set); every class is drawn. */
static void random_reg(uint8_t *r)
{
    static const uint16_t exps[] = {0, 0x3fff, 0x4005, 0x7ffe, 0x7fff, 0x0001, 0xc000};
    uint16_t e = exps[rnd() % (sizeof(exps) / sizeof(exps[0]))];
    uint64_t m = rnd();

    if ((e & 0x7fff) == 0)
        m &= ~(1ull << 63);
    else
        m |= 1ull << 63;
    if (rnd() % 8 == 0)
        m = (e & 0x7fff) ? 1ull << 63 : 0; /* exact 1.0 * 2^n, or zero */
    memcpy(r, &m, 8);
    memcpy(r + 8, &e, 2);
}

/*
 * Random x87 states a status word with only TOP can hold (any TOP, any tags, any register
 * contents, a valid control word), loaded by the shortcut and by FXRSTOR on this CPU:
 * the same control word, status, tags, registers, MXCSR and XMM registers. (Not the
 * opcode and pointers: FXRSTOR loads zeros there, the shortcut leaves whatever this CPU
 * records for its own FLDs; on AMD, where minixen's SVM runs, FXSAVE does not store them
 * without a pending exception.)
 */
static void test_rebuilt_equals_fxrstor(void **state)
{
    static _Alignas(64) uint8_t got[AREA], ref[AREA];

    (void)state;
    for (unsigned int n = 0; n < 500; n++) {
        uint16_t fcw = (uint16_t)(0x0040 | (rnd() & 0x0f3f)); /* bit 6 reads as 1 */
        uint16_t fsw = (uint16_t)((rnd() & 7) << 11);
        uint32_t mxcsr = 0x1f80 | (uint32_t)(rnd() & 0x6000);

        memset(area, 0, AREA);
        memcpy(area, &fcw, 2);
        memcpy(area + 2, &fsw, 2);
        area[4] = (uint8_t)rnd();
        for (unsigned int i = 0; i < 8; i++)
            random_reg(area + 32 + 16 * i);
        memcpy(area + MXCSR_OFF, &mxcsr, 4);
        for (unsigned int i = 0; i < 256; i++)
            area[XMM0_OFF + i] = (uint8_t)rnd();
        assert_true(x87_rebuildable(area));
        shortcut_load(area, got, ref);
        assert_memory_equal(got, ref, 6); /* FCW, FSW, FTW */
        for (unsigned int i = 0; i < 8; i++)
            assert_memory_equal(got + 32 + 16 * i, ref + 32 + 16 * i, 10);
        assert_memory_equal(got + MXCSR_OFF, ref + MXCSR_OFF, 4);
        assert_memory_equal(got + XMM0_OFF, ref + XMM0_OFF, 256);
    }
    /* What it refuses: a flag or condition code in the status word, an opcode, a pointer. */
    initial_area(area);
    area[2] = 0x20; /* PE */
    assert_false(x87_rebuildable(area));
    initial_area(area);
    area[3] = 0x41; /* C3, C0 */
    assert_false(x87_rebuildable(area));
    initial_area(area);
    area[6] = 1; /* FOP */
    assert_false(x87_rebuildable(area));
    initial_area(area);
    area[16] = 1; /* FDP */
    assert_false(x87_rebuildable(area));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_areas_are_initial),
        cmocka_unit_test(test_shortcut_load_is_fninit_plus_sse),
        cmocka_unit_test(test_rebuilt_equals_fxrstor),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

static void test_x86_only(void **state)
{
    (void)state;
    skip(); /* x87 and SSE instructions: only an x86_64 build machine runs them */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_x86_only)};

    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
