#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# BOARD=rpi4 without a Raspberry Pi (QEMU has no raspi4 machine): what can be checked of
# its image and its SD card's boot partition on the build machine.
#   - `make BOARD=rpi4` builds minixen.bin, and its arm64 Image header is what booti needs
#     to run it at the board's LOAD_ADDR (magic, text_offset = LOAD_ADDR - RAM_BASE, flag
#     bit 3 clear, image_size covering the file)
#   - tools/rpi4-sd-layout assembles the partition (and a card image) with Debian's U-Boot,
#     TF-A BL31 and DT (tools/fetch-rpi4.sh; skipped if they cannot be fetched): the files
#     config.txt names are there, BL31 carries the armstub magic the firmware looks for,
#     kernel_address is where U-Boot is linked, boot.scr is a valid U-Boot script of
#     boot.source, every file it loads is on the card
#   - every address the script uses (loads, the DT copy, booti, the modules' reg) and every
#     "layout:" region lies in MEMORY_START..MEMORY_END, clear of BL31's reserved
#     0-0x80000, of U-Boot as the firmware loads it, and of the firmware's DT
#     (config.txt's device_tree_address, and the 1 MiB TF-A opens it to)
#   - the card image: an MBR with one FAT32 (0x0c) partition holding the same files
#
#   rpi4-sd-test.sh TAP-FILE
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/tap.sh"
tap=$1
work=$(mktemp -d) # kept when a result fails
tap_begin "$work/tap.body"
img=$root/build/rpi4/minixen.bin

# u64 FILE OFFSET: the little-endian 64-bit number there.
u64() { od -An -tu8 --endian=little -j "$2" -N 8 "$1" | tr -d ' '; }
u32() { od -An -tu4 --endian=little -j "$2" -N 4 "$1" | tr -d ' '; }
# board VAR: a board.mk value.
board() { sed -n "s/^$1[[:space:]]*[:?]\\?=[[:space:]]*//p" "$root/boards/rpi4/board.mk" | tail -n 1; }
# cfgvar VAR: a value of the ImageBuilder configuration (it is bash).
cfgvar() { (. "$root/boards/rpi4/imagebuilder.cfg" && eval "echo \"\${$1}\""); }
# txt KEY: config.txt's value.
txt() { sed -n "s/^$1=//p" "$root/boards/rpi4/config.txt" | tail -n 1; }

# ---- The image -----------------------------------------------------------------------
make -C "$root" --no-print-directory BOARD=rpi4 all >"$work/build.log" 2>&1 && [ -s "$img" ]
ok $? "make BOARD=rpi4 builds build/rpi4/minixen.bin"

ram=$(($(board RAM_BASE))) load=$(($(board LOAD_ADDR)))
if [ -s "$img" ]; then
    [ "$(od -An -c -j 56 -N 4 "$img" | tr -d ' ')" = ARMd ]
    ok $? "minixen.bin is an arm64 Image (ARM\\x64 magic at 0x38)"
    text_offset=$(u64 "$img" 8) image_size=$(u64 "$img" 16) flags=$(u64 "$img" 24)
    [ $((ram + text_offset)) -eq "$load" ] && [ $((ram % 0x200000)) -eq 0 ] &&
        [ $((flags & 8)) -eq 0 ]
    ok $? "booti runs it where it is linked: RAM_BASE $(printf 0x%x $ram) + text_offset $(printf 0x%x "$text_offset") = LOAD_ADDR, flag bit 3 clear"
    [ "$image_size" -ge "$(stat -c %s "$img")" ]
    ok $? "image_size $(printf 0x%x "$image_size") covers the file (and the .bss and heap behind it)"
    entry=$(aarch64-linux-gnu-nm "$root/build/rpi4/minixen" 2>/dev/null | sed -n 's/^\([0-9a-f]*\) T _start$/\1/p')
    [ -n "$entry" ] && [ $((0x$entry)) -eq "$load" ]
    ok $? "the ELF's _start is LOAD_ADDR $(printf 0x%x "$load")"
else
    skip 4 "no image to check"
fi

# ---- The boot partition --------------------------------------------------------------
make -C "$root" --no-print-directory -f tests/guest/guest.mk guest-arm64 >"$work/guest.log" 2>&1
ok $? "the conformance guest (xtest.bin, dom0 and domU0 of the configuration) builds"
dir=$work/boot
if ! "$root/tools/fetch-rpi4.sh" "$root/build/rpi4-fw" >"$work/fetch.log" 2>&1; then
    skip 11 "Debian's U-Boot, BL31 and DT cannot be fetched: $(tail -n 1 "$work/fetch.log")"
    tap_end "$tap" rpi4-sd "$work"
    exit
fi
"$root/tools/rpi4-sd-layout" -i "$work/card.img" "$dir" >"$work/layout.log" 2>&1
ok $? "tools/rpi4-sd-layout assembles the partition and the card image"

missing=''
for f in $(txt kernel) $(txt armstub) $(txt device_tree) minixen.bin xtest.bin boot.scr \
    boot.source config.txt; do
    [ -s "$dir/$f" ] || missing+=" $f"
done
[ -z "$missing" ]
ok $? "config.txt's kernel, armstub and DT, the images and the script are there${missing:+ (missing:$missing)}"

[ "$(printf '%x' "$(u32 "$dir/bl31.bin" 240)")" = 5afe570b ]
ok $? "bl31.bin carries the armstub magic 0x5afe570b at 0xf0 (the firmware then passes it the DT and U-Boot's entry)"
[ "$(u64 "$dir/u-boot.bin" 8)" -eq $(($(txt kernel_address))) ]
ok $? "kernel_address $(txt kernel_address) is where u-boot.bin is linked (its _TEXT_BASE)"
grep -qx 'arm_64bit=1' "$dir/config.txt" && grep -qx 'enable_gic=1' "$dir/config.txt" &&
    grep -qx 'enable_uart=1' "$dir/config.txt"
ok $? "config.txt: arm_64bit=1, enable_gic=1, enable_uart=1"

mkimage -l "$dir/boot.scr" >"$work/mkimage.txt" 2>&1 && grep -q 'AArch64 Linux Script' "$work/mkimage.txt" &&
    grep -q "Image 0: $(stat -c %s "$dir/boot.source") Bytes" "$work/mkimage.txt"
ok $? "boot.scr is a valid AArch64 U-Boot script of boot.source (mkimage -l)"

missing=''
for f in $(sed -n 's/^load mmc 0:1 0x[0-9a-f]* //p' "$dir/boot.source"); do
    [ -s "$dir/$f" ] || missing+=" $f"
done
[ -z "$missing" ] && grep -q '^load mmc 0:1 ' "$dir/boot.source"
ok $? "every file boot.source loads is on the partition${missing:+ (missing:$missing)}"
grep -qx 'fdt set /chosen stdout-path "serial1:115200n8"' "$dir/boot.source" &&
    [ "$(tail -n 1 "$dir/boot.source" | cut -d' ' -f1)" = booti ]
ok $? "the script sets the console back to serial1 (the mini UART) and ends in booti"

# Regions as "start end name" (end exclusive): what the script's addresses must avoid.
mem_start=$(($(cfgvar MEMORY_START))) mem_end=$(($(cfgvar MEMORY_END)))
dta=$(($(txt device_tree_address)))
ub_end=$(($(txt kernel_address) + $(u64 "$dir/u-boot.bin" 32)))
avoid=("0 $((0x80000)) TF-A BL31 (/reserved-memory/atf@0)"
    "$(($(txt kernel_address))) $ub_end U-Boot as the firmware loads it"
    "$dta $((dta + 0x100000)) the firmware's DT (device_tree_address; TF-A opens it to 1 MiB)")
# check START END WHAT: inside the memory, clear of every region to avoid: "ok WHAT", else
# "bad WHAT: why" (a line for every check, so that one that never ran is missed too).
check() {
    local r s e why=''
    if ! [ "$1" -ge "$mem_start" ] 2>/dev/null || ! [ "$2" -le "$mem_end" ] || ! [ "$1" -lt "$2" ]; then
        why="$(printf '0x%x-0x%x' "$1" "$2" 2>/dev/null) is outside MEMORY_START..MEMORY_END"
    fi
    for r in "${avoid[@]}"; do
        read -r s e _ <<<"$r"
        [ -n "$why" ] || [ "$1" -ge "$e" ] || [ "$2" -le "$s" ] ||
            why="$(printf '0x%x-0x%x' "$1" "$2") meets ${r#* * }"
    done
    if [ -z "$why" ]; then echo "ok $3"; else echo "bad $3: $why"; fi
}
{
    # The layout: every file, the script's slot, the DT copy, the hypervisor's run region.
    while read -r _ s e name; do check $((s)) $((e)) "$name"; done < <(grep '^layout:' "$dir/layout.txt")
    # The script's own addresses: each load at its file's size, the DT move's slot, booti's.
    while read -r _ _ _ a f; do
        check $((a)) $((a + $(stat -c %s "$dir/$f"))) "load of $f"
    done < <(grep '^load mmc 0:1 ' "$dir/boot.source")
    read -r _ _ _ a size < <(grep '^fdt move ' "$dir/boot.source")
    check $((a)) $((a + size)) "the DT copy"
    read -r _ k _ d < <(grep '^booti ' "$dir/boot.source")
    check $((k)) $((k + $(u64 "$dir/minixen.bin" 16))) "booti's hypervisor"
    check $((d)) $((d + size)) "booti's DT"
    # The modules' reg (<0x0 start 0x0 size>, /chosen's 2+2 cells) as the hypervisor sees them.
    while read -r _ _ node _ _ a _ size _; do
        check $((a)) $((a + size)) "$node's reg"
    done < <(grep -E '^fdt set /chosen/[^ ]+ reg <' "$dir/boot.source" | tr -d '<>')
} >"$work/addresses.txt"
# One line per layout region, load, reg, and the DT copy and booti's two.
want=$(($(grep -c '^layout:' "$dir/layout.txt") + $(grep -c '^load mmc 0:1 ' "$dir/boot.source") +
    $(grep -cE '^fdt set /chosen/[^ ]+ reg <' "$dir/boot.source") + 3))
! grep -q '^bad ' "$work/addresses.txt" && [ "$(grep -c '^ok ' "$work/addresses.txt")" -eq "$want" ] &&
    [ "$want" -ge 10 ]
ok $? "all $want addresses and regions of boot.source and layout.txt are in $(printf '0x%x..0x%x' "$mem_start" "$mem_end"), clear of BL31, U-Boot and the firmware's DT$(grep '^bad ' "$work/addresses.txt" | head -n 3 | tr '\n' ';' | sed 's/^./: &/')"

# ---- The card image ------------------------------------------------------------------
[ "$(od -An -tx1 -j 510 -N 2 "$work/card.img" | tr -d ' ')" = 55aa ] &&
    [ "$(od -An -tx1 -j 450 -N 1 "$work/card.img" | tr -d ' ')" = 0c ] &&
    [ "$(u32 "$work/card.img" 454)" -eq 2048 ]
ok $? "card image: an MBR with partition 1 of type 0x0c (FAT32 LBA) from 1 MiB"
minfo -i "$work/card.img@@1M" :: 2>/dev/null | grep -q 'disk type="FAT32' &&
    mdir -i "$work/card.img@@1M" -b :: 2>/dev/null | sed 's|^::/||' | sort >"$work/card.files" &&
    (cd "$dir" && ls | sort) | cmp -s - "$work/card.files"
ok $? "card image: partition 1 is FAT32 and holds exactly the partition's files"

tap_end "$tap" rpi4-sd "$work"
rc=$?
[ $rc -ne 0 ] || rm -rf "$work"
exit $rc
