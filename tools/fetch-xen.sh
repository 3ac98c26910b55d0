#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch Debian's Xen 4.17 hypervisor (the reference "oracle" for the conformance guest)
# into DEST (default build/xen-4.17): DEST/xen-4.17-arm64 (an arm64 Image for QEMU -kernel)
# and, with --amd64, DEST/xen-4.17-amd64 (the gunzipped Multiboot ELF). Never committed.
# `apt-get download` + `dpkg -x` keeps the packages private to the build tree. Cached: a
# file that exists is not fetched again. As root this adds the arm64 architecture to dpkg
# and refreshes apt once; otherwise it says what to run (tools/lib/fetch-deb.sh).
set -euo pipefail

dest=build/xen-4.17
want_amd64=0
for a in "$@"; do
    case $a in
    --amd64) want_amd64=1 ;;
    *) dest=$a ;;
    esac
done

. "$(dirname "$0")/lib/fetch-deb.sh"

# fetch PKG GLOB OUT: the file of PKG's /boot matching GLOB to OUT (gunzipped if need be).
fetch() {
    local pkg=$1 glob=$2 out=$3 tmp file
    [ -s "$out" ] && return 0
    tmp=$(mktemp -d)
    fetch_debs fetch-xen "$tmp" "$pkg"
    file=$(find "$tmp/boot" -name "$glob" | head -n 1)
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

fetch xen-hypervisor-4.17-arm64:arm64 'xen-4.17*-arm64' "$dest/xen-4.17-arm64"
[ "$want_amd64" = 1 ] && fetch xen-hypervisor-4.17-amd64:amd64 'xen-4.17*-amd64.gz' \
    "$dest/xen-4.17-amd64"
exit 0
