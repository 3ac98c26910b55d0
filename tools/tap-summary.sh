#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sum every TAP file under a directory into one line "N passed, N failed".
# A TAP file counts as failed as a whole if its plan does not match the tests seen,
# so a crashed suite can never pass by silence.
set -u
dir=${1:-build/test-results}
passed=0 failed=0 skipped=0
shopt -s nullglob
files=("$dir"/*.tap)
if [ ${#files[@]} -eq 0 ]; then
    # Nothing ran at all: that is a failure, never "0 passed, 0 failed".
    echo "tap-summary: no TAP files under $dir" >&2
    failed=1
fi
for f in "${files[@]}"; do
    read -r p fl s planned seen < <(awk '
        # A SKIP directive is a skip whether the line says ok or not ok (cmocka says the
        # latter); a TODO failure is expected and does not count against the run.
        /^(not )?ok / && /# *[Ss][Kk][Ii][Pp]/ { s++; seen++; next }
        /^ok / { p++; seen++ }
        /^not ok / { if ($0 ~ /# *TODO/) p++; else fl++; seen++ }
        /^1\.\.[0-9]+/ { split($0, a, "[.][.]"); split(a[2], b, " "); planned = b[1] + 0; have_plan = 1 }
        END { if (!have_plan) planned = -1; print p+0, fl+0, s+0, planned, seen+0 }' "$f")
    if [ "$planned" -ne "$seen" ]; then
        echo "tap-summary: $(basename "$f"): plan $planned but $seen results" >&2
        fl=$((fl + 1))
    fi
    [ "$fl" -gt 0 ] && echo "tap-summary: $(basename "$f"): $fl failed" >&2
    passed=$((passed + p)); failed=$((failed + fl)); skipped=$((skipped + s))
done
# The last line is exactly "N passed, N failed" (what CI reads); skips are said just before.
[ "$skipped" -gt 0 ] && echo "$skipped skipped (each with its reason in the TAP files)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
