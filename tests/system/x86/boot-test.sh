#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System test of the x86_64 port: boot the image in QEMU in several configurations and
# check what the hypervisor prints. Writes TAP to $RESULTS/system-x86-$BOARD.tap.
#
#   boot-test.sh BOARD IMAGE RESULTS
#   environment (from boards/$BOARD/board.mk via x86.mk): QEMU QEMU_MACHINE CPU QEMU_MEM,
#   X86_MODULES (files handed to the hypervisor as boot modules, in order)
#
# Configurations: Multiboot (QEMU -kernel, modules via -initrd "a,b") and Multiboot2
# (a GRUB ISO booted by SeaBIOS), each with -smp 1, 2, 4; and CPUs that cannot host
# minixen (no long mode; no SVM), which must explain themselves and halt.
# Each boot ends as soon as its last expected line appears, or after BOOT_TIMEOUT seconds.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3
: "${QEMU:=qemu-system-x86_64}" "${CPU:=qemu64,+svm,+npt}" "${QEMU_MEM:=1024}"
: "${QEMU_MACHINE:=q35}" "${BOOT_TIMEOUT:=30}" "${X86_MODULES:=}"
here=$(dirname "$0")

work=$(dirname "$IMAGE")/system-test
tap="$RESULTS/system-x86-$BOARD.tap"
body="$work/tap.body"
mkdir -p "$work" "$RESULTS"
# Boot a private copy: a concurrent rebuild must not swap the image under a running test.
cp "$IMAGE" "$work/minixen" || exit 1
IMAGE=$work/minixen
read -ra modules <<<"$X86_MODULES"
initrd=()
if [ ${#modules[@]} -gt 0 ]; then
    initrd=(-initrd "$(IFS=,; echo "${modules[*]}")")
fi
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
    : >"$log"
    "$QEMU" -nographic -monitor none -serial stdio -net none -machine "$QEMU_MACHINE" \
        -m "$QEMU_MEM" "$@" </dev/null >"$log" 2>&1 &
    pid=$!
    while [ $t -lt $((BOOT_TIMEOUT * 10)) ]; do
        grep -qaE "$last" "$log" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        t=$((t + 1))
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$log.txt"
}

has() { grep -qaE "$2" "$1"; } # has <log> <regex>

# check <log> <name> <smp> <protocol-regex>: the banner, the loader's data, the milestones.
check() {
    local log=$1.txt name=$2 smp=$3 proto=$4
    has "$log" "^minixen [0-9][0-9.]* on $BOARD \(x86_64 long mode, xAPIC\)$"; ok $? "$name: banner"
    has "$log" "^boot: $proto"; ok $? "$name: boot protocol"
    has "$log" "^boot: memory total $((QEMU_MEM - 1)) MiB"; ok $? "$name: memory map"
    has "$log" "^boot: module $((${#modules[@]} - 1)) at " || [ ${#modules[@]} -eq 0 ]
    ok $? "$name: ${#modules[@]} module(s)"
    has "$log" "^boot: module ${#modules[@]} at "; [ $? -ne 0 ]; ok $? "$name: no extra module"
    has "$log" "^mm: image 0x200000-.* at 0xffffffff80200000, heap "; ok $? "$name: image and heap"
    has "$log" "^traps: IDT ok"; ok $? "$name: IDT"
    has "$log" "^acpi: MADT: $smp cpu\(s\) \(apic ids 0[ 0-9]*\), lapic 0xfee00000, ioapic 0xfec00000$"
    ok $? "$name: ACPI MADT $smp cpu(s)"
    has "$log" "^apic: timer [0-9]+ MHz, tsc [0-9]+ MHz \(PIT-calibrated\); one-shot ok"
    ok $? "$name: APIC timer one-shot"
    local c up=0
    for c in $(seq 1 $((smp - 1))); do has "$log" "^smp: cpu $c up in long mode" || up=1; done
    ok $up "$name: INIT-SIPI-SIPI started cpus 1..$((smp - 1))"
    has "$log" "^smp: $smp cpu\(s\) online"; ok $? "$name: $smp cpu(s) online"
    has "$log" "^smp: IPI to every secondary cpu ok"; ok $? "$name: IPIs"
    has "$log" "^minixen: boot complete"; ok $? "$name: boot complete"
    if has "$log" "^minixen: (panic|fatal)"; then ok 1 "$name: no panic"; else ok 0 "$name: no panic"; fi
}

done_re="^minixen: (boot complete|panic|fatal)"
for smp in 1 2 4; do
    log="$work/multiboot-smp$smp.log"
    boot "$log" "$done_re" -cpu "$CPU" -smp "$smp" -kernel "$IMAGE" "${initrd[@]}"
    check "$log" "Multiboot -smp $smp" "$smp" "Multiboot from qemu"
done

if command -v grub-mkrescue >/dev/null && "$here/mkiso.sh" "$work/minixen.iso" "$IMAGE" "${modules[@]}"; then
    for smp in 1 2 4; do
        log="$work/grub-smp$smp.log"
        boot "$log" "$done_re" -cpu "$CPU" -smp "$smp" -cdrom "$work/minixen.iso"
        check "$log" "GRUB Multiboot2 -smp $smp" "$smp" "Multiboot2 from GRUB"
    done
else
    for i in $(seq 42); do n=$((n + 1)); echo "ok $n - GRUB # SKIP no grub-mkrescue" >>"$body"; done
fi

# A 32-bit CPU: the 32-bit entry code must explain and halt.
log="$work/no-long-mode.log"
boot "$log" "Halting" -cpu qemu32 -kernel "$IMAGE"
has "$log.txt" "^minixen: this CPU has no long mode .* Halting\.$"; ok $? "no long mode: explained"

{ echo "TAP version 13"; echo "1..$n"; cat "$body"; } >"$tap"
rm -f "$body"
echo "system-x86-$BOARD: $((n - failed)) passed, $failed failed (logs in $work)"
[ "$failed" -eq 0 ]
