# SPDX-License-Identifier: Apache-2.0
# System-level targets of the arm64 port (meant for `-include tests/system/system.mk` in
# the top Makefile, after xen/build.mk). Board variables come from boards/$(BOARD)/board.mk.
#
#   make test-system [BOARD=...]   boot tests in QEMU (-kernel, U-Boot, EL1) and the domain
#                                  runs (dom0 + domU1 = the conformance guest, -smp 1/2/4,
#                                  both paths; each ends when dom0 powers the machine
#                                  off), then reboot-test.sh (domU1 reboots while dom0 runs
#                                  the suite) and dom0-test.sh (the serial input cycle; dom0's
#                                  reboot and crash reset the machine); TAP in $(RESULTS)
#   make system-run [BOARD=...]    U-Boot -> minixen -> the domains in QEMU; ends when dom0
#                                  powers off, or Ctrl-A x quits
#                                  (SYSTEM_BOOT=kernel skips U-Boot: QEMU -kernel, no domains)
#   make system-debug [BOARD=...]  QEMU halted with a gdb stub on :1234; then
#                                  gdb-multiarch -x $(BUILD)/gdbinit

ifeq ($(ARCH),arm)
RESULTS ?= build/test-results
UBOOT_BIOS ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
SYSTEM_BOOT ?= uboot
SYSTEM_TFTP := $(BUILD)/tftp
SYSTEM_QEMU := $(QEMU) -machine $(QEMU_MACHINE) -cpu $(CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) \
               -nographic

# The conformance guest (tests/guest/guest.mk), built by its own makefile so this file
# works whether or not the top Makefile includes guest.mk.
SYSTEM_GUEST := build/guest/arm64/xtest.bin

.PHONY: test-system system-run system-debug system-guest

system-guest:
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-arm64 >/dev/null

test-system: $(BUILD)/minixen.bin system-guest
	$(Q)QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    UBOOT_BIOS=$(UBOOT_BIOS) tests/system/boot-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST)
	$(Q)ARCH=arm QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    tests/system/reboot-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST)
	$(Q)QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    tests/system/dom0-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST)

$(SYSTEM_TFTP)/boot.scr.uimg: boards/$(BOARD)/boot.cmd
	@mkdir -p $(dir $@)
	$(Q)mkimage -A arm64 -T script -C none -d $< $@ >/dev/null

$(SYSTEM_TFTP)/minixen.bin: $(BUILD)/minixen.bin
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(SYSTEM_TFTP)/xtest.bin: system-guest
	@mkdir -p $(dir $@)
	$(Q)cp $(SYSTEM_GUEST) $@

ifeq ($(SYSTEM_BOOT),kernel)
system-run: $(BUILD)/minixen.bin
	$(SYSTEM_QEMU) -kernel $<
else
system-run: $(SYSTEM_TFTP)/boot.scr.uimg $(SYSTEM_TFTP)/minixen.bin $(SYSTEM_TFTP)/xtest.bin
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
