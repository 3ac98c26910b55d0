# SPDX-License-Identifier: Apache-2.0
# The in-guest benchmarks (included by the top Makefile).
#
#   make bench        minixen on QEMU virt arm64 (GICv3): -smp 1 under -icount (exact
#                     instruction counts) and -smp 2 wall clock (medians); the table goes
#                     to docs/PERFORMANCE.md. A benchmark, not a test: never in `make test`.
#   make bench-peer   the same on minixen and Xen 4.17 alternately, with ratios, the
#                     targets, a per-function breakdown and docs/bench-peer.png; then
#                     bench-linux (about 10 s more)
#   make bench-peer BOARD=qemu-x86_64
#                     the same on x86_64 against Xen 4.17 amd64 (its own section and
#                     docs/bench-peer-x86.png)
#   make bench-linux  Debian's Linux as dom0 on minixen and on Xen 4.17: time from reset
#                     to /init's first instruction, split at the kernel's first
#                     (tools/bench-linux-boot.sh; its own section of docs/PERFORMANCE.md)
# BENCH_ITERS, BENCH_RUNS, BENCH_PROFILE_ITERS: see tools/bench.sh.

.PHONY: bench bench-peer bench-linux bench-images

# Always the default board: the figures are those of the arm64 GICv3 machine.
bench-images:
	$(Q)$(MAKE) --no-print-directory BOARD=qemu-virt-arm64 all
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-arm64 >/dev/null

ifeq ($(ARCH),x86)
# BOARD=qemu-x86_64: the same rows on the x86_64 port, beside the arm64 ones (its own section).
bench:
	$(Q)$(MAKE) --no-print-directory BOARD=qemu-x86_64 all
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-x86_64 >/dev/null
	$(Q)tools/bench.sh minixen-x86
else
bench: bench-images
	$(Q)tools/bench.sh minixen
endif

ifeq ($(ARCH),x86)
bench-peer:
	$(Q)$(MAKE) --no-print-directory BOARD=qemu-x86_64 all
	$(Q)$(MAKE) --no-print-directory -f tests/guest/guest.mk Q=$(Q) guest-x86_64 >/dev/null
	$(Q)[ -f build/xen-4.17/xen-4.17-amd64 ] || tools/fetch-xen.sh --amd64 build/xen-4.17
	$(Q)tools/bench.sh peer-x86
else
bench-peer: bench-images
	$(Q)[ -f build/xen-4.17/xen-4.17-arm64 ] || tools/fetch-xen.sh build/xen-4.17
	$(Q)tools/bench.sh peer
	$(Q)tools/bench-linux-boot.sh
endif

bench-linux:
	$(Q)$(MAKE) --no-print-directory BOARD=qemu-virt-arm64 all
	$(Q)tools/bench-linux-boot.sh
