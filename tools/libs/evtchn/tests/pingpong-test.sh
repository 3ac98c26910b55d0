#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ping-pong example on the emu backend, as TAP:
#   tools/libs/evtchn/tests/pingpong-test.sh PINGPONG TAPFILE
#   1  `self 1000`: both ends in one process, 1000 round trips, the result line printed
# (the round trips between two processes, one emulated domain each, are the emu backend's
# own tests: which domain a process is belongs to that backend).
set -u
prog=$1 tap=$2
out=$(MINIXEN_EVTCHN_BACKEND=emu timeout 120 "$prog" self 1000 2>&1)
rc=$?
echo "$out" >"${tap%.tap}.log"
line=$(echo "$out" | grep -E '^pingpong: 1000 round trips' | head -n 1)
{
    echo "1..1"
    if [ $rc -eq 0 ] && [ -n "$line" ]; then
        echo "ok 1 - libevtchn emu: evtchn-pingpong self 1000 ($line)"
    else
        echo "not ok 1 - libevtchn emu: evtchn-pingpong self 1000 (exit $rc: $(echo "$out" | tail -n 1))"
    fi
} >"$tap"
cat "$tap"
[ $rc -eq 0 ] && [ -n "$line" ]
