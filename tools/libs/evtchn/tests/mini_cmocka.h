/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few cmocka calls libxenevtchn's tests use, for the static programs the Linux guests
 * run (Debian ships no static cmocka for arm64/armhf). Same names and TAP output as
 * cmocka's CMOCKA_MESSAGE_OUTPUT=TAP, so one test source serves both.
 */
#ifndef LIBEVTCHN_MINI_CMOCKA_H
#define LIBEVTCHN_MINI_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct CMUnitTest {
    const char *name;
    void (*fn)(void **state);
};

#define cmocka_unit_test(f)                                                                        \
    {                                                                                              \
#f, f                                                                                      \
    }

static jmp_buf mini_cmocka_fail;

static inline void mini_cmocka_check(int ok, const char *expr, const char *file, int line)
{
    if (!ok) {
        printf("# %s:%d: failed: %s\n", file, line, expr);
        longjmp(mini_cmocka_fail, 1);
    }
}

static inline void mini_cmocka_eq(intmax_t a, intmax_t b, const char *expr, const char *file,
                                  int line)
{
    if (a != b) {
        printf("# %s:%d: %jd != %jd (%s)\n", file, line, a, b, expr);
        longjmp(mini_cmocka_fail, 1);
    }
}

#define assert_true(c)     mini_cmocka_check(!!(c), #c, __FILE__, __LINE__)
#define assert_false(c)    mini_cmocka_check(!(c), "!(" #c ")", __FILE__, __LINE__)
#define assert_non_null(p) mini_cmocka_check((p) != NULL, #p " != NULL", __FILE__, __LINE__)
#define assert_null(p)     mini_cmocka_check((p) == NULL, #p " == NULL", __FILE__, __LINE__)
#define assert_int_equal(a, b)                                                                     \
    mini_cmocka_eq((intmax_t)(a), (intmax_t)(b), #a " == " #b, __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                                                 \
    mini_cmocka_check((intmax_t)(a) != (intmax_t)(b), #a " != " #b, __FILE__, __LINE__)

/* cmocka's skip(): counted as passed-with-SKIP. */
static int mini_cmocka_skipped;
#define skip()                                                                                     \
    do {                                                                                           \
        mini_cmocka_skipped = 1;                                                                   \
        longjmp(mini_cmocka_fail, 2);                                                              \
    } while (0)

static inline int mini_cmocka_run(const char *group, const struct CMUnitTest *t, size_t n)
{
    volatile int failed = 0;

    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        void *state = NULL;
        volatile int r;

        fflush(stdout);
        mini_cmocka_skipped = 0;
        r = setjmp(mini_cmocka_fail);
        if (r == 0)
            t[i].fn(&state);
        if (r == 2)
            printf("ok %zu # SKIP %s\n", i + 1, t[i].name);
        else if (r == 0)
            printf("ok %zu - %s\n", i + 1, t[i].name);
        else {
            printf("not ok %zu - %s\n", i + 1, t[i].name);
            failed++;
        }
    }
    printf("# %s: %d failed\n", group, failed);
    fflush(stdout);
    return failed;
}

#define cmocka_run_group_tests(t, setup, teardown)                                                 \
    mini_cmocka_run(__FILE__, (t), sizeof(t) / sizeof((t)[0]))

#endif /* LIBEVTCHN_MINI_CMOCKA_H */
