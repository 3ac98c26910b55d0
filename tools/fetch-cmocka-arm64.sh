#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unpack Debian's arm64 libcmocka into DEST (default build/host/cmocka-arm64), for the
# aarch64 host tests that run under qemu-aarch64. The host's packages only carry the native
# library, and installing a foreign-arch -dev package system-wide would pull in arm64 libc;
# `apt-get download` + `dpkg -x` keeps it private to the build tree. Cached: once DEST/.stamp
# exists nothing is fetched. Needs the arm64 package lists: as root this adds the arm64
# architecture to dpkg and refreshes apt once; otherwise it says what to run.
set -euo pipefail

dest=${1:-build/host/cmocka-arm64}
pkgs=(libcmocka0:arm64 libcmocka-dev:arm64)
[ -f "$dest/.stamp" ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        as_root=(false)
    fi
fi

need_root() {
    echo "fetch-cmocka-arm64: $1; as root run:" >&2
    echo "  dpkg --add-architecture arm64 && apt-get update" >&2
    exit 1
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${as_root[@]}" dpkg --add-architecture arm64 2>/dev/null ||
        need_root "dpkg does not know the arm64 architecture"
    "${as_root[@]}" apt-get update -q >/dev/null || need_root "apt-get update failed"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download drops privileges to _apt, which must be able to write the directory.
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1); then
    # Lists may be stale or lack arm64 (first run after --add-architecture by someone else).
    "${as_root[@]}" apt-get update -q >/dev/null || need_root "apt-get update failed"
    (cd "$tmp" && apt-get download -q "${pkgs[@]}" >/dev/null) ||
        { echo "fetch-cmocka-arm64: apt-get download ${pkgs[*]} failed" >&2; exit 1; }
fi

rm -rf "$dest" && mkdir -p "$dest"
for deb in "$tmp"/*.deb; do
    dpkg -x "$deb" "$dest"
done
[ -f "$dest/usr/include/cmocka.h" ] && [ -e "$dest/usr/lib/aarch64-linux-gnu/libcmocka.so" ] ||
    { echo "fetch-cmocka-arm64: unexpected package contents" >&2; exit 1; }
touch "$dest/.stamp"
echo "  CMOCKA  arm64 -> $dest"
