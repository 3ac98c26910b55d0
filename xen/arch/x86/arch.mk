# SPDX-License-Identifier: Apache-2.0
# The x86_64 port (included by xen/build.mk): links the hypervisor image for $(BOARD).
#
#   $(BUILD)/minixen   ELF64 linked at KERNEL_VBASE + LOAD_ADDR, bootable as it is by QEMU
#                      -kernel (Multiboot) and GRUB (Multiboot2): both headers carry load
#                      addresses, so the loaders copy the file's bytes, not its segments.

MINIXEN_VERSION ?= 0.1

# The drivers of the devices a PC has beyond the port's own: every console UART (board.mk
# names COM1's), the CMOS RTC.
XEN_ARCH_SRCS := $(sort $(wildcard xen/arch/x86/*.c xen/arch/x86/*.S)) \
                 $(XEN_SERIAL_SRCS) xen/drivers/rtc/cmos.c \
                 xen/arch/shared/guest_atomics_hooks.c
XEN_ARCH_OBJS := $(patsubst %.S,$(BUILD)/%.o,$(patsubst %.c,$(BUILD)/%.o,$(XEN_ARCH_SRCS)))

# Port code may include its own <asm/...> headers; common code never sees this path.
XEN_ARCH_CFLAGS := -Ixen/arch/x86/include -DMINIXEN_BOARD='"$(BOARD)"' \
                   -DMINIXEN_VERSION='"$(MINIXEN_VERSION)"' -DLOAD_ADDR=$(LOAD_ADDR)
$(XEN_ARCH_OBJS): XEN_CFLAGS += $(XEN_ARCH_CFLAGS)

XEN_IMAGES += $(BUILD)/minixen

$(BUILD)/xen/arch/x86/%.o: xen/arch/x86/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(XEN_CC) $(XEN_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/xen.lds: xen/arch/x86/xen.lds.in xen/arch/x86/arch.mk
	@mkdir -p $(dir $@)
	$(Q)$(XEN_CC) -E -P -x c -DLOAD_ADDR=$(LOAD_ADDR) $< -o $@

# Every object of xen/common is linked (not pulled from common.a on demand), so the whole
# event core is in the image even before a domain exists to call it.
$(BUILD)/minixen: $(XEN_ARCH_OBJS) $(XEN_COMMON_OBJS) $(BUILD)/xen.lds
	@echo "  LD      $@"
	$(Q)$(XEN_CC) $(XEN_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--gc-sections \
	    -Wl,-T,$(BUILD)/xen.lds -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -o $@ \
	    $(XEN_ARCH_OBJS) $(XEN_COMMON_OBJS) -lgcc
	$(Q)size $@

-include $(XEN_ARCH_OBJS:.o=.d)

# The guest's hot paths (see XEN_HOT_SRCS in xen/build.mk).
XEN_HOT_SRCS += $(addprefix xen/arch/x86/,hooks.c hvm.c hypercall.c run.c svm.c vmexit.c \
    vlapic.c guest_mem.c npt.c time.c smp.c traps.c vcpu_context.c)
