import Diagnostics

/// `${VAR}` substitution in talconfig text before it is parsed, exactly as talhelper runs it: a8m/envsubst
/// v1.4.3 with no-unset and no-empty, so an unset or empty variable that is not defaulted is an error.
///
/// The grammar is a8m/envsubst's, quirks included (its lexer and parser are followed token for token):
/// `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR:=default}` (used when VAR is unset or empty),
/// `${VAR-default}` / `${VAR=default}` (when unset), `${VAR:+alt}` / `${VAR+alt}` (when set, else empty),
/// a default that is a single `$OTHER` is expanded, `$$` is a literal `$`. Anything else inside the braces
/// is kept as text and not expanded (`${U:-a_${V}}` gives `a_${V}`, `${V:?msg}` gives V's value).
/// YAML comments are left alone, as talhelper strips them before substituting.
public enum EnvSubstitution {
    public static func substitute(_ text: String, environment: [String: String], file: String) throws -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var errors: [Diagnostic] = []
        var line = 1
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let (content, comment) = splitComment(rawLine)
            var lexer = EnvSubstLexer(Array(content.unicodeScalars))
            let items = lexer.run()
            output += EnvSubstParser(items: items, environment: environment)
                .evaluate(file: file, line: line, errors: &errors)
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
