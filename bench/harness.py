#!/usr/bin/env python3
"""Bulk-regeneration benchmark of talos-batch against its peers (see bench/README.md).

For each fleet size it generates a fleet (bench/genfleet.py), then measures, scenario by scenario, talos-batch
and the peers on identical files, interleaving their runs so that the machine's noise hits both alike.  Every
measurement is one child process reaped with wait4(), which gives its wall time, CPU time (user + system,
its descendants included) and peak RSS.  Raw results go to a JSON file that bench/report.py turns into
results.md and the chart.

Scenarios (talos-batch side):
  cold       empty cache, no outputs                     peers: the seed flow per cluster (on a sample),
                                                         `cp -a` of the clusters folder (inputs and
                                                         outputs), `cp -r` of the outputs alone
  noop       nothing changed                             peers: ninja, go-task, the stat() floor
  one        one cluster's talenv.yaml changed           peers: ninja, go-task
             (a new node-label value each run, so no run is a cache hit)
  template   talconfig.j2 changed (a new leading Jinja comment each run: render everywhere, rendered bytes
             unchanged, so genconfig nowhere)
  restore    fresh checkout (new inodes and mtimes, no outputs) + the cache dir kept
                                                         peers: `cp -r` of the outputs
  single     cold on a 1-cluster fleet (for the one-changed target)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
VENV = WORK / "venv"
sys.path.insert(0, str(BENCH))
import genfleet  # noqa: E402

INPUT_NAMES = ("talenv.yaml", "talsecret.sops.yaml")
# Outputs of validate + render (the rest, beside them or in the outputFolder, are genconfig's).
RENDER_OUTPUTS = ("talenv.values.json", "talconfig.rendered.yaml", "schematic.yaml")
LOCK_FILE = ".talos-batch.lock"
TEMPLATE_MARK = "{# bench: template edit"
PROJECT_FILES = ("talos-batch.yaml", ".sops.yaml")


# --------------------------------------------------------------------------------------------- measuring

@dataclass
class Sample:
    wall: float      # seconds
    cpu: float       # user + system seconds, reaped descendants included
    rss_kb: int      # peak resident set size of the largest process in the tree
    status: int      # exit status (negative: killed by that signal)
    user: float | None = None   # the user part of cpu (issue 13's cold targets name user CPU)


@dataclass
class Series:
    tool: str
    scenario: str
    clusters: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    scale: float = 1.0   # a peer run on a sample of the fleet: multiply its wall and CPU by this

    def median(self, attr: str) -> float | None:
        ok = [getattr(s, attr) for s in self.samples if s.status == 0]
        return statistics.median(ok) if ok else None


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Sample:
    """Runs cmd once under bench/peers/measure.c (wait4's wall, CPU and peak RSS of the command's tree).

    The file system is synced first, so that no measured run pays for writing back what the set-up just
    wrote (copied input trees, moved scratch trees): a tool that syncs would otherwise be charged for it.
    """
    os.sync()
    report = WORK / "measure.out"
    with open(log, "ab") if log else open(os.devnull, "wb") as out:
        subprocess.run([str(WORK / "bin" / "measure"), str(report), *cmd], cwd=cwd, env=env,
                       stdin=subprocess.DEVNULL, stdout=out, stderr=out, check=True)
    wall, cpu, rss, status, user = report.read_text().split()
    return Sample(float(wall), float(cpu), int(rss), int(status), float(user))


def run_quiet(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Untimed preparation step; fails loudly."""
    done = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: `{' '.join(map(str, cmd))}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


# ----------------------------------------------------------------------------------------------- the tree

def cluster_dirs(root: Path) -> list[Path]:
    return sorted((root / "talos" / "clusters").iterdir())


def template_files(root: Path) -> list[Path]:
    return [root / "talos" / "templates" / "talconfig.j2", root / "talos" / "common" / "schematic.yaml.j2"]


def outputs_of(cluster: Path) -> list[str]:
    """Everything in a cluster folder that is not an input or the lock: what talos-batch generated there."""
    return sorted(str(p.relative_to(cluster)) for p in cluster.rglob("*")
                  if p.is_file() and p.name not in (*INPUT_NAMES, LOCK_FILE))


TRASH = WORK / "trash"


def discard(path: Path) -> None:
    """Moves a scratch tree out of the way; `empty_trash` deletes them all once every measurement is done.

    Not deleted on the spot: on a journal-less ext4 volume (this machine's) the inode allocator skips, one
    by one, every inode deleted in the last minutes (`recently_deleted` in the kernel profile), so a run
    right after deleting a few hundred thousand files creates its own files several times slower — a state
    of the benchmark's making, not of a user's machine or a fresh CI checkout. It slows talos-batch and its
    peer alike, but it made every file-creating number depend on what the harness had just deleted."""
    if path.exists() or path.is_symlink():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{time.time_ns()}-{path.name}")


def empty_trash() -> None:
    if TRASH.exists():
        print("bench: removing scratch trees", flush=True)
        shutil.rmtree(TRASH, ignore_errors=True)


def copy_inputs(src: Path, dst: Path) -> None:
    """A fresh checkout: the project files and talos/ copied anew (new inodes and mtimes), no outputs."""
    discard(dst)
    dst.mkdir(parents=True)
    for name in PROJECT_FILES:
        if (src / name).is_file():
            shutil.copyfile(src / name, dst / name)

    def generated(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder).parent.name == "clusters" and n not in INPUT_NAMES]

    shutil.copytree(src / "talos", dst / "talos", copy_function=shutil.copyfile, ignore=generated)
    for secret in dst.glob("talos/clusters/*/talsecret.sops.yaml"):
        os.chmod(secret, 0o600)


def edit_stamp() -> str:
    """A value no earlier run used, so every edit is new to the cache (toggling between two values would
    turn the second and later runs into cache hits)."""
    return str(time.time_ns())


def edit_cluster(root: Path, cluster: str, stamp: str) -> None:
    """One cluster changed: a new value for its first node's bench label."""
    path = root / "talos" / "clusters" / cluster / "talenv.yaml"
    lines = path.read_text().splitlines(keepends=True)
    key = f"      {genfleet.EDIT_LABEL}:"
    hits = [i for i, line in enumerate(lines) if line.startswith(key)]
    if len(hits) != 1:
        sys.exit(f"bench: {path} has no single `{genfleet.EDIT_LABEL}` label to edit")
    lines[hits[0]] = f'{key} "{stamp}"\n'
    path.write_text("".join(lines))


def edit_template(root: Path, stamp: str) -> None:
    """Template changed: a new leading Jinja comment (template bytes change, rendered bytes don't)."""
    path = template_files(root)[0]
    text = path.read_text()
    if text.startswith(TEMPLATE_MARK):
        text = text[text.index("#}") + 2:]
    path.write_text(f"{TEMPLATE_MARK} {stamp} #}}" + text)


# ---------------------------------------------------------------------------------------------- the peers

def write_seed_taskfile(root: Path) -> Path:
    """The seed's own entry point: `task talos:gen-config -- <id>` validates and renders one cluster."""
    path = root / "Taskfile.seed.yml"
    py, jinja2, peers = VENV / "bin" / "python", VENV / "bin" / "jinja2", BENCH / "peers"
    d = "talos/clusters/cluster-{{.CLI_ARGS}}"
    path.write_text(f"""version: '3'
tasks:
  talos:gen-config:
    desc: Validate and render one cluster (the seed flow; talhelper genconfig is not installable here)
    cmds:
      - {py} {peers}/validate_talenv.py {d}/talenv.yaml --values-out {d}/talenv.values.json
      - {jinja2} --format=yaml -o {d}/talconfig.rendered.yaml talos/templates/talconfig.j2 {d}/talenv.yaml
      - {jinja2} --format=yaml -o {d}/schematic.yaml talos/common/schematic.yaml.j2 {d}/talenv.yaml
""")
    return path


def write_gotask_taskfile(root: Path, outputs: dict[str, list[str]]) -> Path:
    """go-task: one checksum task per cluster with the same sources and generates as talos-batch."""
    path = root / "Taskfile.yml"
    templates = [str(p.relative_to(root)) for p in template_files(root)]
    lines = ["version: '3'", "vars:", "  GEN: '{{.GEN | default \"run\"}}'", "tasks:"]
    lines += ["  all:", "    deps:"] + [f"      - {c}" for c in outputs]
    for cluster, outs in outputs.items():
        d = f"talos/clusters/{cluster}"
        nodes = [o for o in outs if o not in RENDER_OUTPUTS]
        lines += [f"  {cluster}:", "    method: checksum", "    sources:"]
        lines += [f"      - {d}/{n}" for n in INPUT_NAMES] + [f"      - {t}" for t in templates]
        lines += ["    generates:"] + [f"      - {d}/{o}" for o in outs]
        cmd = f"{BENCH}/peers/peer-render . {d}"
        if nodes:
            cmd += f" && {BENCH}/peers/peer-genconfig " + " ".join(f"{d}/{n}" for n in nodes)
        # Priming runs with GEN=true (see prime_gotask); the measured runs do the real work.
        lines += ["    cmds:", f"      - '{{{{if eq .GEN \"true\"}}}}true{{{{else}}}}{cmd}{{{{end}}}}'"]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_build_ninja(root: Path, outputs: dict[str, list[str]], gen_dir: Path) -> Path:
    """ninja: per cluster a render edge and a genconfig edge over the same inputs and outputs."""
    path = root / "build.ninja"
    templates = " ".join(str(p.relative_to(root)) for p in template_files(root))
    lines = [
        "# The talos-batch graph for ninja: validate+render (the seed's commands), then the genconfig stand-in.",
        f"rule render\n  command = {gen_dir}/peer-render . $dir",
        f"rule genconfig\n  command = {gen_dir}/peer-genconfig $out",
    ]
    for cluster, outs in outputs.items():
        d = f"talos/clusters/{cluster}"
        rendered = [f"{d}/{o}" for o in outs if o in RENDER_OUTPUTS]
        nodes = [f"{d}/{o}" for o in outs if o not in RENDER_OUTPUTS]
        lines.append(f"build {' '.join(rendered)}: render {d}/talenv.yaml {templates}\n  dir = {d}")
        if nodes:
            lines.append(f"build {' '.join(nodes)}: genconfig {' '.join(rendered)} {d}/talsecret.sops.yaml")
    path.write_text("\n".join(lines) + "\n")
    return path


def set_gen_dir(gen_dir: Path, real: bool) -> None:
    """ninja's commands go through gen_dir; priming points it at `true` so the log is written without doing
    10,000 Python renders (the outputs already exist, copied from talos-batch's tree); measuring points it at
    the real commands. ninja hashes the command text, which stays the same."""
    gen_dir.mkdir(parents=True, exist_ok=True)
    for name in ("peer-render", "peer-genconfig"):
        link = gen_dir / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(BENCH / "peers" / name if real else shutil.which("true"))


# --------------------------------------------------------------------------------------------- the runner

SCENARIOS = ("cold", "noop", "one", "template", "restore", "single")
PEERS = ("seed-flow", "cp -r", "cp -a", "ninja", "go-task", "stat-floor")
DYNAMIC = "talos-batch (dynamic)"   # the README's build, measured in the no-op scenario with --dynamic-binary

class Bench:
    def __init__(self, args: argparse.Namespace, binary: Path | None):
        self.args = args
        self.binary = binary
        self.series: list[Series] = []
        self.log = WORK / "logs"
        self.log.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, BENCH_VENV=str(VENV), PATH=f"{VENV}/bin:{os.environ['PATH']}")
        self.ninja, self.task = shutil.which("ninja"), str(VENV / "bin" / "task")
        self.statfloor = str(WORK / "bin" / "statfloor")

    # One series per (tool, scenario, size); a peer whose run exceeds the budget is not repeated or grown.
    def record(self, tool: str, scenario: str, n: int, sample: Sample, note: str = "", scale: float = 1.0) -> Sample:
        for s in self.series:
            if (s.tool, s.scenario, s.clusters) == (tool, scenario, n):
                break
        else:
            s = Series(tool, scenario, n, note=note, scale=scale)
            self.series.append(s)
        s.samples.append(sample)
        mark = "" if sample.status == 0 else f"  EXIT {sample.status}"
        print(f"  {scenario:9} {n:6} {tool:12} wall {sample.wall:8.3f}s  cpu {sample.cpu:8.3f}s  "
              f"user {sample.user or 0:8.3f}s  "
              f"rss {sample.rss_kb / 1024:7.1f} MB{mark}", flush=True)
        return sample

    def wants(self, scenario: str) -> bool:
        return scenario in self.args.scenarios

    def too_slow(self, tool: str) -> bool:
        return any(s.tool == tool and any(x.wall > self.args.peer_budget for x in s.samples) for s in self.series)

    def regen(self, scenario: str, n: int, root: Path, cache: Path, tool: str = "talos-batch",
              binary: Path | None = None) -> Sample:
        """`talos-batch regen --all` over root with the cache directory at cache (`binary`: another build of it,
        recorded as `tool`)."""
        # No progress lines: the benchmark measures the work, not a terminal (ninja prints nothing on a no-op).
        cmd = [str(binary or self.binary), "regen", "--all", "--root", str(root), "--progress", "none"]
        env = dict(self.env, TALOS_BATCH_CACHE_DIR=str(cache))
        log = self.log / f"{tool.replace(' ', '').replace('(', '-').replace(')', '')}-{scenario}-{n}.log"
        sample = self.record(tool, scenario, n, measure(cmd, root, env, log))
        # What the run did (its summary line: stages ran / fresh / restored), shown next to the numbers.
        summary = [line for line in log.read_text().splitlines() if line.startswith("regen:")]
        if summary:
            series = next(s for s in self.series if (s.tool, s.scenario, s.clusters) == (tool, scenario, n))
            series.note = summary[-1].removeprefix("regen: ").split(" in ")[0]
        return sample

    def size(self, n: int) -> None:
        runs = self.args.runs
        base = WORK / f"fleet-{n}"
        pristine, tree, cache = base / "pristine", base / "talos-batch", base / "cache"
        # --reuse: the fleet, talos-batch's tree and cache and ninja's primed tree that an earlier `--keep` run
        # left, measured again (no-op and one-changed) with another binary; nothing is generated or primed.
        reuse = self.args.reuse
        if reuse:
            if not all(p.exists() for p in (tree, cache, base / "peers" / "build.ninja", base / "stat-list.txt")):
                sys.exit(f"bench: --reuse needs {base} as a `--keep` run left it")
        else:
            discard(base)
            genfleet.generate(pristine, n, self.args.nodes, self.args.seed, genfleet.default_skeleton(),
                              shared_bundle=self.args.shared_bundle)
        sample_ids = [genfleet.cluster_id(i) for i in range(0, n, max(1, n // self.args.seed_sample))][: self.args.seed_sample]
        seed_tree = base / "seed"
        if self.wants_peer("seed-flow") and not reuse:
            copy_inputs(pristine, seed_tree)
            write_seed_taskfile(seed_tree)
        seed_cmd = ["sh", "-c", " && ".join(f"{self.task} -t Taskfile.seed.yml talos:gen-config -- {i}"
                                            for i in sample_ids)]
        print(f"== {n} clusters x {self.args.nodes} nodes (seed sample: {len(sample_ids)} clusters)", flush=True)

        have_regen = self.binary is not None
        # cold: talos-batch from nothing, paired with the seed flow on its sample and with the floor for
        # writing its outputs: `cp -a` of the clusters folder the run left (issue 13's peer) and `cp -r` of a tree
        # holding only the outputs (stricter: fewer files), each on the file system as it is then.
        outputs_src, cp_dst = base / "outputs", base / "outputs-copy"
        # The cold run always happens once (every later scenario starts from its tree and cache); --scenarios
        # without `cold` only leaves its later repetitions and its peers out.
        for _ in range(0 if reuse else (self.args.cold_runs or runs) if self.wants("cold") else 1):
            if have_regen:
                copy_inputs(pristine, tree)
                discard(cache)
                self.regen("cold", n, tree, cache)
                if not self.wants("cold"):
                    self.series = [s for s in self.series if (s.scenario, s.clusters) != ("cold", n)]
                if (self.wants_peer("cp -r") or self.wants("restore")) and not outputs_src.exists():
                    for c in cluster_dirs(tree):
                        for o in outputs_of(c):
                            (outputs_src / c.name / o).parent.mkdir(parents=True, exist_ok=True)
                            shutil.copy2(c / o, outputs_src / c.name / o)
                if self.wants("cold"):
                    discard(cp_dst)
                    self.peer("cp -r", "cold", n, ["cp", "-r", str(outputs_src), str(cp_dst)], base)
                    # Issue 13's own peer: `cp -a` of the clusters folder as the run left it (inputs and outputs).
                    discard(cp_dst)
                    self.peer("cp -a", "cold", n, ["cp", "-a", str(tree / "talos" / "clusters"), str(cp_dst)], base)
            if self.wants("cold") and self.wants_peer("seed-flow") and not self.too_slow("seed-flow"):
                self.record("seed-flow", "cold", n, measure(seed_cmd, seed_tree, self.env, self.log / f"seed-{n}.log"),
                            note=f"run on {len(sample_ids)} clusters, scaled to {n}", scale=n / len(sample_ids))

        # The peers' tree: talos-batch's outputs when it ran, else the seed flow's own renders.
        peer_tree, gen_dir, stat_list = base / "peers", base / "peer-bin", base / "stat-list.txt"
        ninja_cmd = [self.ninja, "-j", str(os.cpu_count() or 2)]
        task_cmd = [self.task, "--concurrency", str(os.cpu_count() or 2), "all"]
        outputs: dict[str, list[str]] = {}
        if not reuse:
            if have_regen:
                shutil.copytree(tree, peer_tree, symlinks=True, ignore=shutil.ignore_patterns(".talos-batch*"))
            else:
                copy_inputs(pristine, peer_tree)
            outputs = {c.name: outputs_of(c) for c in cluster_dirs(peer_tree)} if have_regen else \
                {c.name: list(RENDER_OUTPUTS) for c in cluster_dirs(peer_tree)}
            self.prime(peer_tree, gen_dir, outputs, have_regen, ninja_cmd, task_cmd, stat_list)
        elif "no work to do" not in run_quiet([self.ninja, "-n"], peer_tree, self.env):
            print("  warning: the kept ninja tree is not clean", flush=True)
        self.steady(n, tree, cache, peer_tree, ninja_cmd, task_cmd, stat_list, have_regen)
        if have_regen and not reuse:
            self.template_and_restore(n, base, tree, cache, outputs, outputs_src, cp_dst)
        if not (self.args.keep or reuse):
            discard(base)

    def prime(self, peer_tree: Path, gen_dir: Path, outputs: dict[str, list[str]], have_regen: bool,
              ninja_cmd: list[str], task_cmd: list[str], stat_list: Path) -> None:
        """The peers' build files, and ninja and go-task primed (untimed): they record the existing outputs
        as up to date (see set_gen_dir)."""
        write_build_ninja(peer_tree, outputs, gen_dir)
        write_gotask_taskfile(peer_tree, outputs)
        if not have_regen:
            # No talos-batch outputs to copy: render them in one Python process, then prime as above.
            run_quiet([str(VENV / "bin" / "python"), str(BENCH / "peers" / "render_all.py"), str(peer_tree)])
        set_gen_dir(gen_dir, real=False)
        run_quiet(ninja_cmd, peer_tree, self.env)
        if self.wants_peer("go-task"):
            run_quiet(task_cmd + ["GEN=true"], peer_tree, self.env)
        set_gen_dir(gen_dir, real=True)
        if "no work to do" not in run_quiet([self.ninja, "-n"], peer_tree, self.env):
            print("  warning: ninja is not clean after priming", flush=True)
        stat_list.write_text("".join(
            f"{peer_tree}/talos/clusters/{c}/{f}\n" for c, outs in outputs.items() for f in (*INPUT_NAMES, *outs))
            + "".join(f"{p}\n" for p in template_files(peer_tree)))

    def steady(self, n: int, tree: Path, cache: Path, peer_tree: Path, ninja_cmd: list[str], task_cmd: list[str],
               stat_list: Path, have_regen: bool) -> None:
        """The no-op and one-changed scenarios, each round alternating talos-batch and its peers."""
        runs = self.args.runs
        changed = f"cluster-{genfleet.cluster_id(n // 2)}"
        # The first no-op after a cold run is not a steady no-op: the outputs were written too recently for their
        # timestamps to be trusted, so it hashes them once and writes the stamps. Measured once, apart.
        if have_regen and self.wants("noop"):
            self.regen("first-noop", n, tree, cache)
        # noop: nothing changed anywhere. The README's own build (dynamically linked), when given, runs in the
        # same round, so its ratio to ninja is paired like the shipped build's.
        for _ in range(runs if self.wants("noop") else 0):
            if have_regen:
                self.regen("noop", n, tree, cache)
                if self.args.dynamic_binary:
                    self.regen("noop", n, tree, cache, tool=DYNAMIC, binary=self.args.dynamic_binary.resolve())
            self.peer("ninja", "noop", n, ninja_cmd, peer_tree)
            self.peer("go-task", "noop", n, task_cmd, peer_tree)
            self.peer("stat-floor", "noop", n, [self.statfloor, str(stat_list)], peer_tree)

        # one: the same cluster edited in every tree before each run.
        for _ in range(runs if self.wants("one") else 0):
            stamp = edit_stamp()
            if have_regen:
                edit_cluster(tree, changed, stamp)
                self.regen("one", n, tree, cache)
            # One edit serves both peers: each compares with its own record (ninja's log, go-task's checksums).
            edit_cluster(peer_tree, changed, stamp)
            self.peer("ninja", "one", n, ninja_cmd, peer_tree)
            self.peer("go-task", "one", n, task_cmd, peer_tree)

    def template_and_restore(self, n: int, base: Path, tree: Path, cache: Path, outputs: dict[str, list[str]],
                             outputs_src: Path, cp_dst: Path) -> None:
        runs = self.args.runs
        for _ in range(runs if self.wants("template") else 0):
            edit_template(tree, edit_stamp())
            self.regen("template", n, tree, cache)

        # restore: a fresh checkout of the current inputs, the cache dir kept; vs cp -r of the outputs
        # (the tree of outputs made after the first cold run).
        fresh = base / "fresh"
        for _ in range(runs if self.wants("restore") else 0):
            copy_inputs(tree, fresh)
            self.regen("restore", n, fresh, cache)
            discard(cp_dst)
            self.peer("cp -r", "restore", n, ["cp", "-r", str(outputs_src), str(cp_dst)], base)
        if self.wants("restore"):
            self.check_restored(fresh, tree, outputs)

    def wants_peer(self, tool: str) -> bool:
        return tool in self.args.peers

    def peer(self, tool: str, scenario: str, n: int, cmd: list[str], cwd: Path) -> None:
        if not self.wants_peer(tool) or self.too_slow(tool):
            return
        self.record(tool, scenario, n, measure(cmd, cwd, self.env, self.log / f"{tool.replace(' ', '')}-{scenario}-{n}.log"))

    def check_restored(self, fresh: Path, tree: Path, outputs: dict[str, list[str]]) -> None:
        """The restore scenario only counts if it brought back every output byte for byte."""
        bad = [f"{c}/{o}" for c, outs in outputs.items() for o in outs
               if not (fresh / "talos/clusters" / c / o).is_file()
               or (fresh / "talos/clusters" / c / o).read_bytes() != (tree / "talos/clusters" / c / o).read_bytes()]
        if bad:
            print(f"  warning: restore left {len(bad)} outputs missing or different, e.g. {bad[0]}", flush=True)
            for s in self.series:
                if s.tool == "talos-batch" and s.scenario == "restore":
                    s.note = f"{len(bad)} outputs not restored byte-identical"

    def single(self) -> None:
        """One cluster's cold time (a 1-cluster fleet), for the one-changed target."""
        base = WORK / "fleet-1"
        discard(base)
        genfleet.generate(base / "pristine", 1, self.args.nodes, self.args.seed, genfleet.default_skeleton(),
                          shared_bundle=self.args.shared_bundle)
        for _ in range(self.args.runs):
            copy_inputs(base / "pristine", base / "tree")
            discard(base / "cache")
            self.regen("single", 1, base / "tree", base / "cache")
        discard(base)


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    load = Path("/proc/loadavg").read_text().split()[:3]
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem, "kernel": platform.release(),
            "os": platform.freedesktop_os_release().get("PRETTY_NAME", "") if hasattr(platform, "freedesktop_os_release") else "",
            "loadavg_at_start": " ".join(load), "filesystem": run_quiet(["df", "-T", str(WORK)]).splitlines()[-1].split()[1]}


def versions(binary: Path | None, dynamic: Path | None = None) -> dict[str, str]:
    def first(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return {"talos-batch": f"{first(['git', '-C', str(REPO), 'rev-parse', '--short', 'HEAD'])}"
                           + (f" ({binary})" if binary else " (not run)"),
            **({DYNAMIC: str(dynamic)} if dynamic else {}),
            "task": first([str(VENV / "bin" / "task"), "--version"]), "ninja": first(["ninja", "--version"]),
            "python": first([str(VENV / "bin" / "python"), "--version"]),
            "jinja2-cli": first([str(VENV / "bin" / "jinja2"), "--version"]), "cc": first(["cc", "--version"])}


def has_regen(binary: Path | None) -> bool:
    if binary is None or not binary.is_file():
        return False
    return subprocess.run([str(binary), "regen", "--help"], capture_output=True).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated cluster counts")
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (the median is reported)")
    parser.add_argument("--cold-runs", type=int, help="cold runs per size (default: --runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seed-sample", type=int, default=10, help="clusters the seed flow runs per measurement")
    parser.add_argument("--peer-budget", type=float, default=120.0, help="a peer slower than this per run is "
                        "measured once and skipped afterwards")
    parser.add_argument("--binary", type=Path, help="talos-batch executable (default: bench/run builds it)")
    parser.add_argument("--dynamic-binary", type=Path,
                        help="also measure this build's no-op beside the peers (the README's `swift build -c release`, "
                             "dynamically linked; bench/run --dynamic builds it)")
    parser.add_argument("--out", type=Path, default=WORK / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the generated fleets in bench/work")
    parser.add_argument("--reuse", action="store_true",
                        help="measure no-op and one-changed again on the fleets a --keep run left (another binary; "
                             "nothing generated, no cold run, ninja not primed again)")
    parser.add_argument("--shared-bundle", action="store_true",
                        help="every cluster shares one secrets bundle (the old, unrealistic fleet; default: one per cluster)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated scenarios to measure (a manual scale run: cold,noop,one)")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated peers to run beside talos-batch")
    args = parser.parse_args()
    args.scenarios, args.peers = set(args.scenarios.split(",")), set(args.peers.split(","))
    if unknown := (args.scenarios - set(SCENARIOS)) | (args.peers - set(PEERS)):
        parser.error(f"unknown scenario or peer: {', '.join(sorted(unknown))}")

    binary = args.binary.resolve() if args.binary else None
    if not has_regen(binary):
        print(f"bench: talos-batch `regen` is not usable ({binary}); measuring the peer side only", flush=True)
        binary = None
    bench = Bench(args, binary)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    info = {"started": started, "machine": machine(), "versions": versions(binary, args.dynamic_binary), "runs": args.runs,
            "nodes": args.nodes, "seed": args.seed, "peer_budget": args.peer_budget,
            "skeleton": str(genfleet.default_skeleton().relative_to(REPO)),
            "secrets": "one shared bundle" if args.shared_bundle else "a bundle per cluster"}
    sizes = [int(s) for s in args.sizes.split(",") if s]
    empty_trash()   # left by an interrupted run; deleted before anything is measured
    if binary and bench.wants("single"):
        bench.single()
    for n in sizes:
        bench.size(n)
        # Written after every size so a long run that is cut short still leaves its numbers.
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({**info, "series": [asdict(s) for s in bench.series]}, indent=1))
    empty_trash()
    print(f"bench: raw results in {args.out}")


if __name__ == "__main__":
    main()
