"""Writes cases.json: the bad-input battery of issue 19 (BadInputEndToEndTests), as edits of the
example fleet (talos/, talos-batch.yaml). Each case: the file to edit, the text to find (its
`occurrence`-th match; 0 = every one), what replaces it, whether the error must give a file:line:col
(`position`), and the name the message must contain (`names`). Run from the package root after the
example fleet changes:  python3 Tests/BadInputs/generate.py Tests/BadInputs/cases.json
"""
import json, re, os
cases = []
def add(name, file, find, replace, occurrence=1, position=True, names=None, cold_cache=False):
    case = dict(name=name, file=file, find=find, replace=replace, occurrence=occurrence, position=position, names=names or file.split("/")[-1])
    # Only decrypting reveals it (the age key): with the base's cache the bundle keys are remembered, nothing decrypts.
    if cold_cache: case["coldCache"] = True
    cases.append(case)
T = {i: f"talos/clusters/cluster-{i}/talenv.yaml" for i in (101, 102, 103)}
texts = {i: open(T[i]).read() for i in T}
# Top-level fields, each cluster
for i in (101, 102, 103):
    t = texts[i]
    name = re.search(r"^clusterName: (.*)$", t, re.M).group(1)
    ep = re.search(r"^endpoint: (.*)$", t, re.M).group(1)
    tv = re.search(r"^talosVersion: (.*)$", t, re.M).group(1)
    kv = re.search(r"^kubernetesVersion: (.*)$", t, re.M).group(1)
    add(f"{i} clusterName empty", T[i], f"clusterName: {name}", 'clusterName: ""')
    add(f"{i} clusterName a list", T[i], f"clusterName: {name}", "clusterName: [a, b]")
    add(f"{i} clusterName a mapping", T[i], f"clusterName: {name}", "clusterName: {a: b}")
    add(f"{i} clusterName missing", T[i], f"clusterName: {name}\n", "", position=True)
    add(f"{i} endpoint http", T[i], f"endpoint: {ep}", "endpoint: " + ep.replace("https://", "http://"))
    add(f"{i} endpoint without scheme", T[i], f"endpoint: {ep}", "endpoint: " + ep.replace("https://", ""))
    add(f"{i} endpoint a number", T[i], f"endpoint: {ep}", "endpoint: 6443")
    add(f"{i} endpoint missing", T[i], f"endpoint: {ep}\n", "")
    add(f"{i} talosVersion latest", T[i], f"talosVersion: {tv}", "talosVersion: latest")
    add(f"{i} talosVersion a float", T[i], f"talosVersion: {tv}", "talosVersion: 1.11")
    add(f"{i} talosVersion missing", T[i], f"talosVersion: {tv}\n", "")
    add(f"{i} kubernetesVersion garbage", T[i], f"kubernetesVersion: {kv}", "kubernetesVersion: v1.x.y")
    add(f"{i} kubernetesVersion a list", T[i], f"kubernetesVersion: {kv}", "kubernetesVersion: [v1.34.1]")
    add(f"{i} nodes empty", T[i], "nodes:\n", "nodes: []\nformerNodes:\n")
    add(f"{i} nodes a string", T[i], "nodes:\n", "nodes: none\nformerNodes:\n")
    add(f"{i} unclosed double quote", T[i], f"clusterName: {name}", f'clusterName: "{name}')
    add(f"{i} unclosed flow sequence", T[i], f"clusterName: {name}", f"clusterName: [{name}")
    add(f"{i} tab indentation", T[i], "\n  - hostname:", "\n\t- hostname:")
    add(f"{i} duplicate key", T[i], f"clusterName: {name}", f"clusterName: {name}\nclusterName: other")
    add(f"{i} undefined alias", T[i], f"clusterName: {name}", "clusterName: *nothing")
    add(f"{i} mapping value in plain scalar", T[i], f"clusterName: {name}", f"clusterName: a: b")
    add(f"{i} top level a list", T[i], "clusterName:", "- clusterName:")
    add(f"{i} bad indentation of a node field", T[i], "\n    ipAddress:", "\n      ipAddress:")
    add(f"{i} unknown escape in double quotes", T[i], f"clusterName: {name}", 'clusterName: "a\\qb"')
    add(f"{i} no control plane", T[i], "controlPlane: true", "controlPlane: false", occurrence=0)
# Per node fields
for i in (101, 102, 103):
    t = texts[i]
    hosts = re.findall(r"- hostname: (\S+)", t)
    ips = re.findall(r"^    ipAddress: (.*)$", t, re.M)
    for n, h in enumerate(hosts):
        add(f"{i} {h} hostname upper case and underscore", T[i], f"hostname: {h}\n", f"hostname: {h.upper()}_X\n")
        add(f"{i} {h} hostname with a path", T[i], f"hostname: {h}\n", f"hostname: ../{h}\n")
        add(f"{i} {h} hostname missing", T[i], f"- hostname: {h}\n    ", "- ")
        add(f"{i} {h} ipAddress octet 300", T[i], f"ipAddress: {ips[n]}\n", "ipAddress: 10.0.0.300\n")
        add(f"{i} {h} ipAddress a word", T[i], f"ipAddress: {ips[n]}\n", "ipAddress: banana\n")
        add(f"{i} {h} controlPlane a string", T[i], "controlPlane: ", 'controlPlane: "yes" #', occurrence=n+1)
# cluster-102 extras
t = 102
for n in range(6):
    add(f"102 label {n+1} value with spaces", T[102], "topology.kubernetes.io/zone: ", "topology.kubernetes.io/zone: bad value ", occurrence=n+1)
    add(f"102 label {n+1} key with spaces", T[102], "topology.kubernetes.io/zone: ", "topology kubernetes/zone: ", occurrence=n+1)
for n in range(6):
    add(f"102 node {n+1} installDisk relative", T[102], "installDisk: /dev/", "installDisk: dev/", occurrence=n+1)
add("102 taint effect misspelt", T[102], '"true:NoSchedule"', '"true:NoScheduel"')
add("102 taint effect missing", T[102], '"true:NoSchedule"', '"true"')
add("102 taint key invalid", T[102], "storage.example.com/dedicated:", "storage example/dedicated:")
add("102 clusterPodNets not a CIDR", T[102], "  - 10.244.0.0/16", "  - 10.244.0.0")
add("102 clusterSvcNets a word", T[102], "  - 10.96.0.0/12", "  - services")
add("102 certSans empty string", T[102], "  - prod-a.k8s.example.com\n  - 10.20.0.10", '  - ""\n  - 10.20.0.10')
add("102 systemExtensions unknown", T[102], "  - siderolabs/iscsi-tools", "  - siderolabs/iscsi-toolz")
add("102 systemExtensions duplicate", T[102], "  - siderolabs/util-linux-tools", "  - siderolabs/iscsi-tools")
add("102 systemExtensions a mapping", T[102], "  - siderolabs/iscsi-tools", "  - {a: b}")
add("102 patch not YAML", T[102], 'vm.nr_hugepages: "1024"', 'vm.nr_hugepages: "1024\n            - [', names="talconfig.rendered.yaml")
# Errors inside a patch's text are at its line in the rendered talconfig (the template copies the text there).
add("102 patch with an unknown field", T[102], 'vm.nr_hugepages: "1024"', 'vm.nr_hugepages: "1024"\n          frobnicate: 1', names="talconfig.rendered.yaml")
add("102 patch of a wrong type", T[102], 'vm.nr_hugepages: "1024"', "vm.nr_hugepages: [1]", names="talconfig.rendered.yaml")
add("102 JSON patch with an unknown op", T[102], 'machine:\n          sysctls:\n            vm.nr_hugepages: "1024"', "- op: frobnicate\n          path: /machine/x", names="talconfig.rendered.yaml")
add("102 patch file missing", T[102], '- |\n        machine:\n          sysctls:\n            vm.nr_hugepages: "1024"', '- "@no-such-patch.yaml"', names="no-such-patch.yaml")
add("102 allowScheduling a string", T[102], "domain: cluster.local", "domain: cluster.local\nallowSchedulingOnControlPlanes: maybe")
add("102 domain empty", T[102], "domain: cluster.local", 'domain: ""')
# Issue 19c: what a hostile tester of talenv.yaml tries next
add("102 domain with a space", T[102], "domain: cluster.local", 'domain: "cluster local"')
add("102 domain label starting with a hyphen", T[102], "domain: cluster.local", "domain: -bad-.local")
add("102 kubernetesVersion too old for the Talos release", T[102], "kubernetesVersion: v1.34.1", "kubernetesVersion: v1.20.0")
add("102 kubernetesVersion too new for the Talos release", T[102], "kubernetesVersion: v1.34.1", "kubernetesVersion: v1.99.0")
add("102 talosVersion newer than supported", T[102], "talosVersion: v1.11.5", "talosVersion: v1.99.0")
add("102 talosVersion older than supported", T[102], "talosVersion: v1.11.5", "talosVersion: v0.14.0")
add("102 duplicate ipAddress", T[102], "ipAddress: 10.20.0.12", "ipAddress: 10.20.0.11")
add("102 ipAddress with a leading zero", T[102], "ipAddress: 10.20.0.12", "ipAddress: 010.20.0.12")
add("102 ipAddress IPv6 with two ::", T[102], "ipAddress: 10.20.0.12", 'ipAddress: "fd00::1::2"')
add("102 ipAddress IPv6 with a zone", T[102], "ipAddress: 10.20.0.12", 'ipAddress: "fe80::1%eth0"')
add("102 hostname label longer than 63", T[102], "hostname: prod-a-cp-2", "hostname: " + "a" * 64)
add("102 label value longer than 63", T[102], "topology.kubernetes.io/zone: site-a-1", "topology.kubernetes.io/zone: " + "x" * 64)
add("102 endpoint with user info", T[102], "endpoint: https://prod-a.k8s.example.com:6443", "endpoint: https://admin@prod-a.k8s.example.com:6443")
add("102 endpoint port 0", T[102], "endpoint: https://prod-a.k8s.example.com:6443", "endpoint: https://prod-a.k8s.example.com:0")
add("102 endpoint port past 65535", T[102], "endpoint: https://prod-a.k8s.example.com:6443", "endpoint: https://prod-a.k8s.example.com:70000")
add("102 endpoint IPv6 with two ::", T[102], "endpoint: https://prod-a.k8s.example.com:6443", 'endpoint: "https://[fd00::1::2]:6443"')
add("102 alias bomb", T[102], "domain: cluster.local", "domain: cluster.local\nx: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(f"x{i}: &a{i} [" + ",".join(["*a" if i == 0 else f"*a{i-1}"] * 9) + "]\n" for i in range(9)))
add("102 nesting 100000 deep", T[102], "domain: cluster.local", "domain: cluster.local\ndeep: " + "[" * 100000 + "]" * 100000)
# cluster-103 extras
add("103 mtu too small", T[103], "mtu: 9000", "mtu: 100")
add("103 mtu negative", T[103], "mtu: 9000", "mtu: -1")
add("103 mtu past 32 bits", T[103], "mtu: 9000", "mtu: 99999999999999999999999")
add("103 mtu a string", T[103], "mtu: 9000", "mtu: large")
add("103 dhcp a string", T[103], "dhcp: true", "dhcp: often")
add("103 address not a CIDR", T[103], "- 10.30.0.11/24", "- 10.30.0.11")
add("103 route gateway garbage", T[103], "gateway: 10.30.0.1", "gateway: router", occurrence=1)
add("103 vip not an address", T[103], "ip: 10.30.0.5", "ip: vip", occurrence=1)
add("103 installDiskSelector empty", T[103], "installDiskSelector:\n      model: Samsung SSD 980*", "installDiskSelector: {}", occurrence=1)
add("103 installDiskSelector a list", T[103], "installDiskSelector:\n      model: Samsung SSD 980*", "installDiskSelector:\n      - model", occurrence=1)
add("103 unknown official extension", T[103], "siderolabs/qemu-guest-agent", "siderolabs/no-such-extension")
add("103 extension of another release", T[103], "siderolabs/qemu-guest-agent", "siderolabs/nonfree-kmod-nvidia")
add("103 vip on a worker", T[103], "        mtu: 9000", "        mtu: 9000\n        vip:\n          ip: 10.30.0.5")
add("103 installDiskSelector type unknown", T[103], "      type: nvme", "      type: floppy")
add("103 installDiskSelector by name", T[103], "      type: nvme", "      type: nvme\n      name: sda")
add("103 podNets entry a mapping", T[103], "  - 10.244.0.0/16", "  - {net: 10.244.0.0/16}")
add("103 extraKernelArgs a mapping", T[103], "  - net.ifnames=0", "  - {a: b}")
add("103 hardwareAddr a list", T[103], 'hardwareAddr: "52:54:00:30:00:21"', "hardwareAddr: [1, 2]")
add("103 networkInterfaces a string", T[103], "    networkInterfaces:\n      - interface: eth0", "    networkInterfaces: eth0\n    formerInterfaces:\n      - interface: eth0", occurrence=1)
# Templates
TPL = "talos/templates/talconfig.j2"; SCH = "talos/common/schematic.yaml.j2"
add("template unclosed block", TPL, "{%- endfor %}", "", occurrence=1)
add("template unknown filter", TPL, '{{ clusterName }}', '{{ clusterName | nosuchfilter }}')
add("template unclosed expression", TPL, '{{ clusterName }}', '{{ clusterName ')
add("template undefined tag", TPL, "{%- if clusterPodNets is defined %}", "{%- frobnicate %}")
add("template bad expression", TPL, '{{ clusterName }}', '{{ clusterName + }}')
add("template raise", TPL, '{{ clusterName }}', "{{ clusterName }}{{ raise('boom') }}")
add("template renders invalid YAML", TPL, 'clusterName: "{{ clusterName }}"', 'clusterName: "{{ clusterName }}\n  : : [')
add("template division by zero", TPL, '{{ clusterName }}', '{{ 1 // 0 }}')
add("template endless recursion", TPL, '{{ clusterName }}', '{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}')
add("template loop of 10^8", TPL, '{{ clusterName }}', '{% for i in range(100000000) %}x{% endfor %}')
add("template string of 10^9", TPL, '{{ clusterName }}', '{{ "x" * 1000000000 }}')
add("template power of 10^8 bits", TPL, '{{ clusterName }}', '{{ 2 ** 100000000 }}')
add("template include outside its folder", TPL, '{{ clusterName }}', '{% include "../../talos-batch.yaml" %}')
add("schematic template unclosed tag", SCH, "{%", "{% if", occurrence=1)
add("schematic template unknown filter", SCH, "}}", " | nosuch }}", occurrence=1)
# Secrets
SEC = "talos/clusters/cluster-101/talsecret.sops.yaml"
add("secrets cut after the first line", SEC, "\n", "\n\x00CUT", occurrence=1, position=False)
add("secrets sops block removed", SEC, "sops:", "notsops:")
add("secrets mac tampered", SEC, "mac: ENC[AES256_GCM,data:W", "mac: ENC[AES256_GCM,data:X")
add("secrets value tampered", SEC, "ENC[AES256_GCM,data:", "ENC[AES256_GCM,data:AAAA", occurrence=1)
# accepted (a valid file for sops too, see docs/reliability.md): "secrets recipient changed", SEC, "recipient: age1", "recipient: age1x")
add("secrets age stanza damaged", SEC, "-----BEGIN AGE ENCRYPTED FILE-----", "-----BEGIN AGE ENCRYPTED FILE-----\n            AAAA", position=False)
add("secrets not YAML", SEC, "sops:", "sops: [")
add("secrets version a list", SEC, "version: 3.11.0", "version: [3]")
add("secrets lastmodified a mapping", SEC, "lastmodified: ", "lastmodified: {a: b} #")
add("secrets unknown cipher", SEC, "ENC[AES256_GCM,", "ENC[AES128_CBC,", occurrence=1)
# Project file
PRJ = "talos-batch.yaml"
add("project file not YAML", PRJ, "ageKeyFiles:", "ageKeyFiles: [")
add("project ageKeyFiles a mapping", PRJ, "ageKeyFiles:\n  - talos/demo/age-key.txt", "ageKeyFiles:\n  a: b")
add("project age key missing", PRJ, "talos/demo/age-key.txt", "talos/demo/no-such-key.txt", position=False, names="no-such-key.txt", cold_cache=True)
add("project age key file garbage", "talos/demo/age-key.txt", "AGE-SECRET-KEY-", "AGE-SECRET-KEX-", cold_cache=True)
add("project unknown setting", PRJ, "ageKeyFiles:", "noSuchSetting: 1\nageKeyFiles:")
add("project clusters folder missing", PRJ, "ageKeyFiles:", "clusters: talos/no-such-folder\nageKeyFiles:")
add("project template missing", PRJ, "ageKeyFiles:", "template: talos/templates/no-such.j2\nageKeyFiles:")
add("project schematic a folder", PRJ, "ageKeyFiles:", "schematic: talos\nageKeyFiles:")
add("project jobs 0", PRJ, "ageKeyFiles:", "jobs: 0\nageKeyFiles:")
add("project outputFolder escapes", PRJ, "ageKeyFiles:", "outputFolder: ../elsewhere\nageKeyFiles:")
import sys
json.dump(cases, open(sys.argv[1] if len(sys.argv) > 1 else "Tests/BadInputs/cases.json", "w"), indent=0)
print(len(cases))
