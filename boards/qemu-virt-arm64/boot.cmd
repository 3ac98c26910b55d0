# SPDX-License-Identifier: Apache-2.0
# U-Boot script for minixen on QEMU virt (compiled with mkimage into boot.scr.uimg).
# U-Boot's distro boot finds it over TFTP (QEMU user networking, `dhcp` boot target).
#
# It loads minixen and, when the TFTP directory has it, the conformance guest, then
# describes the domains in a copy of the host DT the way ImageBuilder does (fdt mknod/set
# under /chosen, Xen's bindings: docs/dt-bindings.md): dom0 and the dom0less domU1 both
# boot the one guest image (each gets its own copy), joined by two static event channels.
# The same configuration as this board's domains.dtsi (the QEMU -kernel path).
#
# booti moves the Image to DRAM base + text_offset (0x40200000) as its header asks and
# passes the edited DT in x0 (a copy at 0x40000000 with room to grow: QEMU makes its DT
# 1 MiB long; booti may move it again).
setenv guest_addr 0x42000000
setenv dt_addr 0x40000000
tftpboot ${kernel_addr_r} minixen.bin
fdt addr ${fdtcontroladdr}
fdt move ${fdtcontroladdr} ${dt_addr} 0x180000
if tftpboot ${guest_addr} xtest.bin; then
    setenv guest_size 0x${filesize}
    fdt set /chosen \#address-cells <0x2>
    fdt set /chosen \#size-cells <0x2>
    fdt set /chosen xen,xen-bootargs "dom0_mem=64M dom0_max_vcpus=2"
    fdt set /chosen xen,dom0-bootargs "role=main peer=1 sport=10 pport=11 sctl=12 pctl=13"
    fdt mknod /chosen module@42000000
    fdt set /chosen/module@42000000 compatible "multiboot,kernel" "multiboot,module"
    fdt set /chosen/module@42000000 reg <0x0 ${guest_addr} 0x0 ${guest_size}>
    fdt mknod /chosen evtchn@10
    fdt set /chosen/evtchn@10 compatible "xen,evtchn-v1"
    fdt set /chosen/evtchn@10 phandle <0xfffffff0>
    fdt set /chosen/evtchn@10 xen,evtchn <10 0xfffffff2>
    fdt mknod /chosen evtchn@12
    fdt set /chosen/evtchn@12 compatible "xen,evtchn-v1"
    fdt set /chosen/evtchn@12 phandle <0xfffffff1>
    fdt set /chosen/evtchn@12 xen,evtchn <12 0xfffffff3>
    fdt mknod /chosen domU1
    fdt set /chosen/domU1 compatible "xen,domain"
    fdt set /chosen/domU1 \#address-cells <0x1>
    fdt set /chosen/domU1 \#size-cells <0x1>
    fdt set /chosen/domU1 memory <0x0 0x10000>
    fdt set /chosen/domU1 cpus <0x1>
    fdt mknod /chosen/domU1 module@42000000
    fdt set /chosen/domU1/module@42000000 compatible "multiboot,kernel" "multiboot,module"
    fdt set /chosen/domU1/module@42000000 reg <${guest_addr} ${guest_size}>
    fdt set /chosen/domU1/module@42000000 bootargs "role=peer peer=0 sport=11 pport=10 sctl=13 pctl=12"
    fdt mknod /chosen/domU1 evtchn@11
    fdt set /chosen/domU1/evtchn@11 compatible "xen,evtchn-v1"
    fdt set /chosen/domU1/evtchn@11 phandle <0xfffffff2>
    fdt set /chosen/domU1/evtchn@11 xen,evtchn <11 0xfffffff0>
    fdt mknod /chosen/domU1 evtchn@13
    fdt set /chosen/domU1/evtchn@13 compatible "xen,evtchn-v1"
    fdt set /chosen/domU1/evtchn@13 phandle <0xfffffff3>
    fdt set /chosen/domU1/evtchn@13 xen,evtchn <13 0xfffffff1>
fi
booti ${kernel_addr_r} - ${dt_addr}
