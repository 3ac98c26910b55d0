# SPDX-License-Identifier: Apache-2.0
# make test-tools: self-tests of the host tools under tools/ that need no QEMU (included by
# the top Makefile; part of `make test`). So far tools/uboot-script-gen: configurations over
# fake files, the addresses and device-tree lines it writes, its errors
# (tests/tools/uboot-script-gen-test.sh). TAP in $(RESULTS)/tools-uboot-script-gen.tap.

RESULTS ?= build/test-results

.PHONY: test-tools

test-tools:
	$(Q)mkdir -p $(RESULTS)
	$(Q)tests/tools/uboot-script-gen-test.sh $(RESULTS)/tools-uboot-script-gen.tap
