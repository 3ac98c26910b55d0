/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A QEMU TCG plugin for `make bench-linux` (tools/bench-linux-boot.sh): counts every
 * executed instruction from the machine's reset and, the first time a marked instruction
 * executes, logs how many instructions ran before it, how many of those were the
 * hypervisor's (its code's address ranges, given), and how many times the CPU had gone
 * idle (WFI with nothing pending) by then:
 *
 *   boot_marks: mark NAME insns=N hv=H idle=K
 *
 * on QEMU's log (-d plugin -D FILE), in order with any trace events enabled there (the
 * benchmark enables arm_gt_cntvoff_write, so the log also says which CNTVOFF_EL2 was in
 * force at each mark). At exit: "boot_marks: exit insns=N hv=H idle=K".
 *
 *   -plugin boot_marks.so,mark=NAME/ADDR/WORD0[/WORD1][,mark=...][,hv=LO-HI...]
 *
 * A mark is an instruction whose 32-bit encoding is WORD0 at virtual address ADDR (hex),
 * or at any address with ADDR "any"; WORD1, if given, must be the encoding of the next
 * instruction whenever the translation block holds it (a kernel's first two words, say).
 * Both hypervisors and the kernel run other code at low addresses only in their own
 * identity maps, so address and encoding together name one instruction of one program.
 * hv=LO-HI (hex, HI exclusive; up to 4) are the virtual addresses of the hypervisor's code:
 * an instruction there counts as the hypervisor's (both hypervisors run at EL2 in a space
 * of their own, where no guest code is).
 *
 * Exact with one vCPU (the counter is a plain inline add; -smp 1 only). Under
 * -icount shift=0,sleep=off QEMU's virtual clock advances 1 ns per instruction and jumps
 * ahead only while the CPU is idle, so with idle=0 a mark's instruction count is also its
 * virtual time in ns (up to QEMU's accounting of instructions that trap, which the
 * benchmark measures against the counter at /init).
 *
 * The plugin API's declarations: qemu_plugin_api.h (Debian's QEMU ships no qemu-plugin.h).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

QEMU_PLUGIN_DECLARE_VERSION;

#define MAX_MARKS  4
#define MAX_RANGES 4
#define ANY_ADDR   UINT64_MAX

struct mark {
    char name[32];
    uint64_t addr; /* ANY_ADDR: any */
    uint32_t word0, word1;
    int has_word1, hit;
};

static struct mark marks[MAX_MARKS];
static int n_marks;
static struct {
    uint64_t lo, hi;
} hv_ranges[MAX_RANGES];
static int n_ranges;
/* Executed instructions (inline adds, one vCPU): the hypervisor's and the rest; idle
 * entries so far. */
static uint64_t hv_insns, other_insns, idles;

static uint32_t insn_word(const struct qemu_plugin_insn *insn)
{
    uint32_t w = 0;

    /* Every A64 instruction is 4 bytes; anything else (none on arm64) matches no mark. */
    if (qemu_plugin_insn_size(insn) == sizeof(w))
        memcpy(&w, qemu_plugin_insn_data(insn), sizeof(w));
    return w;
}

static void say(const char *what)
{
    char line[160];

    snprintf(line, sizeof(line),
             "boot_marks: %s insns=%" PRIu64 " hv=%" PRIu64 " idle=%" PRIu64 "\n", what,
             hv_insns + other_insns, hv_insns, idles);
    qemu_plugin_outs(line);
}

static int is_hv(uint64_t vaddr)
{
    int i;

    for (i = 0; i < n_ranges; i++)
        if (vaddr >= hv_ranges[i].lo && vaddr < hv_ranges[i].hi)
            return 1;
    return 0;
}

static void mark_hit(unsigned int vcpu, void *udata)
{
    struct mark *m = udata;
    char what[48];

    (void)vcpu;
    if (m->hit)
        return; /* a later translation of the same code */
    m->hit = 1;
    snprintf(what, sizeof(what), "mark %s", m->name);
    /* The exec callback runs before this instruction's own inline add: the counts are of
     * those before it. */
    say(what);
}

static int matches(const struct mark *m, const struct qemu_plugin_tb *tb, size_t i)
{
    const struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

    if (m->hit || insn_word(insn) != m->word0)
        return 0;
    if (m->addr != ANY_ADDR && qemu_plugin_insn_vaddr(insn) != m->addr)
        return 0;
    if (m->has_word1 && i + 1 < qemu_plugin_tb_n_insns(tb) &&
        insn_word(qemu_plugin_tb_get_insn(tb, i + 1)) != m->word1)
        return 0;
    return 1;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t i, n = qemu_plugin_tb_n_insns(tb);
    int j;

    (void)id;
    for (i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

        /* The callback first, so that it sees the count of the instructions before. */
        for (j = 0; j < n_marks; j++)
            if (matches(&marks[j], tb, i))
                qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_hit, QEMU_PLUGIN_CB_NO_REGS,
                                                       &marks[j]);
        qemu_plugin_register_vcpu_insn_exec_inline(
            insn, QEMU_PLUGIN_INLINE_ADD_U64,
            is_hv(qemu_plugin_insn_vaddr(insn)) ? &hv_insns : &other_insns, 1);
    }
}

static void vcpu_idle(qemu_plugin_id_t id, unsigned int vcpu)
{
    (void)id;
    (void)vcpu;
    idles++;
}

static void at_exit(qemu_plugin_id_t id, void *arg)
{
    (void)id;
    (void)arg;
    say("exit");
}

/* NAME/ADDR/WORD0[/WORD1] */
static int parse_mark(const char *spec)
{
    struct mark *m = &marks[n_marks];
    char buf[128], *name, *addr, *w0, *w1, *end;

    if (n_marks == MAX_MARKS || snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
        return -1;
    name = strtok(buf, "/");
    addr = strtok(NULL, "/");
    w0 = strtok(NULL, "/");
    w1 = strtok(NULL, "/");
    if (name == NULL || addr == NULL || w0 == NULL || strlen(name) >= sizeof(m->name))
        return -1;
    strcpy(m->name, name);
    if (strcmp(addr, "any") == 0) {
        m->addr = ANY_ADDR;
    } else {
        m->addr = strtoull(addr, &end, 16);
        if (*end != 0)
            return -1;
    }
    m->word0 = (uint32_t)strtoul(w0, &end, 16);
    if (*end != 0)
        return -1;
    if (w1 != NULL) {
        m->word1 = (uint32_t)strtoul(w1, &end, 16);
        if (*end != 0)
            return -1;
        m->has_word1 = 1;
    }
    n_marks++;
    return 0;
}

/* LO-HI */
static int parse_range(const char *spec)
{
    char *end;

    if (n_ranges == MAX_RANGES)
        return -1;
    hv_ranges[n_ranges].lo = strtoull(spec, &end, 16);
    if (*end != '-')
        return -1;
    hv_ranges[n_ranges].hi = strtoull(end + 1, &end, 16);
    if (*end != 0 || hv_ranges[n_ranges].hi <= hv_ranges[n_ranges].lo)
        return -1;
    n_ranges++;
    return 0;
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc, char **argv)
{
    int i;

    (void)info;
    for (i = 0; i < argc; i++) {
        int bad = strncmp(argv[i], "mark=", 5) == 0 ? parse_mark(argv[i] + 5)
                  : strncmp(argv[i], "hv=", 3) == 0 ? parse_range(argv[i] + 3)
                                                    : -1;

        if (bad) {
            fprintf(stderr,
                    "boot_marks: bad argument '%s' (mark=NAME/ADDR/WORD0[/WORD1], hv=LO-HI)\n",
                    argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_vcpu_idle_cb(id, vcpu_idle);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
