# SPDX-License-Identifier: Apache-2.0
# `make run` and `make debug`, for every board (included by the top Makefile after
# xen/build.mk and before each port's tests/system/<arch>/<arch>.mk). QEMU is the board's
# (boards/$(BOARD)/board.mk), its command line built by tests/lib/board-qemu.sh as for every
# test; each port's .mk says only what differs: RUN_METHOD (a board-qemu.sh boot method and
# its images under $(RUN_OUT)), the run-images target that makes them, GDB and GDB_ARCH.
#
# Interactive: -nographic, the serial line and QEMU's monitor on stdio. Serial input goes
# to dom0; Ctrl-A three times moves it to the hypervisor's debug keys (h help, e event
# channels, q domains) and back. QEMU's -nographic takes Ctrl-A as its own escape and
# passes one on for each Ctrl-A Ctrl-A: type that pair three times. Ctrl-A x quits QEMU; a
# dom0 that powers off ends the run by itself (the demo's dom0 runs until stopped).
#
#   make run [BOARD=...]      build, then boot the demo domains: the test guest's role=demo
#                             (tests/guest/suite/demo.c) as dom0 and a dom0less domU
#   make debug [BOARD=...]    the same halted at the first instruction, a gdb stub on :1234;
#                             then gdb-multiarch (x86: gdb) -x build/<board>/gdbinit
#
#   RUN_BOOT=kernel           QEMU -kernel (arm64: QEMU's own DT + the board's .dtsi; x86:
#                             Multiboot) instead of the board's boot loader (arm64: U-Boot
#                             over TFTP; x86: a GRUB ISO). `make debug`'s default. The old
#                             names DEMO_BOOT and SYSTEM_BOOT still work.
#   RUN_DOMAINS=test          the test domains instead of the demo (the conformance guest
#                             as dom0 and domU1; they end by themselves, and dom0's poweroff
#                             powers the machine off); RUN_DOMAINS=none: no domains

RUN_DOMAINS ?= demo
RUN_BOOT ?= $(or $(SYSTEM_BOOT),$(DEMO_BOOT),$(if $(RUN_DEBUG),kernel,loader))
RUN_OUT := $(BUILD)/run-$(RUN_DOMAINS)
ifneq ($(filter-out demo test none,$(RUN_DOMAINS)),)
$(error RUN_DOMAINS=$(RUN_DOMAINS): demo, test or none)
endif
ifneq ($(filter-out kernel loader uboot grub,$(RUN_BOOT)),)
$(error RUN_BOOT=$(RUN_BOOT): kernel, or the board's boot loader (uboot, grub, loader))
endif

.PHONY: run debug run-board debug-board

# Through make again, so that the packages are there before anything is built.
run: deps all
	$(Q)$(MAKE) --no-print-directory run-board
debug: deps all
	$(Q)$(MAKE) --no-print-directory debug-board RUN_DEBUG=1

ifneq ($(filter arm x86,$(ARCH)),)
RUN_QEMU = tests/lib/board-qemu.sh --interactive $(RUN_METHOD)
# What the banner says of each board-qemu.sh boot method, and where input goes.
RUN_HOW_kernel := QEMU -kernel
RUN_HOW_multiboot := QEMU -kernel, Multiboot
RUN_HOW_uboot := U-Boot over TFTP
RUN_HOW_iso := GRUB ISO, Multiboot2
RUN_HOW = $(RUN_HOW_$(firstword $(RUN_METHOD)))
RUN_INPUT_DOM0 := input to dom0; (Ctrl-A Ctrl-A) x3 for the keys h, e, q
RUN_INPUT_XEN := no dom0: input to the keys h, e, q
RUN_INPUT = $(if $(filter none,$(RUN_DOMAINS)),$(RUN_INPUT_XEN),$(RUN_INPUT_DOM0))

run-board: run-images
	@echo "minixen on $(BOARD) ($(RUN_HOW)), domains: $(RUN_DOMAINS); $(RUN_INPUT); Ctrl-A x quits"
	$(Q)$(RUN_QEMU)

debug-board: run-images $(BUILD)/gdbinit
	@echo "QEMU halted ($(BOARD), $(RUN_HOW), domains: $(RUN_DOMAINS)); in another shell: $(GDB) -x $(BUILD)/gdbinit"
	$(Q)$(RUN_QEMU) -- -S -gdb tcp::1234

$(BUILD)/gdbinit: tests/system/run.mk
	@mkdir -p $(dir $@)
	$(Q)printf 'set architecture %s\nfile %s\ntarget remote :1234\n' $(GDB_ARCH) \
	    $(abspath $(BUILD)/minixen) >$@
else
run-board debug-board:
	@echo "$(BOARD): the $(ARCH) port does not boot yet; 'make BOARD=$(BOARD)' builds its common objects." >&2
	@exit 1
endif
