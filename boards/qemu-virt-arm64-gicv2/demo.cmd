# SPDX-License-Identifier: Apache-2.0
# U-Boot script of `make run` (compiled with mkimage into boot.scr.uimg; U-Boot's distro
# boot finds it over TFTP from QEMU user networking). Same configuration as demo.dtsi:
# the test guest's role=demo (tests/guest/suite/demo.c) as dom0, the consumer, and as the
# dom0less domU1, the producer, joined by four static event channels: dom0 20/21/22 <->
# domU1 30/31/32 carry the bursts (priorities 2, 7, 12 at dom0's end), dom0 23 <-> domU1
# 33 the acknowledgements. The domains are added to a copy of the host DT with fdt
# mknod/set, as ImageBuilder does (Xen's bindings: docs/dt-bindings.md); phandles are
# chosen here, from the top of the range, so they cannot clash with QEMU's.
setenv guest_addr 0x42000000
setenv dt_addr 0x40000000
tftpboot ${kernel_addr_r} minixen.bin
tftpboot ${guest_addr} xtest.bin
setenv guest_size 0x${filesize}
fdt addr ${fdtcontroladdr}
fdt move ${fdtcontroladdr} ${dt_addr} 0x180000
fdt set /chosen \#address-cells <0x2>
fdt set /chosen \#size-cells <0x2>
fdt set /chosen xen,xen-bootargs "dom0_mem=64M dom0_max_vcpus=1"
fdt set /chosen xen,dom0-bootargs "role=demo demo=consumer peer=1 ports=20,21,22 prios=2,7,12 ack=23"
fdt mknod /chosen module@42000000
fdt set /chosen/module@42000000 compatible "multiboot,kernel" "multiboot,module"
fdt set /chosen/module@42000000 reg <0x0 ${guest_addr} 0x0 ${guest_size}>
fdt mknod /chosen domU1
fdt set /chosen/domU1 compatible "xen,domain"
fdt set /chosen/domU1 \#address-cells <0x1>
fdt set /chosen/domU1 \#size-cells <0x1>
fdt set /chosen/domU1 memory <0x0 0x10000>
fdt set /chosen/domU1 cpus <0x1>
fdt set /chosen/domU1 xen,enhanced "no-xenstore"
fdt mknod /chosen/domU1 module@42000000
fdt set /chosen/domU1/module@42000000 compatible "multiboot,kernel" "multiboot,module"
fdt set /chosen/domU1/module@42000000 reg <${guest_addr} ${guest_size}>
fdt set /chosen/domU1/module@42000000 bootargs "role=demo demo=producer peer=0 ports=30,31,32 ack=33 period=1"
# One static channel per pair: dom0's end under /chosen, domU1's under /chosen/domU1,
# each naming the other by phandle (0xffffff2N at dom0, 0xffffff3N at domU1).
for n in 0 1 2 3; do
    fdt mknod /chosen evtchn@2${n}
    fdt set /chosen/evtchn@2${n} compatible "xen,evtchn-v1"
    fdt set /chosen/evtchn@2${n} phandle <0xffffff2${n}>
    fdt set /chosen/evtchn@2${n} xen,evtchn <2${n} 0xffffff3${n}>
    fdt mknod /chosen/domU1 evtchn@3${n}
    fdt set /chosen/domU1/evtchn@3${n} compatible "xen,evtchn-v1"
    fdt set /chosen/domU1/evtchn@3${n} phandle <0xffffff3${n}>
    fdt set /chosen/domU1/evtchn@3${n} xen,evtchn <3${n} 0xffffff2${n}>
done
booti ${kernel_addr_r} - ${dt_addr}
