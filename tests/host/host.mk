# SPDX-License-Identifier: Apache-2.0
# Host tier: the event core (all of xen/common) built as Linux programs against the host
# harness (tests/host/arch_host.c, harness.c) and the guest models (tests/host/guest_*.c).
#
#   test-unit      every tests/host/test_*.c as its own cmocka program, native (gcc) and
#                  aarch64 (cross gcc, run under qemu-aarch64), the latter twice: with the
#                  LSE atomics qemu's CPU has, and forced onto the bounded LL/SC path
#   test-sanitize  the same programs under clang ASan+UBSan, and under TSan
#   fuzz, fuzz-ci  libFuzzer over EVTCHNOP and the whole hypercall table (FUZZ_SECONDS;
#                  fuzz-ci is short)
#   coverage       gcc --coverage line+branch report of xen/common/events
#   bench-core     the event core benchmark -> docs/PERFORMANCE.md (not a test)
#
# Every suite writes TAP under $(RESULTS). Objects go to $(BUILD_ROOT)/host/<variant>/.

HOST_DIR     := $(BUILD_ROOT)/host
HOST_JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# Seconds one test program may run before it counts as hung (qemu and TSan are slow).
HOST_TEST_TIMEOUT ?= 300
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 25

# All of xen/common, less the files whose symbols libc provides on the host.
HOST_LIBC_PROVIDED := xen/common/lib/string.c xen/common/heap.c
HOST_XEN_SRCS  := $(filter-out $(HOST_LIBC_PROVIDED),$(sort $(shell find xen/common -name '*.c')))
HOST_HARNESS_SRCS := tests/host/arch_host.c tests/host/harness.c \
                     $(sort $(wildcard tests/host/guest_*.c))
HOST_LIB_SRCS  := $(HOST_XEN_SRCS) $(HOST_HARNESS_SRCS)
HOST_TESTS     := $(sort $(basename $(notdir $(wildcard tests/host/test_*.c))))

# The host's own arch picks which port's guest atomics the native builds use.
HOST_UNAME     := $(shell uname -m)
HOST_ASM_x86_64  := x86
HOST_ASM_aarch64 := arm
HOST_ASM       := $(HOST_ASM_$(HOST_UNAME))

HOST_WARN      := -std=c11 -Wall -Wextra -Werror -g -D_GNU_SOURCE -Ixen/include -Itests/host \
                  -MMD -MP
HOST_SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1 \
                  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

# cmocka for arm64 is not installed by the host's packages: Debian's arm64 .debs, unpacked.
HOST_CMOCKA_ARM64 := $(HOST_DIR)/cmocka-arm64
HOST_CMOCKA_ARM64_STAMP := $(HOST_CMOCKA_ARM64)/.stamp
HOST_CMOCKA_ARM64_LIB := $(abspath $(HOST_CMOCKA_ARM64))/usr/lib/aarch64-linux-gnu
QEMU_AARCH64   := qemu-aarch64 -L /usr/aarch64-linux-gnu

# ---- Variants: compiler, flags, how to run -------------------------------------------------
# native   gcc, the host arch's atomics
# aarch64  aarch64-linux-gnu-gcc, arm64 atomics (LSE and LL/SC), run under qemu-aarch64
# asan     clang ASan+UBSan        tsan   clang TSan
# cov      gcc --coverage          fuzz   clang libFuzzer+ASan+UBSan    bench  gcc -O2

HOST_CC_native    := gcc
HOST_CFLAGS_native := $(HOST_WARN) -O2 -Ixen/arch/$(HOST_ASM)/include
HOST_LIBS_native  := -lcmocka -lpthread

HOST_CC_aarch64   := aarch64-linux-gnu-gcc
HOST_CFLAGS_aarch64 := $(HOST_WARN) -O2 -Ixen/arch/arm/include \
                       -I$(HOST_CMOCKA_ARM64)/usr/include
HOST_LIBS_aarch64 := -L$(HOST_CMOCKA_ARM64_LIB) -Wl,-rpath,$(HOST_CMOCKA_ARM64_LIB) \
                     -lcmocka -lpthread

HOST_SAN_FLAGS_asan := -fsanitize=address,undefined -fno-sanitize-recover=all \
                       -fno-omit-frame-pointer
HOST_CC_asan      := clang
HOST_CFLAGS_asan  := $(HOST_WARN) -O1 -Ixen/arch/$(HOST_ASM)/include $(HOST_SAN_FLAGS_asan)
HOST_LIBS_asan    := $(HOST_SAN_FLAGS_asan) -lcmocka -lpthread

HOST_CC_tsan      := clang
HOST_CFLAGS_tsan  := $(HOST_WARN) -O1 -Ixen/arch/$(HOST_ASM)/include -fsanitize=thread
HOST_LIBS_tsan    := -fsanitize=thread -lcmocka -lpthread

HOST_CC_cov       := gcc
HOST_CFLAGS_cov   := $(HOST_WARN) -O0 -Ixen/arch/$(HOST_ASM)/include --coverage \
                     -fprofile-update=atomic
HOST_LIBS_cov     := --coverage -lcmocka -lpthread

HOST_FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CC_fuzz      := clang
HOST_CFLAGS_fuzz  := $(HOST_WARN) -O1 -Ixen/arch/$(HOST_ASM)/include -fsanitize=fuzzer-no-link \
                     $(HOST_FUZZ_SAN) -fno-omit-frame-pointer
HOST_LIBS_fuzz    := -fsanitize=fuzzer $(HOST_FUZZ_SAN) -lpthread

HOST_CC_bench     := gcc
HOST_CFLAGS_bench := $(HOST_WARN) -O2 -DNDEBUG -Ixen/arch/$(HOST_ASM)/include
HOST_LIBS_bench   := -lpthread

HOST_VARIANTS := native aarch64 asan tsan cov fuzz bench

# $(call host_variant,V): objects, the harness+core archive and the test programs of V.
define host_variant
HOST_LIB_OBJS_$(1) := $$(HOST_LIB_SRCS:%.c=$(HOST_DIR)/$(1)/%.o)
HOST_LIB_$(1)      := $(HOST_DIR)/$(1)/libminixen-host.a
HOST_PROGS_$(1)    := $$(HOST_TESTS:%=$(HOST_DIR)/$(1)/%)

$(HOST_DIR)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC [$(1)] $$<"
	$$(Q)$$(HOST_CC_$(1)) $$(HOST_CFLAGS_$(1)) -c $$< -o $$@

$$(HOST_LIB_$(1)): $$(HOST_LIB_OBJS_$(1))
	$$(Q)rm -f $$@ && ar rcs $$@ $$^

$(HOST_DIR)/$(1)/test_%: $(HOST_DIR)/$(1)/tests/host/test_%.o $$(HOST_LIB_$(1))
	@echo "  LD [$(1)] $$@"
	$$(Q)$$(HOST_CC_$(1)) -o $$@ $$^ $$(HOST_LIBS_$(1))

-include $$(wildcard $(HOST_DIR)/$(1)/xen/*/*.d $(HOST_DIR)/$(1)/xen/*/*/*.d \
                      $(HOST_DIR)/$(1)/tests/host/*.d)
endef
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_variant,$(v))))

# test_boot_config carries the DTBs of tests/host/boot_config/*.dts (compiled by dtc) in a
# generated header, so the same program runs natively and under qemu-aarch64.
# test_serial likewise carries tests/host/serial_dt/*.dts.
# $(call host_dtbs,TEST,DIR): DIR's DTs as $(HOST_DIR)/gen/DIR_dtbs.h, included by TEST.
# $(call host_dtbs_use,TEST,DIR): another TEST that includes DIR's header.
define host_dtbs
$(HOST_DIR)/gen/$(2)_dtbs.h: $(sort $(wildcard tests/host/$(2)/*.dts tests/host/$(2)/*.dtsi)) \
                             tests/host/dtbs-to-c.sh
	@mkdir -p $$(dir $$@)
	$$(Q)tests/host/dtbs-to-c.sh $$@ $$(sort $$(wildcard tests/host/$(2)/*.dts))
$(call host_dtbs_use,$(1),$(2))
endef
define host_dtbs_use
$(foreach v,$(HOST_VARIANTS),$(HOST_DIR)/$(v)/tests/host/$(1).o): $(HOST_DIR)/gen/$(2)_dtbs.h
$(foreach v,$(HOST_VARIANTS),$(eval $(HOST_DIR)/$(v)/tests/host/$(1).o: \
    HOST_CFLAGS_$(v) += -I$(HOST_DIR)/gen))
endef
$(eval $(call host_dtbs,test_boot_config,boot_config))

# Tests that drive port or driver code directly link those sources into their program and
# compile them (and the test) with another include path in place of the host's arch
# headers: $(call host_port_test,VARIANT,TEST,SOURCES,INCLUDE-DIR).
define host_port_test
$(3:%.c=$(HOST_DIR)/$(1)/%.o) $(HOST_DIR)/$(1)/tests/host/$(2).o: \
    HOST_CFLAGS_$(1) := $$(filter-out -Ixen/arch/%/include,$$(HOST_CFLAGS_$(1))) -I$(4)
$(HOST_DIR)/$(1)/$(2): $(HOST_DIR)/$(1)/tests/host/$(2).o $(3:%.c=$(HOST_DIR)/$(1)/%.o) \
    $$(HOST_LIB_$(1))
	@echo "  LD [$(1)] $$@"
	$$(Q)$$(HOST_CC_$(1)) -o $$@ $$^ $$(HOST_LIBS_$(1))
endef
# test_vgic: the ARM vGIC through a fake list-register back end.
# test_vtrap: the ARM port's trapped-register views (debug, PMU, AArch32 coprocessor).
# test_vpl011: the ARM port's emulated SBSA UART through its MMIO handler (fake vGIC).
# test_hwdom_plan: which host DT nodes the ARM hardware domain gets (tests/host/host_dt).
# test_rtc_cmos: the x86 CMOS RTC driver against a fake chip (tests/host/fake_pc's
# <asm/setup.h> turns port I/O into calls to the fake).
# test_acpi_aml: the x86 port's \_S5 scan of ACPI byte code (plain bytes in, no hardware).
# test_guest_acpi: the ACPI tables a PVH domain is given (checksums, pointers, MADT).
# test_npt: the x86 nested tables: one page set, cleared, queried; the wait for vCPUs on the
# old translation; the reset for a rebooting domain (tables only, no hardware).
# test_x86_policy: the x86 guest CPU policies (CPUID filter, CR4 checks, MSRs), pure code.
# test_x87_rebuild: the x86 vCPU switch's x87 shortcut, on the build machine's CPU.
# test_mmio: the x86 instruction decoder (MMIO, MOV to CR, string I/O address size) and the
# virtual I/O APIC's registers.
# test_serial: the console UART drivers on fake registers and a fake I/O port space, with
# a board UART of COM1 (serial.c takes board.mk's UART as these three definitions).
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_vgic,\
    xen/arch/arm/vgic.c xen/arch/arm/vgic_v2.c xen/arch/arm/vgic_v3.c,xen/arch/arm/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_vtrap,\
    xen/arch/arm/vdebug.c xen/arch/arm/vcp32.c xen/arch/arm/guest_insn.c,xen/arch/arm/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_vpl011,\
    xen/arch/arm/vpl011.c,xen/arch/arm/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_hwdom_plan,\
    xen/arch/arm/hwdom_plan.c xen/arch/arm/hwdom_pci.c,xen/arch/arm/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_rtc_cmos,\
    xen/drivers/rtc/cmos.c,tests/host/fake_pc)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_acpi_aml,\
    xen/arch/x86/acpi_aml.c,xen/arch/x86/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_guest_acpi,\
    xen/arch/x86/guest_acpi.c,xen/arch/x86/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_npt,\
    xen/arch/x86/npt.c,xen/arch/x86/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_x86_policy,\
    xen/arch/x86/cpuid_policy.c xen/arch/x86/msr_policy.c,xen/arch/x86/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_x87_rebuild,,\
    xen/arch/x86/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_mmio,\
    xen/arch/x86/mmio_decode.c xen/arch/x86/vioapic.c,xen/arch/x86/include)))
HOST_SERIAL_SRCS := $(sort $(wildcard xen/drivers/char/*.c))
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_serial,\
    $(HOST_SERIAL_SRCS),tests/host)))
$(foreach v,$(HOST_VARIANTS),$(eval $(HOST_DIR)/$(v)/xen/drivers/char/serial.o: \
    HOST_CFLAGS_$(v) += -DBOARD_UART_DRIVER='"ns16550"' -DBOARD_UART_BASE=0x3f8 -DBOARD_UART_IO=1))
# test_rpi4_dt: the Raspberry Pi 4's real DT through the host DT walk, the console choice
# and dom0's plan: hostdt.c and the plan's sources with the port's headers, and the console
# drivers as test_serial builds them. The DT is fetched (never committed: Debian's kernel
# package has it) and edited as the board's boot does, by tests/host/rpi4-dtbs.sh, which
# runs on every build (a fetch that failed may work now) and rewrites the header only
# when it changes.
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_port_test,$(v),test_rpi4_dt,\
    xen/arch/arm/hostdt.c xen/arch/arm/hwdom_plan.c xen/arch/arm/hwdom_pci.c,xen/arch/arm/include)))
$(foreach v,$(HOST_VARIANTS),$(eval $(HOST_DIR)/$(v)/test_rpi4_dt: \
    $(HOST_SERIAL_SRCS:%.c=$(HOST_DIR)/$(v)/%.o)))
.PHONY: host-rpi4-dtbs
host-rpi4-dtbs:
	$(Q)tests/host/rpi4-dtbs.sh $(HOST_DIR)/gen/rpi4_dtbs.h
$(HOST_DIR)/gen/rpi4_dtbs.h: host-rpi4-dtbs
# (After host_port_test, whose flags for the test's object would drop the include.)
$(eval $(call host_dtbs_use,test_rpi4_dt,rpi4))
$(eval $(call host_dtbs,test_serial,serial_dt))
$(eval $(call host_dtbs,test_guest_dt,host_dt))
$(eval $(call host_dtbs_use,test_hwdom_plan,host_dt))

# The aarch64 objects need cmocka's headers before they compile.
$(HOST_LIB_OBJS_aarch64) $(HOST_TESTS:%=$(HOST_DIR)/aarch64/tests/host/%.o): \
    | $(HOST_CMOCKA_ARM64_STAMP)

$(HOST_CMOCKA_ARM64_STAMP):
	$(Q)tools/fetch-cmocka-arm64.sh $(HOST_CMOCKA_ARM64)

# ---- Running: one TAP file per program and variant ----------------------------------------
#
# $(call host_run,TAPFILE,COMMAND,ENV): run COMMAND with a time limit; stdout (cmocka's TAP)
# to TAPFILE, stderr to TAPFILE's .log. It fails if the program fails, and if a sanitizer
# reported anything even when the program still exited 0. cmocka writes a skipped test as
# "not ok N # SKIP", which TAP readers count as a failure: it is rewritten "ok N # SKIP".
define host_run
rc=0; hr_t0=$$(date +%s); env CMOCKA_MESSAGE_OUTPUT=TAP $(3) timeout -k 10 $(HOST_TEST_TIMEOUT) $(2) \
    >$(1).raw 2>$(1:.tap=.log) || rc=$$?; hr_el=$$(( $$(date +%s) - hr_t0 )); \
sed -e 's/^not ok \([0-9]*\) # SKIP/ok \1 # SKIP/' $(1).raw >$(1); rm -f $(1).raw; \
if grep -qE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY: (Address|Undefined|Thread|Leak)Sanitizer)|runtime error:' \
    $(1:.tap=.log); then rc=99; fi; \
if [ $$rc -ne 0 ]; then \
    echo "  FAIL $(notdir $(1)) ($${hr_el}s, exit $$rc; log: $(1:.tap=.log))"; \
    grep -E '^not ok|^# ' $(1) | head -20; tail -n 30 $(1:.tap=.log); \
else echo "  PASS $(notdir $(1)) ($${hr_el}s)"; fi; \
[ $$rc -eq 0 ]
endef

.PHONY: test-unit test-sanitize fuzz fuzz-ci coverage bench-core host-clean \
        $(HOST_VARIANTS:%=host-progs-%)

# host-build-V builds variant V's test programs (in parallel: the callers below recurse).
host-build-%:
	$(Q)$(MAKE) --no-print-directory -j$(HOST_JOBS) host-progs-$*

$(foreach v,$(HOST_VARIANTS),$(eval host-progs-$(v): $$(HOST_PROGS_$(v)) ; @:))

test-unit:
	$(Q)$(MAKE) --no-print-directory -j$(HOST_JOBS) host-progs-native host-progs-aarch64
	$(Q)mkdir -p $(RESULTS)
	$(Q)status=0; \
	for t in $(HOST_TESTS); do n=$${t#test_}; \
	    $(call host_run,$(RESULTS)/unit-$$n-native.tap,$(HOST_DIR)/native/$$t,) || status=1; \
	    $(call host_run,$(RESULTS)/unit-$$n-aarch64.tap,$(QEMU_AARCH64) $(HOST_DIR)/aarch64/$$t,) \
	        || status=1; \
	    $(call host_run,$(RESULTS)/unit-$$n-aarch64-llsc.tap,$(QEMU_AARCH64) $(HOST_DIR)/aarch64/$$t,MINIXEN_GUEST_ATOMICS=llsc) \
	        || status=1; \
	done; exit $$status

test-sanitize:
	$(Q)$(MAKE) --no-print-directory -j$(HOST_JOBS) host-progs-asan host-progs-tsan
	$(Q)mkdir -p $(RESULTS)
	$(Q)status=0; \
	for t in $(HOST_TESTS); do n=$${t#test_}; \
	    $(call host_run,$(RESULTS)/sanitize-asan-$$n.tap,$(HOST_DIR)/asan/$$t,$(HOST_SAN_ENV)) \
	        || status=1; \
	    $(call host_run,$(RESULTS)/sanitize-tsan-$$n.tap,$(HOST_DIR)/tsan/$$t,$(HOST_SAN_ENV)) \
	        || status=1; \
	done; exit $$status

# ---- Fuzzing -------------------------------------------------------------------------------

HOST_FUZZER := $(HOST_DIR)/fuzz/fuzz_evtchn
HOST_FUZZ_CORPUS := tests/host/fuzz-corpus
HOST_FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

$(HOST_FUZZER): $(HOST_DIR)/fuzz/tests/host/fuzz_evtchn.o $(HOST_LIB_fuzz)
	@echo "  LD [fuzz] $@"
	$(Q)$(HOST_CC_fuzz) -o $@ $^ $(HOST_LIBS_fuzz)

# Work on a copy of the seed corpus: what the fuzzer finds stays under build/.
# $(1) seconds, $(2) run directory.
define host_fuzz
rm -rf $(2) && mkdir -p $(2)/corpus $(2)/artifacts && \
cp $(HOST_FUZZ_CORPUS)/* $(2)/corpus/ 2>/dev/null; \
env $(HOST_FUZZ_ENV) timeout -k 10 $$(($(1) + 120)) $(HOST_FUZZER) -max_total_time=$(1) \
    -timeout=10 -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=$(2)/artifacts/ $(2)/corpus >$(2)/fuzz.log 2>&1
endef

fuzz: $(HOST_FUZZER)
	$(Q)echo "  FUZZ $(FUZZ_SECONDS) s (log: $(HOST_DIR)/fuzz-run/fuzz.log)"
	$(Q)$(call host_fuzz,$(FUZZ_SECONDS),$(HOST_DIR)/fuzz-run); rc=$$?; \
	grep -E '^(stat::|Done|INFO: a corpus)|ERROR|SUMMARY' $(HOST_DIR)/fuzz-run/fuzz.log | tail -20; \
	ls $(HOST_DIR)/fuzz-run/artifacts/; exit $$rc

fuzz-ci: $(HOST_FUZZER)
	$(Q)mkdir -p $(RESULTS)
	$(Q)$(call host_fuzz,$(FUZZ_CI_SECONDS),$(HOST_DIR)/fuzz-ci); rc=$$?; \
	runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(HOST_DIR)/fuzz-ci/fuzz.log); \
	if [ $$rc -eq 0 ] && ! ls $(HOST_DIR)/fuzz-ci/artifacts/* >/dev/null 2>&1; then \
	    printf '1..1\nok 1 - fuzz_evtchn: %s inputs in %s s, no crash, hang or leak\n' \
	        "$$runs" $(FUZZ_CI_SECONDS) >$(RESULTS)/fuzz-ci.tap; echo "  PASS fuzz-ci ($$runs inputs)"; \
	else \
	    printf '1..1\nnot ok 1 - fuzz_evtchn: exit %s, see %s\n' $$rc \
	        $(HOST_DIR)/fuzz-ci/artifacts >$(RESULTS)/fuzz-ci.tap; \
	    echo "  FAIL fuzz-ci"; tail -n 40 $(HOST_DIR)/fuzz-ci/fuzz.log; exit 1; \
	fi

# ---- Coverage ------------------------------------------------------------------------------

coverage:
	$(Q)find $(HOST_DIR)/cov -name '*.gcda' -delete 2>/dev/null; true
	$(Q)$(MAKE) --no-print-directory -j$(HOST_JOBS) host-progs-cov
	$(Q)mkdir -p $(BUILD_ROOT)/coverage
	$(Q)for t in $(HOST_TESTS); do \
	    CMOCKA_MESSAGE_OUTPUT=TAP timeout $(HOST_TEST_TIMEOUT) $(HOST_DIR)/cov/$$t \
	        >$(BUILD_ROOT)/coverage/$$t.tap 2>&1 || echo "  (coverage: $$t failed)"; \
	done
	$(Q)gcovr -r . --object-directory $(HOST_DIR)/cov --filter 'xen/common/events/' \
	    --branches --exclude-unreachable-branches --print-summary \
	    --txt $(BUILD_ROOT)/coverage/coverage.txt \
	    --html-details $(BUILD_ROOT)/coverage/index.html | tail -n 3
	$(Q)gcovr -r . --object-directory $(HOST_DIR)/cov --filter 'xen/common/events/' \
	    --exclude-unreachable-branches --txt - | tail -n +1
	$(Q)echo "  HTML: $(BUILD_ROOT)/coverage/index.html"

# ---- Benchmark -----------------------------------------------------------------------------

HOST_BENCH := $(HOST_DIR)/bench/bench_core

$(HOST_BENCH): $(HOST_DIR)/bench/tests/host/bench_core.o $(HOST_LIB_bench)
	@echo "  LD [bench] $@"
	$(Q)$(HOST_CC_bench) -o $@ $^ $(HOST_LIBS_bench)

bench-core: $(HOST_BENCH)
	$(Q)tools/bench-core.sh $(HOST_BENCH)

host-clean:
	$(Q)rm -rf $(HOST_DIR)

# Keep the test objects make builds on the way to a program (they are not "intermediate").
.SECONDARY: $(foreach v,$(HOST_VARIANTS),$(HOST_TESTS:%=$(HOST_DIR)/$(v)/tests/host/%.o) \
                $(HOST_DIR)/$(v)/tests/host/fuzz_evtchn.o $(HOST_DIR)/$(v)/tests/host/bench_core.o)
