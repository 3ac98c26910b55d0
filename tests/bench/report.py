#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tables for `make bench` and `make bench-peer` (tools/bench.sh runs the boots).

Reads the serial logs (BENCH <name> <count> <ticks> lines of tests/guest/suite/bench.c) and,
for the peer comparisons, the instruction profiles of tests/bench/insn_profile.c; writes a
section of docs/PERFORMANCE.md between its own markers (the rest of the file is kept) and
prints it. With -icount shift=0 one instruction is one ns of virtual time, so a counter
tick (62.5 MHz on arm64, 1 GHz on x86) is 16 (1) instructions; wall-clock runs give ns.

The rows are those the logs have: ROWS names the known ones (and their order, the same on
both architectures); a row the guest gains shows up after them under its own name.
"""
import argparse
import bisect
import collections
import os
import re
import statistics
import subprocess
import sys

ROWS = [
    # name, label
    ("null_hypercall", "null hypercall (xen_version)"),
    ("send_masked_2l", "EVTCHNOP_send to a masked port (the send alone), 2-level"),
    ("send_masked_fifo", "EVTCHNOP_send to a masked port (the send alone), FIFO"),
    ("send_poll_2l", "send + pending bit checked and cleared (polled), 2-level"),
    ("send_poll_fifo", "send + pending bit checked and cleared (polled), FIFO"),
    ("self_event_2l", "event to own vCPU, upcall taken, 2-level"),
    ("self_event_fifo", "event to own vCPU, upcall taken, FIFO"),
    ("ipi_rtt_2l", "round trip vCPU 0 -> vCPU 1 -> vCPU 0, 2-level"),
    ("ipi_rtt_fifo", "round trip vCPU 0 -> vCPU 1 -> vCPU 0, FIFO"),
    ("interdomain_rtt_2l", "round trip dom0 -> domU1 -> dom0, 2-level"),
    ("interdomain_rtt_fifo", "round trip dom0 -> domU1 -> dom0, FIFO"),
]
# Targets (minixen / Xen 4.17): which rows, which figure, what ratio. arm64: issues 4, 6 and
# 15 (the null hypercall, the send alone and the event to own vCPU); x86_64: issue 15.
TARGETS_ARM64 = {
    ("icount", "null_hypercall"): 0.2,
    ("icount", "send_masked_2l"): 0.4,
    ("icount", "send_masked_fifo"): 0.4,
    ("icount", "self_event_2l"): 0.4,
    ("icount", "self_event_fifo"): 0.4,
    ("icount", "ipi_rtt_2l"): 0.4,
    ("icount", "ipi_rtt_fifo"): 0.4,
    ("icount", "interdomain_rtt_2l"): 0.4,
    ("icount", "interdomain_rtt_fifo"): 0.4,
    ("smp2", "ipi_rtt_2l"): 0.7,
    ("smp2", "ipi_rtt_fifo"): 0.7,
}
TARGETS_X86 = {
    ("icount", "null_hypercall"): 0.5,
    ("icount", "self_event_2l"): 0.5,
    ("icount", "self_event_fifo"): 0.5,
}
IMAGE_TARGET = 128 * 1024
BENCH_RE = re.compile(r"^BENCH (\S+) (\d+) (\d+)$")


def parse_log(path):
    """{name: (count, ticks)}, counter Hz, failed TAP lines, finished?"""
    rows, freq, failed, done = {}, None, [], False
    if not os.path.exists(path):
        return rows, freq, ["no log"], False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = BENCH_RE.match(line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        elif line.startswith("BENCH_FREQ "):
            freq = int(line.split()[1])
        elif line.startswith("not ok"):
            failed.append(line)
        elif line.startswith("# xtest done:"):
            done = True
    return rows, freq, failed, done


def row_names(*results):
    """Every row any of these runs printed: ROWS' order, then new rows as the logs have them."""
    seen = []
    for res in results:
        for name in res["names"]:
            if name not in seen:
                seen.append(name)
    known = [n for n, _ in ROWS if n in seen]
    return known + [n for n in seen if n not in known]


def label_of(name):
    return dict(ROWS).get(name, f"`{name}`")


def per_iter_ns(rows, freq, name):
    """ns per iteration (= instructions under -icount shift=0), or None."""
    if name not in rows or not freq or rows[name][0] == 0:
        return None
    count, ticks = rows[name]
    return ticks * 1e9 / freq / count


# ---- Profiles ----------------------------------------------------------------------------


def load_profile(path):
    prof = collections.Counter()
    if not os.path.exists(path):
        return None
    for line in open(path):
        v, h, c = line.split()
        prof[(int(v, 16), int(h, 16))] += int(c)
    return prof


class Symbols:
    """minixen's functions and their source files (nm -l needs the ELF's debug info)."""

    def __init__(self, elf, arch):
        self.addrs, self.names, self.files = [], [], []
        cross = "aarch64-linux-gnu-" if arch == "arm64" else ""
        nm = os.environ.get("NM", f"{cross}nm")
        objdump = os.environ.get("OBJDUMP", f"{cross}objdump")
        # The code is .text: an LTO link also leaves weak symbols of no code elsewhere
        # (x86's "<file>.c.<hash>" at low addresses, where a guest's code may run).
        heads = subprocess.run([objdump, "-h", elf], capture_output=True, text=True).stdout
        m = re.search(r"^\s*\d+\s+\.text\s+([0-9a-f]+)\s+([0-9a-f]+)", heads, re.M)
        self.lo, self.hi = (int(m.group(2), 16), int(m.group(2), 16) + int(m.group(1), 16)) \
            if m else (0, 1 << 64)
        out = subprocess.run([nm, "-n", "-l", "--defined-only", elf], capture_output=True,
                             text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) < 3 or f[1] not in "tTwW" or not self.lo <= int(f[0], 16) < self.hi:
                continue
            # No line: a function of libgcc's (x86's __udivti3 for 128-bit divisions).
            src = os.path.basename(f[3].rsplit(":", 1)[0]) if len(f) > 3 else "(no source: libgcc)"
            self.addrs.append(int(f[0], 16))
            self.names.append(f[2])
            self.files.append(src)
        # Call sites of the memory helpers: who copies and clears, how often.
        self.calls = {}
        dis = subprocess.run([objdump, "-d", elf], capture_output=True, text=True).stdout
        call = r"\S+\s+bl" if arch == "arm64" else r"(?:[0-9a-f]{2} )+\s*callq?"
        for m in re.finditer(rf"^\s*([0-9a-f]+):\s+{call}\s+\S+ <(memcpy|memset|memmove)>",
                             dis, re.M):
            self.calls[int(m.group(1), 16)] = m.group(2)

    def lookup(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return (self.names[i], self.files[i]) if i >= 0 else ("?", "?")


def attribute(prof, hv, syms, arch):
    """{(function, file): instructions}: the hypervisor's by function, the guests' in one."""
    out = collections.Counter()
    if hv == "minixen":
        # The hypervisor's code is where vaddr - haddr is one constant (arm64's EL2 identity
        # map, x86's link address above its load address); a guest's pages are elsewhere.
        deltas = collections.Counter(h - v for (v, h), c in prof.items()
                                     if syms.lo <= v < syms.hi)
        delta = deltas.most_common(1)[0][0] if deltas else None
        for (v, h), c in prof.items():
            if syms.lo <= v < syms.hi and h - v == delta:
                out[syms.lookup(v)] += c
                if v in syms.calls:
                    out[(f"{syms.calls[v]} from {syms.lookup(v)[0]}", "calls")] += c
            else:
                out[("guest code", "guest")] += c
    else:
        # Debian ships Xen without symbols. On arm64 Xen 4.17 runs at its own virtual
        # addresses below 1 GiB, the guests at or above their RAM base (0x40000000); on x86
        # in the upper half (0xffff82d040000000), the PVH guest in the lower one.
        for (v, h), c in prof.items():
            if (v < 0x40000000) if arch == "arm64" else (v >= 0xffff800000000000):
                out[("Xen 4.17 (no symbols in Debian's package)", "xen")] += c
            else:
                out[("guest code", "guest")] += c
    return out


def row_profile(out, hv, row, piters, syms, arch):
    """Instructions per iteration of one row by function: (2n run - n run) / n. Each
    profile is attributed on its own: QEMU's RAM is at a different host address each run."""
    a = load_profile(f"{out}/runs/{hv}-prof-{row}-1.prof")
    b = load_profile(f"{out}/runs/{hv}-prof-{row}-2.prof")
    if a is None or b is None:
        return None
    diff = attribute(b, hv, syms, arch)
    diff.subtract(attribute(a, hv, syms, arch))
    return {k: v / piters for k, v in diff.items() if abs(v) >= piters / 10}


# ---- Tables -------------------------------------------------------------------------------


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}".replace(",", " ")


def collect(out, hv, runs):
    icount = parse_log(f"{out}/runs/{hv}-icount.log")
    smp2 = [parse_log(f"{out}/runs/{hv}-smp2-{i}.log") for i in range(1, runs + 1)]
    res = {"icount": {}, "smp2": {}, "smp2_n": {}, "problems": [], "names": []}
    rows, freq, failed, done = icount
    if not done:
        res["problems"].append(f"{hv} -icount run did not finish")
    res["problems"] += [f"{hv} -icount: {f}" for f in failed]
    for r in [rows] + [r for r, _, _, _ in smp2]:
        res["names"] += [n for n in r if n != "boot_to_guest" and n not in res["names"]]
    for name in res["names"]:
        res["icount"][name] = per_iter_ns(rows, freq, name)
    if "boot_to_guest" in rows and freq:
        res["icount"]["boot_to_guest"] = rows["boot_to_guest"][1] * 1e9 / freq
    for name in res["names"] + ["boot_to_guest"]:
        vals = []
        for r, f, fl, d in smp2:
            if name == "boot_to_guest":
                v = r[name][1] * 1e9 / f if name in r and f else None
            else:
                v = per_iter_ns(r, f, name)
            if v is not None:
                vals.append(v)
        res["smp2"][name] = statistics.median(vals) if vals else None
        res["smp2_n"][name] = len(vals)
    for i, (r, f, fl, d) in enumerate(smp2, 1):
        if not d:
            res["problems"].append(f"{hv} -smp 2 run {i} did not finish")
    return res


def rev():
    try:
        r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "xen"]).returncode
        return r + ("+local changes" if dirty else "")
    except OSError:
        return "unknown"


def header(args, hvs):
    return (
        f"Measured with minixen {rev()} on QEMU {qemu_version()} TCG, `-machine virt,"
        "virtualization=on,gic-version=3 -cpu cortex-a57 -m 1024`, the test guest's "
        "`role=bench` (tests/guest/suite/bench.c) as dom0 with 2 vCPUs and a dom0less peer "
        "domain (`role=peer`, 1 vCPU) joined by static event channels "
        f"(tests/bench/run.sh{', the same for ' + ' and '.join(hvs) if len(hvs) > 1 else ''}). "
        "Every figure includes the guest's own side (its hypercall wrapper, the upcall "
        "interrupt, its consumer and counters), as a real guest would see it.\n\n"
        f"- **-smp 1, `-icount shift=0,sleep=off`**: one run, {args.iters} iterations per row; "
        "instructions per iteration (virtual counter ticks x 16; exact and repeatable). Both "
        "vCPUs of dom0 and the peer share the one CPU.\n"
        f"- **-smp 2, wall clock**: median of {args.runs} runs"
        f"{' alternating between the hypervisors' if len(hvs) > 1 else ''}, ns per iteration "
        "on this shared host (noisy; compare medians only). dom0's vCPU 1 is on the other "
        "CPU, so the vCPU round trip crosses CPUs (minixen pins vCPUs round-robin: dom0 v0 "
        "CPU 0, v1 CPU 1, the peer CPU 0; Xen's credit2 scheduler moves them).\n"
        "- **time to first guest instruction**: the physical counter dom0's first instruction "
        "reads (tests/guest/arch/arm64/head.S), from the machine's reset: hypervisor boot and "
        "domain building, in instructions under -icount (plus any idle time).\n")


def qemu_version(arch="aarch64"):
    try:
        out = subprocess.run([f"qemu-system-{arch}", "--version"], capture_output=True,
                             text=True).stdout
        return out.split()[3]
    except (OSError, IndexError):
        return "?"


def minixen_table(args):
    res = collect(args.out, "minixen", args.runs)
    size = os.path.getsize(args.minixen_image)
    lines = [header(args, ["minixen"]),
             "| row | -smp 1, -icount: instructions | -smp 2: ns (median) |", "|---|---|---|"]
    for name in row_names(res):
        lines.append(f"| {label_of(name)} | {fmt(res['icount'][name])} | "
                     f"{fmt(res['smp2'][name])} |")
    lines.append(f"| time to first guest instruction | "
                 f"{fmt(res['icount'].get('boot_to_guest'))} | "
                 f"{fmt(res['smp2'].get('boot_to_guest'))} |")
    lines.append("")
    lines.append(f"Image: `build/qemu-virt-arm64/minixen.bin` is {size} bytes "
                 f"({size / 1024:.1f} KiB; issue 4's limit 256 KiB: "
                 f"**{'met' if size <= 256 * 1024 else 'missed'}**, its target 128 KiB: "
                 f"**{'met' if size <= IMAGE_TARGET else 'missed'}**).")
    if res["problems"]:
        lines += ["", "Problems in these runs: " + "; ".join(res["problems"]) + "."]
    lines += ["", "`make bench-peer` sets these beside Xen 4.17's (next section)."]
    return "\n".join(lines)


def x86_table(args):
    """The same rows on the x86_64 board, beside the last arm64 `make bench` runs."""
    res = collect(args.out, "minixen", args.runs)
    arm = None
    if os.path.exists(f"{args.arm_out}/runs/minixen-icount.log"):
        arm = collect(args.arm_out, "minixen", args.runs)
    size = os.path.getsize(args.minixen_image)
    lines = [
        f"Measured with minixen {rev()} on QEMU {qemu_version('x86_64')} TCG, `-machine q35 -cpu "
        "qemu64,+svm,+npt -m 1024`, booted through Multiboot (QEMU -kernel), the same guest "
        "(`tests/guest`, built as an x86_64 PVH domain: hypercall page, HVM_PARAM_CALLBACK_IRQ "
        "vector upcall, x2APIC TSC-deadline timer) and the same domains and runs as the arm64 "
        "section (tests/system/x86/bench-run.sh): dom0 `role=bench` with 2 vCPUs, a peer domU, "
        "static event channels. -smp 1 under `-icount shift=0,sleep=off`: instructions per "
        f"iteration (the guest's TSC runs at 1 GHz of virtual time); -smp 2: median of {args.runs} "
        "wall-clock runs, ns. The arm64 columns are the last `make bench` runs on this machine "
        f"({args.arm_out}), n/a without them. Time to first guest instruction: the TSC dom0's "
        "first instruction reads, from the machine's reset (SeaBIOS, the Multiboot load, "
        "hypervisor boot, domain building), as arm64's CNTPCT.",
        "",
        "| row | x86_64 -smp 1 -icount: instructions | x86_64 -smp 2: ns (median) "
        "| arm64 -smp 1 -icount: instructions | arm64 -smp 2: ns (median) |",
        "|---|---|---|---|---|"]
    for name, label in ([(n, label_of(n)) for n in row_names(*([res, arm] if arm else [res]))]
                        + [("boot_to_guest", "time to first guest instruction")]):
        a_ic = fmt(arm["icount"].get(name)) if arm else "n/a"
        a_s2 = fmt(arm["smp2"].get(name)) if arm else "n/a"
        lines.append(f"| {label} | {fmt(res['icount'].get(name))} | "
                     f"{fmt(res['smp2'].get(name))} | {a_ic} | {a_s2} |")
    lines += ["", f"Image: `build/qemu-x86_64/minixen` (the ELF file, symbols and debug info "
              f"included) is {size} bytes ({size / 1024:.1f} KiB)."]
    if res["problems"]:
        lines += ["", "Problems in these runs: " + "; ".join(res["problems"]) + "."]
    return "\n".join(lines)


def verdict(ratio, target):
    if target is None or ratio is None:
        return ""
    return "met" if ratio <= target else "**missed**"


def loaded_bytes(elf):
    """What an ELF image loads (its PT_LOAD file sizes): x86's images are ELF files, and
    minixen's carries its symbols and debug info, which no machine loads."""
    out = subprocess.run(["readelf", "-lW", elf], capture_output=True, text=True).stdout
    return sum(int(line.split()[4], 16) for line in out.splitlines()
               if line.split()[:1] == ["LOAD"])


def header_x86(args):
    return (
        f"Measured with minixen {rev()} on QEMU {qemu_version('x86_64')} TCG, both hypervisors on "
        "one machine, `-machine q35 -cpu max,-smap,+svm,+npt -m 1024 -device amd-iommu` (what "
        "Xen 4.17 amd64 needs: tests/lib/xen-x86-machine.sh), booted through Multiboot (QEMU "
        "-kernel), the test guest's `role=bench` (tests/guest/suite/bench.c, built as an x86_64 "
        "PVH domain: hypercall page, HVM_PARAM_CALLBACK_IRQ vector upcall, x2APIC TSC-deadline "
        "timer) as dom0 with 2 vCPUs and 128 MiB (tests/system/x86/bench-run.sh). minixen also "
        "runs the peer domain (`role=peer`, 1 vCPU) with static event channels, as on arm64; "
        "Xen 4.17 has no dom0less on x86, so its dom0 runs alone, as tests/peer/xen-run-x86.sh "
        "boots it (Debian's xen-hypervisor-4.17-amd64, the guest as its PVH dom0, a stalled boot "
        "run once more), and the rows that need the peer (`interdomain_rtt_*`) are n/a for "
        "Xen. Every figure includes the guest's own side (its hypercall wrapper, the upcall "
        "interrupt, its consumer and counters), as a real guest would see it.\n\n"
        f"- **-smp 1, `-icount shift=0,sleep=off`**: one run, {args.iters} iterations per row; "
        "instructions per iteration (the guest's TSC counts virtual ns, one per instruction; "
        "exact and repeatable). Both vCPUs of dom0 (and minixen's peer) share the one CPU.\n"
        f"- **-smp 2, wall clock**: median of {args.runs} runs alternating between the "
        "hypervisors, ns per iteration on this shared host (noisy; compare medians only).\n"
        "- **time to first guest instruction**: the TSC dom0's first instruction reads, from "
        "the machine's reset (SeaBIOS, the Multiboot load, hypervisor boot, domain building).\n")


def peer_table(args, arch):
    m = collect(args.out, "minixen", args.runs)
    x = collect(args.out, "xen", args.runs)
    syms = Symbols(args.minixen_elf, arch)
    targets = TARGETS_ARM64 if arch == "arm64" else TARGETS_X86
    guest = "guest (EL1, same code on Xen)" if arch == "arm64" else "guest (same code on Xen)"
    names = row_names(m, x)
    lines = [header(args, ["minixen", "Xen 4.17"]) if arch == "arm64" else header_x86(args),
             "| row | figure | minixen | Xen 4.17 | minixen/Xen | target | |",
             "|---|---|---|---|---|---|---|"]
    chart, missed = [], []
    for kind, unit in (("icount", "instructions, -smp 1"), ("smp2", "ns, -smp 2, median")):
        for name, label in ([(n, label_of(n)) for n in names]
                            + [("boot_to_guest", "time to first guest instruction")]):
            a, b = m[kind].get(name), x[kind].get(name)
            ratio = a / b if a is not None and b else None
            target = targets.get((kind, name))
            v = verdict(ratio, target)
            lines.append(f"| {label} | {unit} | {fmt(a)} | {fmt(b)} | "
                         f"{'n/a' if ratio is None else f'{ratio:.2f}x'} | "
                         f"{'' if target is None else f'<= {target}x'} | {v} |")
            if ratio is not None:
                chart.append((f"{name} ({'icount' if kind == 'icount' else 'smp 2'})", ratio,
                              target))
            if v == "**missed**" and kind == "icount":
                missed.append(name)
    if arch == "arm64":
        msize, xsize = os.path.getsize(args.minixen_image), os.path.getsize(args.xen_image)
        ratio = msize / xsize
        lines.append(f"| image size | bytes | {msize} | {xsize} | {ratio:.2f}x | <= 128 KiB | "
                     f"{'met' if msize <= IMAGE_TARGET else '**missed**'} |")
        chart.append(("image size", ratio, IMAGE_TARGET / xsize))
    else:
        msize, xsize = loaded_bytes(args.minixen_elf), loaded_bytes(args.xen_image)
        ratio = msize / xsize if xsize else None
        lines.append(f"| image size (ELF bytes loaded) | bytes | {msize} | {xsize} | "
                     f"{'n/a' if ratio is None else f'{ratio:.2f}x'} |  |  |")
        if ratio is not None:
            chart.append(("image size", ratio, None))
    problems = m["problems"] + x["problems"]
    if problems:
        lines += ["", "Problems in these runs: " + "; ".join(problems) + "."]

    # Where the instructions go, per row (all rows: the missed ones first).
    lines += ["", "### Where the instructions go" + ("" if arch == "arm64" else " (x86_64)"), "",
              f"Per iteration, from two profiled -icount runs per row and hypervisor that run "
              f"only that row ({args.profile_iters} and {2 * args.profile_iters} iterations; "
              "the difference is the row's cost alone, boot and set-up cancel out), counted by "
              "a QEMU plugin (tests/bench/insn_profile.c) per instruction address and "
              "attributed to minixen's functions with its ELF symbols (source file in "
              "brackets). Xen is split only into hypervisor and guest: Debian ships it "
              "without symbols. The guest's code is the same image on both.", ""]
    order = [n for n in names if n in missed] + [n for n in names if n not in missed]
    for name in order:
        pm = row_profile(args.out, "minixen", name, args.profile_iters, syms, arch)
        px = row_profile(args.out, "xen", name, args.profile_iters, syms, arch)
        if pm is None:
            lines += [f"- `{name}`: no profile", ""]
            continue
        label = label_of(name)
        g_m = pm.get(("guest code", "guest"), 0)
        h_m = sum(v for k, v in pm.items() if k[1] not in ("guest", "calls"))
        status = "missed its target" if name in missed else (
            "met its target" if any(k[1] == name for k in targets) else "no target")
        if px is None:
            lines += [f"**{label}** (`{name}`, {status}): minixen {fmt(h_m + g_m)} = hypervisor "
                      f"{fmt(h_m)} + guest {fmt(g_m)}; Xen: no run of this row.", ""]
        else:
            g_x = px.get(("guest code", "guest"), 0)
            h_x = sum(v for k, v in px.items() if k[1] not in ("guest", "calls"))
            lines += [f"**{label}** (`{name}`, {status}): minixen {fmt(h_m + g_m)} = "
                      f"hypervisor {fmt(h_m)} + guest {fmt(g_m)}; Xen {fmt(h_x + g_x)} = "
                      f"hypervisor {fmt(h_x)} + guest {fmt(g_x)}. Hypervisor alone: "
                      f"{h_m / h_x:.2f}x." if h_x else f"**{label}**: Xen profile empty.", ""]
        stages = collections.Counter()
        for (fn, src), v in pm.items():
            if src not in ("guest", "calls"):
                stages[src] += v
        lines.append("| minixen stage (source file) | instructions | top functions |")
        lines.append("|---|---|---|")
        for src, v in stages.most_common():
            if v < 1:
                continue
            fns = sorted(((c, fn) for (fn, s), c in pm.items() if s == src), reverse=True)
            top = ", ".join(f"{fn} {c:.0f}" for c, fn in fns[:4] if c >= 1)
            lines.append(f"| {src} | {v:.0f} | {top} |")
        xen_guest = "n/a" if px is None else f"{px.get(('guest code', 'guest'), 0):.0f}"
        lines.append(f"| {guest} | {g_m:.0f} | Xen's run: {xen_guest} |")
        calls = sorted(((c, k[0]) for k, c in pm.items() if k[1] == "calls" and c >= 0.5),
                       reverse=True)
        if calls:
            lines += ["", "Calls per iteration: " + ", ".join(f"{n} x{c:.0f}" for c, n in calls)
                      + "."]
        lines.append("")
    png = os.path.basename(args.chart)
    lines.append(f"![minixen / Xen 4.17 per row, with targets]({png})")
    draw_chart(args.chart, chart, "QEMU virt arm64" if arch == "arm64" else "QEMU q35 x86_64")
    return "\n".join(lines)


def draw_chart(path, bars, machine):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: no matplotlib (apt-get install python3-matplotlib): no chart",
              file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(10, 5.5))
    ys = range(len(bars))
    colors = ["tab:blue" if t is None else "tab:green" if r <= t else "tab:red"
              for _, r, t in bars]
    ax.barh(list(ys), [r for _, r, _ in bars], color=colors)
    for y, (_, r, t) in zip(ys, bars):
        if t is not None:
            ax.plot([t, t], [y - 0.4, y + 0.4], color="black", lw=2)
        ax.text(r + 0.02, y, f"{r:.2f}x", va="center", fontsize=8)
    ax.axvline(1.0, color="gray", ls="--", lw=1)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([n for n, _, _ in bars], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("minixen / Xen 4.17 (lower is better; black tick = target: "
                  "green met, red missed, blue no target)")
    ax.set_title(f"minixen vs Xen 4.17 on {machine} (in-guest benchmark)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    print(f"  CHART  {path}")


def write_section(doc, tag, title, intro, body):
    begin = f"<!-- {tag}:begin (generated by tools/bench.sh; edits here are overwritten) -->"
    end = f"<!-- {tag}:end -->"
    text = open(doc).read() if os.path.exists(doc) else "# Performance\n"
    block = f"{begin}\n{body}\n{end}"
    pat = re.compile(rf"<!-- {tag}:begin.*?-->.*?<!-- {tag}:end -->", re.S)
    if pat.search(text):
        text = pat.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{intro}\n\n{block}\n"
    open(doc, "w").write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["minixen", "minixen-x86", "peer", "peer-x86"])
    ap.add_argument("out")
    ap.add_argument("--iters", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile-iters", type=int, default=200)
    ap.add_argument("--minixen-elf", required=True)
    ap.add_argument("--minixen-image", required=True)
    ap.add_argument("--xen-image")
    ap.add_argument("--doc", default="docs/PERFORMANCE.md")
    ap.add_argument("--chart", default="docs/bench-peer.png")
    ap.add_argument("--arm-out", default="build/bench/minixen",
                    help="x86 mode: the arm64 `make bench` runs to set beside (if present)")
    args = ap.parse_args()
    if args.mode == "minixen":
        body = minixen_table(args)
        write_section(args.doc, "bench", "In-guest benchmark on QEMU (arm64)",
                      "`make bench` measures and rewrites this section.", body)
    elif args.mode == "minixen-x86":
        body = x86_table(args)
        write_section(args.doc, "bench-x86", "In-guest benchmark on QEMU (x86_64, beside arm64)",
                      "`make bench BOARD=qemu-x86_64` measures and rewrites this section.", body)
    elif args.mode == "peer":
        body = peer_table(args, "arm64")
        write_section(args.doc, "bench-peer", "minixen beside Xen 4.17 (arm64)",
                      "`make bench-peer` measures and rewrites this section.", body)
    else:
        body = peer_table(args, "x86")
        write_section(args.doc, "bench-peer-x86", "minixen beside Xen 4.17 (x86_64)",
                      "`make bench-peer BOARD=qemu-x86_64` measures and rewrites this section.",
                      body)
    print(body)


if __name__ == "__main__":
    main()
