# SPDX-License-Identifier: Apache-2.0
# System-level targets of the arm64 port (meant for `-include tests/system/system.mk` in
# the top Makefile, after xen/build.mk). Board variables come from boards/$(BOARD)/board.mk.
#
#   make test-system [BOARD=...]   boot tests in QEMU (-kernel, U-Boot, EL1); TAP in $(RESULTS)
#   make system-run [BOARD=...]    U-Boot -> minixen in QEMU; quit with Ctrl-A x
#                                  (SYSTEM_BOOT=kernel skips U-Boot: QEMU -kernel)
#   make system-debug [BOARD=...]  QEMU halted with a gdb stub on :1234; then
#                                  gdb-multiarch -x $(BUILD)/gdbinit

ifeq ($(ARCH),arm)
RESULTS ?= build/test-results
UBOOT_BIOS ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
SYSTEM_BOOT ?= uboot
SYSTEM_TFTP := $(BUILD)/tftp
SYSTEM_QEMU := $(QEMU) -machine $(QEMU_MACHINE) -cpu $(CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) \
               -nographic

.PHONY: test-system system-run system-debug

test-system: $(BUILD)/minixen.bin
	$(Q)QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    UBOOT_BIOS=$(UBOOT_BIOS) tests/system/boot-test.sh $(BOARD) $< $(RESULTS)

$(SYSTEM_TFTP)/boot.scr.uimg: boards/$(BOARD)/boot.cmd
	@mkdir -p $(dir $@)
	$(Q)mkimage -A arm64 -T script -C none -d $< $@ >/dev/null

$(SYSTEM_TFTP)/minixen.bin: $(BUILD)/minixen.bin
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

ifeq ($(SYSTEM_BOOT),kernel)
system-run: $(BUILD)/minixen.bin
	$(SYSTEM_QEMU) -kernel $<
else
system-run: $(SYSTEM_TFTP)/boot.scr.uimg $(SYSTEM_TFTP)/minixen.bin
	$(SYSTEM_QEMU) -bios $(UBOOT_BIOS) -netdev user,id=n0,tftp=$(SYSTEM_TFTP) \
	    -device virtio-net-pci,netdev=n0
endif

$(BUILD)/gdbinit: tests/system/system.mk
	@mkdir -p $(dir $@)
	$(Q)printf 'set architecture aarch64\nfile %s\ntarget remote :1234\n' \
	    $(abspath $(BUILD)/minixen) >$@

system-debug: $(BUILD)/minixen.bin $(BUILD)/gdbinit
	@echo "QEMU halted; in another shell: gdb-multiarch -x $(BUILD)/gdbinit"
	$(SYSTEM_QEMU) -S -gdb tcp::1234 -kernel $<
endif
