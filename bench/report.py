#!/usr/bin/env python3
"""Turns the harness's raw results (JSON) into bench/results.md and the chart bench/results.png.

Every ratio is taken pair by pair: run i of a peer against run i of talos-batch in the same scenario (they ran
back to back), then the median of those ratios, so the shared machine's noise cancels as far as it can.
The hand-written analysis in bench/notes.md (profiles, reasons for misses) is appended verbatim.

Usage: report.py [RESULTS_JSON...] [--md OUT.md] [--png OUT.png]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCENARIOS = [
    ("cold", "cold: empty cache, no outputs"),
    ("noop", "no-op: nothing changed"),
    ("one", "one cluster's talenv.yaml changed"),
    ("template", "talconfig.j2 changed (render everywhere, rendered bytes unchanged)"),
    ("restore", "fresh checkout + restored cache dir (outputs absent)"),
    ("single", "one cluster, cold (1-cluster fleet)"),
    ("first-noop", "first no-op after the cold run (outputs hashed once, stamps written; measured once)"),
]
PEERS = ["seed-flow", "ninja", "go-task", "stat-floor", "cp -a", "cp -r"]
DYNAMIC = "talos-batch (dynamic)"   # the README's build (no-op only, with harness.py --dynamic-binary)
TOOLS = ["talos-batch", DYNAMIC, *PEERS]


class Results:
    def __init__(self, data: dict):
        self.data = data
        self.series = {(s["tool"], s["scenario"], s["clusters"]): s for s in data["series"]}
        self.sizes = sorted({s["clusters"] for s in data["series"] if s["clusters"] > 1})

    def get(self, tool: str, scenario: str, n: int) -> dict | None:
        return self.series.get((tool, scenario, n))

    @staticmethod
    def ok(series: dict) -> list[dict]:
        return [x for x in series["samples"] if x["status"] == 0]

    def median(self, tool: str, scenario: str, n: int, attr: str = "wall") -> float | None:
        s = self.get(tool, scenario, n)
        if not s or not self.ok(s):
            return None
        scale = s.get("scale", 1.0) if attr in ("wall", "cpu", "user") else 1.0
        # Older results have no user time (measure.c reported user + system only).
        values = [x[attr] for x in self.ok(s) if x.get(attr) is not None]
        return statistics.median(values) * scale if values else None

    def ratio(self, peer: str, scenario: str, n: int, attr: str = "wall", base: str = "talos-batch") -> float | None:
        """Median over paired runs of peer / base (> 1: base, talos-batch by default, is faster)."""
        p, t = self.get(peer, scenario, n), self.get(base, scenario, n)
        if not p or not t:
            return None
        pairs = [(a, b) for a, b in zip(p["samples"], t["samples"]) if a["status"] == 0 and b["status"] == 0
                 and b[attr] > 0]
        if not pairs:
            return None
        return statistics.median(a[attr] * p.get("scale", 1.0) / b[attr] for a, b in pairs)

    def failures(self) -> list[str]:
        return [f"{s['tool']} {s['scenario']} {s['clusters']}: exit {x['status']}"
                for s in self.data["series"] for x in s["samples"] if x["status"] != 0]


def fmt_time(t: float | None) -> str:
    if t is None:
        return "–"
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "–"
    if r < 1:
        return f"{r:.3f}× (talos-batch {1 / r:.1f}× slower)"
    return f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def tables(r: Results) -> list[str]:
    out = []
    for n in r.sizes:
        out += [f"### {n:,} clusters × {r.data['nodes']} nodes", "",
                "| scenario | tool | wall (median) | CPU (median) | peak RSS | runs | peer ÷ talos-batch, wall (paired median) |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for key, title in SCENARIOS:
            for tool in TOOLS:
                size = 1 if key == "single" else n
                s = r.get(tool, key, size)
                if not s or (key == "single" and n != r.sizes[0]):
                    continue
                rss = r.median(tool, key, size, "rss_kb")
                note = f" ({s['note']})" if s.get("note") else ""
                ratio = "" if tool in ("talos-batch", DYNAMIC) else fmt_ratio(r.ratio(tool, key, size))
                runs = f"{len(r.ok(s))}/{len(s['samples'])}"
                out.append(f"| {title} | {tool}{note} | {fmt_time(r.median(tool, key, size))} | "
                           f"{fmt_time(r.median(tool, key, size, 'cpu'))} | "
                           f"{'–' if rss is None else f'{rss / 1024:.1f} MB'} | {runs} | {ratio} |")
        out.append("")
    return out


def linearity(r: Results) -> list[str]:
    out = ["| scenario | " + " | ".join(f"{n:,}: wall per cluster" for n in r.sizes) + " | "
           + " | ".join(f"{n:,}: peak RSS" for n in r.sizes) + " |",
           "| --- |" + " ---: |" * (2 * len(r.sizes))]
    for key, title in SCENARIOS[:5]:
        walls = [r.median("talos-batch", key, n) for n in r.sizes]
        rss = [r.median("talos-batch", key, n, "rss_kb") for n in r.sizes]
        if all(w is None for w in walls):
            continue
        out.append(f"| {title} | " + " | ".join("–" if w is None else f"{w / n * 1e6:.0f} µs"
                                                 for w, n in zip(walls, r.sizes)) + " | "
                   + " | ".join("–" if m is None else f"{m / 1024:.1f} MB" for m in rss) + " |")
    return out


def verdict(ok: bool | None, measured: str, by: str = "") -> str:
    if ok is None:
        return f"not measured | {measured}"
    return ("**met**" if ok else "**missed**" + (f" ({by})" if by else "")) + f" | {measured}"


def targets(r: Results) -> list[str]:
    """Issue 13's targets (a secrets bundle per cluster), then issue 8's that still apply. Cold runs are
    judged by user CPU, as the issue names them (user + system beside it; results from before measure.c
    reported user time fall back to user + system, which is stricter), and by the ratio to `cp -r` of the
    outputs in the same run, because this machine's disk is noisy."""
    rows = ["| target | verdict | measured |", "| --- | --- | --- |"]
    med = r.median

    def ratio_to(peer: str, key: str, n: int, base: str = "talos-batch") -> float | None:   # base ÷ peer, paired
        x = r.ratio(peer, key, n, base=base)
        return None if x is None else 1 / x

    def limit_row(label: str, value: float | None, limit: float, measured: str) -> str:
        return (f"| {label} | " + verdict(None if value is None else value <= limit, measured,
                                          "" if value is None else f"{value / limit:.2f}× the limit") + " |")

    for n, cpu_limit in ((1000, 3.0), (10000, 30.0)):
        user, cpu = med("talos-batch", "cold", n, "user"), med("talos-batch", "cold", n, "cpu")
        judged = user if user is not None else cpu
        rows.append(limit_row(f"cold, {n:,} clusters: ≤ {cpu_limit:g} s user CPU", judged, cpu_limit,
                              (f"{fmt_time(user)} user CPU, " if user is not None else "")
                              + f"{fmt_time(cpu)} user + system"
                              + (" (judged on it: these results hold no user time)" if user is None and cpu is not None else "")
                              + f", {fmt_time(med('talos-batch', 'cold', n))} wall"))
    # The issue names `cp -a` of the clusters folder; `cp -r` of the outputs alone is shown too (stricter).
    for peer, what in (("cp -a", "`cp -a` of the clusters folder"), ("cp -r", "`cp -r` of its outputs alone")):
        floor = ratio_to(peer, "cold", 1000)
        if floor is None and peer == "cp -a" and med("cp -r", "cold", 1000) is not None:
            continue    # results from before the harness measured `cp -a`
        rows.append(limit_row(f"cold, 1,000 clusters: ≤ 4× {what} (same run)", floor, 4.0,
                              f"{'–' if floor is None else f'{floor:.2f}×'} ({fmt_time(med('talos-batch', 'cold', 1000))} "
                              f"vs {fmt_time(med(peer, 'cold', 1000))})"))
    # 100,000 clusters is a manual run (results-100k.md): its rows only where it was measured.
    for n, limit in ((1000, 1.0), (10000, 0.5), *(((100000, 0.5),) if 100000 in r.sizes else ())):
        inv = ratio_to("ninja", "noop", n)
        rows.append(limit_row(f"no-op, {n:,} clusters: ≤ {limit:g}× ninja", inv, limit,
                              f"{'–' if inv is None else f'{inv:.2f}×'} ninja ({fmt_time(med('talos-batch', 'noop', n))} "
                              f"vs {fmt_time(med('ninja', 'noop', n))})"))
    for n in r.sizes:
        # The README's build, in the same rounds (bench/run --dynamic); only sizes where it was measured.
        inv = ratio_to("ninja", "noop", n, base=DYNAMIC)
        if inv is not None:
            rows.append(limit_row(f"no-op, {n:,} clusters: ≤ 1× ninja with the README's build "
                                  "(`swift build -c release`, dynamically linked)", inv, 1.0,
                                  f"{inv:.2f}× ninja ({fmt_time(med(DYNAMIC, 'noop', n))} vs {fmt_time(med('ninja', 'noop', n))})"))
    inv = ratio_to("cp -r", "restore", 1000)
    rows.append(limit_row("fresh checkout + restored cache, 1,000: ≤ 1.5× `cp -r`", inv, 1.5,
                          f"{'–' if inv is None else f'{inv:.2f}×'} cp -r ({fmt_time(med('talos-batch', 'restore', 1000))} "
                          f"vs {fmt_time(med('cp -r', 'restore', 1000))})"))
    peaks = [med("talos-batch", k, 10000, "rss_kb") for k, _ in SCENARIOS if k != "single"]
    peaks = [p for p in peaks if p is not None]
    peak = max(peaks) / 1024 if peaks else None
    rows.append(limit_row("10,000 clusters: peak RSS < 200 MB", peak, 200,
                          "–" if peak is None else f"{peak:.1f} MB (largest scenario)"))
    if 100000 in r.sizes:
        peaks = [p for p in (med("talos-batch", k, 100000, "rss_kb") for k, _ in SCENARIOS) if p is not None]
        peak = max(peaks) / 1024 if peaks else None
        rows.append(limit_row("100,000 clusters: peak RSS < 1 GB", peak, 1024,
                              "–" if peak is None else f"{peak:.1f} MB (largest scenario)"))
    for n in (1000, 10000):
        g = r.ratio("go-task", "noop", n)
        rows.append(f"| no-op, {n:,} clusters: ≥ 15× faster than go-task | "
                    + verdict(None if g is None else g >= 15,
                              f"{fmt_ratio(g)} ({fmt_time(med('talos-batch', 'noop', n))} vs {fmt_time(med('go-task', 'noop', n))})",
                              "" if g is None else f"{15 / g:.1f}× short") + " |")
    one, noop, single = med("talos-batch", "one", 1000), med("talos-batch", "noop", 1000), med("talos-batch", "single", 1)
    budget = None if noop is None or single is None else noop + 2 * single
    rows.append(f"| one changed in 1,000: ≤ no-op + 2× one cluster's cold time | "
                + verdict(None if one is None or budget is None else one <= budget,
                          f"{fmt_time(one)} vs budget {fmt_time(budget)} (no-op {fmt_time(noop)} + 2 × {fmt_time(single)})",
                          "" if one is None or budget is None else f"{one / budget:.2f}× the budget") + " |")
    seed = r.ratio("seed-flow", "cold", 1000)
    seed_per = med("seed-flow", "cold", 1000)
    rows.append(f"| (no target) cold, 1,000 clusters, against the seed flow, which validates and renders only "
                f"(talhelper cannot be installed here): talos-batch also decrypts, issues admin certificates and "
                f"generates every node config | – | {fmt_ratio(seed)} faster per cluster (seed flow per cluster: "
                f"{fmt_time(None if seed_per is None else seed_per / 1000)}) |")
    # Linear: the time per cluster at 10,000 no more than 1.5× that at 1,000 (noise allowance), per scenario.
    growth = {k: (med("talos-batch", k, 10000), med("talos-batch", k, 1000)) for k, _ in SCENARIOS[:5]}
    growth = {k: (a / 10000) / (b / 1000) for k, (a, b) in growth.items() if a is not None and b is not None}
    if growth:
        worst = max(growth, key=growth.get)
        rows.append("| 10,000 clusters: time linear in the cluster count (per-cluster wall at 10,000 ≤ 1.5× "
                    "that at 1,000) | " + verdict(growth[worst] <= 1.5, ", ".join(f"{k} {v:.2f}×" for k, v in
                                                                          growth.items()),
                                                  f"{worst}: {growth[worst]:.2f}×") + " |")
    else:
        rows.append("| 10,000 clusters: time linear in the cluster count | not measured | – |")
    return rows


def chart(r: Results, png: Path, work: Path) -> bool:
    """Left: every tool's median wall per scenario at the largest size. Right: talos-batch's scaling."""
    if not shutil.which("gnuplot"):
        print("report: gnuplot not found; no chart", file=sys.stderr)
        return False
    work.mkdir(parents=True, exist_ok=True)
    n = r.sizes[-1]
    bars = work / "chart-bars.dat"
    scenario_names = {"cold": "cold", "noop": "no-op", "one": "one changed", "template": "template",
                      "restore": "restore"}
    tools = [t for t in TOOLS if any(r.get(t, k, n) for k, _ in SCENARIOS[:5])]   # only those measured
    with bars.open("w") as f:
        labels = {"seed-flow": "seed flow (sample scaled to N)", "cp -a": "cp -a (clusters folder)",
                  "cp -r": "cp -r (outputs)"}
        f.write("scenario " + " ".join(f'"{labels.get(t, t)}"' for t in tools) + "\n")
        for key, _ in SCENARIOS[:5]:
            vals = [r.median(t, key, n) for t in tools]
            f.write(f'"{scenario_names[key]}" ' + " ".join("?" if v is None else f"{v:.6f}" for v in vals) + "\n")
    scaling = work / "chart-scaling.dat"
    with scaling.open("w") as f:
        f.write("clusters " + " ".join(f'"{scenario_names[k]}"' for k, _ in SCENARIOS[:5]) + ' "ninja no-op" "go-task no-op"\n')
        for size in r.sizes:
            vals = [r.median("talos-batch", k, size) for k, _ in SCENARIOS[:5]]
            vals += [r.median("ninja", "noop", size), r.median("go-task", "noop", size)]
            f.write(f"{size} " + " ".join("?" if v is None else f"{v:.6f}" for v in vals) + "\n")
    script = f"""
set terminal pngcairo size 1400,600 font "DejaVu Sans,11"
set output "{png}"
set datafile missing "?"
set multiplot layout 1,2 title "talos-batch bulk regeneration vs peers ({r.data['machine']['cores']} cores, {r.data['started'].split(';')[0]})"
set title "Median wall time per scenario, {n:,} clusters × {r.data['nodes']} nodes (log scale; lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set format y "%g s"
set ylabel "wall time"
set grid ytics
set key below font ",10"
set xtics nomirror
set xrange [-0.6:4.6]
plot for [i=2:{len(tools) + 1}] "{bars}" using i:xtic(1) title columnheader(i)
unset style
set style data linespoints
set title "talos-batch wall time vs fleet size, peers dashed (log-log; slope 1 = linear)"
set logscale xy
set format x "%g"
set xlabel "clusters"
set xtics ({", ".join(f'"{s:,}" {s}' for s in r.sizes)})
set xrange [{r.sizes[0] / 1.5}:{r.sizes[-1] * 1.5}]
set autoscale y
set key outside right top vertical font ",10"
plot for [i=2:6] "{scaling}" using 1:i title columnheader(i) lw 2 pt 7, \\
     "{scaling}" using 1:7 title columnheader(7) dt 2 lw 2 pt 6 lc rgb "black", \\
     "{scaling}" using 1:8 title columnheader(8) dt 3 lw 2 pt 4 lc rgb "gray40"
unset multiplot
"""
    done = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if done.returncode != 0:
        print(f"report: gnuplot failed:\n{done.stderr}", file=sys.stderr)
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path, nargs="*", default=[BENCH / "work" / "results.json"],
                        help="raw results; several files (e.g. one per size) are merged, the first one's machine kept")
    parser.add_argument("--md", type=Path, default=BENCH / "results.md")
    parser.add_argument("--png", type=Path, default=BENCH / "results.png")
    parser.add_argument("--no-notes", action="store_true", help="do not append bench/notes.md (a second report "
                        "of a separate run, such as a manual 10,000-cluster one, next to results.md)")
    args = parser.parse_args()
    data = json.loads(args.results[0].read_text())
    for extra in args.results[1:]:
        more = json.loads(extra.read_text())
        data["series"] += more["series"]
        data["runs_by_file"] = data.get("runs_by_file", [data["runs"]]) + [more["runs"]]
        data["started"] += f"; {more['started']}"
    r = Results(data)
    m, v = data["machine"], data["versions"]
    has_chart = chart(r, args.png.resolve(), BENCH / "work") if r.sizes else False
    lines = [
        "# talos-batch benchmark results",
        "",
        f"Generated by `bench/run` ({'smoke' if data['runs'] == 1 else 'full'} mode) on {data['started']}; "
        f"{' and '.join(map(str, data.get('runs_by_file', [data['runs']])))} run(s) per scenario (the runs column "
        "says per row), medians shown. Reproduce: see bench/README.md.",
        "",
        "## Machine",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; {m['os']}, kernel {m['kernel']}; "
        f"file system {m['filesystem']}; load average at start {m['loadavg_at_start']} (a shared, noisy machine: "
        "compare the paired ratios rather than absolute times).",
        "- Versions: " + "; ".join(f"{k} {val}" for k, val in v.items()),
        f"- Fleet: bench/genfleet.py, seed {data['seed']}, {data['nodes']} nodes per cluster (3 control planes + "
        f"3 workers), the repository's templates, {data.get('secrets', 'one shared bundle')} (SOPS/age-encrypted).",
        "",
    ]
    if has_chart:
        lines += [f"![benchmark chart]({args.png.name})", ""]
    if r.get("talos-batch", "noop", r.sizes[0] if r.sizes else 0) or r.get("talos-batch", "cold", r.sizes[0] if r.sizes else 0):
        lines += ["## Targets", "", *targets(r), "",
                  "## Scaling (talos-batch; linear means a constant time per cluster and RSS growing no faster "
                  "than the fleet)", "", *linearity(r), ""]
    else:
        lines += ["## talos-batch", "", "Not measured in this run: `talos-batch regen` was not usable yet, so only "
                  "the peer side ran.", ""]
    lines += ["## All measurements", "",
              "Ratios are peer ÷ talos-batch wall time over paired runs: above 1 means talos-batch was faster.", "",
              *tables(r)]
    failures = r.failures()
    if failures:
        lines += ["## Failed runs (excluded from medians)", "", *[f"- {f}" for f in failures], ""]
    notes = BENCH / "notes.md"
    if notes.is_file() and not args.no_notes:
        lines += [notes.read_text().rstrip(), ""]
    args.md.write_text("\n".join(lines))
    print(f"report: wrote {args.md}" + (f" and {args.png}" if has_chart else ""))


if __name__ == "__main__":
    main()
