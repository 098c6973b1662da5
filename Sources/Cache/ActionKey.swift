/// The identity of an action: stage, implementation and tool versions, parameters and input digests,
/// in a canonical byte encoding whose SHA-256 is the action-cache key.
///
/// Encoding (all integers big-endian UInt64):
///   "talos-batch/action-key/1"
///   'S' len stage  'V' len stageVersion  'T' len toolVersion
///   'P' count { len name len value }…   'I' count { len name digest(32 bytes) }…
/// Every variable-length field carries its length and every list its count, so no two different
/// keys can produce the same bytes. Parameters and inputs are sorted (by name, then value), so the
/// order a caller lists them in does not matter; the same name with different values does.
public struct ActionKey: Sendable, Hashable {
    public let stage: String
    public let stageVersion: String
    public let toolVersion: String
    public let parameters: [ActionParameter]
    public let inputs: [ActionInput]

    public init(stage: String, stageVersion: String, toolVersion: String,
                parameters: [(name: String, value: String)], inputs: [(name: String, digest: Digest)]) {
        self.init(stage: stage, stageVersion: stageVersion, toolVersion: toolVersion,
                  parameters: parameters.map { ActionParameter(name: $0.name, value: $0.value) },
                  inputs: inputs.map { ActionInput(name: $0.name, digest: $0.digest) })
    }

    public init(stage: String, stageVersion: String, toolVersion: String,
                parameters: [ActionParameter], inputs: [ActionInput]) {
        self.stage = stage
        self.stageVersion = stageVersion
        self.toolVersion = toolVersion
        self.parameters = parameters.sorted {
            ($0.name.utf8.lexicographicallyPrecedes($1.name.utf8))
                || ($0.name == $1.name && $0.value.utf8.lexicographicallyPrecedes($1.value.utf8))
        }
        self.inputs = inputs.sorted {
            ($0.name.utf8.lexicographicallyPrecedes($1.name.utf8)) || ($0.name == $1.name && $0.digest < $1.digest)
        }
    }

    public var encoded: [UInt8] {
        var out = Array("talos-batch/action-key/1".utf8)
        func append(_ value: UInt64) {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        func append(_ string: String) {
            append(UInt64(string.utf8.count))
            out.append(contentsOf: string.utf8)
        }
        out.append(UInt8(ascii: "S")); append(stage)
        out.append(UInt8(ascii: "V")); append(stageVersion)
        out.append(UInt8(ascii: "T")); append(toolVersion)
        out.append(UInt8(ascii: "P")); append(UInt64(parameters.count))
        for parameter in parameters {
            append(parameter.name)
            append(parameter.value)
        }
        out.append(UInt8(ascii: "I")); append(UInt64(inputs.count))
        for input in inputs {
            append(input.name)
            input.digest.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    public var digest: Digest { Digest.of(encoded) }
}
