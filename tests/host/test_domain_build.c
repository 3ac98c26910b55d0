/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The boot-time domain life-cycle every port shares (xen/common/domain_build.c): vCPU
 * placement (cpupool, else round-robin over every vCPU so far), the order (every domain
 * constructed before any vCPU joins the scheduler, vCPU 0 runnable and the others down),
 * and that a domain the port cannot construct leaves the machine with no domain running.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xen/domain_build.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "harness.h"
#include "test_util.h"

static void test_vcpu_cpu(void **state)
{
    struct boot_domain pool = {.cpu_mask = 0xc}; /* CPUs 2 and 3 */
    struct boot_domain any = {.cpu_mask = 0};
    struct boot_domain gone = {.cpu_mask = 0x30}; /* CPUs 4, 5: not on a 4-CPU machine */
    unsigned int next = 0;

    (void)state;
    /* A pool: its i-th CPU, wrapping; the round-robin position does not move. */
    assert_int_equal(domain_build_vcpu_cpu(&pool, 0, 4, &next), 2);
    assert_int_equal(domain_build_vcpu_cpu(&pool, 1, 4, &next), 3);
    assert_int_equal(domain_build_vcpu_cpu(&pool, 2, 4, &next), 2);
    assert_int_equal(next, 0);
    /* No pool: the next CPU over every vCPU placed so far, wrapping. */
    for (unsigned int i = 0; i < 6; i++)
        assert_int_equal(domain_build_vcpu_cpu(&any, i, 4, &next), i % 4);
    /* A pool of CPUs the machine does not have counts as none. */
    assert_int_equal(domain_build_vcpu_cpu(&gone, 0, 4, &next), 2);
}

static struct boot_config cfg;

static void three_domains(void)
{
    memset(&cfg, 0, sizeof(cfg));
    cfg.nr_domains = 3;
    cfg.domains[0] = (struct boot_domain){.name = "dom0", .is_dom0 = true, .nr_vcpus = 2};
    cfg.domains[1] = (struct boot_domain){.name = "domU1", .nr_vcpus = 1};
    cfg.domains[2] = (struct boot_domain){.name = "domU2", .nr_vcpus = 1, .cpu_mask = 0x2};
}

static int setup(void **state)
{
    (void)state;
    harness_fail_construct_id = ~0u;
    return harness_sched_init(2);
}

static void test_build_places_and_starts(void **state)
{
    unsigned int before = harness_domains_constructed();
    struct domain *d0, *d1, *d2;

    (void)state;
    three_domains();
    assert_int_equal(domains_build(&cfg, 2, &guest_layout_x86_64), 3);
    assert_int_equal(harness_domains_constructed() - before, 3);
    d0 = domain_lookup(0);
    d1 = domain_lookup(1);
    d2 = domain_lookup(2);
    assert_non_null(d0);
    assert_non_null(d1);
    assert_non_null(d2);
    assert_string_equal(d1->name, "domU1");
    assert_true(d0->is_privileged);
    /* dom0's vCPUs on CPUs 0 and 1, domU1 next round-robin (CPU 0), domU2 in its pool. */
    assert_int_equal(d0->vcpu[0]->processor, 0);
    assert_int_equal(d0->vcpu[1]->processor, 1);
    assert_int_equal(d1->vcpu[0]->processor, 0);
    assert_int_equal(d2->vcpu[0]->processor, 1);
    /* vCPU 0 of each domain runnable, the others wait for VCPUOP_up / PSCI CPU_ON. */
    assert_string_equal(sched_vcpu_state_name(d0->vcpu[0]), "runnable");
    assert_string_equal(sched_vcpu_state_name(d0->vcpu[1]), "down");
    assert_string_equal(sched_vcpu_state_name(d1->vcpu[0]), "runnable");
    assert_string_equal(sched_vcpu_state_name(d2->vcpu[0]), "runnable");
}

static void test_construct_failure_runs_nothing(void **state)
{
    (void)state;
    three_domains();
    harness_fail_construct_id = 1;
    assert_int_equal(domains_build(&cfg, 2, &guest_layout_x86_64), -ENOMEM);
    /* dom0 was constructed but never joined the scheduler: both CPUs stay idle. */
    assert_non_null(domain_lookup(0));
    assert_string_equal(sched_vcpu_state_name(domain_lookup(0)->vcpu[0]), "unscheduled");
    assert_null(sched_pick(0, NULL));
    assert_null(sched_pick(1, NULL));
    harness_fail_construct_id = ~0u;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vcpu_cpu),
        cmocka_unit_test_setup_teardown(test_build_places_and_starts, setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_construct_failure_runs_nothing, setup,
                                        harness_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
