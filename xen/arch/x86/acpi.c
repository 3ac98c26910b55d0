/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACPI, only as far as a hypervisor needs it: find the RSDP (the Multiboot2 loader's copy,
 * else the BIOS areas), then through the XSDT or RSDT the MADT, for the processors' APIC
 * ids, the local APIC and the first I/O APIC, and the ISA interrupt overrides; and the
 * FADT, for the CMOS RTC (its century register, or that it has none) and, with the
 * DSDT's \_S5, for powering the machine off and resetting it (power.c).
 * Tables are firmware data, read through the identity map; every length and checksum is
 * checked before a table is believed, and every walk is bounded by it.
 */
#include <asm/acpi_aml.h>
#include <asm/platform.h>
#include <xen/errno.h>
#include <xen/lib.h>

#define TABLE_MAX_LEN (1u << 20)

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt;
    /* ACPI 2.0+ */
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_revision, creator_id, creator_revision;
} __attribute__((packed));

#define MADT_LAPIC           0
#define MADT_IOAPIC          1
#define MADT_SOURCE_OVERRIDE 2
#define MADT_LAPIC_OVERRIDE  5
#define MADT_LAPIC_ENABLED   (1u << 0)

/* FADT field offsets (ACPI 6.x, table 5.9, past the 36-byte header); older, shorter FADTs
 * lack the later ones. */
#define FADT_DSDT             40
#define FADT_SMI_CMD          48
#define FADT_ACPI_ENABLE      52
#define FADT_PM1A_CNT         64
#define FADT_PM1B_CNT         68
#define FADT_CENTURY          108 /* 1 byte: CMOS index of the century, 0 if none */
#define FADT_IAPC_BOOT_ARCH   109 /* 2 bytes, ACPI 2.0+; reserved (0) before */
#define FADT_FLAGS            112
#define FADT_RESET_REG        116 /* a Generic Address Structure: 12 bytes */
#define FADT_RESET_VALUE      128
#define FADT_X_DSDT           140
#define FADT_X_PM1A_CNT       172
#define FADT_X_PM1B_CNT       184
#define BOOT_ARCH_NO_CMOS_RTC (1u << 5)
#define FADT_RESET_REG_SUP    (1u << 10)
#define GAS_SIZE              12

static uint8_t sum_bytes(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    for (size_t i = 0; i < len; i++)
        s += b[i];
    return s;
}

static bool rsdp_valid(const struct rsdp *r)
{
    return memcmp(r->signature, "RSD PTR ", 8) == 0 && sum_bytes(r, 20) == 0;
}

/* The BIOS puts the RSDP on a 16-byte boundary in the EBDA's first KiB or 0xe0000-0xfffff. */
static paddr_t rsdp_scan(void)
{
    paddr_t ebda = (paddr_t) * (const uint16_t *)phys_to_virt(0x40e) << 4;
    const paddr_t area[2][2] = {{ebda, ebda + 1024}, {0xe0000, 0x100000}};

    for (unsigned int a = 0; a < 2; a++) {
        if (area[a][0] < 0x80000 && a == 0)
            continue; /* no plausible EBDA */
        for (paddr_t p = area[a][0]; p + sizeof(struct rsdp) <= area[a][1]; p += 16)
            if (rsdp_valid(phys_to_virt(p)))
                return p;
    }
    return 0;
}

static const struct sdt_header *table_at(paddr_t pa, const char *sig)
{
    const struct sdt_header *h = phys_to_virt(pa);

    if (pa == 0 || pa + sizeof(*h) > (1ull << 32) || memcmp(h->signature, sig, 4) != 0)
        return NULL;
    if (h->length < sizeof(*h) || h->length > TABLE_MAX_LEN || pa + h->length > (1ull << 32) ||
        sum_bytes(h, h->length) != 0)
        return NULL;
    return h;
}

static const struct sdt_header *find_table(const struct platform *p, const struct rsdp *r,
                                           const char *sig)
{
    bool x = p->acpi_rev >= 2;
    const struct sdt_header *root = x ? table_at(r->xsdt, "XSDT") : table_at(r->rsdt, "RSDT");
    size_t entry = x ? 8 : 4;

    if (root == NULL)
        return NULL;
    for (size_t off = sizeof(*root); off + entry <= root->length; off += entry) {
        const uint8_t *e = (const uint8_t *)root + off;
        uint64_t pa =
            x ? (uint64_t)e[0] | (uint64_t)e[1] << 8 | (uint64_t)e[2] << 16 | (uint64_t)e[3] << 24 |
                    (uint64_t)e[4] << 32 | (uint64_t)e[5] << 40 | (uint64_t)e[6] << 48 |
                    (uint64_t)e[7] << 56
              : (uint64_t)e[0] | (uint64_t)e[1] << 8 | (uint64_t)e[2] << 16 | (uint64_t)e[3] << 24;
        const struct sdt_header *t = table_at(pa, sig);

        if (t != NULL)
            return t;
    }
    return NULL;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Does the table have the field [off, off + size)? */
static bool has_field(const struct sdt_header *t, uint32_t off, uint32_t size)
{
    return t->length >= off + size;
}

/*
 * A PM1 control block: the 64-bit GAS of ACPI 2.0+ when it names an I/O port (it
 * supersedes the old field), else the 32-bit port field. 0: none.
 */
static uint16_t pm1_cnt_port(const struct sdt_header *fadt, uint32_t legacy, uint32_t gas)
{
    const uint8_t *f = (const uint8_t *)fadt;

    if (has_field(fadt, gas, GAS_SIZE) && f[gas] == ACPI_GAS_IO && rd64(f + gas + 4) != 0 &&
        rd64(f + gas + 4) <= 0xffff)
        return (uint16_t)rd64(f + gas + 4);
    if (has_field(fadt, legacy, 4) && rd32(f + legacy) <= 0xffff)
        return (uint16_t)rd32(f + legacy);
    return 0;
}

/* The DSDT (X_DSDT when there is one) and its \_S5 package. */
static void find_s5(struct acpi_power *pw, const struct sdt_header *fadt)
{
    const uint8_t *f = (const uint8_t *)fadt;
    uint64_t pa = has_field(fadt, FADT_X_DSDT, 8) ? rd64(f + FADT_X_DSDT) : 0;
    const struct sdt_header *dsdt;

    if (pa == 0 && has_field(fadt, FADT_DSDT, 4))
        pa = rd32(f + FADT_DSDT);
    if (pa >= (1ull << 32))
        return; /* outside the identity map */
    dsdt = table_at(pa, "DSDT");
    if (dsdt == NULL)
        return;
    pw->have_s5 = acpi_aml_find_s5((const uint8_t *)dsdt + sizeof(*dsdt),
                                   dsdt->length - sizeof(*dsdt), &pw->slp_typa, &pw->slp_typb) == 0;
}

/* The reset register, if the FADT says it works and it is one we know how to write. */
static void find_reset_reg(struct acpi_power *pw, const struct sdt_header *fadt)
{
    const uint8_t *f = (const uint8_t *)fadt;
    const uint8_t *gas = f + FADT_RESET_REG;
    uint64_t addr;

    if (!has_field(fadt, FADT_RESET_VALUE, 1) || !(rd32(f + FADT_FLAGS) & FADT_RESET_REG_SUP))
        return;
    addr = rd64(gas + 4);
    /* ACPI: an 8-bit register at bit offset 0. Memory must be in the identity map. */
    if (addr == 0 || gas[1] != 8 || gas[2] != 0 || (gas[0] == ACPI_GAS_IO && addr > 0xffff) ||
        (gas[0] == ACPI_GAS_MEMORY && addr >= (1ull << 32)) ||
        (gas[0] != ACPI_GAS_IO && gas[0] != ACPI_GAS_MEMORY && gas[0] != ACPI_GAS_PCI))
        return;
    pw->have_reset_reg = true;
    pw->reset_space = gas[0];
    pw->reset_addr = addr;
    pw->reset_value = f[FADT_RESET_VALUE];
}

static void parse_fadt_power(struct acpi_power *pw, const struct sdt_header *fadt)
{
    const uint8_t *f = (const uint8_t *)fadt;

    pw->have_fadt = true;
    pw->pm1a_cnt = pm1_cnt_port(fadt, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
    pw->pm1b_cnt = pm1_cnt_port(fadt, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
    if (has_field(fadt, FADT_ACPI_ENABLE, 1) && rd32(f + FADT_SMI_CMD) <= 0xffff) {
        pw->smi_cmd = (uint16_t)rd32(f + FADT_SMI_CMD);
        pw->acpi_enable = f[FADT_ACPI_ENABLE];
    }
    find_s5(pw, fadt);
    find_reset_reg(pw, fadt);
}

static void parse_madt(struct platform *p, const struct sdt_header *madt)
{
    const uint8_t *base = (const uint8_t *)madt;
    uint32_t off = sizeof(*madt) + 8; /* local APIC address, flags */

    p->lapic = rd32(base + sizeof(*madt));
    while (off + 2 <= madt->length) {
        const uint8_t *e = base + off;
        uint8_t type = e[0], len = e[1];

        if (len < 2 || off + len > madt->length)
            break;
        if (type == MADT_LAPIC && len >= 8 && (rd32(e + 4) & MADT_LAPIC_ENABLED)) {
            if (p->nr_cpus < MAX_MADT_CPUS)
                p->apic_id[p->nr_cpus++] = e[3];
        } else if (type == MADT_IOAPIC && len >= 12 && p->ioapic == 0) {
            p->ioapic = rd32(e + 4);
            p->ioapic_gsi_base = rd32(e + 8);
        } else if (type == MADT_SOURCE_OVERRIDE && len >= 10 && e[2] == 0 && e[3] < 16) {
            p->isa_gsi[e[3]] = rd32(e + 4);
        } else if (type == MADT_LAPIC_OVERRIDE && len >= 12) {
            p->lapic = (uint64_t)rd32(e + 4) | (uint64_t)rd32(e + 8) << 32;
        }
        off += len;
    }
}

/*
 * The RTC's facts, and how to power off and reset; a FADT too short to hold a field
 * leaves its default (0, false).
 */
static void parse_fadt(struct platform *p, const struct sdt_header *fadt)
{
    const uint8_t *base = (const uint8_t *)fadt;

    if (fadt->length > FADT_CENTURY)
        p->rtc_century = base[FADT_CENTURY];
    if (fadt->length >= FADT_IAPC_BOOT_ARCH + 2)
        p->no_cmos_rtc = ((base[FADT_IAPC_BOOT_ARCH] | base[FADT_IAPC_BOOT_ARCH + 1] << 8) &
                          BOOT_ARCH_NO_CMOS_RTC) != 0;
    if (has_field(fadt, FADT_PM1B_CNT, 4))
        parse_fadt_power(&p->power, fadt);
}

int acpi_init(struct platform *p, const struct boot_info *bi)
{
    const struct rsdp *r;
    const struct sdt_header *madt, *fadt;

    memset(p, 0, sizeof(*p));
    for (unsigned int i = 0; i < 16; i++)
        p->isa_gsi[i] = i;
    if (bi->have_rsdp && rsdp_valid((const struct rsdp *)bi->rsdp)) {
        r = (const struct rsdp *)bi->rsdp;
        p->rsdp = 0; /* the loader's copy */
    } else {
        p->rsdp = rsdp_scan();
        if (p->rsdp == 0) {
            printk("acpi: no RSDP (neither from the loader nor in the BIOS areas)\n");
            return -ENOENT;
        }
        r = phys_to_virt(p->rsdp);
    }
    p->acpi_rev = r->revision >= 2 && r->xsdt != 0 ? r->revision : 0;
    madt = find_table(p, r, "APIC");
    if (madt == NULL || madt->length < sizeof(*madt) + 8) {
        printk("acpi: no valid MADT\n");
        return -EINVAL;
    }
    parse_madt(p, madt);
    if (p->nr_cpus == 0 || p->lapic == 0) {
        printk("acpi: the MADT lists no enabled processor or no local APIC\n");
        return -EINVAL;
    }
    /* Without a FADT the machine still runs: no CMOS facts, no ACPI power-off or reset. */
    fadt = find_table(p, r, "FACP");
    if (fadt != NULL)
        parse_fadt(p, fadt);
    return 0;
}

static void acpi_print_power(const struct acpi_power *pw)
{
    static const char *const spaces[] = {"memory", "I/O", "PCI"};
    char s5[24] = "no \\_S5", reset[48] = "no reset register";

    if (!pw->have_fadt) {
        printk("acpi: no FADT: no ACPI power-off or reset\n");
        return;
    }
    if (pw->have_s5)
        xen_snprintf(s5, sizeof(s5), "\\_S5 SLP_TYP %u/%u", pw->slp_typa, pw->slp_typb);
    if (pw->have_reset_reg)
        xen_snprintf(reset, sizeof(reset), "reset register %s 0x%llx <- 0x%x",
                     spaces[pw->reset_space], (unsigned long long)pw->reset_addr, pw->reset_value);
    printk("acpi: FADT: PM1a_CNT 0x%x, PM1b_CNT 0x%x, %s, %s\n", pw->pm1a_cnt, pw->pm1b_cnt, s5,
           reset);
}

void acpi_print(const struct platform *p)
{
    char ids[3 * MAX_MADT_CPUS + 1];
    size_t n = 0;

    for (unsigned int i = 0; i < p->nr_cpus && n + 4 < sizeof(ids); i++)
        n += (size_t)xen_snprintf(ids + n, sizeof(ids) - n, "%s%u", i ? " " : "", p->apic_id[i]);
    ids[n] = '\0';
    if (p->rsdp != 0)
        printk("acpi: RSDP at 0x%llx, %s\n", (unsigned long long)p->rsdp,
               p->acpi_rev ? "XSDT" : "RSDT");
    else
        printk("acpi: RSDP from the loader, %s\n", p->acpi_rev ? "XSDT" : "RSDT");
    printk("acpi: MADT: %u cpu(s) (apic ids %s), lapic 0x%llx, ioapic 0x%llx\n", p->nr_cpus, ids,
           (unsigned long long)p->lapic, (unsigned long long)p->ioapic);
    if (p->no_cmos_rtc)
        printk("acpi: FADT: no CMOS RTC\n");
    else
        printk("acpi: FADT: CMOS RTC, century at index 0x%x%s\n", p->rtc_century,
               p->rtc_century == 0 ? " (none: years are 20xx)" : "");
    acpi_print_power(&p->power);
}
