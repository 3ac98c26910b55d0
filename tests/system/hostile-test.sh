#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The hostile-guest suite (issue #11): a role=hostile domain attacks the hypervisor in
# phases (tests/guest/include/hostile.h) beside victim domains, one on its physical CPU and
# one on the other, in QEMU at -smp 2, on either port:
#
#   d0 role=victim victim=ping   CPU 0, with the hostile domain: pings d1, times every round
#                                trip per hostile phase, sets up after the exhaustion phase,
#                                drives the reboot storm
#   d1 role=victim victim=echo   CPU 1: echoes, switches to FIFO after the exhaustion phase
#   d2 role=hostile              CPU 0: register probes, exhaustion, IPI/interrupt and event
#                                storms, console flood, random hypercalls (>= 10^5), random
#                                system registers / MSRs / ports, MMIO where nothing is
#   d3 role=hostile hostile=rebooter   CPU 1: reboots whenever d0 says (the reboot storm)
#
# Placement: round-robin in domain order, one vCPU each (docs/dt-bindings.md): d0, d2 on
# CPU 0; d1, d3 on CPU 1. The hostile domain may die; the hypervisor must not, and the
# victims must finish with every result passing and every ping answered exactly once.
# Round-trip figures per phase are a benchmark: written to $RESULTS/hostile-$NAME-bench.txt
# (and `make bench-hostile` puts them in docs/PERFORMANCE.md), never asserted.
#
#   hostile-test.sh BOARD IMAGE RESULTS GUEST [NAME]
#   NAME (default BOARD) names the results: another build of the guest on the same board
#   (x86: the i386 one, every domain 32-bit) gets its own TAP, figures and log directory.
#   environment: the board's variables (make exports them; else boards/$BOARD/board.mk's:
#   ARCH arm|x86 and the QEMU command line tests/lib/board-qemu.sh builds from them),
#   HOSTILE_SEED (the hostile domain's PRNG seed: fixed by default, so that `make test`
#   repeats the same random phases and a result changes only with the code; set it to
#   explore, e.g. HOSTILE_SEED=$(date +%s)), HOSTILE_TIMEOUT,
#   HOSTILE_TRACE=<i> (print the random hypercalls from the i-th on: to find a culprit)
# TAP: $RESULTS/hostile-$NAME.tap; log in $(dirname IMAGE)/hostile-test (-$NAME if given).
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4 NAME=${5:-$1}
: "${HOSTILE_TIMEOUT:=420}" "${HOSTILE_SEED:=12345}"
: "${HOSTILE_CALLS:=100000}" "${REBOOTS:=3}"
here=$(dirname "$0")
lib=$here/../lib

work=$(dirname "$IMAGE")/hostile-test${5:+-$5}
tap="$RESULTS/hostile-$NAME.tap"
bench="$RESULTS/hostile-$NAME-bench.txt"
body="$work/tap.body"
mkdir -p "$work" "$RESULTS"
# Private copies: a concurrent rebuild must not swap an image under a running test.
cp "$IMAGE" "$work/minixen.img" && cp "$GUEST" "$work/xtest.img" || exit 1
IMAGE=$work/minixen.img GUEST=$work/xtest.img
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
board_vars "$BOARD" || exit 1
tap_begin "$body"

smp=2
# d0 stays up after its end marker (end=idle): dom0 powering off would stop the machine
# before d1 has printed its results.
d0_args="role=victim end=idle victim=ping peer=1 sport=10 pport=11 sctl=12 pctl=13 hctl=20 hstorm=22 rctl=30 reboots=$REBOOTS ${D0_EXTRA:-}"
d1_args="role=victim victim=echo peer=0 sport=11 pport=10 sctl=13 pctl=12"
d2_args="${D2_ARGS:-role=hostile} hctl=21 hstorm=23 seed=$HOSTILE_SEED calls=$HOSTILE_CALLS${HOSTILE_TRACE:+ trace=$HOSTILE_TRACE}"
d3_args="${D3_ARGS:-role=hostile hostile=rebooter} rctl=31"

# domu NAME BOOTARGS CHANNELS MODULE: one dom0less domain node, 16 MiB, 1 vCPU.
domu() {
    local name=$1 args=$2 channels=$3 module=$4
    cat <<DTS
        $name {
            compatible = "xen,domain";
            #address-cells = <$cells>;
            #size-cells = <$cells>;
            cpus = <1>;
            memory = <$mem>;
            $module
            $channels
        };
DTS
}
# chan LABEL PORT PEER: one end of a static channel.
chan() { printf '%s: evtchn@%x { compatible = "xen,evtchn-v1"; xen,evtchn = <%d &%s>; };\n' "$1" "$2" "$2" "$3"; }

d0_channels="$(chan d0_echo 10 d1_echo) $(chan d0_ctl 12 d1_ctl) $(chan d0_hctl 20 d2_hctl) $(chan d0_hstorm 22 d2_hstorm) $(chan d0_rctl 30 d3_rctl)"

# The per-arch opening of the DT (QEMU's own DT + /chosen on arm64; a whole DT on x86),
# then the same domUs and channels on both.
if [ "$ARCH" = arm ]; then
    cells=1 mem="0 0x4000"
    size=$(printf '0x%x' "$(stat -c %s "$GUEST")")
    mod() { echo "module@42000000 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <0x42000000 $size>; bootargs = \"$1\"; };"; }
    if ! command -v dtc >/dev/null || ! board_qemu_dts "$work/qemu" --smp "$smp"; then
        ok 1 "hostile: no dtc or no QEMU DT"
        tap_end "$tap" "hostile-$NAME" "$work"
        exit 1
    fi
    dt_open() {
        cat "$work/qemu.dts"
        dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "$d0_args" "$size"
    }
    boot=(kernel "$IMAGE" "$work/domains.dtb" "$GUEST@0x42000000")
else
    cells=2 mem="0x0 0x4000"
    mod() { echo "module@1 { compatible = \"multiboot,kernel\", \"multiboot,module\"; module-index = <1>; reg = <0x0 0x0 0x0 0x0>; bootargs = \"$1\"; };"; }
    dt_open() { dt_chosen_dom0_x86 "dom0_mem=16M dom0_max_vcpus=1" "$d0_args"; }
    boot=(multiboot "$IMAGE" "$work/domains.dtb" "$GUEST")
fi
{
    dt_open
    echo "$d0_channels"
    domu domU1 "$d1_args" "$(chan d1_echo 11 d0_echo) $(chan d1_ctl 13 d0_ctl)" "$(mod "$d1_args")"
    domu domU2 "$d2_args" "$(chan d2_hctl 21 d0_hctl) $(chan d2_hstorm 23 d0_hstorm)" "$(mod "$d2_args")"
    domu domU3 "$d3_args" "$(chan d3_rctl 31 d0_rctl)" "$(mod "$d3_args")"
    echo "    };"
    echo "};"
} >"$work/domains.dts"
dtc -q -I dts -O dtb -o "$work/domains.dtb" "$work/domains.dts" || exit 1

# ---- Run until both victims are done (or a panic, or the time-out) -----------------------
log="$work/hostile.log"
start=$(date +%s)
board_qemu_cmd --smp "$smp" "${boot[@]}" || exit 1
qemu_start "$log" "${board_qemu[@]}"
timed_out=1
while [ $(($(date +%s) - start)) -lt "$HOSTILE_TIMEOUT" ] && kill -0 "$qemu_pid" 2>/dev/null; do
    if grep -aq '^# xtest done:' "$log" && grep -aq '^(d1) # xtest done:' "$log"; then
        sleep 0.5
        timed_out=0
        break
    fi
    grep -aqE '^minixen: (panic|fatal)' "$log" && { sleep 1; break; }
    sleep 0.2
done
qemu_stop "$qemu_pid"
elapsed=$(($(date +%s) - start))
serial_text "$log" "$log.txt"
L=$log.txt

echo "# seed $HOSTILE_SEED (HOSTILE_SEED=$HOSTILE_SEED repeats this run), ${elapsed}s" >>"$body"
if has "$L" "^minixen: (panic|fatal)"; then ok 1 "the hypervisor did not panic"; else ok 0 "the hypervisor did not panic"; fi
boots=$(grep -acE "^minixen [0-9][0-9.]* on $BOARD " "$L")
[ "$boots" -eq 1 ]; ok $? "the machine was not reset (the hypervisor started $boots time(s))"
[ "$timed_out" -eq 0 ]; ok $? "both victims finished within ${HOSTILE_TIMEOUT}s (took ${elapsed}s)"
if [ "$ARCH" = arm ]; then
    has "$L" "^domains: 4 built, 5 static event channel"; ok $? "4 domains built, 5 static channels"
else
    has "$L" "^minixen: boot complete; 4 domain\(s\) starting"; ok $? "4 domains built"
    has "$L" "^dom: d0 dom0: 1 vcpu\(s\) from cpu 0," && has "$L" "^dom: d2 domU2: 1 vcpu\(s\) from cpu 0," &&
        has "$L" "^dom: d1 domU1: 1 vcpu\(s\) from cpu 1,"
    ok $? "victim d0 and the hostile d2 share CPU 0, victim d1 is on CPU 1"
fi
for id in 0 1; do
    dtap="$RESULTS/hostile-$NAME-d$id.tap"
    domain_tap "$L" "$id" "$dtap"
    why=$(tap_verdict "$dtap")
    ok $? "victim d$id: TAP complete and passing${why:+ ($why; $dtap)}"
done
# The ping count from both ends: d0 sent S and had S answers, d1 received and echoed S.
sent=$(sed -n 's/^# victim ping: sent \([0-9]*\), answered \([0-9]*\)$/\1 \2/p' "$L")
echo=$(sed -n 's/^(d1) # victim echo: received \([0-9]*\), echoed \([0-9]*\)$/\1 \2/p' "$L")
read -r s a <<<"${sent:-x y}"
read -r r e <<<"${echo:-z w}"
[ "$s" = "$a" ] && [ "$s" = "$r" ] && [ "$s" = "$e" ] && [ "$s" != x ]
ok $? "every event delivered exactly once: d0 sent $s and got $a answers, d1 received $r and echoed $e"
# The hostile domain's own register results (it checked it never saw a victim's values).
n=$(grep -acE '^\(d2\) ok [0-9]+ - hostile regs:' "$L")
bad=$(grep -acE '^\(d2\) not ok [0-9]+ - hostile regs:' "$L")
[ "$n" -eq 3 ] && [ "$bad" -eq 0 ]
ok $? "hostile d2 regs: its FP/SIMD, debug and PMU values kept, never a victim's ($n ok, $bad not ok)"
grep -aE '^\(d2\) (not ok [0-9]+ - hostile regs:|#   [0-9]+ register reads differed)' "$L" | sed 's/^/# /' >>"$body"
# Exhaustion is bounded by the hypervisor, per domain: add_to_physmap at a new gfn every 2 MiB
# (a new leaf page table each, charged to the domain) must be refused before 8192 of them,
# 32 MiB of tables, 8 times a 4 MiB domain budget. (Ports, grant frames and FIFO pages
# stop at their ABI limits; the victims' set-up after all of it is in d0's and d1's TAP.)
physmap=$(sed -n 's/^(d2) # hostile exhaust: add_to_physmap at \([0-9]*\) new gfns from [0-9a-fx]*, stopped by \(.*\)$/\1 \2/p' "$L")
read -r pm_n pm_rc <<<"${physmap:-none none}"
[ "$pm_rc" != "0" ] && [ "$pm_rc" != none ]
ok $? "exhaustion: the hostile's add_to_physmap refused before 8192 new page tables (got ${pm_n} then ${pm_rc})"
calls=$(sed -n 's/^(d2) # hostile hypercalls: \([0-9]*\) made.*/\1/p' "$L")
[ "${calls:-0}" -ge "$HOSTILE_CALLS" ]
ok $? "hostile d2 made ${calls:-no} random hypercalls (>= $HOSTILE_CALLS) and the hypervisor lived"
has "$L" "^\(d2\) # hostile sysreg: [1-9][0-9]* random"
ok $? "hostile d2 made random system-register/MSR accesses"
booted=$(sed -n 's/^# victim reboot: the rebooter booted \([0-9]*\) time.*/\1/p' "$L")
if [ "${booted:-0}" -gt "$REBOOTS" ]; then
    ok 0 "reboot storm: the rebooter d3 booted $booted times ($REBOOTS reboots)"
else
    ok 1 "reboot storm: the rebooter d3 booted ${booted:-0} times (want $((REBOOTS + 1)))"
fi
# Each reboot is one restart, never two (a second one would reset the new life under its
# running vCPU: restart_if_due in xen/common/sched.c).
asked=$(grep -acE '^minixen: domain 3 \(domU3\) shut down: reboot' "$L")
done_=$(grep -acE '^minixen: domain 3 \(domU3\) restarted ' "$L")
[ "$asked" = "$done_" ]
ok $? "reboot storm: each of the rebooter's $asked reboot(s) restarted it once ($done_ restart(s))"
# What the hostile domain did and got, for the reader.
grep -aE '^(\(d[23]\) )?# (hostile|victim)' "$L" | grep -v '^# victim: hostile phase' | sed 's/^/# /' >>"$body"

# Benchmark rows: d0's round trips per hostile phase.
{
    echo "# hostile-$NAME: victim d0 <-> d1 event round trip per hostile phase (ns); seed $HOSTILE_SEED"
    grep -a '^# BENCH hostile ' "$L" | sed 's/^# BENCH hostile //'
} >"$bench"
cat "$bench"
tap_end "$tap" "hostile-$NAME" "$work"
