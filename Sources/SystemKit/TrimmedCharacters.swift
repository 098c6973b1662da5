/// The sets of Unicode scalars `trimming(_:)` strips, Foundation's CharacterSet definitions for the two
/// the code uses (`.whitespaces`: tab and the space separators; `.whitespacesAndNewlines`: also U+000A–U+000D,
/// U+0085, U+2028, U+2029) plus literal sets.
public struct TrimmedCharacters: Sendable {
    let contains: @Sendable (Unicode.Scalar) -> Bool

    public init(charactersIn characters: String) {
        let set = Set(characters.unicodeScalars)
        contains = { set.contains($0) }
    }

    public static let whitespaces = TrimmedCharacters { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    public static let whitespacesAndNewlines = TrimmedCharacters {
        $0 == "\t" || $0.properties.generalCategory == .spaceSeparator
            || ("\n"..."\r").contains($0) || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}"
    }

    init(_ contains: @escaping @Sendable (Unicode.Scalar) -> Bool) { self.contains = contains }
}

extension StringProtocol {
    /// The text without the given scalars at either end (Foundation's `trimmingCharacters(in:)`).
    public func trimming(_ set: TrimmedCharacters) -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(scalars[first...last])
    }
}
