/// A line diff: common prefix and suffix trimmed, then a longest-common-subsequence table over what is
/// left (config edits are small, so the table stays small), grouped into `diff -u` hunks.
enum LineDiff {
    enum Edit: Equatable {
        case same(old: Int, new: Int)
        case removed(old: Int)
        case added(new: Int)
    }

    /// One `@@ -a,b +c,d @@` block: its edits (with up to `context` unchanged lines either side).
    struct Hunk {
        var oldStart: Int, oldCount: Int, newStart: Int, newCount: Int
        var edits: [Edit]
    }

    static func edits(_ old: [Substring], _ new: [Substring]) -> [Edit] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)]), b = Array(new[prefix..<(new.count - suffix)])
        // lengths[i][j]: LCS length of a[i...] and b[j...], flattened.
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        if !a.isEmpty && !b.isEmpty {
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] = a[i] == b[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
        }
        var result = (0..<prefix).map { Edit.same(old: $0, new: $0) }
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                result.append(.same(old: prefix + i, new: prefix + j)); i += 1; j += 1
            } else if j < b.count, i == a.count || lengths[i * width + j + 1] > lengths[(i + 1) * width + j] {
                result.append(.added(new: prefix + j)); j += 1
            } else {
                result.append(.removed(old: prefix + i)); i += 1
            }
        }
        for k in 0..<suffix { result.append(.same(old: old.count - suffix + k, new: new.count - suffix + k)) }
        return result
    }

    /// The edits grouped into hunks with `context` unchanged lines around each change.
    static func hunks(_ edits: [Edit], context: Int = 3) -> [Hunk] {
        let changed = edits.indices.filter { if case .same = edits[$0] { return false } else { return true } }
        guard !changed.isEmpty else { return [] }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(edits.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges.map { range in
            let slice = Array(edits[range])
            var oldStart: Int?, newStart: Int?, oldCount = 0, newCount = 0
            for edit in slice {
                switch edit {
                case let .same(old, new):
                    oldStart = oldStart ?? old; newStart = newStart ?? new; oldCount += 1; newCount += 1
                case let .removed(old): oldStart = oldStart ?? old; oldCount += 1
                case let .added(new): newStart = newStart ?? new; newCount += 1
                }
            }
            // `diff -u` numbers from 1; a side with no lines in the hunk (an empty file: any other hunk
            // has context) is numbered 0.
            return Hunk(oldStart: oldStart.map { $0 + 1 } ?? 0, oldCount: oldCount,
                        newStart: newStart.map { $0 + 1 } ?? 0, newCount: newCount, edits: slice)
        }
    }
}
