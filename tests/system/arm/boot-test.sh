#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System test of the arm64 port: boot the image in QEMU in several configurations, check
# what the hypervisor prints, and collect the TAP of every domain.
#
#   boot-test.sh BOARD IMAGE RESULTS [GUEST [GUEST32]]
#   environment: the board's variables (make exports them; else boards/$BOARD/board.mk's),
#   the QEMU command line tests/lib/board-qemu.sh builds from them
#   GUEST32: the guest's arm32 build (a zImage); the U-Boot runs boot it instead of GUEST,
#   so that every domain there is AArch32 (the whole suite as 32-bit domains)
#
# What the boot must print comes from board.mk: INTC (the GIC's version and distributor),
# UART, RTC (pl031@ADDR or none), GUEST_ADDR (where domains.dtsi has the guest), BOARD_DTB
# (the host DT when QEMU's machine makes none), SYSTEM_SMP (the -smp runs, default 1 2 4).
#
# Configurations:
#   - QEMU -kernel, -smp each of SYSTEM_SMP, QEMU's own DT or BOARD_DTB (no domains): the
#     boot milestones;
#   - an EL1 entry (no virtualization=on), which must explain itself and halt;
#   - with GUEST (the conformance guest, tests/guest): dom0 + the dom0less domU1 joined by
#     static event channels, -smp each of SYSTEM_SMP, on two paths:
#       kernel  QEMU -kernel; QEMU's DT (dumpdtb) or BOARD_DTB + boards/$BOARD/domains.dtsi
#               -> dtc -> -dtb, the guest image loaded with -device loader at GUEST_ADDR
#       uboot   U-Boot (-bios) runs the script tools/uboot-script-gen makes from
#               boards/$BOARD/imagebuilder-test.cfg over TFTP (QEMU user networking):
#               booti, domains added with fdt mknod/set to U-Boot's own DT (-smp 1, 2) or
#               to a DEVICE_TREE file, QEMU's DT dumped (-smp 4); GUEST32's domains if given
#               (boards with a UBOOT_BIOS and an imagebuilder-test.cfg only)
#     Both get now=<the host's time> in their bootargs, written just before each boot, for
#     the guest's wall-clock check (tests/lib/now.sh); minixen must have set the wall clock
#     from the PL031 where the board has one (the guest also accepts Xen on Arm's "never
#     set"; a board without one passes hostrtc=none to both domains).
#     Each run ends by itself: dom0 powers off last, and the machine follows it (PSCI
#     SYSTEM_OFF: QEMU exits), or at a panic, or after DOMAIN_TIMEOUT. No -no-reboot here,
#     on purpose: a reset would boot again instead of ending the run, and be caught.
#     Every domain's TAP ("(dN) " prefixed console lines; dom0's bare) goes to
#     $RESULTS/system-$BOARD-<path>-smp<N>-d<id>.tap; a run passes when each domain's plan
#     is complete with no "not ok" and the guest's end marker, the boot checks pass, the
#     boot ended with Xen's switch line for dom0's input, the machine powered off by
#     itself after dom0's poweroff, and nothing panicked.
# The summary TAP is $RESULTS/system-arm-$BOARD.tap; logs stay in $(dirname IMAGE)/system-test.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=${4:-} GUEST32=${5:-}
: "${BOOT_TIMEOUT:=20}" "${DOMAIN_TIMEOUT:=90}"
lib=$(dirname "$0")/../../lib
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/now.sh"
board_vars "$BOARD" || exit 1
: "${RTC:=pl031@0x09010000}" "${GUEST_ADDR:=0x42000000}" "${SYSTEM_SMP:=1 2 4}"

# The board's expectations as the boot prints them (hex without leading zeros).
hexof() { printf '0x%x' "$1"; }
gic=${INTC#gicv}
gic=${gic%% *}
gicd=$(hexof "$(sed -n 's/.* dist@\(0x[0-9a-fA-F]*\).*/\1/p' <<<"$INTC")")
uart_drv=${UART%@*}
uart_addr=$(hexof "${UART#*@}")
rtc_kind=${RTC%@*}
[ "$rtc_kind" = none ] || rtc_addr=$(hexof "${RTC#*@}")
if [ -n "${BOARD_DTB:-}" ]; then
    board_dt=$(board_dtb) || exit 1
    board_dt_cpus=$(dtc -q -I dtb -O dts "$board_dt" | grep -c 'device_type = "cpu"')
fi
work=$(dirname "$IMAGE")/system-test
tap="$RESULTS/system-arm-$BOARD.tap"
body="$work/tap.body"
mkdir -p "$work/tftp" "$RESULTS"
# Boot private copies: a concurrent rebuild must not swap an image under a running test.
cp "$IMAGE" "$work/minixen.bin" || exit 1
IMAGE=$work/minixen.bin
if [ -n "$GUEST" ]; then
    cp "$GUEST" "$work/xtest.bin" || exit 1
    GUEST=$work/xtest.bin
fi
rm -f "$RESULTS/system-$BOARD"-*-d*.tap
tap_begin "$body"

# boot <log> <timeout-s> <last-line-regex> <board_qemu_cmd args...>: run the board's QEMU
# until the regex matches, QEMU exits or the time-out; <log>.txt is the log as text,
# <log>.timeout exists if it timed out, <log>.exited if QEMU exited by itself before the
# regex matched.
boot() {
    local log=$1 limit=$2 last=$3 rc
    shift 3
    rm -f "$log.timeout" "$log.exited"
    board_qemu_cmd "$@" || return
    qemu_run_until "$log" "$limit" "$last" "${board_qemu[@]}"
    rc=$?
    [ $rc -eq 2 ] && : >"$log.timeout"
    [ $rc -eq 1 ] && : >"$log.exited"
    serial_text "$log" "$log.txt"
}

# check <log> <name> <smp>: the banner, the DT summary and the boot milestones.
check() {
    local log=$1.txt name=$2 smp=$3 dt_cpus=$3
    # A board DT lists the board's CPUs, whatever QEMU's -smp: those QEMU lacks fail CPU_ON.
    [ -z "${BOARD_DTB:-}" ] || dt_cpus=$board_dt_cpus
    has "$log" "^minixen [0-9][0-9.]* on $BOARD \(EL2, GICv$gic\)$"; ok $? "$name: banner"
    has "$log" "^dt: memory total $QEMU_MEM MiB in 1 bank"; ok $? "$name: DT memory"
    has "$log" "^dt: cpus $dt_cpus \(mpidr 0x0"; ok $? "$name: DT cpus $dt_cpus"
    has "$log" "^dt: gic v$gic dist $gicd "; ok $? "$name: DT GICv$gic"
    has "$log" "^dt: uart $uart_drv $uart_addr$"; ok $? "$name: DT uart ($uart_drv)"
    if [ "$rtc_kind" = none ]; then
        has "$log" "^dt: rtc none found$"; ok $? "$name: DT rtc: none"
        has "$log" "^wallclock: no RTC on this board: guests see 1970 at boot$"
        ok $? "$name: no RTC, so no wall clock (as Xen on Arm)"
    else
        has "$log" "^dt: rtc $rtc_kind $rtc_addr$"; ok $? "$name: DT rtc"
        has "$log" "^wallclock: pl031 RTC says [0-9]+ s since 1970, at system time [0-9]+ ns$"
        ok $? "$name: wall clock read from the PL031"
    fi
    has "$log" "^dt: timer ppi sec 13 phys 14 virt 11 hyp 10$"; ok $? "$name: DT timer"
    has "$log" "^dt: psci smc$"; ok $? "$name: DT psci"
    has "$log" "^mm: EL2 identity map, .* MMU and caches on"; ok $? "$name: MMU on"
    has "$log" "^traps: EL2 vectors ok"; ok $? "$name: EL2 vectors"
    has "$log" "^smp: $smp cpu\(s\) online"; ok $? "$name: $smp cpu(s) online"
    has "$log" "^minixen: boot complete"; ok $? "$name: boot complete"
    if has "$log" "^minixen: (panic|fatal)"; then ok 1 "$name: no panic"; else ok 0 "$name: no panic"; fi
}

# domains <path> <smp> <log>: judge a run with dom0 + domU1.
domains() {
    local path=$1 smp=$2 log=$3 name="$1 -smp $2" id why
    check "$log" "$name" "$smp"
    has "$log.txt" "^domains: 2 built, 2 static event channel"; ok $? "$name: 2 domains built"
    if [ "$rtc_kind" = pl031 ]; then
        # dom0 alone gets the host's PL031 (its TAP checks the DT and reads it; d1's finds none).
        has "$log.txt" "^hwdom: d0 gets host pl031@${rtc_addr#0x} \(1:1 from $rtc_addr, 1 range\(s\), SPI 2\)$" &&
            ! has "$log.txt" "^hwdom: d1 "
        ok $? "$name: dom0 (only) gets the host's PL031 mapped 1:1"
        # Every host device, not a list of kinds: the CFI flash too, where a guest's vGIC
        # would be (dom0's is where the host's GIC is, as on Xen).
        has "$log.txt" "^hwdom: d0 gets host flash@0 \(1:1 from 0x0, 2 range\(s\), no SPI\)$"
        ok $? "$name: dom0 gets the host's flash at 0 (its vGIC is at the host GIC's address)"
    else
        # The board's other devices go to dom0 (only), never the console's UART.
        has "$log.txt" "^hwdom: d0 gets host " &&
            ! has "$log.txt" "^hwdom: d0 gets host [^ ]*@${uart_addr#0x} " &&
            ! has "$log.txt" "^hwdom: d1 "
        ok $? "$name: dom0 (only) gets host devices, but not the console's UART at $uart_addr"
        # Its RAM 1:1 although below Xen's guest RAM base (ZynqMP's DDR starts at 0).
        has "$log.txt" "^dom0: d0, .* MiB at (0x[0-9a-f]+) \(host \1\)"
        ok $? "$name: dom0's RAM is mapped 1:1"
    fi
    has "$log.txt" "^\*\*\* Serial input to DOM0 \(type 'CTRL-a' three times to switch input\)$"
    ok $? "$name: the boot ends with Xen's switch line for dom0's input"
    # Powered off, not reset: without -no-reboot a reset would have booted minixen again.
    [ -e "$log.exited" ] && has "$log.txt" "^minixen: Hardware Dom0 halted: halting machine$" &&
        [ "$(grep -acE '^minixen [0-9][0-9.]* on ' "$log.txt")" -eq 1 ]
    ok $? "$name: dom0's poweroff powered the machine off (Hardware Dom0 halted: halting machine; QEMU exited by itself within ${DOMAIN_TIMEOUT}s, one boot)"
    for id in 0 1; do
        local dtap="$RESULTS/system-$BOARD-$path-smp$smp-d$id.tap"
        domain_tap "$log.txt" "$id" "$dtap"
        why=$(tap_verdict "$dtap")
        ok $? "$name: d$id TAP complete and passing${why:+ ($why; $dtap)}"
    done
    local wc=0 wc_re="^ok [0-9]+ - wall clock \+ system time \([0-9]+ s\) is the host's time"
    local wc_what="set, agreeing with the host's time"
    if [ "$rtc_kind" = none ]; then
        wc_re="^ok [0-9]+ - wall clock not set: "
        wc_what="not set (no RTC), as Xen on Arm"
    fi
    for id in 0 1; do
        has "$RESULTS/system-$BOARD-$path-smp$smp-d$id.tap" "$wc_re" || wc=1
    done
    ok $wc "$name: d0 and d1 see the wall clock $wc_what"
}

# The boot's last line is Xen's switch line; without dom0 the input stays with minixen.
done_re="^(\*\*\* Serial input to |minixen: (panic|fatal))"
for smp in $SYSTEM_SMP; do
    log="$work/kernel-smp$smp.log"
    boot "$log" "$BOOT_TIMEOUT" "$done_re" --smp "$smp" kernel "$IMAGE"
    check "$log" "-kernel -smp $smp (no domains)" "$smp"
    has "$log.txt" "^\*\*\* Serial input to minixen \(type 'CTRL-a' three times to switch input\)$"
    ok $? "-kernel -smp $smp (no domains): no dom0, so serial input to minixen (Xen's switch line)"
done

# Entered at EL1: QEMU without virtualization=on.
log="$work/el1.log"
boot "$log" "$BOOT_TIMEOUT" "Halting" \
    --machine "${QEMU_MACHINE/virtualization=on/virtualization=off}" --smp 1 kernel "$IMAGE"
has "$log.txt" "^minixen: entered at EL1, not EL2"; ok $? "EL1 entry: explained"
has "$log.txt" "virtualization=on\. Halting\.$"; ok $? "EL1 entry: halted with the fix"

# ---- Domains -----------------------------------------------------------------------------
end_re="^minixen: (panic|fatal)" # else the run ends when QEMU exits (dom0 powers off)
per_run=20 # results domains() adds per run
arm32_check=0 # and the U-Boot runs' check that GUEST32 ran
[ -z "$GUEST32" ] || arm32_check=1
nsmp=$(wc -w <<<"$SYSTEM_SMP")
# The U-Boot path: boards with a U-Boot script (zcu102 has none: no U-Boot in Debian for it).
uboot_runs=0
[ ! -r "boards/$BOARD/imagebuilder-test.cfg" ] || uboot_runs=$nsmp
if [ -z "$GUEST" ] || ! command -v dtc >/dev/null; then
    skip $((per_run * nsmp + (per_run + 1 + arm32_check) * uboot_runs)) "domains: no guest image or no dtc"
else
    size=$(printf '0x%x' "$(stat -c %s "$GUEST")")
    for smp in $SYSTEM_SMP; do
        # -kernel: QEMU's own DT for this machine, plus the board's domains.
        base="$work/qemu-smp$smp"
        dt="$work/domains-smp$smp"
        if board_qemu_dts "$base" --smp "$smp" &&
            { cat "$base.dts"; sed "s/@GUEST_SIZE@/$size/g" "boards/$BOARD/domains.dtsi" |
                bootargs_add_now; } >"$dt.dts" && dtc -q -I dts -O dtb -o "$dt.dtb" "$dt.dts"; then
            log="$work/domains-kernel-smp$smp.log"
            boot "$log" "$DOMAIN_TIMEOUT" "$end_re" --smp "$smp" \
                kernel "$IMAGE" "$dt.dtb" "$GUEST@$GUEST_ADDR"
            domains kernel "$smp" "$log"
        else
            ok 1 "kernel -smp $smp: domain DT ($dt.dts) did not compile"
            skip $((per_run - 1)) "kernel -smp $smp: no DT"
        fi
    done
    if [ "$uboot_runs" -eq 0 ]; then
        : # no U-Boot path on this board
    elif [ -r "$UBOOT_BIOS" ] && command -v mkimage >/dev/null; then
        cp "$IMAGE" "$work/tftp/minixen.bin"
        cp "${GUEST32:-$GUEST}" "$work/tftp/xtest.bin"
        for smp in $SYSTEM_SMP; do
            cfg=boards/$BOARD/imagebuilder-test.cfg dt="U-Boot's own DT"
            # -smp 4 with a DEVICE_TREE file instead (QEMU's DT for the machine, dumped for
            # the -kernel run): both of the generator's DT sources boot.
            if [ "$smp" = 4 ] && [ -r "$work/qemu-smp4.dtb" ]; then
                cp "$work/qemu-smp4.dtb" "$work/tftp/host.dtb"
                printf '. "%s"
DEVICE_TREE="host.dtb"
' "$PWD/$cfg" >"$work/imagebuilder-dtb.cfg"
                cfg=$work/imagebuilder-dtb.cfg dt="DEVICE_TREE=host.dtb"
            fi
            board_uboot_script "$cfg" "$work/tftp" --now
            log="$work/domains-uboot-smp$smp.log"
            boot "$log" "$DOMAIN_TIMEOUT" "$end_re" --smp "$smp" uboot "$work/tftp"
            has "$log.txt" "^Starting kernel"; ok $? "uboot -smp $smp: U-Boot started the Image ($dt)"
            domains uboot "$smp" "$log"
            if [ -n "$GUEST32" ]; then
                has "$log.txt" "^# xtest: role=main arch=arm32 vcpus=2$" &&
                    has "$log.txt" "^\(d1\) # xtest: role=peer arch=arm32 vcpus=1$"
                ok $? "uboot -smp $smp: dom0 and domU1 are the arm32 guest (AArch32 EL1)"
            fi
        done
    else
        skip $(((per_run + 1 + arm32_check) * uboot_runs)) "U-Boot: no u-boot-qemu or mkimage"
    fi
fi

# Issue #11: a host DT whose GICV is smaller than the 8 KiB GICC window a GICv2 guest gets
# (which would then map whatever device follows GICV): no domain, and the boot says why.
if [[ "$QEMU_MACHINE" == *gic-version=2* ]]; then
    dt="$work/domains-smp1"
    small="$work/gicv-small"
    if [ -r "$dt.dts" ] && sed -E 's/(0x8040000 0x00) 0x10000>/\1 0x1000>/' "$dt.dts" >"$small.dts" &&
        grep -q '0x8040000 0x00 0x1000>' "$small.dts" && dtc -q -I dts -O dtb -o "$small.dtb" "$small.dts"; then
        log="$work/gicv-small.log"
        boot "$log" "$BOOT_TIMEOUT" "^minixen: (boot complete|panic|fatal)" --smp 1 \
            kernel "$IMAGE" "$small.dtb"
        has "$log.txt" "^vgic: host GICV 0x8040000\+0x1000 is smaller than the 0x2000"
        ok $? "GICV of 4 KiB in the host DT: refused with a boot message"
        has "$log.txt" "^minixen: boot complete, 0 domain"; ok $? "GICV of 4 KiB: no domain built, no panic"
    else
        skip 2 "no domain DT with QEMU's GICV at 0x8040000 to shrink"
    fi
fi

tap_end "$tap" "system-arm-$BOARD" "$work"
