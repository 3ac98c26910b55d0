# SPDX-License-Identifier: Apache-2.0
# TAP for the QEMU system tests (sourced): results are collected in a body file while the
# test runs, because the plan line ("1..N") must come first and N is known only at the end.
#
#   tap_begin BODY                 start counting; BODY collects the result lines
#   ok STATUS DESCRIPTION          one result: "ok" when STATUS is 0
#   skip COUNT REASON              COUNT skipped results
#   has FILE REGEX                 0 when a line of FILE matches (extended regex)
#   domain_tap LOG ID OUT          the TAP lines of domain ID in a console log into OUT
#   tap_verdict TAP [MARKER]       0 when a domain's TAP is complete and passing
#   tap_end TAP NAME LOGDIR        write TAP (plan + body), print the summary; 0 if none failed

tap_begin() {
    tap_body=$1 tap_n=0 tap_failed=0
    : >"$tap_body"
}

ok() { # ok <cond-status> <description>
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tap_n - $2" >>"$tap_body"
    else
        echo "not ok $tap_n - $2" >>"$tap_body"
        tap_failed=$((tap_failed + 1))
    fi
}

skip() { # skip <count> <reason>
    local _
    for _ in $(seq "$1"); do
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $2 # SKIP" >>"$tap_body"
    done
}

has() { grep -qaE "$2" "$1"; }

# Both hypervisors print dom0's console lines bare and prefix a domU's with "(dN) ".
domain_tap() {
    local log=$1 id=$2 out=$3
    if [ "$id" -eq 0 ]; then
        grep -aE '^(ok |not ok |1\.\.[0-9]|# )' "$log" >"$out"
    else
        sed -n "s/^(d$id) //p" "$log" | grep -aE '^(ok |not ok |1\.\.[0-9]|# )' >"$out"
    fi
    [ -s "$out" ] || echo "# no output from domain $id" >"$out"
}

# The plan is there and matches the results, none failed (SKIP and TODO aside) and, with
# MARKER 1 (the default), the conformance guest printed its end marker. Prints why not.
tap_verdict() {
    awk -v marker="${2:-1}" '
        /^(not )?ok / { seen++ }
        /^not ok / && !/# *[Ss][Kk][Ii][Pp]/ && !/# *TODO/ { bad++ }
        /^1\.\.[0-9]+/ { split($0, a, "[.][.]"); plan = a[2] + 0; have = 1 }
        /^# xtest done:/ { done = 1 }
        END {
            if (!have) { print "no plan"; exit 1 }
            if (plan != seen) { print "plan " plan " but " seen " results"; exit 1 }
            if (bad) { print bad " not ok"; exit 1 }
            if (marker && !done) { print "no end marker"; exit 1 }
        }' "$1"
}

tap_end() {
    local tap=$1 name=$2 logdir=$3
    { echo "TAP version 13"; echo "1..$tap_n"; cat "$tap_body"; } >"$tap"
    rm -f "$tap_body"
    echo "$name: $((tap_n - tap_failed)) passed, $tap_failed failed (logs in $logdir)"
    [ "$tap_failed" -eq 0 ]
}
