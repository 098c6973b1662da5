import Foundation
import Testing
import TestSupport

/// The render stage against the real Jinja2: `jinja2` (jinja2-cli) renders the same template with the same
/// talenv.yaml (plus the schematic ID talos-batch computed) to the very same bytes.
@Suite struct RegenInteropTests {
    @Test func renderedFilesMatchTheJinja2CLI() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let run = try fleet.regen()
        #expect(run.status == 0, "\(run.stderr)")
        let jinja2 = TestPaths.venvTool("jinja2")
        #expect(FileManager.default.isExecutableFile(atPath: jinja2.path), "jinja2-cli missing from the test venv")
        for id in fleet.clusterIDs {
            let folder = fleet.folder(id)
            let talenv = folder.appendingPathComponent("talenv.yaml").path

            let schematic = try runProcess(jinja2, [fleet.root.appendingPathComponent("talos/common/schematic.yaml.j2").path, talenv])
            #expect(schematic.status == 0, "\(schematic.stderrString)")
            #expect(try Data(contentsOf: folder.appendingPathComponent("schematic.yaml")) == schematic.stdout,
                    "cluster-\(id)/schematic.yaml differs from jinja2")

            let idResult = try fleet.run(["schematic", "id", folder.appendingPathComponent("schematic.yaml").path])
            #expect(idResult.status == 0)
            let schematicID = idResult.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(schematicID.count == 64)

            let expected = try runProcess(jinja2, [fleet.root.appendingPathComponent("talos/templates/talconfig.j2").path, talenv,
                                                   "-D", "schematicID=\(schematicID)"])
            #expect(expected.status == 0, "\(expected.stderrString)")
            let rendered = try Data(contentsOf: folder.appendingPathComponent("talconfig.rendered.yaml"))
            #expect(rendered == expected.stdout, "cluster-\(id)/talconfig.rendered.yaml differs from jinja2:\n\(String(decoding: rendered, as: UTF8.self))")
        }
    }

    /// talos/talenv.schema.json (checked with Python's jsonschema) accepts every example talenv.yaml and
    /// rejects what `validate` rejects for the same reasons.
    @Test func theJSONSchemaAgreesWithValidate() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let script = """
            import glob, json, sys, yaml, jsonschema
            schema = json.load(open("talos/talenv.schema.json"))
            jsonschema.Draft202012Validator.check_schema(schema)
            checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            for path in sorted(glob.glob("talos/clusters/*/talenv.yaml")) + sys.argv[1:]:
                errors = list(checker.iter_errors(yaml.safe_load(open(path))))
                print(path, "invalid" if errors else "valid")
            """
        let bad = fleet.root.appendingPathComponent("bad.yaml")
        try "clusterName: x\nendpoint: http://x:6443\ntalosVersion: v1.11.5\nkubernetesVersion: v1.34.1\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.300\n    controlPlane: true\n    installDisk: /dev/sda\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.venvTool("python"), ["-c", script, bad.path], currentDirectory: fleet.root)
        #expect(result.status == 0, "\(result.stderrString)")
        let lines = result.stdoutString.split(separator: "\n")
        #expect(lines.count == fleet.clusterIDs.count + 1)
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix(" valid") }, "\(lines)")
        #expect(lines.last?.hasSuffix(" invalid") == true)
        #expect(try fleet.run(["validate", "--file", bad.path]).status != 0)
    }
}
