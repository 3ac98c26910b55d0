#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Manual proof (not part of make test) that an unmodified Linux dom0 on arm64 gets its date
# from the host's PL031 (docs/time.md): Debian 12's arm64 kernel and busybox-static, an
# initramfs whose /init prints `date` and the RTC's name and powers off, booted as dom0 on
# minixen in QEMU virt (QEMU's own DT + /chosen as the system tests write it).
#
#   tools/linux-dom0-date.sh [BOARD]      (default qemu-virt-arm64; needs dtc, python3)
#   environment: KPKG (default linux-image-6.1.0-50-arm64; `apt-cache search
#                linux-image-6.1.0 | grep arm64` lists them), WORK (default build/linux-dom0)
set -eu
BOARD=${1:-qemu-virt-arm64}
KPKG=${KPKG:-linux-image-6.1.0-50-arm64}
WORK=${WORK:-build/linux-dom0}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tools/lib/fetch-deb.sh"
. "$root/tests/lib/qemu.sh"
. "$root/tests/lib/dom0-dt.sh"
machine=$(sed -n 's/^QEMU_MACHINE *:= *//p' "$root/boards/$BOARD/board.mk")
cpu=$(sed -n 's/^CPU *:= *//p' "$root/boards/$BOARD/board.mk")
RAMDISK_ADDR=0x46000000 # after the kernel at 0x42000000 (32 MiB), below QEMU's DTB

mkdir -p "$WORK"
[ -e "$WORK/deb/bin/busybox" ] || fetch_debs linux-dom0 "$WORK/deb" "$KPKG:arm64" busybox-static:arm64
kernel=$(ls "$WORK"/deb/boot/vmlinuz-* | head -1)
# Debian's arm64 vmlinuz is either the Image itself or gzip of it; minixen takes the Image.
if gzip -t "$kernel" 2>/dev/null; then zcat "$kernel" >"$WORK/Image"; else cp "$kernel" "$WORK/Image"; fi

# The initramfs (cpio newc, written by python3: no cpio tool needed).
python3 - "$WORK/deb/bin/busybox" "$WORK/initrd.cpio" <<'PY'
import sys, os
bb = open(sys.argv[1], 'rb').read()
init = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox echo "=== dom0 date:"
/bin/busybox date
/bin/busybox echo "=== rtc0:"
/bin/busybox cat /sys/class/rtc/rtc0/name
/bin/busybox poweroff -f
"""
out = bytearray()
def entry(name, mode, data=b''):
    global out
    n = name.encode() + b'\0'
    hdr = '070701' + ''.join('%08x' % v for v in
        (len(out) + 1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0))
    out += hdr.encode() + n
    out += b'\0' * (-len(out) % 4) + data
    out += b'\0' * (-len(out) % 4)
entry('bin', 0o40755)
entry('bin/busybox', 0o100755, bb)
entry('init', 0o100755, init)
entry('TRAILER!!!', 0)
open(sys.argv[2], 'wb').write(out)
PY

image="$root/build/$BOARD/minixen.bin"
[ -e "$image" ] || make -C "$root" BOARD="$BOARD" >/dev/null
qemu_dts "$WORK/qemu" "$machine" qemu-system-aarch64 -cpu "$cpu" -m 1024 -smp 2 -nographic
ksize=$(printf '0x%x' "$(stat -c %s "$WORK/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$WORK/initrd.cpio")")
{ cat "$WORK/qemu.dts"
  dt_chosen_dom0 "dom0_mem=256M dom0_max_vcpus=1" "console=hvc0 earlycon=xen rdinit=/init" "$ksize"
  cat <<DTS
        module@${RAMDISK_ADDR#0x} {
            compatible = "multiboot,ramdisk", "multiboot,module";
            reg = <0x0 $RAMDISK_ADDR 0x0 $rsize>;
        };
    };
};
DTS
} >"$WORK/dom0.dts"
dtc -q -I dts -O dtb -o "$WORK/dom0.dtb" "$WORK/dom0.dts"
echo "host: $(date -u)"
timeout 300 qemu-system-aarch64 -nographic -monitor none -serial stdio -machine "$machine" \
    -cpu "$cpu" -m 1024 -smp 2 -kernel "$image" -dtb "$WORK/dom0.dtb" \
    -device "loader,file=$WORK/Image,addr=$DOM0_KERNEL_ADDR,force-raw=on" \
    -device "loader,file=$WORK/initrd.cpio,addr=$RAMDISK_ADDR,force-raw=on" </dev/null |
    tee "$WORK/boot.log"
