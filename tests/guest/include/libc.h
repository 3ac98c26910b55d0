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

/* A ticket lock for guest-internal data shared between vCPUs. */
struct guest_lock {
    uint32_t next, owner;
};
void guest_lock(struct guest_lock *l);
void guest_unlock(struct guest_lock *l);

#endif
