# SPDX-License-Identifier: Apache-2.0
"""make check-abi against Xen 4.17's own public headers (Debian's libxen-dev).

tools/fetch-xen-headers.sh unpacks them into build/xen-4.17/include/xen. For each guest
ABI (x86_32, x86_64, arm32, arm64) one probe includes Xen's counterparts of minixen's
public headers as a guest sees them (__XEN_INTERFACE_VERSION__ = Xen's latest, neither
__XEN__ nor __XEN_TOOLS__), another includes minixen's; both are compiled with that
target's compiler and read back the same way (DWARF for layouts, a data section for
values). Compared:

  structs    every minixen struct with Xen's struct of the same name on the same target;
             minixen's explicitly named per-guest layouts (NAME_x86_32, NAME_x86_64,
             NAME_arm, NAME_64), when Xen has no such name, with Xen's NAME on each target
             whose guests get that layout. Size, every member's offset and size at every
             nesting level, and the alignment when both are on the same target. Two of
             minixen's documented rules (docs/abi.md) are accepted without a table entry:
             a member named _* that only minixen has, lying in a hole or the tail padding
             of Xen's layout (explicit padding); and a guest handle compared as a whole
             (Xen's holds a raw pointer, minixen's an integer).
  constants  every object-like macro of minixen's headers that is an integer constant, and
             every expression of expected/constants.txt, with the same expression compiled
             against Xen's headers (a macro or an enumerator there), where Xen has it.

Anything else that differs or that Xen lacks must be in expected/xen-headers.txt with its
reason; an entry that no longer matches anything fails as stale. Names Xen lacks that are
not claimed as Xen's (not in constants.txt, i.e. minixen's helper macros) are listed in
the TAP output, not compared.
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import tempfile

from abi_dwarf import TARGETS, AbiError, extract, run, write

# Xen 4.17's __XEN_LATEST_INTERFACE_VERSION__: what a guest built today asks for.
XEN_INTERFACE_VERSION = "0x00040e00"
XEN_PACKAGE = "libxen-dev 4.17."

# minixen header -> Xen's. None: Xen's xen.h includes the compiling target's arch header
# itself, and including another arch's would redefine struct arch_vcpu_info and friends.
# Headers not listed have the same path under xen/.
XEN_HEADER_MAP = {
    "public/arch-arm.h": None,
    "public/arch-x86/xen.h": None,
    "public/arch-x86/xen-x86_32.h": None,
    "public/arch-x86/xen-x86_64.h": None,
    "public/hvm/start_info.h": "xen/arch-x86/hvm/start_info.h",
}

# minixen's per-guest layout suffixes and the targets whose guests get each (docs/abi.md).
GUEST_SUFFIXES = [("_x86_32", ["x86_32"]), ("_x86_64", ["x86_64"]),
                  ("_arm", ["arm32", "arm64"]), ("_64", ["x86_64", "arm32", "arm64"])]

# First value of every probe's value array: proves the byte order and the parsing.
SENTINEL = 0x0123456789ABCDEF
VALUES_SECTION = ".abi_values"


# ---------------------------------------------------------------- the table

class Entry:
    def __init__(self, kind, targets, name, member, reason, where):
        self.kind, self.targets, self.name, self.member = kind, targets, name, member
        self.reason, self.where, self.used = reason, where, set()

    def label(self):
        return self.name + ("." + self.member if self.member else "")


class Table:
    """expected/xen-headers.txt: what minixen intends to differ from Xen's headers."""

    KINDS = ("extension", "absent", "differ")

    def __init__(self, path):
        self.entries = []
        with open(path) as f:
            for n, raw in enumerate(f, 1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                where = "%s:%d" % (os.path.relpath(path), n)
                w = line.split(None, 3)
                if len(w) < 4 or w[0] not in self.KINDS:
                    raise AbiError("%s: expected 'KIND TARGETS NAME REASON', KIND one of %s"
                                   % (where, "/".join(self.KINDS)))
                targets = TARGETS if w[1] == "all" else w[1].split(",")
                if any(t not in TARGETS for t in targets):
                    raise AbiError("%s: unknown target in '%s'" % (where, w[1]))
                name, _, member = w[2].partition(".")
                if (w[0] == "differ") != bool(member):
                    raise AbiError("%s: 'differ' names STRUCT.MEMBER, the others a bare NAME"
                                   % where)
                self.entries.append(Entry(w[0], targets, name, member, w[3], where))

    def find(self, kinds, target, name, member=""):
        for e in self.entries:
            if e.kind in kinds and target in e.targets and e.name == name and \
                    e.member == member:
                e.used.add(target)
                return e
        return None

    def stale(self):
        return ["%s: %s %s on %s matches nothing in Xen's headers: remove it"
                % (e.where, e.kind, e.label(), ",".join(t for t in e.targets if t not in e.used))
                for e in self.entries if set(e.targets) - e.used]


# ---------------------------------------------------------------- probes

class Side:
    """One target's view of one set of headers."""

    def __init__(self, layouts, values, internal=(), macros=()):
        self.layouts, self.values = layouts, values
        self.internal = set(internal)  # values found only in Xen's hypervisor-only errnos
        self.macros = set(macros)      # every macro name the headers define


def section_words(readelf, obj, section):
    """The 64-bit little-endian words of an object's section (`readelf -x`)."""
    text = run([readelf, "-x", section, obj], "readelf -x " + obj)
    data = ""
    for line in text.splitlines():
        # "  0x00000000 efcdab89 67452301 ........": 16 bytes as hex from column 13 on.
        if line.startswith("  0x"):
            data += line[13:49].replace(" ", "")
    raw = bytes.fromhex(data)
    return [int.from_bytes(raw[i:i + 8], "little") for i in range(0, len(raw) - 7, 8)]


def probe(cc, flags, prelude, exprs, structs, src, readelf, dwarf):
    """Compile `prelude` with one item per expression and per struct alignment.

    Pass 1 (syntax only) drops the items the compiler refuses (a name these headers do
    not define, or not an integer constant); pass 2 compiles the rest. Returns
    ({expr: value}, {struct: Layout} if dwarf else None).
    """
    exprs, structs = list(exprs), list(structs)
    for _ in range(5):
        lines = prelude.rstrip("\n").split("\n")
        at = {}
        for e in exprs:
            lines.append('_Static_assert((unsigned long long)(%s) || 1, "value");' % e)
            at[len(lines)] = ("e", e)
        for s in structs:
            lines.append("const unsigned char abi_align__%s[_Alignof(struct %s)];" % (s, s))
            at[len(lines)] = ("s", s)
        write(src, "\n".join(lines) + "\n")
        p = subprocess.run([cc] + flags + ["-w", "-fsyntax-only", src], capture_output=True,
                           text=True)
        if p.returncode == 0:
            break
        bad = {int(n) for n in re.findall(re.escape(src) + r":(\d+):", p.stderr)} & set(at)
        if not bad:
            raise AbiError("%s %s failed:\n%s" % (os.path.basename(cc), src, p.stderr))
        exprs = [e for e in exprs if ("e", e) not in {at[n] for n in bad}]
        structs = [s for s in structs if ("s", s) not in {at[n] for n in bad}]
    else:
        raise AbiError("%s %s: still failing after dropping refused items" % (cc, src))

    lines = prelude.rstrip("\n").split("\n")
    lines.append('__attribute__((used, section("%s"))) static const unsigned long long '
                 'abi_values[] = {' % VALUES_SECTION)
    lines.append("    0x%XULL," % SENTINEL)
    lines.extend("    (unsigned long long)(%s)," % e for e in exprs)
    lines.append("};")
    lines.extend("const unsigned char abi_align__%s[_Alignof(struct %s)];" % (s, s)
                 for s in structs)
    write(src, "\n".join(lines) + "\n")
    obj = src[:-2] + ".o"
    debug = ["-g", "-fno-eliminate-unused-debug-types"] if dwarf else []
    run([cc] + flags + debug + ["-w", "-c", src, "-o", obj], "%s %s" % (os.path.basename(cc), src))
    words = section_words(readelf, obj, VALUES_SECTION)
    if len(words) != len(exprs) + 1 or words[0] != SENTINEL:
        raise AbiError("%s: section %s does not hold the %d values (sentinel %s)"
                       % (obj, VALUES_SECTION, len(exprs), hex(words[0]) if words else "-"))
    values = dict(zip(exprs, words[1:]))
    layouts = None
    if dwarf:
        text = run([readelf, "--debug-dump=info", obj], "readelf " + obj)
        write(src[:-2] + ".dwarf.txt", text)
        layouts = extract(text)
    return values, layouts


MACRO_RE = re.compile(r"#define (\w+)(\()?\s*(.*)$")


def defines(cc, flags, text, src):
    """{macro: (is function-like, replacement text)} after `text` (cc -dM -E)."""
    write(src, text)
    out = run([cc] + flags + ["-dM", "-E", src], "%s -dM %s" % (os.path.basename(cc), src))
    return {m.group(1): (bool(m.group(2)), m.group(3))
            for m in map(MACRO_RE.match, out.splitlines()) if m}


def macro_candidates(cc, flags, prelude, work):
    """Object-like macros the prelude's headers define (not <stdint.h>'s or the compiler's)
    whose text could be an integer constant."""
    ours = defines(cc, flags, prelude, os.path.join(work, "macros.c"))
    base = defines(cc, flags, "#include <stdint.h>\n", os.path.join(work, "macros_base.c"))
    return sorted(n for n, (func, body) in ours.items()
                  if n not in base and not func and body and ";" not in body
                  and not body.startswith('"'))


def minixen_sides(include, headers, ccs, readelf, out, per_target, claimed):
    """{target: Side} of minixen's headers; layouts are the ones abi_check read already."""
    prelude = "/* generated by tests/abi/xen_compare.py */\n" + \
        "".join("#include <%s>\n" % h for h in headers)

    def one(t):
        work = os.path.join(out, t)
        os.makedirs(work, exist_ok=True)
        flags = ["-std=c11", "-ffreestanding", "-I", include]
        exprs = sorted(set(macro_candidates(ccs[t], flags, prelude, work)) | set(claimed))
        values, _ = probe(ccs[t], flags, prelude, exprs, [],
                          os.path.join(work, "minixen_values.c"), readelf, False)
        return t, Side(per_target[t], values)

    with concurrent.futures.ThreadPoolExecutor(len(TARGETS)) as ex:
        return dict(ex.map(one, TARGETS))


def xen_headers(include, xen_include):
    """Xen's counterparts of minixen's public headers, xen.h first."""
    found, missing = ["xen/xen.h"], []
    for h in include:
        x = XEN_HEADER_MAP.get(h, "xen/" + h[len("public/"):])
        if x is None or x in found:
            continue
        if not os.path.exists(os.path.join(xen_include, x)):
            missing.append("%s (looked for %s)" % (h, x))
        found.append(x)
    if missing:
        raise AbiError("no counterpart in Xen's headers for " + ", ".join(missing) +
                       "; map it in XEN_HEADER_MAP (tests/abi/xen_compare.py)")
    return found


def xen_sides(xen_include, headers, ccs, readelf, out, mx_sides):
    """{target: Side} of Xen's headers, probing what minixen has on that target."""
    prelude = "/* generated by tests/abi/xen_compare.py */\n" \
        "#define __XEN_INTERFACE_VERSION__ %s\n" % XEN_INTERFACE_VERSION + \
        "#include <stdint.h> /* Xen's headers use its types; a guest provides them */\n" + \
        "".join("#include <%s>\n" % h for h in headers) + \
        "_Static_assert(__XEN_INTERFACE_VERSION__ == __XEN_LATEST_INTERFACE_VERSION__,\n" \
        '               "probe the interface Xen\'s headers call latest");\n'
    # gnu11: Xen's ARM arch_vcpu_info and arch_shared_info are empty structs (GNU C).
    flags = ["-std=gnu11", "-ffreestanding", "-O0", "-I", xen_include]

    def one(t):
        work = os.path.join(out, t)
        os.makedirs(work, exist_ok=True)
        names = set(mx_sides[t].layouts)
        # The alignment of Xen's NAME too, for minixen's per-guest NAME_x86_32 and the like.
        names |= {n[:-len(s)] for n in names for s, _ in GUEST_SUFFIXES if n.endswith(s)}
        values, layouts = probe(ccs[t], flags, prelude, sorted(mx_sides[t].values),
                                sorted(names), os.path.join(work, "xen_probe.c"), readelf, True)
        # Errno values Xen keeps for itself (EINTR, ERESTART under __XEN__): errno.h needs
        # nothing else, so it can be read as the hypervisor sees it.
        rest = [e for e in mx_sides[t].values if e not in values and e.startswith("XEN_E")]
        internal, _ = probe(ccs[t], flags, "#define __XEN__\n#include <xen/errno.h>\n", rest, [],
                            os.path.join(work, "xen_errno.c"), readelf, False)
        values.update(internal)
        macros = defines(ccs[t], flags, prelude, os.path.join(work, "xen_macros.c"))
        return t, Side(layouts, values, internal, macros)

    with concurrent.futures.ThreadPoolExecutor(len(TARGETS)) as ex:
        return dict(ex.map(one, TARGETS))


def ensure_headers(xen_dir, fetch):
    """Xen's include directory and its VERSION line; fetches them if missing."""
    inc = os.path.join(xen_dir, "include")
    if not os.path.exists(os.path.join(inc, "xen", "xen.h")) and fetch:
        p = subprocess.run(["bash", fetch, xen_dir], capture_output=True, text=True)
        if p.returncode != 0:
            raise AbiError("fetching Xen 4.17's headers failed (%s %s):\n%s%s"
                           % (fetch, xen_dir, p.stdout, p.stderr))
    try:
        with open(os.path.join(inc, "VERSION")) as f:
            version = f.read().strip()
    except OSError:
        raise AbiError("Xen 4.17's headers are not in %s (run tools/fetch-xen-headers.sh)"
                       % inc) from None
    if not version.startswith(XEN_PACKAGE) or \
            not os.path.exists(os.path.join(inc, "xen", "xen.h")):
        raise AbiError("%s holds '%s', not %s*" % (inc, version, XEN_PACKAGE))
    return inc, version


# ---------------------------------------------------------------- comparing

def expand(lay):
    """{name: (offset, Member)} with anonymous aggregates' members lifted to this level."""
    out = {}
    for m in lay.members:
        if m.name == "(anonymous)" and m.sub is not None:
            for n, (o, sm) in expand(m.sub).items():
                out[n] = (m.offset + o, sm)
        else:
            out[m.name] = (m.offset, m)
    return out


class Stats:
    def __init__(self):
        self.members = self.padding = self.handles = 0


def diff_members(mx, xen, prefix, out, stats):
    """Appends (member path, message) for each difference between two aggregates."""
    mine, theirs = expand(mx), expand(xen)
    for name, (off, xm) in sorted(theirs.items(), key=lambda kv: kv[1][0]):
        path = prefix + name
        if name not in mine:
            out.append((path, "member %s: in Xen (offset %d, size %d), not in minixen"
                        % (path, off, xm.size)))
            continue
        moff, mm = mine[name]
        stats.members += 1
        xh, mh = xm.tname.startswith("__guest_handle"), mm.tname.startswith("xen_guest_handle")
        if (moff, mm.size) != (off, xm.size):
            out.append((path, "member %s: minixen offset %d size %d, Xen offset %d size %d"
                        % (path, moff, mm.size, off, xm.size)))
        elif xh or mh:
            if xh and mh:
                stats.handles += 1  # compared as a whole: Xen's p is a raw pointer
            else:
                out.append((path, "member %s: a guest handle only in %s (%s vs Xen's %s)"
                            % (path, "Xen" if xh else "minixen", mm.tname, xm.tname)))
        elif (mm.sub is None) != (xm.sub is None) or \
                (mm.sub is not None and mm.sub.kind != xm.sub.kind):
            out.append((path, "member %s: minixen %s, Xen %s" % (path, mm.tname, xm.tname)))
        elif mm.sub is not None:
            diff_members(mm.sub, xm.sub, path + ".", out, stats)
    spans = [(o, o + xm.size) for o, xm in theirs.values()]
    for name, (off, mm) in sorted(mine.items(), key=lambda kv: kv[1][0]):
        if name in theirs:
            continue
        end = off + mm.size
        if name.startswith("_") and end <= xen.size and \
                all(end <= a or off >= b for a, b in spans):
            stats.padding += 1  # minixen names a hole Xen leaves implicit
        else:
            out.append((prefix + name, "member %s%s: in minixen (offset %d, size %d), not in Xen"
                        % (prefix, name, off, mm.size)))


def diff_struct(mx, xen, same_target, stats):
    out = []
    if mx.size != xen.size:
        out.append(("", "size: minixen %d, Xen %d" % (mx.size, xen.size)))
    if same_target and mx.align != xen.align:
        out.append(("", "alignment: minixen %s, Xen %s" % (mx.align, xen.align)))
    diff_members(mx, xen, "", out, stats)
    return out


def counterparts(name, t, xen):
    """([(Xen's struct name, Xen's target)] that minixen's struct `name` on t must equal,
    [guest targets of a per-guest layout where Xen lacks the plain name])."""
    if name in xen[t].layouts:
        return [(name, t)], []
    for suffix, guests in GUEST_SUFFIXES:
        if name.endswith(suffix):
            base = name[:-len(suffix)]
            found = [(base, g) for g in guests if base in xen[g].layouts]
            return found, ([g for g in guests if base not in xen[g].layouts] if found else [])
    return [], []


def show(v):
    if v >= 1 << 63:
        return str(v - (1 << 64))
    return str(v) if v < 1 << 16 else hex(v)


def compare(mx, xen, table, claimed):
    """TAP results for the structs and constants, and {target: (structs, members, consts)}."""
    results = []
    counts = {t: [0, 0, 0] for t in TARGETS}
    names = sorted(mx[TARGETS[0]].layouts)
    for name in names:
        fails, intended, absent, ext = [], [], [], None
        stats, others = Stats(), {}
        for t in TARGETS:
            pairs, lacking = counterparts(name, t, xen)
            fails.extend("%s: per-guest layout %s, but Xen has no struct %s on %s"
                         % (t, name, pairs[0][0], g) for g in lacking)
            if not pairs:
                e = table.find(("extension", "absent"), t, name)
                if e is None:
                    fails.append("%s: struct %s is not in Xen's headers, nor a per-guest "
                                 "counterpart (intended? list it in xen-headers.txt)" % (t, name))
                elif e.kind == "extension":
                    ext = e
                else:
                    absent.append((t, e))
                continue
            for xn, g in pairs:
                if xn != name:
                    others.setdefault(xn, set()).add(g)
                before = stats.members
                where = t if g == t else "%s (vs Xen's %s on %s)" % (t, xn, g)
                for path, msg in diff_struct(mx[t].layouts[name], xen[g].layouts[xn], g == t,
                                             stats):
                    e = table.find(("differ",), g, xn, path)
                    if e is None:
                        fails.append("%s: %s" % (where, msg))
                    else:
                        intended.append(e)
                if g == t:  # per-target counts: both sides compiled for t
                    counts[t][0] += 1
                    counts[t][1] += stats.members - before
        fails = list(dict.fromkeys(fails))
        what = "struct %s" % name
        if fails:
            best = next((f for f in fails if "member" in f), fails[0])
            more = " (+%d more)" % (len(fails) - 1) if len(fails) > 1 else ""
            results.append((False, "%s vs Xen 4.17's headers: %s%s" % (what, best, more), fails))
            continue
        if ext is not None:
            results.append((True, "%s: minixen extension, not in Xen (%s) # SKIP not in Xen's "
                            "headers" % (what, ext.reason), []))
            continue
        compared = [t for t in TARGETS if t not in {a[0] for a in absent}]
        if others:
            line = "%s (on %s) = Xen 4.17's %s" % (what, ", ".join(compared), ", ".join(
                "struct %s on %s" % (xn, "/".join(t for t in TARGETS if t in gs))
                for xn, gs in sorted(others.items())))
        else:
            line = "%s = Xen 4.17's on %s" % (what, ", ".join(compared))
        sizes = {t: mx[t].layouts[name].size for t in compared}
        if len(set(sizes.values())) == 1:
            size = "%d bytes" % sizes[compared[0]]
        else:
            size = "bytes: " + ", ".join("%s %d" % kv for kv in sizes.items())
        notes = ["%s, %d member comparisons" % (size, stats.members)]
        if stats.padding:
            notes.append("named padding over Xen's holes")
        if stats.handles:
            notes.append("guest handles compared whole")
        for e in dict.fromkeys(intended):
            notes.append("intended: %s on %s differs, %s" % (e.label(), ",".join(e.targets),
                                                             e.reason))
        for e in dict.fromkeys(e for _, e in absent):
            notes.append("not in Xen on %s: %s" % (",".join(t for t, x in absent if x is e),
                                                   e.reason))
        results.append((True, "%s (%s)" % (line, "; ".join(notes)), []))

    for t in TARGETS:
        mv, xv = mx[t].values, xen[t].values
        fails, listed, helpers = [], [], []
        internal = sorted(xen[t].internal)
        for expr in sorted(mv):
            key = re.match(r"\w+", expr).group(0)
            if expr in xv:
                counts[t][2] += 1
                if mv[expr] != xv[expr]:
                    fails.append("%s: %s: minixen %s, Xen %s"
                                 % (t, expr, show(mv[expr]), show(xv[expr])))
                continue
            e = table.find(("extension", "absent"), t, key)
            if e is not None:
                listed.append("%s (%s)" % (expr, e.kind))
            elif key in xen[t].macros:
                fails.append("%s: %s: Xen's headers define it, but not as an integer constant "
                             "(minixen %s)" % (t, expr, show(mv[expr])))
            elif expr in claimed:
                fails.append("%s: %s is in expected/constants.txt (a Xen number) but not in Xen's"
                             " headers (intended? list it in xen-headers.txt)" % (t, expr))
            else:
                helpers.append(expr)
        if fails:
            results.append((False, "constants on %s vs Xen 4.17's headers: %s%s"
                            % (t, fails[0], " (+%d more)" % (len(fails) - 1)
                               if len(fails) > 1 else ""), fails))
        else:
            results.append((True, "constants on %s = Xen 4.17's: %d values (%d of them Xen's "
                            "hypervisor-only errnos); not in Xen, listed: %d; minixen-only "
                            "helpers, not compared: %d" % (t, counts[t][2], len(internal),
                                                          len(listed), len(helpers)),
                            ["hypervisor-only errnos: " + ", ".join(internal),
                             "listed in xen-headers.txt: " + ", ".join(listed),
                             "helpers: " + ", ".join(helpers)]))
    stale = table.stale()
    results.append((not stale, "expected/xen-headers.txt: every entry is still needed%s"
                    % (": " + stale[0] if stale else " (%d entries)" % len(table.entries)),
                    stale))
    return results, counts


# ---------------------------------------------------------------- entry points

def check(include, headers, xen_dir, fetch, out, ccs, readelf, per_target, claimed, table_path,
          with_selftest):
    """TAP results of the whole comparison (raises AbiError if it cannot run)."""
    xen_inc, version = ensure_headers(xen_dir, fetch)
    table = Table(table_path)
    xheaders = xen_headers(headers, xen_inc)
    mx = minixen_sides(include, headers, ccs, readelf, out, per_target, claimed)
    xen = xen_sides(xen_inc, xheaders, ccs, readelf, out, mx)
    results, counts = compare(mx, xen, table, claimed)
    head = [(True, "Xen's own headers: %s in %s; %s" % (version, xen_inc, "; ".join(
        "%s %d structs, %d members, %d constants compared" % ((t,) + tuple(counts[t]))
        for t in TARGETS)), [])]
    results = head + results
    if with_selftest:
        results.extend(selftest(include, headers, xen_inc, xheaders, out, ccs, readelf, mx, xen,
                                table_path, claimed))
    return results


# (description, side, header, anchor, replacement, words the failure must name)
MUTATIONS = [
    ("a member added to Xen's struct evtchn_bind_ipi", "xen", "xen/event_channel.h",
     "struct evtchn_bind_ipi {\n    uint32_t vcpu;\n",
     "struct evtchn_bind_ipi {\n    uint32_t vcpu;\n    uint32_t stray;\n",
     ("evtchn_bind_ipi", "stray")),
    ("Xen's VIRQ_CON_RING changed", "xen", "xen/xen.h",
     "#define VIRQ_CON_RING   8 ", "#define VIRQ_CON_RING   18 ", ("VIRQ_CON_RING",)),
    ("minixen's SCHEDOP_watchdog changed (a macro constants.txt does not list)", "minixen",
     "public/sched.h", "#define SCHEDOP_watchdog        6", "#define SCHEDOP_watchdog        7",
     ("SCHEDOP_watchdog",)),
]


def selftest(include, headers, xen_inc, xheaders, out, ccs, readelf, mx, xen, table_path,
             claimed):
    """Each mutated copy must make the comparison fail, naming what was changed."""
    results = []
    for desc, side, header, anchor, repl, words in MUTATIONS:
        tmp = tempfile.mkdtemp(prefix="xen-selftest-", dir=out)
        try:
            src_root = xen_inc if side == "xen" else include
            top = header.split("/")[0]
            shutil.copytree(os.path.join(src_root, top), os.path.join(tmp, top))
            path = os.path.join(tmp, header)
            with open(path) as f:
                text = f.read()
            if anchor not in text:
                results.append((False, "self-test (Xen's headers): %s: anchor not found in %s "
                                "(update MUTATIONS)" % (desc, header), []))
                continue
            write(path, text.replace(anchor, repl, 1))
            work = os.path.join(tmp, "out")
            try:
                if side == "xen":
                    res, _ = compare(mx, xen_sides(tmp, xheaders, ccs, readelf, work, mx),
                                     Table(table_path), claimed)
                else:
                    # Only a value changes, so the layouts abi_check read still hold.
                    per_target = {t: mx[t].layouts for t in TARGETS}
                    mx2 = minixen_sides(tmp, headers, ccs, readelf, work, per_target, claimed)
                    res, _ = compare(mx2, xen, Table(table_path), claimed)
                msgs = [d for ok, line, det in res if not ok for d in [line] + det]
            except AbiError as e:
                msgs = [str(e)]
            named = [m for m in msgs if all(w in m for w in words)]
            if named:
                results.append((True, "self-test (Xen's headers): %s is caught: %s"
                                % (desc, named[0]), []))
            else:
                results.append((False, "self-test (Xen's headers): %s is NOT caught%s"
                                % (desc, " by name" if msgs else ""), msgs[:5]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return results
