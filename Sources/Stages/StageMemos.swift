import Diagnostics
import Hashing
import Jinja
import Secrets
import Talos
import YAML

/// The memos of one run, shared by every cluster's stages: a template compiled, a rendered file parsed, a
/// secrets bundle decrypted once per run instead of once per cluster and stage. They hang off the run's
/// `StageEnvironment`, so nothing outlives the run and two runs in one process (tests) share nothing.
final class StageMemos: Sendable {
    /// Every cluster of a fleet renders the same templates (a compiled template and its environment are
    /// immutable and shared across threads), keyed by its name, its source and every template it can load.
    let compiledTemplates = RecentResults<Template>(capacity: 16)
    /// A rendered file parsed by render to check it is YAML; genconfig parses the rendered talconfig next,
    /// so it asks here first (same bytes, same name: the same tree).
    let parsedRenders = RecentResults<YAMLNode>(capacity: 8)
    /// A cluster's rendered talconfig is read three times in a regen (the @file references for genconfig's
    /// key, genconfig, talosconfig): parsed once, by folder and content.
    let parsedTalconfigs = RecentResults<(TalhelperConfig, [Diagnostic])>(capacity: 64)
    /// Decrypted, validated secrets bundles, keyed by the encrypted file and the recipients of the age
    /// identities used. admincert and genconfig of one cluster ask at the same moment: the second waits for
    /// the first instead of decrypting again. With a bundle per cluster admincert (no upstream) runs well
    /// ahead of genconfig, so the bound covers the clusters in flight between them (128 bundles ≈ 1 MB).
    /// Plaintext never leaves memory.
    let decryptedSecrets = RecentResults<SecretsBundle>(capacity: 128)
    /// The digest keying a secrets file's stages (`SecretsBundleKey`), by the file's bytes: admincert and
    /// genconfig of a cluster (and clusters sharing a bundle) ask for the same file.
    let bundleDigests = RecentResults<Digest>(capacity: 128)
}
