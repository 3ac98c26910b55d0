#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch what a Raspberry Pi 4's boot partition needs from Debian 12's arm64 packages (all in
# main) into DEST (default build/rpi4-fw), for `make sd-image BOARD=rpi4` and the host test
# of the board's DT:
#   DEST/u-boot.bin            u-boot-rpi's rpi_arm64 U-Boot (the Pi 3/4 64-bit build)
#   DEST/bl31.bin              arm-trusted-firmware's rpi4 BL31: the firmware's armstub,
#                              which gives PSCI (it edits the DT the firmware passes on)
#   DEST/bcm2711-rpi-4-b.dtb   the Pi 4's DT from Debian's arm64 kernel package (the one its
#                              linux-image-arm64 depends on now, or KPKG): only this file is
#                              unpacked from it
#   DEST/versions              the three packages
# The Pi's own firmware (start4.elf, fixup4.dat) is in non-free-firmware's raspi-firmware,
# which this does not fetch (docs/boards.md says where it comes from). Cached: once DEST has
# the three files nothing is fetched again. As root this adds arm64 to dpkg's architectures
# and refreshes apt once (tools/lib/fetch-deb.sh).
#
#   fetch-rpi4.sh [DEST]
set -euo pipefail
dest=${1:-build/rpi4-fw}
dtb=bcm2711-rpi-4-b.dtb
[ -s "$dest/u-boot.bin" ] && [ -s "$dest/bl31.bin" ] && [ -s "$dest/$dtb" ] && exit 0
. "$(dirname "$0")/lib/fetch-deb.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The small packages first: they make sure apt knows arm64, which resolving the kernel needs.
fetch_debs fetch-rpi4 "$tmp/fw" u-boot-rpi:arm64 arm-trusted-firmware:arm64
for f in usr/lib/u-boot/rpi_arm64/u-boot.bin usr/lib/arm-trusted-firmware/rpi4/bl31.bin; do
    [ -s "$tmp/fw/$f" ] || { echo "fetch-rpi4: no /$f in the packages" >&2; exit 1; }
done
pkg=${KPKG:-$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\).*/\1/p' | sort -V | tail -n 1)}
[ -n "$pkg" ] || { echo "fetch-rpi4: apt knows no linux-image-arm64 (arm64) to follow" >&2; exit 1; }
# The kernel package is large and only one small file of it is wanted: no dpkg -x.
mkdir -p "$tmp/k" "$tmp/kx"
chmod 755 "$tmp/k" # apt-get download drops privileges to _apt, which must write here
(cd "$tmp/k" && apt-get download -q "$pkg:arm64" >/dev/null 2>&1) ||
    { echo "fetch-rpi4: apt-get download $pkg:arm64 failed" >&2; exit 1; }
dpkg-deb --fsys-tarfile "$tmp"/k/*.deb |
    tar -x -C "$tmp/kx" --wildcards "./usr/lib/linux-image-*/broadcom/$dtb"
src=$(find "$tmp/kx" -name "$dtb" | head -n 1)
[ -n "$src" ] || { echo "fetch-rpi4: no broadcom/$dtb in $pkg" >&2; exit 1; }
mkdir -p "$dest"
cp "$tmp/fw/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$dest/u-boot.bin"
cp "$tmp/fw/usr/lib/arm-trusted-firmware/rpi4/bl31.bin" "$dest/bl31.bin"
{ # apt-get download fetched the candidates
    for d in u-boot-rpi arm-trusted-firmware; do
        echo "$d $(apt-cache show "$d:arm64" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)"
    done
    echo "$pkg"
} >"$dest/versions"
cp "$src" "$dest/$dtb.tmp"
mv "$dest/$dtb.tmp" "$dest/$dtb"
echo "  FETCH   u-boot-rpi, arm-trusted-firmware, $dtb ($pkg) -> $dest"
