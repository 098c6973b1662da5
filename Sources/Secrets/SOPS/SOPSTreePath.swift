import Diagnostics

/// sops' `--extract` path, `["key"][0]…`: bracketed components, a quoted one a mapping key, a bare one a
/// list index.
public struct SOPSTreePath: Sendable, CustomStringConvertible {
    enum Step: Sendable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]
    public let description: String

    /// Parses the path; text outside brackets is ignored, as sops ignores it.
    public init(parsing text: String) throws {
        var steps: [Step] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            let component = rest[rest.index(after: open)..<close]
            if let first = component.first, first == "\"" || first == "'" {
                var key = component.dropFirst()
                if key.last == first { key = key.dropLast() }
                steps.append(.key(String(key)))
            } else if let index = Int(component) {
                steps.append(.index(index))
            } else {
                throw Diagnostic.error("invalid --extract path \(text): '\(component)' is neither a quoted key nor a list index")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard !steps.isEmpty else { throw Diagnostic.error("invalid --extract path \(text): expected [\"key\"] or [index] components") }
        self.steps = steps
        description = text
    }

    /// sops.TreeBranch.Truncate: the value the path names (list indices count comment items, as in sops).
    func select(in items: [SOPSBranchItem]) throws -> SOPSValue {
        var current = SOPSValue.branch(items)
        for step in steps {
            switch (step, current) {
            case (.key(let key), .branch(let entries)):
                guard let value = SOPSValue.branch(entries)[key] else {
                    throw Diagnostic.error("error truncating tree: component ['\(key)'] not found")
                }
                current = value
            case (.index(let index), .list(let entries)):
                guard index >= 0, index < entries.count, case .value(let value, _) = entries[index] else {
                    throw Diagnostic.error("error truncating tree: index \(index) out of range (the list has \(entries.count) items)")
                }
                current = value
            case (.key(let key), _):
                throw Diagnostic.error("error truncating tree: cannot look up ['\(key)'] in a value that is not a mapping")
            case (.index(let index), _):
                throw Diagnostic.error("error truncating tree: cannot look up [\(index)] in a value that is not a list")
            }
        }
        return current
    }
}
