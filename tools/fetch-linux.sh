#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch Debian 12's own arm64 Linux kernel (the one linux-image-arm64 points to now, or
# KPKG) and busybox-static into DEST (default build/linux-arm64): DEST/Image (the kernel,
# uncompressed, as minixen and Xen load it), DEST/busybox, DEST/version (the package), and
# DEST/modules/: the kernel's modules the tests load (Debian builds these as modules): the
# Xen devices (xen-evtchn: /dev/xen/evtchn, xen-gntdev, xen-gntalloc: /dev/xen/gnt*), and
# for a dom0 with virtio disk and network on virtio-mmio and PCI, virtio_mmio, virtio_pci
# (with virtio_pci_legacy_dev, virtio_pci_modern_dev), virtio_blk, virtio_net (with
# net_failover, failover) and ext4 (with jbd2, mbcache, crc16, crc32c_generic).
# Never committed; cached: once DEST/Image exists nothing is fetched again. As root this
# adds the arm64 architecture to dpkg and refreshes apt once (tools/lib/fetch-deb.sh).
set -euo pipefail
dest=${1:-build/linux-arm64}
MODULES="xen-evtchn xen-gntdev xen-gntalloc virtio_mmio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net crc16 crc32c_generic mbcache jbd2 ext4"
have_all() {
    local m
    [ -s "$dest/Image" ] && [ -s "$dest/busybox" ] || return 1
    for m in $MODULES; do [ -s "$dest/modules/$m.ko" ] || return 1; done
}
have_all && exit 0
. "$(dirname "$0")/lib/fetch-deb.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# busybox first: it makes sure apt knows arm64, which resolving the kernel needs.
fetch_debs fetch-linux "$tmp/bb" busybox-static:arm64
pkg=${KPKG:-$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\).*/\1/p' | head -n 1)}
[ -n "$pkg" ] || { echo "fetch-linux: apt knows no linux-image-arm64 to follow" >&2; exit 1; }
fetch_debs fetch-linux "$tmp/k" "$pkg:arm64"
kernel=$(find "$tmp/k/boot" -name 'vmlinuz-*' | head -n 1)
[ -n "$kernel" ] || { echo "fetch-linux: no vmlinuz in $pkg" >&2; exit 1; }
mkdir -p "$dest"
# Debian's arm64 vmlinuz is the Image, or gzip of it.
if gzip -t "$kernel" 2>/dev/null; then gzip -dc "$kernel" >"$dest/Image.tmp"; else cp "$kernel" "$dest/Image.tmp"; fi
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
echo "$pkg" >"$dest/version"
mv "$dest/Image.tmp" "$dest/Image"
echo "  FETCH   $pkg, busybox-static (arm64) -> $dest"
