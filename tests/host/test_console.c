/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial input (xen/common/console_input.c): the Ctrl-A cycle dom0 -> each domU with a
 * console input backend -> the hypervisor's debug keys, with fake domU backends that record
 * what they receive; registration errors; domains leaving the cycle when they shut down or
 * are destroyed, the input moving on if they had it. dom0's own backend (its CONSOLEIO_read
 * ring) is exercised through the hypercall in test_hypercalls.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/console.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <public/sched.h>
#include "test_util.h"

#define SWITCH  "\x01\x01\x01"
#define TO(who) "*** Serial input to " who " (type 'CTRL-a' three times to switch input)\n"

static struct domain *dom0, *d1, *d2, *d3;

/* What each fake domU console received, by domain id. */
static struct {
    char got[64];
    unsigned int n;
} fake[4];

static void fake_receive(struct domain *d, char c)
{
    if (d->domain_id < ARRAY_SIZE(fake) && fake[d->domain_id].n < sizeof(fake[0].got) - 1)
        fake[d->domain_id].got[fake[d->domain_id].n++] = c;
}

static const struct console_input_ops fake_ops = {.receive = fake_receive};

static int setup(void **state)
{
    (void)state;
    memset(fake, 0, sizeof(fake));
    dom0 = harness_domain(0, 1, true, &guest_layout_arm);
    d1 = harness_domain(1, 1, false, &guest_layout_arm);
    d2 = harness_domain(2, 1, false, &guest_layout_arm);
    d3 = harness_domain(3, 1, false, &guest_layout_arm);
    if (dom0 == NULL || d1 == NULL || d2 == NULL || d3 == NULL || harness_sched_init(1) != 0)
        return -1;
    free(harness_take_console());
    return 0;
}

static void type(const char *keys)
{
    for (; *keys != '\0'; keys++)
        console_input(*keys);
}

/* The console since the last call, compared whole. */
static void expect_console(const char *want)
{
    char *out = console_without_heap_lines();

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

/* ... or only a part of it. */
static void expect_console_has(const char *part)
{
    char *out = console_without_heap_lines();

    assert_non_null(out);
    if (strstr(out, part) == NULL)
        fail_msg("console \"%s\" lacks \"%s\"", out, part);
    free(out);
}

/* How much dom0 has waiting in its CONSOLEIO_read ring (read and dropped). */
static long dom0_drain(void)
{
    gpaddr_t gpa;

    (void)harness_guest_buf(dom0, &gpa);
    return harness_hypercall(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 4096, gpa, 0,
                             0);
}

static void test_register_errors(void **state)
{
    static const struct console_input_ops no_receive = {.receive = NULL};

    (void)state;
    assert_int_equal(console_register_input(NULL, &fake_ops), -EINVAL);
    assert_int_equal(console_register_input(d2, NULL), -EINVAL);
    assert_int_equal(console_register_input(d2, &no_receive), -EINVAL);
    assert_int_equal(console_register_input(d2, &fake_ops), 0);
    assert_int_equal(console_register_input(d2, &fake_ops), -EEXIST);
    console_unregister_input(d2);
    console_unregister_input(d2); /* idempotent */
    console_unregister_input(NULL);
    assert_int_equal(console_register_input(d2, &fake_ops), 0);
}

/* dom0 -> DOM2 -> DOM3 -> minixen -> dom0: d1 has no console and is skipped. */
static void test_cycle(void **state)
{
    (void)state;
    /* Registered in any order: the cycle goes by domain id. */
    assert_int_equal(console_register_input(d3, &fake_ops), 0);
    assert_int_equal(console_register_input(d2, &fake_ops), 0);
    console_endboot();
    expect_console(TO("DOM0"));

    type(SWITCH);
    expect_console(TO("DOM2"));
    type("a\x01"
         "b\x01\x01"
         "c");
    assert_string_equal(fake[2].got, "a\x01"
                                     "b\x01\x01"
                                     "c");
    assert_int_equal(dom0_drain(), 0);

    type(SWITCH);
    expect_console(TO("DOM3"));
    type("xy");
    assert_string_equal(fake[3].got, "xy");

    type(SWITCH);
    expect_console(TO("minixen"));
    type("\x01\x01"
         "h"); /* two Ctrl-A are no key: dropped, and h still answers */
    expect_console_has("now: DOM0 -> DOM2 -> DOM3 -> [minixen]\n");
    assert_string_equal(fake[2].got, "a\x01"
                                     "b\x01\x01"
                                     "c");
    assert_string_equal(fake[3].got, "xy");
    assert_int_equal(fake[1].n, 0);
    assert_int_equal(dom0_drain(), 0);

    type(SWITCH);
    expect_console(TO("DOM0"));
    type("ok");
    assert_int_equal(dom0_drain(), 2);
    assert_int_equal(fake[2].n + fake[3].n, 8);
}

/* A domain that ends leaves the cycle; if it had the input, the next target gets it. */
static void test_domain_leaves(void **state)
{
    (void)state;
    assert_int_equal(console_register_input(d1, &fake_ops), 0);
    assert_int_equal(console_register_input(d2, &fake_ops), 0);
    assert_int_equal(console_register_input(d3, &fake_ops), 0);
    console_endboot();
    type(SWITCH SWITCH); /* DOM1, DOM2 */
    expect_console(TO("DOM0") TO("DOM1") TO("DOM2"));

    /* d3 ends while d2 has the input: nothing moves, d3 is skipped from now on. */
    domain_shutdown(d3, SHUTDOWN_poweroff);
    expect_console("minixen: domain 3 shut down: poweroff\n"
                   "minixen: all domains have shut down\n");
    type("2");
    type(SWITCH);
    expect_console(TO("minixen"));
    assert_string_equal(fake[2].got, "2");

    /* d2 crashes while it has the input: the input moves on past it (d3 is gone). */
    type(SWITCH SWITCH SWITCH); /* DOM0, DOM1, DOM2 */
    expect_console(TO("DOM0") TO("DOM1") TO("DOM2"));
    domain_shutdown(d2, SHUTDOWN_crash);
    expect_console("minixen: domain 2 shut down: crash\n" TO(
        "minixen") "minixen: all domains have shut down\n");
    type("q");
    expect_console_has("minixen: domains at ");
    assert_string_equal(fake[2].got, "2");

    /* Rebuilt after a reboot, a domain's backend registers again and is back in. */
    assert_int_equal(console_register_input(d2, &fake_ops), 0);
    type(SWITCH SWITCH SWITCH); /* DOM0, DOM1, DOM2 */
    expect_console(TO("DOM0") TO("DOM1") TO("DOM2"));

    /* A destroyed domain leaves too: from DOM1 the input goes on to DOM2. */
    type(SWITCH SWITCH SWITCH); /* minixen, DOM0, DOM1 */
    expect_console(TO("minixen") TO("DOM0") TO("DOM1"));
    domain_destroy(d1);
    d1 = NULL;
    expect_console(TO("DOM2"));
    type("!");
    assert_string_equal(fake[2].got, "2!");
    assert_int_equal(fake[1].n, 0);
}

/* Without dom0 (a dom0less machine) input starts, and stays between domUs, with minixen. */
static void test_no_dom0(void **state)
{
    (void)state;
    domain_destroy(dom0);
    dom0 = NULL;
    free(harness_take_console());
    console_endboot();
    expect_console(TO("minixen"));
    type("h");
    expect_console_has("now: [minixen]\n");
    type(SWITCH);
    expect_console(TO("minixen"));
    assert_int_equal(console_register_input(d3, &fake_ops), 0);
    type(SWITCH);
    expect_console(TO("DOM3"));
    type(SWITCH);
    expect_console(TO("minixen"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_register_errors),
        T(test_cycle),
        T(test_domain_leaves),
        T(test_no_dom0),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
