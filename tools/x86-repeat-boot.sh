#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot the x86 system test's Multiboot -smp 2 configuration again and again, to catch what
# one `make test-system-x86` run only sees now and then: a machine reset (SeaBIOS and the
# banner a second time) and a hang (no console output for a while).
#
#   tools/x86-repeat-boot.sh [N]            build first: make BOARD=qemu-x86_64 all x86-guest
#   environment: SMP (2), HANG_S (40), OUT (build/qemu-x86_64/repeat-boot), QEMU
#
# Why each QEMU option: -no-reboot turns a reset into an exit (a triple fault in the
# hypervisor, or anything writing a reset register), so a run ends at the first reset
# instead of booting again; -d cpu_reset,guest_errors logs the CPU state at that reset
# (RIP, RSP, CR2 of the fault that could not be delivered) into <run>.qlog; the monitor
# socket lets a hang be looked at: both CPUs' registers and LAPICs go into <run>.hang.
# A clean run ends with dom0's poweroff ("Hardware Dom0 halted"), one banner, no
# fatal/panic line; its logs are deleted. Exit status: the number of bad runs (capped).
set -u
N=${1:-20}
: "${SMP:=2}" "${HANG_S:=40}" "${OUT:=build/qemu-x86_64/repeat-boot}"
: "${QEMU:=qemu-system-x86_64}"
B=build/qemu-x86_64
mods=("$B/domains.dtb" build/guest/x86_64/xtest.elf "$B/pvh-guest.elf")
for f in "$B/minixen" "${mods[@]}"; do
    [ -e "$f" ] || { echo "$f missing: make BOARD=qemu-x86_64 all x86-guest" >&2; exit 100; }
done
. "$(dirname "$0")/../tests/lib/now.sh"
mkdir -p "$OUT"
# Private copies: a rebuild meanwhile must not change what the remaining runs boot.
cp "$B/minixen" "$OUT/minixen"
cp build/guest/x86_64/xtest.elf "$OUT/xtest.elf"
cp "$B/pvh-guest.elf" "$OUT/pvh-guest.elf"

# monitor <socket> <command>...: each command's output, through the QEMU monitor.
monitor() {
    python3 - "$@" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(2.0)
def drain():
    buf = b""
    try:
        while not buf.endswith(b"(qemu) "):
            d = s.recv(65536)
            if not d:
                break
            buf += d
    except socket.timeout:
        pass
    return buf.decode(errors="replace")
drain()
for c in sys.argv[2:]:
    s.sendall(c.encode() + b"\n")
    time.sleep(0.3)
    print("=== " + c)
    print(drain().split("\r\n", 1)[-1])
EOF
}

bad=0
for i in $(seq 1 "$N"); do
    run=$OUT/run$i mon=$OUT/monitor.sock
    rm -f "$mon"
    # The boot test's DT with now=<host time>, as boot-test.sh gives it (wall-clock tests).
    dtc -q -I dtb -O dts "${mods[0]}" | bootargs_add_now | dtc -q -I dts -O dtb -o "$OUT/domains.dtb" -
    "$QEMU" -nographic -monitor "unix:$mon,server,nowait" -serial "file:$run.serial" -net none \
        -machine q35 -m 1024 -cpu qemu64,+svm,+npt -smp "$SMP" -no-reboot \
        -d "${QEMU_D:-cpu_reset,guest_errors}" -D "$run.qlog" -kernel "$OUT/minixen" \
        -initrd "$OUT/domains.dtb,$OUT/xtest.elf,$OUT/pvh-guest.elf" </dev/null >/dev/null 2>&1 &
    q=$! size=-1 still=0 verdict=""
    while kill -0 "$q" 2>/dev/null; do
        sleep 2
        now=$(stat -c %s "$run.serial" 2>/dev/null || echo 0)
        if [ "$now" = "$size" ]; then still=$((still + 2)); else still=0 size=$now; fi
        if [ "$still" -ge "$HANG_S" ]; then
            verdict=hang
            monitor "$mon" "info cpus" "cpu 0" "info registers" "info lapic" "x/16gx \$esp" \
                "cpu 1" "info registers" "info lapic" "x/16gx \$esp" >"$run.hang" 2>&1
            kill "$q"
            break
        fi
    done
    wait "$q" 2>/dev/null
    if [ -z "$verdict" ]; then
        banners=$(grep -ac '^minixen [0-9]' "$run.serial")
        if ! grep -aq "Hardware Dom0 halted" "$run.serial"; then
            verdict="reset or early exit ($banners banner(s))"
        elif [ "$banners" != 1 ] || grep -aqE '^minixen: (panic|fatal)' "$run.serial"; then
            verdict="panic/fatal or second boot"
        elif grep -aq 'not ok' "$run.serial"; then
            verdict="a test failed: $(grep -a 'not ok' "$run.serial" | head -3 | tr '\n' ';')"
        else
            verdict=clean
            rm -f "$run.serial" "$run.qlog"
        fi
    fi
    [ "$verdict" = clean ] || bad=$((bad + 1))
    echo "run $i/$N: $verdict${verdict:+ }$( [ "$verdict" = clean ] || echo "(logs: $run.*)")"
done
echo "$((N - bad))/$N clean"
exit $((bad > 99 ? 99 : bad))
