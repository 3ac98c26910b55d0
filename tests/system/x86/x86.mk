# SPDX-License-Identifier: Apache-2.0
# System-level targets of the x86_64 port (`-include tests/system/x86/x86.mk` in the top
# Makefile, after xen/build.mk and tests/system/run.mk). Board variables come from
# boards/$(BOARD)/board.mk; the top Makefile exports them to the scripts, which build their
# QEMU command lines with tests/lib/board-qemu.sh.
#
#   make test-system BOARD=qemu-x86_64   boot tests: Multiboot (QEMU -kernel) and Multiboot2
#                                        (GRUB ISO), -smp 1/2/4, each ending when dom0 powers
#                                        the machine off; the serial input cycle; dom0's
#                                        reboot and crash; then reboot-test.sh (domU1
#                                        reboots while dom0 runs the suite); TAP in
#                                        $(RESULTS)
#
# `make run` and `make debug` are tests/system/run.mk's; this file says what they boot here:
#   RUN_BOOT=grub (the default)   a GRUB ISO (Multiboot2) with the demo domains of
#                                 boards/$(BOARD)/demo.dts (RUN_DOMAINS=test: the test
#                                 domains of domains.dts, X86_MODULES, which end by
#                                 themselves: dom0's poweroff powers the machine off)
#   RUN_BOOT=kernel               the same modules through QEMU -kernel (Multiboot)
#   RUN_DOMAINS=none              no modules: no domains
#
# The boot modules (X86_MODULES, a list of files) are handed over in the same order by both
# loaders: QEMU's -initrd "a,b" and GRUB's module2 lines.

# `make test` runs this from any board (TEST_SUITES).
.PHONY: test-system-x86
test-system-x86:
	$(Q)$(MAKE) --no-print-directory test-system BOARD=qemu-x86_64

# Debian 12's amd64 Linux as a PVH domU beside the conformance dom0 (linux-test.sh): boot to
# /init, events with dom0 through /dev/xen/evtchn; `make test` runs it from any board.
.PHONY: test-linux-x86
test-linux-x86:
	$(Q)$(MAKE) --no-print-directory test-linux BOARD=qemu-x86_64

ifeq ($(ARCH),x86)
RESULTS ?= build/test-results
X86_GUEST := $(BUILD)/pvh-guest.elf
X86_XTEST := $(GUEST_OUT)/x86_64/xtest.elf
X86_XTEST32 := $(GUEST_OUT)/i386/xtest.elf
# The x86_64 build repackaged as ELF32 (elf32-x86-64: 64-bit code in a 32-bit container,
# which Xen boots): the boot tests load it, the reboot test the ELF64 original.
X86_XTEST_E32 := $(BUILD)/xtest-elf32-x86_64.elf
X86_DTB := $(BUILD)/domains.dtb
X86_DTB32 := $(BUILD)/domains-x86_32.dtb
# Module 0 the domains' DT, 1 the conformance guest (tests/guest) as x86_64 (in an ELF32
# container), 2 the bring-up guest (ELF64), 3 the conformance guest as i386. X86_DTB32, the same domains with the conformance
# guest's widths swapped, replaces module 0 in the GRUB boots.
X86_MODULES ?= $(X86_DTB) $(X86_XTEST_E32) $(X86_GUEST) $(X86_XTEST32)
# `make run`: the demo (the test guest's role=demo, as on arm64), the test domains or none.
X86_DEMO_DTB := $(BUILD)/demo.dtb
X86_RUN_MODULES := $(if $(filter test,$(RUN_DOMAINS)),$(X86_MODULES),$(if \
                   $(filter none,$(RUN_DOMAINS)),,$(X86_DEMO_DTB) $(X86_XTEST)))
X86_RUN_ISO := $(RUN_OUT)/minixen.iso
X86_GUEST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                    -fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
                    -mcmodel=small -Ixen/include

.PHONY: test-system test-linux x86-guest run-images

# The bring-up PVH guest (tests/system/x86/pvh), the conformance guest and the domains' DT.
x86-guest: $(X86_GUEST) $(X86_XTEST) $(X86_XTEST_E32) $(X86_XTEST32) $(X86_DTB) $(X86_DTB32)

$(X86_XTEST_E32): $(X86_XTEST)
	@mkdir -p $(dir $@)
	$(Q)objcopy -O elf32-x86-64 $< $@

$(X86_GUEST): $(wildcard tests/system/x86/pvh/*) tests/system/x86/x86.mk
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(XEN_CC) $(X86_GUEST_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
	    -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
	    -Wl,-T,tests/system/x86/pvh/guest.lds -o $@ \
	    tests/system/x86/pvh/head.S tests/system/x86/pvh/guest.c tests/system/x86/pvh/isolation.c

$(BUILD)/%.dtb: boards/$(BOARD)/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(X86_DTB32): boards/$(BOARD)/domains.dts

test-system: $(BUILD)/minixen $(X86_MODULES) $(X86_DTB32)
	$(Q)X86_MODULES="$(X86_MODULES)" X86_DTB32=$(X86_DTB32) \
	    tests/system/x86/boot-test.sh $(BOARD) $< $(RESULTS)
	$(Q)tests/system/reboot-test.sh $(BOARD) $< $(RESULTS) $(X86_XTEST)

test-linux: $(BUILD)/minixen $(X86_XTEST)
	$(Q)tests/system/x86/linux-test.sh $(BOARD) $< $(RESULTS) $(X86_XTEST)

# ---- make run / make debug ---------------------------------------------------------------
GDB := gdb
GDB_ARCH := i386:x86-64

ifeq ($(RUN_BOOT),kernel)
RUN_METHOD := multiboot $(BUILD)/minixen $(X86_RUN_MODULES)
run-images: $(BUILD)/minixen $(X86_RUN_MODULES)
else
RUN_METHOD := iso $(X86_RUN_ISO)
run-images: $(X86_RUN_ISO)
endif

$(X86_RUN_ISO): $(BUILD)/minixen tests/system/x86/mkiso.sh $(X86_RUN_MODULES)
	@echo "  ISO     $@"
	$(Q)tests/system/x86/mkiso.sh $@ $< $(X86_RUN_MODULES)
endif
