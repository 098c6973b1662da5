import YAML

/// Writes decrypted SOPS trees as sops' YAML store does: yaml.v3 with indent 4, comments as `#` lines above
/// the key or item they precede (a container's trailing comments after its last entry). Scalars are
/// rendered by the YAML module's yaml.v3-faithful emitter; this type lays out structure and comments.
struct SOPSYAMLWriter {
    let indent = 4
    private let emitter = YAMLEmitter(indent: 4)

    func write(_ documents: [[SOPSBranchItem]]) -> String {
        var out = ""
        for (index, items) in documents.enumerated() {
            if index > 0 { out += "---\n" }
            if !items.contains(where: { if case .pair = $0 { return true } else { return false } }) {
                for case .comment(let comment) in items { out += "#\(comment.text)\n" }
                out += "{}\n"
                continue
            }
            mapping(items, indent: 0, firstLinePrefix: nil, into: &out)
        }
        return out
    }

    /// One value as yaml.v3's Marshal writes it (`sops -d --extract` of a list or a non-string scalar).
    func writeValue(_ value: SOPSValue) -> String {
        switch value {
        case .list(let items) where items.contains(where: { if case .value = $0 { return true } else { return false } }):
            var out = ""
            sequence(items, indent: 0, firstLinePrefix: nil, into: &out)
            return out
        case .branch(let items):
            return write([items])
        case .list:
            return "[]\n"
        default:
            return String(scalarText(value, contentIndent: 0).dropFirst())
        }
    }

    private func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }

    /// yaml.v3's indentation step outside sequence items: the next multiple of the indent.
    private func deeper(_ column: Int) -> Int { indent * ((column + indent) / indent) }

    private func mapping(_ items: [SOPSBranchItem], indent column: Int, firstLinePrefix: String?, into out: inout String) {
        var prefix = firstLinePrefix
        for item in items {
            switch item {
            case .comment(let comment):
                out += spaces(column) + "#" + comment.text + "\n"
            case .pair(let pair):
                let linePrefix = prefix ?? spaces(column)
                prefix = nil
                out += linePrefix + keyText(pair.key) + ":"
                value(pair.value, contentIndent: deeper(column), into: &out)
            }
        }
    }

    /// A mapping value after `key:`.
    private func value(_ value: SOPSValue, contentIndent: Int, into out: inout String) {
        switch value {
        case .branch(let items) where items.contains(where: { if case .pair = $0 { return true } else { return false } }):
            out += "\n"
            mapping(items, indent: contentIndent, firstLinePrefix: nil, into: &out)
        case .list(let items) where items.contains(where: { if case .value = $0 { return true } else { return false } }):
            out += "\n"
            sequence(items, indent: contentIndent, firstLinePrefix: nil, into: &out)
        case .branch(let items):
            out += " {}\n"
            for case .comment(let comment) in items { out += spaces(contentIndent) + "#" + comment.text + "\n" }
        case .list(let items):
            out += " []\n"
            for case .comment(let comment) in items { out += spaces(contentIndent) + "#" + comment.text + "\n" }
        default:
            out += scalarText(value, contentIndent: contentIndent)
        }
    }

    private func sequence(_ items: [SOPSListItem], indent column: Int, firstLinePrefix: String?, into out: inout String) {
        var prefix = firstLinePrefix
        for item in items {
            switch item {
            case .comment(let comment):
                out += spaces(column) + "#" + comment.text + "\n"
            case .value(let value, _):
                let linePrefix = (prefix ?? spaces(column)) + "- "
                prefix = nil
                switch value {
                case .branch(let entries) where entries.contains(where: { if case .pair = $0 { return true } else { return false } }):
                    // Comments leading an item's mapping are written above its dash.
                    let leading = entries.prefix { if case .comment = $0 { return true } else { return false } }
                    for case .comment(let comment) in leading { out += spaces(column) + "#" + comment.text + "\n" }
                    mapping(Array(entries.dropFirst(leading.count)), indent: column + 2, firstLinePrefix: linePrefix, into: &out)
                case .list(let entries) where entries.contains(where: { if case .value = $0 { return true } else { return false } }):
                    let leading = entries.prefix { if case .comment = $0 { return true } else { return false } }
                    for case .comment(let comment) in leading { out += spaces(column) + "#" + comment.text + "\n" }
                    sequence(Array(entries.dropFirst(leading.count)), indent: column + 2, firstLinePrefix: linePrefix, into: &out)
                case .branch:
                    out += linePrefix + "{}\n"
                case .list:
                    out += linePrefix + "[]\n"
                default:
                    out += String(linePrefix.dropLast()) + scalarText(value, contentIndent: column + 2)
                }
            }
        }
    }

    private func scalarNode(_ value: SOPSValue) -> YAMLNode {
        switch value {
        case .string(let s): return .string(s)
        case .bytes(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        // yaml.v3 writes a time.Time plain; the emitter writes a non-string kind's text as it is.
        case .time(let text): return YAMLNode(.scalar(YAMLScalar(text: text, kind: .int)))
        case .int(let n): return .int(n)
        case .bool(let b): return .bool(b)
        case .float(let f): return YAMLNode(.scalar(YAMLScalar(text: GoNumbers.yamlFloat(f), kind: .float)))
        default: return .null
        }
    }

    private func keyText(_ key: String) -> String {
        let text = emitter.emit(.mapping([YAMLPair(key: .string(key), value: .null)]))
        return text.hasSuffix(": null\n") ? String(text.dropLast(": null\n".count)) : key
    }

    /// The scalar as yaml.v3 writes it after `key:` (leading space included, newline-terminated); a literal
    /// block's lines are moved from the emitter's column 4 to `contentIndent`.
    private func scalarText(_ value: SOPSValue, contentIndent: Int) -> String {
        let text = emitter.emit(.mapping([YAMLPair(key: .string("k"), value: scalarNode(value))]))
        let body = text.dropFirst(2)   // "k:"
        guard let firstBreak = body.firstIndex(of: "\n"), body.index(after: firstBreak) < body.endIndex else { return String(body) }
        var out = String(body[...firstBreak])
        let pad = spaces(contentIndent)
        for line in body[body.index(after: firstBreak)...].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            out += (line.isEmpty ? "" : pad + line.dropFirst(indent)) + "\n"
        }
        return out
    }
}
