# SPDX-License-Identifier: Apache-2.0
# `make run` on the arm64 boards: U-Boot -> minixen -> the demo domains (tests/guest's
# role=demo, suite/demo.c), interactive: -nographic, the serial line on stdio. Serial
# input goes to dom0; Ctrl-A three times moves it to the hypervisor's debug keys (h help,
# e event channels, q domains) and back. QEMU's -nographic takes Ctrl-A as its own escape
# and passes one on for each Ctrl-A Ctrl-A: type that pair three times. Ctrl-A x quits
# QEMU; a dom0 that powers off would end the run by itself (the demo's runs until stopped).
# Included by tests/bench/bench.mk; board variables come from boards/$(BOARD)/board.mk.
#
#   make run [BOARD=...]                   U-Boot runs boards/$(BOARD)/demo.cmd over TFTP
#   make run [BOARD=...] DEMO_BOOT=kernel  QEMU -kernel with QEMU's DT + boards/$(BOARD)/demo.dtsi

ifeq ($(ARCH),arm)
DEMO_BOOT ?= uboot
DEMO_OUT := $(BUILD)/demo
DEMO_GUEST := build/guest/arm64/xtest.bin
DEMO_UBOOT_BIOS ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
DEMO_QEMU = $(QEMU) -machine $(QEMU_MACHINE) -cpu $(CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) -nographic

.PHONY: demo-run demo-guest demo-images

# guest.mk may or may not be included by the top Makefile: build through it.
demo-guest:
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-arm64 >/dev/null

# Private copies, so a rebuild while the demo runs does not change its images.
$(DEMO_OUT)/tftp/boot.scr.uimg: boards/$(BOARD)/demo.cmd
	@mkdir -p $(dir $@)
	$(Q)mkimage -A arm64 -T script -C none -d $< $@ >/dev/null

demo-images: $(BUILD)/minixen.bin demo-guest
	@mkdir -p $(DEMO_OUT)/tftp
	$(Q)cp $(BUILD)/minixen.bin $(DEMO_GUEST) $(DEMO_OUT)/tftp/

ifeq ($(DEMO_BOOT),kernel)
demo-run: demo-images
	$(Q)$(QEMU) -machine $(QEMU_MACHINE),dumpdtb=$(DEMO_OUT)/qemu.dtb -cpu $(CPU) \
	    -m $(QEMU_MEM) -smp $(QEMU_SMP) -nographic >/dev/null 2>&1
	$(Q)dtc -q -I dtb -O dts -o $(DEMO_OUT)/qemu.dts $(DEMO_OUT)/qemu.dtb
	$(Q)size=$$(printf '0x%x' $$(stat -c %s $(DEMO_OUT)/tftp/xtest.bin)); \
	    { cat $(DEMO_OUT)/qemu.dts; sed "s/@GUEST_SIZE@/$$size/g" boards/$(BOARD)/demo.dtsi; } \
	    >$(DEMO_OUT)/demo.dts
	$(Q)dtc -q -I dts -O dtb -o $(DEMO_OUT)/demo.dtb $(DEMO_OUT)/demo.dts
	@echo "minixen demo ($(BOARD), QEMU -kernel): input to dom0; (Ctrl-A Ctrl-A) x3 for the keys h, e, q; Ctrl-A x quits"
	$(DEMO_QEMU) -kernel $(DEMO_OUT)/tftp/minixen.bin -dtb $(DEMO_OUT)/demo.dtb \
	    -device loader,file=$(DEMO_OUT)/tftp/xtest.bin,addr=0x42000000,force-raw=on
else
demo-run: demo-images $(DEMO_OUT)/tftp/boot.scr.uimg
	@echo "minixen demo ($(BOARD), U-Boot): input to dom0; (Ctrl-A Ctrl-A) x3 for the keys h, e, q; Ctrl-A x quits"
	$(DEMO_QEMU) -bios $(DEMO_UBOOT_BIOS) -netdev user,id=n0,tftp=$(DEMO_OUT)/tftp \
	    -device virtio-net-pci,netdev=n0
endif
endif
