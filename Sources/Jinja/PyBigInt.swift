import SystemKit

// A Python int outside Int64 (`2 ** 64`, a 30-digit YAML value), as a template object holding a
// `BigInt`. Values that fit in Int64 are always `.int`, so an int is never both: a big int equal
// to a small one cannot exist, and comparing, hashing and printing need no normalising.

final class PyBigInt: TemplateObject {
    let value: BigInt
    init(_ value: BigInt) { self.value = value }

    /// The decimal digits, with a leading "-" when negative.
    var decimal: String { value.decimal }

    var typeName: String { "int" }
    var repr: String { decimal }
    var truthy: Bool { true }

    /// Digits in `radix` (2, 8, 10 or 16) with an optional sign and `_` separators; nil if invalid.
    static func parse(_ text: String, radix: Int) -> PyBigInt? {
        guard let b = BigInt(digits: Substring(text.replacingAll("_", with: "")), radix: radix) else { return nil }
        return PyBigInt(b)
    }
}

extension Value {
    /// The Python int `b` is: `.int` when it fits in 64 bits, a `PyBigInt` otherwise.
    static func integer(_ b: BigInt) -> Value {
        if let i = b.asInt { return .int(i) }
        return .object(PyBigInt(b))
    }
}
