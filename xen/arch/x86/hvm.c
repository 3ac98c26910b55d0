/* SPDX-License-Identifier: Apache-2.0 */
/* Choosing the hardware virtualization back end (see <asm/hvm.h>). */
#include <asm/hvm.h>

const struct hvm_ops *hvm;

bool hvm_probe(void)
{
    /* Only SVM exists: this QEMU cannot run VMX guests, and untested code is not written. */
    if (!svm_probe())
        return false;
    hvm = &svm_ops;
    return true;
}
