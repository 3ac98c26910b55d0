/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The QEMU TCG plugin API, the parts tests/bench's plugins use (QEMU 7.2,
 * QEMU_PLUGIN_VERSION 1). Debian's QEMU 7.2 is built with plugin support but ships no
 * qemu-plugin.h, so these declarations are written here from the plugin API.
 */
#ifndef MINIXEN_BENCH_QEMU_PLUGIN_API_H
#define MINIXEN_BENCH_QEMU_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void *qemu_plugin_insn_haddr(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            void (*cb)(unsigned int vcpu, void *udata),
                                            enum qemu_plugin_cb_flags flags, void *udata);
void qemu_plugin_register_vcpu_idle_cb(qemu_plugin_id_t id,
                                       void (*cb)(qemu_plugin_id_t, unsigned int vcpu));
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void *),
                                    void *userdata);
void qemu_plugin_outs(const char *string);

/* Every plugin says which API version it was written for. */
#define QEMU_PLUGIN_DECLARE_VERSION                                                                \
    __attribute__((visibility("default"))) int qemu_plugin_version = 1

#endif
