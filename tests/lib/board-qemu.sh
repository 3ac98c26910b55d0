#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The QEMU command line of a board, built from its boards/$BOARD/board.mk variables, so that
# every runner boots the same machine: the system tests, the benchmark runners, `make run`
# and `make debug` (tests/system/run.mk). The top Makefile exports the variables (BOARD
# ARCH QEMU QEMU_MACHINE CPU QEMU_SMP QEMU_MEM UBOOT_BIOS BOARD_DTB RTC GUEST_ADDR
# SYSTEM_SMP; and UART, INTC, which only the tests read); a script run by hand reads them
# from board.mk with board_vars. Sourced after qemu.sh; run as a program (`make run`), it
# execs the command.
#
#   board_vars BOARD [force]   the board's variables from boards/BOARD/board.mk: those the
#                              environment does not set already, or every one with force
#                              (a benchmark's machine is fixed, whatever the caller's)
#   board_qemu_cmd [OPTIONS] METHOD [ARG...] [-- QEMU-ARG...]
#       the command, in the array board_qemu: $QEMU -nographic -monitor none -serial stdio
#       -machine -cpu -m -smp (and -net none on x86: no NIC the hypervisor does not use),
#       then the boot METHOD's arguments, then the QEMU-ARGs (-no-reboot, -icount, ...).
#       OPTIONS:
#         --smp N          host CPUs (default $QEMU_SMP)
#         --cpu MODEL      instead of $CPU (x86's CPUs that cannot host minixen)
#         --machine M      instead of $QEMU_MACHINE (arm64's EL1 entry: no virtualization=on)
#         --interactive    -nographic alone: serial line and QEMU's monitor share stdio, and
#                          Ctrl-A is QEMU's escape (Ctrl-A x quits). Without it the serial
#                          line alone is on stdio and gets every byte, Ctrl-A too: the tests
#                          type Xen's Ctrl-A x3 into it.
#       METHOD, by ARCH:
#         none                           no image (QEMU's DT dump)
#         kernel IMAGE [DTB [FILE@ADDR...]]
#                                        arm: QEMU -kernel IMAGE, -dtb DTB (else the board's
#                                        BOARD_DTB, else QEMU's own DT), each FILE loaded raw
#                                        at ADDR (-device loader)
#         uboot TFTP-DIR                 arm: U-Boot ($UBOOT_BIOS) as the firmware, QEMU's
#                                        user network serving TFTP-DIR (its boot.scr.uimg)
#         multiboot IMAGE [MODULE...]    x86: QEMU -kernel IMAGE (Multiboot), the modules in
#                                        this order (-initrd "a,b")
#         iso ISO                        x86: a GRUB ISO (Multiboot2), booted by SeaBIOS
#   board_qemu_dts BASE [OPTIONS]    QEMU's own DT for the board's machine (qemu_dts):
#                                    BASE.dtb and BASE.dts; OPTIONS as above. arm only.
#                                    A board whose QEMU machine makes no DT (zcu102) names
#                                    one in BOARD_DTB (a distribution's): that one, as it is
#                                    (QEMU rewrites its /memory for -m when it loads it)
#   board_uboot_script CONFIG TFTP-DIR [--now]
#       the boot script of the uboot method: tools/uboot-script-gen with CONFIG (an
#       ImageBuilder configuration, boards/$BOARD/imagebuilder-*.cfg, whose files are in
#       TFTP-DIR) writes TFTP-DIR/boot.source and boot.scr.uimg (the addresses it chose:
#       TFTP-DIR/layout.txt). --now: every role= bootargs gets now=<the host's time> first
#       (bootargs_add_now: the caller sources tests/lib/now.sh)
#
# As a program: board-qemu.sh [OPTIONS] METHOD [ARG...] [-- QEMU-ARG...] prints the command
# (stderr) and execs it; board-qemu.sh dts BASE [OPTIONS] writes the DT. BOARD alone in the
# environment is enough.

board_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

board_vars() {
    local mk="$board_root/boards/$1/board.mk" force=${2:-} var val
    [ -r "$mk" ] || { echo "board-qemu: no board $1 ($mk)" >&2; return 1; }
    # A board for real hardware only (boards/rpi4) sets QEMU empty.
    grep -q "^QEMU[[:space:]]*[:?]\?=[[:space:]]*[^[:space:]]" "$mk" ||
        { echo "board-qemu: $1 has no QEMU machine (real hardware only)" >&2; return 1; }
    for var in ARCH QEMU QEMU_MACHINE CPU QEMU_SMP QEMU_MEM UBOOT_BIOS BOARD_DTB RTC GUEST_ADDR \
        SYSTEM_SMP UART INTC; do
        # board.mk's plain "NAME := value" and "NAME ?= value" lines (no make syntax in them).
        val=$(sed -n "s/^${var}[[:space:]]*[:?]\?=[[:space:]]*//p" "$mk" | tail -1)
        [ -n "$val" ] || continue
        if [ "$force" = force ] || [ -z "${!var:-}" ]; then
            printf -v "$var" '%s' "$val"
            export "${var?}"
        fi
    done
    export BOARD=$1
}

board_qemu_cmd() {
    local smp=${QEMU_SMP:-1} cpu=${CPU:-} machine=${QEMU_MACHINE:-} interactive='' method
    while [ $# -gt 0 ]; do
        case $1 in
        --smp) smp=$2; shift ;;
        --cpu) cpu=$2; shift ;;
        --machine) machine=$2; shift ;;
        --interactive) interactive=1 ;;
        *) break ;;
        esac
        shift
    done
    method=${1:-}
    shift || true
    : "${QEMU:?board-qemu: QEMU unset (BOARD= and board_vars, or make)}" "${machine:?}" "${cpu:?}"
    board_qemu=("$QEMU" -nographic)
    [ -n "$interactive" ] || board_qemu+=(-monitor none -serial stdio)
    board_qemu+=(-machine "$machine" -cpu "$cpu" -m "${QEMU_MEM:-1024}" -smp "$smp")
    if [ "${ARCH:-}" = x86 ]; then board_qemu+=(-net none); fi
    board_qemu_machine=$machine
    case ${ARCH:-}:$method in
    *:none) ;;
    arm:kernel)
        board_qemu+=(-kernel "$1")
        shift
        if [ $# -gt 0 ] && [ "$1" != -- ]; then
            board_qemu+=(-dtb "$1")
            shift
        elif [ -n "${BOARD_DTB:-}" ]; then
            board_qemu+=(-dtb "$(board_dtb)") || return
        fi
        while [ $# -gt 0 ] && [ "$1" != -- ]; do
            board_qemu+=(-device "loader,file=${1%@*},addr=${1##*@},force-raw=on")
            shift
        done
        ;;
    arm:uboot)
        board_qemu+=(-bios "${UBOOT_BIOS:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}"
            -netdev "user,id=n0,tftp=$1" -device "virtio-net-pci,netdev=n0")
        shift
        ;;
    x86:multiboot)
        board_qemu+=(-kernel "$1")
        shift
        local modules=()
        while [ $# -gt 0 ] && [ "$1" != -- ]; do
            modules+=("$1")
            shift
        done
        [ ${#modules[@]} -eq 0 ] || board_qemu+=(-initrd "$(IFS=,; echo "${modules[*]}")")
        ;;
    x86:iso)
        board_qemu+=(-cdrom "$1")
        shift
        ;;
    *)
        echo "board-qemu: no boot method '$method' on ${BOARD:-this board} (ARCH=${ARCH:-})" >&2
        return 2
        ;;
    esac
    [ "${1:-}" != -- ] || shift
    board_qemu+=("$@")
}

# The board's BOARD_DTB (relative to the tree), or a reason on stderr and failure.
board_dtb() {
    local dtb=$BOARD_DTB
    case $dtb in /*) ;; *) dtb=$board_root/$dtb ;; esac
    if [ ! -r "$dtb" ]; then
        echo "board-qemu: no $dtb (tools/fetch-linux.sh fetches it)" >&2
        return 1
    fi
    echo "$dtb"
}

board_qemu_dts() {
    local base=$1 dtb
    shift
    # x86's q35 has no DT to dump (QEMU would boot SeaBIOS instead, and never exit).
    if [ "${ARCH:-}" != arm ]; then
        echo "board-qemu: no QEMU DT on ${BOARD:-this board} (ARCH=${ARCH:-})" >&2
        return 2
    fi
    if [ -n "${BOARD_DTB:-}" ]; then
        dtb=$(board_dtb) || return
        cp "$dtb" "$base.dtb" && dtc -q -I dtb -O dts -o "$base.dts" "$base.dtb"
        return
    fi
    board_qemu_cmd "$@" none || return
    qemu_dts "$base" "$board_qemu_machine" "${board_qemu[@]}"
}

board_uboot_script() {
    local cfg=$1 dir=$2
    rm -f "$dir/boot.source" "$dir/boot.scr.uimg"
    "$board_root/tools/uboot-script-gen" -c "$cfg" -d "$dir" -t tftp >"$dir/layout.txt" || return
    [ "${3:-}" = --now ] || return 0
    # The generator's own mkimage again, on the source with the time in it.
    bootargs_add_now <"$dir/boot.source" >"$dir/boot.source.now" &&
        mv "$dir/boot.source.now" "$dir/boot.source" &&
        mkimage -A arm64 -T script -C none -d "$dir/boot.source" "$dir/boot.scr.uimg" >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -eu
    # shellcheck source=tests/lib/qemu.sh
    . "$board_root/tests/lib/qemu.sh"
    [ -n "${QEMU_MACHINE:-}" ] || board_vars "${BOARD:?board-qemu.sh: BOARD= or the board.mk variables}"
    if [ "${1:-}" = dts ]; then
        shift
        board_qemu_dts "$@"
        exit
    fi
    board_qemu_cmd "$@"
    echo "${board_qemu[*]}" >&2 # what runs, as make shows a command
    exec "${board_qemu[@]}"
fi
