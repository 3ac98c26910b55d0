/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance suite's shared state and the areas it runs. Configuration comes from
 * /chosen/bootargs (see tests/guest/README.md); the areas are arch neutral.
 */
#ifndef GUEST_XTEST_H
#define GUEST_XTEST_H

#include "events.h"
#include "hcall.h"
#include "libc.h"
#include "tap.h"

#define WAIT_MS 2000 /* how long any expected event may take (TCG on a loaded host) */

struct xtest {
    char role[16];
    domid_t self; /* learnt from an unbound port's status */
    bool have_peer;
    domid_t peer;             /* peer=<domid> */
    evtchn_port_t sport;      /* sport=: my end of the static echo channel */
    evtchn_port_t pport;      /* pport=: the peer's end of it */
    evtchn_port_t sctl;       /* sctl=: my end of the static control channel */
    evtchn_port_t pctl;       /* pctl=: the peer's end */
    bool peer_3l;             /* pabi=3l: the peer switches to 3-level, not FIFO (both read it) */
    unsigned int nr_cpus;     /* vCPUs the DT describes */
    unsigned int cpus_up;     /* vCPUs running guest_secondary_main */
    unsigned int bench_iters; /* iters=: benchmark repetitions */
    char end[16];             /* end=: poweroff (default), reboot, crash, idle */
};

extern struct xtest xt;

/* The ABI the peer switches to on command 1 (pabi=), as the TAP names it. */
static inline const char *peer_abi_name(void)
{
    return xt.peer_3l ? "3-level" : "FIFO";
}

/* Run fn(arg) on vCPU `cpu` (a secondary) and wait for it; false on time-out. */
bool run_on(unsigned int cpu, void (*fn)(void *), void *arg, unsigned int ms);
/* Post fn(arg) to run on `cpu` after `delay_ms`, without waiting for it. */
bool post_on(unsigned int cpu, void (*fn)(void *), void *arg, unsigned int delay_ms);
bool posted_done(unsigned int cpu);
void posted_diag(unsigned int cpu); /* a diagnostic line: is that vCPU still looking? */
bool posted_done_cond(void *cpu);   /* for ev_wait: (void *)cpu */

/* Expect `rc`, a -XEN_E* value, and name it in the description. */
bool expect_rc(long rc, long want, const char *what);
const char *xen_errname(long rc);
/* A skip for a minixen addition Xen does not have. */
#define SKIP_ENOSYS "not supported by this hypervisor (ENOSYS)"

/* The peer protocol (interdomain.c): ping until the peer echoes; n echo round trips;
 * one control command acknowledged (1st: peer switches to FIFO; 2nd: peer stops). */
bool peer_ready(void);
bool peer_echoes(evtchn_port_t port, unsigned int n);
bool peer_command(uint32_t *acks);
bool peer_stop(evtchn_port_t dom_exc_port); /* true once VIRQ_DOM_EXC arrived */
/* Two results: sport and sctl are bound to the peer's pport and pctl (both roles). */
void check_static_channels(void);

/* Areas, in the order guest_main runs them. */
void area_wallclock(void); /* also in role=peer */
void area_ops(void);
void area_grant(void);      /* suite/grant.c */
void area_grant_map(void);  /* ... after area_interdomain: the peer is up */
void grant_offer(void);     /* role=peer, before it echoes */
void area_memory(void);     /* suite/memory.c, role=peer */
void area_pv_console(void); /* suite/pv_console.c, role=peer */
/* The same ring without TAP (role=reboot): true if there is one and it took the line. */
bool pv_console_line(const char *line);
void area_2l(void);
void area_ipi_virq(void);
void area_block_poll(void);
void area_interdomain(void);
void area_fifo(void);
void area_3l(void);
void area_limits(void);
void role_peer(void);
void role_bench(void);
void role_demo(void);   /* suite/demo.c: `make run` */
void role_reboot(void); /* suite/reboot.c: restarts its domain (reboot-test.sh) */
/* suite/end.c: after the end marker, end as the end= bootarg says. */
void guest_end(void) __attribute__((noreturn));

#endif
