import Diagnostics
import FoundationEssentials
import Glibc

/// Makes a new secrets bundle as Talos' `gen secrets` does for a given Talos version: CAs valid ten years,
/// random 128-bit serials, ids, secrets and tokens from the OS CSPRNG.
public enum SecretsBundleGenerator {
    /// The Talos version assumed when none is given.
    public static let defaultTalosVersion = "v1.12"

    /// Parses `v1.7`, `1.7.3`, `v1.10.0-beta.1` into (major, minor).
    public static func parseTalosVersion(_ text: String) throws -> (major: Int, minor: Int) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]),
              let minor = Int(parts[1].prefix { $0.isNumber }), !parts[1].isEmpty, major >= 1
        else { throw Diagnostic.error("invalid Talos version '\(text)' (expected e.g. v1.12 or 1.11.3)") }
        return (major, minor)
    }

    public static func generate(talosVersion: String = defaultTalosVersion, now: Date = Date()) throws -> SecretsBundle {
        try generate(talosVersion: talosVersion, now: now, rsaServiceAccountKeyAllowed: true)
    }

    /// A SOPS-encrypted bundle for a benchmark fleet: every key, id, token, serial, signature nonce and IV
    /// comes from a stream seeded by `seed`, so one seed always gives the same bytes. The service-account
    /// key is P-256 (what Talos made before v1.7): a 4096-bit RSA key costs about a second to find, which
    /// 10,000 clusters cannot afford. Never for a real cluster: anyone with the seed has the keys.
    public static func benchmarkBundle(seed: [UInt8], talosVersion: String = defaultTalosVersion, now: Date,
                                       recipients: [AgeRecipient]) throws -> String {
        try SeededRandomStream.$current.withValue(SeededRandomStream(seed: seed)) {
            let bundle = try generate(talosVersion: talosVersion, now: now, rsaServiceAccountKeyAllowed: false)
            return try SOPSFile.encrypt(bundle.encoded(), recipients: recipients, now: now)
        }
    }

    static func generate(talosVersion: String, now: Date, rsaServiceAccountKeyAllowed: Bool) throws -> SecretsBundle {
        let version = try parseTalosVersion(talosVersion)
        // Talos 1.7 switched the service-account key to RSA and 1.3 the etcd encryption to secretbox.
        let rsaServiceAccount = rsaServiceAccountKeyAllowed && (version.major > 1 || version.minor >= 7)
        let secretbox = version.major > 1 || version.minor >= 3
        let notAfter = now.addingTimeInterval(87_600 * 3600)

        func authority(_ algorithm: X509Key.Algorithm, organization: String?) throws -> SecretsBundle.CertAndKey {
            let key = try X509Key.generate(algorithm)
            let cert = try X509Certificate.create(profile: .certificateAuthority, organizations: organization.map { [$0] } ?? [],
                                                  commonName: nil, publicKeyOf: key, issuer: nil, signingKey: key,
                                                  notBefore: now, notAfter: notAfter)
            return SecretsBundle.CertAndKey(crt: try cert.pem().base64EncodedUTF8, key: try key.pem().base64EncodedUTF8)
        }
        let encryptionSecret = Base64.encode(try LibCrypto.randomBytes(32))
        return SecretsBundle(
            clusterID: urlSafe(Base64.encode(try LibCrypto.randomBytes(32))),
            clusterSecret: Base64.encode(try LibCrypto.randomBytes(32)),
            bootstrapToken: try token(),
            secretboxEncryptionSecret: secretbox ? encryptionSecret : nil,
            aescbcEncryptionSecret: secretbox ? nil : encryptionSecret,
            trustdToken: try token(),
            etcd: try authority(.ecdsaP256, organization: "etcd"),
            k8s: try authority(.ecdsaP256, organization: "kubernetes"),
            k8sAggregator: try authority(.ecdsaP256, organization: nil),
            k8sServiceAccountKey: try X509Key.generate(rsaServiceAccount ? .rsa : .ecdsaP256).pem().base64EncodedUTF8,
            os: try authority(.ed25519, organization: "talos"))
    }

    /// Talos encodes the cluster id with base64's URL alphabet (padded).
    static func urlSafe(_ standard: String) -> String {
        String(standard.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// `[a-z0-9]{6}.[a-z0-9]{16}`, uniform over the alphabet (rejection sampling, no modulo bias).
    static func token() throws -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var chars: [Character] = []
        while chars.count < 22 {
            for byte in try LibCrypto.randomBytes(32) where byte < 252 && chars.count < 22 {
                chars.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(chars[0..<6]) + "." + String(chars[6..<22])
    }
}
