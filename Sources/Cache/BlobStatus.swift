/// What a check of one stored blob found.
public enum BlobStatus: Sendable, Hashable {
    case valid
    case missing
    /// The bytes no longer hash to the blob's name (the blob has been removed).
    case corrupt
}
