#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Binary compatibility of minixen's libxenevtchn with Xen 4.17's (Debian bookworm's
# libxenevtchn1), as TAP:
#   tools/libs/evtchn/tests/compat-test.sh LIBDIR TAPFILE
# LIBDIR is lib.mk's build/libxenevtchn (native/ holds our libxenevtchn.so.1). Debian's
# packages are fetched once into LIBDIR/xen-4.17 (never committed).
#   1  every symbol@version Xen's library defines, ours defines too (same soname)
#   2  the ping-pong example, compiled with Xen's header and linked with Xen's library,
#      loads with ours in its place and every symbol binds (LD_BIND_NOW)
#   3  ... and runs its round trips over our emu backend
#   4  the example compiled with our header links against Xen's library
#   5  Xen's library refuses our backend flags (EINVAL, as for any flag it does not know),
#      so a program that asks for one of our backends fails cleanly under Xen's; ours
#      refuses a flag neither library defines the same way
set -u
libdir=$1 tap=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/..
ours=$libdir/native
xen=$libdir/xen-4.17
xlib=$xen/root/usr/lib/$(gcc -print-multiarch)
work=$libdir/compat
n=0 failed=0
exec 3>"$tap"
ok() { # ok STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2" >&3; else echo "not ok $n - $2" >&3; failed=$((failed + 1)); fi
}
echo "1..5" >&3

if [ ! -e "$xen/.stamp" ]; then
    . "$here/../../../../tools/lib/fetch-deb.sh"
    rm -rf "$xen"
    (fetch_debs libevtchn-compat "$xen/root" libxen-dev libxenevtchn1 libxentoollog1 \
        libxentoolcore1) && touch "$xen/.stamp"
fi
mkdir -p "$work"

# 1: symbols. nm's lines end "name@@VERSION" (the default version) for each definition.
syms() { nm -D --with-symbol-versions --defined-only "$1" | awk '$2 == "T" { sub(/@@?/, "@", $3); print $3 }' | sort; }
theirs=$(syms "$xlib/libxenevtchn.so.1" 2>/dev/null)
mine=$(syms "$ours/libxenevtchn.so.1" 2>/dev/null)
missing=$(comm -23 <(echo "$theirs") <(echo "$mine"))
soname() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'; }
[ -n "$theirs" ] && [ -z "$missing" ] &&
    [ "$(soname "$xlib/libxenevtchn.so.1")" = "$(soname "$ours/libxenevtchn.so.1")" ]
ok $? "compat: every symbol@version of Xen 4.17's libxenevtchn.so.1 ($(echo "$theirs" | wc -l)) is in ours, same soname${missing:+ (missing: $(echo $missing))}"

# 2, 3: Xen's build of the example, our library at run time.
cc_theirs=(gcc -std=c11 -D_GNU_SOURCE -O2 -I"$xen/root/usr/include")
link_theirs=(-L"$xlib" -lxenevtchn -Wl,-rpath-link,"$xlib")
"${cc_theirs[@]}" -o "$work/pingpong-xen" "$src/examples/evtchn-pingpong.c" "${link_theirs[@]}" \
    >"$work/build-xen.log" 2>&1
built=$?
out=$(LD_LIBRARY_PATH=$ours LD_BIND_NOW=1 "$work/pingpong-xen" 2>&1)
rc=$?
[ $built -eq 0 ] && [ $rc -eq 2 ] && echo "$out" | grep -q '^usage:' &&
    LD_LIBRARY_PATH=$ours ldd "$work/pingpong-xen" | grep -q "libxenevtchn.so.1 => $ours/"
ok $? "compat: the example built against Xen 4.17's header and library binds every symbol to ours"
out=$(LD_LIBRARY_PATH=$ours MINIXEN_EVTCHN_BACKEND=emu timeout 60 "$work/pingpong-xen" self 200 2>&1)
rc=$?
echo "$out" >"$work/run-xen.log"
if echo "$out" | grep -q 'xenevtchn_open: Function not implemented'; then
    # A build without emu: lib.mk's test-libevtchn counts that failure once, elsewhere.
    n=$((n + 1))
    echo "ok $n # SKIP compat: our library has no emu backend to run the round trips on" >&3
else
    [ $rc -eq 0 ] && echo "$out" | grep -qE '^pingpong: 200 round trips'
    ok $? "compat: ... and runs 200 round trips on our emu backend ($(echo "$out" | tail -n 1))"
fi

# 4: our header, Xen's library.
gcc -std=c11 -D_GNU_SOURCE -O2 -I"$src/include" -I"$libdir/include" -o "$work/pingpong-ours-hdr" \
    "$src/examples/evtchn-pingpong.c" "${link_theirs[@]}" >"$work/build-ours-hdr.log" 2>&1
ok $? "compat: the example built against our header links against Xen 4.17's library"

# 5: open with a flag (argv[1]) fails with EINVAL, before /dev/xen/evtchn is touched.
cat >"$work/flag.c" <<'EOC'
#include <errno.h>
#include <stdlib.h>
#include <xenevtchn.h>
int main(int argc, char **argv)
{
    errno = 0;
    return argc == 2 && xenevtchn_open(NULL, strtoul(argv[1], NULL, 0)) == NULL && errno == EINVAL
               ? 0
               : 1;
}
EOC
"${cc_theirs[@]}" -o "$work/flag" "$work/flag.c" "${link_theirs[@]}" >"$work/build-flag.log" 2>&1 &&
    LD_LIBRARY_PATH=$xlib "$work/flag" 0x80000000 && LD_LIBRARY_PATH=$xlib "$work/flag" 0x40000000 &&
    LD_LIBRARY_PATH=$ours "$work/flag" 0x20
ok $? "compat: Xen 4.17's library refuses our backend flags, ours an unknown flag (EINVAL)"

exec 3>&-
cat "$tap"
[ "$failed" -eq 0 ]
