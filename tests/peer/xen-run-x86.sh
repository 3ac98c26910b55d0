#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot real Xen 4.17 (Debian's amd64 build) in QEMU q35 with the conformance guest, built
# as an x86_64 or i386 PVH kernel (tests/guest/arch/x86), as a PVH dom0: the x86 oracle
# for the guest's expectations and for minixen's x86 port. Xen 4.17 has no dom0less on x86, so
# there is no peer domain: the interdomain area is skipped.
#
#   xen-run-x86.sh NAME OUTDIR XEN GUEST [options]
#     --smp N            host CPUs (default 2)
#     --vcpus N          dom0_max_vcpus (default: as many as host CPUs)
#     --dom0-mem SIZE    dom0_mem (default 64M)
#     --main-args "..."  dom0 bootargs (default role=main); now=<the host's epoch seconds>
#                        is added for the guest's wall-clock check
#     --xen-args "..."   extra Xen command-line options
#     --icount           -icount shift=0,sleep=off -rtc clock=vm (exact; one CPU only)
#     --plugin SPEC      a TCG plugin (-plugin SPEC), e.g. the instruction profiler
#     --timeout S        wall-clock limit (default 300)
#
# Outputs OUTDIR/NAME.log (serial, CRs removed) and OUTDIR/NAME-d0.tap (and
# OUTDIR/NAME-stalled.log when a first boot stalled: see boot_once below). Exit status 0 if
# dom0 printed its end marker ("# xtest done:").
#
# The machine is the qemu-x86_64 board's with what Xen needs (tests/lib/xen-x86-machine.sh:
# the CPU model, an AMD IOMMU). dom0's command line is the Multiboot module's string after
# the file name, which Xen hands to a PVH dom0 in hvm_start_info's cmdline.
set -euo pipefail

name=$1 out=$2 xen=$3 guest=$4
shift 4
smp=2 vcpus="" dom0_mem=64M main_args="role=main" xen_args="" icount=() plugin=() timeout_s=300
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift ;;
    --vcpus) vcpus=$2; shift ;;
    --dom0-mem) dom0_mem=$2; shift ;;
    --icount) icount=(-icount shift=0,sleep=off -rtc clock=vm) ;;
    --plugin) plugin=(-plugin "$2"); shift ;;
    --main-args) main_args=$2; shift ;;
    --xen-args) xen_args=$2; shift ;;
    --timeout) timeout_s=$2; shift ;;
    *) echo "xen-run-x86.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

lib=$(dirname "$0")/../lib
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/xen-x86-machine.sh"
. "$lib/tap.sh"
. "$lib/now.sh"
board_vars qemu-x86_64 force
mkdir -p "$out"
# Private copies; QEMU's -initrd separates modules with commas, arguments with spaces.
cp "$xen" "$out/$name.xen"
cp "$guest" "$out/$name.guest"
log=$out/$name.log raw=$out/$name.raw

# One boot; 0 once dom0 printed its end marker, else 1 (a Xen panic or the time limit).
boot_once() {
    local status=0
    board_qemu_cmd --smp "$smp" --cpu "$XEN_X86_CPU" multiboot "$out/$name.xen" \
        "$out/$name.guest $main_args $(now_arg)" -- -no-reboot "${XEN_X86_DEVICES[@]}" \
        -append "console=com1 com1=115200,8n1 dom0=pvh dom0_mem=$dom0_mem dom0_max_vcpus=${vcpus:-$smp} noreboot loglvl=all guest_loglvl=all $xen_args" \
        "${icount[@]}" "${plugin[@]}"
    qemu_start "$raw" "${board_qemu[@]}"
    wait_for_guest "$raw" "$timeout_s" "$qemu_pid" "xen-run-x86.sh: $name" \
        '^\(XEN\) Panic on CPU' || status=1
    qemu_stop "$qemu_pid"
    serial_text "$raw" "$log"
    rm -f "$raw"
    return $status
}

# Why a stalled boot is run once more: under QEMU 7.2's TCG, Xen 4.17 sometimes leaves both
# of dom0's vCPUs blocked in HLT for good, mid-run (seen in about 1 boot in 10 on a loaded
# host, in the IPI round trips or while vCPU 1 starts). Xen's own dumps at that point ('q',
# 'a' debug keys) show no event pending, upcall flags clear, and no timer left for the
# vCPU whose guest had armed its 1 ms TSC-deadline (or one-shot APIC) wake-up before its
# `sti; hlt`: a timer interrupt lost between Xen's virtual LAPIC and QEMU's emulated SVM.
# minixen's own x86 boots of the same guest, and the arm64 oracle, have not stalled so. A
# boot that stalls twice in a row fails; the first attempt's log is kept as NAME-stalled.log.
status=0
if ! boot_once; then
    status=1
    if ! grep -aq '^(XEN) Panic on CPU' "$log"; then
        mv "$log" "$out/$name-stalled.log"
        echo "xen-run-x86.sh: $name: dom0 stalled after \"$(grep -aE '^(not )?ok ' \
            "$out/$name-stalled.log" | tail -n 1)\"; booting once more" >&2
        boot_once && status=0
    fi
fi
# dom0's lines are bare; Xen's own carry "(XEN) ".
domain_tap "$log" 0 "$out/$name-d0.tap"
exit $status
