/// Block mappings already written, for emitting several documents that share subtrees — the node
/// configs of one cluster are each the same generated config with a few fields changed, so most of
/// their mappings are the very same collections (see `YAMLNode.isSameNode(as:)`).
///
/// A mapping's bytes depend only on the mapping and the writer's state where it starts, so a mapping
/// met again in the same state is copied from the earlier output instead of being written again. Each
/// entry holds on to its mapping, so a storage address is never reused for another mapping while the
/// memo lives. Use one memo for one emitter configuration; it is not thread-safe.
public final class YAMLEmitMemo {
    struct State: Equatable {
        var indent: Int
        var column: Int
        var whitespace: Bool
        var indention: Bool
    }

    struct Entry {
        var pairs: [YAMLPair]
        var parent: YAMLWriter.Parent
        var entry: State
        var exit: State
        var output: Int
        var range: Range<Int>
    }

    /// The documents written so far, which entries point into.
    private var outputs: [[UInt8]] = []
    /// Entries recorded while the current output is written; usable once it is adopted.
    private var pending: [Entry] = []
    private var entries: [Int: [Entry]] = [:]
    /// Mappings copied instead of written (what a test checks the memo by).
    public private(set) var copies = 0

    public init() {}

    static func address(of pairs: [YAMLPair]) -> Int {
        pairs.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }

    func lookup(_ pairs: [YAMLPair], parent: YAMLWriter.Parent, state: State) -> (bytes: ArraySlice<UInt8>, exit: State)? {
        guard let candidates = entries[Self.address(of: pairs)] else { return nil }
        for entry in candidates where entry.parent == parent && entry.entry == state && entry.pairs.count == pairs.count {
            copies += 1
            return (outputs[entry.output][entry.range], entry.exit)
        }
        return nil
    }

    func record(_ pairs: [YAMLPair], parent: YAMLWriter.Parent, entry: State, exit: State, range: Range<Int>) {
        pending.append(Entry(pairs: pairs, parent: parent, entry: entry, exit: exit, output: outputs.count, range: range))
    }

    /// The output the pending entries were recorded in, now finished.
    func adopt(_ output: [UInt8]) {
        outputs.append(output)
        for entry in pending { entries[Self.address(of: entry.pairs), default: []].append(entry) }
        pending = []
    }
}
