/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A QEMU TCG plugin for `make bench-peer`: counts every executed instruction per
 * (virtual address, host address) pair and writes the non-zero counts at exit, one line
 * each: "<vaddr hex> <haddr hex> <count>". tools/bench-profile.py turns two such profiles
 * (runs with different iteration counts) into instructions per iteration by function.
 *
 *   qemu-system-aarch64 ... -plugin build/bench/insn_profile.so,out=<file>
 *
 * The host address tells apart code at the same virtual address in different address
 * spaces (the hypervisor's identity map and a guest's). Counting is inline (no callback
 * per instruction) and exact with one vCPU thread; with several, the adds may race.
 *
 * The plugin API's declarations: qemu_plugin_api.h (Debian's QEMU ships no qemu-plugin.h).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

QEMU_PLUGIN_DECLARE_VERSION;

/* ---- Counters: an open-addressed table that never moves (QEMU keeps the pointers) ---- */
#define SLOTS (1u << 21)

struct slot {
    uint64_t vaddr, haddr;
    uint64_t count;
    uint64_t in_use;
};

static struct slot *table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int used;
static char out_path[4096];

static struct slot *slot_for(uint64_t vaddr, uint64_t haddr)
{
    uint64_t h = (vaddr ^ (haddr * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
    unsigned int i, n;

    for (i = (unsigned int)(h >> 40) & (SLOTS - 1), n = 0; n < SLOTS;
         i = (i + 1) & (SLOTS - 1), n++) {
        struct slot *s = &table[i];

        if (s->in_use && s->vaddr == vaddr && s->haddr == haddr)
            return s;
        if (!s->in_use) {
            s->in_use = 1;
            s->vaddr = vaddr;
            s->haddr = haddr;
            used++;
            return s;
        }
    }
    return NULL; /* full: the instruction goes uncounted */
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t i, n = qemu_plugin_tb_n_insns(tb);

    (void)id;
    pthread_mutex_lock(&lock);
    for (i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        struct slot *s = used < SLOTS - SLOTS / 8
                             ? slot_for(qemu_plugin_insn_vaddr(insn),
                                        (uint64_t)(uintptr_t)qemu_plugin_insn_haddr(insn))
                             : NULL;

        if (s != NULL)
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &s->count,
                                                       1);
    }
    pthread_mutex_unlock(&lock);
}

static void at_exit(qemu_plugin_id_t id, void *arg)
{
    FILE *f = fopen(out_path, "w");
    unsigned int i;

    (void)id;
    (void)arg;
    if (f == NULL)
        return;
    for (i = 0; i < SLOTS; i++)
        if (table[i].count != 0)
            fprintf(f, "%llx %llx %llu\n", (unsigned long long)table[i].vaddr,
                    (unsigned long long)table[i].haddr, (unsigned long long)table[i].count);
    fclose(f);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc, char **argv)
{
    int i;

    (void)info;
    for (i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
    if (out_path[0] == 0) {
        fprintf(stderr, "insn_profile: needs out=<file>\n");
        return -1;
    }
    table = calloc(SLOTS, sizeof(*table));
    if (table == NULL)
        return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
