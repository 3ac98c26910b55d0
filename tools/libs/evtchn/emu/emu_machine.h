/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The broker's emulated machine: its domains as the emu arch layer (emu_arch.c) and the
 * broker (emu_broker.c) share them. Only the broker process uses this; clients see a
 * domain through its shared memory alone (emu_proto.h).
 *
 * Guest-physical map of every emulated domain (one vCPU, no paging: addresses are
 * guest-physical):
 *   EMU_SCRATCH_GFN        a page private to the broker: the arguments of the hypercalls
 *                          it makes for the domain's processes (no client can change them
 *                          while the core reads them)
 *   EMU_RAM_GFN + i        page i of the shared memory, i >= EMU_SHM_FIFO_CONTROL (page 0
 *                          is shared_info, a hypervisor page, not RAM)
 */
#ifndef MINIXEN_EVTCHN_EMU_MACHINE_H
#define MINIXEN_EVTCHN_EMU_MACHINE_H

#include <xen/domain.h>

#include "emu_proto.h"

#define EMU_RAM_GFN     0x40000ull
#define EMU_SCRATCH_GFN (EMU_RAM_GFN - 1)

struct emu_domain {
    struct domain *d;
    int shm_fd;          /* memfd the clients map */
    uint8_t *shm;        /* EMU_SHM_PAGES pages, mapped shared */
    uint8_t *scratch;    /* EMU_SCRATCH_GFN's page */
    void *own_shinfo;    /* the page domain_create allocated, kept for its destruction */
    bool upcall;         /* an upcall was raised since the guest side last ran */
    uint32_t fifo_pages; /* event array pages handed to the hypervisor */
    uint32_t fifo_head[EVTCHN_FIFO_MAX_QUEUES]; /* the guest's own queue heads (FIFO) */
    uint32_t nr_ports;                          /* entries in owner[] */
    uint32_t *owner;                            /* per port: the handle that bound it (0: none) */
};

/* domain id -> its emulated domain (NULL: not created yet). */
extern struct emu_domain *emu_domains[MAX_DOMAINS];

/* Give d (just made by domain_create) its shared memory. 0 or -errno. */
int emu_arch_domain_attach(struct emu_domain *ed, struct domain *d);

/*
 * Issue EVTCHNOP cmd as the domain's vCPU 0, arguments (size bytes, at most a page)
 * copied through the scratch page, -ERESTART re-issued. The hypercall's result.
 */
long emu_hypercall(struct emu_domain *ed, int cmd, void *arg, size_t size);

/* Where the broker's console output goes (-1: nowhere). */
extern int emu_console_fd;

#endif /* MINIXEN_EVTCHN_EMU_MACHINE_H */
