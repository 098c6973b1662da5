// Bounds on what one template operation may allocate, so hostile templates fail instead of
// exhausting memory (Python would try, and raise MemoryError or take the machine down).

enum Limits {
    /// The widest padding or indentation a filter, method or format spec may ask for.
    static let maxWidth = 1_000_000

    static func width(_ w: Int) throws -> Int {
        if w > maxWidth { throw EvalError.limit("width \(w) exceeds the limit of \(maxWidth)") }
        return w
    }
}
