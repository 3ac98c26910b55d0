/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACPI tables of a PVH domain (xen/arch/x86/guest_acpi.c), read back as a guest's
 * ACPI code reads them: the RSDP's two checksums, the XSDT's pointers, each table's
 * signature, length and checksum, the FADT's hardware-reduced flag and DSDT, the MADT's
 * local APICs; and the arguments it must refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <asm/guest_acpi.h>
#include <xen/errno.h>

#define GPA 0x0fffe000ull

static uint8_t page[4096];

static uint64_t get(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = n; i > 0; i--)
        v = v << 8 | p[i - 1];
    return v;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* The table at guest-physical gpa: in the page, with its signature, and summing to 0. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
    const uint8_t *t;
    uint32_t len;

    assert_true(gpa >= GPA && gpa + 36 <= GPA + sizeof(page));
    t = page + (gpa - GPA);
    len = (uint32_t)get(t + 4, 4);
    assert_memory_equal(t, sig, 4);
    assert_true(len >= 36 && gpa + len <= GPA + sizeof(page));
    assert_int_equal(sum(t, len), 0);
    return t;
}

static void check(unsigned int nr_vcpus)
{
    const uint8_t *xsdt, *fadt, *madt;
    uint64_t madt_gpa = 0, fadt_gpa = 0;

    memset(page, 0xa5, sizeof(page));
    assert_int_equal(guest_acpi_build(page, GPA, nr_vcpus), 0);
    assert_memory_equal(page, "RSD PTR ", 8);
    assert_int_equal(sum(page, 20), 0);
    assert_int_equal(page[15], 2);
    assert_int_equal(get(page + 20, 4), 36);
    assert_int_equal(sum(page, 36), 0);

    xsdt = table(get(page + 24, 8), "XSDT");
    assert_int_equal(get(xsdt + 4, 4), 36 + 2 * 8);
    for (unsigned int i = 0; i < 2; i++) {
        uint64_t gpa = get(xsdt + 36 + 8 * i, 8);

        if (memcmp(page + (gpa - GPA), "APIC", 4) == 0)
            madt_gpa = gpa;
        else
            fadt_gpa = gpa;
    }
    fadt = table(fadt_gpa, "FACP");
    assert_true(get(fadt + 112, 4) & (1u << 20)); /* HW_REDUCED_ACPI */
    assert_int_equal(get(fadt + 40, 4), get(fadt + 140, 8));
    table(get(fadt + 140, 8), "DSDT");

    madt = table(madt_gpa, "APIC");
    assert_int_equal(get(madt + 4, 4), 44 + 8 * nr_vcpus);
    assert_int_equal(get(madt + 36, 4), 0xfee00000u);
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        const uint8_t *e = madt + 44 + 8 * i;

        assert_int_equal(e[0], 0);
        assert_int_equal(e[1], 8);
        assert_int_equal(e[2], i);
        assert_int_equal(e[3], i);
        assert_int_equal(get(e + 4, 4), 1);
    }
}

static void test_tables(void **state)
{
    (void)state;
    check(1);
    check(2);
    check(GUEST_ACPI_MAX_VCPUS);
}

static void test_refused(void **state)
{
    (void)state;
    assert_int_equal(guest_acpi_build(page, GPA, 0), -EINVAL);
    assert_int_equal(guest_acpi_build(page, GPA, GUEST_ACPI_MAX_VCPUS + 1), -EINVAL);
    assert_int_equal(guest_acpi_build(page, GPA + 8, 1), -EINVAL);
    assert_int_equal(guest_acpi_build(page, 1ull << 32, 1), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
