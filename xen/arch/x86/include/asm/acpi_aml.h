/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one thing the hypervisor reads from ACPI's AML byte code: \_S5's sleep types
 * (xen/arch/x86/acpi_aml.c). Plain bytes in, no hardware access, so the host tests run it.
 */
#ifndef MINIXEN_X86_ASM_ACPI_AML_H
#define MINIXEN_X86_ASM_ACPI_AML_H

#include <xen/types.h>

/*
 * Find the package Name(_S5_, Package() { SLP_TYPa, SLP_TYPb, ... }) in the AML of a DSDT
 * (the table's body, after its header) and return its first two integers, each 0..7 (the
 * PM1 control registers' SLP_TYP field; a missing second one is 0). 0, or -ENOENT when
 * there is no such package or it is not plain integer constants.
 */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

#endif
