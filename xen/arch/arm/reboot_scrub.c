/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A rebooting domain's RAM is zeroed in bounded chunks, not in one step.
 *
 * The restart runs in a CPU's run loop with interrupts masked (xen/common/sched.c). A
 * domain with 1 GiB of RAM would keep that CPU from its timer, its kicks and every other
 * vCPU for as long as zeroing and cleaning 1 GiB takes. Instead arch_domain_rebuild()
 * pauses the domain and leaves its RAM here; each run loop, on its way back to a guest or
 * before it idles, zeroes and cleans one REBOOT_SCRUB_CHUNK (2 MiB: DC ZVA, then DC CIVAC,
 * because the guest starts with its caches off) and goes on, so between two looks at
 * interrupts and the scheduler a CPU spends at most one chunk here. Several CPUs share
 * the work (each chunk is claimed with one atomic add); the one that completes the last
 * chunk loads the guest image (kernel, ramdisk, DT: sizes fixed by the boot modules, not
 * by the guest) and unpauses the domain.
 */
#include <asm/domain_build.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <xen/domain.h>
#include <xen/lib.h>
#include <public/sched.h>
#include <xen/sched.h>

static uint32_t scrubs_pending; /* domains with chunks left */

void arm_reboot_scrub_start(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);

    domain_pause(d); /* vCPU 0 comes online now, but must not run before its image */
    ad->scrub_next = 0;
    ad->scrub_done = 0;
    __atomic_store_n(&ad->scrub_active, true, __ATOMIC_RELEASE);
    __atomic_fetch_add(&scrubs_pending, 1, __ATOMIC_ACQ_REL);
    /* Idle CPUs sleep in WFI: wake them to help. */
    for (unsigned int cpu = 0; cpu < arm_cpus_online(); cpu++)
        arch_cpu_kick(cpu);
}

static void scrub_finish(struct domain *d)
{
    struct arm_domain *ad = arm_domain(d);
    int rc;

    __atomic_store_n(&ad->scrub_active, false, __ATOMIC_RELEASE);
    __atomic_fetch_sub(&scrubs_pending, 1, __ATOMIC_ACQ_REL);
    rc = arm_reboot_load(d);
    printk("d%u: RAM scrubbed in %lu chunks of %llu KiB%s\n", d->domain_id,
           (unsigned long)((ad->ram_size + REBOOT_SCRUB_CHUNK - 1) / REBOOT_SCRUB_CHUNK),
           REBOOT_SCRUB_CHUNK >> 10, rc == 0 ? "" : ", image did not load: domain ended");
    if (rc != 0) {
        domain_shutdown(d, SHUTDOWN_crash);
        return;
    }
    domain_unpause(d);
}

bool arm_reboot_scrub_step(void)
{
    if (__atomic_load_n(&scrubs_pending, __ATOMIC_ACQUIRE) == 0)
        return false;
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_lookup((domid_t)id);
        struct arm_domain *ad = d != NULL ? arm_domain(d) : NULL;
        uint64_t off, len;

        if (ad == NULL || !__atomic_load_n(&ad->scrub_active, __ATOMIC_ACQUIRE))
            continue;
        off = __atomic_fetch_add(&ad->scrub_next, REBOOT_SCRUB_CHUNK, __ATOMIC_ACQ_REL);
        if (off >= ad->ram_size)
            continue; /* every chunk is claimed; another CPU finishes it */
        len = ad->ram_size - off < REBOOT_SCRUB_CHUNK ? ad->ram_size - off : REBOOT_SCRUB_CHUNK;
        scrub(ad->ram_host + off, len);
        dcache_clean_inval(ad->ram_host + off, len);
        if (__atomic_add_fetch(&ad->scrub_done, len, __ATOMIC_ACQ_REL) == ad->ram_size)
            scrub_finish(d);
        return true;
    }
    return false;
}
