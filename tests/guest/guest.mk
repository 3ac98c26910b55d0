# SPDX-License-Identifier: Apache-2.0
# The conformance guest (tests/guest): one bare-metal image per guest arch, the same
# image for every role (main, peer, bench; chosen by /chosen/bootargs).
#
#   make guest-arm64, guest-arm32, guest-x86_64, guest-i386 (one image per guest arch:
#   below)
#
# Only xen/include/public (via -Ixen/include) and the guest's own headers are used.

GUEST_DIR       := tests/guest
GUEST_OUT       := build/guest
GUEST_COMMON_SRC := $(wildcard $(GUEST_DIR)/lib/*.c) $(wildcard $(GUEST_DIR)/suite/*.c)
GUEST_HDRS      := $(GUEST_DIR)/guest.mk $(wildcard $(GUEST_DIR)/include/*.h $(GUEST_DIR)/arch/*/*.h) \
                   $(wildcard xen/include/public/*.h xen/include/public/*/*.h)

# ---- ARM, 64- and 32-bit (tests/guest/arch/arm64, arm32; what both share: arch/arm) -----------
#   make guest-arm64     build/guest/arm64/xtest.bin (an arm64 Image)
#   make guest-arm32     build/guest/arm32/xtest.zimage (an ARM zImage for AArch32 EL1)
# Both boot as dom0 or domU, in every role. Freestanding; no FP/SIMD registers in the
# compiler's code (a guest kernel's rule: vectors.S saves none around an interrupt; arm32's
# probe.c touches VFP in its own asm only); no unaligned accesses (C runs with the MMU off
# before the identity map is on); a static PIE linked at 0 that relocates itself wherever
# it is loaded, so head.S applies the width's RELATIVE relocations and nothing else may be
# left. arm32 keeps the hard-float ABI tags of the gnueabihf libgcc, which 64-bit division
# comes from.
GUEST_ARM_SRC     := $(wildcard $(GUEST_DIR)/arch/arm/*.c)
GUEST_ARM_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
                     -fno-stack-protector -fno-common -fpie -mgeneral-regs-only
GUEST_ARM_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--build-id=none \
                     -Wl,-z,noexecstack -Wl,-z,notext -Wl,--no-warn-rwx-segments

# guest_arm NAME CROSS EXTRA_CFLAGS RELOC IMAGE LIBS: the rules of one width (CROSS: the
# toolchain prefix; RELOC: its relocation names' prefix; IMAGE: the raw image's file name).
define guest_arm
GUEST_$(1)_SRC := $$(GUEST_COMMON_SRC) $$(GUEST_ARM_SRC) $$(wildcard $$(GUEST_DIR)/arch/$(1)/*.c) \
                  $$(wildcard $$(GUEST_DIR)/arch/$(1)/*.S)
GUEST_$(1)_OBJ := $$(patsubst $$(GUEST_DIR)/%,$$(GUEST_OUT)/$(1)/obj/%.o,$$(GUEST_$(1)_SRC))
GUEST_$(1)_CFLAGS := $$(GUEST_ARM_CFLAGS) $(3) -I$$(GUEST_DIR)/include -I$$(GUEST_DIR)/arch/$(1) \
                     -I$$(GUEST_DIR)/arch/arm -Ixen/include

.PHONY: guest-$(1)
guest-$(1): $$(GUEST_OUT)/$(1)/$(5)

$$(GUEST_OUT)/$(1)/obj/%.c.o: $$(GUEST_DIR)/%.c $$(GUEST_HDRS)
	@mkdir -p $$(dir $$@)
	$$(Q)$(2)gcc $$(GUEST_$(1)_CFLAGS) -c $$< -o $$@

$$(GUEST_OUT)/$(1)/obj/%.S.o: $$(GUEST_DIR)/%.S $$(GUEST_DIR)/guest.mk
	@mkdir -p $$(dir $$@)
	$$(Q)$(2)gcc $$(GUEST_$(1)_CFLAGS) -c $$< -o $$@

$$(GUEST_OUT)/$(1)/xtest.elf: $$(GUEST_$(1)_OBJ) $$(GUEST_DIR)/arch/$(1)/guest.lds
	$$(Q)$(2)gcc $$(GUEST_ARM_LDFLAGS) -T $$(GUEST_DIR)/arch/$(1)/guest.lds $$(GUEST_$(1)_OBJ) \
	    $(6) -o $$@
	$$(Q)if $(2)readelf -rW $$@ | grep -E '^[0-9a-f]+ ' | grep -vqE '$(4)_(RELATIVE|NONE)'; then \
	    echo "$$@: relocations other than $(4)_RELATIVE" >&2; rm -f $$@; exit 1; fi

$$(GUEST_OUT)/$(1)/$(5): $$(GUEST_OUT)/$(1)/xtest.elf
	$$(Q)$(2)objcopy -O binary $$< $$@
	@echo "  GUEST   $$@ ($$$$(stat -c %s $$@) bytes)"
endef

$(eval $(call guest_arm,arm64,aarch64-linux-gnu-,-mstrict-align -mno-outline-atomics,R_AARCH64,xtest.bin,))
$(eval $(call guest_arm,arm32,arm-linux-gnueabihf-,-marm -march=armv7ve -mfpu=vfpv3-d16 \
    -mno-unaligned-access -fno-unwind-tables -fno-asynchronous-unwind-tables,R_ARM,xtest.zimage,-lgcc))

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
