#!/usr/bin/env python3
"""YAML parse speed: talos-batch's YAML module against PyYAML's C loader on the same 10 MB file.

    bench/yaml-parse.py [--size-mb 10] [--runs 7] [--seed 1] [--binary PATH] [--python PATH] [--keep]

Generates a deterministic multi-document YAML stream shaped like the fleet's inputs (Talos machine configs,
talconfig node lists, secrets, literal blocks, quoted and typed scalars), builds TalosBatchBench in release
mode (scratch path `.build` or $BENCH_SCRATCH_PATH) unless --binary is given, then times, in process and
excluding file reading, `YAML.parseStream` (TalosBatchBench yaml-parse) and
`yaml.load_all(data, Loader=yaml.CSafeLoader)` (PyYAML with libyaml, from the test venv). Runs alternate
between the two; the report gives each side's median and the median of the per-pair ratios.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PYYAML_TIMER = r"""
import sys, time, yaml
data = open(sys.argv[1], 'rb').read()
runs = int(sys.argv[2])
assert yaml.__with_libyaml__, 'PyYAML was built without libyaml'
for _ in range(runs):
    start = time.perf_counter()
    docs = list(yaml.load_all(data, Loader=yaml.CSafeLoader))
    print('seconds', time.perf_counter() - start, flush=True)
print('documents', len(docs))
"""


def word(rng, n=8):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, n)))


def b64(rng, n):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(alphabet) for _ in range(n)) + "=="


def document(rng, index):
    """One Talos-like machine config with a talhelper-like node list."""
    lines = [
        "version: v1alpha1",
        "debug: false",
        "persist: true",
        "machine:",
        f"    type: {'controlplane' if index % 3 == 0 else 'worker'}",
        f"    token: {word(rng, 6)}.{word(rng, 16)}",
        "    ca:",
        f"        crt: {b64(rng, 600)}",
        f"        key: \"{b64(rng, 160)}\"",
        "    certSANs:",
    ]
    lines += [f"        - {rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(3)]
    lines += [
        "    kubelet:",
        f"        image: ghcr.io/siderolabs/kubelet:v1.{rng.randint(26, 31)}.{rng.randint(0, 9)}",
        "        extraArgs:",
        f"            rotate-server-certificates: \"{rng.choice(['true', 'false'])}\"",
        f"            max-pods: {rng.randint(100, 250)}",
        "        extraMounts:",
        f"            - destination: /var/{word(rng)}",
        "              type: bind",
        f"              source: /var/{word(rng)}",
        "              options:",
        "                - rshared",
        "                - rw",
        "    network:",
        f"        hostname: node-{index}",
        "        interfaces:",
    ]
    for nic in range(2):
        lines += [
            f"            - interface: eth{nic}",
            f"              dhcp: {rng.choice(['true', 'false'])}",
            "              addresses:",
            f"                - 10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}/24",
            f"              mtu: {rng.choice([1500, 9000])}",
            "              routes:",
            f"                - network: 0.0.0.0/0",
            f"                  gateway: 10.0.0.1",
            f"                  metric: {rng.randint(1, 2048)}",
        ]
    lines += [
        "    install:",
        f"        disk: /dev/{rng.choice(['sda', 'nvme0n1', 'vda'])}",
        "        extraKernelArgs:",
    ]
    lines += [f"            - {word(rng)}={word(rng)}" for _ in range(4)]
    lines += [
        f"        wipe: {rng.choice(['true', 'false'])}",
        "    sysctls:",
        f"        vm.nr_hugepages: \"{rng.randint(0, 2048)}\"",
        f"        net.core.somaxconn: '{rng.randint(1024, 65535)}'",
        "    files:",
        "        - content: |",
        f"            [plugins.\"io.containerd.grpc.v1.cri\"]",
        f"              enable_unprivileged_ports = {rng.choice(['true', 'false'])}",
        f"              device_ownership_from_security_context = true",
        f"            # {word(rng)} {word(rng)} {word(rng)}",
        "          permissions: 0o644",
        "          path: /etc/cri/conf.d/20-customization.part",
        "          op: create",
        "    nodeLabels:",
        f"        topology.kubernetes.io/zone: {word(rng)}-{rng.randint(1, 9)}",
        f"        node.kubernetes.io/exclude-from-external-load-balancers: \"\"",
        "cluster:",
        f"    id: {b64(rng, 42)}",
        f"    secret: {b64(rng, 42)}",
        "    controlPlane:",
        f"        endpoint: https://{word(rng)}.example.com:6443",
        "    network:",
        f"        dnsDomain: cluster.local",
        "        podSubnets:",
        "            - 10.244.0.0/16",
        "        serviceSubnets:",
        "            - 10.96.0.0/12",
        f"    scheduler: {{image: 'registry.k8s.io/kube-scheduler:v1.{rng.randint(26, 31)}.0', extraArgs: {{bind-address: 0.0.0.0}}}}",
        f"    ratio: {rng.random():.6f}",
        f"    replicas: {rng.randint(1, 5)}",
        f"    createdAt: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"    enabled: {rng.choice(['true', 'false', 'null', '~'])}",
    ]
    return "\n".join(lines) + "\n"


def generate(path, size_mb, seed):
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    written = 0
    index = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while written < target:
            text = ("---\n" if index else "") + document(rng, index)
            out.write(text)
            written += len(text.encode())
            index += 1
    return written, index


def default_python():
    candidates = []
    if os.environ.get("TALOS_BATCH_TEST_VENV"):
        candidates.append(os.path.join(os.environ["TALOS_BATCH_TEST_VENV"], "bin", "python"))
    candidates += [os.path.join(ROOT, ".venv-test", "bin", "python"), "/work/main/.venv-test/bin/python",
                   os.path.join(ROOT, "bench", "work", "venv", "bin", "python")]
    for candidate in candidates:
        if os.path.exists(candidate):
            return candidate
    return sys.executable


def times_from(output):
    return [float(line.split()[1]) for line in output.splitlines() if line.startswith("seconds ")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--binary", help="a built TalosBatchBench (default: build it in release mode)")
    parser.add_argument("--python", default=default_python(), help="a Python with PyYAML built against libyaml")
    parser.add_argument("--keep", action="store_true", help="keep the generated file and print its path")
    args = parser.parse_args()

    binary = args.binary
    if not binary:
        scratch = os.environ.get("BENCH_SCRATCH_PATH", ".build")
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", "TalosBatchBench"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = os.path.join(ROOT, scratch, "release", "TalosBatchBench")

    workdir = tempfile.mkdtemp(prefix="yaml-parse-bench-")
    path = os.path.join(workdir, "stream.yaml")
    size, documents = generate(path, args.size_mb, args.seed)
    print(f"file: {size / 1048576:.1f} MiB, {documents} documents (seed {args.seed})")

    swift_times, python_times = [], []
    for _ in range(args.runs):
        swift = subprocess.run([binary, "yaml-parse", path, "1"], check=True, capture_output=True, text=True)
        swift_times += times_from(swift.stdout)
        python = subprocess.run([args.python, "-c", PYYAML_TIMER, path, "1"], check=True, capture_output=True, text=True)
        python_times += times_from(python.stdout)

    ratios = [p / s for p, s in zip(python_times, swift_times)]
    swift_median = statistics.median(swift_times)
    python_median = statistics.median(python_times)
    mib = size / 1048576
    print(f"talos-batch YAML.parseStream : median {swift_median * 1000:8.1f} ms  ({mib / swift_median:6.1f} MiB/s)")
    print(f"PyYAML CSafeLoader load_all  : median {python_median * 1000:8.1f} ms  ({mib / python_median:6.1f} MiB/s)")
    print(f"speed-up (median of {len(ratios)} paired ratios): {statistics.median(ratios):.2f}x  (target: >= 2x)")
    if args.keep:
        print(f"kept: {path}")
    else:
        os.remove(path)
        os.rmdir(workdir)


if __name__ == "__main__":
    main()
