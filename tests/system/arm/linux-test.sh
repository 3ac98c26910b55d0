#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unmodified Linux as a dom0less domU on the arm64 port (issue #13), in QEMU at -smp 2:
# Debian 12's own arm64 kernel and busybox-static (tools/fetch-linux.sh; never committed),
# an initramfs whose /init says which console it has and starts a shell, booted as domU1
# (DT node with Xen's `vpl011`, bootargs console=ttyAMA0) beside the conformance guest as
# dom0 (role=main end=idle: its suite, then it stays up, so the machine does). The test
# switches the serial input to DOM1 (Ctrl-A three times, as on Xen), types a command into
# the shell, checks the answer, and powers the domU off: the machine must stay up.
#
#   linux-test.sh BOARD IMAGE RESULTS GUEST
#   environment: the board's variables (make exports them), LINUX_DIR (build/linux-arm64),
#                LINUX_TIMEOUT (seconds for the kernel to reach its shell, default 300)
# TAP: $RESULTS/linux-$BOARD.tap; log in $(dirname IMAGE)/linux-test.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4
: "${LINUX_DIR:=build/linux-arm64}" "${LINUX_TIMEOUT:=300}"
here=$(dirname "$0")
lib=$here/../../lib
work=$(dirname "$IMAGE")/linux-test
tap=$RESULTS/linux-$BOARD.tap
mkdir -p "$work" "$RESULTS"
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
board_vars "$BOARD" || exit 1
tap_begin "$work/tap.body"
KERNEL_ADDR=0x50000000  # the domU's kernel and ramdisk: clear of dom0's guest at
RAMDISK_ADDR=0x54000000 # DOM0_KERNEL_ADDR and of QEMU's DTB at 0x48000000

if ! "$here/../../../tools/fetch-linux.sh" "$LINUX_DIR"; then
    ok 1 "linux: Debian's arm64 kernel and busybox-static fetched"
    tap_end "$tap" "linux-$BOARD" "$work"
    exit 1
fi

# The initramfs (cpio newc, written by python3), with /dev/console for the first console.
python3 - "$LINUX_DIR/busybox" "$work/initrd.cpio" <<'PY' || exit 1
import sys
bb = open(sys.argv[1], 'rb').read()
init = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s /bin
echo "=== domU console: $(cat /sys/class/tty/console/active)"
exec /bin/sh
"""
out = bytearray()
def entry(name, mode, data=b'', rdev=(0, 0)):
    global out
    n = name.encode() + b'\0'
    hdr = '070701' + ''.join('%08x' % v for v in
        (len(out) + 1, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(n), 0))
    out += hdr.encode() + n
    out += b'\0' * (-len(out) % 4) + data
    out += b'\0' * (-len(out) % 4)
entry('bin', 0o40755)
entry('bin/busybox', 0o100755, bb)
entry('dev', 0o40755)
entry('dev/console', 0o20600, rdev=(5, 1))
entry('init', 0o100755, init)
entry('TRAILER!!!', 0)
open(sys.argv[2], 'wb').write(out)
PY

# Private copies: a rebuild while QEMU runs must not change its images.
cp "$IMAGE" "$work/minixen.img" && cp "$GUEST" "$work/xtest.img" &&
    cp "$LINUX_DIR/Image" "$work/Image" || exit 1
board_qemu_dts "$work/qemu" --smp 2 || exit 1
gsize=$(printf '0x%x' "$(stat -c %s "$work/xtest.img")")
ksize=$(printf '0x%x' "$(stat -c %s "$work/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$work/initrd.cpio")")
{
    cat "$work/qemu.dts"
    dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "role=main end=idle" "$gsize"
    cat <<DTS
        domU1 {
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0 0x40000>;
            cpus = <1>;
            vpl011;
            module@${KERNEL_ADDR#0x} {
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x0 $KERNEL_ADDR 0x0 $ksize>;
                bootargs = "console=ttyAMA0 rdinit=/init";
            };
            module@${RAMDISK_ADDR#0x} {
                compatible = "multiboot,ramdisk", "multiboot,module";
                reg = <0x0 $RAMDISK_ADDR 0x0 $rsize>;
            };
        };
    };
};
DTS
} >"$work/domu.dts"
dtc -q -I dts -O dtb -o "$work/domu.dtb" "$work/domu.dts" || exit 1

# The serial line's input: a FIFO the test types into.
fifo=$work/input
rm -f "$fifo" && mkfifo "$fifo" || exit 1
exec 9<>"$fifo"
raw=$work/linux.raw log=$work/linux.log
board_qemu_cmd --smp 2 kernel "$work/minixen.img" "$work/domu.dtb" \
    "$work/xtest.img@$DOM0_KERNEL_ADDR" "$work/Image@$KERNEL_ADDR" \
    "$work/initrd.cpio@$RAMDISK_ADDR" || exit 1
QEMU_STDIN=$fifo qemu_start "$raw" "${board_qemu[@]}"
up=1 switched=1 answered=1 ended=1
if wait_for_log "$raw" "=== domU console: " "$LINUX_TIMEOUT" "$qemu_pid" &&
    wait_for_log "$raw" "^# xtest idle" 120 "$qemu_pid"; then
    up=0
    sleep 2 # the shell's prompt
    printf '\001\001\001' >&9
    if wait_for_log "$raw" "Serial input to DOM1" 20 "$qemu_pid"; then
        switched=0
        # The answer is computed by the shell: the echo of the typed line does not match.
        printf 'echo answer-$((6 * 7)) on $(cat /sys/class/tty/console/active)\n' >&9
        wait_for_log "$raw" "^answer-42 on " 60 "$qemu_pid" && answered=0
        printf 'poweroff -f\n' >&9
        wait_for_log "$raw" "domain 1 \(domU1\) shut down: poweroff" 60 "$qemu_pid" && ended=0
        sleep 1
    fi
fi
alive=1
kill -0 "$qemu_pid" 2>/dev/null && alive=0
qemu_stop "$qemu_pid"
exec 9>&-
rm -f "$fifo"
serial_text "$raw" "$log"
rm -f "$raw"

echo "# kernel: $(cat "$LINUX_DIR/version")" >>"$work/tap.body"
has "$log" '^\(d1\) .*Kernel command line: console=ttyAMA0'
ok $? "linux domU: Debian's kernel boots as a dom0less domU ($(cat "$LINUX_DIR/version"))"
has "$log" '^\(d1\) .*22000000\.sbsa-uart: ttyAMA0 at MMIO 0x22000000 .* is a SBSA'
ok $? "linux domU: its driver finds the vPL011 (sbsa-uart@22000000, ttyAMA0)"
has "$log" '^\(d1\) .*console \[ttyAMA0\] enabled'
ok $? "linux domU: console [ttyAMA0] enabled"
has "$log" '^\(d1\) === domU console: ttyAMA0$'
ok "$up" "linux domU: /init's console is ttyAMA0, printed as the domain's lines ((d1) )"
has "$log" '^# xtest done: .* 0 failed|^# xtest idle'
ok $? "linux domU: dom0 (the conformance guest) beside it ran its suite and idles"
ok "$switched" "linux domU: Ctrl-A x3 moves the serial input to DOM1 (*** Serial input to DOM1)"
ok "$answered" "linux domU: its shell answers a typed command on ttyAMA0 (answer-42 on ttyAMA0)"
has "$log" '^answer-42 on ttyAMA0$'
ok $? "linux domU: with the input, its output is bare (no (d1) prefix), as on Xen"
ok "$ended" "linux domU: poweroff ends domU1 (minixen: domain 1 (domU1) shut down: poweroff)"
ok "$alive" "linux domU: the machine stays up after a domU's poweroff (dom0 idles)"
! has "$log" 'Kernel panic|Oops|Unable to handle kernel|minixen: (panic|fatal)|data abort'
ok $? "linux domU: no kernel panic or oops, no hypervisor panic, no abort in the log"
tap_end "$tap" "linux-$BOARD" "$work"
