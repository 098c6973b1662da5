import Foundation
import Testing
import TestSupport

/// The ready-to-copy CI files in examples/ci: each passes its platform's checker (actionlint; GitLab's CI
/// schema as bundled by check-jsonschema), and runs what docs/ci.md says it runs.
@Suite struct CIExamplesTests {
    static let examples = TestPaths.packageRoot.appendingPathComponent("examples/ci")

    static func check(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
        let executable = TestPaths.venvTool(tool)
        try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                     "\(executable.path) is missing: install Tests/requirements.txt into the test venv (scripts/test does)")
        return try runProcess(executable, arguments, currentDirectory: TestPaths.packageRoot)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func githubWorkflowPassesActionlint() throws {
        let file = Self.examples.appendingPathComponent("github-actions.yml").path
        let result = try Self.check("actionlint", ["-no-color", file])
        #expect(result.status == 0, "\(result.stdoutString)\(result.stderrString)")
        #expect(result.stdout.isEmpty, "\(result.stdoutString)")
    }

    @Test func actionlintRejectsABrokenWorkflow() throws {
        // The check can fail: an unknown input of actions/cache is reported.
        let temp = try TemporaryDirectory(prefix: "talos-batch-ci")
        defer { temp.remove() }
        let broken = temp.url.appendingPathComponent("broken.yml")
        try Self.text("github-actions.yml").replacingOccurrences(of: "restore-keys:", with: "restore-kays:")
            .write(to: broken, atomically: true, encoding: .utf8)
        let result = try Self.check("actionlint", ["-no-color", broken.path])
        #expect(result.status != 0)
        #expect(result.stdoutString.contains("restore-kays"))
    }

    @Test func githubWorkflowShardsAndKeysAsDocumented() throws {
        let workflow = try Self.text("github-actions.yml")
        for expected in [
            "SHARD: ${{ matrix.shard }}/${{ strategy.job-total }}",
            "talos-batch regen --all --shard \"$SHARD\"",
            "--summary-markdown \"$GITHUB_STEP_SUMMARY\"",
            "uses: actions/cache/restore@v4",
            "uses: actions/cache/save@v4",
            "key: talos-batch-${{ steps.tool.outputs.version }}-shard-${{ matrix.shard }}-of-${{ strategy.job-total }}-${{ hashFiles('talos/**', 'talos-batch.yaml') }}",
            "restore-keys: |",
            "key: ${{ steps.cache.outputs.cache-primary-key }}",
            "talos-batch gencommand apply --all --shard \"$SHARD\" --changed",
        ] {
            #expect(workflow.contains(expected), "missing: \(expected)")
        }
    }

    @Test func gitlabPipelineIsValidAgainstGitLabsSchema() throws {
        let file = Self.examples.appendingPathComponent("gitlab-ci.yml").path
        let result = try Self.check("check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", file])
        #expect(result.status == 0, "\(result.stdoutString)\(result.stderrString)")

        let temp = try TemporaryDirectory(prefix: "talos-batch-ci")
        defer { temp.remove() }
        let broken = temp.url.appendingPathComponent("broken.yml")
        try Self.text("gitlab-ci.yml").replacingOccurrences(of: "parallel: 4", with: "parallel: many")
            .write(to: broken, atomically: true, encoding: .utf8)
        #expect(try Self.check("check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", broken.path]).status != 0)
    }

    @Test func gitlabPipelineShardsAndKeysAsDocumented() throws {
        let pipeline = try Self.text("gitlab-ci.yml")
        for expected in [
            "parallel: 4",
            "regen --all --shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"",
            "key: \"talos-batch-$TALOS_BATCH_VERSION-shard-$CI_NODE_INDEX-of-$CI_NODE_TOTAL\"",
            "fallback_keys:",
            "--summary-markdown \"summary-$CI_NODE_INDEX.md\"",
        ] {
            #expect(pipeline.contains(expected), "missing: \(expected)")
        }
        // The version in the keys is the one the sources build.
        let version = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Sources/talos-batch/TalosBatchVersion.swift"),
                                 encoding: .utf8)
        let pinned = try #require(pipeline.firstMatch(of: /TALOS_BATCH_VERSION: "([^"]+)"/)?.1)
        #expect(version.contains("\"\(pinned)\""))
    }
}
