/* SPDX-License-Identifier: Apache-2.0 */
/* Freestanding library routines: strings, memory, formatted console output. */
#ifndef MINIXEN_LIB_H
#define MINIXEN_LIB_H

#include <stdarg.h>
#include <xen/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* %d %i %u %x %lx %llx %zu %s %c %p %% with width, '0' and '-' flags; always terminates. */
int xen_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int xen_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A function no guest's hot path calls (set-up, teardown, the rare ops beside a hot one):
 * optimised for size and kept out of its hot callers even where they are built for speed.
 */
#define COLD          __attribute__((cold))
/*
 * Placement by hand on the hot paths, where LTO's own choice costs instructions: a rare
 * branch's body kept out of its caller's frame (NOINLINE), or a helper shared by two
 * callers folded into each with their constants (ALWAYS_INLINE).
 */
#define NOINLINE      __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Formatted output to the hypervisor console (through arch_console_write). */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print and stop this CPU for good (xen/common/panic.c, through arch_halt). */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
