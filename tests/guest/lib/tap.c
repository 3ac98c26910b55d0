/* SPDX-License-Identifier: Apache-2.0 */
/* TAP output (see tap.h). Only one vCPU reports results at a time. */
#include "tap.h"
#include "libc.h"

static unsigned int seen, failed, skipped;

static void result(bool ok, const char *desc, const char *directive)
{
    seen++;
    if (!ok)
        failed++;
    printf("%sok %u - %s%s\n", ok ? "" : "not ", seen, desc, directive);
}

bool tap_ok(bool cond, const char *fmt, ...)
{
    char desc[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(desc, sizeof(desc), fmt, ap);
    va_end(ap);
    result(cond, desc, "");
    return cond;
}

bool tap_eq(long got, long want, const char *fmt, ...)
{
    char desc[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(desc, sizeof(desc), fmt, ap);
    va_end(ap);
    result(got == want, desc, "");
    if (got != want)
        printf("#   got %ld, want %ld\n", got, want);
    return got == want;
}

void tap_skip(const char *reason, const char *fmt, ...)
{
    char desc[200], dir[100];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(desc, sizeof(desc), fmt, ap);
    va_end(ap);
    snprintf(dir, sizeof(dir), " # SKIP %s", reason);
    skipped++;
    result(true, desc, dir);
}

void tap_diag(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printf("# %s\n", buf);
}

unsigned int tap_failed(void)
{
    return failed;
}

void tap_done(const char *role)
{
    printf("1..%u\n", seen);
    printf("# xtest done: role=%s %u passed, %u failed, %u skipped\n", role,
           seen - failed - skipped, failed, skipped);
}
