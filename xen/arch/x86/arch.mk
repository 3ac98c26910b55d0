# SPDX-License-Identifier: Apache-2.0
# The x86 port's objects (included by xen/build.mk). Until the port has an image, its
# objects go into $(BUILD)/arch.a so every board build proves they compile freestanding.
XEN_ARCH_SRCS := $(sort $(wildcard xen/arch/x86/*.c)) xen/arch/shared/guest_atomics_hooks.c
XEN_ARCH_OBJS := $(XEN_ARCH_SRCS:%.c=$(BUILD)/%.o)
XEN_IMAGES    += $(BUILD)/arch.a

# Port code may include its own <asm/...> headers; common code never sees this path.
$(XEN_ARCH_OBJS): XEN_CFLAGS += -Ixen/arch/x86/include

$(BUILD)/arch.a: $(XEN_ARCH_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(XEN_AR) rcs $@ $^

-include $(XEN_ARCH_OBJS:.o=.d)
