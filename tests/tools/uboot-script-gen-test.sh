#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Self-test of tools/uboot-script-gen without QEMU: configurations over fake files of known
# sizes (an arm64 Image header where the hypervisor needs one, a DTB header where a DT
# does), and what the generated script says about them: every address aligned, the
# allocations increasing and never overlapping each other, the DT, or the hypervisor's
# run region, all inside MEMORY_START..MEMORY_END, each module node's reg the file's real
# address and size; ImageBuilder's defaults; the static event channel extension; and the
# errors: a set that does not fit, a bad channel, an unsupported variable.
#
#   uboot-script-gen-test.sh TAP-FILE
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
gen=$root/tools/uboot-script-gen
. "$root/tests/lib/tap.sh"
tap=$1
work=$(mktemp -d) # kept when a result fails, for its files
tap_begin "$work/tap.body"

# fake FILE SIZE: SIZE bytes of zeros.
fake() {
    head -c "$2" /dev/zero >"$1"
}

# le64 N: N as 8 little-endian bytes, printf escapes.
le64() {
    local i out=''
    for i in 0 1 2 3 4 5 6 7; do out+=$(printf '\\x%02x' $((($1 >> (8 * i)) & 0xff))); done
    printf '%s' "$out"
}

# fake_image FILE SIZE TEXT_OFFSET IMAGE_SIZE FLAGS: an arm64 Image header, zero-padded.
fake_image() {
    fake "$1" "$2"
    {
        printf '\x00\x00\x00\x14\x00\x00\x00\x00'
        printf "$(le64 "$3")$(le64 "$4")$(le64 "$5")"
        head -c 24 /dev/zero
        printf 'ARM\x64'
    } | dd of="$1" conv=notrunc status=none
}

# fake_dtb FILE SIZE: a blob that starts with the FDT magic.
fake_dtb() {
    fake "$1" "$2"
    printf '\xd0\x0d\xfe\xed' | dd of="$1" conv=notrunc status=none
}

# generate NAME [ARGS...]: the generator on $work/NAME.cfg, files in $work/files; its
# stdout in $work/NAME.out, stderr in $work/NAME.err; the script as $work/files/NAME.*.
generate() {
    local name=$1
    shift
    "$gen" -c "$work/$name.cfg" -d "$work/files" -o "$name" "$@" >"$work/$name.out" 2>"$work/$name.err"
}

# layout_ok NAME MEM_START MEM_END: the "layout:" lines are sane; prints what is not.
# Every region inside the memory, none meeting another; the allocated ones (all but a
# fixed run region, listed first) at increasing addresses; kernels, the hypervisor and the
# script's slot 2 MiB aligned, the rest 4 KiB.
layout_ok() {
    local _ s e rest
    # In decimal first: POSIX awk reads no hex.
    grep '^layout: ' "$work/$1.out" | while read -r _ s e rest; do
        echo "layout: $((s)) $((e)) $rest"
    done | awk -v lo="$(($2))" -v hi="$(($3))" '
        {
            n++; s[n] = $2 + 0; e[n] = $3 + 0; name[n] = $0
            big = ($4 ~ /^(XEN|DOM0_KERNEL|DOMU_KERNEL|script)/)
            al = big ? 2097152 : 4096
            if (s[n] % al != 0) { print "misaligned: " $0; bad = 1 }
            if (s[n] < lo || e[n] > hi || e[n] <= s[n]) { print "outside memory: " $0; bad = 1 }
            fixed[n] = ($0 ~ /booti runs it here/)
        }
        END {
            if (n < 2) { print "no layout"; exit 1 }
            for (i = 1; i <= n; i++)
                for (j = i + 1; j <= n; j++)
                    if (s[i] < e[j] && s[j] < e[i]) { print "overlap: " name[i] " / " name[j]; bad = 1 }
            last = -1
            for (i = 1; i <= n; i++) {
                if (fixed[i]) continue
                if (s[i] <= last) { print "not increasing: " name[i]; bad = 1 }
                last = s[i]
            }
            exit bad
        }'
}

# reg_ok NAME NODE FILE: NODE's reg in the script is FILE's load address and its size.
reg_ok() {
    local src=$work/files/$1.source addr size want
    addr=$(sed -nE "s|^[a-z]+ (0x[0-9a-f]+) $3\$|\\1|p" "$src" | head -1)
    [ -n "$addr" ] || return 1
    size=$(stat -c %s "$work/files/$3")
    want=$(printf '<0x%x 0x%x 0x%x 0x%x>' $((addr >> 32)) $((addr & 0xffffffff)) 0 "$size")
    grep -qxF "fdt set $2 reg $want" "$src"
}

mkdir -p "$work/files"
if ! command -v mkimage >/dev/null; then
    skip 26 "mkimage missing (u-boot-tools)"
    tap_end "$tap" uboot-script-gen "$work"
    exit
fi

# ---- A full Xen-style configuration: Xen's Image may run anywhere 2 MiB aligned ---------
fake_image "$work/files/xen" 983048 0 $((0x1360c8)) $((0xa))
fake "$work/files/dom0-Image" $((3 * 1048576 + 1))
fake "$work/files/dom0-ramdisk.cpio" 5000
mkdir -p "$work/files/dom1" "$work/files/dom2"
fake "$work/files/dom1/Image" 700001
fake "$work/files/dom1/ramdisk.cpio" 123457
fake_dtb "$work/files/dom1/passthrough.dtb" 2000
fake "$work/files/dom2/Image" 4096
fake_dtb "$work/files/host.dtb" 65536
cat >"$work/full.cfg" <<'EOF'
MEMORY_START="0x40000000"
MEMORY_END="0x80000000"
DEVICE_TREE="host.dtb"
XEN="xen"
DOM0_KERNEL="dom0-Image"
DOM0_RAMDISK="dom0-ramdisk.cpio"
NUM_DOMUS=2
DOMU_KERNEL[0]="dom1/Image"
DOMU_RAMDISK[0]="dom1/ramdisk.cpio"
DOMU_PASSTHROUGH_DTB[0]="dom1/passthrough.dtb"
DOMU_CMD[0]="console=ttyAMA0 role=x"
DOMU_KERNEL[1]="dom2/Image"
DOMU_MEM[1]=128
DOMU_VCPUS[1]=2
DOMU_ENHANCED[1]=0
EOF
generate full -t tftp
ok $? "a full configuration generates$(sed 's/^/; /' "$work/full.err" | tr '\n' ' ')"
why=$(layout_ok full 0x40000000 0x80000000)
ok $? "full: addresses aligned, increasing, not overlapping, inside the memory${why:+ ($why)}"
src=$work/files/full.source
mkimage -l "$work/files/full.scr" 2>/dev/null | grep -q "Script"
ok $? "full: full.scr is a U-Boot script image (mkimage -l)"
n=$(grep -cE '^tftpb 0x[0-9a-f]+ ' "$src")
[ "$n" -eq 8 ]; ok $? "full: eight files loaded with tftpb (-t tftp), $n seen"
reg_ok full /chosen/dom0 dom0-Image && reg_ok full /chosen/dom0-ramdisk dom0-ramdisk.cpio
ok $? "full: dom0's kernel and ramdisk nodes carry their files' addresses and sizes"
a=$(sed -nE 's|^tftpb (0x[0-9a-f]+) dom1/Image$|\1|p' "$src")
reg_ok full "/chosen/domU0/module@${a#0x}" dom1/Image
ok $? "full: domU0's kernel module node is module@<its address> with its size"
xa=$(sed -nE 's|^tftpb (0x[0-9a-f]+) xen$|\1|p' "$src")
da=$(sed -nE 's|^tftpb (0x[0-9a-f]+) host.dtb$|\1|p' "$src")
grep -qxF "booti $xa - $da" "$src" && grep -qxF "fdt addr $da" "$src" &&
    grep -qxF "setenv fdt_high 0xffffffffffffffff" "$src" && [ $((xa % 0x200000)) -eq 0 ]
ok $? "full: booti starts Xen where it was loaded (2 MiB aligned), with the loaded DT kept in place"
grep -qxF 'fdt set /chosen xen,xen-bootargs "console=dtuart dtuart=serial0 dom0_mem=1500M dom0_max_vcpus=1 bootscrub=0 vwfi=native sched=null"' "$src" &&
    grep -qxF 'fdt set /chosen xen,dom0-bootargs "console=hvc0 earlycon=xen earlyprintk=xen clk_ignore_unused root=/dev/ram0"' "$src"
ok $? "full: ImageBuilder's default XEN_CMD and DOM0_CMD (root=/dev/ram0 with a dom0 ramdisk)"
grep -qxF 'fdt set /chosen/domU0 memory <0x0 0x80000>' "$src" &&
    grep -qxF 'fdt set /chosen/domU0 cpus <1>' "$src" &&
    grep -qxF 'fdt set /chosen/domU0 xen,enhanced "enabled"' "$src" &&
    grep -qxF 'fdt set /chosen/domU1 memory <0x0 0x20000>' "$src" &&
    grep -qxF 'fdt set /chosen/domU1 cpus <2>' "$src" &&
    ! grep -q '^fdt set /chosen/domU1 xen,enhanced' "$src" &&
    grep -qE '^fdt set /chosen/domU1/module@[0-9a-f]+ bootargs "console=ttyAMA0"$' "$src" &&
    [ "$(grep -cxE 'fdt set /chosen/domU[01] vpl011' "$src")" -eq 2 ]
ok $? "full: domU defaults and settings (512 MiB, 1 vCPU, vpl011, xen,enhanced with a dom0, console=ttyAMA0)"
grep -qE '^fdt set /chosen/domU0/module@[0-9a-f]+ compatible "multiboot,device-tree" "multiboot,module"$' "$src" &&
    grep -qE '^fdt set /chosen/domU0/module@[0-9a-f]+ compatible "multiboot,ramdisk" "multiboot,module"$' "$src"
ok $? "full: domU0's ramdisk and partial DT as multiboot modules"

# ---- minixen's kind of Image: it runs at the start of RAM + text_offset --------------------
fake_image "$work/files/minixen.bin" 127012 $((0x200000)) $((0x861000)) 2
fake "$work/files/xtest.bin" 181448
for cfg in imagebuilder-test imagebuilder-demo; do
    for b in qemu-virt-arm64 qemu-virt-arm64-gicv2; do
        cp "$root/boards/$b/$cfg.cfg" "$work/$b-$cfg.cfg"
        generate "$b-$cfg" -t tftp
        why=$(layout_ok "$b-$cfg" 0x40000000 0x7c000000)
        ok $? "boards/$b/$cfg.cfg generates a sane layout$(sed 's/^/; /' "$work/$b-$cfg.err" | tr '\n' ' ')${why:+ ($why)}"
    done
done
src=$work/files/qemu-virt-arm64-imagebuilder-test.source
grep -qxF "tftpb 0x40200000 minixen.bin" "$src" && grep -qE '^booti 0x40200000 - 0x[0-9a-f]+$' "$src" &&
    grep -q '^layout: 0x40200000 0x40a61000 XEN (minixen.bin, booti runs it here: image_size)$' \
        "$work/qemu-virt-arm64-imagebuilder-test.out"
ok $? "minixen (flag bit 3 clear) is loaded where booti runs it, image_size (heap included) kept free"
grep -qxF 'fdt addr ${fdtcontroladdr}' "$src" && grep -qE '^fdt move \$\{fdtcontroladdr\} 0x[0-9a-f]+ 0x1fc000$' "$src"
ok $? "DEVICE_TREE unset: U-Boot's own DT is copied out with room to grow (fdt move)"
# Channel ends pair up: each names the other's phandle.
awk '
    /^fdt set .*\/evtchn@[0-9]+ phandle / { p[$3] = $NF }
    /^fdt set .*\/evtchn@[0-9]+ xen,evtchn / { peer[$3] = $NF; port[$3] = $5 }
    END {
        for (n in p) {
            target = peer[n]; sub(/>$/, "", target); found = 0
            for (m in p) if (p[m] == "<" target ">") { found = 1; back = peer[m]; sub(/>$/, "", back)
                if ("<" back ">" != p[n]) exit 1 }
            if (!found) exit 1
            cnt++
        }
        exit cnt == 4 ? 0 : 1
    }' "$src"
ok $? "MINIXEN_STATIC_EVTCHNS: four xen,evtchn-v1 ends, each naming its peer's phandle"
grep -qxF 'fdt set /chosen/evtchn@10 xen,evtchn <10 0xfffffffd>' "$src" &&
    grep -qxF 'fdt set /chosen/domU0/evtchn@11 phandle <0xfffffffd>' "$src"
ok $? "MINIXEN_STATIC_EVTCHNS: dom0's port 10 under /chosen, domU0's 11 under /chosen/domU0"
grep -qxF 'fdt set /chosen/domU0 xen,enhanced "no-xenstore"' \
    "$work/files/qemu-virt-arm64-imagebuilder-demo.source"
ok $? "DOMU_ENHANCED[0]=no-xenstore is written as Xen's value"

# ---- Errors ---------------------------------------------------------------------------
sed 's/^MEMORY_END=.*/MEMORY_END="0x40d00000"/' "$work/full.cfg" >"$work/small.cfg"
generate small -t tftp
rc=$?
[ $rc -ne 0 ] && grep -q "past MEMORY_END 0x40d00000: not enough memory" "$work/small.err" &&
    [ ! -e "$work/files/small.scr" ] && [ ! -e "$work/files/small.source" ]
ok $? "a set that does not fit below MEMORY_END fails, says so, and leaves no script (rc $rc: $(head -1 "$work/small.err"))"
{
    cat "$work/full.cfg"
    echo 'MINIXEN_STATIC_EVTCHNS="dom0:10=domU5:11"'
} >"$work/badevt.cfg"
generate badevt -t tftp
[ $? -ne 0 ] && grep -q "domU5:11, but NUM_DOMUS is 2" "$work/badevt.err"
ok $? "a channel to a domU that does not exist is refused ($(head -1 "$work/badevt.err"))"
{
    cat "$work/full.cfg"
    echo 'MINIXEN_STATIC_EVTCHNS="dom0:10=domU0:11 dom0:10=domU1:12"'
} >"$work/dupevt.cfg"
generate dupevt -t tftp
[ $? -ne 0 ] && grep -q "dom0 port 10 is used twice" "$work/dupevt.err"
ok $? "a port used twice in one domain is refused ($(head -1 "$work/dupevt.err"))"
{
    cat "$work/full.cfg"
    echo 'FIT="boot.fit"'
} >"$work/fit.cfg"
generate fit -t tftp
[ $? -ne 0 ] && grep -q "FIT is not supported" "$work/fit.err"
ok $? "an ImageBuilder variable this generator cannot honour is refused by name"
generate full
[ $? -ne 0 ] && grep -q "no LOAD_CMD" "$work/full.err"
ok $? "no LOAD_CMD in the configuration and no -t: refused"
generate full -t sd && grep -qE '^load mmc 0:1 0x[0-9a-f]+ dom0-Image$' "$work/files/full.source"
ok $? "-t sd is ImageBuilder's \"load mmc 0:1\""

# ---- True dom0less: no dom0, no dom0 options for Xen ---------------------------------
grep -v '^DOM0_' "$work/full.cfg" >"$work/nodom0.cfg"
generate nodom0 -t tftp &&
    grep -qxF 'fdt set /chosen xen,xen-bootargs "console=dtuart dtuart=serial0 bootscrub=0 vwfi=native sched=null"' \
        "$work/files/nodom0.source" && ! grep -q '/chosen/dom0\|^fdt set /chosen/domU0 xen,enhanced' \
    "$work/files/nodom0.source"
ok $? "without DOM0_KERNEL: no dom0 node, no dom0_* options, no xen,enhanced by default"

tap_end "$tap" uboot-script-gen "$work"
rc=$?
[ $rc -ne 0 ] || rm -rf "$work"
exit $rc
