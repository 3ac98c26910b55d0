# SPDX-License-Identifier: Apache-2.0
# Running QEMU (or any program) in the background and watching its serial log (sourced by
# the system tests, the benchmark runners and the Xen oracle runners).
#
#   qemu_start LOG CMD...            CMD in the background, stdin $QEMU_STDIN (default
#                                    /dev/null), stdout+stderr to LOG; its pid in qemu_pid
#   wait_for_log LOG REGEX SECONDS [PID]
#                                    poll LOG until a line matches REGEX (0), PID has ended (1)
#                                    or SECONDS have passed (2)
#   qemu_stop PID                    SIGINT, so that QEMU exits cleanly (a TCG plugin writes its
#                                    report at exit), then SIGTERM after 10 s; reaps PID
#   qemu_run_until LOG SECONDS REGEX CMD...
#                                    the three above in a row; returns what wait_for_log said
#   wait_for_guest LOG SECONDS PID WHO [STOP_REGEX]
#                                    wait_for_log for the conformance guest's end marker in
#                                    dom0's (bare) lines; 0 once it is there
#   serial_text RAW OUT              RAW without CRs and terminal escape sequences (SeaBIOS,
#                                    GRUB and U-Boot draw with them)
#   qemu_dts BASE MACHINE CMD...     QEMU's own DT for this machine: CMD -machine
#                                    MACHINE,dumpdtb=BASE.dtb, decompiled to BASE.dts

qemu_start() {
    local log=$1
    shift
    # Truncate here, not only in the child: a poll must never see a previous run's log.
    : >"$log"
    "$@" <"${QEMU_STDIN:-/dev/null}" >"$log" 2>&1 &
    qemu_pid=$!
}

wait_for_log() {
    local log=$1 re=$2 limit=$3 pid=${4:-} t=0
    while :; do
        grep -qaE "$re" "$log" 2>/dev/null && return 0
        [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
        [ "$t" -ge $((limit * 10)) ] && return 2
        sleep 0.1
        t=$((t + 1))
    done
}

qemu_stop() {
    local pid=$1 _
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

qemu_run_until() {
    local log=$1 limit=$2 re=$3 rc=0
    shift 3
    qemu_start "$log" "$@"
    wait_for_log "$log" "$re" "$limit" "$qemu_pid" || rc=$?
    qemu_stop "$qemu_pid"
    return "$rc"
}

wait_for_guest() {
    local log=$1 limit=$2 pid=$3 who=$4 stop=${5:-} rc=0
    wait_for_log "$log" "^# xtest done:${stop:+|$stop}" "$limit" "$pid" || rc=$?
    [ "$rc" -eq 2 ] && echo "$who: timed out after ${limit}s" >&2
    # Checked again: QEMU may have exited (Xen halts the machine when dom0 ends) just
    # after a poll.
    if grep -aq '^# xtest done:' "$log"; then
        sleep 0.5 # the peer domain's last lines
        return 0
    fi
    [ "$rc" -eq 0 ] && sleep 1 # STOP_REGEX matched (a panic, say): its message follows
    return 1
}

serial_text() {
    tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$2"
}

qemu_dts() {
    local base=$1 machine=$2
    shift 2
    "$@" -machine "$machine,dumpdtb=$base.dtb" >/dev/null 2>&1
    dtc -q -I dtb -O dts -o "$base.dts" "$base.dtb"
}
