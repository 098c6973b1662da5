#!/usr/bin/env python3
"""Paired, alternated cold or restore runs of talos-batch builds, each followed by `cp -r` of the outputs.

    bench/pairs.py PRISTINE_FLEET cold|restore PAIRS NAME=BINARY[:LD_PRELOAD] ...

For issue 13's I/O targets (bench/notes.md, "issue-13i"): each round runs every binary once (order reversed
every other round) on a fresh copy of the fleet's inputs — with an empty cache for `cold`, with that binary's
own cache for `restore` (made by one untimed cold run) — and after each run `cp -r` of a tree holding only
the outputs, so every ratio pairs runs made moments apart. Reuses harness.py's `measure` (wall, user and
system CPU via wait4; `sync` first), `copy_inputs` and `discard` (scratch trees are moved aside, not deleted:
see `discard`). PAIRS_WORK sets the scratch folder (default bench/work/pairs); PAIRS_NICE=1 runs every
measured command under `nice -n -20`.
"""
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

WORK = Path(os.environ.get("PAIRS_WORK", harness.BENCH / "work" / "pairs")).resolve()
harness.WORK = WORK
harness.TRASH = WORK / "trash"
(WORK / "bin").mkdir(parents=True, exist_ok=True)
if not (WORK / "bin" / "measure").exists():
    subprocess.run(["cc", "-O2", "-o", str(WORK / "bin" / "measure"), str(harness.BENCH / "peers" / "measure.c")], check=True)
NICE = ["nice", "-n", "-20"] if os.environ.get("PAIRS_NICE") else []


def regen(binary: str, root: Path, cache: Path) -> harness.Sample:
    path, _, preload = binary.partition(":")
    env = dict(os.environ, TALOS_BATCH_CACHE_DIR=str(cache))
    if preload:
        env["LD_PRELOAD"] = preload
    return harness.measure(NICE + [path, "regen", "--all", "--root", str(root), "--progress", "none", "--jobs", "2"], root, env)


def main() -> None:
    pristine, scenario, pairs = Path(sys.argv[1]).resolve(), sys.argv[2], int(sys.argv[3])
    binaries = [tuple(arg.split("=", 1)) for arg in sys.argv[4:]]
    outputs = WORK / "outputs"
    results: dict[str, list[harness.Sample]] = {name: [] for name, _ in binaries}
    results["cp -r"] = []
    for round_ in range(pairs):
        for name, binary in binaries if round_ % 2 == 0 else list(reversed(binaries)):
            tree, cache = WORK / f"tree-{name}", WORK / f"cache-{name}"
            harness.copy_inputs(pristine, tree)
            if scenario == "cold":
                harness.discard(cache)
            elif not cache.exists():
                regen(binary, tree, cache)
                harness.copy_inputs(pristine, tree)
            sample = regen(binary, tree, cache)
            results[name].append(sample)
            if not outputs.exists():
                for cluster in harness.cluster_dirs(tree):
                    for output in harness.outputs_of(cluster):
                        (outputs / cluster.name / output).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(cluster / output, outputs / cluster.name / output)
            copy = WORK / "outputs-copy"
            harness.discard(copy)
            cp = harness.measure(NICE + ["cp", "-r", str(outputs), str(copy)], WORK)
            results["cp -r"].append(cp)
            print(f"{scenario} round {round_} {name:10} wall {sample.wall:.3f} user {sample.user:.3f} "
                  f"sys {sample.cpu - sample.user:.3f} status {sample.status} | cp -r {cp.wall:.3f} "
                  f"ratio {sample.wall / cp.wall:.2f} load {os.getloadavg()[0]:.1f}", flush=True)
    for name, samples in results.items():
        print(f"median {name:10} wall {statistics.median(s.wall for s in samples):.3f} "
              f"user {statistics.median(s.user for s in samples):.3f} "
              f"sys {statistics.median(s.cpu - s.user for s in samples):.3f}")


if __name__ == "__main__":
    main()
