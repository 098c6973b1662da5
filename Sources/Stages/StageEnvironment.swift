import FoundationEssentials
import Glibc
import Secrets

/// What stages may use besides their inputs: things that change how to read inputs, never what they mean.
public struct StageEnvironment: Sendable {
    /// Where age identities for SOPS decryption come from (environment variables, project key files).
    public let environment: [String: String]
    public let ageKeyFiles: [URL]
    /// The clock, for time-limited outputs (client certificates).
    public var now: Date
    /// The identities, read on first use and kept (failure included).
    private let identities = Locked<Result<[AgeIdentity], any Error>?>(nil)
    /// This run's memos (one per environment, and a run makes one environment).
    let memos = StageMemos()

    public init(environment: [String: String], ageKeyFiles: [URL], now: Date) {
        self.environment = environment
        self.ageKeyFiles = ageKeyFiles
        self.now = now
    }

    /// The age identities `environment` and `ageKeyFiles` name, read once per environment (a run reads
    /// the key files once, not once per cluster).
    public func ageIdentities() throws -> [AgeIdentity] {
        try identities.withLock { result in
            let known = result ?? Result { try AgeKeyLocator.identities(environment: environment, extraKeyFiles: ageKeyFiles) }
            result = known
            return try known.get()
        }
    }
}
