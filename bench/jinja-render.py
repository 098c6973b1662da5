#!/usr/bin/env python3
"""Template rendering speed: talos-batch's Jinja engine against Python Jinja2, both in process.

    bench/jinja-render.py [--nodes 500] [--runs 15] [--seed 1] [--binary PATH] [--python PATH] [--keep]

Generates a talconfig.j2-style template (node loop, selectattr/map/join, `'%s' % x`, `default(v, true)`,
inline if, `x.split()`, macros, namespace counters, trim_blocks + lstrip_blocks) and a values file with
N nodes; builds TalosBatchBench in release mode (scratch path `.build` or $BENCH_SCRATCH_PATH) unless
--binary is given; then times (in CPU time of the rendering thread, which a loaded machine disturbs far
less than wall-clock time) only the render of the already-compiled template: `Template.render`
(TalosBatchBench jinja-render) and `template.render(values)` (Jinja2 from the test venv). Both outputs
are compared byte for byte first. Runs alternate between the two; the report gives each side's median
and the median of the per-pair ratios (Python time / Swift time: above 1 means talos-batch is faster).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PYTHON_TIMER = r"""
import json, sys, time
import jinja2
source = open(sys.argv[1]).read()
values = json.load(open(sys.argv[2]))
runs = int(sys.argv[3])
env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
template = env.from_string(source)
for _ in range(runs):
    start = time.thread_time()
    out = template.render(values)
    print('seconds', time.thread_time() - start, flush=True)
print('bytes', len(out.encode()))
if len(sys.argv) > 4:
    open(sys.argv[4], 'w').write(out)
"""

TEMPLATE = r"""# yaml-language-server: $schema=https://raw.githubusercontent.com/budimanjojo/talhelper/master/pkg/config/schemas/talconfig.json
---
{% macro labels(node) -%}
{% for key, value in node.labels.items() | sort %}
      {{ key }}: "{{ value }}"
{% endfor %}
{%- endmacro %}
{% set ns = namespace(controllers=0, workers=0) %}
clusterName: {{ cluster.name }}
talosVersion: "{{ cluster.talosVersion }}"
kubernetesVersion: "{{ cluster.kubernetesVersion | default('v1.31.0', true) }}"
endpoint: https://{{ cluster.endpoint }}:6443
additionalApiServerCertSans: &sans
  - "127.0.0.1"
  {% for san in cluster.sans %}
  - "{{ san }}"
  {% endfor %}
additionalMachineCertSans: *sans
clusterPodNets: ["{{ cluster.podCidr }}"]
clusterSvcNets: ["{{ cluster.serviceCidr }}"]
cniConfig:
  name: none
# {{ nodes | selectattr('controller') | list | length }} controllers, {{ nodes | rejectattr('controller') | list | length }} workers
nodes:
{% for node in nodes %}
  {% if node.controller %}{% set ns.controllers = ns.controllers + 1 %}{% else %}{% set ns.workers = ns.workers + 1 %}{% endif %}
  - hostname: "{{ node.name }}"
    ipAddress: "{{ node.address }}"
    controlPlane: {{ node.controller | lower }}
    installDiskSelector:
      serial: "{{ node.disk_serial }}"
    {% if node.schematic_id | default('', true) %}
    talosImageURL: factory.talos.dev/installer/{{ node.schematic_id }}
    {% endif %}
    networkInterfaces:
      - deviceSelector:
          hardwareAddr: "{{ node.mac_addr | lower }}"
        {% if node.mtu is defined %}
        mtu: {{ node.mtu }}
        {% endif %}
        dhcp: false
        addresses:
          - "{{ '%s/%s' % (node.address, cluster.prefix) }}"
        routes:
          - network: "0.0.0.0/0"
            gateway: "{{ cluster.gateway }}"
        {% if node.controller %}
        vip:
          ip: "{{ cluster.endpoint }}"
        {% endif %}
    {% if node.labels %}
    nodeLabels:
{{ labels(node) }}
    {% endif %}
    {% set dns = node.dns.split() %}
    nameservers: [{{ dns | map('tojson') | join(', ') }}]
    schematic:
      customization:
        extraKernelArgs: {{ node.kernel_args | default(cluster.kernel_args, true) | join(' ') | tojson }}
    patches:
      - "@./patches/{{ 'controller' if node.controller else 'worker' }}.yaml"
      - |-
        machine:
          install:
            wipe: {{ (node.wipe | default(false)) | string | lower }}
          kubelet:
            extraArgs:
              node-ip: {{ node.address }}
              max-pods: "{{ node.max_pods | default(110) }}"
{% endfor %}
# counted {{ ns.controllers }} controllers and {{ ns.workers }} workers
"""


def values(count, seed):
    rng = random.Random(seed)
    nodes = []
    for i in range(count):
        controller = i < 3 or rng.random() < 0.05
        node = {
            "name": f"{'cp' if controller else 'worker'}-{i:03d}",
            "address": f"10.{i // 250}.{i % 250}.{rng.randint(10, 250)}",
            "controller": controller,
            "disk_serial": "".join(rng.choice("ABCDEF0123456789") for _ in range(12)),
            "mac_addr": ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6)),
            "schematic_id": rng.choice(["", "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"]),
            "labels": {f"topology.kubernetes.io/{k}": f"{k}-{rng.randint(1, 4)}" for k in rng.sample(["zone", "region", "rack"], rng.randint(0, 3))},
            "dns": " ".join(f"10.0.0.{rng.randint(1, 9)}" for _ in range(rng.randint(1, 3))),
            "kernel_args": rng.choice([[], ["net.ifnames=0"], ["mitigations=off", "talos.auditd.disabled=1"]]),
        }
        if rng.random() < 0.3:
            node["mtu"] = rng.choice([1500, 9000])
        if rng.random() < 0.5:
            node["max_pods"] = rng.choice([110, 250])
        if rng.random() < 0.2:
            node["wipe"] = True
        nodes.append(node)
    return {
        "cluster": {
            "name": "bench", "talosVersion": "v1.9.1", "kubernetesVersion": "", "endpoint": "10.0.0.100",
            "sans": ["bench.example.com", "10.0.0.100"], "podCidr": "10.42.0.0/16", "serviceCidr": "10.43.0.0/16",
            "prefix": 16, "gateway": "10.0.0.1", "kernel_args": ["talos.logging.kernel=udp://10.0.0.5:6050/"],
        },
        "nodes": nodes,
    }


def build_binary():
    scratch = os.environ.get("BENCH_SCRATCH_PATH", os.path.join(ROOT, ".build"))
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", "TalosBatchBench"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--show-bin-path"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "TalosBatchBench")


def seconds(output):
    return [float(line.split()[1]) for line in output.splitlines() if line.startswith("seconds ")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--binary")
    parser.add_argument("--python", default=os.path.join(os.environ.get("TALOS_BATCH_TEST_VENV", os.path.join(ROOT, ".venv-test")), "bin", "python"))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="jinja-render-bench-")
    template_path = os.path.join(work, "talconfig.j2")
    values_path = os.path.join(work, "values.json")
    with open(template_path, "w") as f:
        f.write(TEMPLATE)
    with open(values_path, "w") as f:
        json.dump(values(args.nodes, args.seed), f)
    timer_path = os.path.join(work, "timer.py")
    with open(timer_path, "w") as f:
        f.write(PYTHON_TIMER)
    binary = args.binary or build_binary()
    flags = ["--trim-blocks", "--lstrip-blocks"]

    # Same bytes first: a fast wrong answer is no answer.
    swift_out, python_out = os.path.join(work, "swift.out"), os.path.join(work, "python.out")
    subprocess.run([binary, "jinja-render", template_path, values_path, "1", *flags, "--output", swift_out], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.python, timer_path, template_path, values_path, "1", python_out], check=True, stdout=subprocess.DEVNULL)
    if open(swift_out, "rb").read() != open(python_out, "rb").read():
        sys.exit(f"outputs differ: compare {swift_out} and {python_out}")
    size = os.path.getsize(swift_out)

    swift_times, python_times, ratios = [], [], []
    for _ in range(args.runs):
        # Each process renders 5 times; its best-warmed (last) run counts for the pair.
        s = seconds(subprocess.run([binary, "jinja-render", template_path, values_path, "5", *flags], check=True, capture_output=True, text=True).stdout)
        p = seconds(subprocess.run([args.python, timer_path, template_path, values_path, "5"], check=True, capture_output=True, text=True).stdout)
        swift_times.append(statistics.median(s))
        python_times.append(statistics.median(p))
        ratios.append(python_times[-1] / swift_times[-1])

    print(f"template: talconfig.j2 with {args.nodes} nodes, output {size} bytes (identical from both engines)")
    print(f"talos-batch Jinja  median {statistics.median(swift_times) * 1000:.2f} ms CPU per render")
    print(f"Python Jinja2      median {statistics.median(python_times) * 1000:.2f} ms CPU per render (compiled once)")
    print(f"median ratio (Python / talos-batch): {statistics.median(ratios):.2f}x")
    if not args.keep:
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
        os.rmdir(work)
    else:
        print(f"files kept in {work}")


if __name__ == "__main__":
    main()
