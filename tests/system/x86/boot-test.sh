#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System test of the x86_64 port: boot the image in QEMU in several configurations and
# check what the hypervisor prints. Writes TAP to $RESULTS/system-x86-$BOARD.tap, and each
# conformance-guest domain's own TAP to $RESULTS/system-x86-$BOARD-<boot>-smp<N>-d<id>.tap.
#
#   boot-test.sh BOARD IMAGE RESULTS
#   environment: the board's variables (make exports them; else boards/$BOARD/board.mk's),
#   the QEMU command line tests/lib/board-qemu.sh builds from them; X86_MODULES (files
#   handed to the hypervisor as boot modules, in order); X86_DTB32 (module 0 for the GRUB
#   boots: the same domains with the conformance guest's widths swapped)
#
# Configurations: Multiboot (QEMU -kernel, modules via -initrd "a,b") and Multiboot2
# (a GRUB ISO booted by SeaBIOS), each with -smp 1, 2, 4; Multiboot on an EPYC CPU (XSAVE,
# AVX) at -smp 1; and CPUs that cannot host
# minixen (no long mode; no SVM), which must explain themselves and halt. Every boot with
# SVM runs the domains of boards/$BOARD/domains.dts (see domains() below; the GRUB boots
# domains-x86_32.dts, the 32-bit conformance guest as dom0), whose bootargs get
# now=<the host's time> just before each boot, for the guest's wall-clock check, and ends
# by itself: dom0 powers off last and the machine follows it (ACPI S5: QEMU exits). No
# -no-reboot there, on purpose: a reset would boot again instead of ending the run.
# Then dom0 alone (the conformance guest, module 1 of X86_MODULES, with a DT written
# here): the serial input cycle (end=idle), and dom0's reboot and crash resetting the
# machine (-no-reboot: QEMU exits), as tests/lib/dom0.sh checks them.
# Each boot ends as soon as its last expected line appears, QEMU exits, or after
# BOOT_TIMEOUT seconds.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3
: "${BOOT_TIMEOUT:=120}" "${X86_MODULES:=}" "${X86_DTB32:=}"
here=$(dirname "$0")

work=$(dirname "$IMAGE")/system-test
tap="$RESULTS/system-x86-$BOARD.tap"
body="$work/tap.body"
mkdir -p "$work" "$RESULTS"
# Boot a private copy: a concurrent rebuild must not swap the image under a running test.
cp "$IMAGE" "$work/minixen" || exit 1
IMAGE=$work/minixen
read -ra modules <<<"$X86_MODULES"
lib=$here/../../lib
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/now.sh"
. "$lib/dom0.sh"
. "$lib/dom0-dt.sh"
board_vars "$BOARD" || exit 1
tap_begin "$body"

# fresh_modules [DTB]: the modules for the next boot (module 0 replaced by DTB if given),
# each DTB among them with now=<the host's time> added to its bootargs (tests/lib/now.sh).
# Sets run_modules.
fresh_modules() {
    local m i=0 list=("${modules[@]}")
    [ -z "${1:-}" ] || list[0]=$1
    run_modules=()
    for m in "${list[@]}"; do
        if [ "${m%.dtb}" != "$m" ]; then
            dtc -q -I dtb -O dts "$m" | bootargs_add_now |
                dtc -q -I dts -O dtb -o "$work/module$i.dtb" - || return 1
            m=$work/module$i.dtb
        fi
        run_modules+=("$m")
        i=$((i + 1))
    done
}

# boot <log> <last-line-regex> <board_qemu_cmd args...>: run the board's QEMU until the
# regex matches, QEMU exits or BOOT_TIMEOUT; <log>.txt is the log as text, <log>.exited
# exists if QEMU exited by itself before the regex matched.
boot() {
    local log=$1 last=$2 rc
    shift 2
    rm -f "$log.exited"
    board_qemu_cmd "$@" || return
    qemu_run_until "$log" "$BOOT_TIMEOUT" "$last" "${board_qemu[@]}"
    rc=$?
    [ $rc -eq 1 ] && : >"$log.exited"
    serial_text "$log" "$log.txt"
}

# check <log> <name> <smp> <protocol-regex> <tag> [MAIN PEER]: the banner, the loader's
# data, the milestones, then the domains (MAIN and PEER: the conformance guest's arch in
# dom0 and domU1, x86_64 and x86_32 unless given).
check() {
    local log=$1.txt name=$2 smp=$3 proto=$4 tag=$5 main=${6:-x86_64} peer=${7:-x86_32}
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
    has "$log" "^acpi: FADT: CMOS RTC, century at index 0x32$"; ok $? "$name: ACPI FADT century"
    has "$log" "^wallclock: cmos RTC says [0-9]+ s since 1970, at system time [0-9]+ ns$"
    ok $? "$name: wall clock read from the CMOS RTC"
    has "$log" "^apic: timer [0-9]+ MHz, tsc [0-9]+ MHz \(PIT-calibrated\); one-shot ok"
    ok $? "$name: APIC timer one-shot"
    local c up=0
    for c in $(seq 1 $((smp - 1))); do has "$log" "^smp: cpu $c up in long mode" || up=1; done
    ok $up "$name: INIT-SIPI-SIPI started cpus 1..$((smp - 1))"
    has "$log" "^smp: $smp cpu\(s\) online"; ok $? "$name: $smp cpu(s) online"
    has "$log" "^smp: IPI to every secondary cpu ok"; ok $? "$name: IPIs"
    has "$log" "^hvm: SVM revision [0-9]+ with nested paging"; ok $? "$name: SVM with NPT"
    has "$log" "^minixen: boot complete; 4 domain\(s\) starting"; ok $? "$name: boot complete, 4 domains"
    has "$log" "^acpi: FADT: PM1a_CNT 0x604, PM1b_CNT 0x0, \\\\_S5 SLP_TYP 0/0, reset register I/O 0xcf9 <- 0xf$"
    ok $? "$name: ACPI FADT and \\_S5: how to power off and reset"
    has "$log" "^\*\*\* Serial input to DOM0 \(type 'CTRL-a' three times to switch input\)$"
    ok $? "$name: the boot ends with Xen's switch line for dom0's input"
    domains "$log" "$name" "$tag" "$smp" "$main" "$peer"
    # Powered off, not reset: without -no-reboot a reset would have booted minixen again.
    [ -e "$1.exited" ] && has "$log" "^minixen: Hardware Dom0 halted: halting machine$" &&
        [ "$(grep -acE '^minixen [0-9][0-9.]* on ' "$log")" -eq 1 ]
    ok $? "$name: dom0's poweroff powered the machine off (Hardware Dom0 halted: halting machine; ACPI S5, QEMU exited by itself, one boot)"
    if has "$log" "^minixen: (panic|fatal)"; then ok 1 "$name: no panic"; else ok 0 "$name: no panic"; fi
}

# domains <log> <name> <tag> <smp> <main> <peer>: boards/qemu-x86_64/domains.dts. dom0 runs
# the conformance guest (tests/guest) as role=main with 2 vCPUs, domU1 as its peer over
# static channels (on another CPU when there is one), one 64-bit and the other 32-bit
# (<main>, <peer>: the arch each reports); their TAP goes to $RESULTS as files of its own,
# judged here. domU2 reads and writes outside itself (MMIO where nothing is: all ones,
# dropped; a NOT there is #GP; in its TAP), then runs code there, and domU3 triple-faults: each must end alone,
# with a line saying why, after the bring-up guest's own TAP.
domains() {
    local log=$1 name=$2 tag=$3 smp=$4 main=$5 peer=$6 d dtap why
    for d in 0 1 2 3; do
        dtap="$RESULTS/system-x86-$BOARD-$tag-d$d.tap"
        domain_tap "$log" "$d" "$dtap"
        if [ "$d" -le 1 ]; then
            why=$(tap_verdict "$dtap" 1)
            ok $? "$name: d$d conformance guest: TAP complete and passing${why:+ ($why; $dtap)}"
        else
            why=$(tap_verdict "$dtap" 0)
            ok $? "$name: d$d bring-up guest: TAP complete and passing${why:+ ($why; $dtap)}"
        fi
    done
    # The suite's constant plans (tests/guest/README.md): role=main 195 (172 + the x86 area, 15 + 8), role=peer 33.
    has "$log" "^1\.\.195$"; ok $? "$name: d0 ran the whole role=main plan (195)"
    has "$log" "^\(d1\) 1\.\.33$"; ok $? "$name: d1 ran the whole role=peer plan (33)"
    # domU1 has minixen,pv-console: its 16 MiB end with the ring (gfn 0xffd), the ACPI tables and
    # the start info; its static channels are 11 and 13, so the console takes the lowest free port, 1.
    has "$log" "^d1: PV console ring at gfn 0xffd, event channel 1$" &&
        has "$log" "^\(d1\) # xtest pv console: a line through the ring$"
    ok $? "$name: d1 wrote a line into its PV console ring, printed as its own"
    local wc=0
    for d in 0 1; do
        has "$RESULTS/system-x86-$BOARD-$tag-d$d.tap" \
            "^ok [0-9]+ - wall clock \+ system time \([0-9]+ s\) is the host's time" || wc=1
    done
    ok $wc "$name: d0 and d1 see the wall clock set (CMOS), agreeing with the host's time"
    has "$log" "^# xtest: role=main arch=$main vcpus=2$"; ok $? "$name: d0 ($main) found its 2 vCPUs"
    has "$log" "^\(d1\) # xtest: role=peer arch=$peer vcpus=1$"; ok $? "$name: d1 is the $peer guest"
    if [ "$smp" -ge 2 ]; then
        # Round-robin over every vCPU in domain order (docs/dt-bindings.md): d0's two take
        # CPUs 0 and 1, d1's one the next.
        d1cpu=$((2 % smp))
        has "$log" "^dom: d0 dom0: 2 vcpu\(s\) from cpu 0, on cpus 0 1$" &&
            has "$log" "^dom: d1 domU1: 1 vcpu\(s\) from cpu $d1cpu, on cpus $d1cpu$"
        ok $? "$name: vCPUs placed round-robin (d0 on cpus 0 1, d1 on cpu $d1cpu)"
    fi
    has "$log" "^minixen: domain 0 \(dom0\) shut down: poweroff$"; ok $? "$name: d0 powered off"
    has "$log" "^minixen: domain 1 \(domU1\) shut down: poweroff$"; ok $? "$name: d1 powered off"
    has "$log" "^minixen: domain 2 \(domU2\): MMIO at gpa 0x3ff00000 by an instruction not emulated at rip 0x[0-9a-f]+ \(f7 10( [0-9a-f]{2})*\): #GP \(reported once\)$"
    ok $? "$name: d2's NOT outside its memory: #GP, the refusal logged once with its bytes"
    has "$log" "^minixen: domain 2 \(domU2\): nested page fault at gpa 0x3ff00000 \(fetch\) outside its memory; the domain ends$" &&
        has "$log" "^minixen: domain 2 \(domU2\) shut down: crash$"
    ok $? "$name: d2 ended by its instruction fetch outside its memory, alone"
    has "$log" "^minixen: domain 3 \(domU3\): triple fault; the domain ends$" &&
        has "$log" "^minixen: domain 3 \(domU3\) shut down: crash$"
    ok $? "$name: d3 ended by its triple fault, alone"
    has "$log" "^minixen: all domains have shut down$"; ok $? "$name: all domains ended"
}

done_re="^minixen: (panic|fatal)" # else the run ends when QEMU exits (dom0 powers off)
for smp in 1 2 4; do
    log="$work/multiboot-smp$smp.log"
    fresh_modules || exit 1
    boot "$log" "$done_re" --smp "$smp" multiboot "$IMAGE" "${run_modules[@]}"
    check "$log" "Multiboot -smp $smp" "$smp" "Multiboot from qemu" "multiboot-smp$smp"
done

# A CPU with XSAVE and AVX (QEMU's EPYC): the XSAVE/XRSTOR path of xstate.c, the guests'
# XSETBV and their ymm registers, two domains on one CPU.
log="$work/multiboot-xsave.log"
fresh_modules || exit 1
boot "$log" "$done_re" --cpu EPYC,+svm,+npt --smp 1 multiboot "$IMAGE" "${run_modules[@]}"
check "$log" "Multiboot -cpu EPYC -smp 1" 1 "Multiboot from qemu" "multiboot-xsave"
has "$log.txt" "^xstate: XSAVE, [0-9]+ bytes per vCPU, guest XCR0 up to 0x7;"
ok $? "EPYC: vCPU state switched with XSAVE, guest XCR0 up to x87|SSE|AVX"

if command -v grub-mkrescue >/dev/null; then
    for smp in 1 2 4; do
        log="$work/grub-smp$smp.log"
        # The 32-bit conformance guest as dom0 (role main), the 64-bit one as its peer.
        fresh_modules "$X86_DTB32" &&
            "$here/mkiso.sh" "$work/minixen.iso" "$IMAGE" "${run_modules[@]}" || exit 1
        boot "$log" "$done_re" --smp "$smp" iso "$work/minixen.iso"
        check "$log" "GRUB Multiboot2 -smp $smp" "$smp" "Multiboot2 from GRUB" "grub-smp$smp" \
            x86_32 x86_64
    done
else
    skip 1 "GRUB boot path: no grub-mkrescue (make deps)"
fi

# dom0 alone: the conformance guest (module 1) with bootargs $1, its DT at $work/$2.dtb.
dom0_dtb() {
    {
        dt_chosen_dom0_x86 "dom0_mem=16M dom0_max_vcpus=1" "$1"
        echo "    };"
        echo "};"
    } >"$work/$2.dts"
    dtc -q -I dts -O dtb -o "$work/$2.dtb" "$work/$2.dts"
}
# dom0_qemu NAME [QEMU-ARG...]: the board's QEMU at -smp 2 with $work/NAME.dtb and the
# conformance guest as its modules, in board_qemu.
dom0_qemu() {
    board_qemu_cmd --smp 2 multiboot "$IMAGE" "$work/$1.dtb" "${modules[1]}" -- "${@:2}"
}

# Serial input on COM1 (its receive interrupt -> console_input): the Ctrl-A cycle.
if [ ${#modules[@]} -ge 2 ] && dom0_dtb "role=main $(now_arg) end=idle" idle; then
    dom0_qemu idle
    dom0_input_cycle "$work/input.log" "serial input" "$BOOT_TIMEOUT" "${board_qemu[@]}"
    # dom0's reboot and crash reset the machine: with -no-reboot QEMU exits.
    dom0_dtb "role=reboot" reboot
    dom0_qemu reboot -no-reboot
    dom0_end_run "$work/reboot.log" "dom0 reboot" "$BOOT_TIMEOUT" reboot "${board_qemu[@]}"
    dom0_dtb "role=main $(now_arg) end=crash" crash
    dom0_qemu crash -no-reboot
    dom0_end_run "$work/crash.log" "dom0 crash" "$BOOT_TIMEOUT" crash "${board_qemu[@]}"
else
    skip 9 "dom0 alone: no conformance guest module or no dtc"
fi

# A 32-bit CPU: the 32-bit entry code must explain and halt.
log="$work/no-long-mode.log"
boot "$log" "Halting" --cpu qemu32 --smp 1 multiboot "$IMAGE"
has "$log.txt" "^minixen: this CPU has no long mode .* Halting\.$"; ok $? "no long mode: explained"

# A CPU without SVM: the hypervisor boots, then says exactly what is missing and halts.
log="$work/no-svm.log"
boot "$log" "Halting" --cpu qemu64,-svm --smp 1 multiboot "$IMAGE"
has "$log.txt" "^hvm: this CPU has no SVM \(AMD-V\)"; ok $? "no SVM: explained"
has "$log.txt" "^hvm: QEMU: -cpu qemu64,\+svm,\+npt .*Halting\.$"; ok $? "no SVM: halted with the fix"

tap_end "$tap" "system-x86-$BOARD" "$work"
