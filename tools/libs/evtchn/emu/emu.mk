# SPDX-License-Identifier: Apache-2.0
# The emu backend of libxenevtchn (tools/libs/evtchn/emu/README.md): what
# tools/libs/evtchn/lib.mk compiles into the library unless the build leaves the emulation
# out (MINIXEN_EVTCHN_NO_EMU).
#
#   LIBEVTCHN_EMU_SRCS    every .c file the backend needs: its own, minixen's event core
#                         with the rest of xen/common it links against (as the host tests
#                         build it: all of xen/common but what libc provides), and the
#                         ports' shared guest-atomics hooks
#   LIBEVTCHN_EMU_CFLAGS  the include paths those need; the guest atomics are the build
#                         machine's port's (x86 `lock`, arm64 LSE/LL-SC). They must come
#                         BEFORE lib.mk's -I for <xen/event_channel.h> (a directory whose
#                         xen/ is xen/include/public): public/ has an errno.h, sched.h and
#                         grant_table.h of its own, and the core needs the hypervisor's
#                         <xen/errno.h> etc. from xen/include/xen/. With -Ixen/include
#                         first, <xen/event_channel.h> (not in xen/include/xen/) still
#                         falls through to the public one.
#   LIBEVTCHN_EMU_LIBS    libraries a program then links: none beyond libc's (pthread)
#
# The tests tools/libs/evtchn/tests/test_emu*.c need only the public header (and
# ../emu/emu_proto.h by path); built without the emulation they print a TAP skip.
#
# The core's symbols (domain_create, printk, ...) must not reach a program: lib.mk builds
# these objects -fvisibility=hidden, and the static library should be one relocatable
# object (ld -r) with its hidden symbols made local (objcopy --localize-hidden), or a
# program with its own `printk` would clash with it.

LIBEVTCHN_EMU_DIR := tools/libs/evtchn/emu

LIBEVTCHN_EMU_XEN_SRCS := $(filter-out xen/common/lib/string.c xen/common/heap.c,\
                              $(sort $(shell find xen/common -name '*.c')))
LIBEVTCHN_EMU_SRCS := $(LIBEVTCHN_EMU_DIR)/emu_arch.c $(LIBEVTCHN_EMU_DIR)/emu_broker.c \
                      $(LIBEVTCHN_EMU_DIR)/emu_client.c $(LIBEVTCHN_EMU_DIR)/emu_guest.c \
                      $(LIBEVTCHN_EMU_DIR)/emu_spawn.c xen/arch/shared/guest_atomics_hooks.c \
                      $(LIBEVTCHN_EMU_XEN_SRCS)

LIBEVTCHN_EMU_UNAME := $(shell uname -m)
LIBEVTCHN_EMU_ASM_x86_64  := x86
LIBEVTCHN_EMU_ASM_aarch64 := arm
LIBEVTCHN_EMU_ASM := $(LIBEVTCHN_EMU_ASM_$(LIBEVTCHN_EMU_UNAME))

# _GNU_SOURCE: memfd_create, accept4, MSG_CMSG_CLOEXEC (the code is otherwise C11).
LIBEVTCHN_EMU_LIBS :=
LIBEVTCHN_EMU_CFLAGS := -D_GNU_SOURCE -Ixen/include \
                        -Ixen/arch/$(LIBEVTCHN_EMU_ASM)/include -I$(LIBEVTCHN_EMU_DIR)
