/// Literal substring search and replacement Unicode scalar by Unicode scalar, as Foundation's
/// `range(of:)` / `replacingOccurrences(of:with:)` and Python's `str` methods find them. The standard
/// library's `firstRange(of:)` / `replacing(_:with:)` compare whole Characters, so they would not find "\n"
/// inside a "\r\n" cluster.
extension String {
    /// The first occurrence of `target`, or nil (an empty target is found at the start).
    public func scalarRange(of target: String) -> Range<String.Index>? {
        unicodeScalars.firstRange(of: target.unicodeScalars).map { $0.lowerBound..<$0.upperBound }
    }

    /// The last occurrence of `target`, or nil (an empty target is found at the end).
    public func lastScalarRange(of target: String) -> Range<String.Index>? {
        let text = unicodeScalars, needle = Array(target.unicodeScalars)
        var end = text.endIndex
        while true {
            var start = end, matched = 0
            while matched < needle.count, start > text.startIndex {
                let previous = text.index(before: start)
                guard text[previous] == needle[needle.count - 1 - matched] else { break }
                start = previous
                matched += 1
            }
            if matched == needle.count { return start..<end }
            guard end > text.startIndex else { return nil }
            end = text.index(before: end)
        }
    }
}

extension StringProtocol {
    /// Every occurrence of `target` (left to right, not overlapping) replaced by `replacement`.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        var text = String(self).unicodeScalars
        guard !target.isEmpty else { return String(text) }
        text.replace(target.unicodeScalars, with: replacement.unicodeScalars)
        return String(text)
    }
}
