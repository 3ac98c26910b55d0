#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unmodified Linux as a dom0less domU on the arm64 port (issues #13, #14), in QEMU at -smp 2:
# Debian 12's own kernel and busybox-static (tools/fetch-linux.sh; never committed) for
# LINUX_ARCH: arm64 (an arm64 Image: a 64-bit domU) or armhf (the armmp-lpae zImage: a
# 32-bit domU, its EL1 in AArch32),
# an initramfs whose /init says which console it has and starts a shell, booted as domU1
# (DT node with Xen's `vpl011`, bootargs console=ttyAMA0) beside the conformance guest as
# dom0 (role=main end=idle: its suite, then it stays up, so the machine does). The test
# switches the serial input to DOM1 (Ctrl-A three times, as on Xen), types a command into
# the shell, checks the answer, and powers the domU off: the machine must stay up.
#
# The same on Xen 4.17 (HV xen, IMAGE its arm64 Image: `make test-peer-xen`), the oracle:
# what differs is only how each prints a domain's lines ("(d1) " here, "(XEN) DOM1: "
# there) and that Xen says nothing of a domU's poweroff.
#
#   linux-test.sh BOARD IMAGE RESULTS GUEST [minixen|xen]
#   environment: the board's variables (make exports them), LINUX_ARCH (arm64 or armhf),
#                LINUX_DIR (build/linux-$LINUX_ARCH), LINUX_TIMEOUT (seconds for the kernel
#                to reach its shell, default 300)
# TAP: $RESULTS/linux-$BOARD.tap (Xen: peer-xen-linux-$BOARD.tap; armhf: linux-armhf-...);
# log in $(dirname IMAGE)/linux-test (Xen: .../linux-test-$BOARD; armhf: linux-armhf-test...).
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4 HV=${5:-minixen}
: "${LINUX_ARCH:=arm64}"
: "${LINUX_DIR:=build/linux-$LINUX_ARCH}" "${LINUX_TIMEOUT:=300}"
case $LINUX_ARCH in
arm64) kernel=Image arch_tag= ;;
armhf) kernel=zImage arch_tag=-armhf ;;
*) echo "linux-test.sh: LINUX_ARCH is arm64 or armhf, not $LINUX_ARCH" >&2; exit 2 ;;
esac
here=$(dirname "$0")
lib=$here/../../lib
case $HV in
minixen)
    work=$(dirname "$IMAGE")/linux$arch_tag-test name=linux$arch_tag-$BOARD
    hv_args="dom0_mem=64M dom0_max_vcpus=1"
    d1='\(d1\) ' bare='' ;;
xen)
    work=$(dirname "$IMAGE")/linux$arch_tag-test-$BOARD name=peer-xen-linux$arch_tag-$BOARD
    hv_args="console=dtuart dtuart=/pl011@9000000 dom0_mem=64M dom0_max_vcpus=1 guest_loglvl=all/all"
    d1='\(XEN\) DOM1: ' bare='(\(XEN\) )?' ;;
*) echo "linux-test.sh: HV is minixen or xen, not $HV" >&2; exit 2 ;;
esac
tap=$RESULTS/$name.tap
mkdir -p "$work" "$RESULTS"
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
. "$lib/serial-input.sh"
board_vars "$BOARD" force || exit 1 # BOARD decides, whichever board make was run for
tap_begin "$work/tap.body"
KERNEL_ADDR=0x50000000  # the domU's kernel and ramdisk: clear of dom0's guest at
RAMDISK_ADDR=0x54000000 # DOM0_KERNEL_ADDR and of QEMU's DTB at 0x48000000
PARTIAL_ADDR=0x56000000 # its partial DT: the host's PL061 GPIO passed through

if ! "$here/../../../tools/fetch-linux.sh" "$LINUX_DIR" "$LINUX_ARCH"; then
    ok 1 "linux: Debian's $LINUX_ARCH kernel and busybox-static fetched"
    tap_end "$tap" "$name" "$work"
    exit 1
fi

# The initramfs: busybox, /dev/console and an /init that says which console it has.
cat >"$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s /bin
echo "=== domU console: $(cat /sys/class/tty/console/active)"
exec /bin/sh
INIT
python3 "$here/../../../tools/lib/initramfs.py" "$LINUX_DIR/busybox" "$work/init" \
    "$work/initrd.cpio" || exit 1

# Private copies: a rebuild while QEMU runs must not change its images.
cp "$IMAGE" "$work/hv.img" && cp "$GUEST" "$work/xtest.img" &&
    cp "$LINUX_DIR/$kernel" "$work/Image" || exit 1
board_qemu_dts "$work/qemu" --smp 2 || exit 1
# The domU's partial DT (Xen's passthrough binding): QEMU virt's PL061 GPIO at the same
# address, its SPI 7, the AMBA clock it names. The host DT marks the node xen,passthrough.
cat >"$work/partial.dts" <<'PARTIAL'
/dts-v1/;
/ {
    #address-cells = <2>;
    #size-cells = <2>;
    passthrough {
        compatible = "simple-bus";
        ranges;
        #address-cells = <2>;
        #size-cells = <2>;
        gpio_clk: apb-pclk {
            compatible = "fixed-clock";
            #clock-cells = <0>;
            clock-frequency = <24000000>;
            clock-output-names = "clk24mhz";
        };
        pl061@9030000 {
            compatible = "arm,pl061", "arm,primecell";
            reg = <0x0 0x9030000 0x0 0x1000>;
            interrupts = <0 7 4>;
            interrupt-parent = <65000>;
            gpio-controller;
            #gpio-cells = <2>;
            clocks = <&gpio_clk>;
            clock-names = "apb_pclk";
            xen,reg = <0x0 0x9030000 0x0 0x1000 0x0 0x9030000>;
            xen,path = "/pl061@9030000";
            xen,force-assign-without-iommu;
        };
    };
};
PARTIAL
dtc -q -I dts -O dtb -o "$work/partial.dtb" "$work/partial.dts" || exit 1
psize=$(printf '0x%x' "$(stat -c %s "$work/partial.dtb")")
gsize=$(printf '0x%x' "$(stat -c %s "$work/xtest.img")")
ksize=$(printf '0x%x' "$(stat -c %s "$work/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$work/initrd.cpio")")
{
    cat "$work/qemu.dts"
    dt_chosen_dom0 "$hv_args" "role=main end=idle" "$gsize"
    dt_domu_linux domU1 "$KERNEL_ADDR" "$ksize" "$RAMDISK_ADDR" "$rsize" "console=ttyAMA0 rdinit=/init"
    cat <<DTS
            module@${PARTIAL_ADDR#0x} {
                compatible = "multiboot,device-tree", "multiboot,module";
                reg = <0x0 $PARTIAL_ADDR 0x0 $psize>;
            };
        };
    };
    pl061@9030000 {
        xen,passthrough;
    };
};
DTS
} >"$work/domu.dts"
dtc -q -I dts -O dtb -o "$work/domu.dtb" "$work/domu.dts" || exit 1

# The serial line's input: a FIFO the test types into.
fifo=$work/input
serial_input_open "$fifo" || exit 1
raw=$work/linux.raw log=$work/linux.log
board_qemu_cmd --smp 2 kernel "$work/hv.img" "$work/domu.dtb" \
    "$work/xtest.img@$DOM0_KERNEL_ADDR" "$work/Image@$KERNEL_ADDR" \
    "$work/initrd.cpio@$RAMDISK_ADDR" "$work/partial.dtb@$PARTIAL_ADDR" || exit 1
QEMU_STDIN=$fifo qemu_start "$raw" "${board_qemu[@]}"

up=1 switched=1 answered=1 ended=1
if wait_for_log "$raw" "=== domU console: " "$LINUX_TIMEOUT" "$qemu_pid" &&
    wait_for_log "$raw" "^# xtest idle" 120 "$qemu_pid"; then
    up=0
    sleep 2 # the shell's prompt
    printf '\001\001\001' >&9
    if wait_for_log "$raw" "Serial input to DOM1" 20 "$qemu_pid"; then
        switched=0
        sleep 1 # the switch line out, before the first byte in
        # The answer is computed by the shell: the echo of the typed line does not match.
        type_slowly 'echo answer-$((6 * 7)) on $(cat /sys/class/tty/console/active)\n'
        wait_for_log "$raw" "^${bare}answer-42 on " 60 "$qemu_pid" && answered=0
        type_slowly 'poweroff -f\n'
        wait_for_log "$raw" "reboot: Power down" 60 "$qemu_pid" && ended=0
        sleep 1
    fi
fi
alive=1
kill -0 "$qemu_pid" 2>/dev/null && alive=0
serial_run_stop "$qemu_pid" "$fifo" "$raw" "$log"

echo "# kernel: $(cat "$LINUX_DIR/version")" >>"$work/tap.body"
has "$log" "^$d1.*Kernel command line: console=ttyAMA0"
ok $? "linux domU: Debian's $LINUX_ARCH kernel boots as a dom0less domU ($(cat "$LINUX_DIR/version"))"
has "$log" "^$d1.*22000000\\.sbsa-uart: ttyAMA0 at MMIO 0x22000000 .* is a SBSA"
ok $? "linux domU: its driver finds the vPL011 (sbsa-uart@22000000, ttyAMA0)"
has "$log" "^$d1.*console \\[ttyAMA0\\] enabled"
ok $? "linux domU: console [ttyAMA0] enabled"
has "$log" "^$d1.*9030000.pl061: PL061 GPIO chip registered"
ok $? "linux domU: the host's PL061 GPIO, given by its partial DT (xen,passthrough), is its own"
has "$log" "^$d1=== domU console: ttyAMA0\$"
ok "$up" "linux domU: /init's console is ttyAMA0, printed as the domain's lines"
has "$log" '^# xtest done: .* 0 failed|^# xtest idle'
ok $? "linux domU: dom0 (the conformance guest) beside it ran its suite and idles"
ok "$switched" "linux domU: Ctrl-A x3 moves the serial input to DOM1 (*** Serial input to DOM1)"
ok "$answered" "linux domU: its shell answers a typed command on ttyAMA0 (answer-42 on ttyAMA0)"
has "$log" "^${bare}answer-42 on ttyAMA0\$"
ok $? "linux domU: with the input, its output is no longer the domain's lines, as on Xen"
if [ "$HV" = minixen ]; then
    has "$log" "^minixen: domain 1 \\(domU1\\) shut down: poweroff"
    ok $((ended | $?)) "linux domU: poweroff ends domU1 (minixen: domain 1 (domU1) shut down: poweroff)"
else
    ok "$ended" "linux domU: poweroff ends domU1 (reboot: Power down; Xen says nothing of it)"
fi
ok "$alive" "linux domU: the machine stays up after a domU's poweroff (dom0 idles)"
! has "$log" 'Kernel panic|Oops|Unable to handle kernel|minixen: (panic|fatal)|data abort|Panic on CPU'
ok $? "linux domU: no kernel panic or oops, no hypervisor panic, no abort in the log"
tap_end "$tap" "$name" "$work"
