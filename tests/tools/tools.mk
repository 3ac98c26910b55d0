# SPDX-License-Identifier: Apache-2.0
# make test-tools: self-tests of the host tools under tools/ that need no QEMU (included by
# the top Makefile; part of `make test`): tools/uboot-script-gen: configurations over
# fake files, the addresses and device-tree lines it writes, its errors
# (tests/tools/uboot-script-gen-test.sh; TAP in $(RESULTS)/tools-uboot-script-gen.tap);
# BOARD=rpi4, which no QEMU runs: its image, and the SD card's boot partition and image
# tools/rpi4-sd-layout assembles from Debian's U-Boot, BL31 and DT, its boot script's
# addresses (tests/tools/rpi4-sd-test.sh; TAP in $(RESULTS)/tools-rpi4-sd.tap).

RESULTS ?= build/test-results

.PHONY: test-tools

test-tools:
	$(Q)mkdir -p $(RESULTS)
	$(Q)status=0; \
	tests/tools/uboot-script-gen-test.sh $(RESULTS)/tools-uboot-script-gen.tap || status=1; \
	tests/tools/rpi4-sd-test.sh $(RESULTS)/tools-rpi4-sd.tap || status=1; \
	exit $$status
