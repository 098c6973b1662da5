// Bounds on what one template operation may allocate or how deep it may go, so hostile templates
// fail with a clear error instead of exhausting memory or the stack (Python would try, and raise
// MemoryError or RecursionError, or take the machine down).

enum Limits {
    /// The widest padding or indentation a filter, method or format spec may ask for.
    static let maxWidth = 1_000_000

    /// How deep printing, comparing and serialising may descend into nested lists, dicts and tuples.
    /// Python stops at its recursion limit (1,000 by default) with RecursionError.
    static let maxNesting = 10_000

    /// The stack a render runs on: deep but bounded recursion (nesting, macro calls, includes) must
    /// fit without relying on the caller's thread, whose stack may be as small as 512 KiB.
    static let renderStackBytes = 512 << 20

    static func width(_ w: Int) throws -> Int {
        if w > maxWidth { throw EvalError.limit("width \(w) exceeds the limit of \(maxWidth)") }
        return w
    }

    /// The most items one list or tuple may reach by concatenation or repetition.
    static let maxItems = 10_000_000

    /// Fails when a string built by concatenation, repetition or replacement would exceed `bytes`
    /// (the render's output limit): doubling a string in a loop must end with an error, not exhaust memory.
    static func stringSize(_ bytes: Int, limit: Int) throws {
        if bytes > limit { throw EvalError.limit("string of \(bytes) bytes exceeds the limit of \(limit) bytes") }
    }

    static func items(_ count: Int) throws {
        if count > maxItems { throw EvalError.limit("sequence of \(count) items exceeds the limit of \(maxItems)") }
    }

    static func nesting(_ level: Int) throws {
        if level > maxNesting { throw EvalError.limit("value nested deeper than \(maxNesting) levels") }
    }
}
