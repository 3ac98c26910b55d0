#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch Xen 4.17's own public headers (Debian bookworm's libxen-dev, /usr/include/xen) into
# DEST/include/xen (default DEST: build/xen-4.17), for make check-abi to compare minixen's
# headers with. DEST/include/VERSION records the package version. Never committed.
# The headers are the same for every architecture (they select arch-x86 or arch-arm by the
# compiler's macros), so the host's own architecture's package does: no foreign arch needed.
# Cached: nothing is fetched when DEST/include/xen/xen.h and VERSION exist.
set -euo pipefail

dest=${1:-build/xen-4.17}
inc=$dest/include
[ -s "$inc/xen/xen.h" ] && [ -s "$inc/VERSION" ] && exit 0

. "$(dirname "$0")/lib/fetch-deb.sh"

mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.fetch-headers.XXXXXX") # same file system: the final mv is a rename
trap 'rm -rf "$tmp"' EXIT
fetch_debs fetch-xen-headers "$tmp/root" libxen-dev
# The version the package itself states (its Debian changelog's first line).
ver=$(gzip -dc "$tmp/root/usr/share/doc/libxen-dev/changelog.Debian.gz" 2>/dev/null |
    sed -n '1s/^xen (\([^)]*\)).*/\1/p' || true)
case $ver in
4.17.*) ;;
*)
    echo "fetch-xen-headers: Debian's libxen-dev is '$ver', not Xen 4.17 (is this bookworm?)" >&2
    exit 1
    ;;
esac
[ -s "$tmp/root/usr/include/xen/xen.h" ] ||
    { echo "fetch-xen-headers: libxen-dev $ver has no usr/include/xen/xen.h" >&2; exit 1; }

# Replace DEST/include as a whole, so a half-done copy never looks cached.
mkdir -p "$tmp/include"
cp -a "$tmp/root/usr/include/xen" "$tmp/include/xen"
echo "libxen-dev $ver" >"$tmp/include/VERSION"
rm -rf "$inc"
mv "$tmp/include" "$inc"
echo "  FETCH   libxen-dev $ver -> $inc/xen"
