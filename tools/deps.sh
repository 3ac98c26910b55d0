#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian 12 packages minixen's build and tests need, only those missing.
# apt-get runs with --no-install-recommends, so every package a build or test step uses is
# named here, even one that another package merely recommends (a cross libc, say).
# Without root, print the exact apt-get line and stop: we never half-install.
set -euo pipefail

# One list, grouped by why we need it.
pkgs=(
    make gcc python3 mawk                                # host build and tools (awk: TAP sums)
    gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-i686-linux-gnu  # 4-target ABI check, ports
    libc6-dev-arm64-cross                                # aarch64 unit tests link a libc; the
                                                         # cross gcc only recommends it
    libc6-dev-armhf-cross                                # the armhf Linux test's static program
    dwarves                                              # pahole, ABI layout cross-check
    libcmocka-dev                                        # host unit tests
    clang llvm lld libclang-rt-14-dev                    # sanitizers, libFuzzer
    clang-format                                         # make format-check (.clang-format)
    qemu-user                                            # run aarch64 unit tests on x86 hosts
    gcovr                                                # coverage of xen/common/events
    qemu-system-arm qemu-system-x86 device-tree-compiler # system tests and make run
    u-boot-qemu u-boot-tools                             # U-Boot boot path
    grub-pc-bin xorriso mtools                           # x86 GRUB boot path (grub-mkrescue)
    gnuplot-nox                                          # benchmark charts
    e2fsprogs                                            # mke2fs -d: the Linux dom0's ext4 root
)
# gcc-multilib conflicts with Debian's cross compilers: i386 comes from gcc-i686-linux-gnu.

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "minixen: missing packages; run as root:" >&2
        echo "  apt-get update && $line" >&2
        exit 1
    fi
else
    as_root=()
fi
echo "minixen: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
