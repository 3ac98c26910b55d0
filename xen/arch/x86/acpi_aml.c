/* SPDX-License-Identifier: Apache-2.0 */
/*
 * \_S5 in AML (asm/acpi_aml.h). Not an AML interpreter: a bounded byte scan for the
 * encoding firmware uses for a constant package, as ACPI defines it:
 *
 *   NameOp 0x08, optionally the root '\' (0x5C) or parent '^' (0x5E) prefixes,
 *   the NameSeg "_S5_", PackageOp 0x12, PkgLength (1 to 4 bytes: the top two bits of the
 *   first say how many follow), NumElements (1 byte), then the elements, here integers:
 *   ZeroOp 0x00, OneOp 0x01, BytePrefix 0x0A + 1 byte, WordPrefix 0x0B + 2,
 *   DWordPrefix 0x0C + 4, QWordPrefix 0x0E + 8 (little-endian).
 *
 * The table is firmware data: every read is checked against len, a candidate that does not
 * parse is skipped (the bytes "_S5_" can appear inside a string), and a sleep type that
 * does not fit the 3-bit SLP_TYP field is refused rather than truncated. A _S5 computed by
 * a method, or one in an SSDT, is not found: the caller then cannot power off by ACPI.
 */
#include <asm/acpi_aml.h>
#include <xen/errno.h>

#define AML_NAME_OP       0x08
#define AML_ROOT_PREFIX   0x5c
#define AML_PARENT_PREFIX 0x5e
#define AML_PACKAGE_OP    0x12
#define AML_ZERO_OP       0x00
#define AML_ONE_OP        0x01
#define AML_BYTE_PREFIX   0x0a
#define AML_WORD_PREFIX   0x0b
#define AML_DWORD_PREFIX  0x0c
#define AML_QWORD_PREFIX  0x0e
#define SLP_TYP_MAX       7

/* One integer constant at aml[*pos]; advances *pos past it. false if it is none. */
static bool read_integer(const uint8_t *aml, size_t len, size_t *pos, uint64_t *value)
{
    size_t p = *pos, size;
    uint64_t v = 0;

    if (p >= len)
        return false;
    switch (aml[p]) {
    case AML_ZERO_OP:
        *value = 0;
        *pos = p + 1;
        return true;
    case AML_ONE_OP:
        *value = 1;
        *pos = p + 1;
        return true;
    case AML_BYTE_PREFIX:
        size = 1;
        break;
    case AML_WORD_PREFIX:
        size = 2;
        break;
    case AML_DWORD_PREFIX:
        size = 4;
        break;
    case AML_QWORD_PREFIX:
        size = 8;
        break;
    default:
        return false;
    }
    if (len - p - 1 < size)
        return false;
    for (size_t i = size; i > 0; i--)
        v = v << 8 | aml[p + i];
    *value = v;
    *pos = p + 1 + size;
    return true;
}

/* Is the NameSeg at aml[at] the name of a NameOp (with at most one prefix before it)? */
static bool named_by_name_op(const uint8_t *aml, size_t at)
{
    if (at >= 1 && aml[at - 1] == AML_NAME_OP)
        return true;
    return at >= 2 && (aml[at - 1] == AML_ROOT_PREFIX || aml[at - 1] == AML_PARENT_PREFIX) &&
           aml[at - 2] == AML_NAME_OP;
}

/* The package after the NameSeg at aml[at]: its first two integers. */
static bool parse_s5_package(const uint8_t *aml, size_t len, size_t at, uint8_t *a, uint8_t *b)
{
    size_t p = at + 4, follow;
    unsigned int elements;
    uint64_t typa, typb = 0;

    if (p >= len || aml[p] != AML_PACKAGE_OP)
        return false;
    p++;
    if (p >= len)
        return false;
    follow = aml[p] >> 6; /* PkgLength bytes after the lead byte */
    if (len - p <= follow + 1)
        return false;
    p += 1 + follow;
    elements = aml[p++];
    if (elements < 1 || !read_integer(aml, len, &p, &typa))
        return false;
    if (elements >= 2 && !read_integer(aml, len, &p, &typb))
        return false;
    if (typa > SLP_TYP_MAX || typb > SLP_TYP_MAX)
        return false;
    *a = (uint8_t)typa;
    *b = (uint8_t)typb;
    return true;
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
    if (aml == NULL)
        return -ENOENT;
    for (size_t i = 0; len >= 4 && i <= len - 4; i++) {
        if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != '5' || aml[i + 3] != '_')
            continue;
        if (named_by_name_op(aml, i) && parse_s5_package(aml, len, i, slp_typa, slp_typb))
            return 0;
    }
    return -ENOENT;
}
