/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TAP output. The plan ("1..N") is printed last, by tap_done(), so it always matches the
 * results printed; a guest that dies midway prints no plan and a harness counts that as a
 * failure. Every area prints a fixed number of results whatever the hypervisor answers
 * (a test whose set-up failed is reported "not ok"), so N is a constant of the suite.
 */
#ifndef GUEST_TAP_H
#define GUEST_TAP_H

#include <stdbool.h>

/* One result; returns cond. The description is printf-formatted. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A skipped test: "ok N - desc # SKIP reason". */
void tap_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A diagnostic line ("# ..."). */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Equality of two longs, printing both on failure. */
bool tap_eq(long got, long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints the plan and "# xtest done: P passed, F failed, S skipped". */
void tap_done(const char *role);
unsigned int tap_failed(void);

#endif
