/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's freestanding C library: strings, formatting and the console. */
#ifndef GUEST_LIBC_H
#define GUEST_LIBC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
unsigned long strtoul(const char *s, const char **end, int base);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One line (or part of one) on the console: console_io, else the arch's UART fallback.
 * printf output from different vCPUs never interleaves within one call. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
bool console_uses_fallback(void);

/* (a * b) >> 32 without overflow, where the result fits 64 bits (a pvclock or timer scale:
 * b is a 32.32 or 0.32 fixed-point factor). No 128-bit type: i386 has none. */
static inline uint64_t mul_shr32(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;

    /* Each partial product is below 2^64; their sum is the result, which fits. */
    return (ah * bh << 32) + ah * bl + al * bh + (al * bl >> 32);
}

/* A ticket lock for guest-internal data shared between vCPUs. */
struct guest_lock {
    uint32_t next, owner;
};
void guest_lock(struct guest_lock *l);
void guest_unlock(struct guest_lock *l);

#endif
