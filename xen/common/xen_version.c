/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HYPERVISOR_xen_version(cmd, arg) (Xen 4.17 xen/common/kernel.c). minixen reports Xen
 * 4.17, so guests use the ABI level they use on Xen 4.17, and says what it is in the
 * extraversion ("4.17.0-minixen"). The feature bits depend on the kind of guest
 * (xen/include/xen/guest_kind.h). As on Xen, every domain may read everything but the
 * hypervisor's command line and build id, which only the privileged domain may.
 */
#include <xen/errno.h>
#include <xen/guest_kind.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <public/features.h>
#include <public/version.h>

#define XEN_MAJOR            4
#define XEN_MINOR            17
#define MINIXEN_EXTRAVERSION ".0-minixen"

/* Every guest gets these: it is auto-translated (HVM, PVH, ARM). */
#define FEATURES_COMMON                                                                            \
    ((1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_writable_page_tables) |            \
     (1u << XENFEAT_auto_translated_physmap))

static uint32_t xen_features_of(const struct domain *d)
{
    uint32_t f = FEATURES_COMMON | guest_kind_of(d)->xen_features;

    /* Whether its RAM is mapped 1:1 (Linux then bounces DMA through swiotlb-xen). */
    f |= 1u << (arch_domain_direct_mapped(d) ? XENFEAT_direct_mapped : XENFEAT_not_direct_mapped);
    if (d->is_privileged)
        f |= 1u << XENFEAT_dom0;
    return f;
}

/*
 * A string result: the whole fixed-size array, NUL-padded, as Xen copies it. The sub-ops
 * that copy are out of line: inlined, their buffers would give every call their stack
 * frame, the bare XENVER_version included.
 */
static NOINLINE long copy_string(struct vcpu *curr, gpaddr_t arg, const char *s, size_t size)
{
    char buf[1024];
    size_t n = MIN(strlen(s), size - 1);

    memset(buf, 0, size);
    memcpy(buf, s, n);
    return arch_copy_to_guest(curr->domain, arg, buf, size) != 0 ? -EFAULT : 0;
}

static NOINLINE long get_features(struct vcpu *curr, gpaddr_t arg)
{
    struct xen_feature_info fi;

    if (arch_copy_from_guest(curr->domain, &fi, arg, sizeof(fi)) != 0)
        return -EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -EINVAL;
    fi.submap = xen_features_of(curr->domain);
    return arch_copy_to_guest(curr->domain, arg, &fi, sizeof(fi)) != 0 ? -EFAULT : 0;
}

static NOINLINE long compile_info(struct vcpu *curr, gpaddr_t arg)
{
    struct xen_compile_info info;

    memset(&info, 0, sizeof(info));
    memcpy(info.compiler, __VERSION__, MIN(sizeof(__VERSION__), sizeof(info.compiler) - 1));
    memcpy(info.compile_by, "minixen", sizeof("minixen"));
    return arch_copy_to_guest(curr->domain, arg, &info, sizeof(info)) != 0 ? -EFAULT : 0;
}

/* XENVER_platform_parameters: virt_start is meaningless to auto-translated guests: 0. */
static NOINLINE long platform_parameters(struct vcpu *curr, gpaddr_t arg)
{
    uint64_t virt_start = 0;
    size_t len = guest_kind_of(curr->domain)->compat32 ? 4 : 8;

    return arch_copy_to_guest(curr->domain, arg, &virt_start, len) != 0 ? -EFAULT : 0;
}

/* args: cmd, guest address of the result (or NULL where the cmd takes none). */
long hypercall_xen_version(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    gpaddr_t arg = args[1];
    bool priv;

    /* The sub-op guests call most (the cheapest hypercall there is): before the switch. */
    if ((unsigned int)args[0] == XENVER_version)
        return (XEN_MAJOR << 16) | XEN_MINOR;
    priv = curr->domain->is_privileged;
    switch ((unsigned int)args[0]) {
    case XENVER_extraversion:
        return copy_string(curr, arg, MINIXEN_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info:
        return compile_info(curr, arg);
    case XENVER_capabilities:
        return copy_string(curr, arg, guest_kind_of(curr->domain)->capabilities,
                           XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return copy_string(curr, arg, "unavailable", XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters:
        return platform_parameters(curr, arg);
    case XENVER_get_features:
        return get_features(curr, arg);
    case XENVER_pagesize:
        return arg != 0 ? -EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle:
        /* The domain's 16-byte handle (a UUID the toolstack sets): minixen has none. */
        return copy_string(curr, arg, "", 16);
    case XENVER_commandline:
        /* minixen takes no command line; others get Xen's "<denied>" (its length only). */
        return priv ? copy_string(curr, arg, "", sizeof(xen_commandline_t))
                    : copy_string(curr, arg, "<denied>", sizeof("<denied>"));
    case XENVER_build_id:
        return priv ? -XEN_ENODATA : -EPERM; /* linked without a build id */
    default:
        return -ENOSYS;
    }
}
