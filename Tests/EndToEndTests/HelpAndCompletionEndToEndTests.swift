import Foundation
import Testing
import TestSupport

/// Issue 16, "Help and completions" and `-j`'s help, against the built binary. The subcommands are found
/// by walking `--help` from the top, so a new subcommand cannot slip past these checks.
@Suite struct HelpAndCompletionEndToEndTests {
    static func help(_ command: [String]) throws -> String {
        let result = try runProcess(TestPaths.binary, command + ["--help"])
        #expect(result.status == 0, "\(command): \(result.stderrString)")
        return result.stdoutString
    }

    /// The names listed under `SUBCOMMANDS:` (ArgumentParser indents a name by two spaces, its wrapped
    /// abstract by more, and closes the list with "  See '…'").
    static func subcommands(in help: String) -> [String] {
        guard let list = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
        return list.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), let first = line.dropFirst(2).first, first.isLowercase else { return nil }
            return line.dropFirst(2).split(separator: " ").first.map(String.init)
        }
    }

    /// Every command that does something (no subcommands of its own), as its words after `talos-batch`.
    static func leafCommands() throws -> [[String]] {
        var leaves: [[String]] = []
        var pending: [[String]] = [[]]
        while let command = pending.popLast() {
            let children = subcommands(in: try help(command))
            if children.isEmpty { leaves.append(command) } else { pending += children.map { command + [$0] } }
        }
        return leaves.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// The words of a help text with its wrapping undone.
    static func unwrapped(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func everySubcommandsHelpShowsTwoOrThreeExamples() throws {
        let leaves = try Self.leafCommands()
        // The walk found the commands (a change of ArgumentParser's help layout would otherwise pass silently).
        for known in [["regen"], ["diff"], ["cache", "gc"], ["gen", "config"], ["genurl", "image"], ["schematic", "id"]] {
            #expect(leaves.contains(known), "\(known) not found in \(leaves)")
        }
        #expect(leaves.count >= 20, "\(leaves)")
        for command in leaves {
            let text = try Self.help(command)
            let examples = try #require(text.components(separatedBy: "\nExamples:\n").dropFirst().first, "\(command) has no examples: \(text)")
            let block = examples.components(separatedBy: "\n\n").first ?? ""
            // One command per line at two spaces; ArgumentParser wraps a long one deeper or at column 0.
            let starts = block.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            #expect((2...3).contains(starts.count), "\(command): \(block)")
            for start in starts {
                let words = start.split(separator: " ").map(String.init)
                // Each example ends by running this command (maybe fed by another through a pipe).
                let invocation = words.lastIndex(of: "talos-batch").map { Array(words[($0 + 1)...]) } ?? []
                #expect(invocation.starts(with: command), "\(command): \(start)")
            }
        }
    }

    /// `-j` names the talos-batch.yaml setting it overrides, and says its default once (ArgumentParser
    /// would add its own "(default: N)" to an option with a default value).
    @Test func jobsHelpNamesTheProjectSettingAndItsDefaultOnce() throws {
        let regen = Self.unwrapped(try Self.help(["regen"]))
        let jobs = try #require(regen.components(separatedBy: "-j, --jobs <jobs> ").dropFirst().first?.components(separatedBy: " --").first)
        #expect(jobs.components(separatedBy: "default").count == 2, "\(jobs)")
        #expect(jobs.contains("`jobs` in talos-batch.yaml"), "\(jobs)")
        #expect(jobs.contains("the number of cores"), "\(jobs)")
    }

    /// The README's completion commands work for its three shells; each script asks the binary for cluster
    /// ids for every command that takes them, and the binary answers with the nearest project's ids.
    @Test func completionsAreDocumentedAndCompleteClusterIDs() throws {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let shells = readme.matches(of: #/talos-batch --generate-completion-script (\w+) > /#).map { String($0.1) }
        #expect(shells == ["bash", "zsh", "fish"], "\(shells)")

        // The commands whose usage names cluster arguments. `render <cluster>` renders one cluster; its
        // argument does not complete yet (RenderCommand.swift, being reworked as the jinja2 CLI).
        let takingClusters = try Self.leafCommands().filter { command in
            try command != ["render"] && Self.help(command).components(separatedBy: "OPTIONS:").first.map { $0.contains("<cluster>") || $0.contains("<clusters>") } == true
        }
        #expect(takingClusters.count >= 8, "\(takingClusters)")

        var calls: [String: [String]] = [:]  // shell → the "---completion … -- positional@N" calls its script makes
        for shell in shells {
            let script = try runProcess(TestPaths.binary, ["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.stderrString)")
            calls[shell] = script.stdoutString.matches(of: #/---completion ([a-z -]+?) -- (positional@\d+)/#).map { "\($0.1) -- \($0.2)" }
        }
        let bash = try #require(calls["bash"])
        for command in takingClusters {
            #expect(bash.contains { $0.hasPrefix(command.joined(separator: " ") + " -- ") }, "\(command) does not complete: \(bash)")
        }
        for shell in ["zsh", "fish"] { #expect(Set(calls[shell] ?? []) == Set(bash), "\(shell): \(calls[shell] ?? [])") }

        let fleet = try RegenFixture()
        defer { fleet.remove() }
        func complete(_ call: String, from folder: URL) throws -> [String] {
            let parts = call.components(separatedBy: " -- ")
            let result = try runProcess(TestPaths.binary, ["---completion"] + parts[0].split(separator: " ").map(String.init)
                                        + ["--", parts[1], "0", "0", ""], currentDirectory: folder)
            #expect(result.status == 0, "\(call): \(result.stderrString)")
            return result.stdoutString.split(separator: "\n").map(String.init)
        }
        for call in bash {
            #expect(try complete(call, from: fleet.folder("101")) == fleet.clusterIDs, "\(call)")
        }
        // The clusters folder is where talos-batch.yaml puts it.
        try FileManager.default.moveItem(at: fleet.root.appendingPathComponent("talos/clusters"), to: fleet.root.appendingPathComponent("fleet"))
        try "ageKeyFiles: [talos/demo/age-key.txt]\nclusters: fleet\n"
            .write(to: fleet.root.appendingPathComponent("talos-batch.yaml"), atomically: true, encoding: .utf8)
        let call = try #require(bash.first)
        #expect(try complete(call, from: fleet.root.appendingPathComponent("fleet")) == ["101", "102", "103"], "\(call)")
        // Outside any project: no ids, no error.
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        #expect(try complete(call, from: elsewhere.url).isEmpty)
    }
}
