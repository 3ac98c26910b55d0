# SPDX-License-Identifier: Apache-2.0
# U-Boot script for minixen on QEMU virt (compiled with mkimage into boot.scr.uimg).
# U-Boot's distro boot finds it over TFTP (QEMU user networking, `dhcp` boot target).
# booti moves the Image to DRAM base + text_offset (0x40200000) as its header asks, and
# passes U-Boot's own copy of the host DT (the one QEMU gave it) in x0.
tftpboot ${kernel_addr_r} minixen.bin
booti ${kernel_addr_r} - ${fdtcontroladdr}
