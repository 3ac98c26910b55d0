#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Debian 12's unmodified arm64 Linux as dom0, alone, reaching a shell on the hypervisor's
# console: Xen's console (hvc0) over the board's UART, whichever driver that takes (the
# Cadence UART on zcu102). Written for boards the Linux pair test (linux-pair-test.sh: QEMU
# virt's virtio devices) does not fit; it runs on any arm board.
#
# The host DT is the board's (QEMU's own, or BOARD_DTB) with dom0's kernel and initramfs
# as modules: the kernel at GUEST_ADDR, the initramfs 48 MiB above it (QEMU -kernel: both
# with -device loader). /init prints the console it has and starts a shell; the test types
# a command into it (serial input starts with dom0), checks the answer, and powers off:
# dom0's poweroff takes the machine with it.
#
#   linux-dom0-test.sh BOARD IMAGE RESULTS
#   environment: the board's variables (make exports them), LINUX_DIR (build/linux-arm64),
#                LINUX_TIMEOUT (seconds for the kernel to reach its shell, default 300),
#                LINUX_QEMU_MEM (the machine's RAM, default 2048: dom0's 256 MiB must fit
#                under the top of RAM 1:1, clear of the grant-table window)
# TAP: $RESULTS/linux-dom0-$BOARD.tap; log in $(dirname IMAGE)/linux-dom0-test.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3
: "${LINUX_DIR:=build/linux-arm64}" "${LINUX_TIMEOUT:=300}" "${LINUX_QEMU_MEM:=2048}"
here=$(dirname "$0")
lib=$here/../../lib
work=$(dirname "$IMAGE")/linux-dom0-test name=linux-dom0-$BOARD
tap=$RESULTS/$name.tap
mkdir -p "$work" "$RESULTS"
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/serial-input.sh"
. "$lib/dom0-dt.sh"
board_vars "$BOARD" force || exit 1 # BOARD decides, whichever board make was run for
export QEMU_MEM=$LINUX_QEMU_MEM # board_qemu_cmd reads it
: "${GUEST_ADDR:=0x42000000}"
KERNEL_ADDR=$GUEST_ADDR
DOM0_KERNEL_ADDR=$KERNEL_ADDR # dt_chosen_dom0's module address: the board's, not virt's
RAMDISK_ADDR=$(printf '0x%x' $((GUEST_ADDR + 0x3000000))) # past Debian's ~32 MiB Image
tap_begin "$work/tap.body"

if ! "$here/../../../tools/fetch-linux.sh" "$LINUX_DIR" arm64; then
    ok 1 "linux dom0: Debian's arm64 kernel and busybox-static fetched"
    tap_end "$tap" "$name" "$work"
    exit 1
fi

cat >"$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
echo "=== dom0 console: $(cat /sys/class/tty/console/active)"
echo "=== dom0 devices: $(ls /sys/bus/platform/devices | tr '\n' ' ')"
exec /bin/sh
INIT
python3 "$here/../../../tools/lib/initramfs.py" "$LINUX_DIR/busybox" "$work/init" \
    "$work/initrd.cpio" || exit 1
cp "$IMAGE" "$work/hv.img" && cp "$LINUX_DIR/Image" "$work/Image" || exit 1
board_qemu_dts "$work/base" --smp "${QEMU_SMP:-1}" || exit 1
ksize=$(printf '0x%x' "$(stat -c %s "$work/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$work/initrd.cpio")")
{
    cat "$work/base.dts"
    dt_chosen_dom0 "dom0_mem=256M dom0_max_vcpus=1" "console=hvc0 earlycon=xen rdinit=/init" \
        "$ksize" "$RAMDISK_ADDR" "$rsize"
    printf '    };\n};\n'
} >"$work/dom0.dts"
dtc -q -I dts -O dtb -o "$work/dom0.dtb" "$work/dom0.dts" || exit 1

fifo=$work/input
serial_input_open "$fifo" || exit 1
raw=$work/linux.raw log=$work/linux.log
board_qemu_cmd kernel "$work/hv.img" "$work/dom0.dtb" "$work/Image@$KERNEL_ADDR" \
    "$work/initrd.cpio@$RAMDISK_ADDR" || exit 1
QEMU_STDIN=$fifo qemu_start "$raw" "${board_qemu[@]}"
shell=1 typed=1 off=1
if wait_for_log "$raw" "=== dom0 console" "$LINUX_TIMEOUT" "$qemu_pid"; then
    shell=0
    sleep 2 # its prompt
    type_slowly 'echo "dom0 says $((6 * 7))"\n'
    wait_for_log "$raw" "dom0 says 42" 30 "$qemu_pid" && typed=0
    type_slowly 'poweroff -f\n'
    wait_for_log "$raw" "reboot: Power down" 60 "$qemu_pid" && off=0
fi
serial_run_end "$qemu_pid" "$fifo" "$raw" "$log"

echo "# kernel: $(cat "$LINUX_DIR/version")" >>"$work/tap.body"
has "$log" "^minixen [0-9][0-9.]* on $BOARD "; ok $? "linux dom0: minixen boots on $BOARD"
has "$log" "^dom0: d0, 1 vCPU\(s\), 256 MiB at (0x[0-9a-f]+) \(host \1\)"
ok $? "linux dom0: dom0's 256 MiB mapped 1:1"
has "$log" "Kernel command line: console=hvc0 earlycon=xen rdinit=/init"
ok $? "linux dom0: Debian's kernel boots as dom0"
has "$log" "Xen .* support found" || has "$log" "Booting Linux on physical CPU"
ok $? "linux dom0: it finds Xen's interface"
ok "$shell" "linux dom0: /init runs and reports its console"
has "$log" "=== dom0 console: hvc0"; ok $? "linux dom0: its console is Xen's (hvc0)"
ok "$typed" "linux dom0: a command typed on the board's UART reaches its shell and is answered"
ok $((off | stopped)) "linux dom0: dom0's poweroff -f powers the machine off"
! has "$log" 'Kernel panic|Oops|Unable to handle kernel|kernel BUG|minixen: (panic|fatal)|data abort'
ok $? "linux dom0: no kernel BUG, panic or oops, no hypervisor panic, no abort in the log"
tap_end "$tap" "$name" "$work"
