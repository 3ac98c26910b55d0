/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which UART of the host device tree is the console (serial_dt_console, xen/serial.h).
 *
 * A board's DT may list several UARTs and says which one is the console in /chosen's
 * stdout-path: a full path ("/pl011@9000000"), or an alias ("serial0", looked up in
 * /aliases), either followed by ":<options>" (the baud rate, which the firmware has set
 * already). A path component may leave out its unit address when the DT does. Without a
 * stdout-path, or if it names nothing a driver drives, the first available node that some
 * linked driver drives is the console, as QEMU's DTs expect. Its address is the CPU's,
 * through its buses' "ranges" (the Raspberry Pi 4's UARTs sit in /soc at 0x7e2xxxxx, the
 * CPU's 0xfe2xxxxx). The DT is the firmware's and
 * every length in it is checked before use (xen/common/fdt.c).
 */
#include <xen/fdt.h>
#include <xen/lib.h>
#include <xen/serial.h>

#define PATH_MAX_LEN   128
#define PATH_MAX_DEPTH 16
#define MAX_REG_SHIFT  4 /* registers 16 bytes apart: the widest spacing boards use */

/* A string property copied out, NUL-terminated, cut at the first ':' (false: absent). */
static bool prop_path(const struct fdt *fdt, const struct fdt_node *n, const char *name, char *out)
{
    uint32_t len, i;
    const char *s = fdt_prop(fdt, n, name, &len);

    if (s == NULL)
        return false;
    for (i = 0; i < len && i < PATH_MAX_LEN - 1 && s[i] != '\0' && s[i] != ':'; i++)
        out[i] = s[i];
    out[i] = '\0';
    return i > 0;
}

/* /chosen's stdout-path, an alias resolved through /aliases; "" if there is none. */
static void stdout_path(const struct fdt *fdt, char *path)
{
    char alias[PATH_MAX_LEN] = "";
    struct fdt_walk w;
    struct fdt_node n;

    path[0] = '\0';
    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, &n))
        if (n.depth == 1 && strcmp(n.name, "chosen") == 0 &&
            !prop_path(fdt, &n, "stdout-path", alias))
            prop_path(fdt, &n, "linux,stdout-path", alias);
    if (alias[0] == '/' || alias[0] == '\0') {
        memcpy(path, alias, PATH_MAX_LEN);
        return;
    }
    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, &n))
        if (n.depth == 1 && strcmp(n.name, "aliases") == 0 && prop_path(fdt, &n, alias, path) &&
            path[0] != '/')
            path[0] = '\0'; /* an alias is a path, never another alias */
}

/* Does one path component (len bytes at c) name the node called name? */
static bool component_is(const char *c, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    bool has_unit = false;

    for (size_t i = 0; i < len; i++)
        has_unit |= c[i] == '@';

    if (nlen == len && memcmp(c, name, len) == 0)
        return true;
    /* "serial" for "serial@fe201000": allowed when the path leaves out the unit address. */
    return !has_unit && nlen > len && name[len] == '@' && memcmp(c, name, len) == 0;
}

/* Is path the full path of the node whose ancestors (and itself) are names[1..depth]? */
static bool path_is(const char *path, const char *const *names, unsigned int depth)
{
    const char *p = path;

    for (unsigned int d = 1; d <= depth; d++) {
        const char *end;

        if (*p != '/')
            return false;
        p++;
        end = p;
        while (*end != '\0' && *end != '/')
            end++;
        if (!component_is(p, (size_t)(end - p), names[d]))
            return false;
        p = end;
    }
    return *p == '\0';
}

/* The driver for the first string of n's compatible (most specific first) that one has. */
static const struct serial_driver *driver_of(const struct fdt *fdt, const struct fdt_node *n)
{
    uint32_t len, i = 0;
    const char *s = fdt_prop(fdt, n, "compatible", &len);

    while (s != NULL && i < len) {
        uint32_t start = i;
        const struct serial_driver *drv;

        while (i < len && s[i] != '\0')
            i++;
        if (i == len)
            return NULL; /* unterminated: not a string list we trust */
        drv = serial_driver_by_compatible(s + start);
        if (drv != NULL)
            return drv;
        i++;
    }
    return NULL;
}

/*
 * path[depth]'s registers as a resource; false if it has none, no bus maps them, or a
 * spacing no driver here handles.
 */
static bool resource_of(const struct fdt *fdt, const struct fdt_node *path, unsigned int depth,
                        const struct serial_driver *drv, struct serial_resource *r)
{
    const struct fdt_node *n = &path[depth];
    uint64_t size;
    uint32_t shift = 0, width = drv->default_reg_width;

    if (!fdt_reg(fdt, n, 0, &r->base, &size) || size == 0 ||
        !fdt_translate(fdt, path, depth, &r->base, size) || r->base == 0)
        return false;
    fdt_prop_u32(fdt, n, "reg-shift", &shift);
    fdt_prop_u32(fdt, n, "reg-io-width", &width);
    if (shift > MAX_REG_SHIFT || (width != 1 && width != 4))
        return false;
    r->pio = NULL;
    r->reg_shift = shift;
    r->reg_width = width;
    return true;
}

bool serial_dt_console(const struct fdt *fdt, const struct serial_driver **drv,
                       struct serial_resource *r, struct fdt_node *node)
{
    const char *names[PATH_MAX_DEPTH + 1] = {""};
    struct fdt_node nodes[PATH_MAX_DEPTH + 1];
    char path[PATH_MAX_LEN];
    bool found_first = false;
    struct fdt_walk w;
    struct fdt_node n;

    stdout_path(fdt, path);
    fdt_walk_start(&w);
    while (fdt_walk_next(fdt, &w, &n)) {
        const struct serial_driver *d;
        struct serial_resource res;
        bool named;

        if (n.depth > PATH_MAX_DEPTH)
            continue;
        names[n.depth] = n.name;
        nodes[n.depth] = n;
        if (n.depth == 0 || !fdt_is_available(fdt, &n))
            continue;
        named = path[0] != '\0' && path_is(path, names, n.depth);
        if (found_first && !named)
            continue;
        d = driver_of(fdt, &n);
        if (d == NULL || !resource_of(fdt, nodes, n.depth, d, &res))
            continue;
        if (named || !found_first) {
            *drv = d;
            *r = res;
            *node = n;
            found_first = true;
        }
        if (named || path[0] == '\0')
            return true;
    }
    return found_first;
}
