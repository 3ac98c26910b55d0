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
#
# Runs: one with -smp 1 under -icount shift=0,sleep=off (every figure an exact count of
# emulated instructions, repeatable), then BENCH_RUNS (5) per hypervisor with -smp 2 in
# wall-clock time (cross-CPU figures; medians). For the peer comparison also two profiled
# -icount runs per row and hypervisor (BENCH_PROFILE_ITERS and twice as many iterations,
# only that row: the difference is one row's cost, attributed to functions by
# tests/bench/insn_profile.c, a QEMU plugin).
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
rows="null_hypercall self_event_2l self_event_fifo ipi_rtt_2l ipi_rtt_fifo interdomain_rtt_2l interdomain_rtt_fifo"
runner=tests/bench/run.sh
if [ "$mode" = minixen-x86 ]; then # the same runs and rows on the x86_64 board
    board=qemu-x86_64
    image=build/$board/minixen
    elf=$image
    guest=build/guest/x86_64/xtest.elf
    runner=tests/system/x86/bench-run.sh
fi

case $mode in
minixen | minixen-x86) hvs=(minixen) ;;
peer) hvs=(minixen xen) ;;
*) echo "usage: tools/bench.sh minixen|minixen-x86|peer" >&2; exit 2 ;;
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
    if ! "$runner" "$hv" "$name" "$out/runs" "$(hv_image "$hv")" "$out/xtest.bin" "$@" \
        >/dev/null; then
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
if [ "$mode" = peer ]; then
    gcc -std=gnu11 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/insn_profile.so" \
        tests/bench/insn_profile.c -lpthread
    for row in $rows; do
        for hv in "${hvs[@]}"; do
            for k in 1 2; do
                run "$hv" "$hv-prof-$row-$k" --smp 1 --icount \
                    --plugin "$out/insn_profile.so,out=$out/runs/$hv-prof-$row-$k.prof" \
                    --main-args "role=bench iters=$((piters * k)) rows=$row"
            done
        done
    done
fi

if ! python3 -c 'import matplotlib' 2>/dev/null && [ "$mode" = peer ] && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -q --no-install-recommends python3-matplotlib >/dev/null 2>&1 || true
fi
# The chart needs matplotlib: Debian's python3 has it when python3-matplotlib is installed,
# a python3 of its own earlier in PATH may not.
py=python3
python3 -c 'import matplotlib' 2>/dev/null || ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null ||
    py=/usr/bin/python3
$py tests/bench/report.py "$mode" "$out" --iters "$iters" --runs "$runs" \
    --profile-iters "$piters" --minixen-elf "$out/minixen.elf" --minixen-image "$out/minixen.bin" \
    --xen-image "$xen" --doc docs/PERFORMANCE.md --chart docs/bench-peer.png
