import ArgumentParser
import Cache
import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit

/// `talos-batch diff`: what the latest regen changed in each cluster's node configs, talosconfig and
/// rendered talconfig, as a unified diff against the generation before (kept in the cache), with every
/// secret value redacted.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how the latest regen changed node configs, talosconfig and rendered talconfig (secrets redacted).",
        discussion: """
            The previous generation of each output is the one the cache recorded before the current files \
            (`cache gc` keeps it). Secret outputs are kept in the cache only with a cache key; without one, \
            a changed secret output is listed with no previous copy. Lines holding secret material (by key \
            name, or any value of the decrypted secrets bundle) show `<redacted: changed>` or \
            `<redacted: unchanged>` instead of their value.
            """ + "\n\n" + helpExamples("talos-batch diff --all", "talos-batch diff 102 --stat", "talos-batch diff --all --against old/clusters"))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(help: "One line per changed file with its added and removed line counts.")
    var stat = false

    @Flag(help: "A JSON document (for bots) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Compare with another output tree laid out like talos/clusters instead of the previous generation.",
                               valueName: "path"))
    var against: String?

    @Option(name: .customLong("age-key-file"), help: "An age identity file for the secrets bundle (beside those sops finds).")
    var ageKeyFiles: [String] = []

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let cache = against == nil ? try fleetOptions.cache(for: fleet) : nil
        var files: [[String: Any]] = []
        var text = ""
        var totals = (files: 0, added: 0, removed: 0)
        for id in ids {
            let cluster = fleet.context(id)
            let changes = try against.map { try Self.changes(cluster, against: URL(fileURLWithPath: $0)) }
                ?? Self.changes(cluster, cache: cache!)
            guard !changes.isEmpty else { continue }
            let redactor = SecretLineRedactor(bundleValues: bundleValues(cluster, fleet: fleet))
            for change in changes {
                let rendered = UnifiedDiffPrinter.render(change, redactor: redactor)
                totals.files += 1; totals.added += rendered.added; totals.removed += rendered.removed
                if json {
                    files.append(["cluster": cluster.name, "path": change.path, "added": rendered.added,
                                  "removed": rendered.removed, "previous": change.hasPrevious, "diff": rendered.text])
                } else if stat {
                    text += " \(change.path) | +\(rendered.added) -\(rendered.removed)"
                        + (change.hasPrevious ? "" : " (no previous copy)") + "\n"
                } else {
                    text += rendered.text
                }
            }
        }
        if json {
            let document: [String: Any] = ["files": files, "changedFiles": totals.files,
                                           "addedLines": totals.added, "removedLines": totals.removed]
            print(JSONObjectWriter.text(document, options: [.prettyPrinted, .sortedKeys]) ?? "")
            return
        }
        if stat {
            text += " \(totals.files) file(s) changed, \(totals.added) insertion(s)(+), \(totals.removed) deletion(s)(-)\n"
        }
        StandardStream.standardOutput.write(Data(text.utf8))
    }

    /// Every scalar value of the cluster's decrypted secrets bundle; none (with a warning) if it cannot be
    /// read — redaction then goes by key names only.
    private func bundleValues(_ cluster: ClusterContext, fleet: Fleet) -> [String] {
        guard FileManager.default.fileExists(atPath: cluster.secrets.path) else { return [] }
        do {
            let plaintext = try GenSecretsLoader.plaintext(path: cluster.secrets.path, ageKeyFiles: ageKeyFiles + fleet.settings.ageKeyFiles.map(\.path))
            return String(decoding: plaintext, as: UTF8.self).split(separator: "\n").compactMap { line in
                guard let key = SecretLineRedactor.key(of: line) else { return nil }
                let value = line.dropFirst(key.prefix.count).trimming(.whitespaces)
                    .trimming(TrimmedCharacters(charactersIn: "\"'"))
                return value.isEmpty ? nil : value
            }
        } catch {
            StandardStream.standardError.write(Data(("warning: cannot read \(cluster.displayPath(of: cluster.secrets.lastPathComponent)) "
                                                + "(\(ErrorMessage.text(error))); secret lines are found by key name only\n").utf8))
            return []
        }
    }

    /// Whether a path of a cluster folder is one `diff` reviews: the rendered talconfig, the talosconfig
    /// and the machine configs (visible `.yaml` files directly in the output folder that no other stage owns).
    static func isReviewed(_ path: String, in cluster: ClusterContext) -> Bool {
        if path == RenderStage.talconfigOutput || path == TalosconfigStage.output(cluster) { return true }
        guard let name = cluster.fleet.outputFolder.fileName(of: path) else { return false }
        return name.hasSuffix(".yaml") && !name.hasPrefix(".") && !GenconfigStage.clusterFolderFiles.contains(name)
    }

    static let reviewedStages = ["render", "genconfig", "talosconfig"]

    /// The reviewed files that differ between the current cluster folder and the generation before it.
    static func changes(_ cluster: ClusterContext, cache: CacheDirectory) throws -> [OutputChange] {
        var changes: [OutputChange] = []
        for stage in reviewedStages {
            let records = try cache.actions.records(stage: stage, cluster: cluster.name)
            // The current generation is the newest record the files on disk match; without one (files
            // edited by hand, or a run that failed to commit), the files themselves, after the newest record.
            let current = records.firstIndex { record in
                record.outputs.allSatisfy { (try? Digest.ofFile(atPath: cluster.folderPath + "/" + $0.path)) == $0.digest }
            }
            let previousIndex = current.map { $0 + 1 } ?? 0
            guard previousIndex < records.count else { continue }
            let previous = records[previousIndex]
            let currentPaths = current.map { Set(records[$0].outputs.map(\.path)) } ?? []
            let before = Dictionary(previous.outputs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            for path in Set(before.keys).union(currentPaths).sorted() where isReviewed(path, in: cluster) {
                let new = try readInputFile(cluster.folderPath + "/" + path).map { Array($0) }
                let entry = before[path]
                if let entry, let new, Digest.of(new) == entry.digest { continue }
                let old = entry.flatMap { try? cache.blobs.read($0.digest) }   // unreadable (sealed, no key): no previous copy
                changes.append(OutputChange(path: cluster.name + "/" + path, old: old, new: new,
                                            hasPrevious: entry == nil || old != nil))
            }
        }
        return changes
    }

    /// The reviewed files that differ between the cluster folder and the same cluster in another tree.
    static func changes(_ cluster: ClusterContext, against tree: URL) throws -> [OutputChange] {
        let other = tree.appendingPathComponent(cluster.name).path
        let paths = Set(reviewedFiles(in: cluster.folderPath, cluster)).union(reviewedFiles(in: other, cluster)).sorted()
        return try paths.compactMap { path in
            let old = try readInputFile(other + "/" + path).map { Array($0) }
            let new = try readInputFile(cluster.folderPath + "/" + path).map { Array($0) }
            return old == new ? nil : OutputChange(path: cluster.name + "/" + path, old: old, new: new, hasPrevious: true)
        }
    }

    private static func reviewedFiles(in folder: String, _ cluster: ClusterContext) -> [String] {
        let output = cluster.fleet.outputFolder
        let configs = (try? FileManager.default.contentsOfDirectory(atPath: output.path.isEmpty ? folder : folder + "/" + output.path)) ?? []
        return ([RenderStage.talconfigOutput, TalosconfigStage.output(cluster)] + configs.map { output.file($0) })
            .filter { isReviewed($0, in: cluster) && FileManager.default.fileExists(atPath: folder + "/" + $0) }
    }
}
