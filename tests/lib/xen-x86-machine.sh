# SPDX-License-Identifier: Apache-2.0
# The QEMU q35 machine Debian's Xen 4.17 amd64 boots on under TCG (the qemu-x86_64 board's
# machine with another CPU model and one more device). Sourced by tests/peer/xen-run-x86.sh
# and by minixen's runs that are set beside Xen's (tests/system/x86/bench-run.sh
# --xen-machine), so that both hypervisors run on the same emulated CPU and devices.
#
#   $XEN_X86_CPU        -cpu: SVM with nested paging from QEMU's TCG; -smap, as Xen's own
#                       smoke tests run it under TCG (Xen 4.17 does not boot on qemu64)
#   XEN_X86_DEVICES     more QEMU arguments (an array): an AMD IOMMU, which also provides
#                       the IVRS table; without one Xen panics "Presently, iommu must be
#                       enabled for PVH hardware domain". minixen leaves it alone.

XEN_X86_CPU="max,-smap,+svm,+npt"
XEN_X86_DEVICES=(-device amd-iommu)
