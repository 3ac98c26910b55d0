/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Powering the machine off and resetting it (arch_machine_power_off/restart, for
 * xen/common/shutdown.c when dom0 ends), with what ACPI told acpi.c at boot.
 *
 * Power-off is ACPI's S5 "soft off": the sleep type \_S5 gives, written with SLP_EN into
 * the PM1a (and PM1b) control register. Reset tries, in turn, the FADT's reset register,
 * the PCI reset control port 0xCF9 (a full reset, 0x06) and the keyboard controller's pulse
 * of the reset line (0xFE to port 0x64), as operating systems do, because each exists on
 * some machines and not on others. Whatever does not work leaves a line on the console,
 * and the machine halted.
 */
#include <asm/platform.h>
#include <asm/setup.h>
#include <xen/arch_hooks.h>
#include <xen/lib.h>
#include <xen/shutdown.h>

#define PM1_SCI_EN        (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK  (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN        (1u << 13)
#define RESET_CONTROL     0xcf9
#define RESET_FULL        0x06 /* SYS_RST | RST_CPU: a cold reset */
#define KBC_STATUS        0x64
#define KBC_INPUT_FULL    0x02
#define KBC_PULSE_RESET   0xfe
#define PCI_CONF_ADDR     0xcf8
#define PCI_CONF_DATA     0xcfc
#define SETTLE_US         100000 /* time the hardware gets to act before the next try */

static struct acpi_power pw;

void x86_power_init(const struct acpi_power *p)
{
    pw = *p;
}

/*
 * The machine may still be in legacy mode (SCI_EN clear): ask the firmware to hand the
 * power management registers over to us first, as an OS does (ACPI_ENABLE to SMI_CMD),
 * and give it a second.
 */
static void enter_acpi_mode(void)
{
    if ((inw(pw.pm1a_cnt) & PM1_SCI_EN) != 0 || pw.smi_cmd == 0 || pw.acpi_enable == 0)
        return;
    outb(pw.smi_cmd, pw.acpi_enable);
    for (unsigned int i = 0; i < 1000 && (inw(pw.pm1a_cnt) & PM1_SCI_EN) == 0; i++)
        udelay(1000);
}

static void write_sleep(uint16_t port, uint8_t slp_typ)
{
    uint16_t v = inw(port);

    v = (uint16_t)((v & ~PM1_SLP_TYP_MASK) | (uint16_t)(slp_typ << PM1_SLP_TYP_SHIFT));
    outw(port, (uint16_t)(v | PM1_SLP_EN));
}

void arch_machine_power_off(void)
{
    local_irq_disable();
    if (!pw.have_s5 || pw.pm1a_cnt == 0) {
        printk("minixen: ACPI gave no way to power off (%s): halting\n", !pw.have_fadt ? "no FADT"
                                                                         : pw.pm1a_cnt == 0
                                                                             ? "no PM1a_CNT"
                                                                             : "no \\_S5");
        machine_halt();
    }
    enter_acpi_mode();
    write_sleep(pw.pm1a_cnt, pw.slp_typa);
    if (pw.pm1b_cnt != 0)
        write_sleep(pw.pm1b_cnt, pw.slp_typb);
    udelay(SETTLE_US);
    printk("minixen: ACPI S5 did not power the machine off: halting\n");
    machine_halt();
}

/* The FADT's reset register: I/O port, memory (identity map) or PCI config (bus 0). */
static void write_reset_reg(void)
{
    switch (pw.reset_space) {
    case ACPI_GAS_IO:
        outb((uint16_t)pw.reset_addr, pw.reset_value);
        break;
    case ACPI_GAS_MEMORY:
        *(volatile uint8_t *)phys_to_virt(pw.reset_addr) = pw.reset_value;
        break;
    case ACPI_GAS_PCI: {
        /* ACPI's PCI address: device in bits 47:32, function 31:16, register 15:0. */
        uint32_t dev = (uint32_t)(pw.reset_addr >> 32) & 0x1f;
        uint32_t fn = (uint32_t)(pw.reset_addr >> 16) & 0x7;
        uint32_t reg = (uint32_t)pw.reset_addr & 0xff;

        outl(PCI_CONF_ADDR, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
        outb((uint16_t)(PCI_CONF_DATA + (reg & 3)), pw.reset_value);
        break;
    }
    default:
        break;
    }
}

void arch_machine_restart(void)
{
    local_irq_disable();
    if (pw.have_reset_reg) {
        write_reset_reg();
        udelay(SETTLE_US);
    }
    outb(RESET_CONTROL, RESET_FULL);
    udelay(SETTLE_US);
    for (unsigned int i = 0; i < 10000 && (inb(KBC_STATUS) & KBC_INPUT_FULL) != 0; i++)
        udelay(10);
    outb(KBC_STATUS, KBC_PULSE_RESET);
    udelay(SETTLE_US);
    printk("minixen: the machine did not reset (ACPI reset register, port 0xcf9, keyboard "
           "controller): halting\n");
    machine_halt();
}
