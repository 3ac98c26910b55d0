# SPDX-License-Identifier: Apache-2.0
# dom0 and the machine, as both ports' system tests check it (sourced after tap.sh and
# qemu.sh): where serial input goes (Xen's Ctrl-A cycle) and what the machine does when
# dom0 ends. dom0 is the conformance guest (tests/guest); its end= bootarg says how it ends.
#
#   dom0_input_cycle LOG NAME SECONDS CMD...
#       CMD: a QEMU whose dom0 runs with end=idle (it echoes the serial input it gets as
#       "# xtest input: ..." lines) and no domU with a console. Types into its serial line
#       and adds 5 results: the boot ends with Xen's switch line for DOM0; keys typed first
#       reach dom0 and no debug key answers them; Ctrl-A x3 moves input to minixen; there
#       h, q and e answer; Ctrl-A x3 again brings it back to dom0, which gets what follows.
#   dom0_end_run LOG NAME SECONDS REASON CMD...
#       CMD: a QEMU with -no-reboot whose dom0 ends with REASON (reboot or crash). Adds 2
#       results: Xen's line for it, and the machine reset (QEMU exited by itself, after
#       the 5 s delay for a crash, and minixen booted once).
# Both leave LOG.txt (serial_text).

DOM0_SWITCH_TAIL="(type 'CTRL-a' three times to switch input)"

# The serial input dom0 echoed so far, as one string.
dom0_echoed() {
    tr -d '\r' <"$1" | sed -n 's/^# xtest input: //p' | tr -d '\n'
}

# Lines of LOG matching REGEX.
count_lines() {
    tr -d '\r' <"$1" | grep -acE "$2"
}

# wait_for_count LOG REGEX N SECONDS PID: until N lines match (0), PID ended (1), time-out (2).
# (Lines without their CRs, so a REGEX may end in $.)
wait_for_count() {
    local log=$1 re=$2 n=$3 limit=$4 pid=$5 t=0
    while [ "$(count_lines "$log" "$re")" -lt "$n" ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        [ "$t" -ge $((limit * 10)) ] && return 2
        sleep 0.1
        t=$((t + 1))
    done
}

# wait_for_echo LOG TEXT SECONDS PID: until dom0 has echoed TEXT.
wait_for_echo() {
    local log=$1 text=$2 limit=$3 pid=$4 t=0
    until [[ "$(dom0_echoed "$log")" == *"$text"* ]]; do
        kill -0 "$pid" 2>/dev/null || return 1
        [ "$t" -ge $((limit * 10)) ] && return 2
        sleep 0.1
        t=$((t + 1))
    done
}

dom0_input_cycle() {
    local log=$1 name=$2 limit=$3 fifo=$1.fifo
    local to_dom0="^\*\*\* Serial input to DOM0 \(type 'CTRL-a' three times to switch input\)$"
    local to_xen="^\*\*\* Serial input to minixen \(type 'CTRL-a' three times to switch input\)$"
    local help="^minixen debug keys:$" doms="^minixen: domains at [0-9]+ ns$"
    local evtchns="^d0: event channels, " ok1=1 ok2=1 ok3=1 ok4=1 ok5=1
    shift 3
    rm -f "$fifo" && mkfifo "$fifo"
    QEMU_STDIN=$fifo qemu_start "$log" "$@"
    exec 9>"$fifo"
    # Each step waits for the hypervisor's answer to the last before it types on.
    if wait_for_count "$log" "$to_dom0" 1 "$limit" "$qemu_pid"; then
        ok1=0
        printf 'hi' >&9 # for dom0, which reads it once its suite is done
        printf '\001\001\001' >&9
        wait_for_count "$log" "$to_xen" 1 "$limit" "$qemu_pid" && ok3=0
    fi
    if [ "$ok3" -eq 0 ]; then
        printf 'h' >&9
        wait_for_count "$log" "$help" 1 "$limit" "$qemu_pid" && printf 'q' >&9 &&
            wait_for_count "$log" "$doms" 1 "$limit" "$qemu_pid" && printf 'e' >&9 &&
            wait_for_count "$log" "$evtchns" 1 "$limit" "$qemu_pid" &&
            [ "$(count_lines "$log" "^    now: DOM0 -> \[minixen\]$")" -eq 1 ] && ok4=0
        printf '\001\001\001' >&9
        if wait_for_count "$log" "$to_dom0" 2 "$limit" "$qemu_pid"; then
            printf 'qe' >&9 # keys of minixen: at dom0 they must be plain input
            wait_for_echo "$log" "hiqe" "$limit" "$qemu_pid" && ok5=0
        fi
    fi
    [ "$ok1" -eq 0 ] && wait_for_echo "$log" "hi" "$limit" "$qemu_pid" &&
        [ "$(count_lines "$log" "$help")" -le 1 ] && ok2=0
    # The keys answered exactly once each: at minixen, never at dom0.
    [ "$(count_lines "$log" "$help")" -eq 1 ] && [ "$(count_lines "$log" "$doms")" -eq 1 ] || ok5=1
    exec 9>&-
    qemu_stop "$qemu_pid"
    rm -f "$fifo"
    serial_text "$log" "$log.txt"
    ok $ok1 "$name: the boot ends with Xen's switch line: *** Serial input to DOM0 $DOM0_SWITCH_TAIL"
    ok $ok2 "$name: keys typed first go to dom0 (it echoes 'hi'); no debug key answers them"
    ok $ok3 "$name: Ctrl-A x3: *** Serial input to minixen"
    ok $ok4 "$name: at minixen the debug keys h, q, e answer; h shows the cycle DOM0 -> [minixen]"
    ok $ok5 "$name: Ctrl-A x3 again: input back at DOM0, which gets 'qe'; no key answered there"
}

dom0_end_run() {
    local log=$1 name=$2 limit=$3 reason=$4 line t0 t1 rc=0 secs ok2=1
    shift 4
    case $reason in
    reboot) line="^minixen: Hardware Dom0 shutdown: rebooting machine$" ;;
    crash) line="^minixen: Hardware Dom0 crashed: rebooting machine in 5 seconds\.$" ;;
    *) echo "dom0_end_run: unknown reason $reason" >&2; return 2 ;;
    esac
    qemu_start "$log" "$@"
    wait_for_count "$log" "$line|^minixen: (panic|fatal)" 1 "$limit" "$qemu_pid" || rc=$?
    t0=$(date +%s%N)
    # Then QEMU should exit by itself: -no-reboot turns the reset into an exit.
    [ "$rc" -eq 0 ] && { wait_for_log "$log" "^minixen: (panic|fatal)" "$limit" "$qemu_pid" || rc=$?; }
    t1=$(date +%s%N)
    qemu_stop "$qemu_pid"
    serial_text "$log" "$log.txt"
    secs=$(((t1 - t0) / 100000000)) # tenths
    if [ "$rc" -eq 1 ] && [ "$(count_lines "$log.txt" '^minixen [0-9][0-9.]* on ')" -eq 1 ]; then
        # A crash waits 5 s of hypervisor time first (the guest timer and TCG keep to real time).
        [ "$reason" != crash ] || [ "$secs" -ge 45 ] && ok2=0
    fi
    has "$log.txt" "$line"; ok $? "$name: Xen's line (${line//[\\^$]/})"
    ok $ok2 "$name: the machine reset: QEMU -no-reboot exited by itself $((secs / 10)).$((secs % 10)) s after that line, one boot"
}
