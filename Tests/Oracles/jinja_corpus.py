"""Renders every template of the public template corpus with Python Jinja2 and with `talos-batch render`
(the settings of each from its setup.json, its values files) and reports which outputs are byte-identical.

usage: python jinja_corpus.py CORPUS_TEMPLATES_DIR TALOS_BATCH_BINARY
"""
import glob, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jinja2, yaml
import jinja_oracle

ROOT, CLI = sys.argv[1], sys.argv[2]
total = same = both_err = 0
for d in sorted(os.listdir(ROOT)):
    base = os.path.join(ROOT, d)
    setup = json.load(open(os.path.join(base, "setup.json")))
    if os.path.exists(os.path.join(base, "adapted.j2")):
        template = "adapted.j2"
        values = sorted(glob.glob(os.path.join(base, "adapted-values-*.json")))
    else:
        template = "template.j2"
        values = sorted(glob.glob(os.path.join(base, "values-*.yaml")) + glob.glob(os.path.join(base, "values-*.json")))
    for v in values:
        total += 1
        kw = dict(loader=jinja2.FileSystemLoader(base), trim_blocks=setup["trim_blocks"], lstrip_blocks=setup["lstrip_blocks"],
                  keep_trailing_newline=setup["keep_trailing_newline"], autoescape=False,
                  undefined=jinja2.ChainableUndefined if setup["undefined"] == "chainable" else jinja2.Undefined)
        args = [CLI, "render", "--template", os.path.join(base, template), "--values", v, "--lenient"]
        if setup["trim_blocks"]: args.append("--trim-blocks")
        if setup["lstrip_blocks"]: args.append("--lstrip-blocks")
        if setup.get("delimiters"):
            dl = setup["delimiters"].split()
            kw.update(block_start_string=dl[0], block_end_string=dl[1], variable_start_string=dl[2], variable_end_string=dl[3],
                      comment_start_string=dl[4], comment_end_string=dl[5])
            args += ["--delimiters", setup["delimiters"]]
        env = jinja2.Environment(**kw)
        env.filters.update(jinja_oracle.INFRA_FILTERS)
        try:
            data = json.load(open(v)) if v.endswith(".json") else yaml.safe_load(open(v))
            py = ("ok", env.get_template(template).render(data))
        except Exception as e:
            py = ("err", f"{type(e).__name__}: {e}")
        r = subprocess.run(args, capture_output=True, timeout=60)
        sw = ("ok", r.stdout.decode()) if r.returncode == 0 else ("err", r.stderr.decode()[:300])
        name = f"{d}/{os.path.basename(v)}"
        if py == sw:
            same += 1; print("same      ", name)
        elif py[0] == "err" and sw[0] == "err":
            both_err += 1; print("both-error", name, "|", py[1][:100], "|", sw[1][:100])
        else:
            print("DIFFER    ", name, "| python:", py[0], py[1][:200].replace("\n", "\\n"), "| swift:", sw[0], sw[1][:200].replace("\n", "\\n"))
print(f"{same} byte-identical, {both_err} both-error, of {total}")
sys.exit(0 if same + both_err == total else 1)
