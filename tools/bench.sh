#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The in-guest benchmark on QEMU virt (arm64, GICv3): the test guest's role=bench as dom0
# (2 vCPUs) with a dom0less peer domain (tests/bench/run.sh), then the table into
# docs/PERFORMANCE.md (tests/bench/report.py; other sections of the file are kept).
#
#   tools/bench.sh minixen   `make bench`: minixen alone
#   tools/bench.sh minixen-x86  `make bench BOARD=qemu-x86_64`: minixen on QEMU q35 (SVM+NPT),
#                            the guest as an x86_64 PVH domain (tests/system/x86/bench-run.sh)
#   tools/bench.sh peer      `make bench-peer`: minixen and Xen 4.17, alternating, same
#                            QEMU settings; ratios, targets, per-function breakdown, chart
#   tools/bench.sh peer-x86  `make bench-peer BOARD=qemu-x86_64`: the same on x86_64, minixen
#                            and Xen 4.17 amd64 both on the machine Xen needs
#                            (tests/lib/xen-x86-machine.sh); Xen's dom0 runs alone (no
#                            dom0less on x86), so its peer rows are n/a
#
# Runs: one with -smp 1 under -icount shift=0,sleep=off (every figure an exact count of
# emulated instructions, repeatable), then BENCH_RUNS (5) per hypervisor with -smp 2 in
# wall-clock time (cross-CPU figures; medians). For the peer comparison also two profiled
# -icount runs per row and hypervisor (BENCH_PROFILE_ITERS and twice as many iterations,
# only that row: the difference is one row's cost, attributed to functions by
# tests/bench/insn_profile.c, a QEMU plugin).
# The rows profiled are those each hypervisor's -icount run printed (BENCH lines), so a row
# the guest gains is profiled without a change here.
# Environment: BENCH_ITERS (1000), BENCH_RUNS (5), BENCH_PROFILE_ITERS (200), BENCH_OUT.
set -euo pipefail

mode=${1:-minixen}
board=qemu-virt-arm64
image=build/$board/minixen.bin
elf=build/$board/minixen
guest=build/guest/arm64/xtest.bin
xen=build/xen-4.17/xen-4.17-arm64
out=${BENCH_OUT:-build/bench/$mode}
iters=${BENCH_ITERS:-1000}
runs=${BENCH_RUNS:-5}
piters=${BENCH_PROFILE_ITERS:-200}
runner=tests/bench/run.sh
machine=() # more run options for every boot
if [ "$mode" = minixen-x86 ] || [ "$mode" = peer-x86 ]; then # the same runs and rows on x86_64
    board=qemu-x86_64
    image=build/$board/minixen
    elf=$image
    guest=build/guest/x86_64/xtest.elf
    xen=build/xen-4.17/xen-4.17-amd64
    runner=tests/system/x86/bench-run.sh
    [ "$mode" = minixen-x86 ] || machine=(--xen-machine)
fi

case $mode in
minixen | minixen-x86) hvs=(minixen) ;;
peer | peer-x86) hvs=(minixen xen) ;;
*) echo "usage: tools/bench.sh minixen|minixen-x86|peer|peer-x86" >&2; exit 2 ;;
esac
rm -rf "$out" && mkdir -p "$out"
# Private copies: the runs take minutes and others may rebuild meanwhile.
cp "$image" "$out/minixen.bin"
cp "$elf" "$out/minixen.elf"
cp "$guest" "$out/xtest.bin"

hv_image() { if [ "$1" = xen ]; then echo "$xen"; else echo "$out/minixen.bin"; fi; }

run() { # run HV NAME [run.sh options]: one boot; its log must have every BENCH line
    local hv=$1 name=$2
    shift 2
    echo "  BENCH  $hv $name"
    if ! "$runner" "$hv" "$name" "$out/runs" "$(hv_image "$hv")" "$out/xtest.bin" \
        "${machine[@]}" "$@" >/dev/null; then
        echo "bench: $hv $name did not finish (log: $out/runs/$name.log)" >&2
    fi
}

for hv in "${hvs[@]}"; do
    run "$hv" "$hv-icount" --smp 1 --icount --main-args "role=bench iters=$iters"
done
for i in $(seq "$runs"); do
    for hv in "${hvs[@]}"; do # alternating, so a change in the host's load hits both
        run "$hv" "$hv-smp2-$i" --smp 2 --main-args "role=bench iters=$iters"
    done
done
if [ ${#hvs[@]} -gt 1 ]; then
    gcc -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/insn_profile.so" \
        tests/bench/insn_profile.c -lpthread
    for hv in "${hvs[@]}"; do
        rows=$(sed -n 's/^BENCH \([a-z0-9_]*\) [0-9]* [0-9]*$/\1/p' "$out/runs/$hv-icount.log" \
            2>/dev/null | grep -vx boot_to_guest || true)
        for row in $rows; do
            for k in 1 2; do
                run "$hv" "$hv-prof-$row-$k" --smp 1 --icount \
                    --plugin "$out/insn_profile.so,out=$out/runs/$hv-prof-$row-$k.prof" \
                    --main-args "role=bench iters=$((piters * k)) rows=$row"
            done
        done
    done
fi

if ! python3 -c 'import matplotlib' 2>/dev/null && [ ${#hvs[@]} -gt 1 ] && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -q --no-install-recommends python3-matplotlib >/dev/null 2>&1 || true
fi
# The chart needs matplotlib: Debian's python3 has it when python3-matplotlib is installed,
# a python3 of its own earlier in PATH may not.
py=python3
python3 -c 'import matplotlib' 2>/dev/null || ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null ||
    py=/usr/bin/python3
$py tests/bench/report.py "$mode" "$out" --iters "$iters" --runs "$runs" \
    --profile-iters "$piters" --minixen-elf "$out/minixen.elf" --minixen-image "$out/minixen.bin" \
    --xen-image "$xen" --doc docs/PERFORMANCE.md --chart "docs/bench-$mode.png"
