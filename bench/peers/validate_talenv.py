#!/usr/bin/env python3
"""The seed flow's talenv.yaml validator (a benchmark peer, not talos-batch code).

Checks what the seed's Python validator checks before rendering: required keys and their types, an https
endpoint, RFC 1123 hostnames, valid and unique IPs and hostnames, at least one control plane, an install
disk or selector per node. Prints every problem and exits 1 if there is any; otherwise, with --values-out,
writes the values as canonical JSON (what the render step reads).

Usage: validate_talenv.py TALENV [--values-out JSON]
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys

import yaml

HOSTNAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
REQUIRED = {"clusterName": str, "endpoint": str, "talosVersion": str, "kubernetesVersion": str, "nodes": list}


def problems(env: object, path: str) -> list[str]:
    if not isinstance(env, dict):
        return [f"{path}: expected a mapping at the top level"]
    out = []
    for key, kind in REQUIRED.items():
        if key not in env:
            out.append(f"{path}: missing `{key}`")
        elif not isinstance(env[key], kind):
            out.append(f"{path}: `{key}` must be a {kind.__name__}")
    if isinstance(env.get("endpoint"), str) and not env["endpoint"].startswith("https://"):
        out.append(f"{path}: `endpoint` must be an https URL")
    seen_hosts, seen_ips, control_planes = set(), set(), 0
    for i, node in enumerate(env.get("nodes") or []):
        where = f"{path}: nodes[{i}]"
        if not isinstance(node, dict):
            out.append(f"{where}: expected a mapping")
            continue
        host = node.get("hostname")
        if not isinstance(host, str) or not HOSTNAME.match(host):
            out.append(f"{where}.hostname: not an RFC 1123 hostname")
        elif host in seen_hosts:
            out.append(f"{where}.hostname: duplicate {host}")
        seen_hosts.add(host)
        try:
            ip = str(ipaddress.ip_address(str(node.get("ipAddress"))))
            if ip in seen_ips:
                out.append(f"{where}.ipAddress: duplicate {ip}")
            seen_ips.add(ip)
        except ValueError:
            out.append(f"{where}.ipAddress: not an IP address")
        if not isinstance(node.get("controlPlane"), bool):
            out.append(f"{where}.controlPlane: must be a boolean")
        elif node["controlPlane"]:
            control_planes += 1
        if "installDisk" not in node and "installDiskSelector" not in node:
            out.append(f"{where}: needs installDisk or installDiskSelector")
    if control_planes == 0:
        out.append(f"{path}: no control-plane node")
    return out


def main() -> int:
    args = sys.argv[1:]
    if len(args) not in (1, 3) or (len(args) == 3 and args[1] != "--values-out"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        env = yaml.safe_load(f)
    found = problems(env, args[0])
    for p in found:
        print(p, file=sys.stderr)
    if found:
        return 1
    if len(args) == 3:
        with open(args[2], "w", encoding="utf-8") as f:
            json.dump(env, f, sort_keys=True, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
