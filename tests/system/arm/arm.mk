# SPDX-License-Identifier: Apache-2.0
# System-level targets of the arm64 port (`-include tests/system/arm/arm.mk` in the top
# Makefile, after xen/build.mk and tests/system/run.mk). Board variables come from
# boards/$(BOARD)/board.mk; the top Makefile exports them to the scripts, which build their
# QEMU command lines with tests/lib/board-qemu.sh.
#
#   make test-system [BOARD=...]   boot tests in QEMU (-kernel, U-Boot, EL1) and the domain
#                                  runs (dom0 + domU1 = the conformance guest, -smp 1/2/4,
#                                  both paths; each ends when dom0 powers the machine
#                                  off), then reboot-test.sh (domU1 reboots while dom0 runs
#                                  the suite) and dom0-test.sh (the serial input cycle; dom0's
#                                  reboot and crash reset the machine); TAP in $(RESULTS)
#   make test-linux [BOARD=...]    (zcu102: Debian's arm64 Linux as dom0 to its shell,
#                                  linux-dom0-test.sh; other boards:) Debian's arm64 and
#                                  armhf (32-bit) Linux, each as a
#                                  dom0less domU on the vPL011:
#                                  its shell on ttyAMA0 through the Ctrl-A cycle
#                                  (linux-test.sh; the kernel: tools/fetch-linux.sh); then
#                                  Linux as dom0 and as a domU sharing a granted page and
#                                  exchanging events (linux-pair-test.sh)
#
# `make run` and `make debug` are tests/system/run.mk's; this file says what they boot here:
#   RUN_BOOT=uboot (the default)   U-Boot runs, over TFTP, the script tools/uboot-script-gen
#                                  makes from boards/$(BOARD)/imagebuilder-demo.cfg
#                                  (RUN_DOMAINS=test: imagebuilder-test.cfg, the test domains)
#   RUN_BOOT=kernel                QEMU -kernel with QEMU's own DT (or the board's BOARD_DTB)
#                                  + boards/$(BOARD)/demo.dtsi (RUN_DOMAINS=test:
#                                  domains.dtsi), the guest at GUEST_ADDR (0x42000000 on virt)
#   RUN_DOMAINS=none               QEMU -kernel, QEMU's own DT (or BOARD_DTB), no domains
# A board without an imagebuilder-demo.cfg (zcu102: no U-Boot for it in Debian) runs
# RUN_BOOT=kernel.

ifeq ($(ARCH),arm)
RESULTS ?= build/test-results

# The conformance guest (tests/guest/guest.mk), built by its own makefile so this file
# works whether or not the top Makefile includes guest.mk.
SYSTEM_GUEST := build/guest/arm64/xtest.bin
SYSTEM_GUEST32 := build/guest/arm32/xtest.zimage # the U-Boot runs: every domain AArch32

.PHONY: test-system test-linux system-guest run-images

system-guest:
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-arm64 guest-arm32 >/dev/null

# A board booted with a distribution's DT (BOARD_DTB, e.g. zcu102) runs boot-test.sh alone:
# reboot-test.sh and dom0-test.sh splice devices into QEMU virt's own DT, at its addresses.
test-system: $(BUILD)/minixen.bin system-guest $(BOARD_DTB)
	$(Q)tests/system/arm/boot-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST) $(SYSTEM_GUEST32)
ifeq ($(BOARD_DTB),)
	$(Q)tests/system/reboot-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST)
	$(Q)tests/system/arm/dom0-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST)
endif

# The board DTs come with Debian's arm64 kernel package: tools/fetch-linux.sh keeps them
# under its default DEST, build/linux-arm64/dtbs/.
ifneq ($(BOARD_DTB),)
$(BOARD_DTB):
	$(Q)tools/fetch-linux.sh build/linux-arm64 arm64
endif

# Both widths: Debian's arm64 kernel, and its armhf (armmp-lpae) one as 32-bit domains.
# A board with a distribution's DT (zcu102): Debian's arm64 kernel as dom0 alone, to its
# shell on the board's UART (linux-dom0-test.sh); the other two load domUs at QEMU virt's
# addresses and give dom0 virt's virtio devices.
ifeq ($(BOARD_DTB),)
test-linux: $(BUILD)/minixen.bin system-guest
	$(Q)for a in arm64 armhf; do \
	    LINUX_ARCH=$$a tests/system/arm/linux-test.sh $(BOARD) $< $(RESULTS) $(SYSTEM_GUEST); \
	    LINUX_ARCH=$$a tests/system/arm/linux-pair-test.sh $(BOARD) $< $(RESULTS); \
	done
else
test-linux: $(BUILD)/minixen.bin $(BOARD_DTB)
	$(Q)tests/system/arm/linux-dom0-test.sh $(BOARD) $< $(RESULTS)
endif

# ---- make run / make debug ---------------------------------------------------------------
# Private copies under $(RUN_OUT), so a rebuild while QEMU runs does not change its images.
RUN_DTSI := boards/$(BOARD)/$(if $(filter test,$(RUN_DOMAINS)),domains,demo).dtsi
RUN_CFG := boards/$(BOARD)/imagebuilder-$(if $(filter test,$(RUN_DOMAINS)),test,demo).cfg
GDB := gdb-multiarch
GDB_ARCH := aarch64

GUEST_ADDR ?= 0x42000000
ifeq ($(wildcard boards/$(BOARD)/imagebuilder-demo.cfg),)
RUN_BOOT := kernel
endif
ifeq ($(RUN_DOMAINS),none)
RUN_METHOD := kernel $(RUN_OUT)/minixen.bin
else ifeq ($(RUN_BOOT),kernel)
RUN_METHOD := kernel $(RUN_OUT)/minixen.bin $(RUN_OUT)/domains.dtb $(RUN_OUT)/xtest.bin@$(GUEST_ADDR)
run-images: $(RUN_OUT)/domains.dtb
else
RUN_METHOD := uboot $(RUN_OUT)
# The addresses follow the images' sizes: made again after every copy.
RUN_SCRIPT := tools/uboot-script-gen -c $(RUN_CFG) -d $(RUN_OUT) -t tftp >$(RUN_OUT)/layout.txt
endif

# Copied on every run: the build has decided whether the images changed.
run-images: $(BUILD)/minixen.bin $(if $(filter none,$(RUN_DOMAINS)),,system-guest) $(BOARD_DTB)
	@mkdir -p $(RUN_OUT)
	$(Q)cp $(BUILD)/minixen.bin $(if $(filter none,$(RUN_DOMAINS)),,$(SYSTEM_GUEST)) $(RUN_OUT)/
	$(Q)$(RUN_SCRIPT)

# QEMU's own DT for the board's machine (made on every run: it follows QEMU_SMP and
# QEMU_MEM), then the domains, whose guest module node takes the guest's size.
.PHONY: $(RUN_OUT)/domains.dtb
$(RUN_OUT)/domains.dtb: $(RUN_DTSI) system-guest
	@mkdir -p $(dir $@)
	$(Q)tests/lib/board-qemu.sh dts $(RUN_OUT)/qemu
	$(Q)size=$$(printf '0x%x' $$(stat -c %s $(SYSTEM_GUEST))); \
	    { cat $(RUN_OUT)/qemu.dts; sed "s/@GUEST_SIZE@/$$size/g" $(RUN_DTSI); } >$(RUN_OUT)/domains.dts
	$(Q)dtc -q -I dts -O dtb -o $@ $(RUN_OUT)/domains.dts
endif
