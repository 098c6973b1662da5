#!/usr/bin/env python3
"""Regenerate Sources/Talos/Schema/ConfigSchemaTable.swift from the Talos machinery type definitions.

Reads the Go struct declarations (field order, yaml keys, omitempty, merge:"replace") of
pkg/machinery/config/types/* at a Talos commit and writes them out as Swift data.
Usage: scripts/gen-talos-schema.py <talos git dir> <commit> > Sources/Talos/Schema/ConfigSchemaTable.swift
"""
import re
import subprocess
import sys

gitdir, commit = sys.argv[1], sys.argv[2]


def git(*args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True).stdout


files = [f for f in git("ls-tree", "-r", "--name-only", commit, "pkg/machinery/config/types/").split()
         if f.endswith(".go") and not f.endswith("_test.go") and "_doc" not in f and "deepcopy" not in f]

structs = {}      # qualified name -> list of fields
aliases = {}      # qualified name -> go type expression (non-struct named types)
kinds = {}        # document kind -> qualified struct name
SCALARS = {"string", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
           "uint64", "float32", "float64", "byte"}

field_re = re.compile(r'^\s*(\w+)?\s*([\w\.\*\[\]]+(?:\[[\w\.\*]+\][\w\.\*\[\]]+)?)\s+`([^`]*)`')
for path in files:
    pkg = path.split("/")[4]
    src = git("show", f"{commit}:{path}")
    # kinds: registry.Register(FooKind, ... return &FooV1Alpha1{}
    consts = dict(re.findall(r'(\w+)\s*=\s*"(\w+)"', src))
    for m in re.finditer(r'registry\.Register\(\s*(\w+|"\w+")\s*,(.*?)\n\t\}\)', src, re.S):
        name = m.group(1)
        kind = name.strip('"') if name.startswith('"') else consts.get(name)
        ret = re.search(r'return &(\w+)\{\}', m.group(2))
        if kind and ret:
            kinds.setdefault(kind, f"{pkg}.{ret.group(1)}")
    for m in re.finditer(r'^type (\w+) struct \{\n(.*?)^\}', src, re.S | re.M):
        fields = []
        for line in m.group(2).split("\n"):
            line = line.split("//")[0] if "`" not in line else line
            em = re.match(r'^\s*(\*?[\w\.]+)\s+`([^`]*)`', line)
            if em:  # embedded struct
                fname, ftype, tags = em.group(1).split(".")[-1], em.group(1), em.group(2)
            else:
                fm = field_re.match(line)
                if not fm:
                    continue
                fname, ftype, tags = fm.groups()
            ym = re.search(r'yaml:"([^"]*)"', tags)
            if not ym:
                continue
            parts = ym.group(1).split(",")
            if parts[0] == "-":
                continue
            replace = 'merge:"replace"' in tags
            fields.append((parts[0], ftype, "omitempty" in parts, "inline" in parts, replace))
        structs[f"{pkg}.{m.group(1)}"] = fields
    for m in re.finditer(r'^type (\w+) (=\s*)?([^\s{][^\n]*)$', src, re.M):
        if m.group(3).startswith("struct") or m.group(3).startswith("interface"):
            continue
        aliases[f"{pkg}.{m.group(1)}"] = m.group(3).strip()

# keyed list merges Talos implements with Merge() methods on list types
KEYED = {"v1alpha1.NetworkDeviceList": ("v1alpha1.Device", ["interface", "deviceSelector"]),
         "v1alpha1.VlanList": ("v1alpha1.Vlan", ["vlanId"]),
         "v1alpha1.AdmissionPluginConfigList": ("v1alpha1.AdmissionPluginConfig", ["name"]),
         "runtime.ConfigFileList": ("runtime.ConfigFile", ["mountPath"])}
# types marshalled as one scalar
SCALAR_NAMED = {"x509.PEMEncodedCertificateAndKey": None}
PEM = {"x509.PEMEncodedCertificateAndKey": [("crt", "[]byte", False, False, False), ("key", "[]byte", False, False, False)],
       "x509.PEMEncodedKey": [("key", "[]byte", False, False, False)],
       "x509.PEMEncodedCertificate": [("crt", "[]byte", False, False, False)]}
for k, v in PEM.items():
    structs[k] = v


def resolve(t, pkg, depth=0):
    """Swift FieldType expression for a Go type expression."""
    if depth > 20:
        return ".opaque"
    if t.startswith("*"):
        return resolve(t[1:], pkg, depth + 1)
    if t.startswith("[]"):
        if t[2:].lstrip("*") in ("byte", "uint8"):
            return ".opaque"
        return f".list({resolve(t[2:], pkg, depth + 1)})"
    if t.startswith("map["):
        return f".map({resolve(t[t.index(']') + 1:], pkg, depth + 1)})"
    q = t if "." in t else f"{pkg}.{t}"
    if t == "string":
        return ".string"
    if t == "bool":
        return ".bool"
    if t in SCALARS:
        return ".int"
    if q in KEYED:
        elem, keys = KEYED[q]
        return f".keyedList({swift_str(elem)}, keys: [{', '.join(swift_str(k) for k in keys)}])"
    if q in ("meta.Unstructured", "v1alpha1.Unstructured") or t in ("any", "interface{}"):
        return ".unstructured"
    if q == "v1alpha1.FileMode":
        return ".fileMode"
    if q == "v1alpha1.DiskSize":
        return ".diskSize"
    if q in ("meta.Args", "v1alpha1.Args"):
        return ".args"
    if q in structs:
        if not structs[q]:
            return ".opaque"  # custom marshalled (e.g. Endpoint wraps *url.URL)
        return f".structure({swift_str(q)})"
    if q in aliases:
        return resolve(aliases[q], q.split(".")[0], depth + 1)
    return ".opaque"


def swift_str(s):
    return '"' + s + '"'


def pointer(t):
    return t.startswith("*") or t.startswith("[]") or t.startswith("map[") or resolve(t, "v1alpha1").startswith((".list", ".map", ".keyedList", ".unstructured", ".args"))


out = []
out.append("// Generated by scripts/gen-talos-schema.py from siderolabs/talos " + commit + "\n"
           "// (pkg/machinery/config/types): every config struct's fields in declaration order with\n"
           "// their yaml keys, omitempty and merge:\"replace\" flags. Do not edit by hand.\n")
out.append("extension ConfigSchema {")
out.append("    static let generatedStructs: [String: [FieldSpec]] = [")
for name in sorted(structs):
    pkg = name.split(".")[0]
    fields = structs[name]
    if not fields:
        continue
    out.append(f"        {swift_str(name)}: [")
    for key, ftype, omit, inline, replace in fields:
        ftype_res = resolve(ftype, pkg)
        isptr = ftype.startswith("*")
        args = [swift_str(key), ftype_res]
        if omit:
            args.append("omitEmpty: true")
        if isptr:
            args.append("pointer: true")
        if inline:
            args.append("inline: true")
        if replace:
            args.append("replace: true")
        out.append(f"            FieldSpec({', '.join(args)}),")
    out.append("        ],")
out.append("    ]")
out.append("")
out.append("    static let generatedKinds: [String: String] = [")
for kind in sorted(kinds):
    out.append(f"        {swift_str(kind)}: {swift_str(kinds[kind])},")
out.append("    ]")
out.append("}")
print("\n".join(out))
