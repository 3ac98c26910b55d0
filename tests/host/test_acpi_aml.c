/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 port's \_S5 scan of DSDT byte code (xen/arch/x86/acpi_aml.c): the encodings
 * firmware uses (QEMU's q35 DSDT among them), the ones it must refuse, and that no input,
 * truncated or random, makes it read outside the buffer (each case is a heap block of
 * exactly its size, so ASan sees any overrun).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/acpi_aml.h>
#include <xen/errno.h>

/* Run the scan over an exact-size copy of aml[0..len). */
static int scan(const void *aml, size_t len, uint8_t *a, uint8_t *b)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, aml, len);
    *a = *b = 0xee;
    rc = acpi_aml_find_s5(copy, len, a, b);
    free(copy);
    return rc;
}

#define SCAN(bytes, a, b) scan(bytes, sizeof(bytes) - 1, a, b)

/* QEMU (q35): Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }), after other code. */
static const char qemu_s5[] = "\x10\x05\x5c_SB_\x08_S4_\x12\x06\x04\x0a\x01\x00\x00\x00"
                              "\x08_S5_\x12\x06\x04\x00\x00\x00\x00";

static void test_encodings(void **state)
{
    uint8_t a, b;

    (void)state;
    assert_int_equal(SCAN(qemu_s5, &a, &b), 0);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
    /* Root prefix, BytePrefix values. */
    assert_int_equal(SCAN("\x08\x5c_S5_\x12\x08\x04\x0a\x05\x0a\x07\x00\x00", &a, &b), 0);
    assert_int_equal(a, 5);
    assert_int_equal(b, 7);
    /* Parent prefix, a two-byte PkgLength, OneOp, WordPrefix. */
    assert_int_equal(SCAN("\x08\x5e_S5_\x12\x40\x01\x02\x01\x0b\x03\x00", &a, &b), 0);
    assert_int_equal(a, 1);
    assert_int_equal(b, 3);
    /* DWordPrefix and QWordPrefix; a four-byte PkgLength. */
    assert_int_equal(SCAN("\x08_S5_\x12\xc0\x01\x00\x00\x02\x0c\x06\x00\x00\x00"
                          "\x0e\x02\x00\x00\x00\x00\x00\x00\x00",
                          &a, &b),
                     0);
    assert_int_equal(a, 6);
    assert_int_equal(b, 2);
    /* One element: SLP_TYPb is 0. */
    assert_int_equal(SCAN("\x08_S5_\x12\x03\x01\x0a\x05", &a, &b), 0);
    assert_int_equal(a, 5);
    assert_int_equal(b, 0);
    /* "_S5_" inside a string first: skipped, the real one is found. */
    assert_int_equal(SCAN("\x0d_S5_\x00\x08_S5_\x12\x04\x02\x0a\x04\x01", &a, &b), 0);
    assert_int_equal(a, 4);
    assert_int_equal(b, 1);
}

static void test_refused(void **state)
{
    uint8_t a, b;

    (void)state;
    assert_int_equal(acpi_aml_find_s5(NULL, 10, &a, &b), -ENOENT);
    assert_int_equal(SCAN("", &a, &b), -ENOENT);
    assert_int_equal(SCAN("_S5", &a, &b), -ENOENT);
    /* Not a NameOp: a method computes it (MethodOp), or a bare reference. */
    assert_int_equal(SCAN("\x14_S5_\x12\x06\x04\x00\x00\x00\x00", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x70_S5_\x12\x06\x04\x00\x00\x00\x00", &a, &b), -ENOENT);
    /* Not a package; no elements; not integer constants (OnesOp, a name, a string). */
    assert_int_equal(SCAN("\x08_S5_\x0a\x05", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x08_S5_\x12\x02\x00", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x08_S5_\x12\x03\x01\xff", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x08_S5_\x12\x06\x01SLPT", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x08_S5_\x12\x05\x02\x00\x0d\x00", &a, &b), -ENOENT);
    /* A sleep type wider than the 3-bit SLP_TYP field. */
    assert_int_equal(SCAN("\x08_S5_\x12\x05\x02\x0a\x08\x00", &a, &b), -ENOENT);
    assert_int_equal(SCAN("\x08_S5_\x12\x06\x02\x00\x0b\x00\x01", &a, &b), -ENOENT);
    /* _S4_ is not _S5_. */
    assert_int_equal(SCAN("\x08_S4_\x12\x06\x04\x00\x00\x00\x00", &a, &b), -ENOENT);
}

/* Every prefix of valid tables ends in -ENOENT or a correct answer, never an overrun. */
static void test_truncated(void **state)
{
    static const char longest[] = "\x08_S5_\x12\xc0\x01\x00\x00\x02\x0c\x06\x00\x00\x00"
                                  "\x0e\x02\x00\x00\x00\x00\x00\x00\x00";
    uint8_t a, b;

    (void)state;
    for (size_t n = 0; n < sizeof(longest) - 1; n++)
        assert_int_equal(scan(longest, n, &a, &b), -ENOENT);
    assert_int_equal(scan(longest, sizeof(longest) - 1, &a, &b), 0);
    for (size_t n = 0; n < sizeof(qemu_s5) - 1; n++) {
        int rc = scan(qemu_s5, n, &a, &b);

        /* Two zero elements are enough once the package has both. */
        assert_int_equal(rc, n >= sizeof(qemu_s5) - 1 - 2 ? 0 : -ENOENT);
    }
}

/* Random bytes around planted "_S5_" names: any answer is in range, no overrun. */
static void test_random(void **state)
{
    uint32_t x = 0x12345678;
    uint8_t buf[96], a, b;
    unsigned int found = 0;

    (void)state;
    for (unsigned int round = 0; round < 20000; round++) {
        size_t len = 1 + round % sizeof(buf);

        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u; /* a fixed LCG: the same cases every run */
            buf[i] = (uint8_t)(x >> 16);
            /* Bias towards the opcodes the scan cares about. */
            if ((x >> 8) % 5 == 0)
                buf[i] = "\x08\x12\x0a\x0b\x0c\x0e\x00\x01\x5c"[(x >> 24) % 9];
        }
        if (len >= 8) {
            size_t at = (x >> 4) % (len - 6);

            memcpy(buf + at, "\x08_S5_\x12", 6);
        }
        if (scan(buf, len, &a, &b) == 0) {
            assert_true(a <= 7 && b <= 7);
            found++;
        }
    }
    print_message("# %u of 20000 random cases held a usable _S5\n", found);
    assert_true(found > 0); /* the accepting path was exercised too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
