#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reboot of one domain (issue #4: "SYSTEM_OFF/RESET end or restart only that domain"):
# dom0 runs the conformance suite (role=main, no peer) while the dom0less domU1
# (role=reboot) asks for SCHEDOP_shutdown(reboot) as soon as it has booted. domU1 must come
# back from its boot configuration again and again (same domain id, same RAM), its static
# channel to dom0 must be joined again each time, the heap must not grow from one restart
# to the next, and dom0's TAP must still complete and pass. QEMU -kernel path, -smp 2, on
# either port (ARCH: arm, the DTB and guest handed over by QEMU; x86, both as Multiboot
# modules, the DT naming the guest by module-index).
# dom0 stays up after its suite (end=idle): its poweroff would power the machine off
# (issue #10), and its own allocations have stopped moving the heap by then. With
# -no-reboot, QEMU must still be running at the end: a domU's reboot resets no machine.
#
#   reboot-test.sh BOARD IMAGE RESULTS GUEST
#   environment: the board's variables (make exports them; else boards/$BOARD/board.mk's:
#   ARCH arm|x86 and the QEMU command line tests/lib/board-qemu.sh builds from them)
# TAP: $RESULTS/system-reboot-$BOARD.tap; log in $(dirname IMAGE)/reboot-test.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4
: "${REBOOT_TIMEOUT:=60}" "${MIN_BOOTS:=3}"

work=$(dirname "$IMAGE")/reboot-test
tap="$RESULTS/system-reboot-$BOARD.tap"
body="$work/tap.body"
mkdir -p "$work" "$RESULTS"
cp "$IMAGE" "$work/minixen.img" && cp "$GUEST" "$work/xtest.img" || exit 1
IMAGE=$work/minixen.img GUEST=$work/xtest.img
lib=$(dirname "$0")/../lib
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
. "$lib/now.sh"
board_vars "$BOARD" || exit 1
tap_begin "$body"

base="$work/qemu"
dt="$work/domains"
smp=2
# domU1 NODE-CELLS MEMORY MODULE: the rebooting domain, 16 MiB, 1 vCPU, its static channel.
domu1() {
    cat <<DTS
        d0_rb: evtchn@20 {
            compatible = "xen,evtchn-v1";
            xen,evtchn = <20 &d1_rb>;
        };
        domU1 {
            compatible = "xen,domain";
            #address-cells = <$1>;
            #size-cells = <$1>;
            memory = <$2>;
            cpus = <1>;
            $3
            d1_rb: evtchn@21 {
                compatible = "xen,evtchn-v1";
                xen,evtchn = <21 &d0_rb>;
            };
        };
    };
};
DTS
}
if [ "$ARCH" = arm ]; then
    size=$(printf '0x%x' "$(stat -c %s "$GUEST")")
    if ! command -v dtc >/dev/null || ! board_qemu_dts "$base" --smp "$smp"; then
        skip 9 "reboot: no dtc or no QEMU DT"
        tap_end "$tap" "system-reboot-$BOARD" "$work"
        exit 0
    fi
    {
        cat "$base.dts"
        dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "role=main $(now_arg) end=idle" "$size"
        domu1 1 "0 0x4000" "module@42000000 {
                compatible = \"multiboot,kernel\", \"multiboot,module\";
                reg = <0x42000000 $size>;
                bootargs = \"role=reboot\";
            };"
    } >"$dt.dts"
    boot=(kernel "$IMAGE" "$dt.dtb" "$GUEST@0x42000000")
else
    if ! command -v dtc >/dev/null; then
        skip 9 "reboot: no dtc"
        tap_end "$tap" "system-reboot-$BOARD" "$work"
        exit 0
    fi
    {
        dt_chosen_dom0_x86 "dom0_mem=16M dom0_max_vcpus=1" "role=main $(now_arg) end=idle"
        # x86: domU1 also has the PV console ring (docs/console.md), which must come back
        # with each life.
        domu1 2 "0x0 0x4000" "minixen,pv-console;
            module@1 {
                compatible = \"multiboot,kernel\", \"multiboot,module\";
                module-index = <1>;
                reg = <0x0 0x0 0x0 0x0>;
                bootargs = \"role=reboot\";
            };"
    } >"$dt.dts"
    boot=(multiboot "$IMAGE" "$dt.dtb" "$GUEST")
fi
dtc -q -I dts -O dtb -o "$dt.dtb" "$dt.dts" || exit 1

# domU1's lives are "(d1) # xtest reboot: booted" lines; dom0's end is its bare marker.
boots() { tr -d '\r' <"$1" | grep -ac '^(d1) # xtest reboot: booted'; }
# The heap after each restart once dom0's suite is done (while it runs, its own allocations
# move the total): the old life's grant table, FIFO state etc. freed, the vGIC made again.
quiet_heaps() {
    tr -d '\r' <"$1" | sed -n '/^# xtest idle:/,$s/^minixen: domain 1 (domU1) restarted ([0-9]*), heap [0-9]* -> \([0-9]*\) bytes$/\1/p'
}
log="$work/reboot.log"
board_qemu_cmd --smp "$smp" "${boot[@]}" -- -no-reboot || exit 1
qemu_start "$log" "${board_qemu[@]}"
t=0
while [ "$t" -lt $((REBOOT_TIMEOUT * 10)) ] && kill -0 "$qemu_pid" 2>/dev/null; do
    if grep -aq '^# xtest done:' "$log" && [ "$(boots "$log")" -ge "$MIN_BOOTS" ] &&
        [ "$(quiet_heaps "$log" | wc -l)" -ge 2 ]; then
        sleep 0.5 # the line after the last match
        break
    fi
    grep -aqE '^minixen: (panic|fatal)' "$log" && break
    sleep 0.1
    t=$((t + 1))
done
kill -0 "$qemu_pid" 2>/dev/null
still_up=$?
qemu_stop "$qemu_pid"
serial_text "$log" "$log.txt"

n=$(boots "$log")
[ "$n" -ge "$MIN_BOOTS" ]; ok $? "domU1 booted $n times (>= $MIN_BOOTS) within ${REBOOT_TIMEOUT}s"
has "$log.txt" "^minixen: domain 1 \(domU1\) restarted \($((MIN_BOOTS - 1))\)"
ok $? "the hypervisor restarted domain 1 $((MIN_BOOTS - 1)) times, same domain id"
! has "$log.txt" "restart failed|not restored|stays down"
ok $? "no failed restart, no static channel lost"
# A leak would grow the heap once per reboot.
heaps=$(quiet_heaps "$log")
[ "$(wc -l <<<"$heaps")" -ge 2 ] && [ "$(sort -u <<<"$heaps" | wc -l)" -eq 1 ]
ok $? "heap in use the same after each of $(wc -l <<<"$heaps") restarts once dom0's suite was done ($(sort -u <<<"$heaps" | tr '\n' ' ')bytes)"
# Issue #11: the reboot scrub runs in bounded chunks (xen/arch/arm/reboot_scrub.c,
# xen/arch/x86/reboot.c), one report per restart, more than one chunk each (domU1 has
# 16 MiB). The scrub ends after "restarted" is printed, so the last one may still be
# running when QEMU is stopped.
restarts=$(grep -acE '^minixen: domain 1 \(domU1\) restarted' "$log.txt")
scrubs=$(grep -acE '^d1: RAM scrubbed in ([2-9]|[1-9][0-9]+) chunks of 2048 KiB$' "$log.txt")
[ "$restarts" -ge 1 ] && [ "$scrubs" -ge 1 ] && [ "$scrubs" -ge $((restarts - 1)) ]
ok $? "each restart scrubbed domU1's RAM in 2 MiB chunks ($scrubs scrubs, $restarts restarts)"
! has "$log.txt" "all domains have shut down|Hardware Dom0" && [ "$still_up" -eq 0 ]
ok $? "a rebooting domain keeps the machine running (QEMU -no-reboot still up at the end)"
if [ "$ARCH" = x86 ]; then
    # Every life's line through its ring, the one printed before it asks to reboot.
    rings=$(tr -d '\r' <"$log" | grep -ac '^(d1) # xtest reboot: a line through the PV console ring$')
    [ "$rings" -ge "$n" ] && [ "$n" -ge "$MIN_BOOTS" ]
    ok $? "domU1's PV console ring works in each of its lives ($rings lines, $n boots)"
else
    skip 1 "reboot: domU1 has no PV console ring on this port (docs/console.md)"
fi
if has "$log.txt" "^minixen: (panic|fatal)"; then ok 1 "no panic"; else ok 0 "no panic"; fi
dtap="$RESULTS/system-reboot-$BOARD-d0.tap"
domain_tap "$log.txt" 0 "$dtap"
why=$(tap_verdict "$dtap")
ok $? "d0 TAP complete and passing while domU1 reboots${why:+ ($why; $dtap)}"

tap_end "$tap" "system-reboot-$BOARD" "$work"
