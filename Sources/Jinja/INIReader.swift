// jinja2-cli's `--format ini` reader: Python's configparser (default settings) turned into
// {section: {option: value}}, so a template renders the same bytes with `talos-batch render` as with `jinja2`.

/// Reads INI text as jinja2-cli 1.0 does (`ConfigParser()`, then `items(section, raw=True)` per section):
/// `[section]` headers, `key = value` or `key: value` (the first `=` or `:` splits; keys lower-cased and
/// stripped, values stripped), full-line `#`/`;` comments (no inline comments), indented continuation lines
/// joined with newlines (blank lines inside a value kept), `[DEFAULT]` values in every section, no
/// interpolation. A duplicate section or option, a key before any section or a line without a delimiter
/// is an error at its line, as configparser refuses them.
public enum INIReader {
    public static func parse(_ text: String, file: String) throws -> Value {
        var defaults: [(String, [String])] = []
        var sections: [(name: String, options: [(String, [String])])] = []
        var seenSections = Set<String>()
        var seenOptions = Set<[String]>()
        // Where new options go: nil before any header; -1 is DEFAULT.
        var current: Int?
        var currentName = ""
        var option: Int?
        var indent = 0

        func fail(_ message: String, _ line: Int) -> TemplateError {
            TemplateError(.syntax, message, template: file, position: Position(line: line, column: 1))
        }
        func appendToOption(_ text: String) {
            guard let current, let option else { return }
            if current < 0 { defaults[option].1.append(text) } else { sections[current].options[option].1.append(text) }
        }

        // Lines as Python iterates a StringIO: split at \n only.
        for (index, scalars) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Substring(scalars)
            let number = index + 1
            let stripped = line.trimmingPythonWhitespace()
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            if stripped.isEmpty {
                // configparser keeps a blank line inside a value (empty_lines_in_values).
                if current != nil, option != nil { appendToOption("") }
                continue
            }
            let lineIndent = line.prefix(while: \.isWhitespace).count
            if current != nil, option != nil, lineIndent > indent {
                appendToOption(stripped)
                continue
            }
            indent = lineIndent
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"), close > stripped.index(after: stripped.startIndex) {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                option = nil
                if name == "DEFAULT" {
                    current = -1
                } else if let existing = sections.firstIndex(where: { $0.name == name }) {
                    guard !seenSections.contains(name) else { throw fail("section '\(name)' already exists", number) }
                    current = existing
                } else {
                    sections.append((name, []))
                    current = sections.count - 1
                }
                if name != "DEFAULT" { seenSections.insert(name) }
                currentName = name
                continue
            }
            guard let section = current else { throw fail("file contains no section headers (expected [section] before this line)", number) }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw fail("expected 'key = value' or 'key: value'", number)
            }
            let key = String(stripped[..<delimiter]).trimmingPythonWhitespace().lowercased()
            guard !key.isEmpty else { throw fail("an option needs a name before '\(stripped[delimiter])'", number) }
            let value = String(stripped[stripped.index(after: delimiter)...]).trimmingPythonWhitespace()
            guard seenOptions.insert([currentName, key]).inserted else {
                throw fail("option '\(key)' in section '\(currentName)' already exists", number)
            }
            if section < 0 {
                defaults.append((key, [value]))
                option = defaults.count - 1
            } else {
                sections[section].options.append((key, [value]))
                option = sections[section].options.count - 1
            }
        }

        func joined(_ lines: [String]) -> Value {
            var text = lines.joined(separator: "\n")
            while let last = text.unicodeScalars.last, last.properties.isWhitespace { text.unicodeScalars.removeLast() }
            return .string(text)
        }
        let root = DictStorage()
        for section in sections {
            let d = DictStorage()
            for (key, lines) in defaults { d[string: key] = joined(lines) }
            for (key, lines) in section.options { d[string: key] = joined(lines) }
            root[string: section.name] = .dict(d)
        }
        return .dict(root)
    }
}

extension StringProtocol {
    /// Python's `str.strip()`: Unicode whitespace off both ends.
    func trimmingPythonWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
