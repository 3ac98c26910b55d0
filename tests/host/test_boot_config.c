/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Domains from the boot DT (xen/common/boot_config.c) and static event channels
 * (xen/common/events/static.c). The DTs are real: the .dts files of tests/host/boot_config,
 * compiled by dtc at build time into boot_config_dtbs.h. Each bad-*.dts has exactly one defect and
 * must be refused with -EINVAL and a message naming it; the good ones are read field by
 * field. The bound channels are then checked through EVTCHNOP_status and a real send.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/alloc.h>
#include <xen/boot_config.h>
#include <xen/errno.h>
#include <xen/event.h>
#include "test_util.h"

#include "boot_config_dtbs.h"

static struct boot_config cfg;

static const unsigned char *dtb_named(const char *name, size_t *size)
{
    for (size_t i = 0; i < ARRAY_SIZE(boot_config_dtbs); i++)
        if (strcmp(boot_config_dtbs[i].name, name) == 0) {
            *size = boot_config_dtbs[i].size;
            return boot_config_dtbs[i].blob;
        }
    fail_msg("no test DT %s", name);
    return NULL;
}

/* Parse the named DT with nr_cpus host CPUs; the console output goes to *msg (freed by us). */
static int parse_named(const char *name, unsigned int nr_cpus, char **msg)
{
    size_t size;
    const unsigned char *blob = dtb_named(name, &size);
    struct fdt fdt;
    int rc;

    assert_int_equal(fdt_open(&fdt, blob, size), 0);
    free(harness_take_console());
    rc = boot_config_parse(&fdt, nr_cpus, &cfg);
    *msg = harness_take_console();
    return rc;
}

static int parse_ok(const char *name, unsigned int nr_cpus)
{
    char *msg;
    int rc = parse_named(name, nr_cpus, &msg);

    if (rc != 0)
        print_error("%s: %s", name, msg ? msg : "");
    free(msg);
    return rc;
}

/* ---- Good configurations ------------------------------------------------------------------ */

static void test_full(void **state)
{
    const struct boot_domain *d0 = &cfg.domains[0], *u1 = &cfg.domains[1], *u2 = &cfg.domains[2];

    (void)state;
    assert_int_equal(parse_ok("full", 4), 0);
    assert_string_equal(cfg.xen_bootargs, "loglvl=all dom0_mem=256M dom0_max_vcpus=2");
    assert_int_equal(cfg.nr_domains, 3);

    assert_string_equal(d0->name, "dom0");
    assert_true(d0->is_dom0);
    assert_int_equal(d0->nr_vcpus, 2);
    assert_int_equal(d0->mem_bytes, 256ull << 20);
    assert_int_equal(d0->cpu_mask, 0);
    assert_false(d0->vpl011);
    assert_int_equal(d0->kernel.start, 0x48000000);
    assert_int_equal(d0->kernel.size, 0x200000);
    assert_int_equal(d0->ramdisk.start, 0x49000000);
    assert_int_equal(d0->ramdisk.size, 0x100000);
    assert_int_equal(d0->dtb.size, 0);
    assert_string_equal(d0->bootargs, "console=hvc0 root=/dev/ram0");

    assert_string_equal(u1->name, "domU1");
    assert_false(u1->is_dom0);
    assert_int_equal(u1->nr_vcpus, 2);
    assert_int_equal(u1->mem_bytes, 0x10000ull << 10);
    assert_true(u1->vpl011);
    assert_int_equal(u1->cpu_mask, 0);
    assert_int_equal(u1->kernel.start, 0x4a000000);
    assert_int_equal(u1->kernel.size, 0x80000);
    assert_int_equal(u1->ramdisk.start, 0x4a100000);
    assert_int_equal(u1->ramdisk.size, 0x1000);
    assert_int_equal(u1->dtb.start, 0x4a200000);
    assert_int_equal(u1->dtb.size, 0x800);
    assert_string_equal(u1->bootargs, "peer console=ttyAMA0"); /* module wins over node */

    assert_string_equal(u2->name, "domU2");
    assert_int_equal(u2->nr_vcpus, 1);
    assert_int_equal(u2->mem_bytes, 0x20000ull << 10); /* memory in one cell */
    assert_int_equal(u2->cpu_mask, 0xc);               /* cpupool of cpu2, cpu3 */
    assert_false(u2->vpl011);
    assert_int_equal(u2->kernel.start, 0x4b000000);
    assert_int_equal(u2->ramdisk.size, 0);
    assert_string_equal(u2->bootargs, "second");

    /* Four channel ends: dom0:10 <-> domU1:11, domU1:200 <-> domU2:1023. */
    assert_int_equal(cfg.nr_evtchns, 4);
    assert_int_equal(cfg.evtchns[0].domain, 0);
    assert_int_equal(cfg.evtchns[0].port, 10);
    assert_int_equal(cfg.evtchns[0].peer_phandle, cfg.evtchns[1].phandle);
    assert_int_equal(cfg.evtchns[1].domain, 1);
    assert_int_equal(cfg.evtchns[1].port, 11);
    assert_int_equal(cfg.evtchns[1].peer_phandle, cfg.evtchns[0].phandle);
    assert_int_equal(cfg.evtchns[2].domain, 1);
    assert_int_equal(cfg.evtchns[2].port, 200);
    assert_int_equal(cfg.evtchns[3].domain, 2);
    assert_int_equal(cfg.evtchns[3].port, 1023);
    assert_int_equal(cfg.evtchns[3].peer_phandle, cfg.evtchns[2].phandle);
}

static void test_dom0less(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("dom0less", 2), 0);
    assert_int_equal(cfg.nr_domains, 1); /* domU2 has status = "disabled" */
    assert_string_equal(cfg.domains[0].name, "domU1");
    assert_false(cfg.domains[0].is_dom0);
    assert_int_equal(cfg.domains[0].mem_bytes, 16ull << 20);
    /* Bare "multiboot,module": the kernel first, then the ramdisk. */
    assert_int_equal(cfg.domains[0].kernel.start, 0x4a000000);
    assert_int_equal(cfg.domains[0].ramdisk.start, 0x4a100000);
    assert_int_equal(cfg.domains[0].ramdisk.size, 0x2000);
    assert_string_equal(cfg.domains[0].bootargs, "");
    assert_int_equal(cfg.nr_evtchns, 0);
}

static void test_cmdline_plain(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("cmdline-plain", 1), 0);
    assert_int_equal(cfg.nr_domains, 1);
    assert_true(cfg.domains[0].is_dom0);
    /* No Xen-specific properties: /chosen bootargs is dom0's; dom0 gets the defaults. */
    assert_string_equal(cfg.domains[0].bootargs, "console=hvc0 plain");
    assert_string_equal(cfg.xen_bootargs, "");
    assert_int_equal(cfg.domains[0].nr_vcpus, 1);
    assert_int_equal(cfg.domains[0].mem_bytes, 128ull << 20);
}

static void test_cmdline_modargs(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("cmdline-modargs", 1), 0);
    /* The module's bootargs are dom0's; /chosen bootargs become Xen's (and set dom0's size). */
    assert_string_equal(cfg.domains[0].bootargs, "from-module");
    assert_string_equal(cfg.xen_bootargs, "dom0_max_vcpus=3 dom0_mem=65536");
    assert_int_equal(cfg.domains[0].nr_vcpus, 3);
    assert_int_equal(cfg.domains[0].mem_bytes, 65536ull << 10); /* KiB: Xen's default unit */
}

/* Each domain's heap budget reaches domain_create(), and the console weighs their sum. */
static void test_heap_budgets(void **state)
{
    char *msg;

    (void)state;
    assert_int_equal(parse_ok("heap-budget", 2), 0);
    assert_int_equal(cfg.nr_domains, 4);
    assert_int_equal(cfg.domains[0].heap_budget, 512u << 10);
    assert_int_equal(cfg.domains[1].heap_budget, 1u << 20);
    assert_int_equal(cfg.domains[2].heap_budget, 0);
    assert_int_equal(cfg.domains[3].heap_budget, 2u << 20);
    assert_int_equal(domain_configured_budget(0), 512u << 10);
    assert_int_equal(domain_configured_budget(1), 1u << 20);
    assert_int_equal(domain_configured_budget(2), DOMAIN_HEAP_BUDGET_DEFAULT);
    assert_int_equal(domain_configured_budget(3), 2u << 20);

    /* A heap smaller than the budgets' sum is allowed, and said. */
    harness_set_heap_total(xalloc_bytes_in_use() + (2u << 20));
    assert_int_equal(parse_named("heap-budget", 2, &msg), 0);
    assert_non_null(strstr(msg, "heap budgets add up to"));
    free(msg);
    harness_set_heap_total(64u << 20);
    assert_int_equal(parse_named("heap-budget", 2, &msg), 0);
    assert_null(strstr(msg ? msg : "", "heap budgets"));
    free(msg);

    /* The next configuration replaces them all. */
    assert_int_equal(parse_ok("none", 2), 0);
    assert_int_equal(domain_configured_budget(0), DOMAIN_HEAP_BUDGET_DEFAULT);
    assert_int_equal(domain_configured_budget(3), DOMAIN_HEAP_BUDGET_DEFAULT);
}

static void test_no_domains(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("none", 2), 0);
    assert_int_equal(cfg.nr_domains, 0);
    assert_int_equal(cfg.nr_evtchns, 0);
}

/* ---- Every defect is refused, by name ----------------------------------------------------- */

static const struct {
    const char *dt;
    const char *says; /* part of the console message */
} bad_dts[] = {
    {"bad-peer-not-back", "does not point back"},
    {"bad-peer-missing", "is not a xen,evtchn-v1 node"},
    {"bad-self-peer", "is not a xen,evtchn-v1 node"},
    {"bad-no-phandle", "without a phandle"},
    {"bad-port-zero", "port 0 is reserved"},
    {"bad-port-twice", "bound twice"},
    {"bad-evtchn-short", "xen,evtchn must be"},
    {"bad-evtchn-no-dom0", "no dom0 kernel"},
    {"bad-module-outside-ram", "not inside the RAM"},
    {"bad-module-size-zero", "size 0"},
    {"bad-two-kernels", "second module of the same kind"},
    {"bad-ramdisk-only", "ramdisk without a dom0 kernel"},
    {"bad-domu-no-cpus", "without cpus"},
    {"bad-domu-cpus-zero", "cpus out of range"},
    {"bad-domu-no-memory", "without memory"},
    {"bad-domu-memory-odd", "multiple of 4 KiB"},
    {"bad-domu-no-kernel", "no kernel module"},
    {"bad-dom0-dtb", "for domUs only"},
    {"bad-pool-not-cpu", "not a cpu of /cpus"},
    {"bad-pool-offline", "not online"},
    {"bad-pool-shared", "two cpupools"},
    {"bad-pool-unknown", "does not name a xen,cpupool"},
    {"bad-dom0-mem", "dom0_mem=lots"},
    {"bad-dom0-vcpus", "dom0_max_vcpus=0"},
    {"bad-bootargs-long", "too long"},
    {"bad-too-many-domains", "too many domains"},
    {"bad-domu-heap-budget", "minixen,heap-budget outside 64 KiB..1 GiB"},
    {"bad-dom0-heap-budget", "dom0_heap_budget=4G"},
};

static void test_bad_dts(void **state)
{
    unsigned int nr_bad = 0;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(boot_config_dtbs); i++)
        nr_bad += strncmp(boot_config_dtbs[i].name, "bad-", 4) == 0;
    /* Every bad-*.dts in the directory is in the table below, and vice versa. */
    assert_int_equal(nr_bad, ARRAY_SIZE(bad_dts));

    for (size_t i = 0; i < ARRAY_SIZE(bad_dts); i++) {
        char *msg = NULL;
        int rc = parse_named(bad_dts[i].dt, 2, &msg);

        if (rc != -EINVAL || msg == NULL || strstr(msg, bad_dts[i].says) == NULL)
            fail_msg("%s: rc %d, console \"%s\", wanted -EINVAL and \"%s\"", bad_dts[i].dt, rc,
                     msg ? msg : "", bad_dts[i].says);
        /* A refused configuration leaves nothing half-filled behind. */
        assert_int_equal(cfg.nr_domains, 0);
        assert_int_equal(cfg.nr_evtchns, 0);
        free(msg);
    }
}

/* A DT that is not a DT at all, and one cut short: refused by fdt_open or by the walks. */
static void test_truncated(void **state)
{
    size_t size;
    const unsigned char *blob = dtb_named("full", &size);
    unsigned char *copy = malloc(size);
    struct fdt fdt;

    (void)state;
    assert_non_null(copy);
    /* Cut the structure block at every 4-byte boundary: parse never crashes. */
    for (size_t cut = 40; cut < size; cut += 4) {
        memcpy(copy, blob, size);
        /* Claim the blob is as long as it says but scribble everything past the cut. */
        memset(copy + cut, 0xff, size - cut);
        if (fdt_open(&fdt, copy, size) != 0)
            continue;
        (void)boot_config_parse(&fdt, 4, &cfg);
    }
    free(harness_take_console());
    free(copy);
}

/* ---- bootargs_get ------------------------------------------------------------------------- */

static void test_bootargs_get(void **state)
{
    char v[8];

    (void)state;
    assert_true(bootargs_get("a=1 dom0_mem=512M b", "dom0_mem", v, sizeof(v)));
    assert_string_equal(v, "512M");
    assert_true(bootargs_get("a=1 b", "b", v, sizeof(v)));
    assert_string_equal(v, "");
    assert_false(bootargs_get("dom0_memx=1 xdom0_mem=2", "dom0_mem", v, sizeof(v)));
    assert_true(bootargs_get("  x=1   x=2  ", "x", v, sizeof(v))); /* the last one wins */
    assert_string_equal(v, "2");
    assert_true(bootargs_get("long=0123456789", "long", v, sizeof(v))); /* truncated */
    assert_string_equal(v, "0123456");
    assert_false(bootargs_get("", "x", v, sizeof(v)));
    assert_false(bootargs_get("x=1", "", v, sizeof(v)));
}

/* ---- Binding ------------------------------------------------------------------------------ */

static void assert_connected(struct domain *d, evtchn_port_t p, struct domain *r, evtchn_port_t q)
{
    struct evtchn_status st;

    assert_int_equal(status(d, DOMID_SELF, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, r->domain_id);
    assert_int_equal(st.u.interdomain.port, q);
    assert_int_equal(st.vcpu, 0);
}

static void test_bind_full(void **state)
{
    struct domain *d0, *u1, *u2;
    evtchn_port_t p;

    (void)state;
    assert_int_equal(parse_ok("full", 4), 0);
    d0 = harness_domain(0, 2, true, &guest_layout_arm);
    u1 = harness_domain(1, 2, false, &guest_layout_arm);
    u2 = harness_domain(2, 1, false, &guest_layout_arm);
    assert_non_null(d0);
    assert_non_null(u1);
    assert_non_null(u2);

    assert_int_equal(boot_config_bind_static_evtchns(&cfg), 0);
    assert_connected(d0, 10, u1, 11);
    assert_connected(u1, 11, d0, 10);
    assert_connected(u1, 200, u2, 1023); /* needed storage beyond the first bucket */
    assert_connected(u2, 1023, u1, 200); /* an unprivileged domain's last port (Xen's 1023) */

    /* Events flow both ways, as on a channel made with bind_interdomain. */
    assert_false(upcall_pending(u1->vcpu[0]));
    assert_int_equal(send(d0, 10), 0);
    assert_true(upcall_pending(u1->vcpu[0]));
    assert_int_equal(send(u2, 1023), 0);
    assert_int_equal(send(u1, 11), 0);
    assert_true(upcall_pending(d0->vcpu[0]));

    /* Dynamic allocation still starts at the lowest free port and skips the static ones. */
    assert_int_equal(alloc_unbound(d0, DOMID_SELF, 1, &p), 0);
    assert_int_equal(p, 1);
    assert_int_equal(alloc_unbound(u1, DOMID_SELF, 0, &p), 0);
    assert_int_equal(p, 1);

    /* Binding the same configuration again: every port is taken. */
    assert_int_equal(boot_config_bind_static_evtchns(&cfg), -EEXIST);

    /* Closing a static end leaves the peer unbound, waiting for its old peer. */
    assert_int_equal(close_port(u1, 11), 0);
    {
        struct evtchn_status st;

        assert_int_equal(status(d0, DOMID_SELF, 10, &st), 0);
        assert_int_equal(st.status, EVTCHNSTAT_unbound);
    }
}

static void test_bind_errors(void **state)
{
    struct domain *a, *b;
    evtchn_port_t p;

    (void)state;
    a = harness_domain(0, 1, true, &guest_layout_arm);
    b = harness_domain(1, 1, false, &guest_layout_arm);
    assert_non_null(a);
    assert_non_null(b);

    assert_int_equal(evtchn_bind_static(a, 0, b, 5), -EINVAL);
    assert_int_equal(evtchn_bind_static(a, 5, b, 0), -EINVAL);
    assert_int_equal(evtchn_bind_static(a, 5, a, 5), -EINVAL);
    /* 2-level with 64-bit words: ports 1..4095; an unprivileged domain's limit is 1023. */
    assert_int_equal(evtchn_bind_static(a, 4096, b, 5), -ENOSPC);
    assert_int_equal(evtchn_bind_static(a, 4000, b, 1024), -ENOSPC);
    assert_int_equal(evtchn_bind_static(a, 4095, b, 1023), 0);
    assert_connected(a, 4095, b, 1023);
    assert_int_equal(evtchn_bind_static(a, 5, b, 1u << 20), -ENOSPC);
    /* A failed bind leaves both ports free. */
    assert_int_equal(evtchn_bind_static(a, 5, b, 5), 0);
    /* Loopback in one domain on two ports. */
    assert_int_equal(evtchn_bind_static(b, 7, b, 8), 0);
    assert_connected(b, 7, b, 8);
    /* Ports in use. */
    assert_int_equal(evtchn_bind_static(a, 5, b, 9), -EEXIST);
    assert_int_equal(evtchn_bind_static(a, 9, b, 8), -EEXIST);
    assert_int_equal(alloc_unbound(a, DOMID_SELF, 1, &p), 0);
    assert_int_equal(evtchn_bind_static(a, p, b, 10), -EEXIST);
    /* Port 9 of a and 10 of b are still free after the failures. */
    assert_int_equal(evtchn_bind_static(a, 9, b, 10), 0);
    /* The domain's own limit (EVTCHNOP_set_limit) binds static ports too. */
    assert_int_equal(set_limit(a, 1, 100), 0);
    assert_int_equal(evtchn_bind_static(b, 101, a, 20), -ENOSPC);
    assert_int_equal(evtchn_bind_static(b, 100, a, 20), 0);
}

/* A configuration naming a domain that was never created. */
static void test_bind_missing_domain(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("full", 4), 0);
    assert_non_null(harness_domain(0, 1, true, &guest_layout_arm));
    assert_int_equal(boot_config_bind_static_evtchns(&cfg), -EINVAL);
}

static int teardown(void **state)
{
    (void)state;
    harness_reset();
    free(harness_take_console());
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_full, teardown),
        cmocka_unit_test_teardown(test_dom0less, teardown),
        cmocka_unit_test_teardown(test_cmdline_plain, teardown),
        cmocka_unit_test_teardown(test_cmdline_modargs, teardown),
        cmocka_unit_test_teardown(test_heap_budgets, teardown),
        cmocka_unit_test_teardown(test_no_domains, teardown),
        cmocka_unit_test_teardown(test_bad_dts, teardown),
        cmocka_unit_test_teardown(test_truncated, teardown),
        cmocka_unit_test_teardown(test_bootargs_get, teardown),
        cmocka_unit_test_teardown(test_bind_full, teardown),
        cmocka_unit_test_teardown(test_bind_errors, teardown),
        cmocka_unit_test_teardown(test_bind_missing_domain, teardown),
    };

    return cmocka_run_group_tests_name("boot_config", tests, NULL, NULL);
}
