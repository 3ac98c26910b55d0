/* SPDX-License-Identifier: MIT */
/*
 * Error values returned (negated) by hypercalls. These are the guest ABI,
 * independent of any host C library, hence the XEN_ prefix: public headers
 * never define plain EINVAL etc. The hypervisor's internal errno maps onto
 * these.
 *
 * XEN_ERRNO_LIST(X) expands X(name, value) once per error, so that code can
 * build tables (names, host<->Xen translation) from the single list below.
 */
#ifndef MINIXEN_PUBLIC_ERRNO_H
#define MINIXEN_PUBLIC_ERRNO_H

#define XEN_EPERM         1 /* operation not permitted */
#define XEN_ENOENT        2 /* no such entry (e.g. bad vCPU) */
#define XEN_ESRCH         3 /* no such domain */
#define XEN_EINTR         4
#define XEN_EIO           5
#define XEN_ENXIO         6 /* bad address / alignment for a registration */
#define XEN_E2BIG         7
#define XEN_ENOEXEC       8
#define XEN_EBADF         9
#define XEN_ECHILD        10
#define XEN_EAGAIN        11 /* try again */
#define XEN_EWOULDBLOCK   11 /* same as XEN_EAGAIN */
#define XEN_ENOMEM        12
#define XEN_EACCES        13
#define XEN_EFAULT        14 /* guest memory copy failed */
#define XEN_EBUSY         16
#define XEN_EEXIST        17
#define XEN_EXDEV         18
#define XEN_ENODEV        19
#define XEN_EISDIR        21
#define XEN_EINVAL        22
#define XEN_ENFILE        23
#define XEN_EMFILE        24
#define XEN_ENOSPC        28 /* no free event-channel port */
#define XEN_EROFS         30
#define XEN_EMLINK        31
#define XEN_EDOM          33
#define XEN_ERANGE        34
#define XEN_EDEADLK       35
#define XEN_EDEADLOCK     35 /* same as XEN_EDEADLK */
#define XEN_ENAMETOOLONG  36
#define XEN_ENOLCK        37
#define XEN_ENOSYS        38 /* unknown hypercall or sub-op */
#define XEN_ENOTEMPTY     39
#define XEN_ENODATA       61
#define XEN_ETIME         62
#define XEN_EBADMSG       74
#define XEN_EOVERFLOW     75
#define XEN_EILSEQ        84
#define XEN_ERESTART      85 /* internal: hypercall continuation */
#define XEN_ENOTSOCK      88
#define XEN_EMSGSIZE      90
#define XEN_EOPNOTSUPP    95
#define XEN_EADDRINUSE    98
#define XEN_EADDRNOTAVAIL 99
#define XEN_ENOBUFS       105
#define XEN_EISCONN       106
#define XEN_ENOTCONN      107
#define XEN_ETIMEDOUT     110
#define XEN_ECONNREFUSED  111

/* Aliases (EWOULDBLOCK, EDEADLOCK) are left out so each value appears once. */
#define XEN_ERRNO_LIST(X)                                                                          \
    X(EPERM, XEN_EPERM)                                                                            \
    X(ENOENT, XEN_ENOENT)                                                                          \
    X(ESRCH, XEN_ESRCH)                                                                            \
    X(EINTR, XEN_EINTR)                                                                            \
    X(EIO, XEN_EIO)                                                                                \
    X(ENXIO, XEN_ENXIO)                                                                            \
    X(E2BIG, XEN_E2BIG)                                                                            \
    X(ENOEXEC, XEN_ENOEXEC)                                                                        \
    X(EBADF, XEN_EBADF)                                                                            \
    X(ECHILD, XEN_ECHILD)                                                                          \
    X(EAGAIN, XEN_EAGAIN)                                                                          \
    X(ENOMEM, XEN_ENOMEM)                                                                          \
    X(EACCES, XEN_EACCES)                                                                          \
    X(EFAULT, XEN_EFAULT)                                                                          \
    X(EBUSY, XEN_EBUSY)                                                                            \
    X(EEXIST, XEN_EEXIST)                                                                          \
    X(EXDEV, XEN_EXDEV)                                                                            \
    X(ENODEV, XEN_ENODEV)                                                                          \
    X(EISDIR, XEN_EISDIR)                                                                          \
    X(EINVAL, XEN_EINVAL)                                                                          \
    X(ENFILE, XEN_ENFILE)                                                                          \
    X(EMFILE, XEN_EMFILE)                                                                          \
    X(ENOSPC, XEN_ENOSPC)                                                                          \
    X(EROFS, XEN_EROFS)                                                                            \
    X(EMLINK, XEN_EMLINK)                                                                          \
    X(EDOM, XEN_EDOM)                                                                              \
    X(ERANGE, XEN_ERANGE)                                                                          \
    X(EDEADLK, XEN_EDEADLK)                                                                        \
    X(ENAMETOOLONG, XEN_ENAMETOOLONG)                                                              \
    X(ENOLCK, XEN_ENOLCK)                                                                          \
    X(ENOSYS, XEN_ENOSYS)                                                                          \
    X(ENOTEMPTY, XEN_ENOTEMPTY)                                                                    \
    X(ENODATA, XEN_ENODATA)                                                                        \
    X(ETIME, XEN_ETIME)                                                                            \
    X(EBADMSG, XEN_EBADMSG)                                                                        \
    X(EOVERFLOW, XEN_EOVERFLOW)                                                                    \
    X(EILSEQ, XEN_EILSEQ)                                                                          \
    X(ERESTART, XEN_ERESTART)                                                                      \
    X(ENOTSOCK, XEN_ENOTSOCK)                                                                      \
    X(EMSGSIZE, XEN_EMSGSIZE)                                                                      \
    X(EOPNOTSUPP, XEN_EOPNOTSUPP)                                                                  \
    X(EADDRINUSE, XEN_EADDRINUSE)                                                                  \
    X(EADDRNOTAVAIL, XEN_EADDRNOTAVAIL)                                                            \
    X(ENOBUFS, XEN_ENOBUFS)                                                                        \
    X(EISCONN, XEN_EISCONN)                                                                        \
    X(ENOTCONN, XEN_ENOTCONN)                                                                      \
    X(ETIMEDOUT, XEN_ETIMEDOUT)                                                                    \
    X(ECONNREFUSED, XEN_ECONNREFUSED)

#endif /* MINIXEN_PUBLIC_ERRNO_H */
