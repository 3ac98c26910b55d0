#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Is every C source and header in git clang-formatted (.clang-format, Debian 12's
# clang-format 14)? One TAP result:
#   tools/format-check.sh [TAP-FILE]      check; the files that are not are listed
#   tools/format-check.sh --fix           format them in place (what `make format` does)
# Only files git tracks: build output and fetched third-party trees are not ours to format.
set -u
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format-check: clang-format missing (make deps)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
tap=${1:-/dev/stdout}
bad=()
for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
{
    echo "1..1"
    if [ ${#bad[@]} -eq 0 ]; then
        echo "ok 1 - all ${#files[@]} C files are clang-formatted"
    else
        echo "not ok 1 - ${#bad[@]} of ${#files[@]} C files are not clang-formatted (make format)"
        printf '#   %s\n' "${bad[@]}"
    fi
} >"$tap"
[ ${#bad[@]} -eq 0 ]
