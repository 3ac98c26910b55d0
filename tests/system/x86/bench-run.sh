#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/bench/run.sh for the x86_64 port: boot minixen on the qemu-x86_64 board's machine
# (QEMU q35, SVM+NPT; boards/qemu-x86_64/board.mk, whatever the caller's environment says)
# with the conformance guest (an x86_64 PVH ELF) as dom0 and as a peer domU joined by static
# event channels, the same layout and bootargs as the arm64 runs, so tools/bench.sh and
# tests/bench/report.py read its log the same way. HV xen boots Xen 4.17 amd64 instead, with
# the guest as its PVH dom0 alone (tests/peer/xen-run-x86.sh, its retry of a stalled boot
# included): Xen 4.17 has no dom0less on x86, so the rows that need the peer are skipped.
#
#   bench-run.sh HV NAME OUTDIR HV_IMAGE GUEST [options]     HV: minixen | xen
#     --smp N            host CPUs (default 1)
#     --vcpus N          dom0's vCPUs (default 2)
#     --main-args "..."  dom0 bootargs (default "role=bench")
#     --icount           -icount shift=0,sleep=off -rtc clock=vm (exact; one CPU only)
#     --plugin SPEC      a TCG plugin (-plugin SPEC)
#     --xen-machine      minixen on the machine Xen needs (tests/lib/xen-x86-machine.sh: its
#                        CPU model and AMD IOMMU), so its figures can be set beside Xen's;
#                        HV xen always runs there
#     --timeout S        wall-clock limit (default 300)
#
# Outputs OUTDIR/NAME.log (serial, CRs removed); exit status 0 once dom0 printed its end
# marker ("# xtest done:"). Boot modules (QEMU -kernel, Multiboot): 0 the domains' DT
# (x86 names modules by module-index, see boards/qemu-x86_64/domains.dts), 1 the guest.
# dom0 port 10 <-> peer port 11 (echo), dom0 port 12 <-> peer port 13 (control).
set -euo pipefail

hv=$1 name=$2 out=$3 image=$4 guest=$5
shift 5
smp=1 vcpus=2 main_args="role=bench" icount=() plugin=() timeout_s=300 xen_machine=""
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift ;;
    --vcpus) vcpus=$2; shift ;;
    --gic) shift ;; # arm64 only
    --main-args) main_args=$2; shift ;;
    --icount) icount=(--icount) ;;
    --plugin) plugin=(--plugin "$2"); shift ;;
    --xen-machine) xen_machine=1 ;;
    --timeout) timeout_s=$2; shift ;;
    *) echo "bench-run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case $hv in
minixen) ;;
xen) # dom0 gets what minixen's dom0 gets: the memory, the vCPUs, the bootargs (no peer=)
    exec "$(dirname "$0")/../../peer/xen-run-x86.sh" "$name" "$out" "$image" "$guest" \
        --smp "$smp" --vcpus "$vcpus" --dom0-mem 128M --main-args "$main_args" \
        --timeout "$timeout_s" "${icount[@]}" "${plugin[@]}" >/dev/null ;;
*) echo "bench-run.sh: unknown hypervisor $hv" >&2; exit 2 ;;
esac

lib=$(dirname "$0")/../../lib
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/static-channels.sh"
. "$lib/dom0-dt.sh"
. "$lib/xen-x86-machine.sh"
board_vars qemu-x86_64 force
machine=()
[ -z "$xen_machine" ] || machine=(--cpu "$XEN_X86_CPU")
mkdir -p "$out"
{
    dt_chosen_dom0_x86 "dom0_mem=128M dom0_max_vcpus=$vcpus" "$main_args $DOM0_CHANNEL_ARGS"
    dt_channels dom0
    cat <<DTS
        domU1 {
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0x0 0x10000>;
            cpus = <1>;
            module@1 {
                compatible = "multiboot,kernel", "multiboot,module";
                module-index = <1>;
                reg = <0x0 0x0 0x0 0x0>;
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
[ ${#icount[@]} -eq 0 ] || icount=(-icount shift=0,sleep=off -rtc clock=vm)
[ ${#plugin[@]} -eq 0 ] || plugin=(-plugin "${plugin[1]}")
devices=()
[ -z "$xen_machine" ] || devices=("${XEN_X86_DEVICES[@]}")
board_qemu_cmd --smp "$smp" "${machine[@]}" multiboot "$out/$name.hv" "$out/$name.dtb" \
    "$out/$name.guest" -- -no-reboot "${devices[@]}" "${icount[@]}" "${plugin[@]}"
qemu_start "$raw" "${board_qemu[@]}"
status=0
wait_for_guest "$raw" "$timeout_s" "$qemu_pid" "bench-run.sh: $name" || status=1
qemu_stop "$qemu_pid"
serial_text "$raw" "$log"
rm -f "$raw"
[ "$status" -eq 0 ]
