import Testing
import Diagnostics
@testable import Talos

/// One input of talhelper's substitution and what a8m/envsubst v1.4.3 (the library talhelper's
/// pkg/substitute calls, strict: no unset, no empty) gives for it.
struct EnvsubstCase: Sendable, CustomTestStringConvertible {
    let input: String
    let output: String?
    let error: String?

    init(_ input: String, output: String) {
        self.input = input
        self.output = output
        self.error = nil
    }

    init(_ input: String, error: String) {
        self.input = input
        self.output = nil
        self.error = error
    }

    var testDescription: String { input }
}

/// talhelper's `${VAR}` substitution, grammar and quirks included. The expected values are what
/// a8m/envsubst v1.4.3's `StringRestricted(input, true, true)` returned for each input (run once with Go
/// against that release; a8m's own parse_test.go cases are among them), with the environment below.
@Suite struct EnvSubstitutionGrammarTests {
    static let environment = ["BAR": "bar", "FOO": "foo", "EMPTY": "", "ALSO_EMPTY": "", "V": "vee", "OTHER": "other", "A": "AAA"]

    static let cases: [EnvsubstCase] = [
        EnvsubstCase("${UNSET:-$OTHER}", output: "other"),
        EnvsubstCase("${U:-a_${V}}", output: "a_${V}"),
        EnvsubstCase("${U:-a_$V}", output: "a_$V"),
        EnvsubstCase("${V:+alt}", output: "alt"),
        EnvsubstCase("${V+alt}", output: "alt"),
        EnvsubstCase("${U:+alt}", output: ""),
        EnvsubstCase("${U+alt}", output: ""),
        EnvsubstCase("${U:=d}", output: "d"),
        EnvsubstCase("${U=d}", output: "d"),
        EnvsubstCase("${V:?message}", output: "vee"),
        EnvsubstCase("${U:?message}", error: "variable ${U} not set"),
        EnvsubstCase("${EMPTY:-d}", output: "d"),
        EnvsubstCase("${EMPTY-d}", error: "variable ${EMPTY} set but empty"),
        EnvsubstCase("${EMPTY:+alt}", output: "alt"),
        EnvsubstCase("$$V and $${V} and $$$V", output: "$V and ${V} and $vee"),
        EnvsubstCase("${V}x$V-$V.$Vy", error: "variable ${Vy} not set"),
        EnvsubstCase("a $ b $1 ${1} $_ ${_} $_x", error: "closing brace expected"),
        EnvsubstCase("${}", output: "${}"),
        EnvsubstCase("x: ${V", error: "closing brace expected"),
        EnvsubstCase("${V:-}", output: "vee"),
        EnvsubstCase("${U:-}", error: "variable ${U} not set"),
        EnvsubstCase("${U-}", error: "variable ${U} not set"),
        EnvsubstCase("${V.foo}", output: "vee"),
        EnvsubstCase("${U:-http://a:8080/x}", output: "http://a:8080/x"),
        EnvsubstCase("${U:-${V}}", error: "variable ${{V} not set"),
        EnvsubstCase("${U:-$V/sub}", output: "/sub"),
        EnvsubstCase("${U:-a b c}", output: "a b c"),
        EnvsubstCase("${U:-a}b}", output: "ab}"),
        EnvsubstCase("${U:-{x}}", output: "{x}"),
        EnvsubstCase("${ü}", error: "variable ${ü} not set"),
        EnvsubstCase("$ü", error: "variable ${ü} not set"),
        EnvsubstCase("${U:-a-b}", output: "a-b"),
        EnvsubstCase("${U:--1}", output: "-1"),
        EnvsubstCase("${U:==1}", output: "=1"),
        EnvsubstCase("$BAR", output: "bar"),
        EnvsubstCase("$BAR baz", output: "bar baz"),
        EnvsubstCase("$BAR$FOO", output: "barfoo"),
        EnvsubstCase("$BAR - $FOO", output: "bar - foo"),
        EnvsubstCase("$_ bar", output: "$_ bar"),
        EnvsubstCase("${_} bar", output: "${_} bar"),
        EnvsubstCase("${BAR}baz", output: "barbaz"),
        EnvsubstCase("${NOTSET-$BAR}", output: "bar"),
        EnvsubstCase("${NOTSET=$BAR}", output: "bar"),
        EnvsubstCase("${EMPTY-$BAR}", error: "variable ${EMPTY} set but empty"),
        EnvsubstCase("${EMPTY:-$BAR}", output: "bar"),
        EnvsubstCase("${EMPTY:=$BAR}", output: "bar"),
        EnvsubstCase("${EMPTY+hello}", output: "hello"),
        EnvsubstCase("${NOTSET+hello}", output: ""),
        EnvsubstCase("${NOTSET:+hello}", output: ""),
        EnvsubstCase("hello $BAR\nhello ${EMPTY:=$FOO}", output: "hello bar\nhello foo"),
        EnvsubstCase("${hello:=wo_rld} ${foo:=bar_baz}", output: "wo_rld bar_baz"),
        EnvsubstCase("name: ${NAME:=foo_qux}, key: ${EMPTY:=baz_bar}", output: "name: foo_qux, key: baz_bar"),
        EnvsubstCase("prop=${HOME_URL-http://localhost:8080}", output: "prop=http://localhost:8080"),
        EnvsubstCase("${NOTSET--1}", output: "-1"),
        EnvsubstCase("${NOTSET:--1}", output: "-1"),
        EnvsubstCase("${NOTSET=-1}", output: "-1"),
        EnvsubstCase("${NOTSET:==1}", output: "=1"),
        EnvsubstCase("${A}", output: "AAA"),
        EnvsubstCase("hello ${", error: "closing brace expected"),
        EnvsubstCase("${NOTSET}", error: "variable ${NOTSET} not set"),
        EnvsubstCase("${EMPTY}", error: "variable ${EMPTY} set but empty"),
        EnvsubstCase("$NOTSET", error: "variable ${NOTSET} not set"),
        EnvsubstCase("$EMPTY", error: "variable ${EMPTY} set but empty"),
        EnvsubstCase("${NOTSET-$ALSO_NOTSET}", error: "variable ${ALSO_NOTSET} not set"),
        EnvsubstCase("${NOTSET:-$ALSO_NOTSET}", error: "variable ${ALSO_NOTSET} not set"),
        EnvsubstCase("${NOTSET+$ALSO_NOTSET}", output: ""),
        EnvsubstCase("${EMPTY:-$NOTSET}", error: "variable ${NOTSET} not set"),
        EnvsubstCase("${EMPTY+$NOTSET}", error: "variable ${NOTSET} not set"),
        EnvsubstCase("${NOTSET-$EMPTY}", error: "variable ${EMPTY} set but empty"),
        EnvsubstCase("${NOTSET+$EMPTY}", output: ""),
        EnvsubstCase("${EMPTY+$ALSO_EMPTY}", error: "variable ${ALSO_EMPTY} set but empty"),
        EnvsubstCase("FOO $$BAR BAZ", output: "FOO $BAR BAZ"),
        EnvsubstCase("FOO $${BAR} BAZ", output: "FOO ${BAR} BAZ"),
        EnvsubstCase("$$$BAR", output: "$bar"),
        EnvsubstCase("$$${BAZ:-baz}", output: "$baz"),
        EnvsubstCase("a $ b", output: "a $ b"),
        EnvsubstCase("price: 5$", output: "price: 5$"),
        EnvsubstCase("$1 ${1}", error: "variable ${1} not set"),
        EnvsubstCase("${_}", output: "${_}"),
        EnvsubstCase("x ${_} then $BAR", error: "closing brace expected"),
        EnvsubstCase("key: \"${V}\"", output: "key: \"vee\""),
        EnvsubstCase("${V}${BAR}", output: "veebar"),
        EnvsubstCase("${BAR:-x}-${NOTSET:-y}", output: "bar-y"),
        EnvsubstCase("${V:?}", output: "vee"),
    ]

    @Test(arguments: cases)
    func matchesA8mEnvsubst(_ example: EnvsubstCase) throws {
        if let output = example.output {
            #expect(try EnvSubstitution.substitute(example.input, environment: Self.environment, file: "t.yaml") == output)
        } else {
            let error = #expect(throws: (any Error).self) {
                try EnvSubstitution.substitute(example.input, environment: Self.environment, file: "t.yaml")
            }
            // talhelper stops at its first error; talos-batch names every one, the first being talhelper's.
            let first: Diagnostic? = (error as? Diagnostic) ?? (error as? DiagnosticList)?.diagnostics.first
            #expect(first?.message == example.error)
        }
    }

    /// The issue's forms: a nested `$OTHER` default expands; `:+ + := = :?` all work.
    @Test func operatorsOfTheIssue() throws {
        func run(_ text: String) throws -> String { try EnvSubstitution.substitute(text, environment: Self.environment, file: "t") }
        #expect(try run("${UNSET:-$OTHER}") == "other")
        #expect(try run("${V:+alt} ${V+alt} ${U:+alt}|${U+alt}") == "alt alt |")
        #expect(try run("${U:=d} ${U=d} ${V:?message}") == "d d vee")
        // a8m keeps a default that is not a lone variable as text: talhelper writes it unexpanded.
        #expect(try run("${U:-a_${V}}") == "a_${V}")
    }

    /// Errors carry the line and column of the `$` that starts the reference; every one is reported.
    @Test func errorsHavePositions() throws {
        let text = "a: 1\nb: x ${NOPE}\nc: $GONE # $IGNORED in a comment\n"
        let error = #expect(throws: DiagnosticList.self) {
            try EnvSubstitution.substitute(text, environment: [:], file: "talconfig.yaml")
        }
        let diagnostics = error?.diagnostics ?? []
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "talconfig.yaml", line: 2, column: 6),
                                                SourceLocation(file: "talconfig.yaml", line: 3, column: 4)])
        #expect(diagnostics.map(\.message) == ["variable ${NOPE} not set", "variable ${GONE} not set"])
    }

    @Test func unterminatedReferenceIsAnErrorAtItsPosition() throws {
        let error = #expect(throws: Diagnostic.self) {
            try EnvSubstitution.substitute("x: 1\ny: ${V", environment: Self.environment, file: "f.yaml")
        }
        #expect(error?.message == "closing brace expected")
        #expect(error?.location?.line == 2)
    }
}
