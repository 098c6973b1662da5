import Foundation
import Testing
import TestSupport

/// `talos-batch render` against the jinja2 CLI (jinja2-cli) it replaces, on the same files.
@Suite struct RenderCommandEndToEndTests {
    static let template = """
    #| talconfig for #{ cluster.name }# |#
    clusterName: #{ cluster.name }#
    endpoint: https://#{ cluster.vip }#:6443
    nodes:
    #% for node in nodes %#
      - hostname: "#{ node.name }#"
        ipAddress: #{ '%s' % node.ip }#
        controlPlane: #{ (node.role == 'controller') | lower }#
        #% if node.disks | default([], true) | length > 0 %#
        installDisk: #{ node.disks | first }#
        #% endif %#
        nameservers: #{ node.dns.split() | list }#
    #% endfor %#
    # #{ nodes | selectattr('role', 'equalto', 'controller') | list | length }# controllers

    """

    static let values = """
    cluster:
      name: demo
      vip: 10.0.0.10
    nodes:
      - {name: cp-1, ip: 10.0.0.11, role: controller, disks: [/dev/sda], dns: "1.1.1.1 8.8.8.8"}
      - {name: w-1, ip: 10.0.0.21, role: worker, disks: [], dns: "9.9.9.9"}
    """

    func write(_ text: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
        let url = dir.url.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func matchesJinja2CLIWithCustomDelimitersAndWhitespaceControl() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let template = try write(Self.template, "talconfig.j2", in: dir)
        let values = try write(Self.values, "talenv.yaml", in: dir)
        let ours = try runProcess(TestPaths.binary, ["render", "--template", template, "--values", values, "--trim-blocks", "--lstrip-blocks",
                                                      "--delimiters", "#% %# #{ }# #| |#"])
        let theirs = try runProcess(TestPaths.venvTool("jinja2"), [template, values, "--format=yaml", "--strict", "--trim-blocks", "--lstrip-blocks",
                                                                   "--block-start=#%", "--block-end=%#", "--variable-start=#{", "--variable-end=}#",
                                                                   "--comment-start=#|", "--comment-end=|#"])
        #expect(ours.status == 0, "\(ours.stderrString)")
        #expect(theirs.status == 0, "\(theirs.stderrString)")
        #expect(ours.stdoutString == theirs.stdoutString)
        #expect(ours.stdoutString.contains("- hostname: \"cp-1\""))
    }

    @Test func writesOutputAtomicallyAndReportsErrorsWithPositions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let values = try write("{\"name\": \"x\", \"n\": 1.0}", "values.json", in: dir)
        let good = try write("{{ name }} {{ n }}\n", "good.j2", in: dir)
        let out = dir.url.appendingPathComponent("out.txt").path
        let ok = try runProcess(TestPaths.binary, ["render", "--template", good, "--values", values, "-o", out])
        #expect(ok.status == 0, "\(ok.stderrString)")
        #expect(FileManager.default.contents(atPath: out) == Data("x 1.0\n".utf8))

        let undefined = try write("line\n  {{ missing }}\n", "undefined.j2", in: dir)
        let strict = try runProcess(TestPaths.binary, ["render", "--template", undefined, "--values", values, "-o", out])
        #expect(strict.status != 0)
        #expect(strict.stderrString.contains("undefined.j2:2:"))
        #expect(strict.stderrString.contains("'missing' is undefined"))
        #expect(FileManager.default.contents(atPath: out) == Data("x 1.0\n".utf8), "a failed render leaves the old output")
        let lenient = try runProcess(TestPaths.binary, ["render", "--template", undefined, "--values", values, "--lenient"])
        #expect(lenient.status == 0)
        #expect(lenient.stdoutString == "line\n  \n")

        let broken = try write("{% if x %}\n{{ 1 + }}\n{% endif %}", "broken.j2", in: dir)
        let syntax = try runProcess(TestPaths.binary, ["render", "--template", broken, "--values", values])
        #expect(syntax.status != 0)
        #expect(syntax.stderrString.contains("broken.j2:2:8: error:"))
        #expect(syntax.stderrString.contains("^"))
    }

    @Test func yamlValuesAreTypedAsPyYAMLLoadsThem() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let values = try write("""
        a: yes
        b: "yes"
        c: on
        d: 0777
        e: 1e3
        f: 1.5e+3
        g: 1_000
        h: 0x1F
        i: .5
        j: 1:30
        k: ~
        l:
        m: 08
        n: 2020-01-01
        o: -.inf
        p: !!str 12
        q: 'quoted'
        r: [1, 2.0, "3", true, null]
        s: {nested: {deep: off}}
        t: |
          block
        """, "values.yaml", in: dir)
        let template = try write("{% for k, v in values | dictsort %}{{ k }}={{ v }}({{ v is string }},{{ v is number }}) {% endfor %}\n",
                                 "types.j2", in: dir)
        // jinja2-cli passes the whole document as the context; read it back as `values` here too.
        let wrapper = try write("{% set values = {'a': a, 'b': b, 'c': c, 'd': d, 'e': e, 'f': f, 'g': g, 'h': h, 'i': i, 'j': j, 'k': k, 'l': l, 'm': m, 'n': n|string, 'o': o, 'p': p, 'q': q, 'r': r, 's': s, 't': t} %}{% include 'types.j2' %}",
                                "wrapper.j2", in: dir)
        _ = template
        let ours = try runProcess(TestPaths.binary, ["render", "--template", wrapper, "--values", values])
        let theirs = try runProcess(TestPaths.venvTool("jinja2"), [wrapper, values, "--format=yaml", "--strict"])
        #expect(ours.status == 0, "\(ours.stderrString)")
        #expect(theirs.status == 0, "\(theirs.stderrString)")
        #expect(ours.stdoutString == theirs.stdoutString)
    }

    /// The project's own templates, for every cluster of the demo fleet, byte for byte as jinja2-cli renders them.
    @Test func projectTemplatesRenderLikeJinja2CLI() throws {
        let root = TestPaths.packageRoot.appendingPathComponent("talos")
        let clusters = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("clusters").path).sorted()
        let templates = ["templates/talconfig.j2", "common/schematic.yaml.j2"].map { root.appendingPathComponent($0).path }
            .filter { FileManager.default.fileExists(atPath: $0) }
        #expect(!clusters.isEmpty && !templates.isEmpty)
        for cluster in clusters {
            let values = root.appendingPathComponent("clusters/\(cluster)/talenv.yaml").path
            guard FileManager.default.fileExists(atPath: values) else { continue }
            for template in templates {
                for flags in [[], ["--trim-blocks", "--lstrip-blocks"]] {
                    let ours = try runProcess(TestPaths.binary, ["render", "--template", template, "--values", values] + flags)
                    let theirs = try runProcess(TestPaths.venvTool("jinja2"), ["--strict"] + flags + [template, values])
                    #expect(ours.status == theirs.status, "\(cluster) \(template) \(flags): \(ours.stderrString) / \(theirs.stderrString)")
                    #expect(ours.stdoutString == theirs.stdoutString, "\(cluster) \(template) \(flags)")
                }
            }
        }
    }

    /// Each refusal is about what was typed: a format for a cluster, two templates, a missing template file.
    @Test func errorsNameWhatTheUserDid() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let template = try write("{{ a }}\n", "t.j2", in: dir)
        let cases: [([String], String)] = [
            (["render", "101", "--format", "env"], "--format applies to a template file, not to a cluster"),
            (["render", "101", "-D", "a=1", "--strict"], "-D, --strict apply to a template file"),
            (["render", "--template", template, template], "already names the template"),
            (["render", "missing.j2", "data.yaml"], "no such template file: missing.j2"),
            (["render", template, "--schematic"], "--schematic goes with a cluster id"),
            (["render", template, "--format", "xml"], "--format xml is a jinja2-cli format talos-batch does not read"),
            (["render"], "give a template file (render TEMPLATE [DATA...]"),
        ]
        for (arguments, message) in cases {
            let result = try runProcess(TestPaths.binary, arguments, stdin: Data(), currentDirectory: dir.url)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderrString.contains(message), "\(arguments): \(result.stderrString)")
            #expect(!result.stderrString.contains("not both"), "\(arguments)")
        }
        // The positional form is jinja2-cli's (lenient); the long form stays strict.
        let positional = try runProcess(TestPaths.binary, ["render", template], stdin: Data(), currentDirectory: dir.url)
        #expect(positional.status == 0 && positional.stdoutString == "\n")
        let long = try runProcess(TestPaths.binary, ["render", "--template", template], currentDirectory: dir.url)
        #expect(long.status != 0 && long.stderrString.contains("'a' is undefined"))
    }
}
