#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch Debian 12's own Linux kernel for ARCH (the one its metapackage points to now, or
# KPKG) and busybox-static into DEST (default build/linux-arm64), DEST/busybox, DEST/version
# (the package), and DEST/modules/: the kernel's modules the tests load (Debian builds these
# as modules): the Xen devices (xen-evtchn: /dev/xen/evtchn, xen-gntdev, xen-gntalloc:
# /dev/xen/gnt*), and for a dom0 with virtio disk and network on virtio-mmio and PCI,
# virtio_mmio, virtio_pci (with virtio_pci_legacy_dev, virtio_pci_modern_dev), virtio_blk,
# virtio_net (with net_failover, failover) and ext4 (with jbd2, mbcache, crc16,
# crc32c_generic), and DEST/dtbs/: the package's board DTs the boards without a DT of
# their own boot with (arm64 only: DTBS, as paths under the package's /usr/lib/linux-image-*,
# e.g. xilinx/zynqmp-zcu102-rev1.0.dtb for BOARD=zcu102, whose QEMU machine makes no DT,
# and broadcom/bcm2711-rpi-4-b.dtb for BOARD=rpi4's SD card and host test).
# The kernel, by ARCH:
#   arm64 (default)  linux-image-arm64's kernel as DEST/Image (uncompressed, as minixen and
#                    Xen load it)
#   armhf            linux-image-armmp-lpae's kernel (32-bit Arm, LPAE: the flavour that runs
#                    as a guest of Xen) as DEST/zImage, as Debian ships it: an ARM zImage,
#                    which Xen boots as a 32-bit domain (checked: magic 0x016F2818 at 0x24)
#   amd64            linux-image-amd64's kernel as DEST/vmlinux: the ELF inside Debian's
#                    bzImage (tools/lib/bzimage-vmlinux.py: the setup header's payload,
#                    decompressed), whose XEN_ELFNOTE_PHYS32_ENTRY note is the PVH entry
#                    minixen's loader takes; minixen has no bzImage parser or decompressor
# Never committed; cached: once DEST's kernel exists nothing is fetched again. As root this
# adds ARCH to dpkg's architectures and refreshes apt once (tools/lib/fetch-deb.sh).
#
#   fetch-linux.sh [DEST [ARCH]]
set -euo pipefail
dest=${1:-build/linux-arm64}
arch=${2:-arm64}
case $arch in
arm64) meta=linux-image-arm64 flavour=arm64 image=Image ;;
armhf) meta=linux-image-armmp-lpae flavour=armmp-lpae image=zImage ;;
amd64) meta=linux-image-amd64 flavour=amd64 image=vmlinux ;;
*) echo "fetch-linux: ARCH is arm64, armhf or amd64, not $arch" >&2; exit 2 ;;
esac
DTBS=""
[ "$arch" != arm64 ] || DTBS="xilinx/zynqmp-zcu102-rev1.0.dtb broadcom/bcm2711-rpi-4-b.dtb"
MODULES="xen-evtchn xen-gntdev xen-gntalloc virtio_mmio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net crc16 crc32c_generic mbcache jbd2 ext4"
have_all() {
    local m
    [ -s "$dest/$image" ] && [ -s "$dest/busybox" ] || return 1
    for m in $MODULES; do [ -s "$dest/modules/$m.ko" ] || return 1; done
    for m in $DTBS; do [ -s "$dest/dtbs/$m" ] || return 1; done
}
have_all && exit 0
. "$(dirname "$0")/lib/fetch-deb.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# busybox first: it makes sure apt knows ARCH, which resolving the kernel needs.
fetch_debs fetch-linux "$tmp/bb" "busybox-static:$arch"
# The metapackage depends on one versioned kernel package (linux-image-6.1.0-N-FLAVOUR);
# -V sort, last: the newest, should it ever name more than one.
pkg=${KPKG:-$(apt-cache depends "$meta:$arch" 2>/dev/null |
    sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*-$flavour\).*/\1/p" | sort -V | tail -n 1)}
[ -n "$pkg" ] || { echo "fetch-linux: apt knows no $meta ($arch) to follow" >&2; exit 1; }
fetch_debs fetch-linux "$tmp/k" "$pkg:$arch"
kernel=$(find "$tmp/k/boot" -name 'vmlinuz-*' | head -n 1)
[ -n "$kernel" ] || { echo "fetch-linux: no vmlinuz in $pkg" >&2; exit 1; }
mkdir -p "$dest"
case $arch in
arm64)
    # Debian's arm64 vmlinuz is the Image, or gzip of it.
    if gzip -t "$kernel" 2>/dev/null; then gzip -dc "$kernel" >"$dest/Image.tmp"; else cp "$kernel" "$dest/Image.tmp"; fi
    ;;
armhf)
    # Debian's armhf vmlinuz is the zImage itself (self-decompressing), kept as it is: Xen
    # tells a 32-bit kernel by the zImage header, so it must not be unpacked. Anything else
    # (a changed packaging) would boot as nothing at all, so say so here.
    magic=$(od -An -tx4 --endian=little -j 36 -N 4 "$kernel" | tr -d ' ')
    [ "$magic" = 016f2818 ] ||
        { echo "fetch-linux: $kernel is no ARM zImage (0x$magic at 0x24, not 0x016f2818)" >&2; exit 1; }
    cp "$kernel" "$dest/zImage.tmp"
    ;;
amd64)
    python3 "$(dirname "$0")/lib/bzimage-vmlinux.py" "$kernel" "$dest/vmlinux.tmp"
    ;;
esac
cp "$tmp/bb/bin/busybox" "$dest/busybox"
mkdir -p "$dest/modules"
for m in $MODULES; do
    ko=$(find "$tmp/k/lib/modules" -name "$m.ko*" | head -n 1)
    [ -n "$ko" ] || { echo "fetch-linux: no $m module in $pkg" >&2; exit 1; }
    case $ko in
    *.xz) xz -dc "$ko" >"$dest/modules/$m.ko" ;;
    *) cp "$ko" "$dest/modules/$m.ko" ;;
    esac
done
for m in $DTBS; do
    dtb=$(find "$tmp/k/usr/lib" -path "*/linux-image-*/$m" | head -n 1)
    [ -n "$dtb" ] || { echo "fetch-linux: no $m in $pkg" >&2; exit 1; }
    mkdir -p "$dest/dtbs/$(dirname "$m")"
    cp "$dtb" "$dest/dtbs/$m"
done
echo "$pkg" >"$dest/version"
mv "$dest/$image.tmp" "$dest/$image"
echo "  FETCH   $pkg, busybox-static ($arch) -> $dest"
