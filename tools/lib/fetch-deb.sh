# SPDX-License-Identifier: Apache-2.0
# Debian packages, possibly of another architecture, unpacked into the build tree (sourced by
# tools/fetch-*.sh). `apt-get download` + `dpkg -x` keep them private: installing a
# foreign-arch package system-wide would pull in that architecture's libc. As root (or with
# passwordless sudo) this adds a missing architecture to dpkg and refreshes apt's lists
# once; otherwise it says what to run and exits.
#
#   fetch_debs WHO DEST PKG[:ARCH]...   download the packages and unpack them all into DEST
#                                       (created; existing files stay). WHO prefixes errors.

deb_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

deb_need_root() { # deb_need_root WHO ARCHS WHY
    local arch
    echo "$1: $3; as root run:" >&2
    for arch in $2; do echo "  dpkg --add-architecture $arch" >&2; done
    echo "  apt-get update" >&2
    exit 1
}

fetch_debs() {
    local who=$1 dest=$2 native pkg arch archs="" tmp deb
    shift 2
    native=$(dpkg --print-architecture)
    for pkg in "$@"; do
        case $pkg in *:*) arch=${pkg##*:} ;; *) continue ;; esac
        [ "$arch" = "$native" ] && continue
        archs="$archs $arch"
        dpkg --print-foreign-architectures | grep -qx "$arch" && continue
        deb_as_root dpkg --add-architecture "$arch" 2>/dev/null ||
            deb_need_root "$who" "$archs" "dpkg does not know the $arch architecture"
        deb_as_root apt-get update -q >/dev/null || deb_need_root "$who" "$archs" "apt-get update failed"
    done
    tmp=$(mktemp -d)
    chmod 755 "$tmp" # apt-get download drops privileges to _apt, which must write here
    if ! (cd "$tmp" && apt-get download -q "$@" >/dev/null 2>&1); then
        # The lists may be stale or lack the architecture (added by someone else just now).
        deb_as_root apt-get update -q >/dev/null ||
            { rm -rf "$tmp"; deb_need_root "$who" "$archs" "apt-get update failed"; }
        (cd "$tmp" && apt-get download -q "$@" >/dev/null) ||
            { rm -rf "$tmp"; echo "$who: apt-get download $* failed" >&2; exit 1; }
    fi
    mkdir -p "$dest"
    for deb in "$tmp"/*.deb; do
        dpkg -x "$deb" "$dest"
    done
    rm -rf "$tmp"
}
