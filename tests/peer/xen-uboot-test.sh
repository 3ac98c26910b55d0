#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The boot script tools/uboot-script-gen makes boots real Xen 4.17 as well as minixen
# (issue #16): boards/$BOARD/imagebuilder-test.cfg, the configuration of the system test's
# U-Boot path, with only XEN= changed to name Xen's image. U-Boot (QEMU -bios) fetches the
# script and the images over TFTP, Xen boots the conformance guest as dom0 and as the
# dom0less domU0 joined by the static event channels, and both run the suite.
#
#   xen-uboot-test.sh BOARD XEN GUEST RESULTS
#     XEN     Xen 4.17's arm64 image (tools/fetch-xen.sh); missing: every result a SKIP
#     GUEST   the conformance guest (build/guest/arm64/xtest.bin)
#   TAP in RESULTS/peer-xen-uboot-BOARD.tap (and each domain's in
#   RESULTS/peer-xen-uboot-BOARD-d{0,1}.tap); logs in build/peer-xen/uboot-BOARD/.
#   One boot of at most XEN_UBOOT_TIMEOUT seconds (default 150): it ends when dom0 powers
#   off (Xen halts the machine), at a panic, or then.
set -u
BOARD=$1 XEN=$2 GUEST=$3 RESULTS=$4
: "${XEN_UBOOT_TIMEOUT:=150}"
root=$(cd "$(dirname "$0")/../.." && pwd)
lib=$root/tests/lib
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/now.sh"
board_vars "$BOARD" || exit 1
UBOOT_BIOS=${UBOOT_BIOS:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}

work=$root/build/peer-xen/uboot-$BOARD
tap="$RESULTS/peer-xen-uboot-$BOARD.tap"
mkdir -p "$work/tftp" "$RESULTS"
rm -f "$RESULTS/peer-xen-uboot-$BOARD"-d*.tap
tap_begin "$work/tap.body"
total=8 # the results below, skipped together when they cannot run

if [ ! -s "$XEN" ]; then
    skip $total "no Xen 4.17 image at $XEN (tools/fetch-xen.sh could not fetch it)"
elif [ ! -r "$UBOOT_BIOS" ] || ! command -v mkimage >/dev/null; then
    skip $total "no U-Boot for QEMU ($UBOOT_BIOS) or no mkimage"
elif [ ! -s "$GUEST" ]; then
    skip $total "no conformance guest at $GUEST"
else
    cp "$XEN" "$work/tftp/xen" && cp "$GUEST" "$work/tftp/xtest.bin" || exit 1
    # The board's configuration as it is; only the hypervisor's image differs.
    cat >"$work/xen.cfg" <<EOF
. "$root/boards/$BOARD/imagebuilder-test.cfg"
XEN="xen"
EOF
    board_uboot_script "$work/xen.cfg" "$work/tftp" --now
    ok $? "the generator wrote a boot script for Xen from imagebuilder-test.cfg (XEN=xen)"
    # Xen's Image may run anywhere 2 MiB aligned (flag bit 3): loaded there, not moved.
    has "$work/tftp/layout.txt" "^layout: 0x[0-9a-f]*[02468ace]00000 0x[0-9a-f]+ XEN \(xen, image_size\)$"
    ok $? "Xen's image placed at a 2 MiB boundary ($work/tftp/layout.txt)"

    log=$work/boot.log
    board_qemu_cmd --smp 2 uboot "$work/tftp" || exit 1
    qemu_run_until "$log" "$XEN_UBOOT_TIMEOUT" "(Hardware Dom0 halted|Panic on CPU)" "${board_qemu[@]}"
    serial_text "$log" "$log.txt"
    has "$log.txt" "^Starting kernel"; ok $? "U-Boot ran the script and started Xen's Image (booti)"
    has "$log.txt" "Xen version 4\.17"; ok $? "Xen 4.17 booted"
    has "$log.txt" "LOADING DOMU cpus=1 memory=(0x)?10000KB"
    ok $? "Xen built the dom0less domU0 the script describes (1 vCPU, 64 MiB)"
    ! has "$log.txt" "Panic on CPU"; ok $? "no Xen panic"
    # dom0's console lines are bare; domU0 (d1) writes through console_io ("(d1) ") or
    # its vPL011 ("DOM1: "), after Xen's "(XEN) " when Xen prints them.
    d0="$RESULTS/peer-xen-uboot-$BOARD-d0.tap" d1="$RESULTS/peer-xen-uboot-$BOARD-d1.tap"
    grep -aE '^(ok |not ok |1\.\.[0-9]|# )' "$log.txt" >"$d0"
    sed -nE 's/^(\(XEN\) )?(\(d1\) |DOM1: )//p' "$log.txt" | grep -aE '^(ok |not ok |1\.\.[0-9]|# )' >"$d1"
    why=$(tap_verdict "$d0")
    ok $? "dom0 (the guest, role=main): TAP complete and passing${why:+ ($why; $d0)}"
    why=$(tap_verdict "$d1")
    ok $? "domU0 (the guest, role=peer, static channels to dom0): TAP complete and passing${why:+ ($why; $d1)}"
fi
tap_end "$tap" "peer-xen-uboot-$BOARD" "$work"
