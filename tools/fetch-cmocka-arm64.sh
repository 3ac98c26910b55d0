#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unpack Debian's arm64 libcmocka into DEST (default build/host/cmocka-arm64), for the
# aarch64 host tests that run under qemu-aarch64. The host's packages only carry the native
# library, and installing a foreign-arch -dev package system-wide would pull in arm64 libc,
# so tools/lib/fetch-deb.sh unpacks it into the build tree. Cached: once DEST/.stamp exists
# nothing is fetched.
set -euo pipefail

dest=${1:-build/host/cmocka-arm64}
pkgs=(libcmocka0:arm64 libcmocka-dev:arm64)
[ -f "$dest/.stamp" ] && exit 0

. "$(dirname "$0")/lib/fetch-deb.sh"

rm -rf "$dest"
fetch_debs fetch-cmocka-arm64 "$dest" "${pkgs[@]}"
[ -f "$dest/usr/include/cmocka.h" ] && [ -e "$dest/usr/lib/aarch64-linux-gnu/libcmocka.so" ] ||
    { echo "fetch-cmocka-arm64: unexpected package contents" >&2; exit 1; }
touch "$dest/.stamp"
echo "  CMOCKA  arm64 -> $dest"
