import Testing
@testable import Talos

/// Strings YAML 1.1 would read as booleans, through talhelper's output path: Talos decodes configs with
/// Go's yaml.v3 (which takes a plain `yes`/`on`/`off`/`no`… into a bool field, and keeps them as strings
/// elsewhere) and its encoder writes them back with yaml.v3's quoting (such strings double-quoted, `y`/`n` too).
@Suite struct YAML11BooleanTests {
    static let text = TalhelperFixtures.talconfig(extraNode: """
          - hostname: cp2
            ipAddress: 10.0.0.12
            controlPlane: true
            installDisk: /dev/sda
            nodeLabels:
              a: off
              b: "on"
              c: yes
            patches:
              - |-
                machine:
                  install:
                    wipe: no
                  kubelet:
                    extraConfig:
                      y: on
                      n: Off
                  sysctls:
                    s: off
        """, interfaces: false, nodePatch: false)

    @Test func quotedAsYAMLv3WritesThemAndBoolFieldsTakeThem() throws {
        let (config, _) = try TalhelperFixtures.load(Self.text)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let out = String(decoding: try #require(files.first { $0.name.hasSuffix("cp2.yaml") }).contents, as: UTF8.self)
        #expect(out.contains("  nodeLabels:\n    a: \"off\"\n    b: \"on\"\n    c: \"yes\"\n"))
        #expect(out.contains("    extraConfig:\n      \"n\": \"Off\"\n      \"y\": \"on\"\n"))
        #expect(out.contains("    s: \"off\"\n"))
        #expect(out.contains("    wipe: false\n"))
    }

    @Test(arguments: ["yes", "On", "Y"])
    func plainYAML11TrueIsABoolForBoolFields(text: String) throws {
        let patch = try ConfigPatch.parse("machine:\n  install:\n    wipe: \(text)\n", file: "p.yaml")
        var base = try ConfigGenerator(clusterName: "c", endpoint: "https://c:6443", kubernetesVersion: "1.31.0",
                                       secrets: TestSecrets.generated(), contract: .init(major: 1, minor: 11)).generate(.worker)
        try base.apply(patch)
        #expect(base.encoded().contains("        wipe: true\n"))
    }

    /// yaml.v3 checks the resolved string, not the quoting: `"yes"` is taken, `"true"` (a string) is not.
    @Test func quotedWordsAsYAMLv3TakesThem() throws {
        var base = try ConfigGenerator(clusterName: "c", endpoint: "https://c:6443", kubernetesVersion: "1.31.0",
                                       secrets: TestSecrets.generated(), contract: .init(major: 1, minor: 11)).generate(.worker)
        try base.apply(try ConfigPatch.parse("machine:\n  install:\n    wipe: \"yes\"\n", file: "p.yaml"))
        #expect(base.encoded().contains("        wipe: true\n"))
        let quotedTrue = try ConfigPatch.parse("machine:\n  install:\n    wipe: \"true\"\n", file: "p.yaml")
        #expect(throws: (any Error).self) { try base.apply(quotedTrue) }
    }
}
