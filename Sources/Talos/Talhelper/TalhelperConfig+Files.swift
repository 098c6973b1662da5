import Foundation

extension TalhelperConfig {
    /// Every file the generated configs read besides the talconfig and secrets: `@file` patches
    /// (top-level and per node), `@file` machine file contents, inline manifest contents and extra manifests —
    /// resolved against `baseDirectory`, deduplicated, in first-use order. A cache keys on their contents.
    public var referencedFiles: [URL] {
        var paths: [String] = []
        func add(_ text: String?) {
            guard let text, text.hasPrefix("@") else { return }
            let path = String(text.dropFirst())
            if !paths.contains(path) { paths.append(path) }
        }
        for patch in patches { add(patch.text) }
        for item in inlineManifests?.sequenceItems ?? [] { add(item.string("contents")) }
        for node in nodes {
            for patch in node.settings.patches ?? [] { add(patch.text) }
            for item in node.settings.machineFiles?.sequenceItems ?? [] { add(item.string("content")) }
            for manifest in node.settings.extraManifests ?? [] { add(manifest.hasPrefix("@") ? manifest : "@" + manifest) }
        }
        return paths.map { path in
            path.hasPrefix("/") ? URL(fileURLWithPath: path)
                : baseDirectory.map { $0.appendingPathComponent(path) } ?? URL(fileURLWithPath: path)
        }
    }
}
