#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run one suite of `make test` and make sure its end is counted, whatever it did:
#   tools/run-suite.sh RESULTS SUITE CMD...
# If CMD exits non-zero, a TAP file RESULTS/incomplete-SUITE.tap records it as one failure
# ("not ok - SUITE did not complete"). A suite that cannot even build writes no TAP of its
# own, so without this line its absence would read as "0 failed" in tools/tap-summary.sh.
# A suite whose own tests failed is counted once more here, which is the safe direction.
set -u
results=$1 suite=$2
shift 2
mkdir -p "$results"
rm -f "$results/incomplete-$suite.tap"
"$@"
rc=$?
if [ "$rc" -ne 0 ]; then
    printf '1..1\nnot ok 1 - %s did not complete (exit status %d)\n' "$suite" "$rc" \
        >"$results/incomplete-$suite.tap"
fi
exit "$rc"
