import Diagnostics

/// `${VAR}` substitution in talconfig text before it is parsed, strict as talhelper runs it
/// (a8m/envsubst with no-unset and no-empty): an unset or empty variable without a default is an error.
///
/// Supports `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` and `$$` (a literal `$`).
/// YAML comments are left alone, as talhelper strips them before substituting.
public enum EnvSubstitution {
    public static func substitute(_ text: String, environment: [String: String], file: String) throws -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var errors: [Diagnostic] = []
        var line = 1
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let (content, comment) = splitComment(rawLine)
            output += try substituteLine(content, environment: environment, file: file, line: line, errors: &errors)
            output += comment
            output += "\n"
            line += 1
        }
        output.removeLast()
        if let first = errors.first {
            if errors.count == 1 { throw first }
            throw DiagnosticList(errors)
        }
        return output
    }

    private static func substituteLine(_ line: Substring, environment: [String: String], file: String, line number: Int,
                                       errors: inout [Diagnostic]) throws -> String {
        let chars = Array(line)
        var result = ""
        var i = 0
        func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isName(_ c: Character) -> Bool { isNameStart(c) || c.isASCIIDigit }
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else {
                result.append(c)
                i += 1
                continue
            }
            let location = SourceLocation(file: file, line: number, column: i + 1)
            let next = chars[i + 1]
            if next == "$" {
                result.append("$")
                i += 2
            } else if next == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    errors.append(.error("unterminated `${` in variable reference", at: location))
                    result.append(contentsOf: chars[i...])
                    break
                }
                let body = String(chars[(i + 2)..<close])
                var name = body
                var fallback: String?
                var fallbackOnEmpty = false
                if let range = body.range(of: ":-") {
                    name = String(body[..<range.lowerBound])
                    fallback = String(body[range.upperBound...])
                    fallbackOnEmpty = true
                } else if let dash = body.firstIndex(of: "-") {
                    name = String(body[..<dash])
                    fallback = String(body[body.index(after: dash)...])
                }
                guard let first = name.first, isNameStart(first), name.allSatisfy(isName) else {
                    errors.append(.error("invalid variable reference `${\(body)}`", at: location))
                    i = close + 1
                    continue
                }
                let value = environment[name]
                if let value, !(value.isEmpty && fallbackOnEmpty) {
                    if value.isEmpty && fallback == nil {
                        errors.append(.error("variable ${\(name)} is set but empty", at: location))
                    }
                    result += value
                } else if let fallback {
                    result += fallback
                } else {
                    errors.append(.error("variable ${\(name)} is not set", at: location))
                }
                i = close + 1
            } else if isNameStart(next) {
                var end = i + 1
                while end < chars.count && isName(chars[end]) { end += 1 }
                let name = String(chars[(i + 1)..<end])
                if let value = environment[name], !value.isEmpty {
                    result += value
                } else {
                    errors.append(.error(environment[name] == nil ? "variable $\(name) is not set" : "variable $\(name) is set but empty",
                                         at: location))
                }
                i = end
            } else {
                result.append(c)
                i += 1
            }
        }
        return result
    }

    /// Splits a line at the start of a YAML comment (`#` at line start or after whitespace, outside quotes).
    private static func splitComment(_ line: Substring) -> (Substring, Substring) {
        var inSingle = false
        var inDouble = false
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "'" && !inDouble { inSingle.toggle() }
            else if c == "\"" && !inSingle && previous != "\\" { inDouble.toggle() }
            else if c == "#" && !inSingle && !inDouble && (previous == " " || previous == "\t" || index == line.startIndex) {
                return (line[..<index], line[index...])
            }
            previous = c
            index = line.index(after: index)
        }
        return (line, "")
    }
}
