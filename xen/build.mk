# SPDX-License-Identifier: Apache-2.0
# Builds the hypervisor for $(BOARD) into $(BUILD). Until a port exists for the board's
# ARCH, this builds (and so proves freestanding) the common objects only.

XEN_CC      := $(CROSS_COMPILE)gcc
XEN_AR      := $(CROSS_COMPILE)ar
XEN_CFLAGS  := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdlib -fno-builtin \
               -fno-common -fno-stack-protector -fno-pic -fno-tree-loop-distribute-patterns -Ixen/include -MMD -MP
# No frame pointers on arm64: nothing walks them (a panic prints registers, not a backtrace),
# and keeping them costs every call on the hypercall path two instructions.
XEN_CFLAGS_arm := -mgeneral-regs-only -mno-outline-atomics -mstrict-align -fomit-frame-pointer
XEN_CFLAGS_x86 := -m64 -mno-red-zone -mgeneral-regs-only -mcmodel=kernel
XEN_CFLAGS  += $(XEN_CFLAGS_$(ARCH))
# Link-time optimisation: the event path crosses many small files (one purpose each) and
# the arch hooks; LTO inlines across them so that the layering costs nothing at run time.
XEN_CFLAGS  += -flto=auto -ffunction-sections

XEN_COMMON_SRCS := $(sort $(shell find xen/common -name '*.c'))
XEN_COMMON_OBJS := $(XEN_COMMON_SRCS:%.c=$(BUILD)/%.o)

# Optimised for size by default: the image must stay small (`make bench-peer`'s image-size
# target), and most of it runs at boot, on a domain's (re)build, for the console or for
# diagnostics. The guest's hot paths (hypercall entry and dispatch, the event ABIs, the
# scheduler, the interrupt controller, guest memory access) are XEN_HOT_SRCS, built -O2 for
# speed (`make bench-peer`'s instruction counts); a port adds its own in its arch.mk.
XEN_CFLAGS  += -Os
XEN_HOT_SRCS := $(filter-out %/dump.c %/static.c,$(wildcard xen/common/events/*.c)) xen/common/sched.c xen/common/sched_op.c \
    xen/common/hypercall.c xen/common/guest_copy.c xen/common/guest_atomic.c \
    xen/common/xen_version.c xen/common/timer_op.c xen/common/vcpu_time.c xen/common/domain.c \
    xen/common/lib/string.c xen/arch/shared/guest_atomics_hooks.c

# Every console UART driver (xen/drivers/char/) is linked on every port; the host DT picks
# the console at run time. Until a DT is read, and on a port without one, it is the board's
# UART (board.mk: UART := <driver>@<address> or <driver>@io<port>), which only serial.c sees.
# A new board's UART is one new file there.
XEN_SERIAL_SRCS := $(sort $(wildcard xen/drivers/char/*.c))
UART_DRIVER := $(firstword $(subst @, ,$(UART)))
UART_WHERE  := $(word 2,$(subst @, ,$(UART)))
UART_IO     := $(if $(filter io%,$(UART_WHERE)),1,0)
UART_BASE   := $(patsubst io%,%,$(UART_WHERE))
$(BUILD)/xen/drivers/char/serial.o: XEN_CFLAGS += -DBOARD_UART_DRIVER='"$(UART_DRIVER)"' \
    -DBOARD_UART_BASE=$(UART_BASE) -DBOARD_UART_IO=$(UART_IO)

# A port adds its image here: xen/arch/$(ARCH)/arch.mk appends to XEN_IMAGES and brings
# its own rules (linker script, assembly, objcopy). Without one, only common.a is built.
XEN_IMAGES := $(BUILD)/common.a
-include xen/arch/$(ARCH)/arch.mk
$(XEN_HOT_SRCS:%.c=$(BUILD)/%.o): XEN_CFLAGS += -O2

all: $(XEN_IMAGES)

$(BUILD)/common.a: $(XEN_COMMON_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(XEN_AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(XEN_CC) $(XEN_CFLAGS) -c $< -o $@

-include $(XEN_COMMON_OBJS:.o=.d)
