# SPDX-License-Identifier: Apache-2.0
# Real Xen 4.17 as the oracle (issue 6): the conformance guest as dom0 with a dom0less
# peer domain joined by static event channels, on GICv3 and on GICv2 (2 vCPUs each), once
# as its arm64 build and once as its arm32 one (every domain AArch32); then
# Debian's arm64 and armhf (32-bit) Linux as a dom0less domU on Xen's vPL011
# (tests/system/arm/linux-test.sh) and Linux as dom0 beside a Linux domU sharing a page
# (linux-pair-test.sh), as `make test-linux-arm` runs them on minixen (on Xen on the GICv3
# board only, PEER_LINUX_BOARDS). Xen comes from Debian's package
# (tools/fetch-xen.sh, cached under build/xen-4.17/).
#
#   make test-peer-xen    TAP in $(RESULTS)/peer-xen{,-arm32}-gicv{3,2}-d{0,1}.tap,
#                         $(RESULTS)/peer-xen-linux-<board>.tap, peer-xen-linux-pair-<board>.tap,
#                         and test-peer-xen-uboot's
#   make test-peer-xen-uboot   the U-Boot script tools/uboot-script-gen makes from a board's
#                         imagebuilder-test.cfg, XEN= naming Xen 4.17, boots Xen with the
#                         guest as dom0 and the dom0less domU0 (tests/peer/xen-uboot-test.sh;
#                         one boot of ~10 s per board; SKIPs if Xen cannot be fetched):
#                         $(RESULTS)/peer-xen-uboot-<board>.tap
#   make bench-peer-xen   the benchmark role on Xen; BENCH lines in build/peer-xen/bench-*.log

RESULTS ?= build/test-results
PEER_XEN_DIR := build/xen-4.17
PEER_XEN := $(PEER_XEN_DIR)/xen-4.17-arm64
PEER_OUT := build/peer-xen
PEER_GUEST := build/guest/arm64/xtest.bin
PEER_GUEST32 := build/guest/arm32/xtest.zimage # the same suite as AArch32 domains

.PHONY: test-peer-xen test-peer-xen-uboot bench-peer-xen
PEER_UBOOT_BOARDS := qemu-virt-arm64 qemu-virt-arm64-gicv2
# The Linux tests on Xen check what they assert of Linux, not Xen's two GIC drivers: one
# board (GICv3) keeps make test inside its time (minixen runs them on both).
PEER_LINUX_BOARDS ?= qemu-virt-arm64

$(PEER_XEN):
	$(Q)tools/fetch-xen.sh $(PEER_XEN_DIR)

# Each configuration boots Xen once (~15 s); a domain that does not finish leaves a TAP
# file without a plan, which tools/tap-summary.sh counts as a failure. The AArch32 runs get
# a CPU per vCPU (dom0's 2 and the peer's; xen-run.sh --cpus): sharing one, QEMU's TCG
# sometimes loses an AArch32 vCPU's banked SPSR and the guest takes a wild exception
# (seen as "unexpected exception" kind 0 in about one run in five under load).
test-peer-xen: $(PEER_GUEST) $(PEER_GUEST32) $(PEER_XEN)
	$(Q)mkdir -p $(RESULTS) $(PEER_OUT)/results && rm -f $(RESULTS)/peer-xen-*.tap $(PEER_OUT)/results/*.tap
	$(Q)for gic in 3 2; do \
	    for run in "peer-xen-gicv$$gic $(PEER_GUEST) 2" "peer-xen-arm32-gicv$$gic $(PEER_GUEST32) 3"; do \
	        set -- $$run; \
	        tests/peer/xen-run.sh $$1 $(PEER_OUT) $(PEER_XEN) $$2 --peer --smp 2 --cpus $$3 \
	            --gic $$gic --timeout 120 || true; \
	        cp $(PEER_OUT)/$$1-d0.tap $(PEER_OUT)/$$1-d1.tap $(PEER_OUT)/results/; \
	    done; \
	done
	$(Q)for b in $(PEER_LINUX_BOARDS); do for a in arm64 armhf; do \
	    LINUX_ARCH=$$a tests/system/arm/linux-test.sh $$b $(PEER_XEN) $(PEER_OUT)/results \
	        $(PEER_GUEST) xen >/dev/null || true; \
	    LINUX_ARCH=$$a tests/system/arm/linux-pair-test.sh $$b $(PEER_XEN) $(PEER_OUT)/results \
	        xen >/dev/null || true; \
	done; done
	$(Q)for b in $(PEER_UBOOT_BOARDS); do \
	    tests/peer/xen-uboot-test.sh $$b $(PEER_XEN) $(PEER_GUEST) $(PEER_OUT)/results >/dev/null || true; \
	done; cp $(PEER_OUT)/results/*.tap $(RESULTS)/; tools/tap-summary.sh $(PEER_OUT)/results

# Alone: a Xen that cannot be fetched makes the results SKIPs, not a failed build.
test-peer-xen-uboot: $(PEER_GUEST)
	$(Q)[ -s $(PEER_XEN) ] || tools/fetch-xen.sh $(PEER_XEN_DIR) || true
	$(Q)status=0; for b in $(PEER_UBOOT_BOARDS); do \
	    tests/peer/xen-uboot-test.sh $$b $(PEER_XEN) $(PEER_GUEST) $(RESULTS) || status=1; \
	done; exit $$status

# One CPU under -icount (figures count emulated instructions and repeat exactly), then two
# CPUs in wall-clock time (cross-CPU figures; noisy, take medians of several runs).
bench-peer-xen: $(PEER_GUEST) $(PEER_XEN)
	$(Q)tests/peer/xen-run.sh bench-icount $(PEER_OUT) $(PEER_XEN) $(PEER_GUEST) --peer --smp 1 \
	    --icount --main-args "role=bench iters=$(or $(BENCH_ITERS),1000)" --timeout 300
	$(Q)tests/peer/xen-run.sh bench-smp2 $(PEER_OUT) $(PEER_XEN) $(PEER_GUEST) --peer --smp 2 \
	    --main-args "role=bench iters=$(or $(BENCH_ITERS),1000)" --timeout 300
	$(Q)for r in icount smp2; do echo "== $$r"; grep -a '^BENCH' $(PEER_OUT)/bench-$$r.log; done

# Xen 4.17 amd64 (tools/fetch-xen.sh --amd64) with the guest as a PVH dom0, once as the
# x86_64 build and once as the i386 one (a 32-bit PVH domain: Xen latches its width)
# (tests/peer/xen-run-x86.sh; Xen 4.17 has no dom0less on x86, so no peer: the
# interdomain area is skipped). Two boots, ~5 s each; part of `make test`. Where Xen on x86
# answers differently from Xen on Arm, the suite accepts each measured answer and names it
# (tests/guest/README.md, docs/x86.md).
#
#   make test-peer-xen-x86   TAP in $(RESULTS)/peer-xen-x86-d0.tap and peer-xen-x86_32-d0.tap
PEER_XEN_X86 := $(PEER_XEN_DIR)/xen-4.17-amd64
PEER_GUEST_X86 := build/guest/x86_64/xtest.elf
PEER_GUEST_X86_32 := build/guest/i386/xtest.elf

.PHONY: test-peer-xen-x86

$(PEER_XEN_X86):
	$(Q)tools/fetch-xen.sh --amd64 $(PEER_XEN_DIR)

test-peer-xen-x86: $(PEER_GUEST_X86) $(PEER_GUEST_X86_32) $(PEER_XEN_X86)
	$(Q)mkdir -p $(RESULTS) $(PEER_OUT)/results-x86 && rm -f $(PEER_OUT)/results-x86/*.tap
	$(Q)for run in "peer-xen-x86 $(PEER_GUEST_X86)" "peer-xen-x86_32 $(PEER_GUEST_X86_32)"; do \
	    set -- $$run; \
	    tests/peer/xen-run-x86.sh $$1 $(PEER_OUT) $(PEER_XEN_X86) $$2 --smp 2 --timeout 120; \
	    cp $(PEER_OUT)/$$1-d0.tap $(PEER_OUT)/results-x86/ && cp $(PEER_OUT)/$$1-d0.tap $(RESULTS)/; \
	done
	$(Q)tools/tap-summary.sh $(PEER_OUT)/results-x86
