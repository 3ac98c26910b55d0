# SPDX-License-Identifier: Apache-2.0
# Raspberry Pi 4 Model B (BCM2711: 4x Cortex-A72, GIC-400), booted from an SD card by the
# Pi's firmware, TF-A's BL31 as its armstub (PSCI) and U-Boot (docs/boards.md: Raspberry
# Pi 4). Real hardware only: QEMU 7.2 has no raspi4 machine, so QEMU is unset and every
# target that would boot the board in QEMU says so (`make sd-image` makes the card's files).
BOARD_DESC      := Raspberry Pi 4 Model B (arm64, GIC-400, mini UART; SD card, no QEMU)
ARCH            := arm
CROSS_COMPILE   ?= aarch64-linux-gnu-
CPU             := cortex-a72
QEMU            :=
# Memory map (BCM2711 in its default "low peripheral" mode; the firmware's DT, as U-Boot
# passes it on, is authoritative at run time). RAM starts at 0: TF-A's BL31 keeps the first
# 512 KiB, and booti runs the Image 2 MiB in (its text_offset), where it is linked.
RAM_BASE        := 0x0
LOAD_ADDR       := 0x200000
# The header's GPIO 14/15 UART by default: the mini UART (the PL011 serves Bluetooth).
UART            := bcm2835-aux@0xfe215040
INTC            := gicv2 dist@0xff841000 cpu@0xff842000 hyp@0xff844000 vcpu@0xff846000
# No PL031 (the Pi has no battery-backed clock): no wall clock.
RTC             := none
# `make sd-image BOARD=rpi4`: the card's boot partition (build/rpi4/sd-boot) and image.
SD_LAYOUT       := tools/rpi4-sd-layout
