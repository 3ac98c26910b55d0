#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot one hypervisor (minixen or Xen 4.17) in QEMU with the conformance guest as dom0 and
# as a dom0less peer domain joined by static event channels, with QEMU settings that do
# not depend on the hypervisor, so figures from the two can be set side by side. The
# machine is the arm64 board's (qemu-virt-arm64, or qemu-virt-arm64-gicv2 for --gic 2) as
# boards/<board>/board.mk says, whatever the caller's environment says.
#
#   run.sh HV NAME OUTDIR HV_IMAGE GUEST [options]      HV: minixen | xen
#     --smp N            host CPUs (default 1)
#     --vcpus N          dom0's vCPUs (default 2: two vCPUs share one CPU at --smp 1)
#     --gic 2|3          GIC version, that is the board (default 3: qemu-virt-arm64)
#     --main-args "..."  dom0 bootargs (default "role=bench")
#     --icount           -icount shift=0,sleep=off -rtc clock=vm (exact; one CPU only)
#     --plugin SPEC      a TCG plugin (-plugin SPEC), e.g. the instruction profiler
#     --timeout S        wall-clock limit (default 300)
#
# Outputs OUTDIR/NAME.log (serial, CRs removed). Exit status 0 once dom0 printed its end
# marker ("# xtest done:"). dom0 then powers off and both hypervisors power the machine off
# with it (Xen on Arm, and minixen, PSCI SYSTEM_OFF), so QEMU usually exits by itself;
# qemu_stop ends it otherwise (a TCG plugin writes its report either way, at QEMU's exit).
#
# Layout (same as tests/peer/xen-run.sh and boards/*/domains.dtsi): dom0 port 10 <-> peer
# port 11 (echo), dom0 port 12 <-> peer port 13 (control); images at 0x42000000 and
# 0x43000000, away from QEMU's DTB at 0x48000000. The board's memory (1024 MiB); dom0 gets
# 128 MiB, the peer 64.
set -euo pipefail

hv=$1 name=$2 out=$3 image=$4 guest=$5
shift 5
smp=1 vcpus=2 gic=3 main_args="role=bench" icount=() plugin=() timeout_s=300
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift ;;
    --vcpus) vcpus=$2; shift ;;
    --gic) gic=$2; shift ;;
    --main-args) main_args=$2; shift ;;
    --icount) icount=(-icount shift=0,sleep=off -rtc clock=vm) ;;
    --plugin) plugin=(-plugin "$2"); shift ;;
    --timeout) timeout_s=$2; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case $hv in
minixen) hv_args="dom0_mem=128M dom0_max_vcpus=$vcpus" ;;
xen) hv_args="console=dtuart dtuart=/pl011@9000000 dom0_mem=128M dom0_max_vcpus=$vcpus guest_loglvl=all/all" ;;
*) echo "run.sh: unknown hypervisor $hv" >&2; exit 2 ;;
esac

lib=$(dirname "$0")/../lib
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/static-channels.sh"
. "$lib/dom0-dt.sh"
case $gic in
3) board_vars qemu-virt-arm64 force ;;
2) board_vars qemu-virt-arm64-gicv2 force ;;
*) echo "run.sh: no arm64 board with GICv$gic" >&2; exit 2 ;;
esac
mkdir -p "$out"
base=$out/$name-base
board_qemu_dts "$base" --smp "$smp"

size=$(printf '0x%x' "$(stat -c %s "$guest")")
{
    cat "$base.dts"
    dt_chosen_dom0 "$hv_args" "$main_args $DOM0_CHANNEL_ARGS" "$size"
    dt_channels dom0
    cat <<DTS
        domU1 {
            compatible = "xen,domain";
            #address-cells = <1>;
            #size-cells = <1>;
            memory = <0 0x10000>;
            cpus = <1>;
            xen,enhanced = "no-xenstore";
            module@43000000 {
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x43000000 $size>;
                bootargs = "$PEER_BOOTARGS";
            };
DTS
    dt_channels domU1
    echo "        };"
    echo "    };"
    echo "};"
} >"$out/$name.dts"
dtc -q -I dts -O dtb -o "$out/$name.dtb" "$out/$name.dts"

# Private copies: a concurrent rebuild must not swap an image under a running benchmark.
cp "$image" "$out/$name.hv"
cp "$guest" "$out/$name.guest"
log=$out/$name.log raw=$out/$name.raw
board_qemu_cmd --smp "$smp" kernel "$out/$name.hv" "$out/$name.dtb" "$out/$name.guest@0x42000000" \
    "$out/$name.guest@0x43000000" -- -no-reboot "${icount[@]}" "${plugin[@]}"
qemu_start "$raw" "${board_qemu[@]}"
# dom0's lines are bare on both hypervisors; the peer's carry "(d1) ".
status=0
wait_for_guest "$raw" "$timeout_s" "$qemu_pid" "run.sh: $name" || status=1
qemu_stop "$qemu_pid"
serial_text "$raw" "$log"
rm -f "$raw"
[ "$status" -eq 0 ]
