# SPDX-License-Identifier: Apache-2.0
# Typing into a QEMU guest's serial line (sourced by the Linux system tests): a FIFO held
# open on fd 9 that QEMU reads as its stdin (QEMU_STDIN=$fifo qemu_start ...).
#
#   serial_input_open FIFO     make the FIFO and keep it open on fd 9
#   type_slowly TEXT           TEXT (printf's escapes) a few bytes at a time, as a person
#                              types: Xen's vPL011 keeps 32 bytes and drops the rest, and
#                              QEMU's serial line delivers at memory speed
#   serial_input_close FIFO    close fd 9 and remove the FIFO
#   serial_run_end PID FIFO RAW LOG
#                              the end of such a run: QEMU given 10 s to exit by itself
#                              (a guest's poweroff takes the machine with it), else stopped;
#                              the FIFO closed, RAW's serial output made text in LOG. Sets
#                              stopped=1 if QEMU had to be stopped (0 if it had exited)
#   serial_run_stop PID FIFO RAW LOG
#                              the same for a machine not meant to power off: stopped at once

serial_input_open() {
    rm -f "$1" && mkfifo "$1" || return 1
    exec 9<>"$1"
}

type_slowly() {
    local text i
    text=$(printf '%b' "$1" | od -An -v -tx1 | tr -d ' \n')
    for ((i = 0; i < ${#text}; i += 8)); do
        printf '%b' "$(sed 's/\(..\)/\\x\1/g' <<<"${text:i:8}")" >&9
        sleep 0.2
    done
}

serial_input_close() {
    exec 9>&-
    rm -f "$1"
}

serial_run_end() {
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    stopped=0
    kill -0 "$1" 2>/dev/null && stopped=1
    serial_run_stop "$@"
}

serial_run_stop() {
    qemu_stop "$1"
    serial_input_close "$2"
    serial_text "$3" "$4"
    rm -f "$3"
}
