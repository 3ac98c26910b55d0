# SPDX-License-Identifier: Apache-2.0
# The arm64 port (included by xen/build.mk): links the EL2 hypervisor image for $(BOARD).
#
#   $(BUILD)/minixen        ELF, for gdb and `size`
#   $(BUILD)/minixen.bin    raw arm64 Image (header at offset 0): QEMU -kernel, U-Boot booti
#
# The image is position-dependent: linked at the board's LOAD_ADDR and run with an
# identity map. Its Image header asks the loader for text_offset 0x200000 from a 2 MiB
# aligned DRAM base, which is the board's LOAD_ADDR: 0x40200000 on QEMU virt (RAM at
# 0x40000000), 0x200000 on zcu102 (DDR at 0).

MINIXEN_VERSION ?= 0.1

# The drivers of the devices Arm boards have: every console UART, the PL031 RTC.
XEN_ARCH_SRCS := $(sort $(wildcard xen/arch/arm/*.c xen/arch/arm/*.S)) \
                 $(XEN_SERIAL_SRCS) xen/drivers/rtc/pl031.c \
                 xen/arch/shared/guest_atomics_hooks.c
XEN_ARCH_OBJS := $(patsubst %.S,$(BUILD)/%.o,$(patsubst %.c,$(BUILD)/%.o,$(XEN_ARCH_SRCS)))

# Port code may include its own <asm/...> headers; common code never sees this path.
XEN_ARCH_CFLAGS := -Ixen/arch/arm/include -DMINIXEN_BOARD='"$(BOARD)"' \
                   -DMINIXEN_VERSION='"$(MINIXEN_VERSION)"' -DLOAD_ADDR=$(LOAD_ADDR)
$(XEN_ARCH_OBJS): XEN_CFLAGS += $(XEN_ARCH_CFLAGS)

XEN_IMAGES += $(BUILD)/minixen $(BUILD)/minixen.bin

$(BUILD)/xen/arch/arm/%.o: xen/arch/arm/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(XEN_CC) $(XEN_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/xen.lds: xen/arch/arm/xen.lds.in xen/arch/arm/include/asm/heap.h xen/arch/arm/arch.mk
	@mkdir -p $(dir $@)
	$(Q)$(XEN_CC) -E -P -x c -Ixen/arch/arm/include -DLOAD_ADDR=$(LOAD_ADDR) $< -o $@

# Every object of xen/common is linked (not pulled from common.a on demand), so the whole
# event core is in the image even before a domain exists to call it.
$(BUILD)/minixen: $(XEN_ARCH_OBJS) $(XEN_COMMON_OBJS) $(BUILD)/xen.lds
	@echo "  LD      $@"
	$(Q)$(XEN_CC) $(XEN_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
	    -Wl,--gc-sections -Wl,-T,$(BUILD)/xen.lds -Wl,--no-warn-rwx-segments -o $@ \
	    $(XEN_ARCH_OBJS) $(XEN_COMMON_OBJS) -lgcc
	$(Q)$(CROSS_COMPILE)size $@

$(BUILD)/minixen.bin: $(BUILD)/minixen
	@echo "  OBJCOPY $@"
	$(Q)$(CROSS_COMPILE)objcopy -O binary $< $@
	@echo "  IMAGE   $@: $$(stat -c %s $@) bytes"

-include $(XEN_ARCH_OBJS:.o=.d)

# The guest's hot paths (see XEN_HOT_SRCS in xen/build.mk).
XEN_HOT_SRCS += $(addprefix xen/arch/arm/,traps.c hooks.c vgic.c gic_v2.c gic_v3.c gic.c \
    context.c guest_memory.c guest_atomics.c p2m.c time.c vtimer.c serror.c smp.c)
