# SPDX-License-Identifier: Apache-2.0
# System-level targets of the x86_64 port (`-include tests/system/x86/x86.mk` in the top
# Makefile, after xen/build.mk). Board variables come from boards/$(BOARD)/board.mk.
#
#   make test-system BOARD=qemu-x86_64   boot tests: Multiboot (QEMU -kernel) and Multiboot2
#                                        (GRUB ISO), -smp 1/2/4, each ending when dom0 powers
#                                        the machine off; the serial input cycle; dom0's
#                                        reboot and crash; then reboot-test.sh (domU1
#                                        reboots while dom0 runs the suite); TAP in
#                                        $(RESULTS)
#   make system-run BOARD=qemu-x86_64    GRUB ISO -> minixen -> the demo domains of
#                                        boards/$(BOARD)/demo.dts (`make run`); quit with
#                                        Ctrl-A x (SYSTEM_BOOT=kernel: QEMU -kernel, Multiboot;
#                                        RUN_DOMAINS=test: the test domains instead, which end
#                                        by themselves: dom0's poweroff powers the machine off)
#   make system-debug BOARD=qemu-x86_64  QEMU halted with a gdb stub on :1234
#
# The boot modules (X86_MODULES, a list of files) are handed over in the same order by both
# loaders: QEMU's -initrd "a,b" and GRUB's module2 lines.

# `make test` runs this from any board (TEST_SUITES).
.PHONY: test-system-x86
test-system-x86:
	$(Q)$(MAKE) --no-print-directory test-system BOARD=qemu-x86_64

ifeq ($(ARCH),x86)
RESULTS ?= build/test-results
SYSTEM_BOOT ?= grub
X86_GUEST := $(BUILD)/pvh-guest.elf
X86_XTEST := $(GUEST_OUT)/x86_64/xtest.elf
X86_DTB := $(BUILD)/domains.dtb
# Module 0 the domains' DT, 1 the conformance guest (tests/guest), 2 the bring-up guest.
X86_MODULES ?= $(X86_DTB) $(X86_XTEST) $(X86_GUEST)
# `make run`: the demo (the test guest's role=demo, as on arm64), or the test domains.
X86_DEMO_DTB := $(BUILD)/demo.dtb
RUN_DOMAINS ?= demo
X86_RUN_MODULES := $(if $(filter test,$(RUN_DOMAINS)),$(X86_MODULES),$(X86_DEMO_DTB) $(X86_XTEST))
X86_RUN_ISO := $(BUILD)/run-$(RUN_DOMAINS).iso
X86_GUEST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                    -fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
                    -mcmodel=small -Ixen/include
comma := ,
empty :=
space := $(empty) $(empty)
X86_INITRD := $(if $(strip $(X86_MODULES)),-initrd "$(subst $(space),$(comma),$(strip $(X86_MODULES)))")
X86_RUN_INITRD := -initrd "$(subst $(space),$(comma),$(strip $(X86_RUN_MODULES)))"
SYSTEM_QEMU := $(QEMU) -machine $(QEMU_MACHINE) -cpu $(CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) \
               -nographic -net none

.PHONY: test-system system-run system-debug x86-guest

# The bring-up PVH guest (tests/system/x86/pvh), the conformance guest and the domains' DT.
x86-guest: $(X86_GUEST) $(X86_XTEST) $(X86_DTB)

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

test-system: $(BUILD)/minixen $(X86_MODULES)
	$(Q)QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    X86_MODULES="$(X86_MODULES)" tests/system/x86/boot-test.sh $(BOARD) $< $(RESULTS)
	$(Q)ARCH=x86 QEMU=$(QEMU) QEMU_MACHINE=$(QEMU_MACHINE) CPU=$(CPU) QEMU_MEM=$(QEMU_MEM) \
	    tests/system/reboot-test.sh $(BOARD) $< $(RESULTS) $(X86_XTEST)

$(X86_RUN_ISO): $(BUILD)/minixen tests/system/x86/mkiso.sh $(X86_RUN_MODULES)
	@echo "  ISO     $@"
	$(Q)tests/system/x86/mkiso.sh $@ $< $(X86_RUN_MODULES)

ifeq ($(SYSTEM_BOOT),kernel)
system-run: $(BUILD)/minixen $(X86_RUN_MODULES)
	$(SYSTEM_QEMU) -kernel $< $(X86_RUN_INITRD)
else
system-run: $(X86_RUN_ISO)
	$(SYSTEM_QEMU) -cdrom $<
endif

$(BUILD)/gdbinit: tests/system/x86/x86.mk
	@mkdir -p $(dir $@)
	$(Q)printf 'set architecture i386:x86-64\nfile %s\ntarget remote :1234\n' \
	    $(abspath $(BUILD)/minixen) >$@

system-debug: $(BUILD)/minixen $(BUILD)/gdbinit $(X86_MODULES)
	@echo "QEMU halted; in another shell: gdb -x $(BUILD)/gdbinit"
	$(SYSTEM_QEMU) -S -gdb tcp::1234 -kernel $< $(X86_INITRD)
endif
