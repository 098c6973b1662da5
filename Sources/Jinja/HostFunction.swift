// A function a host program hands to templates through the context (jinja2-cli's `environ()`).

extension Value {
    /// A callable value named `name`: called with the template's positional arguments; a `HostFunctionError`
    /// it throws fails the render as an undefined name would (UndefinedError in Jinja2).
    public static func function(_ name: String, _ body: @escaping ([Value]) throws -> Value) -> Value {
        .object(BuiltinFunction(name) { args, _ in
            do {
                return try body(args.positional)
            } catch let error as HostFunctionError {
                throw EvalError.undefined(error.message, nil)
            }
        })
    }
}

/// An error from a host function, reported like Jinja2's UndefinedError.
public struct HostFunctionError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
}
