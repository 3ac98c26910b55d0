#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot real Xen 4.17 in QEMU with the conformance guest as dom0 and, optionally, a
# dom0less domU running the peer role, joined by static event channels. Writes the
# serial log and one TAP file per domain.
#
#   xen-run.sh NAME OUTDIR XEN GUEST [options]
#     --smp N            vCPUs (host CPUs and dom0_max_vcpus; default 2)
#     --cpus N           host CPUs alone (default: --smp's). An AArch32 guest wants one per
#                        vCPU: QEMU's TCG can lose the SPSR of two AArch32 vCPUs taking
#                        turns on one CPU (docs/abi.md), on Xen as anywhere
#     --peer             add the dom0less peer domain (/chosen/domU1) and static channels
#     --gic 2|3          GIC version (default 3)
#     --main-args "..."  extra dom0 bootargs (role=main is the default; every domain also
#                        gets now=<the host's epoch seconds> for its wall-clock check)
#     --peer-args "..."  extra peer bootargs
#     --xen-args "..."   extra Xen command-line options (e.g. xsm=dummy)
#     --icount           -icount shift=0,sleep=off (deterministic; one CPU only)
#     --timeout S        wall-clock limit (default 90)
#
# Outputs: OUTDIR/NAME.log (serial), OUTDIR/NAME-d0.tap, and with --peer OUTDIR/NAME-d1.tap.
# Exit status 0 if every domain printed its end marker ("# xtest done:").
#
# Static channel layout (also in tests/guest/README.md): dom0 port 10 <-> peer port 11
# (echo), dom0 port 12 <-> peer port 13 (control). Images are loaded at 0x42000000 and
# 0x43000000, away from QEMU's DTB at 0x48000000.
set -euo pipefail

name=$1 out=$2 xen=$3 guest=$4
shift 4
smp=2 cpus= peer=0 gic=3 main_args="" peer_args="" xen_args="" icount=() timeout_s=90
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift ;;
    --cpus) cpus=$2; shift ;;
    --peer) peer=1 ;;
    --gic) gic=$2; shift ;;
    --main-args) main_args=$2; shift ;;
    --peer-args) peer_args=$2; shift ;;
    --xen-args) xen_args=$2; shift ;;
    --icount) icount=(-icount shift=0,sleep=off -rtc clock=vm) ;;
    --timeout) timeout_s=$2; shift ;;
    *) echo "xen-run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

lib=$(dirname "$0")/../lib
. "$lib/qemu.sh"
. "$lib/static-channels.sh"
. "$lib/dom0-dt.sh"
. "$lib/now.sh"
mkdir -p "$out"
machine="virt,virtualization=on,gic-version=$gic,dtb-randomness=off"
qemu=(qemu-system-aarch64 -machine "$machine" -cpu cortex-a57 -smp "${cpus:-$smp}" -m 2048 -nographic
      -no-reboot)
base=$out/$name-base
qemu_dts "$base" "$machine" "${qemu[@]}"

size=$(printf '0x%x' "$(stat -c %s "$guest")")
# The host's time for the guest's wall-clock check, just before the boot.
now=$(now_arg)
main_boot="role=main $now"
[ "$peer" = 1 ] && main_boot="role=main $now $DOM0_CHANNEL_ARGS"
{
    cat "$base.dts"
    dt_chosen_dom0 "console=dtuart dtuart=/pl011@9000000 dom0_mem=512M dom0_max_vcpus=$smp guest_loglvl=all/all $xen_args" "$main_boot $main_args" "$size"
    if [ "$peer" = 1 ]; then
        dt_channels dom0
        cat <<DTS
        domU1 {
            compatible = "xen,domain";
            #address-cells = <1>;
            #size-cells = <1>;
            memory = <0 0x20000>;
            cpus = <1>;
            vpl011;
            xen,enhanced = "no-xenstore";
            module@43000000 {
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x43000000 $size>;
                bootargs = "$PEER_BOOTARGS $now $peer_args";
            };
DTS
        dt_channels domU1
        echo "        };"
    fi
    echo "    };"
    echo "};"
} >"$out/$name.dts"
dtc -q -I dts -O dtb -o "$out/$name.dtb" "$out/$name.dts"

loaders=(-device "loader,file=$guest,addr=0x42000000,force-raw=on")
[ "$peer" = 1 ] && loaders+=(-device "loader,file=$guest,addr=0x43000000,force-raw=on")
log=$out/$name.log
rc=0
timeout "$timeout_s" "${qemu[@]}" "${icount[@]}" -kernel "$xen" -dtb "$out/$name.dtb" \
    "${loaders[@]}" </dev/null >"$log" 2>&1 || rc=$?
[ "$rc" = 124 ] && echo "xen-run.sh: $name timed out after ${timeout_s}s" >&2

# dom0's console_io output is printed bare; a domU's carries a "(d1) " prefix (console_io)
# or "DOM1: " (vpl011). Strip it, keep TAP lines only. With a CPU per vCPU both domains
# print at once, and Xen may put a "(d1) " line into the middle of a long dom0 line: that
# one is taken from where its prefix is.
tr -d '\r' <"$log" | grep -aE '^(ok |not ok |1\.\.|# )' >"$out/$name-d0.tap" || true
status=0
grep -aq '^# xtest done:' "$out/$name-d0.tap" || { echo "xen-run.sh: $name: dom0 did not finish" >&2; status=1; }
if [ "$peer" = 1 ]; then
    tr -d '\r' <"$log" | sed -nE 's/^(\(XEN\) )?(\(d1\) |DOM1: |d1: )//p; t; s/^.*\(d1\) //p' |
        grep -aE '^(ok |not ok |1\.\.|# )' >"$out/$name-d1.tap" || true
    grep -aq '^# xtest done:' "$out/$name-d1.tap" || { echo "xen-run.sh: $name: peer did not finish" >&2; status=1; }
fi
exit $status
