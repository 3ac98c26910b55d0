#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch Debian's Xen 4.17 hypervisor (the reference "oracle" for the conformance guest)
# into DEST (default build/xen-4.17): DEST/xen-4.17-arm64 (an arm64 Image for QEMU -kernel)
# and, with --amd64, DEST/xen-4.17-amd64 (the gunzipped Multiboot ELF). Never committed.
# `apt-get download` + `dpkg -x` keeps the packages private to the build tree. Cached: a
# file that exists is not fetched again. As root this adds the arm64 architecture to dpkg
# and refreshes apt once; otherwise it says what to run.
set -euo pipefail

dest=build/xen-4.17
want_amd64=0
for a in "$@"; do
    case $a in
    --amd64) want_amd64=1 ;;
    *) dest=$a ;;
    esac
done

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        as_root=(false)
    fi
fi
need_root() {
    echo "fetch-xen: $1; as root run:" >&2
    echo "  dpkg --add-architecture arm64 && apt-get update" >&2
    exit 1
}

# fetch PKG GLOB OUT: download PKG, unpack it, copy the file matching GLOB to OUT.
fetch() {
    local pkg=$1 glob=$2 out=$3 tmp file
    [ -s "$out" ] && return 0
    tmp=$(mktemp -d)
    chmod 755 "$tmp" # apt-get download drops privileges to _apt
    if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then
        "${as_root[@]}" apt-get update -q >/dev/null || need_root "apt-get update failed"
        (cd "$tmp" && apt-get download -q "$pkg" >/dev/null) ||
            { rm -rf "$tmp"; echo "fetch-xen: apt-get download $pkg failed" >&2; exit 1; }
    fi
    dpkg -x "$tmp"/*.deb "$tmp/x"
    file=$(find "$tmp/x/boot" -name "$glob" | head -n 1)
    [ -n "$file" ] || { rm -rf "$tmp"; echo "fetch-xen: no $glob in $pkg" >&2; exit 1; }
    mkdir -p "$(dirname "$out")"
    case $file in
    *.gz) gzip -dc "$file" >"$out.tmp" ;;
    *) cp "$file" "$out.tmp" ;;
    esac
    mv "$out.tmp" "$out"
    rm -rf "$tmp"
    echo "  FETCH   $pkg -> $out"
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${as_root[@]}" dpkg --add-architecture arm64 2>/dev/null ||
        need_root "dpkg does not know the arm64 architecture"
    "${as_root[@]}" apt-get update -q >/dev/null || need_root "apt-get update failed"
fi

fetch xen-hypervisor-4.17-arm64:arm64 'xen-4.17*-arm64' "$dest/xen-4.17-arm64"
[ "$want_amd64" = 1 ] && fetch xen-hypervisor-4.17-amd64:amd64 'xen-4.17*-amd64.gz' \
    "$dest/xen-4.17-amd64"
exit 0
