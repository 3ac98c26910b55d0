# SPDX-License-Identifier: Apache-2.0
# QEMU "xlnx-zcu102" machine (Xilinx ZynqMP): Cortex-A53, GIC-400 (GICv2), Cadence UART.
# QEMU makes no DT for this machine: the host DT is Debian's own
# (xilinx/zynqmp-zcu102-rev1.0.dtb from linux-image-arm64, fetched by tools/fetch-linux.sh),
# passed with -dtb; QEMU rewrites its /memory for QEMU_MEM. There is no firmware: QEMU 7.2
# answers the DT's PSCI SMCs itself on a -kernel boot (CPU_ON starts the other A53s,
# SYSTEM_OFF ends QEMU). No U-Boot path: Debian ships no zcu102 U-Boot.
BOARD_DESC      := QEMU xlnx-zcu102 (arm64, Cortex-A53, GIC-400, Cadence UART)
ARCH            := arm
CROSS_COMPILE   ?= aarch64-linux-gnu-
CPU             := cortex-a53
QEMU            := qemu-system-aarch64
QEMU_MACHINE    := xlnx-zcu102,virtualization=on
QEMU_SMP        ?= 4
QEMU_MEM        ?= 1024
# The host DT (make fetches it: tools/fetch-linux.sh), for every -kernel boot of the board.
BOARD_DTB       ?= build/linux-arm64/dtbs/xilinx/zynqmp-zcu102-rev1.0.dtb
# Memory map (from QEMU's hw/arm/xlnx-zynqmp.c; the host DT is authoritative at run time).
# DDR starts at 0: QEMU -kernel puts the Image at 0 + text_offset.
RAM_BASE        := 0x00000000
LOAD_ADDR       := 0x00200000
UART            := cadence@0xff000000
INTC            := gicv2 dist@0xf9010000 cpu@0xf9020000 hyp@0xf9040000 vcpu@0xf9060000
# ZynqMP's RTC is its own (xlnx,zynqmp-rtc), which minixen does not read: no wall clock.
RTC             := none
# Where the -kernel path loads the test guest (domains.dtsi, demo.dtsi name it): 32 MiB
# into DDR, after minixen and its heap, before the DTB QEMU puts at 128 MiB.
GUEST_ADDR      := 0x02000000
# The system test's -smp runs (few: QEMU's ZynqMP is slower than virt).
SYSTEM_SMP      := 1 4
