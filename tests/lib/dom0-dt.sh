# SPDX-License-Identifier: Apache-2.0
# The opening of the /chosen node every arm64 -kernel run appends to QEMU's own DT, in
# Xen's bindings (docs/dt-bindings.md): the hypervisor's and dom0's command lines and dom0's
# kernel module, loaded by QEMU at 0x42000000 (clear of the DTB QEMU puts at 0x48000000).
# Sourced by the benchmark runner, the Xen runner and the reboot test; the caller then
# prints its channels and domU nodes and closes the two nodes ("    };" and "};").
#
#   dt_chosen_dom0 XEN_BOOTARGS DOM0_BOOTARGS KERNEL_SIZE

DOM0_KERNEL_ADDR=0x42000000

dt_chosen_dom0() {
    cat <<DTS
/ {
    chosen {
        #address-cells = <2>;
        #size-cells = <2>;
        xen,xen-bootargs = "$1";
        xen,dom0-bootargs = "$2";
        module@${DOM0_KERNEL_ADDR#0x} {
            compatible = "multiboot,kernel", "multiboot,module";
            reg = <0x0 $DOM0_KERNEL_ADDR 0x0 $3>;
        };
DTS
}
