/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 vCPU switch's x87 shortcut (xen/arch/x86/include/asm/x87_initial.h), run on the
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
#include <asm/x87_initial.h>

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
 * shortcut, FXSAVE into `to`; this process's own FPU state is put back around it. Not
 * inlined: to the caller it is a call, which may clobber every vector register.
 */
static __attribute__((noinline)) void shortcut_load(const uint8_t *from, uint8_t *to)
{
    static _Alignas(64) uint8_t saved[AREA];
    static const uint16_t fcw = 0x027f;

    __asm__ __volatile__("fxsave64 %0" : "=m"(saved));
    __asm__ __volatile__("fldcw %0\n\tfldpi\n\tfld1" ::"m"(fcw));
    fxrstor_x87_initial(from);
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
    shortcut_load(area, out);

    assert_true(x87_initial(out)); /* FNINIT's words, and no register kept fldpi/fld1 */
    memcpy(&mxcsr, out + MXCSR_OFF, sizeof(mxcsr));
    assert_int_equal(mxcsr, 0x7f80);
    assert_memory_equal(out + XMM0_OFF, area + XMM0_OFF, 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_areas_are_initial),
        cmocka_unit_test(test_shortcut_load_is_fninit_plus_sse),
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
