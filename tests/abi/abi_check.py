#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make check-abi: the public guest ABI headers, compiled for the four guest ABIs.

How it works
  1. Every header under <include>/public is compiled with -g
     -fno-eliminate-unused-debug-types on the host, and every tagged struct and
     union found in the DWARF is a "public struct".
  2. A probe file (all headers + one `_Alignof` array per struct) is compiled
     with -g -c for i386, x86_64, arm32 and arm64. Nothing is run: `readelf
     --debug-dump=info` reads the objects back, giving each struct's size and
     every member's offset and size (nested members as a.b.c); the probe arrays
     give the alignments.
  3. Checks, one TAP line each:
     - every public struct has one layout on all four targets (sizes, member
       offsets and sizes; alignment equal on the 64-bit-capable ABIs and
       min(that, 4) on i386), or, for the few structs whose Xen layout depends
       on the guest ("native" lines of the expected file), equals on each
       target the explicitly named layout that guest gets;
     - no implicit hole and no tail padding, on any target; no raw pointer,
       no plain long/int, no bit-field, no enum;
     - each struct of tests/abi/expected/xen-layouts.txt (written from the
       facts of Xen's ABI, not from these headers) matches;
     - the constants of tests/abi/expected/constants.txt (hypercall, sub-op,
       errno, VIRQ numbers...) have Xen's values on every target;
     - self-test: mutated copies of the headers (a stray field, a removed
       padding member, a width-dependent field) must fail, naming struct and
       member;
     - every struct and constant against Xen 4.17's own public headers,
       fetched from Debian into the build tree (xen_compare.py; a failed
       fetch is a failed check).
  4. Tables (target x member offsets) go to <out>/abi-layout.md and stdout;
     --update-doc also writes docs/abi-layout.md.
Exit status: 0 only if every check passed.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

import xen_compare
from abi_dwarf import (CFLAGS, TARGETS, AbiError, extract, find_compilers, flatten,
                       readelf_cmd, run, write)

HERE = os.path.dirname(os.path.abspath(__file__))

def holes(lay, prefix=""):
    """Implicit padding in lay and in its anonymous nested aggregates."""
    found = []
    what = "%s %s" % (lay.kind, lay.name) if lay.name else "nested %s" % lay.kind
    if lay.kind == "struct":
        cursor, last = 0, None
        for m in sorted(lay.members, key=lambda m: m.offset):
            if m.offset > cursor:
                found.append("%d-byte hole before member %s%s (offset %d)"
                             % (m.offset - cursor, prefix, m.name, m.offset))
            cursor = max(cursor, m.offset + m.size)
            last = m
        if lay.size > cursor:
            found.append("%d bytes of tail padding after member %s%s"
                         % (lay.size - cursor, prefix, last.name if last else "(none)"))
    else:
        biggest = max((m.size for m in lay.members), default=0)
        if lay.size > biggest:
            found.append("%d bytes of tail padding in %s %s" % (lay.size - biggest, what, prefix))
    for m in lay.members:
        if m.sub is not None and m.sub.name is None:  # tagged ones are checked on their own
            found.extend(holes(m.sub, prefix + m.name + "."))
    return found


def rule_problems(lay, prefix=""):
    out = []
    for m in lay.members:
        for p in m.problems:
            out.append("member %s%s: %s" % (prefix, m.name, p))
        if m.sub is not None and m.sub.name is None:
            out.extend(rule_problems(m.sub, prefix + m.name + "."))
    return out


# ---------------------------------------------------------------- expected facts

class Expected:
    def __init__(self):
        self.structs = []  # (name, targets, size, [(path, off, size)], lineno)
        self.native = {}   # name -> {target: explicit struct name}
        self.required = []


def parse_targets(spec, where):
    if spec == "all":
        return list(TARGETS)
    ts = spec.split(",")
    for t in ts:
        if t not in TARGETS:
            raise AbiError("%s: unknown target '%s'" % (where, t))
    return ts


def load_expected(path):
    exp = Expected()
    cur = None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].rstrip()
            where = "%s:%d" % (os.path.relpath(path), n)
            if not line.strip():
                continue
            w = line.split()
            if w[0] == "struct":
                if len(w) != 5 or w[3] != "size":
                    raise AbiError("%s: expected 'struct NAME TARGETS size N'" % where)
                cur = (w[1], parse_targets(w[2], where), int(w[4], 0), [], n)
                exp.structs.append(cur)
            elif w[0] == "native":
                cur = None
                m = {}
                for kv in w[2:]:
                    t, s = kv.split("=")
                    for tt in parse_targets(t, where):
                        m[tt] = s
                if sorted(m) != sorted(TARGETS):
                    raise AbiError("%s: native %s must name a layout for every target" % (where, w[1]))
                exp.native[w[1]] = m
            elif w[0] == "require":
                exp.required.extend(w[1:])
            elif raw[0] in " \t" and cur is not None and len(w) == 3:
                cur[3].append((w[0], int(w[1], 0), int(w[2], 0)))
            else:
                raise AbiError("%s: cannot parse '%s'" % (where, line.strip()))
    return exp


def load_constants(path):
    consts = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            w = line.split()
            where = "%s:%d" % (os.path.relpath(path), n)
            targets = TARGETS
            if len(w) >= 3 and all(t in TARGETS for t in w[-1].split(",")):
                targets = parse_targets(w.pop(), where)
            if len(w) < 2:
                raise AbiError("%s: expected 'NAME VALUE [TARGETS]'" % where)
            consts.append((" ".join(w[:-1]), w[-1], targets))
    return consts


# ---------------------------------------------------------------- checks

def compare_expected(name, exp_members, exp_size, lay):
    """Differences between an expected struct and an extracted layout."""
    diffs = []
    if lay.size != exp_size:
        diffs.append("size %d, expected %d" % (lay.size, exp_size))
    actual = {p: (o, s) for p, o, s in flatten(lay)}
    expected = {p: (o, s) for p, o, s in exp_members}
    listed_parents = {""} | {p.rsplit(".", 1)[0] for p in expected if "." in p}
    for p, (o, s) in expected.items():
        if p not in actual:
            diffs.append("member %s missing (expected offset %d size %d)" % (p, o, s))
        elif actual[p] != (o, s):
            diffs.append("member %s differs: offset %d size %d, expected offset %d size %d"
                         % (p, actual[p][0], actual[p][1], o, s))
    for p, (o, s) in actual.items():
        parent = p.rsplit(".", 1)[0] if "." in p else ""
        if parent in listed_parents and p not in expected:
            diffs.append("member %s unexpected (offset %d size %d)" % (p, o, s))
    return diffs


def compare_layouts(a, b, ta, tb):
    """Differences between two layouts (sizes, member offsets and sizes)."""
    diffs = []
    if a.size != b.size:
        diffs.append("size differs: %s %d, %s %d" % (ta, a.size, tb, b.size))
    fa = {p: (o, s) for p, o, s in flatten(a)}
    fb = {p: (o, s) for p, o, s in flatten(b)}
    for p in sorted(set(fa) | set(fb), key=lambda p: (fa.get(p, fb.get(p))[0], p)):
        if p not in fa:
            diffs.append("member %s only in %s" % (p, tb))
        elif p not in fb:
            diffs.append("member %s only in %s" % (p, ta))
        elif fa[p] != fb[p]:
            diffs.append("member %s differs: %s offset %d size %d, %s offset %d size %d"
                         % (p, ta, fa[p][0], fa[p][1], tb, fb[p][0], fb[p][1]))
    return diffs


def check_struct(name, per_target, native):
    """Rules, holes, then width independence (or native mapping) -> problems."""
    problems = []
    for t in TARGETS:
        lay = per_target[t][name]
        for h in rule_problems(lay) + holes(lay):
            where = [u for u in TARGETS
                     if h in rule_problems(per_target[u][name]) + holes(per_target[u][name])]
            problems.append("%s (%s)" % (h, ", ".join(where)))
    if native:
        for t in TARGETS:
            explicit = per_target[t].get(native[t])
            if explicit is None:
                problems.append("%s: explicit layout struct %s missing" % (t, native[t]))
                continue
            for d in compare_layouts(per_target[t][name], explicit, name, native[t]):
                problems.append("%s: %s" % (t, d))
    else:
        ref = per_target["x86_64"][name]
        for t in TARGETS:
            if t != "x86_64":
                problems.extend(compare_layouts(ref, per_target[t][name], "x86_64", t))
        wide = {t: per_target[t][name].align for t in ("x86_64", "arm32", "arm64")}
        if len(set(wide.values())) != 1:
            problems.append("alignment differs: " + ", ".join("%s %s" % kv for kv in wide.items()))
        elif per_target["x86_32"][name].align != min(wide["x86_64"], 4):
            problems.append("alignment on x86_32 %s, expected %d"
                            % (per_target["x86_32"][name].align, min(wide["x86_64"], 4)))
    return list(dict.fromkeys(problems))  # drop repeats, keep order


# ---------------------------------------------------------------- compile

def public_headers(include):
    pub = os.path.join(include, "public")
    hs = []
    for root, _, files in os.walk(pub):
        for f in files:
            if f.endswith(".h"):
                hs.append(os.path.relpath(os.path.join(root, f), include))
    if not hs:
        raise AbiError("no headers under %s" % pub)
    return sorted(hs)


def compile_dwarf(cc, src, obj, include, readelf):
    run([cc] + CFLAGS + ["-I", include, "-c", src, "-o", obj], "%s %s" % (os.path.basename(cc), src))
    return run([readelf, "--debug-dump=info", obj], "readelf " + obj)


def collect(include, out, ccs, readelf):
    """Compile for every target -> {target: {struct: Layout}}, struct names."""
    os.makedirs(out, exist_ok=True)
    incs = "".join("#include <%s>\n" % h for h in public_headers(include))
    all_c = os.path.join(out, "all.c")
    write(all_c, "/* generated by tests/abi/abi_check.py */\n" + incs)
    host = extract(compile_dwarf(ccs["x86_64"], all_c, os.path.join(out, "all.o"), include, readelf))
    names = sorted(host)
    probe = os.path.join(out, "probe.c")
    write(probe, "/* generated by tests/abi/abi_check.py */\n" + incs + "".join(
        "const unsigned char abi_align__%s[_Alignof(%s %s)];\n"
        % (n, host[n].kind, n) for n in names))

    def one(t):
        text = compile_dwarf(ccs[t], probe, os.path.join(out, t + ".o"), include, readelf)
        write(os.path.join(out, t + ".dwarf.txt"), text)
        return t, extract(text)

    with concurrent.futures.ThreadPoolExecutor(len(TARGETS)) as ex:
        per_target = dict(ex.map(one, TARGETS))
    for t in TARGETS:
        missing = set(names) - set(per_target[t])
        if missing:
            raise AbiError("%s: structs not defined: %s" % (t, ", ".join(sorted(missing))))
    return per_target, names


def check_constants(include, out, ccs, consts):
    """{target: [failure messages]} for the expected constants."""
    os.makedirs(out, exist_ok=True)
    incs = "".join("#include <%s>\n" % h for h in public_headers(include))

    def one(t):
        body = []
        for name, value, targets in consts:
            if t not in targets:
                continue
            check = "_Static_assert((unsigned long long)(%s) == (unsigned long long)(%s), " \
                    "\"%s is not %s\");\n" % (name, value, name, value)
            macro = re.match(r"[A-Za-z_]\w*", name).group(0)
            if macro != "sizeof":  # a macro (object- or function-like): must exist
                check = "#if !defined(%s)\n_Static_assert(0, \"%s is not defined\");\n" \
                        "#else\n%s#endif\n" % (macro, macro, check)
            body.append(check)
        src = os.path.join(out, "consts_%s.c" % t)
        write(src, "/* generated by tests/abi/abi_check.py */\n" + incs + "".join(body))
        p = subprocess.run([ccs[t], "-std=c11", "-ffreestanding", "-fsyntax-only", "-I", include,
                            src], capture_output=True, text=True)
        fails = re.findall(r'static assertion failed: "([^"]*)"', p.stderr)
        if p.returncode != 0 and not fails:
            fails = ["compile error: " + p.stderr.strip().splitlines()[0]]
        return t, fails, len(body)

    with concurrent.futures.ThreadPoolExecutor(len(TARGETS)) as ex:
        return list(ex.map(one, TARGETS))


def check_headers(include, out, ccs):
    """Each public header alone, strict C99, on every target; SPDX MIT first line."""
    os.makedirs(out, exist_ok=True)
    jobs = []
    for h in public_headers(include):
        src = os.path.join(out, re.sub(r"\W", "_", h) + ".c")
        # The typedef keeps macro-only headers from being an empty translation unit.
        write(src, "#include <%s>\ntypedef int abi_header_check_dummy;\n" % h)
        for t in TARGETS:
            jobs.append((h, t, src))

    def one(job):
        h, t, src = job
        p = subprocess.run([ccs[t], "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror",
                            "-ffreestanding", "-fsyntax-only", "-I", include, src],
                           capture_output=True, text=True)
        return h, t, p.returncode, p.stderr.strip()

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        done = list(ex.map(one, jobs))
    results = []
    for h in public_headers(include):
        errs = ["%s: %s" % (t, line) for hh, t, rc, err in done if hh == h and rc != 0
                for line in (err.splitlines() or ["failed"])[:3]]
        with open(os.path.join(include, h)) as f:
            first = f.readline().strip()
        if first != "/* SPDX-License-Identifier: MIT */":
            errs.insert(0, "first line is not /* SPDX-License-Identifier: MIT */")
        if errs:
            results.append((False, "header %s: %s" % (h, errs[0]), errs))
        else:
            results.append((True, "header %s: SPDX MIT, compiles alone as C99 on %s"
                            % (h, ", ".join(TARGETS)), []))
    return results


# ---------------------------------------------------------------- reports

def headline(what, problems):
    """One TAP line: prefer a problem that names a member, count the rest."""
    best = next((p for p in problems if "member" in p), problems[0])
    more = " (+%d more)" % (len(problems) - 1) if len(problems) > 1 else ""
    return "%s: %s%s" % (what, best, more)


def analyze(include, out, ccs, readelf, exp):
    """Layouts + [(ok, description, [details])] for struct and expected checks."""
    per_target, names = collect(include, out, ccs, readelf)
    results = []
    for n in names:
        native = exp.native.get(n)
        problems = check_struct(n, per_target, native)
        if native:
            how = "per-guest layout = " + "/".join(
                dict.fromkeys(native[t] for t in TARGETS))
        else:
            how = "same layout on %s" % ", ".join(TARGETS)
        if problems:
            what = "%s %s" % (per_target["x86_64"][n].kind, n)
            results.append((False, headline(what, problems), [what + ": " + p for p in problems]))
        else:
            results.append((True, "%s %s: %s, no holes" % (per_target["x86_64"][n].kind, n, how), []))
    for name, targets, size, members, lineno in exp.structs:
        diffs = []
        for t in targets:
            lay = per_target[t].get(name)
            if lay is None:
                diffs.append("%s: struct not defined" % t)
                continue
            diffs.extend("%s: %s" % (t, d) for d in compare_expected(name, members, size, lay))
        tgt = "all targets" if targets == TARGETS else ", ".join(targets)
        if diffs:
            what = "struct %s vs Xen's layout" % name
            results.append((False, headline(what, diffs), [what + ": " + d for d in diffs]))
        else:
            results.append((True, "struct %s matches Xen's layout (%s, %d bytes)"
                            % (name, tgt, size), []))
    return per_target, names, results


def layout_tables(per_target, names, native):
    lines = ["# minixen public ABI: struct layouts", "",
             "Generated by `make check-abi` (tests/abi/abi_check.py --update-doc) from the headers",
             "in xen/include/public, compiled for i386 (x86_32), x86_64, arm32 and arm64 and read",
             "back from DWARF. Cells are `offset (size)` in bytes; `-` means the member does not",
             "exist on that target. Nested members are written `outer.inner` with offsets from the",
             "start of the struct.", "",
             "Structs whose layout depends on the guest (the compiling target's layout, equal to",
             "the explicitly named one listed):", ""]
    for n in sorted(native):
        lines.append("- `%s`: " % n + ", ".join("%s = `%s`" % (t, native[n][t]) for t in TARGETS))
    lines.append("")
    for n in names:
        lays = [per_target[t][n] for t in TARGETS]
        lines.append("## %s %s" % (lays[0].kind, n))
        lines.append("")
        lines.append("| member | " + " | ".join(TARGETS) + " |")
        lines.append("|---" * (len(TARGETS) + 1) + "|")
        lines.append("| size / align | " + " | ".join(
            "%d / %s" % (l.size, l.align) for l in lays) + " |")
        flats = [dict((p, (o, s)) for p, o, s in flatten(l)) for l in lays]
        # Rows by offset (taken from the first target that has the member), so that
        # target-only members sit next to their neighbours.
        first = {}
        for f in flats:
            for p in sorted(f, key=lambda p: f[p][0]):
                first.setdefault(p, (f[p][0], len(first)))
        order = sorted(first, key=lambda p: first[p])
        for p in order:
            cells = ["%d (%d)" % f[p] if p in f else "-" for f in flats]
            lines.append("| `%s` | " % p + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- self-test

# (header, anchor, replacement, struct, member): each mutation must make the
# checker fail with a message naming both the struct and the member.
MUTATIONS = [
    ("stray field added to struct evtchn_send", "public/event_channel.h",
     "struct evtchn_send {\n    evtchn_port_t port; /* IN */\n",
     "struct evtchn_send {\n    evtchn_port_t port; /* IN */\n    uint32_t stray;\n",
     "evtchn_send", "stray"),
    ("padding member removed from struct evtchn_bind_interdomain", "public/event_channel.h",
     "    domid_t remote_dom; /* IN */\n    uint16_t _pad;\n",
     "    domid_t remote_dom; /* IN */\n",
     "evtchn_bind_interdomain", "remote_port"),
    ("width-dependent field in struct evtchn_set_limit", "public/event_channel.h",
     "    uint32_t max_port; /* IN */",
     "    uint64_t max_port; /* IN */",
     "evtchn_set_limit", "max_port"),
]


def selftest(include, out, ccs, readelf, exp):
    results = []
    for desc, header, anchor, repl, struct, member in MUTATIONS:
        tmp = tempfile.mkdtemp(prefix="abi-selftest-", dir=out)
        try:
            shutil.copytree(os.path.join(include, "public"), os.path.join(tmp, "public"))
            path = os.path.join(tmp, header)
            text = open(path).read()
            if anchor not in text:
                results.append((False, "self-test: %s: anchor not found in %s (update MUTATIONS)"
                                % (desc, header), []))
                continue
            write(path, text.replace(anchor, repl, 1))
            try:
                _, _, res = analyze(tmp, os.path.join(tmp, "out"), ccs, readelf, exp)
                msgs = [d for ok, line, det in res if not ok for d in [line] + det]
            except AbiError as e:
                msgs = [str(e)]
            named = [m for m in msgs if struct in m and member in m]
            if named:
                results.append((True, "self-test: %s is caught: %s" % (desc, named[0]), []))
            elif msgs:
                results.append((False, "self-test: %s fails but names no '%s'/'%s'"
                                % (desc, struct, member), msgs[:5]))
            else:
                results.append((False, "self-test: %s is NOT caught" % desc, []))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--include", default="xen/include", help="directory holding public/")
    ap.add_argument("--out", default="build/abi", help="work and result directory")
    ap.add_argument("--tap", default="build/test-results/check-abi.tap")
    ap.add_argument("--expected", default=os.path.join(HERE, "expected", "xen-layouts.txt"))
    ap.add_argument("--constants", default=os.path.join(HERE, "expected", "constants.txt"))
    ap.add_argument("--doc", default="docs/abi-layout.md", help="checked-in layout tables")
    ap.add_argument("--update-doc", action="store_true", help="rewrite --doc from the headers")
    ap.add_argument("--xen", default="build/xen-4.17",
                    help="where Xen 4.17's own headers are (DIR/include/xen) or go")
    ap.add_argument("--xen-fetch", default="tools/fetch-xen-headers.sh",
                    help="script that fetches them into --xen when missing")
    ap.add_argument("--xen-table", default=os.path.join(HERE, "expected", "xen-headers.txt"),
                    help="minixen's intended differences from Xen's headers")
    ap.add_argument("--no-selftest", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="do not print the layout tables")
    args = ap.parse_args()

    results = []
    tables = None
    try:
        ccs = find_compilers()
        readelf = readelf_cmd()
        exp = load_expected(args.expected)
        consts = load_constants(args.constants)
        results.extend(check_headers(args.include, os.path.join(args.out, "headers"), ccs))
        per_target, names, res = analyze(args.include, args.out, ccs, readelf, exp)
        results.extend(res)
        listed = {s[0] for s in exp.structs}
        uncovered = [n for n in names if n not in listed and n not in exp.native]
        results.append((not uncovered, "every public struct has an expected layout or a native"
                        " line%s" % ((": missing " + ", ".join(uncovered)) if uncovered else
                                     " (%d structs)" % len(names)), []))
        missing = [r for r in exp.required if r not in listed]
        results.append((not missing, "expected table covers the %d required structs%s"
                        % (len(exp.required), (": missing " + ", ".join(missing)) if missing
                           else ""), []))
        for t, fails, count in check_constants(args.include, os.path.join(args.out, "consts"),
                                               ccs, consts):
            if fails:
                results.append((False, "constants on %s: %s" % (t, fails[0]), fails))
            else:
                results.append((True, "constants on %s: %d values match Xen's" % (t, count), []))
        if not args.no_selftest:
            results.extend(selftest(args.include, args.out, ccs, readelf, exp))
        tables = layout_tables(per_target, names, exp.native)
        write(os.path.join(args.out, "abi-layout.md"), tables + "\n")
        # Its own failure (no network to Debian, say) is one failed check, never a skip.
        try:
            results.extend(xen_compare.check(
                args.include, public_headers(args.include), args.xen, args.xen_fetch,
                os.path.join(args.out, "xen"), ccs, readelf, per_target,
                [c[0] for c in consts], args.xen_table, not args.no_selftest))
        except AbiError as e:
            results.append((False, "comparison with Xen 4.17's own headers could not run: %s"
                            % str(e).splitlines()[0], str(e).splitlines()[1:]))
    except AbiError as e:
        results.append((False, "check-abi could not run: %s" % str(e).splitlines()[0],
                        str(e).splitlines()[1:]))
    except Exception:  # a bug here must still show up in the TAP summary
        import traceback
        tb = traceback.format_exc().splitlines()
        results.append((False, "check-abi crashed: %s" % tb[-1], tb))

    os.makedirs(os.path.dirname(args.tap) or ".", exist_ok=True)
    tap = ["1..%d" % len(results)]
    for i, (ok, line, details) in enumerate(results, 1):
        tap.append("%s %d - %s" % ("ok" if ok else "not ok", i, line))
        tap.extend("#   " + d for d in details[:20])
    write(args.tap, "\n".join(tap) + "\n")

    if tables is not None:
        if args.update_doc:
            write(args.doc, tables + "\n")
            print("check-abi: wrote %s" % args.doc)
        elif os.path.exists(args.doc) and open(args.doc).read() != tables + "\n":
            print("check-abi: note: %s is out of date; run 'make abi-doc'" % args.doc)
        if not args.quiet:
            print(tables)
    failed = [r for r in results if not r[0]]
    for ok, line, details in failed:
        print("FAIL: " + line)
        for d in details[:10]:
            print("      " + d)
    print("check-abi: %d checks, %d passed, %d failed (TAP: %s)"
          % (len(results), len(results) - len(failed), len(failed), args.tap))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
