import Diagnostics

/// sops' INI store, which reads and writes through go-ini: each section (the unnamed `DEFAULT` first) is a
/// branch of string values; a key's comment lines (and inline comment) follow it in the tree, a section's
/// come first. Metadata is the `[sops]` section with flattened keys.
enum SOPSINI {
    static func read(_ bytes: [UInt8], file: String) throws -> [SOPSBranchItem] {
        var sections: [(name: String, items: [SOPSBranchItem])] = [("DEFAULT", [])]
        var pendingComment: [String] = []
        func commentItem(_ lines: [String]) -> SOPSBranchItem {
            SOPSBranchItem.comment(SOPSComment(text: stripCommentCharacter(lines.joined(separator: "\n")), inline: false, location: nil))
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = Substring(lines[index].trimmingASCIIWhitespace())
            index += 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") || line.hasPrefix(";") {
                pendingComment.append(String(line))
                continue
            }
            if line.hasPrefix("[") {
                guard let close = line.lastIndex(of: "]") else {
                    throw Diagnostic.error("invalid INI section header", at: SourceLocation(file: file, line: lineNumber, column: 1))
                }
                let name = String(line[line.index(after: line.startIndex)..<close]).trimmingASCIIWhitespace()
                sections.append((name, pendingComment.isEmpty ? [] : [commentItem(pendingComment)]))
                pendingComment = []
                continue
            }
            guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw Diagnostic.error("invalid INI line (expected key = value)", at: SourceLocation(file: file, line: lineNumber, column: 1))
            }
            let key = line[..<delimiter].trimmingASCIIWhitespace()
            line = Substring(line[line.index(after: delimiter)...].trimmingASCIIWhitespace())
            var value: String
            if line.hasPrefix("\"\"\"") {
                // A multi-line value runs to the closing triple quote.
                var text = String(line.dropFirst(3))
                while !text.contains("\"\"\"") && index < lines.count {
                    text += "\n" + lines[index]
                    index += 1
                }
                value = text.components(separatedBy: "\"\"\"").first ?? text
            } else if line.hasPrefix("`") {
                let rest = line.dropFirst()
                value = String(rest.prefix { $0 != "`" })
            } else {
                if let hash = line.firstIndex(where: { $0 == "#" || $0 == ";" }) {
                    pendingComment.append(String(line[hash...]))
                    line = Substring(line[..<hash].trimmingASCIIWhitespace())
                }
                value = String(line)
                if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                    value = String(value.dropFirst().dropLast())
                }
            }
            sections[sections.count - 1].items.append(.pair(SOPSPair(key: key, value: .string(value),
                                                                       location: SourceLocation(file: file, line: lineNumber, column: 1))))
            if !pendingComment.isEmpty {
                sections[sections.count - 1].items.append(commentItem(pendingComment))
                pendingComment = []
            }
        }
        return sections.map { .pair(SOPSPair(key: $0.name, value: .branch($0.items), location: nil)) }
    }

    /// sops' stripCommentChar: one leading `;` or `#` and the spaces after it.
    private static func stripCommentCharacter(_ comment: String) -> String {
        guard let first = comment.first, first == ";" || first == "#" else { return comment }
        return String(comment.drop { $0 == first || $0 == " " })
    }

    /// The plaintext as go-ini writes it: keys aligned per section, a blank line between sections.
    static func write(_ items: [SOPSBranchItem]) throws -> String {
        var blocks: [String] = []
        for case .pair(let section) in items {
            guard case .branch(let entries) = section.value else {
                throw Diagnostic.error("Error encoding section: Section values should always be TreeBranches")
            }
            var sectionComment: String?
            var keys: [(name: String, value: String, comment: String?)] = []
            for (position, entry) in entries.enumerated() {
                switch entry {
                case .comment(let comment):
                    if position == 0 { sectionComment = comment.text } else if !keys.isEmpty { keys[keys.count - 1].comment = comment.text }
                case .pair(let pair):
                    keys.append((pair.key, SOPSDotenv.valueText(pair.value), nil))
                }
            }
            var block = ""
            if let sectionComment, !sectionComment.isEmpty { block += commentLines(sectionComment) }
            if blocks.isEmpty && section.key.uppercased() == "DEFAULT" {
                if keys.isEmpty { continue }
            } else {
                block += "[" + section.key + "]\n"
            }
            let names = keys.map { quotedKey($0.name) }
            let align = names.map(\.utf8.count).max() ?? 0
            for (key, name) in zip(keys, names) {
                if let comment = key.comment, !comment.isEmpty { block += commentLines(comment) }
                block += name + String(repeating: " ", count: align - name.utf8.count) + " = " + quotedValue(key.value) + "\n"
            }
            blocks.append(block)
        }
        return blocks.joined(separator: "\n")
    }

    private static func commentLines(_ comment: String) -> String {
        comment.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if let first = line.first, first == "#" || first == ";" {
                return String(first) + " " + line.dropFirst().trimmingASCIIWhitespace() + "\n"
            }
            return "; " + line.trimmingASCIIWhitespace() + "\n"
        }.joined()
    }

    private static func quotedKey(_ key: String) -> String {
        if key.contains("\"") || key.contains("=") || key.contains(":") { return "`" + key + "`" }
        if key.contains("`") { return "\"\"\"" + key + "\"\"\"" }
        return key
    }

    private static func quotedValue(_ value: String) -> String {
        if value.contains("\n") || value.contains("`") { return "\"\"\"" + value + "\"\"\"" }
        if value.contains("#") || value.contains(";") { return "`" + value + "`" }
        if value.trimmingASCIIWhitespace().utf8.count != value.utf8.count { return "\"" + value + "\"" }
        return value
    }
}
