#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System test of the arm64 port: boot the image in QEMU in several configurations and
# check what the hypervisor prints. Writes TAP to $RESULTS/system-arm-$BOARD.tap.
#
#   boot-test.sh BOARD IMAGE RESULTS
#   environment (from boards/$BOARD/board.mk via system.mk): QEMU QEMU_MACHINE CPU QEMU_MEM
#
# Configurations: QEMU -kernel with -smp 1, 2, 4; U-Boot (`-bios`, distro boot over TFTP
# from QEMU user networking, boot.scr from boards/$BOARD/boot.cmd) with -smp 2; and an
# EL1 entry (no virtualization=on), which must explain itself and halt.
# Each boot ends as soon as its last expected line appears, or after BOOT_TIMEOUT seconds.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3
: "${QEMU:=qemu-system-aarch64}" "${CPU:=cortex-a57}" "${QEMU_MEM:=1024}" "${BOOT_TIMEOUT:=20}"
: "${QEMU_MACHINE:?QEMU_MACHINE from the board}"
UBOOT_BIOS=${UBOOT_BIOS:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}

gic=$(sed -n 's/.*gic-version=\([0-9]\).*/\1/p' <<<"$QEMU_MACHINE")
work=$(dirname "$IMAGE")/system-test
tap="$RESULTS/system-arm-$BOARD.tap"
body="$work/tap.body"
mkdir -p "$work/tftp" "$RESULTS"
# Boot a private copy: a concurrent rebuild must not swap the image under a running test.
cp "$IMAGE" "$work/minixen.bin" || exit 1
IMAGE=$work/minixen.bin
: >"$body"
n=0 failed=0

ok() { # ok <cond-status> <description>
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2" >>"$body"
    else
        echo "not ok $n - $2" >>"$body"
        failed=$((failed + 1))
    fi
}

# boot <log> <last-line-regex> <qemu args...>: run QEMU until the regex matches or timeout.
boot() {
    local log=$1 last=$2 pid t=0
    shift 2
    # Truncate here, not only in the child: the poll below must never see a previous run's log.
    : >"$log"
    "$QEMU" -nographic -monitor none -serial stdio "$@" </dev/null >"$log" 2>&1 &
    pid=$!
    while [ $t -lt $((BOOT_TIMEOUT * 10)) ]; do
        grep -qE "$last" "$log" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        t=$((t + 1))
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    tr -d '\r' <"$log" >"$log.txt"
}

has() { grep -qE "$2" "$1"; } # has <log> <regex>

# check <log> <name> <smp>: the banner, the DT summary and the boot milestones.
check() {
    local log=$1.txt name=$2 smp=$3
    has "$log" "^minixen [0-9][0-9.]* on $BOARD \(EL2, GICv$gic\)$"; ok $? "$name: banner"
    has "$log" "^dt: memory total $QEMU_MEM MiB in 1 bank"; ok $? "$name: DT memory"
    has "$log" "^dt: cpus $smp \(mpidr 0x0"; ok $? "$name: DT cpus $smp"
    has "$log" "^dt: gic v$gic dist 0x8000000 "; ok $? "$name: DT GICv$gic"
    has "$log" "^dt: uart pl011 0x9000000$"; ok $? "$name: DT uart"
    has "$log" "^dt: timer ppi sec 13 phys 14 virt 11 hyp 10$"; ok $? "$name: DT timer"
    has "$log" "^dt: psci smc$"; ok $? "$name: DT psci"
    has "$log" "^mm: EL2 identity map, .* MMU and caches on"; ok $? "$name: MMU on"
    has "$log" "^traps: EL2 vectors ok"; ok $? "$name: EL2 vectors"
    has "$log" "^smp: $smp cpu\(s\) online"; ok $? "$name: $smp cpu(s) online"
    has "$log" "^minixen: boot complete"; ok $? "$name: boot complete"
    if grep -qE "^minixen: (panic|fatal)" "$log"; then ok 1 "$name: no panic"; else ok 0 "$name: no panic"; fi
}

done_re="^minixen: (boot complete|panic|fatal)"
for smp in 1 2 4; do
    log="$work/kernel-smp$smp.log"
    boot "$log" "$done_re" -machine "$QEMU_MACHINE" -cpu "$CPU" -m "$QEMU_MEM" -smp "$smp" \
        -kernel "$IMAGE"
    check "$log" "-kernel -smp $smp" "$smp"
done

# U-Boot: booti of the same Image, the DT handed over by U-Boot.
if [ -r "$UBOOT_BIOS" ] && command -v mkimage >/dev/null; then
    cp "$IMAGE" "$work/tftp/minixen.bin"
    mkimage -A arm64 -T script -C none -d "boards/$BOARD/boot.cmd" "$work/tftp/boot.scr.uimg" >/dev/null
    log="$work/uboot-smp2.log"
    boot "$log" "$done_re" -machine "$QEMU_MACHINE" -cpu "$CPU" -m "$QEMU_MEM" -smp 2 \
        -bios "$UBOOT_BIOS" -netdev "user,id=n0,tftp=$work/tftp" -device virtio-net-pci,netdev=n0
    has "$log.txt" "^Starting kernel"; ok $? "U-Boot booti: U-Boot started the Image"
    check "$log" "U-Boot booti -smp 2" 2
else
    for i in $(seq 13); do n=$((n + 1)); echo "ok $n - U-Boot # SKIP no u-boot-qemu or mkimage" >>"$body"; done
fi

# Entered at EL1: QEMU without virtualization=on.
log="$work/el1.log"
boot "$log" "Halting" -machine "${QEMU_MACHINE/virtualization=on/virtualization=off}" -cpu "$CPU" \
    -m "$QEMU_MEM" -kernel "$IMAGE"
has "$log.txt" "^minixen: entered at EL1, not EL2"; ok $? "EL1 entry: explained"
has "$log.txt" "virtualization=on\. Halting\.$"; ok $? "EL1 entry: halted with the fix"

{ echo "TAP version 13"; echo "1..$n"; cat "$body"; } >"$tap"
rm -f "$body"
echo "system-arm-$BOARD: $((n - failed)) passed, $failed failed (logs in $work)"
[ "$failed" -eq 0 ]
