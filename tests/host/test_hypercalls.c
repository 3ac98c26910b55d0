/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall table and the handlers of xen/common besides event channels: every
 * handler's success path and its errors, issued through hypercall_dispatch() with the
 * arguments in guest memory, as a guest issues them. Expected values are Xen 4.17's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xen/console.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/guest_kind.h>
#include <xen/lib.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <public/features.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include "test_util.h"

/* dom0 and d1: ARM guests; d2: x86_64 HVM; d3: x86_32 HVM. */
static struct domain *dom0, *d1, *d2, *d3;

/* Guest addresses that are no RAM of any harness domain. */
#define BAD_GPA 0x1000ul

static int setup(void **state)
{
    (void)state;
    dom0 = harness_domain(0, 2, true, &guest_layout_arm);
    d1 = harness_domain(1, 2, false, &guest_layout_arm);
    d2 = harness_domain(2, 2, false, &guest_layout_x86_64);
    d3 = harness_domain(3, 1, false, &guest_layout_x86_32);
    if (dom0 == NULL || d1 == NULL || d2 == NULL || d3 == NULL || harness_sched_init(2) != 0)
        return -1;
    free(harness_take_console());
    return 0;
}

static long hc(struct vcpu *v, unsigned long nr, unsigned long a0, unsigned long a1,
               unsigned long a2)
{
    return harness_hypercall(v, nr, a0, a1, a2, 0, 0);
}

/* A guest page of d: host pointer p, guest address *gpa. */
#define GBUF(d, gpa) harness_guest_buf((d), (gpa))

static bool console_has(const char *out, const char *needle)
{
    return strstr(out, needle) != NULL;
}

static void record(struct vcpu *v, evtchn_port_t port, void *ctx)
{
    evtchn_port_t *want = ctx;

    (void)v;
    if (port == *want)
        *want = 0;
}

/* Does vCPU `vcpu` of d, scanning as a guest does, find `port`? */
static bool delivered_port(struct domain *d, unsigned int vcpu, evtchn_port_t port)
{
    guest_consume(d->vcpu[vcpu], record, &port);
    return port == 0;
}

static bool port_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);

    return chn != NULL && d->evtchn_ops->is_pending(d, chn);
}

/* ---- Dispatch ---------------------------------------------------------------------------- */

static void test_dispatch_unknown(void **state)
{
    static const unsigned long nrs[] = {0,  1,  11, 13, 16, 21,   33,  35,
                                        36, 47, 48, 63, 64, 4096, ~0ul};

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++) {
        assert_int_equal(hc(d1->vcpu[0], nrs[i], 0, 0, 0), -ENOSYS);
        assert_null(hypercall_lookup(nrs[i]));
    }
    /* Pure: only xen_version (reads, copies to the caller); never one that can wake. */
    assert_true(hypercall_is_pure(__HYPERVISOR_xen_version));
    assert_false(hypercall_is_pure(__HYPERVISOR_sched_op));
    assert_false(hypercall_is_pure(__HYPERVISOR_event_channel_op));
    assert_false(hypercall_is_pure(__HYPERVISOR_memory_op));
    /* The fast path calls a pure one's handler without a NULL check: each has one. */
    for (unsigned long nr = 0; nr < 64; nr++)
        if (hypercall_is_pure(nr))
            assert_non_null(hypercall_lookup(nr));
}

static void test_dispatch_event_channel(void **state)
{
    gpaddr_t gpa;
    struct evtchn_bind_ipi *b = GBUF(d1, &gpa);

    (void)state;
    b->vcpu = 1;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, gpa, 0), 0);
    assert_true(b->port > 0);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_event_channel_op, 99, gpa, 0), -ENOSYS);
}

/* ---- xen_version ------------------------------------------------------------------------- */

static uint32_t features(struct domain *d)
{
    gpaddr_t gpa;
    struct xen_feature_info *fi = GBUF(d, &gpa);

    fi->submap_idx = 0;
    assert_int_equal(hc(d->vcpu[0], __HYPERVISOR_xen_version, XENVER_get_features, gpa, 0), 0);
    return fi->submap;
}

static void test_xen_version(void **state)
{
    gpaddr_t gpa;
    char *s = GBUF(d1, &gpa);
    struct xen_feature_info *fi;
    uint32_t f;

    (void)state;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0),
                     (4 << 16) | 17);
    memset(s, 'x', 64);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_extraversion, gpa, 0), 0);
    assert_string_equal(s, ".0-minixen");
    assert_int_equal(s[15], 0); /* the whole 16-byte array is written */
    assert_int_equal(s[16], 'x');
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_capabilities, gpa, 0), 0);
    assert_string_equal(s, "xen-3.0-aarch64 ");
    assert_int_equal(hc(d2->vcpu[0], __HYPERVISOR_xen_version, XENVER_capabilities,
                        harness_va_to_gpa(d2, GBUF(d2, &gpa)), 0),
                     0);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_changeset, harness_va_to_gpa(d1, s), 0),
        0);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_compile_info, harness_va_to_gpa(d1, s), 0),
        0);
    assert_string_equal(s + 64, "minixen"); /* compile_by */
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_guest_handle, harness_va_to_gpa(d1, s), 0),
        0);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_platform_parameters,
                        harness_va_to_gpa(d1, s), 0),
                     0);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_pagesize, gpa, 0), -EINVAL);

    /* Feature bits: ARM guests, dom0 only for the privileged one, x86 HVM ones. */
    f = features(d1);
    assert_true(f & (1u << XENFEAT_ARM_SMCCC_supported));
    assert_true(f & (1u << XENFEAT_auto_translated_physmap));
    assert_true(f & (1u << XENFEAT_not_direct_mapped));
    assert_false(f & (1u << XENFEAT_direct_mapped));
    assert_false(f & (1u << XENFEAT_dom0));
    assert_false(f & (1u << XENFEAT_hvm_callback_vector));
    assert_true(features(dom0) & (1u << XENFEAT_dom0));
    f = features(d2);
    assert_true(f & (1u << XENFEAT_hvm_callback_vector));
    assert_false(f & (1u << XENFEAT_ARM_SMCCC_supported));
    assert_int_equal(features(d3), f);

    fi = GBUF(d1, &gpa);
    fi->submap_idx = 1;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_get_features, gpa, 0),
                     -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_get_features, BAD_GPA, 0),
                     -EFAULT);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_extraversion, BAD_GPA, 0),
                     -EFAULT);

    /* The command line and build id are the privileged domain's. */
    s = GBUF(d1, &gpa);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_commandline, gpa, 0), 0);
    assert_string_equal(s, "<denied>");
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, XENVER_build_id, gpa, 0), -EPERM);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_xen_version, XENVER_build_id,
                        harness_va_to_gpa(dom0, GBUF(dom0, &gpa)), 0),
                     -XEN_ENODATA);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_xen_version, 11, gpa, 0), -ENOSYS);
}

/* ---- console_io -------------------------------------------------------------------------- */

static long console_write(struct domain *d, const char *text, size_t len)
{
    gpaddr_t gpa;
    char *buf = GBUF(d, &gpa);

    assert_true(len <= PAGE_SIZE);
    memcpy(buf, text, len);
    return hc(d->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_write, len, gpa);
}

/* Count the lines of out that start with prefix. */
static unsigned int count_lines(const char *out, const char *prefix)
{
    unsigned int n = 0;
    size_t plen = strlen(prefix);

    for (const char *l = out; l != NULL && *l != '\0';) {
        const char *nl = strchr(l, '\n');

        n += strncmp(l, prefix, plen) == 0;
        l = nl != NULL ? nl + 1 : NULL;
    }
    return n;
}

/*
 * A domU's output is rate-limited: 32 KiB at once, then 4 KiB a second; the excess is
 * dropped, counted, and reported in one note when it may print again. dom0 is not limited.
 */
static void test_console_rate_limit(void **state)
{
    char line[64];
    char *out;
    unsigned int i, shown, dropped = 0;
    const char *note;

    (void)state;
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    /* 1000 lines of 63 characters: about 70 KiB of output with the prefixes. */
    for (i = 0; i < 1000; i++)
        assert_int_equal(console_write(d1, line, sizeof(line)), 0);
    out = harness_take_console();
    shown = count_lines(out, "(d1) xxx");
    assert_true(shown > 400 && shown < 32768 / 64 + 1);
    assert_true(strlen(out) <= 32768);
    assert_null(strstr(out, "dropped"));
    free(out);

    /* Another domain is not held back by d1's limit, nor is dom0. */
    assert_int_equal(console_write(d2, "still here\n", 11), 0);
    for (i = 0; i < 1000; i++)
        assert_int_equal(console_write(dom0, line, sizeof(line)), 0);
    out = harness_take_console();
    assert_non_null(strstr(out, "(d2) still here\n"));
    assert_int_equal(count_lines(out, "xxx"), 1000);
    free(out);

    /* Still over: dropped silently. A second later, the note and then the new line. */
    assert_int_equal(console_write(d1, line, sizeof(line)), 0);
    harness_advance(1000000000ull);
    assert_int_equal(console_write(d1, "back\n", 5), 0);
    out = harness_take_console();
    note = strstr(out, "(d1) ... ");
    assert_non_null(note);
    assert_int_equal(sscanf(note, "(d1) ... %u characters dropped\n", &dropped), 1);
    /* The line the limit cut comes out first, cut; every character is shown or counted. */
    assert_true(note - out >= 6 && strncmp(out, "(d1) x", 6) == 0);
    assert_int_equal(shown * sizeof(line) + (size_t)(note - out - 6) + dropped,
                     1001 * sizeof(line));
    assert_non_null(strstr(note, "dropped\n(d1) back\n"));
    free(out);
}

static void test_console_write(void **state)
{
    char *out;

    (void)state;
    /* domU text comes out by whole lines, prefixed, control characters dropped. */
    assert_int_equal(console_write(d1, "hello\nwor", 9), 0);
    assert_int_equal(console_write(d2, "x86 says \x1b[31mhi\r\n", 19), 0);
    assert_int_equal(console_write(d1, "ld\n", 3), 0);
    out = harness_take_console();
    assert_string_equal(out, "(d1) hello\n(d2) x86 says [31mhi\n(d1) world\n");
    free(out);

    /*
     * dom0 is unprefixed and keeps its escape sequences, but is also printed by whole
     * lines, so other output never splits one; its partial line (a prompt) is shown when
     * it waits for input.
     */
    assert_int_equal(console_write(dom0, "ok 1 - ", 7), 0);
    printk("hypervisor line\n");
    assert_int_equal(console_write(dom0, "a test\r\n", 9), 0);
    out = harness_take_console();
    assert_string_equal(out, "hypervisor line\nok 1 - a test\n");
    free(out);
    assert_int_equal(console_write(dom0, "# prompt \x1b[0m", 14), 0);
    out = harness_take_console();
    assert_string_equal(out, "");
    free(out);
    {
        gpaddr_t gpa;

        (void)GBUF(dom0, &gpa);
        assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 0, gpa), 0);
    }
    out = harness_take_console();
    assert_string_equal(out, "# prompt \x1b[0m");
    free(out);

    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_write, 10, BAD_GPA),
                     -EFAULT);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_console_io, 7, 10, BAD_GPA), -ENOSYS);
    assert_int_equal(console_write(d1, "", 0), 0);
    out = harness_take_console();
    assert_string_equal(out, "");
    free(out);
}

/* A write longer than one call's share continues (-ERESTART) until all of it is out. */
static void test_console_long_write(void **state)
{
    enum { LEN = 3 * PAGE_SIZE };
    gpaddr_t gpa;
    char *buf = GBUF(d1, &gpa), *out;
    size_t a_count = 0;

    (void)state;
    /* Three consecutive pages (harness_alloc_gfn hands them out in order). */
    assert_non_null(GBUF(d1, &(gpaddr_t){0}));
    assert_non_null(GBUF(d1, &(gpaddr_t){0}));
    for (unsigned int p = 0; p < 3; p++) {
        char *page = harness_gfn_to_va(d1, (gpa >> PAGE_SHIFT) + p);

        memset(page, 'a', PAGE_SIZE);
        page[PAGE_SIZE - 1] = '\n';
    }
    (void)buf;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_write, LEN, gpa), 0);
    out = harness_take_console();
    for (const char *p = out; *p; p++)
        a_count += *p == 'a';
    assert_int_equal(a_count, LEN - 3);
    /* Lines are cut at 200 characters, each one prefixed. */
    for (char *line = out, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
        assert_memory_equal(line, "(d1) ", 5);
        assert_true(nl - line - 5 <= 200);
    }
    free(out);
}

static void test_console_read_and_keys(void **state)
{
    gpaddr_t gpa;
    char *buf = GBUF(dom0, &gpa), *out;
    evtchn_port_t port;

    (void)state;
    assert_int_equal(bind_virq(dom0, VIRQ_CONSOLE, 0, &port), 0);

    /* While the machine boots, input goes to minixen: the debug keys. */
    console_input('h');
    console_input('q');
    console_input('e');
    out = harness_take_console();
    assert_true(console_has(out, "debug keys"));
    assert_true(console_has(out, "d1: 2 vCPU(s)"));
    assert_true(console_has(out, "v0: cpu 0, unscheduled"));
    free(out);
    assert_false(port_pending(dom0, port));

    /* The end of boot gives it to dom0 and says how to switch, in Xen's words. */
    console_endboot();
    out = harness_take_console();
    assert_string_equal(out, "*** Serial input to DOM0 (type 'CTRL-a' three times to switch "
                             "input)\n");
    free(out);
    console_input('l');
    console_input(1); /* a single Ctrl-A is passed on with the next key */
    console_input('s');
    assert_true(port_pending(dom0, port));
    out = harness_take_console();
    assert_string_equal(out, ""); /* no debug key answered */
    free(out);

    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16,
                        harness_va_to_gpa(d1, GBUF(d1, &(gpaddr_t){0}))),
                     -EPERM);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 0x80000000ul, gpa),
                     -XEN_E2BIG);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 2, gpa), 2);
    assert_memory_equal(buf, "l\x01", 2);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16, BAD_GPA),
                     -EFAULT);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16, gpa), 1);
    assert_int_equal(buf[0], 's');
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16, gpa), 0);

    /* The ring drops what does not fit, and never hands out more than asked. */
    for (unsigned int i = 0; i < 5000; i++)
        console_input((char)('0' + i % 10));
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 4096, gpa), 1024);
    assert_int_equal(buf[0], '0');

    /* Three Ctrl-A: no domU has a console, so on to minixen, whose keys answer now. */
    console_input(1);
    console_input(1);
    console_input(1);
    console_input('z'); /* unassigned key: nothing */
    out = harness_take_console();
    assert_string_equal(out, "*** Serial input to minixen (type 'CTRL-a' three times to switch "
                             "input)\n");
    free(out);
    console_input('h');
    out = harness_take_console();
    assert_true(console_has(out, "debug keys"));
    assert_true(console_has(out, "now: DOM0 -> [minixen]\n"));
    free(out);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16, gpa), 0);

    /* Three more: back to dom0. */
    console_input(1);
    console_input(1);
    console_input(1);
    console_input('h');
    out = harness_take_console();
    assert_string_equal(out, "*** Serial input to DOM0 (type 'CTRL-a' three times to switch "
                             "input)\n");
    free(out);
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_console_io, CONSOLEIO_read, 16, gpa), 1);
    assert_int_equal(buf[0], 'h');
}

/* ---- hvm_op ----------------------------------------------------------------------------- */

static long hvm_param(struct vcpu *v, unsigned int op, domid_t dom, uint32_t index, uint64_t *value)
{
    gpaddr_t gpa;
    struct xen_hvm_param *p = GBUF(v->domain, &gpa);
    long rc;

    p->domid = dom;
    p->index = index;
    p->value = *value;
    rc = hc(v, __HYPERVISOR_hvm_op, op, gpa, 0);
    *value = p->value;
    return rc;
}

static void test_hvm_params(void **state)
{
    uint64_t val;

    (void)state;
    d1->hvm_params[HVM_PARAM_CALLBACK_IRQ] = HVM_PARAM_CALLBACK_VAL_ARM_DOMU;

    /* ARM: a guest reads its own params and writes none. */
    val = 0;
    assert_int_equal(
        hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_int_equal(val, 0x020000000000021Full);
    val = 5;
    assert_int_equal(
        hvm_param(d1->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), -EPERM);
    assert_int_equal(
        hvm_param(d1->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_EVTCHN, &val), -EPERM);
    /* The privileged domain sets another's; the guest then sees the value. */
    val = 7;
    assert_int_equal(hvm_param(dom0->vcpu[0], HVMOP_set_param, 1, HVM_PARAM_STORE_EVTCHN, &val), 0);
    val = 0;
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, 1, HVM_PARAM_STORE_EVTCHN, &val), 0);
    assert_int_equal(val, 7);
    /* Errors, in Xen's order. */
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, 40, &val), -EINVAL);
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, ~0u, &val), -EINVAL);
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, 77, HVM_PARAM_STORE_PFN, &val),
                     -ESRCH);
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, 2, HVM_PARAM_STORE_PFN, &val), -EPERM);
    assert_int_equal(hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_IOREQ_PFN, &val),
                     -EINVAL); /* an ARM guest has no such param */
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_get_param, BAD_GPA, 0), -EFAULT);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, BAD_GPA, 0), -ENOSYS);

    /* x86: a guest sets its own callback and event channels, reads its rings. */
    val = HVM_PARAM_CALLBACK_VAL_VECTOR(0xf3);
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_int_equal(d2->hvm_params[HVM_PARAM_CALLBACK_IRQ], HVM_PARAM_CALLBACK_VAL_VECTOR(0xf3));
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &val), 0);
    assert_int_equal(hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &val),
                     -EPERM);
    assert_int_equal(hvm_param(d2->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &val),
                     0);
    assert_int_equal(hvm_param(d2->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_IOREQ_PFN, &val),
                     -EPERM);
    assert_int_equal(hvm_param(dom0->vcpu[0], HVMOP_get_param, 2, HVM_PARAM_IOREQ_PFN, &val), 0);
    /* No PV console ring was set up: its params are an error, never "page 0". */
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &val), -ENOENT);
    assert_int_equal(
        hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &val),
        -ENOENT);
    val = 0x3f;
    assert_int_equal(hvm_param(dom0->vcpu[0], HVMOP_set_param, 2, HVM_PARAM_CONSOLE_PFN, &val), 0);
    val = 0;
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &val), 0);
    assert_int_equal(val, 0x3f);

    /* x86: a per-vCPU upcall vector; raised at once when an upcall is already pending. */
    {
        gpaddr_t gpa;
        struct xen_hvm_evtchn_upcall_vector *uv = GBUF(d2, &gpa);
        struct vcpu *v1 = d2->vcpu[1];
        unsigned long raised = harness_upcalls(v1);

        *uv = (struct xen_hvm_evtchn_upcall_vector){.vcpu = 1, .vector = 0x0f};
        assert_int_equal(
            hc(d2->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, gpa, 0), -EINVAL);
        uv->vector = 0xf3;
        uv->vcpu = 2;
        assert_int_equal(
            hc(d2->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, gpa, 0), -ENOENT);
        assert_int_equal(
            hc(d2->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, BAD_GPA, 0),
            -EFAULT);
        uv->vcpu = 1;
        *(volatile uint8_t *)v1->vcpu_info = 0;
        assert_int_equal(
            hc(d2->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, gpa, 0), 0);
        assert_int_equal(v1->upcall_vector, 0xf3);
        assert_int_equal(harness_upcalls(v1), raised);
        *(volatile uint8_t *)v1->vcpu_info = 1;
        uv->vector = 0xf4;
        assert_int_equal(
            hc(d2->vcpu[0], __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, gpa, 0), 0);
        assert_int_equal(v1->upcall_vector, 0xf4);
        assert_int_equal(harness_upcalls(v1), raised + 1);
        *(volatile uint8_t *)v1->vcpu_info = 0;
        v1->upcall_vector = 0;
    }
}

/* ---- memory_op and grant_table_op ------------------------------------------------------ */

static long add_to_physmap(struct vcpu *v, domid_t dom, uint32_t space, uint64_t idx, gfn_t gfn)
{
    gpaddr_t gpa;
    struct xen_add_to_physmap_64 *a = GBUF(v->domain, &gpa);

    *a = (struct xen_add_to_physmap_64){.domid = dom, .space = space, .idx = idx, .gpfn = gfn};
    return hc(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, gpa, 0);
}

static long query_size(struct vcpu *v, domid_t dom, struct gnttab_query_size *out)
{
    gpaddr_t gpa;
    struct gnttab_query_size *q = GBUF(v->domain, &gpa);
    long rc;

    q->dom = dom;
    rc = hc(v, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, gpa, 1);
    *out = *q;
    return rc;
}

static void test_add_to_physmap(void **state)
{
    (void)state;
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x3f000),
                     0);
    assert_ptr_equal(harness_physmap_lookup(d1, 0x3f000), d1->shared_info);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x3f001),
                     -EINVAL);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, 0),
                     -EINVAL); /* the port refuses the frame */
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_gmfn, 0, 0x3f002),
                     -ENOSYS);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 1),
                     -ENOSYS);
    assert_int_equal(add_to_physmap(d1->vcpu[0], 2, XENMAPSPACE_shared_info, 0, 0x3f003), -EPERM);
    assert_int_equal(add_to_physmap(d1->vcpu[0], 99, XENMAPSPACE_shared_info, 0, 0x3f003), -ESRCH);
    assert_int_equal(add_to_physmap(dom0->vcpu[0], 2, XENMAPSPACE_shared_info, 0, 0x3f004), 0);
    assert_ptr_equal(harness_physmap_lookup(d2, 0x3f004), d2->shared_info);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap, BAD_GPA, 0),
                     -EFAULT);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op,
                        XENMEM_add_to_physmap | (0x10000ul << 6), BAD_GPA, 0),
                     -XEN_EDOM);
    /* An unreadable reservation: nothing done, as on Xen (test_grant_map has the rest). */
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_populate_physmap, 0, 0), 0);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_memory_op, XENMEM_exchange, 0, 0), -ENOSYS);

    /* A 32-bit x86 guest passes the 16-byte layout. */
    {
        gpaddr_t gpa;
        struct xen_add_to_physmap_x86_32 *a = GBUF(d3, &gpa);

        *a = (struct xen_add_to_physmap_x86_32){
            .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0, .gpfn = 0xfeff0};
        assert_int_equal(hc(d3->vcpu[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap, gpa, 0), 0);
        assert_ptr_equal(harness_physmap_lookup(d3, 0xfeff0), d3->shared_info);
    }
}

static void test_grant_frames(void **state)
{
    struct gnttab_query_size q;
    gpaddr_t gpa;
    struct gnttab_setup_table_64 *st;
    uint64_t *frames;

    (void)state;
    assert_int_equal(query_size(d1->vcpu[0], DOMID_SELF, &q), 0);
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 1);
    assert_int_equal(q.max_nr_frames, 64);

    /* Mapping frame 4 grows the table to 5 frames; 63 is the last one there can be. */
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 4, 0x38004),
                     0);
    assert_non_null(harness_physmap_lookup(d1, 0x38004));
    assert_int_equal(query_size(d1->vcpu[0], DOMID_SELF, &q), 0);
    assert_int_equal(q.nr_frames, 5);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x38000),
                     0);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 63, 0x3803f),
                     0);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 64, 0x38040),
                     -EINVAL);
    assert_int_equal(add_to_physmap(d1->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table,
                                    XENMAPIDX_grant_table_status, 0x38041),
                     -EINVAL);
    assert_ptr_not_equal(harness_physmap_lookup(d1, 0x38000), harness_physmap_lookup(d1, 0x38004));

    /* setup_table says where each frame is mapped (auto-translated: no machine frames). */
    st = GBUF(d1, &gpa);
    frames = GBUF(d1, &(gpaddr_t){0});
    *st = (struct gnttab_setup_table_64){.dom = DOMID_SELF, .nr_frames = 3};
    st->frame_list.p = harness_va_to_gpa(d1, frames);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 1), 0);
    assert_int_equal(st->status, GNTST_okay);
    assert_int_equal(frames[0], 0x38000);
    assert_int_equal(frames[1], ~0ull);
    assert_int_equal(frames[2], ~0ull);

    st->nr_frames = 65;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 1), 0);
    assert_int_equal(st->status, GNTST_general_error);
    st->nr_frames = 1;
    st->dom = 2;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 1), 0);
    assert_int_equal(st->status, GNTST_permission_denied);
    st->dom = 123;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 1), 0);
    assert_int_equal(st->status, GNTST_bad_domain);
    st->dom = DOMID_SELF;
    st->frame_list.p = BAD_GPA;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 1), 0);
    assert_int_equal(st->status, GNTST_bad_virt_addr);

    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 2),
                     -EINVAL);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, gpa, 0x80000000ul),
        -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_query_size, BAD_GPA, 1),
                     -EFAULT);
    assert_int_equal(
        hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_query_size | 0x1000, gpa, 1),
        -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_transfer, gpa, 1),
                     -ENOSYS);

    /* The privileged domain may ask about another; a domU may not. */
    assert_int_equal(query_size(dom0->vcpu[0], 1, &q), 0);
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 64);
    assert_int_equal(query_size(d2->vcpu[0], 1, &q), 0);
    assert_int_equal(q.status, GNTST_permission_denied);
    assert_int_equal(query_size(d2->vcpu[0], 300, &q), 0);
    assert_int_equal(q.status, GNTST_bad_domain);
}

/* Version 1 only, as on Xen/Arm: set_version(2) is -ENOSYS, the version is written back. */
static void test_grant_version(void **state)
{
    gpaddr_t gpa;
    struct gnttab_set_version *sv = GBUF(d1, &gpa);
    struct gnttab_get_version *gv;
    gpaddr_t gpa2;

    (void)state;
    for (uint32_t want = 0; want < 4; want++) {
        long expect = want == 1 ? 0 : want == 2 ? -ENOSYS : -EINVAL;

        sv->version = want;
        assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_set_version, gpa, 1),
                         expect);
        assert_int_equal(sv->version, 1);
    }
    sv->version = 0xffffffffu;
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_set_version, gpa, 0),
                     -EINVAL); /* count is not looked at */
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_set_version, BAD_GPA, 1),
                     -EFAULT);

    gv = GBUF(d1, &gpa2);
    *gv = (struct gnttab_get_version){.dom = DOMID_SELF, .pad = 0x5555, .version = 7};
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_get_version, gpa2, 1),
                     0);
    assert_int_equal(gv->version, 1);
    assert_int_equal(gv->pad, 0x5555); /* only the version field is written */
    gv->dom = 2;                       /* another domain's: only for the privileged one */
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_get_version, gpa2, 1),
                     -EPERM);
    gv = GBUF(dom0, &gpa2);
    *gv = (struct gnttab_get_version){.dom = 1};
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_get_version, gpa2, 1),
                     0);
    assert_int_equal(gv->version, 1);
    gv->dom = 300;
    assert_int_equal(hc(dom0->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_get_version, gpa2, 1),
                     -ESRCH);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_grant_table_op, GNTTABOP_get_version, BAD_GPA, 1),
                     -EFAULT);
}

/* Out of memory while growing: the table keeps what it had, the call fails cleanly. */
static void test_grant_frames_enomem(void **state)
{
    struct gnttab_query_size q;

    (void)state;
    harness_fail_next_allocs(1);
    assert_int_equal(add_to_physmap(d2->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x1000),
                     -ENOMEM);
    assert_int_equal(add_to_physmap(d2->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 2, 0x1002),
                     0);
    harness_fail_next_allocs(1);
    assert_int_equal(add_to_physmap(d2->vcpu[0], DOMID_SELF, XENMAPSPACE_grant_table, 5, 0x1005),
                     -EINVAL);
    harness_fail_next_allocs(0);
    assert_int_equal(query_size(d2->vcpu[0], DOMID_SELF, &q), 0);
    assert_int_equal(q.nr_frames, 3);
}

/* ---- vcpu_op ----------------------------------------------------------------------------- */

static void test_register_vcpu_info(void **state)
{
    struct vcpu *v = d1->vcpu[0];
    gpaddr_t gpa;
    struct vcpu_register_vcpu_info *info = GBUF(d1, &gpa);
    gfn_t gfn = harness_alloc_gfn(d1);
    uint8_t *page = harness_gfn_to_va(d1, gfn);
    evtchn_port_t port;

    (void)state;
    assert_int_equal(bind_ipi(d1, 0, &port), 0);
    assert_int_equal(send(d1, port), 0);

    /* XSA-327: within the page and aligned to the guest's word, else -ENXIO. */
    *info = (struct vcpu_register_vcpu_info){.mfn = gfn, .offset = 4};
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa), -ENXIO);
    info->offset = PAGE_SIZE - 40;
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa), -ENXIO);
    info->offset = 64;
    info->mfn = 5; /* not RAM */
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa), -EINVAL);
    info->mfn = gfn;
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 2, gpa), -ENOENT);
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, ~0ul, gpa), -ENOENT);
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, BAD_GPA), -EFAULT);

    memset(page, 0, PAGE_SIZE);
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa), 0);
    assert_ptr_equal(v->vcpu_info, page + 64);
    /* Everything is marked pending at the new place, so nothing is lost. */
    assert_int_equal(page[64] & 1, 1);
    assert_true(delivered_port(d1, 0, port));
    /* Once only. */
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, gpa), -EINVAL);
    /* Later events arrive at the new place. */
    page[64] = 0;
    assert_int_equal(send(d1, port), 0);
    assert_int_equal(page[64] & 1, 1);

    /* Another vCPU's only while it is down. */
    assert_int_equal(sched_add_vcpu(d1->vcpu[1], 1, true), 0);
    info->offset = 128;
    assert_int_equal(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, gpa), -EINVAL);
}

static void test_vcpu_op_arm_subset(void **state)
{
    (void)state;
    /* As Xen on ARM: only the two registrations; everything else -EINVAL. */
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_vcpu_op, VCPUOP_initialise, 0, 0), -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, 0),
                     -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_vcpu_op, 99, 0, 0), -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_vcpu_op, ~0ul, 0, 0), -EINVAL);
    assert_int_equal(hc(d1->vcpu[0], __HYPERVISOR_set_timer_op, 1, 0, 0), -ENOSYS);
}

static void test_vcpu_op_x86(void **state)
{
    struct vcpu *v0 = d2->vcpu[0], *v1 = d2->vcpu[1];
    gpaddr_t gpa;
    struct vcpu_set_singleshot_timer_64 *t = GBUF(d2, &gpa);
    struct vcpu_runstate_info_64 *rs;
    uint64_t now;

    (void)state;
    assert_int_equal(sched_add_vcpu(v0, 0, true), 0);
    assert_int_equal(sched_add_vcpu(v1, 1, false), 0);
    assert_ptr_equal(sched_pick(0, NULL), v0);

    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), 1);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 0);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 2, 0), -ENOENT);
    /* Never started: nothing to resume. */
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), -EINVAL);

    /* Single-shot timer: own vCPU only; "future" refuses a deadline already past. */
    now = arch_now_ns();
    *t = (struct vcpu_set_singleshot_timer_64){.timeout_abs_ns = now + 5000000};
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, gpa), 0);
    assert_int_equal(v0->guest_timer_ns, now + 5000000);
    assert_int_equal(harness_cpu_timer(0), now + 5000000);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 1, gpa), -EINVAL);
    t->timeout_abs_ns = now - 1;
    t->flags = VCPU_SSHOTTMR_future;
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, gpa), -ETIME);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, BAD_GPA),
                     -EFAULT);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 1, 0), -EINVAL);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0), 0);
    assert_int_equal(v0->guest_timer_ns, 0);

    /* set_timer_op: 0 cancels; a huge or negative deadline becomes 100 ms from now. */
    assert_int_equal(hc(v0, __HYPERVISOR_set_timer_op, now + 777, 0, 0), 0);
    assert_int_equal(v0->guest_timer_ns, now + 777);
    assert_int_equal(hc(v0, __HYPERVISOR_set_timer_op, 0, 0, 0), 0);
    assert_int_equal(v0->guest_timer_ns, 0);
    assert_int_equal(hc(v0, __HYPERVISOR_set_timer_op, now + (1ull << 51), 0, 0), 0);
    assert_int_equal(v0->guest_timer_ns, now + 100000000);
    assert_int_equal(hc(v0, __HYPERVISOR_set_timer_op, ~0ul, 0, 0), 0);
    assert_int_equal(v0->guest_timer_ns, now + 100000000);
    /* x86_32: the deadline in two halves. */
    assert_int_equal(sched_add_vcpu(d3->vcpu[0], 1, true), 0);
    assert_int_equal(
        hc(d3->vcpu[0], __HYPERVISOR_set_timer_op, (uint32_t)(now + 9), (now + 9) >> 32, 0), 0);
    assert_int_equal(d3->vcpu[0]->guest_timer_ns, now + 9);

    /* Runstate: registered on the caller, written at once; readable for any vCPU. */
    rs = GBUF(d2, &gpa);
    harness_advance(1000);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, BAD_GPA),
                     -EFAULT);
    {
        gpaddr_t agpa;
        uint64_t *area = GBUF(d2, &agpa);

        *area = gpa;
        assert_int_equal(
            hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, agpa), 0);
        assert_int_equal(rs->state, RUNSTATE_running);
        assert_int_equal(rs->state_entry_time, now);
        *area = BAD_GPA;
        assert_int_equal(
            hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, agpa), -EINVAL);
        assert_int_equal(v0->runstate_area, 0);
    }
    /*
     * x86_32: the address is the 4-byte handle alone, as Xen's compat path reads it; the
     * union's upper half is whatever the guest left there. The area gets the 44-byte layout.
     */
    {
        struct vcpu *w = d3->vcpu[0];
        gpaddr_t agpa, rgpa;
        struct vcpu_runstate_info_x86_32 *rs32 = GBUF(d3, &rgpa);
        struct vcpu_register_runstate_memory_area_x86_32 *area = GBUF(d3, &agpa);

        memset(rs32, 0xff, sizeof(*rs32));
        area->addr.p = 0xdeadbeef00000000ull | rgpa;
        assert_int_equal(hc(w, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, agpa),
                         0);
        assert_int_equal(w->runstate_area, rgpa);
        assert_int_equal(rs32->state_entry_time[0], (uint32_t)w->runstate_entry_ns);
        assert_int_equal(rs32->state_entry_time[1], (uint32_t)(w->runstate_entry_ns >> 32));
        assert_int_not_equal(rs32->state, -1);
    }
    memset(rs, 0xff, sizeof(*rs));
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, gpa), 0);
    assert_int_equal(rs->state, RUNSTATE_offline);
    assert_int_equal(rs->time[RUNSTATE_running], 0);

    /* initialise: the port takes the first context, once; then up starts the vCPU. */
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, BAD_GPA), -EFAULT);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), -EINVAL);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 0, gpa), -EEXIST);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, gpa), 0);
    assert_int_equal(harness_vcpu_initialised(v1), 1);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, gpa), -EEXIST);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 0);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), 0);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 1);
    assert_int_equal(harness_vcpu_initialised(v1), 1);
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_down, 1, 0), 0);
    assert_false(d2->is_shut_down);

    /* down: the last vCPU up takes the domain down (poweroff). */
    assert_int_equal(hc(v0, __HYPERVISOR_vcpu_op, VCPUOP_down, 0, 0), 0);
    assert_true(d2->is_shut_down);
    assert_int_equal(d2->shutdown_reason, SHUTDOWN_poweroff);
}

/* ---- sched_op ---------------------------------------------------------------------------- */

static long poll(struct vcpu *v, const evtchn_port_t *ports, uint32_t n, uint64_t timeout)
{
    gpaddr_t gpa, pgpa;
    struct sched_poll_64 *p = GBUF(v->domain, &gpa);
    evtchn_port_t *list = GBUF(v->domain, &pgpa);

    /* More than Xen's 128 ports is refused before the list is read: pass none. */
    memcpy(list, ports, (n <= XEN_SCHED_POLL_MAX_PORTS ? n : 0) * sizeof(*ports));
    *p = (struct sched_poll_64){.nr_ports = n, .timeout = timeout};
    p->ports.p = pgpa;
    return hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, gpa, 0);
}

static void test_sched_op(void **state)
{
    struct vcpu *v = d1->vcpu[0];
    evtchn_port_t a, b, ports[2];
    gpaddr_t gpa;
    struct sched_shutdown *sd = GBUF(d1, &gpa);
    unsigned int reason;
    char *out;

    (void)state;
    assert_int_equal(sched_add_vcpu(v, 0, true), 0);
    assert_ptr_equal(sched_pick(0, NULL), v);
    assert_int_equal(bind_ipi(d1, 0, &a), 0);
    assert_int_equal(bind_ipi(d1, 0, &b), 0);

    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
    assert_ptr_equal(sched_pick(0, v), v); /* alone: runs again */
    assert_int_equal(harness_event_delivery_enables(v), 0);

    /* Poll: checks in Xen's order. */
    ports[0] = a;
    ports[1] = 5000; /* beyond the 2-level ABI's 4096 ports */
    assert_int_equal(poll(v, ports, 2, 0), -EINVAL);
    assert_int_equal(poll(v, ports, 129, 0), -EINVAL);
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, BAD_GPA, 0), -EFAULT);
    ports[1] = 3000; /* never bound: not pending, not an error */
    assert_int_equal(send(d1, b), 0);
    ports[0] = b;
    assert_int_equal(poll(v, ports, 2, 0), 0); /* already pending: returns at once */
    assert_string_equal(sched_vcpu_state_name(v), "running");
    assert_int_equal(d1->polling_vcpus, 0);
    assert_int_equal(v->poll_evtchn, 0);

    /* Nothing pending: blocks polling until the port is signalled. */
    ports[0] = a;
    memset(v->vcpu_info, 0, 1); /* the guest took its upcall */
    assert_int_equal(poll(v, ports, 1, 0), 0);
    assert_string_equal(sched_vcpu_state_name(v), "polling");
    assert_null(sched_pick(0, v));
    assert_int_equal(send(d1, a), 0);
    assert_string_equal(sched_vcpu_state_name(v), "runnable");
    assert_ptr_equal(sched_pick(0, NULL), v);
    assert_int_equal(d1->polling_vcpus, 0);

    /* Block: event delivery enabled first (Xen's local_event_delivery_enable), then it
     * sleeps until woken; poll above did not enable it. */
    assert_int_equal(harness_event_delivery_enables(v), 0);
    memset(v->vcpu_info, 0, 1);
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    assert_int_equal(harness_event_delivery_enables(v), 1);
    assert_string_equal(sched_vcpu_state_name(v), "blocked");
    vcpu_wake(v);
    assert_ptr_equal(sched_pick(0, NULL), v);

    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_watchdog, 0, 0), -ENOSYS);
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, 1234, 0, 0), -ENOSYS);

    /* remote_shutdown: privileged only, by real id. */
    {
        gpaddr_t rgpa;
        struct sched_remote_shutdown *rs = GBUF(d1, &rgpa);

        *rs = (struct sched_remote_shutdown){.domain_id = 2, .reason = SHUTDOWN_crash};
        assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, rgpa, 0), -EPERM);
        rs->domain_id = DOMID_SELF;
        assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, rgpa, 0), -ESRCH);
        assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, BAD_GPA, 0),
                         -EFAULT);
    }

    /* shutdown_code is what a later shutdown reports; shutdown is once only. */
    sd->reason = SHUTDOWN_suspend;
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, gpa, 0), 0);
    sd->reason = SHUTDOWN_reboot;
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, gpa, 0), 0);
    sd->reason = SHUTDOWN_poweroff;
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, BAD_GPA, 0), -EFAULT);
    free(harness_take_console());
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa, 0), 0);
    assert_int_equal(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa, 0), 0);
    assert_int_equal(harness_shutdowns(d1, &reason), 1);
    assert_int_equal(reason, SHUTDOWN_suspend);
    assert_false(vcpu_is_online(v));
    assert_null(sched_pick(0, v));
    out = console_without_heap_lines();
    assert_string_equal(out, "minixen: domain 1 shut down: suspend\n"
                             "minixen: all domains have shut down\n");
    free(out);
}

/*
 * Xen's width latch: the hypercall page and a domain's own HVM_PARAM_CALLBACK_IRQ take
 * the layout of the mode the calling vCPU runs in (here the harness's answer for
 * arch_guest_layout_now). d2, created 64-bit, calling from 32-bit mode, becomes a 32-bit
 * x86 guest: its wall clock is written at the 32-bit place and its argument structs are
 * the 32-bit ones (what its 2-level ports become: test_bitmap's test_2l_width_latch). Another
 * domain setting d2's param latches nothing, and a reset puts back the layout d2 was created with.
 */
static void test_width_latch(void **state)
{
    const struct shared_info_x86_32 *s32 = d2->shared_info;
    uint64_t val = HVM_PARAM_CALLBACK_VAL_VECTOR(0xf3);

    (void)state;
    harness_set_layout_now(&guest_layout_x86_32);
    assert_int_equal(hvm_param(dom0->vcpu[0], HVMOP_set_param, 2, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_64); /* not d2's own call */
    assert_int_equal(s32->wc_version, 0);

    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_32);
    assert_true(guest_kind_of(d2)->compat32);
    assert_int_equal(s32->wc_version, d2->wc_version);
    assert_true(s32->wc_version != 0 && s32->wc_version % 2 == 0);

    /* An ARM domain keeps its one layout whatever it runs in. */
    harness_set_layout_now(NULL);
    assert_int_equal(
        hvm_param(d1->vcpu[0], HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_ptr_equal(d1->guest_layout, &guest_layout_arm);

    harness_set_layout_now(&guest_layout_x86_64);
    val = HVM_PARAM_CALLBACK_VAL_VECTOR(0xf3);
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_64);
    harness_set_layout_now(&guest_layout_x86_32);
    assert_int_equal(
        hvm_param(d2->vcpu[0], HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_32);
    harness_set_layout_now(NULL);
    domain_reset(d2);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_64);
}

/*
 * The argument layouts follow the calling vCPU's mode at each call (Xen's hcall_compat),
 * not the latched width: d2, created 64-bit and never latched, mapping its shared_info
 * from 32-bit mode with the 12-byte struct gets it mapped; the 64-bit struct read as the
 * 32-bit one is nonsense (its idx would be the high half of the 64-bit domid/space word).
 */
static void test_compat_per_call(void **state)
{
    gpaddr_t gpa;
    struct xen_add_to_physmap_x86_32 *a = GBUF(d2, &gpa);

    (void)state;
    harness_set_layout_now(&guest_layout_x86_32);
    *a = (struct xen_add_to_physmap_x86_32){
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0, .gpfn = 0x3f000};
    assert_int_equal(hc(d2->vcpu[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap, gpa, 0), 0);
    assert_ptr_equal(d2->guest_layout, &guest_layout_x86_64); /* nothing latched */
    harness_set_layout_now(NULL);
    assert_int_equal(add_to_physmap(d2->vcpu[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x3f001),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, harness_teardown)
        T(test_width_latch),           T(test_compat_per_call),
        T(test_dispatch_unknown),      T(test_dispatch_event_channel),
        T(test_xen_version),           T(test_console_write),
        T(test_console_rate_limit),    T(test_console_long_write),
        T(test_console_read_and_keys), T(test_hvm_params),
        T(test_add_to_physmap),        T(test_grant_frames),
        T(test_grant_frames_enomem),   T(test_grant_version),
        T(test_register_vcpu_info),    T(test_vcpu_op_arm_subset),
        T(test_vcpu_op_x86),           T(test_sched_op),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
