#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Manual proof (not part of make test) that an unmodified Linux dom0 on arm64 gets its date
# from the host's PL031 (docs/time.md): Debian 12's arm64 kernel and busybox-static, an
# initramfs whose /init prints `date` and the RTC's name and powers off, booted as dom0 on
# minixen in QEMU virt (QEMU's own DT + /chosen as the system tests write it).
#
#   tools/linux-dom0-date.sh [BOARD]      (default qemu-virt-arm64; needs dtc, python3)
#   environment: KPKG (default: the kernel linux-image-arm64 points to; see
#                tools/fetch-linux.sh), LINUX_DIR (build/linux-arm64), WORK (build/linux-dom0)
set -eu
BOARD=${1:-qemu-virt-arm64}
LINUX_DIR=${LINUX_DIR:-build/linux-arm64}
WORK=${WORK:-build/linux-dom0}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/qemu.sh"
. "$root/tests/lib/dom0-dt.sh"
machine=$(sed -n 's/^QEMU_MACHINE *:= *//p' "$root/boards/$BOARD/board.mk")
cpu=$(sed -n 's/^CPU *:= *//p' "$root/boards/$BOARD/board.mk")
RAMDISK_ADDR=0x46000000 # after the kernel at 0x42000000 (32 MiB), below QEMU's DTB

mkdir -p "$WORK"
"$root/tools/fetch-linux.sh" "$LINUX_DIR"
cp "$LINUX_DIR/Image" "$WORK/Image"

# The initramfs: busybox, /dev/console and an /init that prints the date and the RTC.
cat >"$WORK/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox echo "=== dom0 date:"
/bin/busybox date
/bin/busybox echo "=== rtc0:"
/bin/busybox cat /sys/class/rtc/rtc0/name
/bin/busybox poweroff -f
INIT
python3 "$root/tools/lib/initramfs.py" "$LINUX_DIR/busybox" "$WORK/init" "$WORK/initrd.cpio"

image="$root/build/$BOARD/minixen.bin"
[ -e "$image" ] || make -C "$root" BOARD="$BOARD" >/dev/null
qemu_dts "$WORK/qemu" "$machine" qemu-system-aarch64 -cpu "$cpu" -m 1024 -smp 2 -nographic
ksize=$(printf '0x%x' "$(stat -c %s "$WORK/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$WORK/initrd.cpio")")
{ cat "$WORK/qemu.dts"
  dt_chosen_dom0 "dom0_mem=256M dom0_max_vcpus=1" "console=hvc0 earlycon=xen rdinit=/init" \
      "$ksize" "$RAMDISK_ADDR" "$rsize"
  printf '    };\n};\n'
} >"$WORK/dom0.dts"
dtc -q -I dts -O dtb -o "$WORK/dom0.dtb" "$WORK/dom0.dts"
echo "host: $(date -u)"
timeout 300 qemu-system-aarch64 -nographic -monitor none -serial stdio -machine "$machine" \
    -cpu "$cpu" -m 1024 -smp 2 -kernel "$image" -dtb "$WORK/dom0.dtb" \
    -device "loader,file=$WORK/Image,addr=$DOM0_KERNEL_ADDR,force-raw=on" \
    -device "loader,file=$WORK/initrd.cpio,addr=$RAMDISK_ADDR,force-raw=on" </dev/null |
    tee "$WORK/boot.log"
