/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A domain's RAM frames and what holds them (xen/common/physmap.c): the pages it gives
 * back (XENMEM_decrease_reservation) and takes again (populate_physmap), and the
 * references other domains' grant mappings hold on them. The port's guest-physical map
 * behind it: <xen/arch_hooks.h>.
 *
 * Each domain's reservation is the RAM it was built with: a frame it gives back stays its
 * own, in a pool only it can take from, so no domain can take memory another needs, and
 * a frame still mapped by another domain is not handed out again until that mapping
 * goes (its reference count).
 */
#ifndef MINIXEN_PHYSMAP_H
#define MINIXEN_PHYSMAP_H

#include <xen/domain.h>

/* Can d's RAM map change at all (the port has frames for it)? */
bool physmap_supported(const struct domain *d);

/* XENMEM_current_reservation / maximum_reservation: frames d holds / may hold. */
uint64_t physmap_tot_pages(struct domain *d);
uint64_t physmap_max_pages(const struct domain *d);

/*
 * Give back the RAM frame d has at gfn (decrease_reservation): unmapped, into d's pool.
 * 0, -ENOENT (no RAM of d's at gfn), -ENOMEM (no memory for the bookkeeping).
 */
int physmap_give_back(struct domain *d, gfn_t gfn);

/*
 * Put a frame from d's pool, zeroed, at gfn (populate_physmap); a RAM frame of d's already
 * there goes back into the pool first, as Xen replaces it. 0, -EBUSY (gfn holds a
 * hypervisor page or a grant mapping), -ENOMEM (pool empty, or every pooled frame still
 * mapped elsewhere), -EINVAL (a gfn the port does not let d populate). A 1:1 domain
 * (arch_domain_direct_mapped) only gets back the frame that was at gfn when it was built.
 */
int physmap_populate(struct domain *d, gfn_t gfn);

/*
 * Put another domain's frame (page) at gfn of d as a grant mapping, read-only or not: over
 * nothing, or over one of d's own RAM frames, which goes into d's pool first (as for
 * populate_physmap); never over a hypervisor page or another grant mapping, whose owners'
 * bookkeeping would go stale (-EBUSY). 0, -EBUSY, -EINVAL (a gfn the port refuses), -ENOMEM.
 */
int physmap_map_grant(struct domain *d, gfn_t gfn, void *page, bool readonly);
/* Remove the grant mapping of page at gfn of d. 0, or -ENOENT if gfn holds anything else. */
int physmap_unmap_grant(struct domain *d, gfn_t gfn, const void *page);

/* Take a frame from the pool without mapping it (increase_reservation). 0 or -ENOMEM. */
int physmap_claim(struct domain *d);

/*
 * The RAM frame d has at gfn, with a reference that keeps it out of d's pool until
 * physmap_put_frame(d, *idx) (a grant mapping in another domain). 0, -ENOENT (no RAM
 * at gfn), -EBUSY (too many references), -ENOMEM.
 */
int physmap_get_frame(struct domain *d, gfn_t gfn, void **page, uint64_t *idx);
void physmap_put_frame(struct domain *d, uint64_t idx);

/*
 * Forget every change: d's port has just mapped all its RAM where it was built (a
 * rebuild), and no reference is held (grant mappings were revoked first).
 */
void physmap_domain_reset(struct domain *d);

#endif
