#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench-linux`: Linux dom0's time from the machine's reset to its first user-space
# instruction, on minixen and on Xen 4.17 (arm64), under the same QEMU settings (issue #15
# item 3; docs/PERFORMANCE.md, "Linux dom0 boot").
#
# Each hypervisor boots Debian 12's unmodified arm64 kernel (tools/fetch-linux.sh) as dom0
# with 1 vCPU and dom0_mem=256M, and an initramfs whose /init is tests/bench/linux/init.S:
# its first instruction reads CNTVCT_EL0, it prints that and powers off. QEMU runs
# the board's machine (qemu-virt-arm64: virt,virtualization=on,gic-version=3, cortex-a57,
# 1024 MiB) at -smp 1 under -icount shift=0,sleep=off, with
#   - tests/bench/boot_marks.c, a TCG plugin that logs how many instructions ran before the
#     kernel's first instruction and before /init's first, and how often the CPU idled;
#   - QEMU's trace event arm_gt_cntvoff_write, which logs every CNTVOFF_EL2 the hypervisor
#     writes, in the same log and in order with the plugin's marks.
# /init's counter plus the CNTVOFF_EL2 in force at its mark is the physical counter at that
# instruction: the virtual time since reset, whatever offset each hypervisor gives dom0
# (Xen: the counter at dom0's creation; minixen: 0). tests/bench/linux_report.py checks it
# against the plugin's count and writes the section.
#
# QEMU also loads tests/bench/insn_profile.c (instructions per address: OUT/HV.prof), from
# which the section lists minixen's instructions by function.
#
#   tools/bench-linux-boot.sh [minixen|xen|both]   (default both, which writes the doc)
#   environment: BENCH_LINUX_OUT (build/bench/linux), LINUX_DIR (build/linux-arm64),
#                BENCH_LINUX_TIMEOUT (seconds per boot, default 900), BENCH_LINUX_DOC
#                (docs/PERFORMANCE.md)
set -euo pipefail

which=${1:-both}
root=$(cd "$(dirname "$0")/.." && pwd)
board=qemu-virt-arm64
out=${BENCH_LINUX_OUT:-build/bench/linux}
linux=${LINUX_DIR:-build/linux-arm64}
limit=${BENCH_LINUX_TIMEOUT:-900}
doc=${BENCH_LINUX_DOC:-docs/PERFORMANCE.md}
xen=build/xen-4.17/xen-4.17-arm64
dom0_mem=256M
RAMDISK_ADDR=0x46000000 # after dom0's kernel at 0x42000000 (32 MiB), below QEMU's DTB

. "$root/tests/lib/qemu.sh"
. "$root/tests/lib/board-qemu.sh"
. "$root/tests/lib/dom0-dt.sh"
board_vars "$board" force

case $which in
minixen) hvs=(minixen) ;;
xen) hvs=(xen) ;;
both) hvs=(minixen xen) ;;
*) echo "usage: tools/bench-linux-boot.sh [minixen|xen|both]" >&2; exit 2 ;;
esac

mkdir -p "$out"
"$root/tools/fetch-linux.sh" "$linux"
[ -s "$xen" ] || "$root/tools/fetch-xen.sh" build/xen-4.17
# Private copies: a rebuild meanwhile must not change what is measured.
cp "$linux/Image" "$out/Image"
cp "$linux/version" "$out/version"
cp "build/$board/minixen.bin" "$out/minixen.bin"
cp "build/$board/minixen" "$out/minixen.elf"
cp "$xen" "$out/xen.bin"

# /init, and what the plugin marks: its first instruction (address and encoding) and the
# kernel's first two words (the Image header's code0 and code1, where both hypervisors
# enter it).
aarch64-linux-gnu-gcc -static -nostdlib -Wl,--build-id=none -o "$out/init" \
    "$root/tests/bench/linux/init.S"
word() { od -An -tx4 --endian=little -j "$2" -N 4 "$1" | tr -d ' '; }
entry=$(aarch64-linux-gnu-readelf -h "$out/init" | sed -n 's/.*Entry point address: *0x//p')
aarch64-linux-gnu-objcopy -O binary --only-section=.text "$out/init" "$out/init.text"
init_word=$(word "$out/init.text" 0)
kernel_w0=$(word "$out/Image" 0) kernel_w1=$(word "$out/Image" 4)
python3 "$root/tools/lib/initramfs.py" - "$out/init" "$out/initrd.cpio"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/boot_marks.so" \
    "$root/tests/bench/boot_marks.c"
plugin="$out/boot_marks.so,mark=kernel/any/$kernel_w0/$kernel_w1,mark=init/$entry/$init_word"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/insn_profile.so" \
    "$root/tests/bench/insn_profile.c" -lpthread

board_qemu_dts "$out/qemu" --smp 1
ksize=$(printf '0x%x' "$(stat -c %s "$out/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$out/initrd.cpio")")
dom0_args="console=hvc0 earlycon=xen rdinit=/init"
# The hypervisors' code, for the plugin's split. QEMU -kernel puts either Image 2 MiB into
# RAM (0x40200000) and enters it there with the MMU off. minixen runs where it was loaded
# (its ELF's _start.._end); Xen 4.17 moves to its link address 0x200000 (XEN_VIRT_START,
# "2M - 4M Xen text, data, bss") once its MMU is on, and has no symbols to say more.
sym() { aarch64-linux-gnu-nm "$out/minixen.elf" | sed -n "s/^\([0-9a-f]*\) . $1\$/\1/p"; }
xen_size=$(printf '%x' "$(stat -c %s "$out/xen.bin")")
minixen_hv="hv=$(sym _start)-$(sym _end)"
xen_hv="hv=200000-$(printf '%x' $((0x200000 + 0x$xen_size))),hv=40200000-$(printf '%x' $((0x40200000 + 0x$xen_size)))"
for hv in "${hvs[@]}"; do
    case $hv in
    minixen) hv_args="dom0_mem=$dom0_mem dom0_max_vcpus=1" image=$out/minixen.bin
        ranges=$minixen_hv ;;
    xen) hv_args="console=dtuart dtuart=/pl011@9000000 dom0_mem=$dom0_mem dom0_max_vcpus=1"
        image=$out/xen.bin ranges=$xen_hv ;;
    esac
    {
        cat "$out/qemu.dts"
        dt_chosen_dom0 "$hv_args" "$dom0_args" "$ksize" "$RAMDISK_ADDR" "$rsize"
        printf '    };\n};\n'
    } >"$out/$hv.dts"
    dtc -q -I dts -O dtb -o "$out/$hv.dtb" "$out/$hv.dts"
    board_qemu_cmd --smp 1 kernel "$image" "$out/$hv.dtb" "$out/Image@$DOM0_KERNEL_ADDR" \
        "$out/initrd.cpio@$RAMDISK_ADDR" -- -no-reboot -icount shift=0,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm \
        -plugin "$plugin,$ranges" -d plugin -trace arm_gt_cntvoff_write -D "$out/$hv.qemu.log"
    rm -f "$out/$hv.prof"
    board_qemu+=(-plugin "$out/insn_profile.so,out=$out/$hv.prof")
    echo "  BENCH   linux dom0 boot on $hv"
    start=$(date +%s)
    qemu_start "$out/$hv.raw" "${board_qemu[@]}"
    rc=0
    wait_for_log "$out/$hv.raw" "bench-linux: init cntvct=" "$limit" "$qemu_pid" || rc=$?
    # /init powers the machine off at once; let QEMU exit by itself (the plugin's exit line).
    for _ in $(seq 100); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.1; done
    qemu_stop "$qemu_pid"
    serial_text "$out/$hv.raw" "$out/$hv.log"
    rm -f "$out/$hv.raw"
    echo "$(($(date +%s) - start))" >"$out/$hv.seconds"
    [ "$rc" -eq 0 ] || { echo "bench-linux: $hv never reached /init (log: $out/$hv.log)" >&2; exit 1; }
done
[ "$which" = both ] || exit 0
python3 "$root/tests/bench/linux_report.py" "$out" --doc "$doc" \
    --minixen-rev "$(git -C "$root" rev-parse --short HEAD)"
