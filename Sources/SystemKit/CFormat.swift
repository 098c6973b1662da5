import Glibc

extension String {
    /// printf-style formatting (`"%.1f"`, `"%02x"`) through the C library, as `String(format:)` did without
    /// needing full Foundation. The C locale: the process never calls setlocale, so "." is the decimal point.
    public init(cFormat format: String, _ arguments: CVarArg...) {
        // A va_list is consumed by one call: measure with one, format with a fresh one.
        let length = Int(withVaList(arguments) { vsnprintf(nil, 0, format, $0) })
        guard length > 0 else { self = ""; return }
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        self = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
