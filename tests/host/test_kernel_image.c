/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest kernel images (xen/arch/arm/kernel_image.c, built into this program): an arm64
 * Image and an ARM zImage told apart by their headers, bad headers refused, and kernel,
 * DT and ramdisk laid out as Xen 4.17 lays them out (its kernel_zimage_place and
 * place_modules) for RAM smaller and larger than 128 MiB.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "../../xen/arch/arm/kernel_image.c"

#define MB(x)    ((uint64_t)(x) << 20)
#define RAM_BASE 0x40000000ull

static uint8_t image[0x1000];

static void put32(unsigned int off, uint32_t v)
{
    for (unsigned int i = 0; i < 4; i++)
        image[off + i] = (uint8_t)(v >> (8 * i));
}

static void put64(unsigned int off, uint64_t v)
{
    put32(off, (uint32_t)v);
    put32(off + 4, (uint32_t)(v >> 32));
}

static void arm64_image(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
    memset(image, 0, sizeof(image));
    put64(8, text_offset);
    put64(16, image_size);
    put64(24, flags);
    put32(56, 0x644d5241u);
}

static void zimage(uint32_t start, uint32_t end)
{
    memset(image, 0, sizeof(image));
    put32(0x24, 0x016f2818u);
    put32(0x28, start);
    put32(0x2c, end);
    put32(0x30, 0x04030201u);
}

static void test_probe(void **state)
{
    struct kernel_image k;
    const char *why = NULL;

    (void)state;
    arm64_image(0, MB(20), 0);
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), 0);
    assert_false(k.aarch32);
    assert_int_equal(k.mem_size, MB(20)); /* its .bss counts */
    arm64_image(0, 0, 0);                 /* before 3.17: 0x80000, the file's size */
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), 0);
    assert_int_equal(k.text_offset, 0x80000);
    assert_int_equal(k.mem_size, sizeof(image));
    arm64_image(0, MB(20), 1); /* big-endian */
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), -EINVAL);
    assert_non_null(why);

    zimage(0, sizeof(image));
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), 0);
    assert_true(k.aarch32);
    assert_int_equal(k.link_addr, 0);
    zimage(0, sizeof(image) + 4); /* says it is longer than the file */
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), -EINVAL);
    zimage(0, sizeof(image));
    put32(0x30, 0x01020304u); /* big-endian */
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), -EINVAL);

    memset(image, 0, sizeof(image)); /* neither */
    assert_int_equal(kernel_image_probe(image, sizeof(image), &k, &why), -EINVAL);
    assert_int_equal(kernel_image_probe(image, 16, &k, &why), -EINVAL); /* too short */
}

static void test_place_arm64(void **state)
{
    struct kernel_image k = {.text_offset = 0, .mem_size = MB(30)};
    struct guest_image img;
    const char *why;

    (void)state;
    /* 512 MiB: the DT at RAM + 128 MiB, the ramdisk right after its 2 MiB block. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(512), MB(5), &img, &why), 0);
    assert_int_equal(img.kernel_gpa, RAM_BASE);
    assert_int_equal(img.dt_gpa, RAM_BASE + MB(128));
    assert_int_equal(img.initrd_gpa, RAM_BASE + MB(130));
    /* 64 MiB: at the top of RAM, above the kernel. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(64), MB(5), &img, &why), 0);
    assert_int_equal(img.dt_gpa, RAM_BASE + MB(64) - MB(2) - MB(6));
    assert_int_equal(img.initrd_gpa, img.dt_gpa + MB(2));
    /* No ramdisk: none placed. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(64), 0, &img, &why), 0);
    assert_int_equal(img.initrd_gpa, 0);
    assert_int_equal(img.dt_gpa, RAM_BASE + MB(62));
    /* Too small for all three. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(32), MB(5), &img, &why), -EINVAL);
}

static void test_place_zimage(void **state)
{
    struct kernel_image k = {.aarch32 = true, .mem_size = MB(5) + 0x1234};
    struct guest_image img;
    const char *why;

    (void)state;
    /* Position independent: as high as it goes below RAM + 128 MiB, 2 MiB aligned. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(512), MB(9), &img, &why), 0);
    assert_int_equal(img.kernel_gpa, RAM_BASE + MB(122));
    assert_int_equal(img.dt_gpa, RAM_BASE + MB(128));
    assert_int_equal(img.initrd_gpa, RAM_BASE + MB(130));
    /* 64 MiB of RAM: the kernel at its top, DT and ramdisk below it. */
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(64), MB(9), &img, &why), 0);
    assert_int_equal(img.kernel_gpa, RAM_BASE + MB(58));
    assert_true(img.initrd_gpa + MB(10) <= img.kernel_gpa);
    assert_int_equal(img.initrd_gpa, img.dt_gpa + MB(2));
    assert_true(img.dt_gpa >= RAM_BASE);
    /* Linked to run at one address: there, and it must be in RAM. */
    k.link_addr = (uint32_t)(RAM_BASE + 0x8000);
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(512), 0, &img, &why), 0);
    assert_int_equal(img.kernel_gpa, RAM_BASE + 0x8000);
    k.link_addr = 0x1000;
    assert_int_equal(kernel_image_place(&k, RAM_BASE, MB(512), 0, &img, &why), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_place_arm64),
        cmocka_unit_test(test_place_zimage),
    };

    return cmocka_run_group_tests_name("kernel_image", tests, NULL, NULL);
}
