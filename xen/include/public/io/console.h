/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring: one page shared by a guest (the frontend, e.g. Linux's hvc_xen)
 * and its console backend. Output flows through out[], input through in[]; each side
 * only ever advances its own index (the guest: out_prod, in_cons; the backend: out_cons,
 * in_prod). Indices are free-running 32-bit counters, taken modulo the array size when
 * they address a byte, so prod - cons is the number of bytes waiting. The page's frame
 * and the event channel a side notifies after moving an index are HVM_PARAM_CONSOLE_PFN
 * and HVM_PARAM_CONSOLE_EVTCHN (hvm/params.h). Same layout on every architecture.
 */
#ifndef MINIXEN_PUBLIC_IO_CONSOLE_H
#define MINIXEN_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* An index into one of the arrays: both sizes are powers of two. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/* 3088 bytes; the rest of the page is unused. */
struct xencons_interface {
    char in[1024];  /* backend -> guest */
    char out[2048]; /* guest -> backend */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif
