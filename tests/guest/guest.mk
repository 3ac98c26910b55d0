# SPDX-License-Identifier: Apache-2.0
# The conformance guest (tests/guest): one bare-metal image per guest arch, the same
# image for every role (main, peer, bench; chosen by /chosen/bootargs).
#
#   make guest-arm64     build/guest/arm64/xtest.bin (arm64 Image, boots as dom0 or domU)
#
# Only xen/include/public (via -Ixen/include) and the guest's own headers are used.

GUEST_DIR       := tests/guest
GUEST_OUT       := build/guest
GUEST_ARM64_CC  ?= aarch64-linux-gnu-gcc
GUEST_ARM64_OBJCOPY ?= aarch64-linux-gnu-objcopy
GUEST_COMMON_SRC := $(wildcard $(GUEST_DIR)/lib/*.c) $(wildcard $(GUEST_DIR)/suite/*.c)
GUEST_ARM_SRC   := $(wildcard $(GUEST_DIR)/arch/arm/*.c) # both ARM widths: the GIC driver
GUEST_ARM64_SRC := $(GUEST_COMMON_SRC) $(GUEST_ARM_SRC) $(wildcard $(GUEST_DIR)/arch/arm64/*.c) \
                   $(wildcard $(GUEST_DIR)/arch/arm64/*.S)
GUEST_ARM64_OBJ := $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/arm64/obj/%.o,$(GUEST_ARM64_SRC))
GUEST_HDRS      := $(GUEST_DIR)/guest.mk $(wildcard $(GUEST_DIR)/include/*.h $(GUEST_DIR)/arch/*/*.h) \
                   $(wildcard xen/include/public/*.h xen/include/public/*/*.h)

# Freestanding, no FP/SIMD (a guest kernel's rule, and Xen saves no FP state we rely on),
# no unaligned accesses (C runs with the MMU off before the identity map is on), and
# position independent: the image relocates itself wherever it is loaded.
GUEST_CFLAGS    := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                   -fno-stack-protector -fno-common -fpie -mgeneral-regs-only -mstrict-align \
                   -mno-outline-atomics \
                   -I$(GUEST_DIR)/include -I$(GUEST_DIR)/arch/arm64 -I$(GUEST_DIR)/arch/arm \
                   -Ixen/include
GUEST_LDFLAGS   := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--build-id=none \
                   -Wl,-z,noexecstack -Wl,-z,notext -Wl,--no-warn-rwx-segments -T $(GUEST_DIR)/arch/arm64/guest.lds

.PHONY: guest-arm64
guest-arm64: $(GUEST_OUT)/arm64/xtest.bin

$(GUEST_OUT)/arm64/obj/%.c.o: $(GUEST_DIR)/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/arm64/obj/%.S.o: $(GUEST_DIR)/%.S $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/arm64/xtest.elf: $(GUEST_ARM64_OBJ) $(GUEST_DIR)/arch/arm64/guest.lds
	$(Q)$(GUEST_ARM64_CC) $(GUEST_LDFLAGS) $(GUEST_ARM64_OBJ) -o $@
	@# head.S applies R_AARCH64_RELATIVE (1027) and skips R_AARCH64_NONE; nothing else.
	$(Q)if aarch64-linux-gnu-readelf -rW $@ | grep -E '^[0-9a-f]{16} ' | grep -vqE 'R_AARCH64_(RELATIVE|NONE)'; then \
	    echo "xtest.elf: relocations other than R_AARCH64_RELATIVE" >&2; rm -f $@; exit 1; fi

$(GUEST_OUT)/arm64/xtest.bin: $(GUEST_OUT)/arm64/xtest.elf
	$(Q)$(GUEST_ARM64_OBJCOPY) -O binary $< $@
	@echo "  GUEST   $@ ($$(stat -c %s $@) bytes)"

# ---- arm32 (tests/guest/arch/arm32) ----------------------------------------------------------
#   make guest-arm32     build/guest/arm32/xtest.zimage (an ARM zImage for AArch32 EL1, the
#                        same roles; boots as dom0 or domU of an arm64 hypervisor)
# A32 code, static PIE linked at 0 (head.S applies R_ARM_RELATIVE). -mgeneral-regs-only:
# the compiler never uses VFP registers (vectors.S saves none around an interrupt); the
# objects keep the hard-float ABI tags of the gnueabihf libgcc that 64-bit division comes
# from. Only probe.c touches VFP registers, in its own asm.
GUEST_ARM32_CC      ?= arm-linux-gnueabihf-gcc
GUEST_ARM32_OBJCOPY ?= arm-linux-gnueabihf-objcopy
GUEST_ARM32_SRC := $(GUEST_COMMON_SRC) $(GUEST_ARM_SRC) $(wildcard $(GUEST_DIR)/arch/arm32/*.c) \
                   $(wildcard $(GUEST_DIR)/arch/arm32/*.S)
GUEST_ARM32_OBJ := $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/arm32/obj/%.o,$(GUEST_ARM32_SRC))
GUEST_ARM32_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                      -fno-stack-protector -fno-common -fpie -marm -march=armv7ve -mgeneral-regs-only \
                      -fno-unwind-tables -fno-asynchronous-unwind-tables \
                      -mfpu=vfpv3-d16 -mno-unaligned-access \
                      -I$(GUEST_DIR)/include -I$(GUEST_DIR)/arch/arm32 -I$(GUEST_DIR)/arch/arm \
                      -Ixen/include
GUEST_ARM32_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--build-id=none \
                       -Wl,-z,noexecstack -Wl,-z,notext -Wl,--no-warn-rwx-segments \
                       -T $(GUEST_DIR)/arch/arm32/guest.lds

.PHONY: guest-arm32
guest-arm32: $(GUEST_OUT)/arm32/xtest.zimage

$(GUEST_OUT)/arm32/obj/%.c.o: $(GUEST_DIR)/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_ARM32_CC) $(GUEST_ARM32_CFLAGS) -c $< -o $@

$(GUEST_OUT)/arm32/obj/%.S.o: $(GUEST_DIR)/%.S $(GUEST_DIR)/guest.mk
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_ARM32_CC) $(GUEST_ARM32_CFLAGS) -c $< -o $@

$(GUEST_OUT)/arm32/xtest.elf: $(GUEST_ARM32_OBJ) $(GUEST_DIR)/arch/arm32/guest.lds
	$(Q)$(GUEST_ARM32_CC) $(GUEST_ARM32_LDFLAGS) $(GUEST_ARM32_OBJ) -lgcc -o $@
	@# head.S applies R_ARM_RELATIVE (23) and skips R_ARM_NONE; nothing else.
	$(Q)if arm-linux-gnueabihf-readelf -rW $@ | grep -E '^[0-9a-f]{8} ' | grep -vqE 'R_ARM_(RELATIVE|NONE)'; then \
	    echo "xtest.elf: relocations other than R_ARM_RELATIVE" >&2; rm -f $@; exit 1; fi

$(GUEST_OUT)/arm32/xtest.zimage: $(GUEST_OUT)/arm32/xtest.elf
	$(Q)$(GUEST_ARM32_OBJCOPY) -O binary $< $@
	@echo "  GUEST   $@ ($$(stat -c %s $@) bytes)"

# ---- x86 PVH, 64- and 32-bit (tests/guest/arch/x86) ------------------------------------------
#   make guest-x86_64    build/guest/x86_64/xtest.elf (an ELF64 PVH kernel: head_64.S enters
#                        long mode on its own page tables)
#   make guest-i386      build/guest/i386/xtest.elf (an ELF32 PVH kernel: head_32.S stays in
#                        32-bit protected mode, with 32-bit paging for the NULL page)
# Both: XEN_ELFNOTE_PHYS32_ENTRY, linked and run at 1 MiB, identity mapped; one arch.c, whose
# few width-dependent lines are under __x86_64__. Interrupts arrive on the kernel's own
# stack: no red zone. No SSE state is ever saved. i386 links libgcc for 64-bit division.
GUEST_X86_COMMON_SRC := $(GUEST_COMMON_SRC) $(wildcard $(GUEST_DIR)/arch/x86/*.c)
GUEST_X86_INC := $(wildcard $(GUEST_DIR)/arch/x86/*.inc)
GUEST_X86_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                    -fno-stack-protector -fno-common -fno-pie -mgeneral-regs-only \
                    -I$(GUEST_DIR)/include -I$(GUEST_DIR)/arch/x86 -Ixen/include
GUEST_X86_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
                     -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments

# guest_x86 WIDTH CC EXTRA_CFLAGS LIBS: the rules of one width.
define guest_x86
GUEST_$(1)_SRC := $$(GUEST_X86_COMMON_SRC) $$(GUEST_DIR)/arch/x86/head_$(2).S
GUEST_$(1)_OBJ := $$(patsubst $$(GUEST_DIR)/%,$$(GUEST_OUT)/$(1)/obj/%.o,$$(GUEST_$(1)_SRC))

.PHONY: guest-$(1)
guest-$(1): $$(GUEST_OUT)/$(1)/xtest.elf

$$(GUEST_OUT)/$(1)/obj/%.c.o: $$(GUEST_DIR)/%.c $$(GUEST_HDRS)
	@mkdir -p $$(dir $$@)
	$$(Q)$(3) $$(GUEST_X86_CFLAGS) $(4) -c $$< -o $$@

$$(GUEST_OUT)/$(1)/obj/%.S.o: $$(GUEST_DIR)/%.S $$(GUEST_DIR)/guest.mk $$(GUEST_X86_INC)
	@mkdir -p $$(dir $$@)
	$$(Q)$(3) $$(GUEST_X86_CFLAGS) $(4) -c $$< -o $$@

$$(GUEST_OUT)/$(1)/xtest.elf: $$(GUEST_$(1)_OBJ) $$(GUEST_DIR)/arch/x86/guest_$(2).lds
	$$(Q)$(3) $$(GUEST_X86_LDFLAGS) -T $$(GUEST_DIR)/arch/x86/guest_$(2).lds $$(GUEST_$(1)_OBJ) \
	    $(5) -o $$@
	@echo "  GUEST   $$@ ($$$$(stat -c %s $$@) bytes)"
endef

GUEST_X86_64_CC ?= gcc
GUEST_I386_CC ?= i686-linux-gnu-gcc
$(eval $(call guest_x86,x86_64,64,$(GUEST_X86_64_CC),-mno-red-zone -mcmodel=small,))
$(eval $(call guest_x86,i386,32,$(GUEST_I386_CC),-march=i686,-lgcc))
