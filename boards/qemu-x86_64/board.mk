# SPDX-License-Identifier: Apache-2.0
# QEMU q35 with an AMD CPU model that has SVM and nested paging (TCG emulates both).
BOARD_DESC      := QEMU q35 (x86_64, SVM+NPT, xAPIC, COM1)
ARCH            := x86
CROSS_COMPILE   ?=
CPU             := qemu64,+svm,+npt
QEMU            := qemu-system-x86_64
QEMU_MACHINE    := q35
QEMU_SMP        ?= 2
QEMU_MEM        ?= 1024
RAM_BASE        := 0x00000000
LOAD_ADDR       := 0x00200000
UART            := ns16550@io0x3f8
INTC            := xapic@0xfee00000 ioapic@0xfec00000
