#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ping-pong example on the emu backend, as TAP: the same program a Linux guest runs,
# here on a plain host, each run on an emulated machine of its own.
#   tools/libs/evtchn/tests/pingpong-test.sh PINGPONG TAPFILE
#   1     `self 1000`: both ends in one process (DOMID_SELF)
#   2, 3  two processes, `serve 0` as domain 1 and `ping 1 PORT 1000` as domain 0, on a
#         2-level and on a FIFO machine: two programs on one host exchange events
# Each line carries the example's result line (its latency figures).
set -u
prog=$1 tap=$2
log=${tap%.tap}.log
: >"$log"
n=0 failed=0
body=

result() { # result OK DESCRIPTION
    n=$((n + 1))
    if [ "$1" = 0 ]; then body+="ok $n - $2"$'\n'; else body+="not ok $n - $2"$'\n'; failed=1; fi
}

machine() { echo "pingpong-$$-$1"; }

# self: one process, the machine's default ABI (2-level).
out=$(MINIXEN_EVTCHN_BACKEND=emu MINIXEN_EVTCHN_EMU_MACHINE=$(machine self) \
    timeout 120 "$prog" self 1000 2>&1)
rc=$?
echo "== self 1000: exit $rc"$'\n'"$out" >>"$log"
line=$(echo "$out" | grep -E '^pingpong: 1000 round trips' | head -n 1)
[ $rc -eq 0 ] && [ -n "$line" ]
result $? "libevtchn emu: evtchn-pingpong self 1000 (${line:-exit $rc: $(echo "$out" | tail -n 1)})"

# Two processes in two emulated domains; the server prints its port, the pinger binds it.
for abi in 2level fifo; do
    export MINIXEN_EVTCHN_BACKEND=emu MINIXEN_EVTCHN_EMU_MACHINE=$(machine "$abi")
    export MINIXEN_EVTCHN_EMU_ABI=$abi
    served=$(mktemp)
    MINIXEN_EVTCHN_EMU_DOMID=1 timeout 120 "$prog" serve 0 >"$served" 2>&1 &
    server=$!
    port=
    for _ in $(seq 100); do # up to 10 s for the broker to start and the port to show
        port=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$served" | head -n 1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -n "$port" ]; then
        out=$(MINIXEN_EVTCHN_EMU_DOMID=0 timeout 120 "$prog" ping 1 "$port" 1000 2>&1)
        rc=$?
    else
        out="the server printed no port: $(tail -n 1 "$served")" rc=1
    fi
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    echo "== $abi: serve (domain 1) and ping (domain 0): exit $rc"$'\n'"$(cat "$served")"$'\n'"$out" >>"$log"
    rm -f "$served"
    line=$(echo "$out" | grep -E '^pingpong: 1000 round trips' | head -n 1)
    [ $rc -eq 0 ] && [ -n "$line" ]
    result $? "libevtchn emu ($abi): two processes, domain 0 pings domain 1 1000 times (${line:-exit $rc: $(echo "$out" | tail -n 1)})"
done

printf '1..%d\n%s' "$n" "$body" >"$tap"
cat "$tap"
exit $failed
