/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Register-leak probes (hostile.h): a domain writes values made from its own tag into
 * FP/SIMD, debug and PMU registers, then keeps checking them while other domains run on
 * the same physical CPU with their own values. A hypervisor that switches (or traps) these
 * registers keeps every domain's values to itself; one that does not shows a domain the
 * other's tag, which names the leak.
 *
 * What "kept" means is learnt at set-up, because a hypervisor may legitimately hide a
 * register: one that reads back what was written must go on doing so; one that did not
 * (RAZ/WI, a narrower counter) or trapped (UNDEFINED / #GP) must go on reading the same.
 */
#include "hostile.h"
#include "xtest.h"

static const unsigned int tags[] = {TAG_VICTIM_PING, TAG_VICTIM_ECHO, TAG_HOSTILE};

uint64_t probe_pattern(unsigned int tag, unsigned int cls, unsigned int reg)
{
    /* The tag twice, so a register that keeps only 32 bits still names its writer; below
     * bit 47 and 4-byte aligned, so it is a valid breakpoint address on both arches. */
    return (uint64_t)tag << 36 | (uint64_t)(cls + 1) << 32 | (uint64_t)tag << 20 |
           (uint64_t)(reg + 1) << 16 | (uint64_t)(cls + 1) << 12 | 0xd0cu;
}

unsigned int probe_owner(uint64_t v, unsigned int cls, unsigned int reg)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(tags); i++) {
        uint64_t p = probe_pattern(tags[i], cls, reg);

        if (v == p || (uint32_t)v == (uint32_t)p)
            return tags[i];
    }
    return 0;
}

static void write_own(const struct regprobe *rp, unsigned int c, bool *ok)
{
    uint64_t v[PROBE_REGS];
    unsigned int r;

    for (r = 0; r < PROBE_REGS; r++)
        v[r] = probe_pattern(rp->tag, c, r);
    *ok = arch_probe_write((enum probe_class)c, v);
}

void regprobe_init(struct regprobe *rp, unsigned int tag)
{
    unsigned int c, r;

    memset(rp, 0, sizeof(*rp));
    rp->tag = tag;
    arch_probe_init();
    for (c = 0; c < PROBE_NR; c++) {
        uint64_t v[PROBE_REGS] = {0};
        bool wrote, read;

        write_own(rp, c, &wrote);
        read = arch_probe_read((enum probe_class)c, v);
        for (r = 0; r < PROBE_REGS; r++) {
            rp->real[c][r] = wrote && read && v[r] == probe_pattern(tag, c, r);
            rp->idle[c][r] = read ? v[r] : 0;
        }
        tap_diag("regs %s (tag 0x%x): %s%s; read back %lx %lx %lx %lx", arch_probe_name(c), tag,
                 wrote ? "written" : "write trapped", read ? "" : ", read trapped",
                 (unsigned long)v[0], (unsigned long)v[1], (unsigned long)v[2],
                 (unsigned long)v[3]);
    }
}

void regprobe_check(struct regprobe *rp)
{
    unsigned int c, r;

    rp->checks++;
    for (c = 0; c < PROBE_NR; c++) {
        uint64_t v[PROBE_REGS] = {0};

        if (!arch_probe_read((enum probe_class)c, v))
            memset(v, 0, sizeof(v)); /* trapped: compares with a trapped set-up (0) */
        for (r = 0; r < PROBE_REGS; r++) {
            uint64_t want = rp->real[c][r] ? probe_pattern(rp->tag, c, r) : rp->idle[c][r];
            unsigned int owner = probe_owner(v[r], c, r);

            if (v[r] == want)
                continue;
            if (rp->bad[c]++ == 0)
                rp->first_bad[c] = v[r];
            if (owner != 0 && owner != rp->tag && rp->foreign[c] == 0)
                rp->foreign[c] = owner;
            /* Put our own values back: each later check is a new chance to see a leak. */
            if (rp->real[c][r]) {
                bool ok;

                write_own(rp, c, &ok);
            }
        }
    }
}

void regprobe_report(const struct regprobe *rp, const char *who)
{
    unsigned int c;

    for (c = 0; c < PROBE_NR; c++) {
        unsigned int real = 0, r;

        for (r = 0; r < PROBE_REGS; r++)
            real += rp->real[c][r];
        tap_ok(rp->checks > 0 && rp->bad[c] == 0 && rp->foreign[c] == 0,
               "%s regs: %s kept this domain's values over %u checks, never another's "
               "(%u of %u registers writable here)",
               who, arch_probe_name(c), rp->checks, real, PROBE_REGS);
        if (rp->bad[c] != 0)
            printf("#   %u register reads differed; first value seen %lx%s%x\n", rp->bad[c],
                   (unsigned long)rp->first_bad[c],
                   rp->foreign[c] ? ": another domain's, tag 0x" : ", tag 0x",
                   rp->foreign[c] ? rp->foreign[c] : 0);
    }
}
