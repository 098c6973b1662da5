#!/usr/bin/env python3
"""Deterministic benchmark fleet generator.

Writes N clusters x M nodes in the seed's layout under OUT:

    OUT/talos/templates/talconfig.j2          (copied from the skeleton)
    OUT/talos/common/schematic.yaml.j2        (copied from the skeleton)
    OUT/talos/clusters/cluster-<id>/talenv.yaml
    OUT/talos/clusters/cluster-<id>/talsecret.sops.yaml   (the cluster's own SOPS/age bundle)
    OUT/<project file, demo key, ...>         (everything else the skeleton has)

The skeleton is the repository's own fleet tree (talos/ minus its example clusters, plus the project files
that point at the demo key), so the benchmark renders the real templates.  Every cluster gets its own
secrets bundle, as in a real fleet: its own CAs, keys, cluster id/secret and tokens, SOPS/age-encrypted to
the skeleton's demo recipient.  The bundles come from `TalosBatchBench genbundles`, the project's own
generator with every random byte drawn from a stream seeded by (seed, cluster id), in process and on all
cores (10,000 bundles take seconds; see bench/README.md).  `--shared-bundle` gives the old fleet instead,
where every cluster shares the first example cluster's bundle (a cache-friendly best case, not a real fleet).
Everything else that varies from cluster to cluster comes from random.Random(seed), so one (seed, N, M)
always gives byte-identical files.

Usage: genfleet.py OUT --clusters N [--nodes M] [--seed S] [--skeleton DIR] [--shared-bundle]
                   [--bench-binary PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

# Cluster ids start here so that every id up to 10,000 clusters has the same width (cluster-10000 ...).
FIRST_ID = 10000

TALOS_VERSIONS = ["v1.11.6", "v1.12.11"]
KUBERNETES_VERSIONS = ["v1.33.6", "v1.34.2"]
INSTALL_DISKS = ["/dev/sda", "/dev/vda", "/dev/nvme0n1"]
ZONES = ["zone-a", "zone-b", "zone-c"]

# The node label "one cluster changed" edits (first node of each cluster): labels are rendered into the
# talconfig and into that node's machine config, so the edit reaches genconfig.
EDIT_LABEL = "bench.example.com/edit"


def default_skeleton() -> Path:
    """The repository's fleet tree."""
    if not (REPO / "talos" / "templates" / "talconfig.j2").is_file():
        sys.exit(f"genfleet: {REPO}/talos/templates/talconfig.j2 is missing; the skeleton is the repository's fleet")
    return REPO


def shared_secrets(skeleton: Path) -> Path:
    """The SOPS-encrypted secrets bundle every generated cluster reuses: the first example cluster's."""
    examples = sorted((skeleton / "talos" / "clusters").glob("*/talsecret.sops.yaml"))
    if not examples:
        sys.exit(f"genfleet: no talos/clusters/*/talsecret.sops.yaml under {skeleton} to share")
    return examples[0]


def demo_recipient(skeleton: Path) -> str:
    """The age recipient of the skeleton's demo key (its `# public key:` line)."""
    for key_file in sorted((skeleton / "talos" / "demo").glob("*.txt")):
        for line in key_file.read_text().splitlines():
            if line.startswith("# public key:"):
                return line.split(":", 1)[1].strip()
    sys.exit(f"genfleet: no '# public key:' line in {skeleton}/talos/demo/*.txt to encrypt the bundles to")


def bench_binary(explicit: Path | None) -> Path:
    """TalosBatchBench: --bench-binary, $TALOS_BATCH_BENCH_BIN, the release build, or a release build made now."""
    for candidate in (explicit, os.environ.get("TALOS_BATCH_BENCH_BIN")):
        if candidate:
            if not Path(candidate).is_file():
                sys.exit(f"genfleet: {candidate} does not exist")
            return Path(candidate)
    built = REPO / ".build" / "release" / "TalosBatchBench"
    if not built.is_file():
        print("genfleet: building TalosBatchBench (release) to generate the bundles", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "TalosBatchBench", "--package-path", str(REPO)],
                       check=True, stdout=sys.stderr)
    return built


def generate_bundles(out: Path, clusters: int, seed: int, skeleton: Path, binary: Path) -> None:
    """Each cluster's own SOPS bundle, written straight into its folder by one in-process generator."""
    subprocess.run([str(binary), "genbundles", "--seed", str(seed), "--count", str(clusters),
                    "--first-id", str(FIRST_ID), "--out", str(out / "talos" / "clusters"),
                    "--recipient", demo_recipient(skeleton)], check=True, stdout=sys.stderr)


def copy_skeleton(skeleton: Path, out: Path) -> None:
    """Templates, common files, project file and demo key; never the example clusters or build output."""
    (out / "talos").mkdir(parents=True, exist_ok=True)
    for entry in sorted((skeleton / "talos").iterdir()):
        if entry.name in ("clusters",):
            continue
        target = out / "talos" / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, target)
    # Project files at the root that tell talos-batch where the demo key is.
    for name in ("talos-batch.yaml", ".sops.yaml"):
        if (skeleton / name).is_file():
            shutil.copy2(skeleton / name, out / name)
    if not any((out / n).is_file() for n in ("talos-batch.yaml", ".sops.yaml")):
        print("genfleet: warning: skeleton has no project file; talos-batch may not find the demo key",
              file=sys.stderr)


def cluster_id(index: int) -> int:
    return FIRST_ID + index


def talenv(index: int, nodes: int, rng: random.Random) -> str:
    """One cluster's talenv.yaml: control planes first (ceil(M/2), at least 1), then workers."""
    cid = cluster_id(index)
    name = f"bench-{cid}"
    # A /24 per cluster: inside 10.0.0.0/8 for the first 65,536 clusters (the fleets of earlier results,
    # unchanged), then 11.x.y, 12.x.y … for the scale runs (100,000 clusters): benchmark addresses only.
    net = f"{10 + (index >> 16)}.{(index >> 8) & 0xFF}.{index & 0xFF}"
    talos = rng.choice(TALOS_VERSIONS)
    kube = rng.choice(KUBERNETES_VERSIONS)
    disk = rng.choice(INSTALL_DISKS)
    zone = rng.choice(ZONES)
    control_planes = max(1, (nodes + 1) // 2)
    lines = [
        f"# Benchmark cluster {cid} (generated by bench/genfleet.py; do not edit)",
        f"clusterName: {name}",
        f"endpoint: https://{net}.10:6443",
        f"talosVersion: {talos}",
        f"kubernetesVersion: {kube}",
        "domain: cluster.local",
        "clusterPodNets:",
        "  - 10.244.0.0/16",
        "clusterSvcNets:",
        "  - 10.96.0.0/12",
        "allowSchedulingOnControlPlanes: false",
        "nodes:",
    ]
    for n in range(nodes):
        is_cp = n < control_planes
        role = "cp" if is_cp else "worker"
        ordinal = n + 1 if is_cp else n - control_planes + 1
        lines += [
            f"  - hostname: {name}-{role}-{ordinal}",
            f"    ipAddress: {net}.{11 + n}",
            f"    controlPlane: {'true' if is_cp else 'false'}",
            f"    installDisk: {disk}",
            "    nodeLabels:",
            f"      topology.kubernetes.io/zone: {zone}",
        ]
        if n == 0:
            lines.append(f'      {EDIT_LABEL}: "0"')
    return "\n".join(lines) + "\n"


def generate(out: Path, clusters: int, nodes: int, seed: int, skeleton: Path, shared_bundle: bool = False,
             binary: Path | None = None) -> list[Path]:
    if (out / "talos" / "clusters").exists():
        sys.exit(f"genfleet: {out}/talos/clusters already exists; refusing to mix fleets")
    copy_skeleton(skeleton, out)
    root = out / "talos" / "clusters"
    secrets = shared_secrets(skeleton).read_bytes() if shared_bundle else None
    if not shared_bundle:
        root.mkdir(parents=True)
        generate_bundles(out, clusters, seed, skeleton, bench_binary(binary))
    rng = random.Random(seed)
    dirs = []
    for index in range(clusters):
        d = root / f"cluster-{cluster_id(index)}"
        d.mkdir(parents=True, exist_ok=not shared_bundle)
        (d / "talenv.yaml").write_text(talenv(index, nodes, rng))
        secret = d / "talsecret.sops.yaml"
        if secrets is not None:
            secret.write_bytes(secrets)
            os.chmod(secret, 0o600)
        elif not secret.is_file():
            sys.exit(f"genfleet: the generator wrote no {secret}")
        dirs.append(d)
    return dirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--clusters", type=int, required=True)
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skeleton", type=Path, default=None)
    parser.add_argument("--shared-bundle", action="store_true",
                        help="every cluster shares the first example cluster's bundle (NOT a realistic fleet: "
                             "decryption and the admin certificate become cache hits after the first cluster)")
    parser.add_argument("--bench-binary", type=Path, default=None,
                        help="TalosBatchBench to generate the bundles with (default: the release build)")
    args = parser.parse_args()
    if args.clusters < 1 or args.clusters > 1_000_000 or args.nodes < 1 or args.nodes > 200:
        sys.exit("genfleet: --clusters must be 1..1,000,000 and --nodes 1..200")
    skeleton = args.skeleton or default_skeleton()
    dirs = generate(args.out, args.clusters, args.nodes, args.seed, skeleton, args.shared_bundle, args.bench_binary)
    bundles = "one shared secrets bundle" if args.shared_bundle else "a secrets bundle per cluster"
    print(f"genfleet: {len(dirs)} clusters x {args.nodes} nodes in {args.out} ({bundles}; seed {args.seed}, "
          f"skeleton {skeleton})")


if __name__ == "__main__":
    main()
