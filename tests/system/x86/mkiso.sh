#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build a BIOS-bootable GRUB ISO that starts minixen through Multiboot2.
#
#   mkiso.sh OUT.iso MINIXEN [MODULE...]
#
# The modules are handed over in the order given, as QEMU -initrd "a,b" does. grub-mkrescue comes from grub-pc-bin (with xorriso and mtools).
set -eu
out=$1 image=$2
shift 2
tree=$(mktemp -d "${TMPDIR:-/tmp}/minixen-iso.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/boot/grub"
cp "$image" "$tree/boot/minixen"
{
    echo "set timeout=0"
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial"
    echo "terminal_output serial"
    echo "menuentry minixen {"
    echo "    multiboot2 /boot/minixen"
    i=0
    for file in "$@"; do
        cp "$file" "$tree/boot/mod$i"
        echo "    module2 /boot/mod$i $(basename "$file")"
        i=$((i + 1))
    done
    echo "    boot"
    echo "}"
} >"$tree/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$tree" >/dev/null 2>&1 || {
    echo "mkiso: grub-mkrescue failed (needs grub-pc-bin, xorriso, mtools: make deps)" >&2
    exit 1
}
