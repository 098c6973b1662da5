import Diagnostics
import FoundationEssentials
import Glibc

/// What `mark-applied` recorded for one cluster: per node (by hostname), the SHA-256 of the machine-config
/// bytes that were on disk when the node was marked applied. A node whose config now hashes differently
/// (or was never marked) is "changed" for `gencommand apply --changed`.
///
/// Digests only, never config bytes: a digest of a file holding 256-bit keys reveals nothing about them.
public struct AppliedState: Sendable, Equatable, Codable {
    /// The file in the cluster folder that holds the state.
    public static let fileName = ".talos-batch-applied.json"
    static let currentVersion = 1

    public var version: Int
    /// hostname → what was applied.
    public var nodes: [String: AppliedNode]

    public init(nodes: [String: AppliedNode] = [:]) {
        version = Self.currentVersion
        self.nodes = nodes
    }

    /// Reads the state; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> AppliedState {
        let state: AppliedState
        do {
            state = try JSONDecoder().decode(AppliedState.self, from: Data(bytes))
        } catch {
            throw Diagnostic.error("not a talos-batch applied-state file (expected {\"version\": 1, \"nodes\": {…}}); "
                                   + "delete it to treat every node as changed", at: SourceLocation(file: file, line: 1, column: 1))
        }
        guard state.version == currentVersion else {
            throw Diagnostic.error("applied-state version \(state.version) is not supported (expected \(currentVersion))",
                                   at: SourceLocation(file: file, line: 1, column: 1))
        }
        return state
    }

    /// Sorted keys and a final newline: the same state is always the same bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// True when `hostname` was marked applied with exactly these config bytes.
    public func isApplied(hostname: String, sha256: String) -> Bool {
        nodes[hostname]?.sha256 == sha256
    }

    public mutating func record(hostname: String, file: String, sha256: String) {
        nodes[hostname] = AppliedNode(file: file, sha256: sha256)
    }

    /// Forgets nodes the cluster no longer has, so a node that comes back under the same name is changed.
    public mutating func keepOnly(hostnames: Set<String>) {
        nodes = nodes.filter { hostnames.contains($0.key) }
    }
}

/// One node's record: its config file (relative to the cluster folder, for people reading the state)
/// and the hex SHA-256 of the bytes that were applied.
public struct AppliedNode: Sendable, Equatable, Codable {
    public var file: String
    public var sha256: String

    public init(file: String, sha256: String) {
        self.file = file
        self.sha256 = sha256
    }
}
