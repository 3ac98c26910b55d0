#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Two unmodified Linux domains on the arm64 port share a page and exchange events through
# Linux's own Xen devices (issue #13 items 3 and 4): Debian 12's arm64 kernel as dom0
# (console hvc0) and as a dom0less domU (console ttyAMA0 on the vPL011), one initramfs for
# both with busybox-static, the kernel's modules and our tests/system/linux/xenshare.c.
# dom0 is a hardware domain: it drives QEMU virt's virtio-mmio disk and network interface
# and a virtio-net on the PCIe bus itself (1:1 RAM, host SPIs through its vGIC, ECAM and
# INTx), switches to an ext4 root on the disk, writes to it, and gets a DHCP lease from
# QEMU's user network on each interface. QEMU puts them on its last
# virtio-mmio transports (SPIs 47, 46: INTIDs 79, 78), as it does by default. The domU grants dom0 a page (gntalloc) and opens a port
# for it (evtchn) and prints both; this test types them into dom0's shell (there is no
# xenstore to carry them), where xenshare maps the page (gntdev: the balloon's
# decrease_reservation, GNTTABOP_map_grant_ref), checks and rewrites it, unmaps it and
# sends an event; the domU finds dom0's bytes in its page and answers with an event.
# Then minixen's libxenevtchn (tools/libs/evtchn, its linux backend, static, no emu) over
# the same driver: the domU serves evtchn-pingpong, dom0 pings it 1000 times (latency in
# the log and the TAP), and dom0 runs the library's API test (loopback ports in dom0). Then
# dom0 powers the machine off. TAP lines of both domains' xenshare runs are in the log.
#
# With LINUX_ARCH=armhf both are Debian's 32-bit armmp-lpae kernel (an ARM zImage: their
# EL1 runs AArch32, issue #14) and xenshare is built for armhf. dom0 has 2 vCPUs (PSCI
# CPU_ON, SGIs between them) and QEMU 3 CPUs, one each: under QEMU's TCG two AArch32 vCPUs
# taking turns on one CPU can lose the SPSR of the mode one was stopped in (docs/abi.md),
# on Xen 4.17 as here.
#
# The same on Xen 4.17 (HV xen, IMAGE its arm64 Image: `make test-peer-xen`), the oracle.
#
#   linux-pair-test.sh BOARD IMAGE RESULTS [minixen|xen]
#   environment: the board's variables (make exports them), LINUX_ARCH (arm64 or armhf),
#                LINUX_DIR (build/linux-$LINUX_ARCH), LINUX_TIMEOUT (seconds for both
#                kernels to reach their shells, default 300)
# TAP: $RESULTS/linux-pair-$BOARD.tap (Xen: peer-xen-linux-pair-$BOARD.tap; armhf:
# linux-armhf-pair-...); log in $(dirname IMAGE)/linux-pair-test (Xen:
# .../linux-pair-test-$BOARD; armhf: linux-armhf-pair-test...).
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 HV=${4:-minixen}
: "${LINUX_ARCH:=arm64}"
: "${LINUX_DIR:=build/linux-$LINUX_ARCH}" "${LINUX_TIMEOUT:=300}"
case $LINUX_ARCH in
arm64) kernel=Image arch_tag= cc=aarch64-linux-gnu-gcc ;;
armhf) kernel=zImage arch_tag=-armhf cc=arm-linux-gnueabihf-gcc ;;
*) echo "linux-pair-test.sh: LINUX_ARCH is arm64 or armhf, not $LINUX_ARCH" >&2; exit 2 ;;
esac
here=$(dirname "$0")
root_dir=$here/../../..
lib=$here/../../lib
case $HV in
minixen)
    work=$(dirname "$IMAGE")/linux$arch_tag-pair-test name=linux$arch_tag-pair-$BOARD
    hv_args="dom0_mem=128M dom0_max_vcpus=2"
    d1='\(d1\) ' ;;
xen)
    work=$(dirname "$IMAGE")/linux$arch_tag-pair-test-$BOARD name=peer-xen-linux$arch_tag-pair-$BOARD
    hv_args="console=dtuart dtuart=/pl011@9000000 dom0_mem=128M dom0_max_vcpus=2 guest_loglvl=all/all"
    d1='\(XEN\) DOM1: ' ;;
*) echo "linux-pair-test.sh: HV is minixen or xen, not $HV" >&2; exit 2 ;;
esac
tap=$RESULTS/$name.tap
mkdir -p "$work" "$RESULTS"
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
. "$lib/serial-input.sh"
board_vars "$BOARD" force || exit 1
tap_begin "$work/tap.body"
DOM0_RAMDISK_ADDR=0x46000000 # after dom0's kernel (at DOM0_KERNEL_ADDR), below QEMU's DTB
KERNEL_ADDR=0x50000000       # the domU's kernel and ramdisk
RAMDISK_ADDR=0x54000000

if ! "$root_dir/tools/fetch-linux.sh" "$LINUX_DIR" "$LINUX_ARCH"; then
    ok 1 "linux pair: Debian's $LINUX_ARCH kernel, its Xen modules and busybox-static fetched"
    tap_end "$tap" "$name" "$work"
    exit 1
fi
if ! "$cc" -std=gnu11 -Wall -Wextra -Werror -O2 -static -o "$work/xenshare" \
    "$here/../linux/xenshare.c"; then
    ok 1 "linux pair: tests/system/linux/xenshare.c builds ($LINUX_ARCH, static)"
    tap_end "$tap" "$name" "$work"
    exit 1
fi
# libxenevtchn's guest build: tools/libs/evtchn/lib.mk's static variant for this arch.
lib_var=aarch64
[ "$LINUX_ARCH" = armhf ] && lib_var=armhf
lib_out=$root_dir/build/libxenevtchn/$lib_var
if ! ${MAKE:-make} -C "$root_dir" --no-print-directory -s "libevtchn-$lib_var" >"$work/libevtchn.log" 2>&1; then
    ok 1 "linux pair: libxenevtchn's example and API test build ($LINUX_ARCH, static)"
    tap_end "$tap" "$name" "$work"
    exit 1
fi
# dom0 runs the API test through this, so that its TAP lines are told apart in the log.
cat >"$work/evtchn-api-tap" <<'APITAP'
#!/bin/busybox sh
test_api 2>&1 | while read -r l; do echo "libevtchn-api: $l"; done
APITAP

# One initramfs for both. The domU (xenshare=offer on its command line) loads the Xen
# device modules and starts the offer. dom0 loads virtio and ext4, mounts its root from
# the virtio disk and switches to it; the disk's /sbin/init loads the Xen device modules,
# brings up the virtio network interface (DHCP from QEMU's user network) and gives a shell.
cat >"$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /root
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
load() { for m in "$@"; do insmod /lib/modules/$m.ko || echo "=== insmod $m failed"; done; }
case " $(cat /proc/cmdline) " in
*" xenshare=offer "*)
    load xen-evtchn xen-gntdev xen-gntalloc
    echo "=== domU ready: $(ls /dev/xen | tr '\n' ' ')"
    xenshare offer 0 &
    evtchn-pingpong serve 0 2>&1 | while read -r l; do echo "pingpong-serve: $l"; done &
    exec /bin/sh
    ;;
esac
load virtio_mmio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover \
    net_failover virtio_net crc16 crc32c_generic mbcache jbd2 ext4
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 1; done
mount -t ext4 /dev/vda /root && echo "=== dom0 root: $(cat /root/etc/marker)" || echo "=== dom0 root: none"
umount /proc /sys /dev
exec switch_root /root /sbin/init
INIT
# The ext4 root dom0 switches to: busybox, xenshare, the Xen device modules, its init.
root=$work/rootfs
rm -rf "$root" && mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/lib/modules" \
    "$root/proc" "$root/sys" "$root/dev" "$root/tmp" || exit 1
cp "$LINUX_DIR/busybox" "$work/xenshare" "$lib_out/evtchn-pingpong" "$lib_out/test_api" \
    "$work/evtchn-api-tap" "$root/bin/" || exit 1
for m in xen-evtchn xen-gntdev xen-gntalloc; do cp "$LINUX_DIR/modules/$m.ko" "$root/lib/modules/"; done
echo "ext4 on virtio-blk" >"$root/etc/marker"
cat >"$root/sbin/init" <<'ROOTINIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
for m in xen-evtchn xen-gntdev xen-gntalloc; do
    insmod /lib/modules/$m.ko || echo "=== insmod $m failed"
done
echo "=== dom0 / is $(awk '$2 == "/" { print $1, $3 }' /proc/mounts | tail -n 1)"
# Every host device the hypervisor does not use is dom0's: Linux made a platform (or AMBA)
# device of each DT node it was given.
echo "=== dom0 devices: $(ls /sys/bus/platform/devices /sys/bus/amba/devices | tr '\n' ' ')"
echo written >/written && sync && echo "=== dom0 wrote to its root: $(cat /written)"
# A DHCP lease from QEMU's user network: packets both ways through virtio-net, on the
# virtio-mmio interface (eth0) and on the one behind the PCIe bridge (eth1, INTx).
for i in eth0 eth1; do
    echo "=== dom0 $i on $(readlink -f /sys/class/net/$i/device/.. 2>/dev/null)"
    ip link set $i up && udhcpc -i $i -n -q -t 10 -s /bin/true 2>&1 | grep -m 1 "lease of" |
        sed "s/^/$i: /"
done
echo "=== dom0 ready: $(ls /dev/xen | tr '\n' ' ')"
exec /bin/sh
ROOTINIT
chmod +x "$root/sbin/init" "$root/bin/busybox" "$root/bin/xenshare" "$root/bin/evtchn-api-tap"
rm -f "$work/disk.img" && truncate -s 16M "$work/disk.img" || exit 1
if ! PATH=$PATH:/sbin:/usr/sbin mke2fs -q -t ext4 -L dom0root -d "$root" "$work/disk.img" 16M; then
    ok 1 "linux pair: dom0's ext4 root disk image built (mke2fs -d, e2fsprogs)"
    tap_end "$tap" "$name" "$work"
    exit 1
fi
extra=(bin/xenshare="$work/xenshare" bin/evtchn-pingpong="$lib_out/evtchn-pingpong")
for m in xen-evtchn xen-gntdev xen-gntalloc virtio_mmio virtio_pci_legacy_dev virtio_pci_modern_dev \
    virtio_pci virtio_blk failover net_failover virtio_net crc16 crc32c_generic mbcache jbd2 ext4; do
    extra+=(lib/modules/$m.ko="$LINUX_DIR/modules/$m.ko")
done
python3 "$root_dir/tools/lib/initramfs.py" "$LINUX_DIR/busybox" "$work/init" "$work/initrd.cpio" \
    "${extra[@]}" || exit 1

cp "$IMAGE" "$work/hv.img" && cp "$LINUX_DIR/$kernel" "$work/Image" || exit 1
board_qemu_dts "$work/qemu" --smp 3 || exit 1
ksize=$(printf '0x%x' "$(stat -c %s "$work/Image")")
rsize=$(printf '0x%x' "$(stat -c %s "$work/initrd.cpio")")
{
    cat "$work/qemu.dts"
    dt_chosen_dom0 "$hv_args" "console=hvc0 earlycon=xen rdinit=/init xenshare=take" "$ksize" \
        "$DOM0_RAMDISK_ADDR" "$rsize"
    dt_domu_linux domU1 "$KERNEL_ADDR" "$ksize" "$RAMDISK_ADDR" "$rsize" \
        "console=ttyAMA0 rdinit=/init xenshare=offer"
    cat <<DTS
        };
    };
};
DTS
} >"$work/pair.dts"
dtc -q -I dts -O dtb -o "$work/pair.dtb" "$work/pair.dts" || exit 1

# dom0's console input: a FIFO the test types into (the serial input starts with dom0).
fifo=$work/input
serial_input_open "$fifo" || exit 1
raw=$work/linux.raw log=$work/linux.log
board_qemu_cmd --smp 3 kernel "$work/hv.img" "$work/pair.dtb" \
    "$work/Image@$DOM0_KERNEL_ADDR" "$work/initrd.cpio@$DOM0_RAMDISK_ADDR" \
    "$work/Image@$KERNEL_ADDR" "$work/initrd.cpio@$RAMDISK_ADDR" || exit 1
# dom0's disk and network interface: QEMU virt's virtio-mmio transports.
board_qemu+=(-drive "file=$work/disk.img,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0
    -netdev user,id=n0 -device virtio-net-device,netdev=n0
    -netdev user,id=n1 -device virtio-net-pci,netdev=n1)
QEMU_STDIN=$fifo qemu_start "$raw" "${board_qemu[@]}"

offered=1 typed=1 off=1 pinged=1 api=1
if wait_for_log "$raw" "xenshare: offer gref=[0-9]+ port=[0-9]+" "$LINUX_TIMEOUT" "$qemu_pid" &&
    wait_for_log "$raw" "=== dom0 ready" "$LINUX_TIMEOUT" "$qemu_pid"; then
    offered=0
    offer=$(grep -aoE "xenshare: offer gref=[0-9]+ port=[0-9]+" "$raw" | head -n 1)
    gref=${offer#*gref=} gref=${gref%% *} port=${offer##*port=}
    sleep 2 # dom0's prompt
    type_slowly "xenshare take 1 $gref $port\n"
    # Both runs end with a "done" line (the domU's prefixed, but either may be interleaved).
    for _ in $(seq 1200); do
        [ "$(grep -acE 'xenshare: done [0-9]+ passed' "$raw")" -ge 2 ] && { typed=0; break; }
        kill -0 "$qemu_pid" 2>/dev/null || break
        sleep 0.1
    done
    # libxenevtchn: dom0 pings the domU's pingpong server, then runs the API test.
    if serve=$(grep -aoE "pingpong-serve: port [0-9]+" "$raw" | head -n 1); then
        type_slowly "evtchn-pingpong ping 1 ${serve##* } 1000\n"
        wait_for_log "$raw" "pingpong: (1000 round trips|only)|evtchn-pingpong: " 120 "$qemu_pid" &&
            pinged=0
    fi
    type_slowly 'evtchn-api-tap\n'
    wait_for_log "$raw" "libevtchn-api: # .*: [0-9]+ failed" 120 "$qemu_pid" && api=0
    type_slowly 'poweroff -f\n'
    wait_for_log "$raw" "reboot: Power down" 60 "$qemu_pid" && off=0
fi
# dom0's poweroff takes the machine with it, on both hypervisors: QEMU ends by itself.
serial_run_end "$qemu_pid" "$fifo" "$raw" "$log"

# No ^ anchors, and no domain prefix on xenshare's lines ("take:" is dom0's, "offer:" the
# domU's): on Xen a domain's line may start after the other's unfinished prompt.
echo "# kernel: $(cat "$LINUX_DIR/version")" >>"$work/tap.body"
has "$log" "${d1}.*Kernel command line: console=ttyAMA0 rdinit=/init xenshare=offer"
ok $? "linux pair: Debian's kernel boots as the dom0less domU"
# Xen prints a domU's lines into the middle of dom0's, anywhere (even inside "Kernel
# command li|ne"): either of dom0's two lines that carry its command line will do.
has "$log" "Kernel command line: console=hvc0 earlycon=xen" ||
    has "$log" "Unknown kernel command line parameters \"xenshare=take\""
ok $? "linux pair: and as dom0, beside it"
has "$log" "${d1}=== domU ready: .*evtchn.*gntalloc" && has "$log" "=== dom0 ready: .*evtchn.*gntdev"
ok $? "linux pair: both load xen-evtchn, xen-gntdev, xen-gntalloc (/dev/xen/evtchn, gnt*)"
has "$log" "virtio_blk virtio[0-9]+: \[vda\]"
ok $? "linux pair: dom0's virtio_blk finds the virtio disk (vda) on a virtio-mmio transport"
has "$log" "=== dom0 root: ext4 on virtio-blk" && has "$log" "=== dom0 / is /dev/vda ext4"
ok $? "linux pair: dom0 mounts its ext4 root from the virtio disk and switches to it"
has "$log" "=== dom0 wrote to its root: written"
ok $? "linux pair: dom0 writes to its root"
has "$log" "=== dom0 devices: .* 0\.flash " && has "$log" "=== dom0 devices: .* gpio-keys " &&
    has "$log" "=== dom0 devices: .* 9010000\.pl031 "
ok $? "linux pair: dom0's Linux has every host device: the CFI flash at 0, gpio-keys, the PL031"
has "$log" "eth0: .*lease of 10\.0\.2\.15 obtained"
ok $? "linux pair: dom0's virtio network interface gets a DHCP lease from QEMU's user network"
has "$log" "=== dom0 eth1 on /sys/devices/platform/[0-9a-f]+\.pcie/pci0000:00/" &&
    has "$log" "eth1: .*lease of 10\.0\.2\.15 obtained"
ok $? "linux pair: and its second one, virtio-net on the PCIe bus (ECAM, BARs, INTx), gets one too"
ok "$offered" "linux pair: the domU offers a granted page and a port (gntalloc, evtchn)"
ok "$typed" "linux pair: dom0 takes them, typed into its shell; both runs end"
has "$log" "xenshare: ok [0-9]+ - take: d1's grant [0-9]+ added"
ok $? "linux pair: dom0 maps the domU's grant (gntdev: balloon + GNTTABOP_map_grant_ref)"
has "$log" "xenshare: ok [0-9]+ - take: the balloon gave a page back"
ok $? "linux pair: dom0's balloon gave a page back for it (XENMEM_decrease_reservation)"
has "$log" "xenshare: ok [0-9]+ - take: it holds d1's bytes"
ok $? "linux pair: dom0 reads the domU's bytes through the mapping"
has "$log" "xenshare: ok [0-9]+ - take: grant released"
ok $? "linux pair: dom0 unmaps it (GNTTABOP_unmap_grant_ref)"
has "$log" "xenshare: ok [0-9]+ - offer: d0's event arrived"
ok $? "linux pair: dom0's event reaches the domU (/dev/xen/evtchn)"
has "$log" "xenshare: ok [0-9]+ - offer: d0 wrote into the granted page"
ok $? "linux pair: the domU finds dom0's bytes in its own page"
has "$log" "xenshare: ok [0-9]+ - take: d1's answer arrived"
ok $? "linux pair: the domU's answering event reaches dom0"
[ "$(grep -acE "xenshare: done [0-9]+ passed, 0 failed" "$log")" -eq 2 ]
ok $? "linux pair: every xenshare check passed in both domains"
# libxenevtchn's linux backend, in both domains.
has "$log" "pingpong-serve: port [0-9]+"
ok $? "linux pair: libxenevtchn: the domU's evtchn-pingpong serves a port for dom0"
line=$(grep -aoE "pingpong: [0-9]+ round trips, min [0-9.]+ us, median [0-9.]+ us, mean [0-9.]+ us, max [0-9.]+ us" "$log" | head -n 1)
[ "$pinged" -eq 0 ] && case $line in "pingpong: 1000 round trips"*) true ;; *) false ;; esac
ok $? "linux pair: libxenevtchn: dom0 pings it 1000 times (${line:-no result})"
api_plan=$(grep -aoE "libevtchn-api: 1\.\.[0-9]+" "$log" | head -n 1)
api_plan=${api_plan##*..}
api_ok=$(grep -acE "libevtchn-api: ok [0-9]+ " "$log")
[ "$api" -eq 0 ] && [ -n "$api_plan" ] && [ "$api_ok" -eq "$api_plan" ] &&
    ! has "$log" "libevtchn-api: not ok"
ok $? "linux pair: libxenevtchn: its API test passes in dom0 ($api_ok of ${api_plan:-?})"
grep -aE "libevtchn-api: not ok" "$log" | sed 's/^/# /' >>"$work/tap.body"
ok $((off | stopped)) "linux pair: dom0's poweroff -f powers the machine off"
! has "$log" 'Kernel panic|Oops|Unable to handle kernel|kernel BUG|minixen: (panic|fatal)|data abort|Panic on CPU'
ok $? "linux pair: no kernel BUG, panic or oops, no hypervisor panic, no abort in the log"
tap_end "$tap" "$name" "$work"
