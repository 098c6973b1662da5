/// Where a packed blob's bytes are: a pack file (by name, in `blobs/packs/`) and the payload's byte range.
struct PackLocation: Sendable, Hashable {
    var pack: String
    /// Offset of the first payload byte (the entry header sits just before it).
    var offset: Int64
    var length: Int64
}
