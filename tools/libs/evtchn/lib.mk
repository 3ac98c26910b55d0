# SPDX-License-Identifier: Apache-2.0
# libxenevtchn (issue #17; docs/libxenevtchn.md), included by the top Makefile.
#
#   libevtchn            the host library: build/libxenevtchn/native/libxenevtchn.so.1
#                        (+ libxenevtchn.so link) and libxenevtchn.a, with the emu backend
#                        when tools/libs/evtchn/emu/emu.mk provides it, the example and tests
#   libevtchn-aarch64    static library, example and API test for arm64 Linux guests
#   libevtchn-armhf      the same for armhf (32-bit) Linux guests; both without emu
#   test-libevtchn       the host tests with the emu backend, and the binary-compatibility
#                        check against Debian's Xen 4.17 libxenevtchn; TAP in
#                        $(RESULTS)/libevtchn-*.tap
#
# LIBEVTCHN_NO_EMU=1 leaves the emulation out of the host library too (-DMINIXEN_EVTCHN_NO_EMU).

LIBEVTCHN_SRC  := tools/libs/evtchn
LIBEVTCHN_DIR  := $(BUILD_ROOT)/libxenevtchn
# <xen/event_channel.h>, which xenevtchn.h includes, is minixen's own public header: this
# directory's xen/ is a link to xen/include/public.
LIBEVTCHN_INC  := $(LIBEVTCHN_DIR)/include
LIBEVTCHN_INC_STAMP := $(LIBEVTCHN_INC)/xen/event_channel.h

# The emu backend's helper says which sources it needs (LIBEVTCHN_EMU_SRCS, with xen/common
# ones), their extra flags (LIBEVTCHN_EMU_CFLAGS) and libraries (LIBEVTCHN_EMU_LIBS).
-include $(LIBEVTCHN_SRC)/emu/emu.mk
ifeq ($(LIBEVTCHN_NO_EMU),1)
LIBEVTCHN_EMU_SRCS :=
endif

LIBEVTCHN_SRCS := $(LIBEVTCHN_SRC)/api.c $(LIBEVTCHN_SRC)/backend_linux.c
LIBEVTCHN_TESTS := $(sort $(basename $(notdir $(wildcard $(LIBEVTCHN_SRC)/tests/test_*.c))))
LIBEVTCHN_WARN := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP
LIBEVTCHN_LIB_CFLAGS := $(LIBEVTCHN_WARN) -O2 -g -fvisibility=hidden -I$(LIBEVTCHN_SRC) \
                        -I$(LIBEVTCHN_SRC)/include -I$(LIBEVTCHN_INC)
# Programs see only the public header, as any user's would.
LIBEVTCHN_PROG_CFLAGS := $(LIBEVTCHN_WARN) -O2 -g -I$(LIBEVTCHN_SRC)/include -I$(LIBEVTCHN_INC)

# ---- Variants ------------------------------------------------------------------------------
# native   the host's gcc, shared + static, with emu (if any); tests use the host's cmocka
# aarch64  aarch64-linux-gnu-gcc, static only, linux backend only, static programs
# armhf    arm-linux-gnueabihf-gcc, the same
LIBEVTCHN_CC_native  := gcc
LIBEVTCHN_CC_aarch64 := aarch64-linux-gnu-gcc
LIBEVTCHN_CC_armhf   := arm-linux-gnueabihf-gcc
LIBEVTCHN_EMU_native := $(LIBEVTCHN_EMU_SRCS)
LIBEVTCHN_NOEMU_native := $(if $(LIBEVTCHN_EMU_SRCS),,-DMINIXEN_EVTCHN_NO_EMU)
LIBEVTCHN_NOEMU_aarch64 := -DMINIXEN_EVTCHN_NO_EMU
LIBEVTCHN_NOEMU_armhf := -DMINIXEN_EVTCHN_NO_EMU
LIBEVTCHN_LDLIBS_native := $(LIBEVTCHN_EMU_LIBS) -lpthread
# The guests' programs are static and have no cmocka: tests/mini_cmocka.h stands in.
LIBEVTCHN_PROG_EXTRA_native :=
LIBEVTCHN_PROG_EXTRA_aarch64 := -static -DLIBEVTCHN_MINI_CMOCKA -I$(LIBEVTCHN_SRC)/tests
LIBEVTCHN_PROG_EXTRA_armhf := $(LIBEVTCHN_PROG_EXTRA_aarch64)
LIBEVTCHN_TEST_LIBS_native := -lcmocka

$(LIBEVTCHN_INC_STAMP):
	@mkdir -p $(LIBEVTCHN_INC)
	$(Q)ln -sfn $(abspath xen/include/public) $(LIBEVTCHN_INC)/xen

# $(call libevtchn_variant,V)
define libevtchn_variant
LIBEVTCHN_OBJS_$(1) := $$(LIBEVTCHN_SRCS:%.c=$(LIBEVTCHN_DIR)/$(1)/obj/%.o) \
                       $$(LIBEVTCHN_EMU_$(1):%.c=$(LIBEVTCHN_DIR)/$(1)/obj/%.o)
LIBEVTCHN_A_$(1)     := $(LIBEVTCHN_DIR)/$(1)/libxenevtchn.a
LIBEVTCHN_PROGS_$(1) := $(LIBEVTCHN_DIR)/$(1)/evtchn-pingpong \
                        $$(LIBEVTCHN_TESTS:%=$(LIBEVTCHN_DIR)/$(1)/%)

# What the objects are compiled with changes when emu.mk appears or LIBEVTCHN_NO_EMU does:
# this file is rewritten only then (its date the objects' prerequisite).
LIBEVTCHN_FLAGS_$(1) := $$(LIBEVTCHN_NOEMU_$(1)) $$(LIBEVTCHN_EMU_$(1)) $$(LIBEVTCHN_EMU_CFLAGS)
$(LIBEVTCHN_DIR)/$(1)/.flags: FORCE
	@mkdir -p $$(dir $$@)
	$$(Q)echo '$$(LIBEVTCHN_FLAGS_$(1))' | cmp -s - $$@ || echo '$$(LIBEVTCHN_FLAGS_$(1))' >$$@

$(LIBEVTCHN_DIR)/$(1)/obj/%.o: %.c $(LIBEVTCHN_DIR)/$(1)/.flags | $(LIBEVTCHN_INC_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC [libevtchn-$(1)] $$<"
	$$(Q)$$(LIBEVTCHN_CC_$(1)) $$(if $$(filter $$<,$$(LIBEVTCHN_EMU_$(1))),$$(LIBEVTCHN_EMU_CFLAGS)) \
	    $$(LIBEVTCHN_LIB_CFLAGS) -fPIC $$(LIBEVTCHN_NOEMU_$(1)) -c $$< -o $$@

# One relocatable object with every hidden symbol made local, then archived: a program
# linking the static library sees the API only, never the event core's globals (printk,
# domain_create, ...), as the shared library's users do.
$$(LIBEVTCHN_A_$(1)): $$(LIBEVTCHN_OBJS_$(1))
	$$(Q)rm -f $$@ $$@.o && $$(LIBEVTCHN_CC_$(1)) -r -nostdlib -o $$@.o $$^ && \
	    $$(LIBEVTCHN_CC_$(1):gcc=objcopy) --localize-hidden $$@.o && \
	    $$(LIBEVTCHN_CC_$(1):gcc=ar) rcs $$@ $$@.o && rm -f $$@.o

$(LIBEVTCHN_DIR)/$(1)/evtchn-pingpong: $(LIBEVTCHN_SRC)/examples/evtchn-pingpong.c \
    $$(LIBEVTCHN_A_$(1)) | $(LIBEVTCHN_INC_STAMP)
	@echo "  LD [libevtchn-$(1)] $$@"
	$$(Q)$$(LIBEVTCHN_CC_$(1)) $$(LIBEVTCHN_PROG_CFLAGS) $$(LIBEVTCHN_PROG_EXTRA_$(1)) -o $$@ \
	    $$< $$(LIBEVTCHN_A_$(1)) $$(LIBEVTCHN_LDLIBS_$(1))

$(LIBEVTCHN_DIR)/$(1)/test_%: $(LIBEVTCHN_SRC)/tests/test_%.c $$(LIBEVTCHN_A_$(1)) \
    | $(LIBEVTCHN_INC_STAMP)
	@echo "  LD [libevtchn-$(1)] $$@"
	$$(Q)$$(LIBEVTCHN_CC_$(1)) $$(LIBEVTCHN_PROG_CFLAGS) $$(LIBEVTCHN_PROG_EXTRA_$(1)) \
	    $$(LIBEVTCHN_NOEMU_$(1)) -o $$@ $$< $$(LIBEVTCHN_A_$(1)) $$(LIBEVTCHN_TEST_LIBS_$(1)) \
	    $$(LIBEVTCHN_LDLIBS_$(1))

-include $$(shell find $(LIBEVTCHN_DIR)/$(1) -name '*.d' 2>/dev/null)
endef
$(foreach v,native aarch64 armhf,$(eval $(call libevtchn_variant,$(v))))

# The host's shared library: soname libxenevtchn.so.1, Xen 4.17's symbol versions, nothing
# else exported (hidden visibility, and the version script's local: *).
LIBEVTCHN_SO := $(LIBEVTCHN_DIR)/native/libxenevtchn.so.1
$(LIBEVTCHN_SO): $(LIBEVTCHN_OBJS_native) $(LIBEVTCHN_SRC)/libxenevtchn.map
	@echo "  LD [libevtchn-native] $@"
	$(Q)gcc -shared -Wl,-soname,libxenevtchn.so.1 \
	    -Wl,--version-script=$(LIBEVTCHN_SRC)/libxenevtchn.map -Wl,-z,defs -o $@ \
	    $(LIBEVTCHN_OBJS_native) $(LIBEVTCHN_LDLIBS_native)
	$(Q)ln -sfn libxenevtchn.so.1 $(LIBEVTCHN_DIR)/native/libxenevtchn.so

.PHONY: libevtchn libevtchn-aarch64 libevtchn-armhf test-libevtchn
FORCE:
libevtchn: $(LIBEVTCHN_SO) $(LIBEVTCHN_A_native) $(LIBEVTCHN_PROGS_native)
libevtchn-aarch64: $(LIBEVTCHN_A_aarch64) $(LIBEVTCHN_PROGS_aarch64)
libevtchn-armhf: $(LIBEVTCHN_A_armhf) $(LIBEVTCHN_PROGS_armhf)

# Every test program with the emu backend (the linux one needs /dev/xen/evtchn: the Linux
# guests run it, tests/system/arm/linux-pair-test.sh), the example's own round trips, and
# the compatibility check. Without emu in this build, the emu runs cannot happen: each
# counts as one failure, so a library that lost its emulation does not pass quietly.
test-libevtchn:
	$(Q)$(MAKE) --no-print-directory -j$(HOST_JOBS) libevtchn
	$(Q)mkdir -p $(RESULTS)
	$(Q)status=0; \
	if [ -n "$(LIBEVTCHN_EMU_SRCS)" ]; then \
	    for t in $(LIBEVTCHN_TESTS); do n=$${t#test_}; \
	        $(call host_run,$(RESULTS)/libevtchn-$$n-emu.tap,$(LIBEVTCHN_DIR)/native/$$t,MINIXEN_EVTCHN_BACKEND=emu) \
	            || status=1; \
	    done; \
	    $(LIBEVTCHN_SRC)/tests/pingpong-test.sh $(LIBEVTCHN_DIR)/native/evtchn-pingpong \
	        $(RESULTS)/libevtchn-pingpong-emu.tap || status=1; \
	else \
	    printf '1..1\nnot ok 1 - libevtchn: this build has no emu backend (emu/emu.mk)\n' \
	        >$(RESULTS)/libevtchn-emu.tap; status=1; \
	fi; \
	$(LIBEVTCHN_SRC)/tests/compat-test.sh $(LIBEVTCHN_DIR) $(RESULTS)/libevtchn-compat.tap \
	    || status=1; \
	exit $$status
