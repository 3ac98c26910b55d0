#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unmodified Linux as a PVH domU on the x86_64 port (issue #18 item 3), in QEMU at -smp 2:
# Debian 12's own amd64 kernel (tools/fetch-linux.sh amd64: the ELF vmlinux out of its
# bzImage; never committed), with an initramfs (busybox-static, the xen-evtchn module,
# tests/system/linux/evtchn-echo.c) as its multiboot,ramdisk module, booted as domU1 beside
# the conformance guest as dom0 (role=main end=idle echo=1: its suite, then it stays up and
# offers domU1 a port whose events it answers). /init loads xen-evtchn, runs evtchn-echo
# against dom0 (1000 round trips through /dev/xen/evtchn) and a shell command. The domU's
# node has minixen,pv-console, so its hvc0 is the PV console ring minixen serves
# (HVM_PARAM_CONSOLE_PFN/EVTCHN, docs/console.md); its early kernel log comes through Xen's
# early console (earlyprintk=xen keep_bootcon: HYPERVISOR_console_io), and /init writes its
# results into the kernel log (/dev/kmsg). /init execs a shell on hvc0 and this test types
# a command into it (Ctrl-A x3 switches the serial input to DOM1); without hvc0 (a DT
# without the property) that result is a skip saying why. Then the same kernel and initramfs as the PVH dom0, alone
# (lnx=dom0 on its command line): its hvc0 is the serial line (console_io, as on Xen), and
# the test types a command into its shell.
#
#   linux-test.sh BOARD IMAGE RESULTS GUEST
#   environment: the board's variables (make exports them), LINUX_DIR (build/linux-amd64),
#                LINUX_TIMEOUT (seconds for the kernel to reach /init, default 90)
# TAP: $RESULTS/linux-$BOARD.tap; logs in $(dirname IMAGE)/linux-test/linux.log (domU) and
# dom0.log.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4
: "${LINUX_DIR:=build/linux-amd64}" "${LINUX_TIMEOUT:=90}"
here=$(dirname "$0")
root_dir=$here/../../..
lib=$here/../../lib
work=$(dirname "$IMAGE")/linux-test name=linux-$BOARD
tap=$RESULTS/$name.tap
mkdir -p "$work" "$RESULTS"
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/serial-input.sh"
. "$lib/dom0-dt.sh"
board_vars "$BOARD" force || exit 1
tap_begin "$work/tap.body"
ECHO_COUNT=1000

if ! "$root_dir/tools/fetch-linux.sh" "$LINUX_DIR" amd64; then
    ok 1 "linux x86: Debian's amd64 kernel (its vmlinux), xen-evtchn and busybox-static fetched"
    tap_end "$tap" "$name" "$work"
    exit 1
fi
if ! gcc -std=gnu11 -Wall -Wextra -Werror -O2 -static -o "$work/evtchn-echo" \
    "$here/../linux/evtchn-echo.c"; then
    ok 1 "linux x86: tests/system/linux/evtchn-echo.c builds (static)"
    tap_end "$tap" "$name" "$work"
    exit 1
fi

cat >"$work/init" <<INIT
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
con=\$(cat /sys/class/tty/console/active)
case " \$(cat /proc/cmdline) " in
*" lnx=dom0 "*)
    # Linux as dom0: its console is hvc0 through console_io, so a shell can be typed into.
    insmod /lib/modules/xen-evtchn.ko || echo "=== insmod xen-evtchn failed"
    sleep 1 && echo "=== dom0 slept 1 s on \$(cat /sys/devices/system/clockevents/clockevent0/current_device)"
    echo "=== dom0 ready: console \$con, /dev/xen: \$(ls /dev/xen | tr '\n' ' ')"
    exec /bin/sh
    ;;
esac
echo "=== domU console: \${con:-none}" >/dev/kmsg
insmod /lib/modules/xen-evtchn.ko || echo "=== insmod xen-evtchn failed" >/dev/kmsg
echo "=== domU /dev/xen: \$(ls /dev/xen | tr '\n' ' ')" >/dev/kmsg
evtchn-echo 0 $ECHO_COUNT >/dev/kmsg
# A timer: Linux's clock event device (the Xen timer) must fire for a sleep to end.
sleep 1 && echo "=== domU slept 1 s on \$(cat /sys/devices/system/clockevents/clockevent0/current_device)" >/dev/kmsg
echo "=== domU shell: \$(sh -c 'echo answer-\$((6 * 7))')" >/dev/kmsg
[ -n "\$con" ] && exec /bin/sh
# No console: nothing can type into a shell; stay up (init must not end) and quiet.
while :; do sleep 3600; done
INIT
python3 "$root_dir/tools/lib/initramfs.py" "$LINUX_DIR/busybox" "$work/init" "$work/initrd.cpio" \
    lib/modules/xen-evtchn.ko="$LINUX_DIR/modules/xen-evtchn.ko" \
    bin/evtchn-echo="$work/evtchn-echo" || exit 1

# Modules: 0 this DT, 1 the conformance guest (dom0), 2 Linux, 3 its initramfs.
{
    dt_chosen_dom0_x86 "dom0_mem=16M dom0_max_vcpus=1" "role=main end=idle echo=1"
    cat <<'DTS'
        domU1 {
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            cpus = <1>;
            memory = <0x0 0x40000>;
            minixen,pv-console; /* hvc0: the ring minixen serves (docs/console.md) */
            module@2 {
                compatible = "multiboot,kernel", "multiboot,module";
                module-index = <2>;
                reg = <0x0 0x0 0x0 0x0>;
                bootargs = "earlyprintk=xen keep_bootcon console=hvc0 rdinit=/init";
            };
            module@3 {
                compatible = "multiboot,ramdisk", "multiboot,module";
                module-index = <3>;
                reg = <0x0 0x0 0x0 0x0>;
            };
        };
    };
};
DTS
} >"$work/domains.dts"
dtc -q -I dts -O dtb -o "$work/domains.dtb" "$work/domains.dts" || exit 1
# Private copies: a rebuild while QEMU runs must not change its images.
cp "$IMAGE" "$work/hv.img" && cp "$GUEST" "$work/xtest.img" &&
    cp "$LINUX_DIR/vmlinux" "$work/vmlinux" || exit 1

fifo=$work/input
serial_input_open "$fifo" || exit 1
raw=$work/linux.raw log=$work/linux.log
board_qemu_cmd --smp 2 multiboot "$work/hv.img" "$work/domains.dtb" "$work/xtest.img" \
    "$work/vmlinux" "$work/initrd.cpio" || exit 1
start=$(date +%s)
QEMU_STDIN=$fifo qemu_start "$raw" "${board_qemu[@]}"

up=1 echoed=1 shell=1 typed=skip
if wait_for_log "$raw" "=== domU console: " "$LINUX_TIMEOUT" "$qemu_pid"; then
    up=0
    echo "# /init reached $(($(date +%s) - start)) s after QEMU started" >>"$work/tap.body"
    wait_for_log "$raw" "evtchn-echo: done " 60 "$qemu_pid" && echoed=0
    wait_for_log "$raw" "=== domU shell: " 30 "$qemu_pid" && shell=0
    if has "$raw" "=== domU console: hvc0" && wait_for_log "$raw" "^# xtest idle" 30 "$qemu_pid"; then
        sleep 2 # the shell's prompt
        printf '\001\001\001' >&9
        typed=1
        if wait_for_log "$raw" "Serial input to DOM1" 20 "$qemu_pid"; then
            sleep 1
            type_slowly 'echo typed-$((6 * 7)) on $(cat /sys/class/tty/console/active)\n'
            wait_for_log "$raw" "typed-42 on hvc0" 30 "$qemu_pid" && typed=0
        fi
    fi
fi
alive=1
kill -0 "$qemu_pid" 2>/dev/null && alive=0
serial_run_stop "$qemu_pid" "$fifo" "$raw" "$log"

d1='\(d1\) '
echo "# kernel: $(cat "$LINUX_DIR/version")" >>"$work/tap.body"
has "$log" "^$d1.*Booting kernel on Xen PVH"
ok $? "linux x86: Debian's amd64 kernel boots as a PVH domU ($(cat "$LINUX_DIR/version"))"
has "$log" "^$d1.*Xen version: 4\\.17"
ok $? "linux x86: it finds Xen 4.17 (CPUID leaves 0x40000000, XENVER_version)"
has "$log" "^$d1.*xen:events: Xen HVM callback vector for event delivery is enabled"
ok $? "linux x86: its events come through the HVM callback vector"
has "$log" "^$d1.*Unpacking initramfs|^$d1.*Run /init as init process"
ok $? "linux x86: its initramfs (the multiboot,ramdisk module, hvm_start_info's module list) is /"
ok "$up" "linux x86: /init runs (=== domU console: ...)"
has "$log" "^$d1.*=== domU /dev/xen: .*evtchn"
ok $? "linux x86: the xen-evtchn module loads: /dev/xen/evtchn"
has "$log" "^$d1.*evtchn-echo: ok 2 - bound to d0's offered port"
ok $? "linux x86: /dev/xen/evtchn binds to the port dom0 offered it (bind_interdomain)"
has "$log" "^$d1.*evtchn-echo: ok 3 - $ECHO_COUNT of $ECHO_COUNT events to d0 answered"
ok $((echoed | $?)) "linux x86: $ECHO_COUNT events to dom0 and $ECHO_COUNT answers back through /dev/xen/evtchn"
grep -a -o "evtchn-echo: ok 3 - .*" "$log" | sed 's/^/# /' >>"$work/tap.body"
has "$log" "^# xtest echo: event $((ECHO_COUNT - 100)) on port [0-9]*, answered"
ok $? "linux x86: dom0 (the conformance guest) saw them and answered"
has "$log" "^$d1.*=== domU slept 1 s on xen"
ok $? "linux x86: its ACPI tables (MADT) give it a per-CPU clock event, the Xen timer: sleep 1 ends"
has "$log" "^$d1.*=== domU shell: answer-42"
ok $((shell | $?)) "linux x86: a busybox shell runs a command (answer-42)"
if [ "$typed" = skip ]; then
    skip 1 "linux x86: its shell answers a command typed on hvc0 (no hvc0 in a domU until minixen serves its PV console ring, HVM_PARAM_CONSOLE_PFN)"
else
    ok "$typed" "linux x86: its shell answers a command typed on hvc0 (Ctrl-A x3 to DOM1)"
fi
has "$log" '^# xtest done: .* 0 failed'
ok $? "linux x86: dom0 (the conformance guest) beside it ran its suite, 0 failed"
ok "$alive" "linux x86: the machine is still up at the end"
! has "$log" 'Kernel panic|Oops|BUG:|unchecked MSR access|minixen: (panic|fatal)|domain 1 \(domU1\) shut down'
ok $? "linux x86: no kernel panic, oops, BUG or refused MSR, no hypervisor panic, domU1 still up"

# Then Linux as the PVH dom0 (hvm_start_info's SIF_INITDOMAIN), alone: its hvc0 is the
# serial line (CONSOLEIO_read/write, VIRQ_CONSOLE), so this types into its shell.
# Modules: 0 this DT, 1 Linux, 2 its initramfs.
{
    dt_chosen_dom0_x86 "dom0_mem=256M dom0_max_vcpus=1" \
        "earlyprintk=xen console=hvc0 rdinit=/init lnx=dom0"
    cat <<'DTS'
        module@2 {
            compatible = "multiboot,ramdisk", "multiboot,module";
            module-index = <2>;
            reg = <0x0 0x0 0x0 0x0>;
        };
    };
};
DTS
} >"$work/dom0.dts"
dtc -q -I dts -O dtb -o "$work/dom0.dtb" "$work/dom0.dts" || exit 1
serial_input_open "$fifo" || exit 1
raw0=$work/dom0.raw log0=$work/dom0.log
board_qemu_cmd --smp 2 multiboot "$work/hv.img" "$work/dom0.dtb" "$work/vmlinux" \
    "$work/initrd.cpio" || exit 1
start=$(date +%s)
QEMU_STDIN=$fifo qemu_start "$raw0" "${board_qemu[@]}"
up0=1 typed0=1
if wait_for_log "$raw0" "=== dom0 ready: " "$LINUX_TIMEOUT" "$qemu_pid"; then
    up0=0
    echo "# dom0: /init reached $(($(date +%s) - start)) s after QEMU started" >>"$work/tap.body"
    wait_for_log "$raw0" "job control turned off" 10 "$qemu_pid"
    sleep 2 # the prompt
    type_slowly 'echo typed-$((6 * 7)) on $(cat /sys/class/tty/console/active)\n'
    wait_for_log "$raw0" "^typed-42 on " 30 "$qemu_pid" && typed0=0
fi
serial_run_stop "$qemu_pid" "$fifo" "$raw0" "$log0"
has "$log0" "Booting kernel on Xen PVH"
ok $? "linux x86 dom0: Debian's amd64 kernel boots as the PVH dom0"
has "$log0" "^=== dom0 slept 1 s on xen"
ok $? "linux x86 dom0: its sleep 1 ends on the Xen clock event device"
has "$log0" "^=== dom0 ready: console .*hvc0.*, /dev/xen: .*evtchn"
ok "$up0" "linux x86 dom0: /init with hvc0 as its console and /dev/xen/evtchn (xen-evtchn loaded)"
has "$log0" "^typed-42 on .*hvc0"
ok $((typed0 | $?)) "linux x86 dom0: its shell on hvc0 answers a typed command (typed-42)"
! has "$log0" 'Kernel panic|Oops|BUG:|unchecked MSR access|minixen: (panic|fatal)'
ok $? "linux x86 dom0: no kernel panic, oops, BUG or refused MSR, no hypervisor panic"
tap_end "$tap" "$name" "$work"
