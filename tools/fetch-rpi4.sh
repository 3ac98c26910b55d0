#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch what a Raspberry Pi 4's boot partition needs from Debian 12's arm64 packages (all in
# main) into DEST (default build/rpi4-fw), for `make sd-image BOARD=rpi4` and the host test
# of the board's DT:
#   DEST/u-boot.bin            u-boot-rpi's rpi_arm64 U-Boot (the Pi 3/4 64-bit build)
#   DEST/bl31.bin              arm-trusted-firmware's rpi4 BL31: the firmware's armstub,
#                              which gives PSCI (it edits the DT the firmware passes on)
#   DEST/bcm2711-rpi-4-b.dtb   the Pi 4's DT from Debian's arm64 kernel package, as
#                              tools/fetch-linux.sh keeps it (LINUX_DIR, default the
#                              tree's build/linux-arm64: its dtbs/broadcom/)
#   DEST/versions              the three packages
# The Pi's own firmware (start4.elf, fixup4.dat) is in non-free-firmware's raspi-firmware,
# which this does not fetch (docs/boards.md says where it comes from). Cached: once DEST has
# the three files nothing is fetched again. As root this adds arm64 to dpkg's architectures
# and refreshes apt once (tools/lib/fetch-deb.sh).
#
#   fetch-rpi4.sh [DEST]
set -euo pipefail
dest=${1:-build/rpi4-fw}
here=$(dirname "$0")
linux=${LINUX_DIR:-$(cd "$here/.." && pwd)/build/linux-arm64} # the tree's, wherever we run
dtb=bcm2711-rpi-4-b.dtb
[ -s "$dest/u-boot.bin" ] && [ -s "$dest/bl31.bin" ] && [ -s "$dest/$dtb" ] && exit 0
. "$here/lib/fetch-deb.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch_debs fetch-rpi4 "$tmp/fw" u-boot-rpi:arm64 arm-trusted-firmware:arm64
for f in usr/lib/u-boot/rpi_arm64/u-boot.bin usr/lib/arm-trusted-firmware/rpi4/bl31.bin; do
    [ -s "$tmp/fw/$f" ] || { echo "fetch-rpi4: no /$f in the packages" >&2; exit 1; }
done
"$here/fetch-linux.sh" "$linux" arm64
[ -s "$linux/dtbs/broadcom/$dtb" ] || { echo "fetch-rpi4: no dtbs/broadcom/$dtb in $linux" >&2; exit 1; }
mkdir -p "$dest"
cp "$tmp/fw/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$dest/u-boot.bin"
cp "$tmp/fw/usr/lib/arm-trusted-firmware/rpi4/bl31.bin" "$dest/bl31.bin"
{ # apt-get download fetched the candidates
    for d in u-boot-rpi arm-trusted-firmware; do
        echo "$d $(apt-cache show "$d:arm64" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)"
    done
    cat "$linux/version"
} >"$dest/versions"
cp "$linux/dtbs/broadcom/$dtb" "$dest/$dtb.tmp"
mv "$dest/$dtb.tmp" "$dest/$dtb"
echo "  FETCH   u-boot-rpi, arm-trusted-firmware ($dtb: $(cat "$linux/version")) -> $dest"
