import Foundation
import Testing
import TestSupport

/// `talos-batch render TEMPLATE [DATA]` against the real `jinja2` (jinja2-cli 1.0) on the same files and
/// arguments: the same bytes on standard output and both failing (non-zero) on the same bad input.
@Suite struct RenderJinja2CLIInteropTests {
    /// One directory of templates and data files, and both tools run in it.
    struct Bench {
        let directory: TemporaryDirectory

        init() throws { directory = try TemporaryDirectory() }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: directory.url.appendingPathComponent(name))
        }

        /// Runs both tools with `arguments`; expects the same exit (zero or not) and, on success, the same stdout.
        @discardableResult
        func compare(_ arguments: [String], stdin: Data? = nil, expectFailure: Bool = false,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (ours: ProcessResult, theirs: ProcessResult) {
            let ours = try runProcess(TestPaths.binary, ["render"] + arguments, stdin: stdin, currentDirectory: directory.url)
            let theirs = try runProcess(TestPaths.venvTool("jinja2"), arguments, stdin: stdin, currentDirectory: directory.url)
            let label = arguments.joined(separator: " ")
            if expectFailure {
                #expect(ours.status != 0, "talos-batch render \(label) should fail", sourceLocation: sourceLocation)
                #expect(theirs.status != 0, "jinja2 \(label) should fail", sourceLocation: sourceLocation)
                #expect(!ours.stderr.isEmpty, sourceLocation: sourceLocation)
            } else {
                #expect(ours.status == 0, "talos-batch render \(label): \(ours.stderrString)", sourceLocation: sourceLocation)
                #expect(theirs.status == 0, "jinja2 \(label): \(theirs.stderrString)", sourceLocation: sourceLocation)
                #expect(ours.stdoutString == theirs.stdoutString, "render \(label)", sourceLocation: sourceLocation)
            }
            return (ours, theirs)
        }
    }

    static let template = """
    {% for key, value in data.items() -%}
    {{ key }} = {{ value | pprint }} ({{ value.__class__.__name__ if false else (value is string) }})
    {% endfor -%}
    {{ missing }}|{{ extra | default('-') }}

    """

    @Test(arguments: [
        ("yaml", "data.yaml", "data:\n  name: demo\n  count: 3\n  ratio: 1.5\n  on: yes\n  when: 2024-01-15\n  list: [a, 1, null]\n"),
        ("json", "data.json", "{\"data\": {\"name\": \"demo\", \"count\": 3, \"ratio\": 1.0, \"nested\": {\"a\": [1, 2]}, \"none\": null}}"),
        ("env", "data.env", "# comment\n  plain=p\nexport X=1\nQ='single'\nD=\"tab\\there \\u00e9 \\x41\"\nE = spaced\nEMPTY=\nEQ=a=b\n"),
        ("ini", "data.ini", "[DEFAULT]\nshared = from default\n[data]\nName = demo\nmulti = first\n  second\n\n  third\nother: colon ; not a comment\n# a comment\n[second]\nk=v\n"),
        ("toml", "data.toml", "title = \"t\"\n[data]\nname = \"demo\"\ncount = 1_000\nhex = 0xff\nratio = 6.5e-1\nflag = true\nwhen = 1979-05-27T07:32:00Z\nlocal = 1979-05-27T07:32:00.5\nday = 1979-05-27\nlist = [1, \"two\", [3]]\ninline = { a = 1, b.c = \"d\" }\nlit = 'C:\\path'\nml = \"\"\"\nline one\\\n   joined\"\"\"\n[[data.items]]\nx = 1\n[[data.items]]\nx = 2\n"),
    ])
    func eachFormatFromItsExtensionAndFromFormat(format: String, file: String, text: String) throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        let envKeys = "{{ plain }}|{{ Q }}|{{ D }}|{{ E }}|{{ ('E ' in data) if data is defined else '' }}|{{ EMPTY }}|{{ EQ }}\n"
        try bench.write("t.j2", (format == "env" ? envKeys : Self.template) + "{{ title | default('') }}{{ second | default('') }}")
        try bench.write(file, text)
        try bench.compare(["t.j2", file])
        // --format over a file whose extension says nothing.
        try bench.write("data.txt", text)
        try bench.compare(["t.j2", "data.txt", "--format", format])
        try bench.compare(["--format=\(format)", "t.j2", "data.txt"])
        // The same data on standard input, with `-` and with no data argument.
        try bench.compare(["t.j2", "-", "--format", format], stdin: Data(text.utf8))
        try bench.compare(["t.j2", "--format", format], stdin: Data(text.utf8))
    }

    @Test func standardInputDefaultsToYAMLAndNoDataIsEmpty() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("t.j2", "{{ a }}/{{ b }}\n")
        try bench.compare(["t.j2"], stdin: Data("a: 1\nb: [x]\n".utf8))
        try bench.compare(["t.j2", "-"], stdin: Data("{\"a\": \"json is yaml\"}".utf8))
        try bench.compare(["t.j2"], stdin: Data())
        // --stream: the template on standard input, every argument a data file.
        try bench.write("d.yaml", "a: streamed\nb: 2\n")
        try bench.compare(["-S", "d.yaml"], stdin: Data("{{ a }} {{ b }}\n".utf8))
        try bench.compare(["--stream"], stdin: Data("{{ a }}|\n".utf8))
    }

    @Test func definesOverrideAndNestAndStrictFails() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("t.j2", "{{ a }} {{ b.c }} {{ b.keep }} {{ flag }} {{ x.y.z }}\n")
        try bench.write("d.yaml", "a: 1\nb: {c: 2, keep: kept}\n")
        try bench.compare(["t.j2", "d.yaml", "-D", "a=override", "-Db.c=3", "-D", "flag", "-D", "x.y.z=deep=er"])
        // Undefined prints empty by default (jinja2-cli), fails under --strict in both.
        try bench.write("u.j2", "start {{ nothing }} end\n")
        try bench.compare(["u.j2", "d.yaml"])
        let failed = try bench.compare(["u.j2", "d.yaml", "--strict"], expectFailure: true)
        #expect(failed.ours.stderrString.contains("u.j2:1:10: error: 'nothing' is undefined"))
        #expect(failed.ours.stdout.isEmpty)
        // --section picks one top-level mapping before -D applies.
        try bench.write("s.j2", "{{ name }} {{ extra }}\n")
        try bench.write("s.ini", "[one]\nname = first\n[two]\nname = second\n")
        try bench.compare(["s.j2", "s.ini", "--section", "two", "-D", "extra=e"])
    }

    @Test func trailingNewlinesAreKeptAsJinja2CLIKeepsThem() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("d.yaml", "a: 1\n")
        for (name, text) in [("none.j2", "{{ a }}"), ("one.j2", "{{ a }}\n"), ("two.j2", "{{ a }}\n\n"), ("crlf.j2", "x\r\n{{ a }}\r\n")] {
            try bench.write(name, text)
            let result = try bench.compare([name, "d.yaml"])
            #expect(result.ours.stdout == result.theirs.stdout)
        }
    }

    @Test func outfileIsWrittenAndBadDataFailsInBoth() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("t.j2", "{{ a }}\n")
        try bench.write("d.yaml", "a: written\n")
        let ours = try runProcess(TestPaths.binary, ["render", "t.j2", "d.yaml", "-o", "ours.txt"], currentDirectory: bench.directory.url)
        let theirs = try runProcess(TestPaths.venvTool("jinja2"), ["t.j2", "d.yaml", "-o", "theirs.txt"], currentDirectory: bench.directory.url)
        #expect(ours.status == 0 && theirs.status == 0, "\(ours.stderrString)\(theirs.stderrString)")
        let oursText = FileManager.default.contents(atPath: bench.directory.url.appendingPathComponent("ours.txt").path)
        #expect(oursText == FileManager.default.contents(atPath: bench.directory.url.appendingPathComponent("theirs.txt").path))
        #expect(oursText == Data("written\n".utf8))

        try bench.write("bad.env", "OK=1\nno equals sign\n")
        let env = try bench.compare(["t.j2", "bad.env"], expectFailure: true)
        #expect(env.ours.stderrString.contains("bad.env:2:1: error:"))
        try bench.write("bad.ini", "key = before any section\n")
        try bench.compare(["t.j2", "bad.ini"], expectFailure: true)
        try bench.write("dup.ini", "[s]\na = 1\nA = 2\n")
        try bench.compare(["t.j2", "dup.ini"], expectFailure: true)
        try bench.write("bad.toml", "a = 1\na = 2\n")
        try bench.compare(["t.j2", "bad.toml"], expectFailure: true)
        try bench.write("bad.json", "{\"a\": }")
        try bench.compare(["t.j2", "bad.json"], expectFailure: true)
        try bench.write("data.unknown", "a: 1\n")
        let unknown = try bench.compare(["t.j2", "data.unknown"], expectFailure: true)
        #expect(unknown.ours.stderrString.contains("cannot tell the format of data.unknown"))
        try bench.compare(["t.j2", "-", "d.yaml"], expectFailure: true)
    }

    /// jinja2-cli loads jinja2.ext.do and jinja2.ext.loopcontrols by default; so does render.
    @Test func doAndLoopControlsAsJinja2CLILoadsThem() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("d.yaml", "items: [1, 2, 3, 4]\n")
        try bench.write("t.j2", """
        {% set seen = [] %}{% for i in items %}{% if i == 2 %}{% continue %}{% endif %}{% do seen.append(i * 10) %}\
        {% if i == 3 %}{% break %}{% endif %}{{ loop.index }},{% endfor %}{{ seen }}
        {% for i in items %}{% set x %}{% break %}{% endset %}{{ i }}{% endfor %}|{% for i in items %}{{ i }}{% else %}none{% endfor %}
        {% for row in [[1, 2], [3, 4]] %}{% for v in row %}{% if v is even %}{% break %}{% endif %}{{ v }}{% endfor %};{% endfor %}

        """)
        try bench.compare(["t.j2", "d.yaml"])
        try bench.write("outside.j2", "{% break %}\n")
        let outside = try bench.compare(["outside.j2", "d.yaml"], expectFailure: true)
        #expect(outside.ours.stderrString.contains("'break' outside loop"))
        try bench.write("macro.j2", "{% for i in items %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}\n")
        try bench.compare(["macro.j2", "d.yaml"], expectFailure: true)
    }

    /// jinja2-cli's globals: environ(name) (None when unset, an error under --strict) and get_context().
    @Test func environAndGetContextGlobals() throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("d.yaml", "b: 1\na: [x]\nnested: {k: v}\n")
        try bench.write("t.j2", "{{ environ('HOME') }}|{{ environ('TALOS_BATCH_SURELY_UNSET') }}|{{ get_context() }}|{{ get_context().a }}\n")
        try bench.compare(["t.j2", "d.yaml", "-D", "z=1", "-D", "nested.extra=e"])
        let strict = try bench.compare(["t.j2", "d.yaml", "--strict"], expectFailure: true)
        #expect(strict.ours.stderrString.contains("environment variable 'TALOS_BATCH_SURELY_UNSET' is not defined"))
        // Data of the same name wins over the global, as a render context shadows Jinja2 globals.
        try bench.write("shadow.yaml", "environ: from data\n")
        try bench.write("s.j2", "{{ environ }}\n")
        try bench.compare(["s.j2", "shadow.yaml"])
    }

    /// TOML's table rules and string forms as tomllib applies them: what may be declared or extended again.
    @Test(arguments: [
        ("[a.b.c]\n[a]\nb.d = 1\n", true), ("[a.b]\nd=1\n[a]\nb.c=1\n", false), ("a.b=1\na.c=2\n", true),
        ("[x]\na.b=1\n[x.a.c]\nd=1\n", true), ("[x]\na.b=1\n[x.a]\nd=1\n", false), ("[a]\nb.c = 1\n[a.b]\nd = 2\n", false),
        ("[[f]]\nn = 1\n[f.p]\nc = 'r'\n[[f.v]]\nn = 'x'\n[[f]]\nn = 2\n", true), ("t = {a = 1}\n[t.b]\n", false),
        ("s = 'lit\\n'\nm = '''\nx'' '''\nb = \"\"\"q\"\\\"\"\"\"\n", true), ("x = 1 # c\ny = \"#no\"\n", true),
        ("a = [\n 1,\n 2, # c\n]\n", true), ("d = 1979-05-27 07:32:00-08:00\nu = 1979-05-27T00:32:00.999999999\n", true),
        ("bad = 0x\n", false), ("lead = 01\n", false), ("dup = 1\ndup = 2\n", false),
    ])
    func tomlMatchesTomllib(document: String, valid: Bool) throws {
        let bench = try Bench()
        defer { bench.directory.remove() }
        try bench.write("t.j2", "{{ get_context() }}\n")
        try bench.write("d.toml", document)
        try bench.compare(["t.j2", "d.toml"], expectFailure: !valid)
    }
}
