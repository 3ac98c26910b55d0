/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Basic types for hypervisor-internal code. Only compiler-provided freestanding headers
 * and the public guest ABI: this builds the same in the hypervisor and in host tests.
 */
#ifndef MINIXEN_TYPES_H
#define MINIXEN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/event_channel.h>

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1u << PAGE_SHIFT)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

/* A guest-physical address, and a guest frame number. */
typedef uint64_t gpaddr_t;
typedef uint64_t gfn_t;

#endif
