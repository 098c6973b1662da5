// Byte-for-byte agreement with Python Jinja2 on the hand-written cases and on every combination
// of whitespace control around every kind of tag.
import Testing

@Suite struct DifferentialTests {
    @Test func handWrittenCasesMatchPythonJinja2() throws {
        let cases = DifferentialCases.all
        #expect(cases.count >= 200)
        let failures = try Oracle.disagreements(cases)
        let agreed = failures.isEmpty
        #expect(agreed, "\(failures.count) of \(cases.count) cases differ:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyWhitespaceControlCombinationMatchesPythonJinja2() throws {
        let cases = WhitespaceMatrix.cases
        let failures = try Oracle.disagreements(cases)
        let agreed = failures.isEmpty
        #expect(agreed, "\(failures.count) of \(cases.count) cases differ:\n\(failures.joined(separator: "\n"))")
    }
}

/// Every tag kind × left sign × right sign × trim_blocks × lstrip_blocks, in a layout with
/// indentation and newlines on both sides of the tag.
enum WhitespaceMatrix {
    static var cases: [RenderCase] {
        var cases: [RenderCase] = []
        let signs = ["", "-", "+"]
        for left in signs {
            for right in signs {
                let tags = [
                    "{%\(left) if true \(right)%}X{%\(left) endif \(right)%}",
                    "{{\(left) 'V' \(right)}}",
                    "{#\(left) note \(right)#}",
                    "{%\(left) raw \(right)%}R{%\(left) endraw \(right)%}",
                    "{%\(left) set v = 1 \(right)%}",
                ]
                for tag in tags {
                    for trim in [false, true] {
                        for lstrip in [false, true] {
                            let template = "a  \n  \t\(tag)  \n\nb\n  \(tag)\nc \(tag) d"
                            cases.append(RenderCase(template: template, trimBlocks: trim, lstripBlocks: lstrip))
                        }
                    }
                }
            }
        }
        return cases
    }
}
