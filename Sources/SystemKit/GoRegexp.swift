/// A Go `regexp` (RE2) pattern matched as Go does, on Swift's own Regex engine instead of ICU's
/// NSRegularExpression (full Foundation): unanchored search, Unicode scalars rather than grapheme clusters,
/// and Go's ASCII-only `\d`, `\s`, `\w` and `\b`. For the patterns sops rules and talhelper use.
public struct GoRegexp: @unchecked Sendable {
    // @unchecked: a Regex is an immutable value; AnyRegexOutput is only not marked Sendable.
    private let regex: Regex<AnyRegexOutput>

    /// Throws when Swift's parser rejects the pattern.
    public init(_ pattern: String) throws {
        regex = try Regex(pattern)
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyCharacterClasses()
            .wordBoundaryKind(.simple)
    }

    /// Whether the pattern matches anywhere in the text (Go's `MatchString`).
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
