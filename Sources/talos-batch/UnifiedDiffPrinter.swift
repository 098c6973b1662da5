/// Prints one changed file like `diff -u` (headers `--- a/<path>` and `+++ b/<path>`, 3 lines of
/// context), with secret lines redacted.
enum UnifiedDiffPrinter {
    struct Rendered {
        var text: String
        var added: Int
        var removed: Int
    }

    static func render(_ change: OutputChange, redactor: SecretLineRedactor, context: Int = 3) -> Rendered {
        let old = lines(change.old), new = lines(change.new)
        guard change.hasPrevious else {
            return Rendered(text: "--- a/\(change.path)\n+++ b/\(change.path)\n"
                            + "# changed; no previous copy in the cache (secret outputs are kept only with a cache key)\n",
                            added: 0, removed: 0)   // nothing to count against
        }
        var text = "--- \(change.old == nil ? "/dev/null" : "a/" + change.path)\n"
            + "+++ \(change.new == nil ? "/dev/null" : "b/" + change.path)\n"
        var added = 0, removed = 0
        for hunk in LineDiff.hunks(LineDiff.edits(old, new), context: context) {
            text += "@@ -\(range(hunk.oldStart, hunk.oldCount)) +\(range(hunk.newStart, hunk.newCount)) @@\n"
            for edit in hunk.edits {
                switch edit {
                case let .same(_, index): text += " " + redactor.shown(new[index], changed: false) + "\n"
                case let .removed(index): text += "-" + redactor.shown(old[index], changed: true) + "\n"; removed += 1
                case let .added(index): text += "+" + redactor.shown(new[index], changed: true) + "\n"; added += 1
                }
            }
        }
        return Rendered(text: text, added: added, removed: removed)
    }

    private static func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }

    private static func lines(_ bytes: [UInt8]?) -> [Substring] {
        guard let bytes, !bytes.isEmpty else { return [] }
        var text = Substring(String(decoding: bytes, as: UTF8.self))
        if text.hasSuffix("\n") { text = text.dropLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
    }
}
