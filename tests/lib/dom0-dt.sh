# SPDX-License-Identifier: Apache-2.0
# The opening of the /chosen node every arm64 -kernel run appends to QEMU's own DT, in
# Xen's bindings (docs/dt-bindings.md): the hypervisor's and dom0's command lines and dom0's
# kernel module, loaded by QEMU at 0x42000000 (clear of the DTB QEMU puts at 0x48000000).
# Sourced by the benchmark runners, the Xen runner, the reboot, hostile and x86 boot tests; the caller then
# prints its channels and domU nodes and closes the two nodes ("    };" and "};").
#
#   dt_chosen_dom0 XEN_BOOTARGS DOM0_BOOTARGS KERNEL_SIZE [RAMDISK_ADDR RAMDISK_SIZE]
#                  (a dom0 initramfs, loaded by the caller at RAMDISK_ADDR)

# A board whose RAM is elsewhere (zcu102's DDR from 0) sets it after sourcing this.
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
    [ $# -ge 5 ] || return 0
    cat <<DTS
        module@${4#0x} {
            compatible = "multiboot,ramdisk", "multiboot,module";
            reg = <0x0 $4 0x0 $5>;
        };
DTS
}

# The x86_64 form: a whole DT handed to the hypervisor as a Multiboot module, so it opens
# the root itself. /memory and the modules' reg are left 0: the hypervisor fills them from
# the Multiboot memory map and module list (module-index counts the boot modules). The
# caller prints channels and domU nodes and closes the two nodes, as above.
#
#   dt_chosen_dom0_x86 XEN_BOOTARGS DOM0_BOOTARGS
dt_chosen_dom0_x86() {
    cat <<DTS
/dts-v1/;
/ {
    #address-cells = <2>;
    #size-cells = <2>;
    memory@0 {
        device_type = "memory";
        reg = <0x0 0x0 0x0 0x0>;
    };
    chosen {
        #address-cells = <2>;
        #size-cells = <2>;
        xen,xen-bootargs = "$1";
        xen,dom0-bootargs = "$2";
        module@1 {
            compatible = "multiboot,kernel", "multiboot,module";
            module-index = <1>;
            reg = <0x0 0x0 0x0 0x0>;
        };
DTS
}

# A dom0less Linux domU node (Xen's binding) inside /chosen: 256 MiB, one vCPU, a vPL011,
# Xen's /hypervisor node without xenstore (xen,enhanced; minixen gives it always), the
# kernel with BOOTARGS and the ramdisk as modules. The caller adds more modules, then
# closes it ("        };").
#
#   dt_domu_linux NAME KERNEL_ADDR KERNEL_SIZE RAMDISK_ADDR RAMDISK_SIZE BOOTARGS
dt_domu_linux() {
    cat <<DTS
        $1 {
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0 0x40000>;
            cpus = <1>;
            vpl011;
            xen,enhanced = "no-xenstore";
            module@${2#0x} {
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x0 $2 0x0 $3>;
                bootargs = "$6";
            };
            module@${4#0x} {
                compatible = "multiboot,ramdisk", "multiboot,module";
                reg = <0x0 $4 0x0 $5>;
            };
DTS
}
