/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypervisor-internal error names. The values are Xen's guest ABI (public/errno.h): a
 * hypercall returns -EINVAL and the guest sees exactly Xen's -22. ERESTART never reaches
 * a guest: the hypercall layer turns it into a re-executed hypercall (a continuation).
 */
#ifndef MINIXEN_ERRNO_H
#define MINIXEN_ERRNO_H

#include <public/errno.h>

#define EPERM      XEN_EPERM
#define ENOENT     XEN_ENOENT
#define ESRCH      XEN_ESRCH
#define EIO        XEN_EIO
#define ENXIO      XEN_ENXIO
#define EAGAIN     XEN_EAGAIN
#define ENOMEM     XEN_ENOMEM
#define ENODEV     XEN_ENODEV
#define EACCES     XEN_EACCES
#define EFAULT     XEN_EFAULT
#define EBUSY      XEN_EBUSY
#define EEXIST     XEN_EEXIST
#define EINVAL     XEN_EINVAL
#define ENOSPC     XEN_ENOSPC
#define ENOSYS     XEN_ENOSYS
#define ETIME      XEN_ETIME
#define ETIMEDOUT  XEN_ETIMEDOUT
#define ERESTART   XEN_ERESTART
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define ENOTCONN   XEN_ENOTCONN

#endif
