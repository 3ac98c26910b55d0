# SPDX-License-Identifier: Apache-2.0
"""The toolchain and DWARF reader of make check-abi (abi_check.py, xen_compare.py).

find_compilers() finds one C compiler per guest ABI (TARGETS); extract() turns the
`readelf --debug-dump=info` text of an object into {struct or union tag: Layout}: size,
alignment (from the probe's `abi_align__NAME` arrays) and members, each with offset, size,
type name and, for a nested aggregate, its own Layout; flatten() lists every member at
every nesting level as (a.b.c, offset from the start, size).
"""

import os
import re
import shutil
import subprocess

TARGETS = ["x86_32", "x86_64", "arm32", "arm64"]
# Compiler candidates per target, and what `cc -dumpmachine` must start with.
CC_CANDIDATES = {
    "x86_32": (["i686-linux-gnu-gcc"], r"i[3-6]86"),
    "x86_64": (["x86_64-linux-gnu-gcc", "gcc"], r"x86_64"),
    "arm32": (["arm-linux-gnueabihf-gcc", "arm-linux-gnueabi-gcc"], r"arm"),
    "arm64": (["aarch64-linux-gnu-gcc", "gcc"], r"aarch64"),
}
CFLAGS = ["-std=c11", "-ffreestanding", "-O0", "-g", "-fno-eliminate-unused-debug-types",
          "-Wall", "-Wextra", "-Werror"]


class AbiError(Exception):
    pass


# ---------------------------------------------------------------- toolchain

def find_compilers():
    """target -> compiler path; raises AbiError naming what is missing."""
    found, missing = {}, []
    for t in TARGETS:
        override = os.environ.get("ABI_CC_" + t)
        names, pattern = CC_CANDIDATES[t]
        for name in ([override] if override else names):
            path = shutil.which(name)
            if not path:
                continue
            try:
                machine = subprocess.run([path, "-dumpmachine"], capture_output=True,
                                         text=True, check=True).stdout.strip()
            except (OSError, subprocess.CalledProcessError):
                continue
            if re.match(pattern, machine):
                found[t] = path
                break
        else:
            missing.append("%s (%s)" % (t, " or ".join([override] if override else names)))
    if missing:
        raise AbiError("no compiler for " + ", ".join(missing) +
                       "; install: apt-get install gcc-i686-linux-gnu gcc-arm-linux-gnueabihf"
                       " gcc-aarch64-linux-gnu (or run make deps)")
    return found


def readelf_cmd():
    for name in ("readelf", "x86_64-linux-gnu-readelf", "aarch64-linux-gnu-readelf"):
        path = shutil.which(name)
        if path:
            return path
    raise AbiError("readelf (binutils) not found")


def run(cmd, what):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise AbiError("%s failed:\n%s%s" % (what, p.stdout, p.stderr))
    return p.stdout


# ---------------------------------------------------------------- DWARF

DIE_RE = re.compile(r"^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((DW_TAG_\w+)\))?")
ATTR_RE = re.compile(r"^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*: ?(.*)$")


class Die:
    __slots__ = ("off", "tag", "attrs", "children", "parent")

    def __init__(self, off, tag, parent):
        self.off, self.tag, self.attrs, self.children, self.parent = off, tag, {}, [], parent


def parse_dwarf(text):
    """readelf --debug-dump=info output -> (dies by offset, top-level dies)."""
    dies, top, stack = {}, [], {}
    cur = None
    for line in text.splitlines():
        m = DIE_RE.match(line)
        if m:
            depth, off, abbrev, tag = int(m.group(1)), int(m.group(2), 16), m.group(3), m.group(4)
            if abbrev == "0":  # end of a sibling list
                cur = None
                continue
            parent = stack.get(depth - 1)
            cur = Die(off, tag, parent)
            dies[off] = cur
            if parent is not None:
                parent.children.append(cur)
            if depth == 1:
                top.append(cur)
            stack = {d: die for d, die in stack.items() if d < depth}
            stack[depth] = cur
            continue
        m = ATTR_RE.match(line)
        if m and cur is not None:
            cur.attrs[m.group(1)] = m.group(2).strip()
    return dies, top


def attr_name(die):
    v = die.attrs.get("DW_AT_name")
    if v is None:
        return None
    if v.startswith("("):  # "(indirect string, offset: 0x..): name"
        v = v.split("): ", 1)[1]
    return v.strip()


def attr_int(die, name, default=None):
    v = die.attrs.get(name)
    if v is None:
        return default
    m = re.search(r"DW_OP_plus_uconst: (\d+)", v)
    if m:
        return int(m.group(1))
    return int(v.split()[0], 0)


def attr_ref(die):
    v = die.attrs.get("DW_AT_type")
    if v is None:
        return None
    return int(re.search(r"<0x([0-9a-f]+)>", v).group(1), 16)


class Member:
    __slots__ = ("name", "offset", "size", "tname", "sub", "problems")

    def __init__(self, name, offset, size, tname, sub, problems):
        self.name, self.offset, self.size, self.tname = name, offset, size, tname
        self.sub, self.problems = sub, problems


class Layout:
    """A struct or union: kind, size, align (None for nested), members."""

    def __init__(self, kind, name, size):
        self.kind, self.name, self.size, self.align, self.members = kind, name, size, None, []


class TypeResolver:
    def __init__(self, dies):
        self.dies = dies
        self.cache = {}

    def strip(self, off):
        """Follow typedef/cv; return (die, first typedef name seen)."""
        tdname = None
        die = self.dies[off]
        while die.tag in ("DW_TAG_typedef", "DW_TAG_const_type", "DW_TAG_volatile_type"):
            if die.tag == "DW_TAG_typedef" and tdname is None:
                tdname = attr_name(die)
            die = self.dies[attr_ref(die)]
        return die, tdname

    def describe(self, off):
        """(size, type name, nested Layout or None, rule problems)."""
        die, tdname = self.strip(off)
        problems = []
        if die.tag == "DW_TAG_array_type":
            n = 1
            dims = []
            for sr in die.children:
                if sr.tag != "DW_TAG_subrange_type":
                    continue
                cnt = attr_int(sr, "DW_AT_count")
                if cnt is None:
                    ub = attr_int(sr, "DW_AT_upper_bound")
                    cnt = 0 if ub is None else ub + 1
                dims.append(cnt)
                n *= cnt
            esize, ename, _, eprob = self.describe(attr_ref(die))
            return esize * n, ename + "".join("[%d]" % d for d in dims), None, eprob
        if die.tag in ("DW_TAG_structure_type", "DW_TAG_union_type"):
            name = attr_name(die)
            kind = "struct" if die.tag == "DW_TAG_structure_type" else "union"
            sub = self.layout(die)
            return attr_int(die, "DW_AT_byte_size"), tdname or ("%s %s" % (kind, name or "{...}")), \
                sub, problems
        if die.tag == "DW_TAG_pointer_type":
            problems.append("raw pointer")
            return attr_int(die, "DW_AT_byte_size"), "pointer", None, problems
        if die.tag == "DW_TAG_enumeration_type":
            problems.append("enum (size varies by ABI)")
            return attr_int(die, "DW_AT_byte_size"), "enum", None, problems
        if die.tag == "DW_TAG_base_type":
            bname = attr_name(die)
            if tdname is None and bname not in ("char", "signed char", "unsigned char"):
                problems.append("plain '%s' (use a <stdint.h> type)" % bname)
            return attr_int(die, "DW_AT_byte_size"), tdname or bname, None, problems
        raise AbiError("unhandled DWARF type %s at <0x%x>" % (die.tag, die.off))

    def layout(self, die):
        if die.off in self.cache:
            return self.cache[die.off]
        kind = "struct" if die.tag == "DW_TAG_structure_type" else "union"
        lay = Layout(kind, attr_name(die), attr_int(die, "DW_AT_byte_size"))
        self.cache[die.off] = lay
        for m in die.children:
            if m.tag != "DW_TAG_member":
                continue
            size, tname, sub, problems = self.describe(attr_ref(m))
            if "DW_AT_bit_size" in m.attrs or "DW_AT_data_bit_offset" in m.attrs:
                problems = problems + ["bit-field"]
            name = attr_name(m) or "(anonymous)"
            lay.members.append(Member(name, attr_int(m, "DW_AT_data_member_location", 0), size,
                                      tname, sub, problems))
        return lay


def extract(dwarf_text):
    """DWARF dump -> {tag name: Layout} with alignments from the probe arrays."""
    dies, top = parse_dwarf(dwarf_text)
    res = TypeResolver(dies)
    layouts, aligns = {}, {}
    for die in top:
        if die.tag in ("DW_TAG_structure_type", "DW_TAG_union_type") and \
                "DW_AT_declaration" not in die.attrs and attr_name(die):
            layouts[attr_name(die)] = res.layout(die)
        elif die.tag == "DW_TAG_variable":
            name = attr_name(die) or ""
            if name.startswith("abi_align__"):
                aligns[name[len("abi_align__"):]] = res.describe(attr_ref(die))[0]
    for name, lay in layouts.items():
        lay.align = aligns.get(name)
    return layouts


def flatten(lay, base=0, prefix=""):
    """[(path, absolute offset, size)] for every member at every nesting level."""
    out = []
    for m in lay.members:
        path = prefix + m.name
        out.append((path, base + m.offset, m.size))
        if m.sub is not None:
            out.extend(flatten(m.sub, base + m.offset, path + "."))
    return out


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
