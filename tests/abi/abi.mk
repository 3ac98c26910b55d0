# SPDX-License-Identifier: Apache-2.0
# make check-abi: public struct layouts on i386, x86_64, arm32 and arm64 against Xen's: the
# hand-written table (tests/abi/expected) and Xen 4.17's own headers (fetched into the build
# tree; a failed fetch is a failed check).
# Included by the top-level Makefile; also works alone:
#   make -f tests/abi/abi.mk check-abi
# Results: $(BUILD_ROOT)/abi/ (probe sources, objects, DWARF dumps, abi-layout.md) and
# $(BUILD_ROOT)/test-results/check-abi.tap. ABI_FLAGS=--quiet hides the layout tables.

Q ?= @
BUILD_ROOT ?= build
PYTHON ?= python3

ABI_DIR   := tests/abi
ABI_OUT   := $(BUILD_ROOT)/abi
ABI_TAP   := $(BUILD_ROOT)/test-results/check-abi.tap
ABI_FLAGS ?=
# Xen 4.17's own public headers (Debian's libxen-dev), fetched by the tool when missing.
ABI_XEN   := $(BUILD_ROOT)/xen-4.17
ABI_TOOL  = $(PYTHON) $(ABI_DIR)/abi_check.py --include xen/include --out $(ABI_OUT) \
            --tap $(ABI_TAP) --doc docs/abi-layout.md \
            --xen $(ABI_XEN) --xen-fetch tools/fetch-xen-headers.sh

.PHONY: check-abi abi-doc

# The tool exits non-zero on any failed check. It also (re)writes docs/abi-layout.md, the
# readable report, so a header change shows up there as a diff to review and commit; on a
# clean tree whose report is current, the file is left byte-for-byte as it is.
check-abi:
	$(Q)$(ABI_TOOL) --update-doc $(ABI_FLAGS)

# Only the report, without failing on checks.
abi-doc:
	$(Q)$(ABI_TOOL) --quiet --update-doc
