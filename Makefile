# SPDX-License-Identifier: Apache-2.0
# minixen top-level Makefile. Outputs go out of tree, under build/<board>/ (per board)
# and build/ (host tests, ABI checks). `make help` lists the targets.

BOARD ?= qemu-virt-arm64
BUILD_ROOT := build
BUILD := $(BUILD_ROOT)/$(BOARD)
RESULTS := $(BUILD_ROOT)/test-results

# The board variables every recipe gets (see the export below). A make run by another
# board's recipe (test-system-arm's loop over the boards) finds its parent's in the
# environment: they are dropped here, or board.mk's `?=` defaults (zcu102's QEMU_SMP,
# BOARD_DTB) would never apply. A user's own environment reaches the top-level make only.
BOARD_VARS := BOARD_DTB ARCH QEMU QEMU_MACHINE CPU QEMU_SMP QEMU_MEM UBOOT_BIOS RTC GUEST_ADDR \
    SYSTEM_SMP
ifneq ($(BOARD_VARS_OF),)
ifneq ($(BOARD_VARS_OF),$(BOARD))
$(foreach v,$(BOARD_VARS),$(if $(filter environment,$(origin $(v))),$(eval undefine $(v))))
endif
endif
BOARD_VARS_OF := $(BOARD)
export BOARD_VARS_OF

ifneq ($(wildcard boards/$(BOARD)/board.mk),)
include boards/$(BOARD)/board.mk
else
$(error unknown BOARD '$(BOARD)'; see boards/)
endif
# The board, for every script a recipe runs: tests/lib/board-qemu.sh builds each QEMU
# command line from these.
export BOARD $(BOARD_VARS)

# V=1 shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.DEFAULT_GOAL := all
.PHONY: all help deps test test-system bench clean

help:
	@echo "make [BOARD=<board>]     build the hypervisor for a board (default $(BOARD))"
	@echo "make deps                install missing Debian packages"
	@echo "make run                 boot the board in QEMU with the demo domains (RUN_BOOT=kernel:"
	@echo "                         QEMU -kernel, no boot loader; RUN_DOMAINS=test|none)"
	@echo "make debug               the same halted, with a gdb stub on :1234"
	@echo "make test                every test: format, ABI check, host unit tests (native + aarch64),"
	@echo "                         sanitizers, a short fuzz pass, system tests; ends 'N passed, N failed'"
	@echo "make format-check        every C file as .clang-format says (make format fixes them)"
	@echo "make check-abi           public struct layouts on i386/x86_64/arm32/arm64 vs Xen's"
	@echo "make test-unit           event core unit tests, native and under qemu-aarch64"
	@echo "make libevtchn           libxenevtchn (Xen 4.17's event-channel library) -> build/libxenevtchn/"
	@echo "make test-libevtchn      its tests on the emu backend, binary compatibility with Xen 4.17's"
	@echo "make test-sanitize       the same under ASan+UBSan and TSan"
	@echo "make fuzz FUZZ_SECONDS=N libFuzzer over the EVTCHNOP entry"
	@echo "make coverage            line/branch coverage of xen/common/events"
	@echo "make bench-core          event core benchmark table -> docs/PERFORMANCE.md"
	@echo "make bench               in-guest benchmark on QEMU arm64 -> docs/PERFORMANCE.md"
	@echo "make bench-peer          the same beside Xen 4.17: ratios, targets, breakdown, chart"
	@echo "make bench-linux         Linux dom0 reset -> /init on minixen and Xen 4.17 -> docs/PERFORMANCE.md"
	@echo "make test-hostile        hostile-guest suite on arm64 and x86_64 (issue #11)"
	@echo "make test-linux-arm      Debian's arm64 Linux as a dom0less domU (vPL011 console), and as dom0"
	@echo "                         sharing a granted page with a Linux domU, on both GICs; as dom0 on zcu102"
	@echo "make test-linux-x86      Debian's amd64 Linux as a PVH domU beside the conformance dom0: events"
	@echo "                         with it through /dev/xen/evtchn"
	@echo "make bench-hostile       victims' round trips under each hostile phase -> docs/PERFORMANCE.md"
	@echo "make sd-image BOARD=rpi4 the Raspberry Pi 4's SD card: boot partition and card image"
	@echo "                         (RPI_FIRMWARE_DIR=<dir of start4.elf, fixup4.dat>)"
	@echo "boards: $(notdir $(wildcard boards/*))"

deps:
	$(Q)tools/deps.sh

# Each part of the tree brings its own rules.
include xen/build.mk
-include tests/abi/abi.mk
-include tests/host/host.mk
-include tools/libs/evtchn/lib.mk
-include tests/tools/tools.mk
-include tests/system/run.mk
-include tests/system/arm/arm.mk
-include tests/guest/guest.mk
-include tests/peer/peer.mk
-include tests/system/x86/x86.mk
-include tests/bench/bench.mk
-include tests/system/hostile.mk

# The test command of the README and CI. Every suite writes TAP under $(RESULTS);
# the last line sums them all. tools/run-suite.sh adds a failure for a suite that exits
# non-zero (one that could not build writes no TAP at all, and must not read as passed).
TEST_SUITES ?= format-check check-abi test-unit test-tools test-libevtchn test-sanitize fuzz-ci test-system-arm test-system-x86 test-linux-arm test-linux-x86 test-hostile test-peer-xen test-peer-xen-x86

# The code style (.clang-format) holds for every C file git tracks; `make format` fixes it.
.PHONY: format format-check
format-check:
	$(Q)mkdir -p $(RESULTS)
	$(Q)tools/format-check.sh $(RESULTS)/format.tap; status=$$?; cat $(RESULTS)/format.tap; exit $$status
format:
	$(Q)tools/format-check.sh --fix

# The ARM boards boot in QEMU: virt's two (-kernel at -smp 1/2/4, and through U-Boot) and
# zcu102 (-kernel with Debian's DT, -smp 1 and 4).
.PHONY: test-system-arm
test-system-arm:
	$(Q)status=0; for b in qemu-virt-arm64 qemu-virt-arm64-gicv2 zcu102; do \
	    $(MAKE) --no-print-directory test-system BOARD=$$b || status=1; \
	done; exit $$status

# Unmodified Linux (Debian 12's arm64 kernel) as a domU, and as dom0 beside a Linux domU,
# on both QEMU virt boards; as dom0 to its shell on zcu102.
.PHONY: test-linux-arm
test-linux-arm:
	$(Q)status=0; for b in qemu-virt-arm64 qemu-virt-arm64-gicv2 zcu102; do \
	    $(MAKE) --no-print-directory test-linux BOARD=$$b || status=1; \
	done; exit $$status

# Per-struct layout tables are for people running check-abi; keep the CI log short.
test: deps
	$(Q)rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(Q)status=0; for t in $(TEST_SUITES); do \
	    echo "== $$t"; \
	    tools/run-suite.sh $(RESULTS) $$t $(MAKE) --no-print-directory $$t ABI_FLAGS=--quiet || status=1; \
	done; tools/tap-summary.sh $(RESULTS) || status=1; exit $$status

clean:
	$(Q)rm -rf $(BUILD_ROOT)

# The boot partition of a board booted from an SD card (board.mk's SD_LAYOUT, a tool that
# assembles it: boards/rpi4), in $(BUILD)/sd-boot, and a whole card's image, $(SD_IMAGE)
# (SD_IMAGE= for none). RPI_FIRMWARE_DIR= adds the Pi's own firmware files.
SD_IMAGE ?= $(BUILD)/sd.img
.PHONY: sd-image
ifneq ($(SD_LAYOUT),)
sd-image: deps all
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-arm64 >/dev/null
	$(Q)RPI_FIRMWARE_DIR='$(RPI_FIRMWARE_DIR)' $(SD_LAYOUT) -x $(BUILD)/minixen.bin \
	    $(if $(SD_IMAGE),-i $(SD_IMAGE)) $(BUILD)/sd-boot
else
sd-image:
	@echo "$(BOARD): no SD card layout for this board (board.mk's SD_LAYOUT)" >&2
	@exit 1
endif

# A board QEMU cannot run (boards/rpi4: real hardware only) sets no QEMU: its image builds,
# and every target that would boot it in QEMU stops here first, saying so, rather than in a
# script with an empty command line.
QEMU_RUN_TARGETS := run debug run-board debug-board run-images test-system test-linux \
                    test-hostile-board
ifeq ($(QEMU)$(filter-out arm x86,$(ARCH)),)
$(QEMU_RUN_TARGETS): board-not-in-qemu
endif
.PHONY: board-not-in-qemu
board-not-in-qemu:
	@echo "$(BOARD): no QEMU machine for this board (real hardware only); 'make BOARD=$(BOARD)' builds its image$(if $(SD_LAYOUT), and 'make sd-image BOARD=$(BOARD)' its SD card) (docs/boards.md)." >&2
	@exit 1

ifeq ($(filter arm x86,$(ARCH)),)
# Only the arm64 and x86_64 ports boot so far.
test-system:
	@echo "$(BOARD): the $(ARCH) port does not boot yet; 'make BOARD=$(BOARD)' builds its common objects." >&2
	@exit 1
endif
