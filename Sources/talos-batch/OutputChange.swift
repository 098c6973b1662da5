/// One output file whose bytes differ between two generations (or two trees), for `talos-batch diff`.
struct OutputChange {
    /// `cluster-101/cluster-101-cp1.yaml`: relative to the fleet's clusters folder.
    var path: String
    /// The earlier bytes; nil when there is no earlier copy (a new file, or a secret output the cache
    /// could not keep without a key: `hasPrevious` tells which).
    var old: [UInt8]?
    /// The current bytes; nil when the file is gone.
    var new: [UInt8]?
    /// False when the earlier generation had this file but its bytes are not in the cache.
    var hasPrevious: Bool
}
