#!/usr/bin/env python3
"""Profiles one talos-batch scenario, for the notes behind a missed target.

Generates a fleet (bench/genfleet.py), brings it into the scenario's starting state with untimed regens, then
runs the measured regen once under the chosen profiler and writes its report to bench/work/profile-*.txt:

  perf      `perf record -g` (sampled call stacks, CPU time only) → `perf report --no-children`
  strace    `strace -f -c` (system calls: counts and time, the off-CPU side)
  callgrind `valgrind --tool=callgrind` (exact instruction counts; slow: use 100-1,000 clusters)

Usage: profile.py --binary B --clusters N --scenario cold|noop|one|template|restore [--tool perf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import genfleet  # noqa: E402
from harness import WORK, copy_inputs, edit_cluster, edit_stamp, edit_template  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", type=Path, required=True)
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--scenario", choices=["cold", "noop", "one", "template", "restore"], default="noop")
    parser.add_argument("--tool", choices=["perf", "strace", "callgrind"], default="perf")
    args = parser.parse_args()

    base = WORK / f"profile-{args.clusters}"
    shutil.rmtree(base, ignore_errors=True)
    pristine, tree, cache = base / "pristine", base / "tree", base / "cache"
    genfleet.generate(pristine, args.clusters, args.nodes, 1, genfleet.default_skeleton())
    copy_inputs(pristine, tree)
    binary = str(args.binary.resolve())
    env = dict(os.environ, TALOS_BATCH_CACHE_DIR=str(cache))

    def regen(root: Path) -> list[str]:
        return [binary, "regen", "--all", "--root", str(root), "--progress", "none"]

    target = tree
    if args.scenario != "cold":
        subprocess.run(regen(tree), env=env, check=True, stdout=subprocess.DEVNULL)
    if args.scenario == "one":
        edit_cluster(tree, f"cluster-{genfleet.cluster_id(args.clusters // 2)}", edit_stamp())
    elif args.scenario == "template":
        edit_template(tree, edit_stamp())
    elif args.scenario == "restore":
        target = base / "fresh"
        copy_inputs(tree, target)

    out = WORK / f"profile-{args.clusters}-{args.scenario}-{args.tool}.txt"
    if args.tool == "perf":
        data = base / "perf.data"
        subprocess.run(["perf", "record", "-F", "999", "-g", "-o", str(data), "--", *regen(target)], env=env, check=True)
        report = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--percent-limit", "1.5"],
                                capture_output=True, text=True, check=True).stdout
        out.write_text(report)
    elif args.tool == "strace":
        subprocess.run(["strace", "-f", "-c", "-o", str(out), *regen(target)], env=env, check=True)
    else:
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={base}/callgrind.out",
                        *regen(target)], env=env, check=True)
        report = subprocess.run(["callgrind_annotate", f"{base}/callgrind.out"], capture_output=True, text=True,
                                check=True).stdout
        out.write_text(report)
    print(f"profile: {out}")


if __name__ == "__main__":
    main()
