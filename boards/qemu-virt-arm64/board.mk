# SPDX-License-Identifier: Apache-2.0
# QEMU "virt" machine, Cortex-A57, GICv3. The default board.
BOARD_DESC      := QEMU virt (arm64, GICv3, PL011)
ARCH            := arm
CROSS_COMPILE   ?= aarch64-linux-gnu-
CPU             := cortex-a57
QEMU            := qemu-system-aarch64
QEMU_MACHINE    := virt,virtualization=on,gic-version=3,dtb-randomness=off
QEMU_SMP        ?= 2
QEMU_MEM        ?= 1024
# The firmware of the U-Boot boot path (Debian's u-boot-qemu).
UBOOT_BIOS      ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
# Memory map (from QEMU's hw/arm/virt.c memmap; the host DT is authoritative at run time).
RAM_BASE        := 0x40000000
LOAD_ADDR       := 0x40200000
UART            := pl011@0x09000000
INTC            := gicv3 dist@0x08000000 redist@0x080a0000
# The RTC the host DT has (the system test's expectations: tests/system/arm/boot-test.sh).
RTC             := pl031@0x09010000
# Where the -kernel path loads the test guest (domains.dtsi, demo.dtsi name it).
GUEST_ADDR      := 0x42000000
