// Which template line wrote each part of a render's output, so that an error found later in the
// rendered file (by a YAML parser, by talhelper's rules) can also name the line the user wrote.

/// The origins of a render's output: a mark where each piece of template text or each `{{ … }}` began
/// writing. Built only by `Template.renderTracingLines` (an ordinary render records nothing).
public struct RenderedLineMap: Sendable {
    struct Mark: Sendable {
        /// UTF-8 offset in the output where this piece starts.
        let offset: Int
        let template: String
        /// The template line where the piece starts.
        let line: Int
        /// Template text (its lines advance with the output's) rather than an expression's value.
        let verbatim: Bool
    }

    /// Where a position of the output came from.
    public struct Origin: Sendable, Equatable {
        public var template: String
        public var line: Int
        /// For an expression (`{{ … }}`), the whole text it wrote; nil for template text.
        public var value: String?

        public init(template: String, line: Int, value: String?) {
            self.template = template
            self.line = line
            self.value = value
        }
    }

    let bytes: [UInt8]
    let marks: [Mark]

    init(text: String, marks: [Mark]) {
        self.bytes = Array(text.utf8)
        self.marks = marks
    }

    /// The text each expression (`{{ … }}`) wrote on output line `line`, from `column` on (1-based), in order:
    /// where a value at an error came from, when the error points at the start of a longer scalar.
    public func expressionValues(line: Int, from column: Int = 1) -> [String] {
        guard let (start, end) = lineBounds(line) else { return [] }
        let from = start + max(column - 1, 0)
        var values: [String] = []
        for (index, mark) in marks.enumerated() where !mark.verbatim {
            let pieceEnd = index + 1 < marks.count ? marks[index + 1].offset : bytes.count
            // A piece overlapping [from, end) of this line.
            guard mark.offset < end, pieceEnd > from, pieceEnd > mark.offset else { continue }
            values.append(String(decoding: bytes[mark.offset..<min(pieceEnd, bytes.count)], as: UTF8.self))
        }
        return values
    }

    /// Byte offsets of output line `line`'s start and end (its newline excluded).
    private func lineBounds(_ line: Int) -> (Int, Int)? {
        var start = 0
        var current = 1
        while current < line {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            start = newline + 1
            current += 1
        }
        return (start, bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count)
    }

    /// The template line that wrote the output at `line`:`column` (1-based; column in bytes, clamped to the
    /// line), or nil when the position is outside the output.
    public func origin(line: Int, column: Int) -> Origin? {
        guard let (start, end) = lineBounds(line) else { return nil }
        // The column's byte, or the last byte of the line; an empty line is its newline.
        let target = min(start + max(column - 1, 0), max(start, end - 1))
        // The last mark starting at or before the target wrote it (a mark that wrote nothing is followed
        // by one at the same offset, which wins).
        var low = 0, high = marks.count
        while low < high {
            let middle = (low + high) / 2
            if marks[middle].offset <= target { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let index = low - 1
        let mark = marks[index]
        let pieceEnd = index + 1 < marks.count ? marks[index + 1].offset : bytes.count
        if mark.verbatim {
            let newlines = bytes[mark.offset..<min(target, bytes.count)].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            return Origin(template: mark.template, line: mark.line + newlines, value: nil)
        }
        let value = String(decoding: bytes[mark.offset..<max(mark.offset, min(pieceEnd, bytes.count))], as: UTF8.self)
        return Origin(template: mark.template, line: mark.line, value: value)
    }
}
