#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# dom0 and the machine on the arm64 port (issue #10): where serial input goes, and what the
# machine does when dom0 ends. dom0 alone, the conformance guest, QEMU -kernel, -smp 2:
#   - end=idle: the Ctrl-A cycle (tests/lib/dom0.sh dom0_input_cycle): the boot ends with
#     "*** Serial input to DOM0 ...", typed keys reach dom0, Ctrl-A x3 gives them to the
#     debug keys, Ctrl-A x3 again back to dom0;
#   - role=reboot (SCHEDOP_shutdown(reboot) at once) and role=main end=crash, with QEMU
#     -no-reboot: Xen's line, then PSCI SYSTEM_RESET, which makes QEMU exit (after 5 s for
#     the crash). dom0's poweroff is checked by every domain run of boot-test.sh;
#   - a host DT with a second "arm,pl031" over dom0's vGIC distributor: refused, dom0 boots.
#
#   dom0-test.sh BOARD IMAGE RESULTS GUEST
#   environment: the board's variables (make exports them; else boards/$BOARD/board.mk's),
#   the QEMU command line tests/lib/board-qemu.sh builds from them
# TAP: $RESULTS/system-dom0-$BOARD.tap; logs in $(dirname IMAGE)/dom0-test.
set -u
BOARD=$1 IMAGE=$2 RESULTS=$3 GUEST=$4
: "${DOM0_TIMEOUT:=60}"

work=$(dirname "$IMAGE")/dom0-test
tap="$RESULTS/system-dom0-$BOARD.tap"
mkdir -p "$work" "$RESULTS"
cp "$IMAGE" "$work/minixen.bin" && cp "$GUEST" "$work/xtest.bin" || exit 1
IMAGE=$work/minixen.bin GUEST=$work/xtest.bin
lib=$(dirname "$0")/../../lib
. "$lib/tap.sh"
. "$lib/qemu.sh"
. "$lib/board-qemu.sh"
. "$lib/dom0-dt.sh"
. "$lib/dom0.sh"
. "$lib/now.sh"
board_vars "$BOARD" || exit 1
tap_begin "$work/tap.body"

smp=2
size=$(printf '0x%x' "$(stat -c %s "$GUEST")")
if ! command -v dtc >/dev/null || ! board_qemu_dts "$work/qemu" --smp "$smp"; then
    skip 15 "dom0: no dtc or no QEMU DT"
    tap_end "$tap" "system-dom0-$BOARD" "$work"
    exit 0
fi

# dtb NAME DOM0_BOOTARGS: QEMU's DT with dom0 alone, as $work/NAME.dtb.
dtb() {
    { cat "$work/qemu.dts"; dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "$2" "$size"
      echo "    };"; echo "};"; } >"$work/$1.dts"
    dtc -q -I dts -O dtb -o "$work/$1.dtb" "$work/$1.dts"
}
# dom0_qemu NAME [QEMU-ARG...]: the board's QEMU booting $work/NAME.dtb, in board_qemu.
dom0_qemu() {
    board_qemu_cmd --smp "$smp" kernel "$IMAGE" "$work/$1.dtb" "$GUEST@$DOM0_KERNEL_ADDR" -- "${@:2}"
}

dtb idle "role=main $(now_arg) end=idle" && dom0_qemu idle || exit 1
dom0_input_cycle "$work/input.log" "serial input" "$DOM0_TIMEOUT" "${board_qemu[@]}"

dtb reboot "role=reboot" && dom0_qemu reboot -no-reboot || exit 1
dom0_end_run "$work/reboot.log" "dom0 reboot" "$DOM0_TIMEOUT" reboot "${board_qemu[@]}"

dtb crash "role=main $(now_arg) end=crash" && dom0_qemu crash -no-reboot || exit 1
dom0_end_run "$work/crash.log" "dom0 crash" "$DOM0_TIMEOUT" crash "${board_qemu[@]}"
dtap="$RESULTS/system-dom0-$BOARD-crash-d0.tap"
domain_tap "$work/crash.log.txt" 0 "$dtap"
why=$(tap_verdict "$dtap")
ok $? "dom0 crash: its TAP complete and passing before it crashed${why:+ ($why; $dtap)}"

# A second host "arm,pl031" where dom0's guest memory map has its grant-table window: that
# one is refused with a boot message, the real one still passed through, dom0 boots as ever.
{ cat "$work/qemu.dts"
  printf '/ {\n    pl031@38000000 {\n        compatible = "arm,pl031", "arm,primecell";\n'
  printf '        reg = <0x0 0x38000000 0x0 0x1000>;\n    };\n};\n'
  dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "role=main $(now_arg)" "$size"
  echo "    };"; echo "};"; } >"$work/clash.dts"
dtc -q -I dts -O dtb -o "$work/clash.dtb" "$work/clash.dts" && dom0_qemu clash -no-reboot || exit 1
qemu_run_until "$work/clash.log" "$DOM0_TIMEOUT" "^minixen: (Hardware Dom0 halted|panic|fatal)" \
    "${board_qemu[@]}"
serial_text "$work/clash.log" "$work/clash.log.txt"
has "$work/clash.log.txt" \
    "^hwdom: host pl031@38000000 would cover the grant-table window of d0: refused$"
ok $? "PL031 clash: a host device over dom0's grant-table window is refused with a boot message"
has "$work/clash.log.txt" "^hwdom: d0 gets host pl031@9010000 "
ok $? "PL031 clash: the host's real PL031 is still passed through"
dtap="$RESULTS/system-dom0-$BOARD-clash-d0.tap"
domain_tap "$work/clash.log.txt" 0 "$dtap"
why=$(tap_verdict "$dtap")
ok $? "PL031 clash: dom0 boots without the refused device, its TAP complete and passing${why:+ ($why; $dtap)}"

# A domU's partial DT that asks for what it may not have: no domain is built, and the boot
# line names why (docs/dt-bindings.md, "What a domU gets from its partial DT").
# bad_partial NAME XEN-PROPS: a /passthrough PL061 with those xen,* properties.
bad_partial() {
    printf '/dts-v1/;\n/ {\n    #address-cells = <2>;\n    #size-cells = <2>;\n'
    printf '    passthrough {\n        compatible = "simple-bus";\n        ranges;\n'
    printf '        #address-cells = <2>;\n        #size-cells = <2>;\n'
    printf '        pl061@9030000 {\n            compatible = "arm,pl061", "arm,primecell";\n'
    printf '            reg = <0x0 0x9030000 0x0 0x1000>;\n            %s\n' "$2"
    printf '        };\n    };\n};\n'
}
for bad in noforce ram; do
    case $bad in
    noforce) props='xen,reg = <0x0 0x9030000 0x0 0x1000 0x0 0x9030000>;'
             want='^domU1: passthrough pl061@9030000: no IOMMU here, and no xen,force-assign-without-iommu$'
             what="a device without xen,force-assign-without-iommu" ;;
    ram) props='xen,reg = <0x0 0x40000000 0x0 0x1000 0x0 0x9030000>; xen,force-assign-without-iommu;'
         want='^domU1: passthrough pl061@9030000: xen,reg 0x40000000\+0x1000 at 0x9030000 would take host RAM$'
         what="a xen,reg over host RAM" ;;
    esac
    bad_partial "$bad" "$props" >"$work/pt-$bad.dts"
    dtc -q -I dts -O dtb -o "$work/pt-$bad.dtb" "$work/pt-$bad.dts" || exit 1
    { cat "$work/qemu.dts"
      dt_chosen_dom0 "dom0_mem=64M dom0_max_vcpus=1" "role=main $(now_arg)" "$size"
      dt_domu_linux domU1 0x50000000 "$size" 0x54000000 "$size" "role=peer"
      printf '            module@56000000 {\n'
      printf '                compatible = "multiboot,device-tree", "multiboot,module";\n'
      printf '                reg = <0x0 0x56000000 0x0 0x%x>;\n            };\n' \
          "$(stat -c %s "$work/pt-$bad.dtb")"
      printf '        };\n    };\n};\n'; } >"$work/pt-$bad-host.dts"
    dtc -q -I dts -O dtb -o "$work/pt-$bad-host.dtb" "$work/pt-$bad-host.dts" || exit 1
    board_qemu_cmd --smp "$smp" kernel "$IMAGE" "$work/pt-$bad-host.dtb" "$GUEST@$DOM0_KERNEL_ADDR" \
        "$GUEST@0x50000000" "$GUEST@0x54000000" "$work/pt-$bad.dtb@0x56000000" -- -no-reboot ||
        exit 1
    qemu_run_until "$work/pt-$bad.log" "$DOM0_TIMEOUT" "no domain runs|^minixen: (panic|fatal)" \
        "${board_qemu[@]}"
    serial_text "$work/pt-$bad.log" "$work/pt-$bad.log.txt"
    has "$work/pt-$bad.log.txt" "$want" &&
        has "$work/pt-$bad.log.txt" "^dom: domU1 not built \(-22\); no domain runs$"
    ok $? "partial DT: $what is refused, with the reason on the console, and no domain runs"
done

tap_end "$tap" "system-dom0-$BOARD" "$work"
