#!/usr/bin/env python3
"""Validates and renders every cluster of a fleet in one Python process (untimed set-up only).

When talos-batch cannot run, the peers' trees still need their outputs before ninja and go-task are primed;
rendering 10,000 clusters through the jinja2 CLI would take most of an hour, so this does the same work
in-process: the validator's values JSON, then talconfig.rendered.yaml and schematic.yaml.

Usage: render_all.py FLEET_ROOT
"""

import json
import sys
from pathlib import Path

import jinja2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_talenv import problems  # noqa: E402


def main() -> int:
    root = Path(sys.argv[1])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root / "talos")))
    talconfig = env.get_template("templates/talconfig.j2")
    schematic = env.get_template("common/schematic.yaml.j2")
    for cluster in sorted((root / "talos" / "clusters").iterdir()):
        values = yaml.safe_load((cluster / "talenv.yaml").read_text())
        found = problems(values, str(cluster / "talenv.yaml"))
        if found:
            print("\n".join(found), file=sys.stderr)
            return 1
        (cluster / "talenv.values.json").write_text(json.dumps(values, sort_keys=True, separators=(",", ":")))
        (cluster / "talconfig.rendered.yaml").write_text(talconfig.render(values))
        (cluster / "schematic.yaml").write_text(schematic.render(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
