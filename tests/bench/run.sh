#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot one hypervisor (minixen or Xen 4.17) in QEMU with the conformance guest as dom0 and
# as a dom0less peer domain joined by static event channels, with QEMU settings that do
# not depend on the hypervisor, so figures from the two can be set side by side.
#
#   run.sh HV NAME OUTDIR HV_IMAGE GUEST [options]      HV: minixen | xen
#     --smp N            host CPUs (default 1)
#     --vcpus N          dom0's vCPUs (default 2: two vCPUs share one CPU at --smp 1)
#     --gic 2|3          GIC version (default 3)
#     --main-args "..."  dom0 bootargs (default "role=bench")
#     --icount           -icount shift=0,sleep=off -rtc clock=vm (exact; one CPU only)
#     --plugin SPEC      a TCG plugin (-plugin SPEC), e.g. the instruction profiler
#     --timeout S        wall-clock limit (default 300)
#
# Outputs OUTDIR/NAME.log (serial, CRs removed). Exit status 0 once dom0 printed its end
# marker ("# xtest done:"); QEMU is stopped then (neither hypervisor powers the machine off
# when its domains end).
#
# Layout (same as tests/peer/xen-run.sh and boards/*/domains.dtsi): dom0 port 10 <-> peer
# port 11 (echo), dom0 port 12 <-> peer port 13 (control); images at 0x42000000 and
# 0x43000000, away from QEMU's DTB at 0x48000000. -m 1024; dom0 gets 128 MiB, the peer 64.
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

mkdir -p "$out"
machine="virt,virtualization=on,gic-version=$gic,dtb-randomness=off"
qemu=(qemu-system-aarch64 -machine "$machine" -cpu cortex-a57 -smp "$smp" -m 1024 -nographic
      -monitor none -serial stdio -no-reboot)
base=$out/$name-base
"${qemu[@]}" -machine "$machine,dumpdtb=$base.dtb" >/dev/null 2>&1
dtc -q -I dtb -O dts -o "$base.dts" "$base.dtb"

size=$(printf '0x%x' "$(stat -c %s "$guest")")
{
    cat "$base.dts"
    cat <<DTS
/ {
    chosen {
        #address-cells = <2>;
        #size-cells = <2>;
        xen,xen-bootargs = "$hv_args";
        xen,dom0-bootargs = "$main_args peer=1 sport=10 pport=11 sctl=12 pctl=13";
        module@42000000 {
            compatible = "multiboot,kernel", "multiboot,module";
            reg = <0x0 0x42000000 0x0 $size>;
        };
        d0_echo: evtchn@10 {
            compatible = "xen,evtchn-v1";
            xen,evtchn = <10 &d1_echo>;
        };
        d0_ctl: evtchn@12 {
            compatible = "xen,evtchn-v1";
            xen,evtchn = <12 &d1_ctl>;
        };
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
                bootargs = "role=peer peer=0 sport=11 pport=10 sctl=13 pctl=12";
            };
            d1_echo: evtchn@11 {
                compatible = "xen,evtchn-v1";
                xen,evtchn = <11 &d0_echo>;
            };
            d1_ctl: evtchn@13 {
                compatible = "xen,evtchn-v1";
                xen,evtchn = <13 &d0_ctl>;
            };
        };
    };
};
DTS
} >"$out/$name.dts"
dtc -q -I dts -O dtb -o "$out/$name.dtb" "$out/$name.dts"

# Private copies: a concurrent rebuild must not swap an image under a running benchmark.
cp "$image" "$out/$name.hv"
cp "$guest" "$out/$name.guest"
log=$out/$name.log raw=$out/$name.raw
: >"$raw"
"${qemu[@]}" "${icount[@]}" "${plugin[@]}" -kernel "$out/$name.hv" -dtb "$out/$name.dtb" \
    -device "loader,file=$out/$name.guest,addr=0x42000000,force-raw=on" \
    -device "loader,file=$out/$name.guest,addr=0x43000000,force-raw=on" \
    </dev/null >"$raw" 2>&1 &
pid=$!
status=1 t=0
while kill -0 "$pid" 2>/dev/null; do
    # dom0's lines are bare on both hypervisors; the peer's carry "(d1) ".
    if grep -aq '^# xtest done:' "$raw"; then
        status=0
        sleep 0.5 # let the peer's last lines out
        break
    fi
    if [ $t -ge $((timeout_s * 10)) ]; then
        echo "run.sh: $name timed out after ${timeout_s}s" >&2
        break
    fi
    sleep 0.1
    t=$((t + 1))
done
# Xen halts the machine when dom0 ends (QEMU exits with -no-reboot), maybe before a poll saw
# the marker.
grep -aq '^# xtest done:' "$raw" && status=0
# SIGINT: QEMU exits cleanly, so a plugin's at-exit report is written.
kill -INT "$pid" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
tr -d '\r' <"$raw" >"$log"
rm -f "$raw"
exit $status
