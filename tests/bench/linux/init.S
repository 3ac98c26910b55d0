/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /init of `make bench-linux` (tools/bench-linux-boot.sh): the first user-space program
 * Linux runs. Its first instruction reads the virtual counter, so that value is the time
 * (minus the hypervisor's CNTVOFF_EL2 for dom0) at which user space began; the benchmark
 * plugin (tests/bench/boot_marks.c) also marks this very instruction by its address and
 * encoding. Then it prints the value and the counter frequency on /dev/console (fd 1:
 * the kernel opened it for /init) and powers the machine off, which ends QEMU on both
 * hypervisors (dom0's power-off is the machine's).
 *
 * No C and no libc: nothing may run before the read, and a static libc start-up would.
 * Linked static, -nostdlib, at the linker's default address (the script reads the entry
 * from the ELF header).
 */
#define SYS_write 64
#define SYS_reboot 142
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

    .text
    .global _start
_start:
    mrs x19, cntvct_el0 /* must stay the first instruction: it is the measured point */
    mrs x20, cntfrq_el0

    adr x0, line
    adr x1, msg_cntvct
    bl put_str
    mov x2, x19
    bl put_hex
    adr x1, msg_cntfrq
    bl put_str
    mov x2, x20
    bl put_hex
    mov w3, #'\n'
    strb w3, [x0], #1

    adr x1, line /* write(1, line, x0 - line) */
    sub x2, x0, x1
    mov x0, #1
    mov x8, #SYS_write
    svc #0

    ldr x0, =LINUX_REBOOT_MAGIC1
    ldr x1, =LINUX_REBOOT_MAGIC2
    ldr x2, =LINUX_REBOOT_CMD_POWER_OFF
    mov x3, #0
    mov x8, #SYS_reboot
    svc #0
1:  b 1b /* not reached: the machine is off */

/* put_str: copy the NUL-terminated string at x1 to x0, x0 advanced past it. */
put_str:
    ldrb w3, [x1], #1
    cbz w3, 2f
    strb w3, [x0], #1
    b put_str
2:  ret

/* put_hex: x2 as "0x" and 16 hex digits at x0, x0 advanced past them. */
put_hex:
    mov w3, #'0'
    strb w3, [x0], #1
    mov w3, #'x'
    strb w3, [x0], #1
    mov x4, #60
3:  lsr x3, x2, x4
    and x3, x3, #0xf
    cmp x3, #10
    add x5, x3, #'0'
    add x6, x3, #('a' - 10)
    csel x3, x5, x6, lo
    strb w3, [x0], #1
    subs x4, x4, #4
    b.ge 3b
    ret

    .section .rodata
msg_cntvct:
    .asciz "bench-linux: init cntvct="
msg_cntfrq:
    .asciz " cntfrq="

    .bss
line:
    .space 128
