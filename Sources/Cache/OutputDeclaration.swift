/// What a stage says about its outputs, against which a cached record is checked before it is restored:
/// which paths it writes, with which mode, and which must be there. A record naming a path or a mode the
/// stage does not declare, or missing an output it always makes, is damaged (or forged): a miss with a
/// warning, never restored.
public struct OutputDeclaration: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        /// An exact relative path, or (with `inFolder`) the folder whose direct files the rule covers.
        public var path: String
        public var inFolder: Bool
        public var mode: UInt32
        /// Whether every record must have an output matching the rule (at least one, for a folder).
        public var required: Bool
        /// File names a folder rule does not cover (a folder shared with inputs and other outputs).
        public var excluded: Set<String> = []

        public static func file(_ path: String, mode: UInt32, required: Bool = true) -> Rule {
            Rule(path: path, inFolder: false, mode: mode, required: required)
        }

        /// Any file directly in `folder` ("" for the cluster folder itself) but those named in `excluding`.
        public static func anyFile(in folder: String, mode: UInt32, required: Bool = true, excluding: Set<String> = []) -> Rule {
            Rule(path: folder, inFolder: true, mode: mode, required: required, excluded: excluding)
        }

        func matches(_ output: String) -> Bool {
            guard inFolder else { return output == path }
            let folder = path.isEmpty ? "" : path + "/"
            guard output.hasPrefix(folder) else { return false }
            let name = output.dropFirst(folder.count)
            return !name.contains("/") && !excluded.contains(String(name))
        }
    }

    /// Exact rules are tried before folder rules.
    public var rules: [Rule]

    public init(_ rules: [Rule]) {
        self.rules = rules.filter { !$0.inFolder } + rules.filter(\.inFolder)
    }

    /// For stages that declare nothing more specific: any plain path, owner-writable modes only (0600 or
    /// 0644), nothing required.
    public static let plainFiles = OutputDeclaration([])

    /// Why `record` does not fit the declaration (also the checks every record gets: plain paths, no
    /// duplicates, no special mode bits); nil when it fits.
    public func problem(in outputs: [OutputEntry]) -> String? {
        var seen = Set<String>()
        var matched = Set<Int>()
        for output in outputs {
            guard OutputPath.isPlainRelative(output.path) else { return "output path \"\(output.path)\" is not a plain relative path" }
            guard seen.insert(output.path).inserted else { return "output \(output.path) is listed twice" }
            guard output.size >= 0 else { return "output \(output.path) has a negative size" }
            if rules.isEmpty {
                guard output.mode == 0o600 || output.mode == 0o644 else {
                    return "output \(output.path) has mode \(Self.octal(output.mode)), not 0600 or 0644"
                }
                continue
            }
            guard let index = rules.firstIndex(where: { $0.matches(output.path) }) else {
                return "output \(output.path) is not one the stage writes"
            }
            guard output.mode == rules[index].mode else {
                return "output \(output.path) has mode \(Self.octal(output.mode)); the stage writes it \(Self.octal(rules[index].mode))"
            }
            matched.insert(index)
        }
        for (index, rule) in rules.enumerated() where rule.required && !matched.contains(index) {
            return rule.inFolder ? "no output in \(rule.path.isEmpty ? "the cluster folder" : rule.path + "/"), which the stage always writes" : "output \(rule.path) is missing"
        }
        return nil
    }

    static func octal(_ mode: UInt32) -> String { "0" + String(mode, radix: 8) }
}
