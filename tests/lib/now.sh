# SPDX-License-Identifier: Apache-2.0
# The host's time for the conformance guest's wall-clock check (tests/guest/suite/
# wallclock.c): a bootarg now=<seconds since 1970, UTC>, which the guest compares with the
# hypervisor's wall clock plus its own uptime. QEMU's RTC starts at the host's UTC time, so
# the two agree to within the time between writing the bootargs and the guest's check:
# write them just before each boot, not once per test script. Sourced.
#
#   now_arg                  prints "now=<epoch seconds>"
#   bootargs_add_now         stdin to stdout, now=... added after the role of every
#                            bootargs string that starts with role= (DT source, a U-Boot
#                            script's fdt set lines, a dts from a decompiled DTB)

now_arg() {
    echo "now=$(date +%s)"
}

bootargs_add_now() {
    sed -E "s/(bootargs[ =]*\"role=[a-z]+)/\\1 $(now_arg)/"
}
