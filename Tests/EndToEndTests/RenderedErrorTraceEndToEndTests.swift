import Foundation
import Testing
import TestSupport

/// An error found in a generated file (the rendered talconfig) also names the user's own input behind it:
/// the template line that wrote the line, and the talenv.yaml value printed there.
@Suite struct RenderedErrorTraceEndToEndTests {
    @Test func aMissingPatchNamesTheTemplateLineAndTheTalenvValue() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        // The template writes a node patch whose file name comes from talenv.yaml.
        try fleet.edit("talos/templates/talconfig.j2") {
            $0.replacingOccurrences(of: "{%- if node.schematic is defined %}", with: """
            {%- if node.patch is defined %}
                patches:
                  - "@patches/{{ node.patch }}"
            {%- endif %}
            {%- if node.schematic is defined %}
            """)
        }
        try fleet.edit("talos/clusters/cluster-101/talenv.yaml") {
            $0.replacingOccurrences(of: "    installDisk: /dev/sda\n", with: "    installDisk: /dev/sda\n    patch: missing-patch.yaml\n")
        }
        let template = try String(contentsOf: fleet.root.appendingPathComponent("talos/templates/talconfig.j2"), encoding: .utf8)
        let templateLine = try #require(template.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("@patches/{{ node.patch }}") }) + 1
        let talenv = try String(contentsOf: fleet.folder("101").appendingPathComponent("talenv.yaml"), encoding: .utf8)
        let talenvLine = try #require(talenv.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("patch: missing-patch.yaml") }) + 1

        let run = try fleet.run(["regen", "101", "--progress", "none"])
        #expect(run.status != 0)
        let lines = run.stderrString.split(separator: "\n").map(String.init)
        let error = try #require(lines.firstIndex { $0.contains("talconfig.rendered.yaml:") && $0.contains("error: cannot read @patches/missing-patch.yaml") },
                                 "\(run.stderrString)")
        let renderedLine = try #require(lines[error].firstMatch(of: /talconfig\.rendered\.yaml:(\d+):/)).1
        #expect(lines[error + 1] == "  talos/templates/talconfig.j2:\(templateLine):1: note: talos/clusters/cluster-101/talconfig.rendered.yaml:\(renderedLine) was written by this template line",
                "\(run.stderrString)")
        #expect(lines[error + 2] == "  talos/clusters/cluster-101/talenv.yaml:\(talenvLine):12: note: the value 'missing-patch.yaml' comes from here",
                "\(run.stderrString)")
        // Printed once: only in the failure summary.
        #expect(run.stderrString.components(separatedBy: "was written by this template line").count == 2, "\(run.stderrString)")
        // The rendered line really is the one the template line wrote (a failed cluster's render is not written; print it).
        let rendered = try fleet.run(["render", "101"]).stdoutString.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rendered[Int(renderedLine)! - 1] == "      - \"@patches/missing-patch.yaml\"", "\(rendered)")

        // --json carries the notes after the error, in the genconfig stage.
        let json = try fleet.run(["regen", "101", "--json", "--progress", "none"])
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let stages = ((document["clusters"] as? [[String: Any]])?.first?["stages"] as? [[String: Any]]) ?? []
        let genconfig = try #require(stages.first { $0["stage"] as? String == "genconfig" })
        let diagnostics = (genconfig["diagnostics"] as? [[String: Any]]) ?? []
        #expect(diagnostics.map { $0["severity"] as? String } == ["error", "note", "note"], "\(diagnostics)")
        #expect(diagnostics.dropFirst().first?["file"] as? String == "talos/templates/talconfig.j2")
        #expect(diagnostics.dropFirst().first?["line"] as? Int == templateLine)
        #expect(diagnostics.last?["file"] as? String == "talos/clusters/cluster-101/talenv.yaml")
        #expect(diagnostics.last?["line"] as? Int == talenvLine)
    }

    @Test func aRenderThatIsNotYAMLNamesTheTemplateLine() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try fleet.edit("talos/templates/talconfig.j2") {
            $0.replacingOccurrences(of: "nodes:\n{%- for node in nodes %}", with: "nodes:\n{%- for node in nodes %}\n  - {{ node.hostname }}: [unclosed")
        }
        let template = try String(contentsOf: fleet.root.appendingPathComponent("talos/templates/talconfig.j2"), encoding: .utf8)
        let badLine = try #require(template.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("[unclosed") }) + 1
        let run = try fleet.run(["regen", "101", "--progress", "none"])
        #expect(run.status != 0)
        let lines = run.stderrString.split(separator: "\n").map(String.init)
        let error = try #require(lines.firstIndex { $0.contains("talconfig.rendered.yaml:") && $0.contains("error:") }, "\(run.stderrString)")
        let renderedLine = try #require(lines[error].firstMatch(of: /talconfig\.rendered\.yaml:(\d+):/)).1
        // libyaml reports the line after the unclosed sequence; the note names the template line that wrote it.
        let rendered = try fleet.run(["render", "101"])
        #expect(rendered.status != 0)
        #expect(lines[error + 1].hasPrefix("  talos/templates/talconfig.j2:\(badLine + 1):1: note: talos/clusters/cluster-101/talconfig.rendered.yaml:\(renderedLine), which does not parse as YAML, was written by this template line"),
                "\(run.stderrString)")
    }
}
