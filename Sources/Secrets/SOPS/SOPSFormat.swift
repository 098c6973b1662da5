/// The file formats sops reads and writes (its "stores").
public enum SOPSFormat: String, Sendable, CaseIterable {
    case yaml, json, dotenv, ini, binary

    /// `--input-type`/`--output-type` names, as sops spells them.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// The format sops infers from a file name: `.yaml`/`.yml`, `.json`, `.env`, `.ini`, else binary.
    public static func inferred(fromPath path: String) -> SOPSFormat {
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return .yaml }
        if path.hasSuffix(".json") { return .json }
        if path.hasSuffix(".env") { return .dotenv }
        if path.hasSuffix(".ini") { return .ini }
        return .binary
    }
}
