# SPDX-License-Identifier: Apache-2.0
# The hostile-guest suite (tests/system/hostile-test.sh), on both ports:
#
#   make test-hostile                  arm64 (qemu-virt-arm64) then x86_64 (qemu-x86_64, with
#                                      the guest's x86_64 build, then its i386 build: every
#                                      domain 32-bit); TAP in $(RESULTS)/hostile-<board>.tap
#                                      (and hostile-qemu-x86_64-x86_32.tap)
#   make test-hostile-board [BOARD=]   one board
#   make bench-hostile                 both, then the victims' round trips per hostile phase
#                                      into docs/PERFORMANCE.md (tools/bench-hostile.sh)
# HOSTILE_SEED=<n> repeats a run's random phases (each run prints its seed).

.PHONY: test-hostile test-hostile-board bench-hostile
HOSTILE_BOARDS := qemu-virt-arm64 qemu-x86_64

# Each board runs even if the one before failed; the status says whether any did.
test-hostile:
	$(Q)status=0; for b in $(HOSTILE_BOARDS); do \
	    $(MAKE) --no-print-directory test-hostile-board BOARD=$$b || status=1; \
	done; exit $$status

bench-hostile:
	$(Q)$(MAKE) --no-print-directory test-hostile || true
	$(Q)tools/bench-hostile.sh $(RESULTS) docs/PERFORMANCE.md $(HOSTILE_BOARDS)

ifeq ($(ARCH),arm)
HOSTILE_IMAGE := $(BUILD)/minixen.bin
HOSTILE_GUEST_TARGET := guest-arm64
HOSTILE_GUEST := build/guest/arm64/xtest.bin
else ifeq ($(ARCH),x86)
HOSTILE_IMAGE := $(BUILD)/minixen
HOSTILE_GUEST_TARGET := guest-x86_64 guest-i386
HOSTILE_GUEST := build/guest/x86_64/xtest.elf
HOSTILE_GUEST32 := build/guest/i386/xtest.elf
endif

ifneq ($(HOSTILE_IMAGE),)
test-hostile-board: $(HOSTILE_IMAGE)
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) $(HOSTILE_GUEST_TARGET) >/dev/null
	$(Q)status=0; tests/system/hostile-test.sh $(BOARD) $(HOSTILE_IMAGE) $(RESULTS) \
	    $(HOSTILE_GUEST) || status=1; \
	if [ -n "$(HOSTILE_GUEST32)" ]; then \
	    tests/system/hostile-test.sh $(BOARD) $(HOSTILE_IMAGE) $(RESULTS) $(HOSTILE_GUEST32) \
	        $(BOARD)-x86_32 || status=1; \
	fi; exit $$status
else
test-hostile-board:
	@echo "$(BOARD): no hostile suite for the $(ARCH) port" >&2; exit 1
endif
