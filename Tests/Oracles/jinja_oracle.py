"""Renders a batch of Jinja2 cases with the real Python Jinja2 for the differential tests.

stdin:  {"cases": [{"template": str, "data": any, "options": {...}, "files": {name: source}}]}
stdout: [{"ok": true, "output": str} | {"ok": false, "error": str}] in the same order.

The infra filters (to_yaml, to_nice_yaml, to_json, b64encode, b64decode, basename, dirname,
regex_replace, regex_search, quote) are defined as Ansible defines them, except to_yaml, which is block
style throughout (Ansible's leaves default_flow_style at None). Values come as JSON ("data") or as YAML
text ("yaml") loaded with yaml.safe_load.
"""
import base64
import json
import os.path
import re
import shlex
import sys

import jinja2
import yaml


def to_yaml(a, indent=2):
    return yaml.dump(a, Dumper=yaml.SafeDumper, indent=indent, allow_unicode=True, default_flow_style=False)


def to_nice_yaml(a, indent=4):
    return yaml.dump(a, Dumper=yaml.SafeDumper, indent=indent, allow_unicode=True, default_flow_style=False)


def to_json(a, indent=None, sort_keys=False):
    return json.dumps(a, indent=indent, sort_keys=sort_keys)


def b64encode(s):
    return base64.b64encode(str(s).encode("utf-8")).decode("ascii")


def b64decode(s):
    return base64.b64decode(str(s)).decode("utf-8")


def regex_replace(value="", pattern="", replacement="", ignorecase=False, multiline=False, count=0):
    flags = (re.I if ignorecase else 0) | (re.M if multiline else 0)
    return re.compile(pattern, flags).sub(replacement, str(value), count=count)


def regex_search(value, regex, *args, **kwargs):
    flags = (re.I if kwargs.get("ignorecase") else 0) | (re.M if kwargs.get("multiline") else 0)
    match = re.search(regex, str(value), flags)
    if not match:
        return None
    if not args:
        return match.group()
    items = []
    for arg in args:
        if arg.startswith("\\g<"):
            name = arg[3:-1]
            items.append(match.group(int(name) if name.isdigit() else name))
        elif arg.startswith("\\"):
            items.append(match.group(int(arg[1:])))
        else:
            raise ValueError("Unknown argument")
    return items


INFRA_FILTERS = {
    "to_yaml": to_yaml,
    "to_nice_yaml": to_nice_yaml,
    "to_json": to_json,
    "b64encode": b64encode,
    "b64decode": b64decode,
    "basename": os.path.basename,
    "dirname": os.path.dirname,
    "regex_replace": regex_replace,
    "regex_search": regex_search,
    "quote": lambda s: shlex.quote(str(s)),
}


def environment(options, files):
    kwargs = dict(
        loader=jinja2.DictLoader(files),
        undefined=jinja2.Undefined if options.get("undefined") == "lenient" else jinja2.StrictUndefined,
        trim_blocks=bool(options.get("trim_blocks")),
        lstrip_blocks=bool(options.get("lstrip_blocks")),
        keep_trailing_newline=bool(options.get("keep_trailing_newline")),
        autoescape=False,
    )
    delimiters = options.get("delimiters")
    if delimiters:
        kwargs.update(
            block_start_string=delimiters[0], block_end_string=delimiters[1],
            variable_start_string=delimiters[2], variable_end_string=delimiters[3],
            comment_start_string=delimiters[4], comment_end_string=delimiters[5],
        )
    env = jinja2.Environment(**kwargs)
    env.filters.update(INFRA_FILTERS)
    return env


def render(case):
    try:
        env = environment(case.get("options", {}), case.get("files", {}))
        template = env.from_string(case["template"])
        data = yaml.safe_load(case["yaml"]) if "yaml" in case else case.get("data")
        return {"ok": True, "output": template.render(data or {})}
    except RecursionError:
        return {"ok": False, "error": "RecursionError"}
    except Exception as e:  # every failure counts as "errors" for the comparison
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def main():
    sys.setrecursionlimit(3000)
    request = json.load(sys.stdin)
    results = [render(case) for case in request["cases"]]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
