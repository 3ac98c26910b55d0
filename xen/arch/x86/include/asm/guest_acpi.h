/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACPI tables a PVH domain is given (guest_acpi.c), as Xen's toolstack gives a PVH
 * domU and as Xen gives its PVH dom0 (from the host's): without a MADT, Linux finds "no
 * SMP configuration", skips its per-CPU clock event set-up (neither the Xen timer nor the
 * local APIC's) and is left with the PIT, which nothing emulates: no timer interrupt ever,
 * so the first sleep never ends.
 */
#ifndef MINIXEN_X86_ASM_GUEST_ACPI_H
#define MINIXEN_X86_ASM_GUEST_ACPI_H

#include <xen/types.h>

/* One page holds them all: RSDP, XSDT, FADT, DSDT, and a MADT of up to this many vCPUs. */
#define GUEST_ACPI_MAX_VCPUS 128

/*
 * Write the tables into page (4 KiB), which the guest sees at guest-physical gpa: RSDP
 * (revision 2, at the page's start: what hvm_start_info.rsdp_paddr points to), XSDT
 * listing FADT and MADT, a hardware-reduced FADT (no legacy PM blocks or SCI: nothing
 * emulates them) pointing at an empty DSDT, and a MADT with one enabled local APIC per
 * vCPU (APIC ID = vCPU id, as the virtual LAPIC reports) and no I/O APIC. Every checksum
 * is set. -EINVAL if nr_vcpus is 0 or above GUEST_ACPI_MAX_VCPUS, or gpa not page-aligned
 * or not below 4 GiB (the FADT's 32-bit DSDT field and the RSDP's RSDT field).
 */
int guest_acpi_build(uint8_t *page, uint64_t gpa, unsigned int nr_vcpus);

#endif
