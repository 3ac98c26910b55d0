/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Freestanding memory and string routines. The compiler may emit calls to memset and
 * memcpy itself, so the hypervisor must provide them (and keeps them under LTO, which
 * cannot see those late calls: `used`). (Host tests use libc's.)
 */
#include <xen/lib.h>

/*
 * 64-bit words when both pointers are 8-byte aligned (the usual case: frames, pages,
 * structs), bytes otherwise. arm64 hypervisor code is built with -mstrict-align, so an
 * unaligned word access is never emitted. may_alias: these words alias any type.
 */
typedef uint64_t __attribute__((may_alias)) word_t;
typedef uint32_t __attribute__((may_alias)) half_t;

static inline bool both_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (sizeof(word_t) - 1)) == 0;
}

__attribute__((used)) void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    if (both_aligned(p, p) && n >= sizeof(word_t)) {
        word_t w = (unsigned char)c * 0x0101010101010101ull;
        word_t *wp = (word_t *)p;

        for (; n >= 4 * sizeof(word_t); n -= 4 * sizeof(word_t), wp += 4) {
            wp[0] = w;
            wp[1] = w;
            wp[2] = w;
            wp[3] = w;
        }
        for (; n >= sizeof(word_t); n -= sizeof(word_t))
            *wp++ = w;
        p = (unsigned char *)wp;
    }
    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

__attribute__((used)) void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (both_aligned(d, s)) {
        word_t *wd = (word_t *)d;
        const word_t *ws = (const word_t *)s;

        for (; n >= 4 * sizeof(word_t); n -= 4 * sizeof(word_t), wd += 4, ws += 4) {
            word_t a = ws[0], b = ws[1], e = ws[2], f = ws[3];

            wd[0] = a;
            wd[1] = b;
            wd[2] = e;
            wd[3] = f;
        }
        for (; n >= sizeof(word_t); n -= sizeof(word_t))
            *wd++ = *ws++;
        d = (unsigned char *)wd;
        s = (const unsigned char *)ws;
    }
    /* 32-bit words next: most hypercall arguments are a few of them (a port, say). */
    if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(half_t) - 1)) == 0)
        for (; n >= sizeof(half_t); n -= sizeof(half_t), d += sizeof(half_t), s += sizeof(half_t))
            *(half_t *)d = *(const half_t *)s;
    while (n--)
        *d++ = *s++;
    return dst;
}

__attribute__((used)) void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n--; x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x != '\0' && *x == *y) {
        x++;
        y++;
    }
    return *x - *y;
}
