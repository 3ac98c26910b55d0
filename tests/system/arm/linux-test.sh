#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Manual proof (not part of make test yet: issue #13 item 4 wants it there) that an
# unmodified Linux dom0less domU gets a console on ttyAMA0 from minixen's vPL011 and a
# shell on it: Debian 12's arm64 kernel and busybox-static, an initramfs whose /init
# prints a line and starts a shell, booted as domU1 (DT node with Xen's `vpl011`,
# bootargs console=ttyAMA0) beside the conformance guest as dom0 (end=idle: it stays up,
# so the machine does). The script switches the serial input to DOM1 (Ctrl-A three
# times, as on Xen), types a command, checks its answer, and powers the domU off.
#
#   tools/linux-domu-console.sh [BOARD]   (default qemu-virt-arm64; needs dtc, python3)
#   environment: KPKG (default linux-image-6.1.0-50-arm64), WORK (default build/linux-domu)
# Exit 0 when the shell answered; the log is $WORK/boot.log.
set -eu
BOARD=${1:-qemu-virt-arm64}
KPKG=${KPKG:-linux-image-6.1.0-50-arm64}
WORK=${WORK:-build/linux-domu}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tools/lib/fetch-deb.sh"
. "$root/tests/lib/qemu.sh"
. "$root/tests/lib/board-qemu.sh"
. "$root/tests/lib/dom0-dt.sh"
board_vars "$BOARD"
KERNEL_ADDR=0x50000000  # the domU's kernel and ramdisk, clear of dom0's guest at
RAMDISK_ADDR=0x54000000 # DOM0_KERNEL_ADDR and of QEMU's DTB at 0x48000000

mkdir -p "$WORK"
[ -e "$WORK/deb/bin/busybox" ] || fetch_debs linux-domu "$WORK/deb" "$KPKG:arm64" busybox-static:arm64
kernel=$(ls "$WORK"/deb/boot/vmlinuz-* | head -1)
if gzip -t "$kernel" 2>/dev/null; then zcat "$kernel" >"$WORK/Image"; else cp "$kernel" "$WORK/Image"; fi

# The initramfs (cpio newc, written by python3), with /dev/console for the initial console.
python3 - "$WORK/deb/bin/busybox" "$WORK/initrd.cpio" <<'PY'
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

image="$root/build/$BOARD/minixen.bin"
guest="$root/build/guest/arm64/xtest.bin"
make -C "$root" --no-print-directory BOARD="$BOARD" >/dev/null
make -C "$root" --no-print-directory -f tests/guest/guest.mk guest-arm64 >/dev/null
board_qemu_dts "$WORK/qemu" --smp 2
gsize=$(printf '0x%x' "$(stat -c %s "$guest")")
ksize=$(printf '0x%x' "$(stat -c %s "$WORK/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$WORK/initrd.cpio")")
{ cat "$WORK/qemu.dts"
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
} >"$WORK/domu.dts"
dtc -q -I dts -O dtb -o "$WORK/domu.dtb" "$WORK/domu.dts"

fifo=$WORK/input
rm -f "$fifo" && mkfifo "$fifo"
exec 9<>"$fifo"
log=$WORK/boot.raw
board_qemu_cmd --smp 2 kernel "$image" "$WORK/domu.dtb" "$guest@$DOM0_KERNEL_ADDR" \
    "$WORK/Image@$KERNEL_ADDR" "$WORK/initrd.cpio@$RAMDISK_ADDR"
QEMU_STDIN=$fifo qemu_start "$log" "${board_qemu[@]}"
status=1
if wait_for_log "$log" "=== domU console: ttyAMA0" 240 "$qemu_pid" &&
    wait_for_log "$log" "^# xtest idle" 120 "$qemu_pid"; then
    sleep 2 # the shell's prompt
    printf '\001\001\001' >&9
    if wait_for_log "$log" "Serial input to DOM1" 20 "$qemu_pid"; then
        printf 'echo answer-$((6 * 7))\n' >&9
        wait_for_log "$log" "^answer-42" 30 "$qemu_pid" && status=0
        printf 'poweroff -f\n' >&9
        wait_for_log "$log" "domain 1 .*(shut down|powered off|poweroff)" 30 "$qemu_pid" || true
    fi
fi
qemu_stop "$qemu_pid"
exec 9>&-
serial_text "$log" "$WORK/boot.log"
rm -f "$fifo" "$log"
grep -aE "ttyAMA0|=== domU|answer-|Serial input|domain 1" "$WORK/boot.log" | head -20
[ "$status" -eq 0 ] && echo "linux-domu-console: the domU's shell answered on ttyAMA0" ||
    echo "linux-domu-console: FAILED (log: $WORK/boot.log)"
exit "$status"
