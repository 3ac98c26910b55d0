/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACPI tables of a PVH domain (see <asm/guest_acpi.h>). Layouts are the ACPI
 * specification's (6.x): every table a 36-byte header, then its fields at fixed offsets,
 * little-endian; the byte sum of a table (and of the RSDP's first 20 bytes, and all 36 of
 * it) must be 0.
 */
#include <asm/guest_acpi.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define PAGE_BYTES 4096u

/* Where each table sits in the page. */
#define OFF_RSDP 0u
#define OFF_XSDT 64u
#define OFF_FADT 128u
#define OFF_DSDT 448u
#define OFF_MADT 512u

#define RSDP_LEN      36u
#define HDR_LEN       36u
#define XSDT_LEN      (HDR_LEN + 2u * 8u)
#define FADT_LEN      276u /* revision 6 */
#define DSDT_LEN      HDR_LEN
#define MADT_LEN(n)   (HDR_LEN + 8u + 8u * (n))
#define LAPIC_ADDRESS 0xfee00000u

/* FADT fields (offsets into the table). */
#define FADT_DSDT          40u
#define FADT_IAPC_BOOT     109u
#define FADT_FLAGS         112u
#define FADT_MINOR_VERSION 131u
#define FADT_X_DSDT        140u
#define IAPC_NO_VGA        (1u << 2)
#define IAPC_NO_MSI        0u /* MSIs: nothing to say, no PCI */
#define FLAG_HW_REDUCED    (1u << 20)

BUILD_BUG_ON(OFF_XSDT < OFF_RSDP + RSDP_LEN);
BUILD_BUG_ON(OFF_FADT < OFF_XSDT + XSDT_LEN);
BUILD_BUG_ON(OFF_DSDT < OFF_FADT + FADT_LEN);
BUILD_BUG_ON(OFF_MADT < OFF_DSDT + DSDT_LEN);
BUILD_BUG_ON(OFF_MADT + MADT_LEN(GUEST_ACPI_MAX_VCPUS) > PAGE_BYTES);

static void put(uint8_t *p, unsigned int n, uint64_t v)
{
    for (unsigned int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint8_t sum(const uint8_t *p, unsigned int n)
{
    uint8_t s = 0;

    for (unsigned int i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

/* A table header; its checksum is set by finish() once the body is written. */
static void header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
    memcpy(t, sig, 4);
    put(t + 4, 4, len);
    t[8] = rev;
    memcpy(t + 10, "MINIXN", 6);   /* OEM ID */
    memcpy(t + 16, "MINIXEN ", 8); /* OEM table ID */
    put(t + 24, 4, 1);             /* OEM revision */
    memcpy(t + 28, "MNXN", 4);     /* creator ID */
    put(t + 32, 4, 1);             /* creator revision */
}

static void finish(uint8_t *t, uint32_t len)
{
    t[9] = 0;
    t[9] = (uint8_t)-sum(t, len);
}

int guest_acpi_build(uint8_t *page, uint64_t gpa, unsigned int nr_vcpus)
{
    uint8_t *rsdp = page + OFF_RSDP, *xsdt = page + OFF_XSDT, *fadt = page + OFF_FADT;
    uint8_t *dsdt = page + OFF_DSDT, *madt = page + OFF_MADT;

    if (nr_vcpus == 0 || nr_vcpus > GUEST_ACPI_MAX_VCPUS || (gpa & (PAGE_BYTES - 1)) != 0 ||
        gpa >= (1ull << 32))
        return -EINVAL;
    memset(page, 0, PAGE_BYTES);

    header(dsdt, "DSDT", DSDT_LEN, 2); /* no AML: an empty definition block */
    finish(dsdt, DSDT_LEN);

    header(madt, "APIC", MADT_LEN(nr_vcpus), 4);
    put(madt + 36, 4, LAPIC_ADDRESS);
    put(madt + 40, 4, 0); /* no PCAT_COMPAT: there are no 8259s */
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        uint8_t *e = madt + HDR_LEN + 8 + 8 * i;

        e[0] = 0; /* processor local APIC */
        e[1] = 8;
        e[2] = (uint8_t)i; /* ACPI processor UID */
        e[3] = (uint8_t)i; /* APIC ID: the vCPU id, as vlapic.c reports it */
        put(e + 4, 4, 1);  /* enabled */
    }
    finish(madt, MADT_LEN(nr_vcpus));

    header(fadt, "FACP", FADT_LEN, 6);
    put(fadt + FADT_DSDT, 4, gpa + OFF_DSDT);
    put(fadt + FADT_IAPC_BOOT, 2, IAPC_NO_VGA | IAPC_NO_MSI);
    put(fadt + FADT_FLAGS, 4, FLAG_HW_REDUCED);
    fadt[FADT_MINOR_VERSION] = 3;
    put(fadt + FADT_X_DSDT, 8, gpa + OFF_DSDT);
    finish(fadt, FADT_LEN);

    header(xsdt, "XSDT", XSDT_LEN, 1);
    put(xsdt + HDR_LEN, 8, gpa + OFF_FADT);
    put(xsdt + HDR_LEN + 8, 8, gpa + OFF_MADT);
    finish(xsdt, XSDT_LEN);

    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "MINIXN", 6);
    rsdp[15] = 2;         /* revision: XSDT */
    put(rsdp + 16, 4, 0); /* no RSDT */
    put(rsdp + 20, 4, RSDP_LEN);
    put(rsdp + 24, 8, gpa + OFF_XSDT);
    rsdp[8] = (uint8_t)-sum(rsdp, 20);
    rsdp[32] = (uint8_t)-sum(rsdp, RSDP_LEN);
    return 0;
}
