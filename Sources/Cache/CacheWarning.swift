import FoundationEssentials
import Glibc
import SystemKit

/// Receives the cache's warnings (a corrupt blob dropped, a broken database moved aside). The cache
/// never fails for these; it tells whoever is listening and carries on.
public typealias CacheWarningHandler = @Sendable (String) -> Void

public enum CacheWarning {
    /// Prints `talos-batch: warning: …` on standard error.
    public static let standardError: CacheWarningHandler = { message in
        StandardStream.standardError.write(Data("talos-batch: warning: \(message)\n".utf8))
    }

    /// Drops warnings (for callers that collect problems another way).
    public static let ignore: CacheWarningHandler = { _ in }
}
