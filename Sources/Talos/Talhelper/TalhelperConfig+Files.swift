import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import SystemKit

/// One `@file` the generated configs read: as written (after the `@`, trimmed as talhelper trims it),
/// resolved against the talconfig's folder, and where the talconfig names it.
public struct FileReference: Sendable, Hashable {
    public var reference: String
    public var url: URL
    public var location: SourceLocation?
}

extension TalhelperConfig {
    /// Every file the generated configs read besides the talconfig and secrets: `@file` patches
    /// (top-level and per node), `@file` machine file contents, inline manifest contents and extra manifests —
    /// resolved against `baseDirectory`, deduplicated, in first-use order. A cache keys on their contents.
    public var fileReferences: [FileReference] {
        var references: [FileReference] = []
        func add(_ text: String?, at location: SourceLocation?) {
            guard let text, let reference = Self.fileReference(text) else { return }
            if references.contains(where: { $0.reference == reference }) { return }
            references.append(FileReference(reference: reference, url: resolve(reference), location: location))
        }
        for patch in patches { add(patch.text, at: patch.location) }
        for item in inlineManifests?.sequenceItems ?? [] { add(item.string("contents"), at: item["contents"]?.location) }
        for node in nodes {
            for patch in node.settings.patches ?? [] { add(patch.text, at: patch.location) }
            for item in node.settings.machineFiles?.sequenceItems ?? [] { add(item.string("content"), at: item["content"]?.location) }
            for manifest in node.settings.extraManifests ?? [] {
                add(manifest.hasPrefix("@") ? manifest : "@" + manifest, at: node.location)
            }
        }
        return references
    }

    public var referencedFiles: [URL] { fileReferences.map(\.url) }

    /// The path of an `@file` value (talhelper trims it), or nil when the value is not a file reference.
    static func fileReference(_ text: String) -> String? {
        guard text.hasPrefix("@") else { return nil }
        let path = text.dropFirst().trimming(.whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// Where a referenced path points: absolute as given, else relative to the talconfig's folder
    /// (talhelper resolves against the config file's folder, not the working directory).
    func resolve(_ reference: String) -> URL {
        if reference.hasPrefix("/") { return URL(fileURLWithPath: reference).standardizedFileURL }
        guard let baseDirectory else { return URL(fileURLWithPath: reference).standardizedFileURL }
        return baseDirectory.appendingPathComponent(reference).standardizedFileURL
    }

    /// How messages name a referenced file: its resolved path, relative to the working directory when
    /// inside it (the reference as written means little when the talconfig lives elsewhere).
    func displayName(ofReference reference: String) -> String {
        guard let trimmed = Self.fileReference("@" + reference) else { return reference }
        let path = resolve(trimmed).path
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The bytes of a referenced file: from `files` when the caller supplied them (then nothing else is
    /// read), else from disk.
    func contents(ofReference reference: String, location: SourceLocation?) throws -> String {
        let url = resolve(reference)
        if let files {
            guard let bytes = files[url.path] else {
                throw Diagnostic.error("cannot read \(reference): not among the files this config was given", at: location)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        // The checked reader (issue 19): a FIFO or /dev/zero is an error at the reference, not a hang.
        let data: [UInt8]
        do {
            data = try RegularFile.read(url.path)
        } catch let error as RegularFileError {
            throw Diagnostic.error("cannot read \(reference): \(error.reason)", at: location)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
