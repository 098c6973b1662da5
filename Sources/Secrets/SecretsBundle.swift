/// A Talos secrets bundle in talhelper's `talsecret.yaml` shape.
///
/// Certificates and keys stay exactly as the file holds them (base64 of PEM), because the machine
/// configs embed those strings verbatim; `SecretsBundle` parsing and validation check that they decode.
public struct SecretsBundle: Sendable, Hashable {
    /// A CA certificate and its private key, each base64-encoded PEM.
    public struct CertAndKey: Sendable, Hashable {
        public var crt: String
        public var key: String

        public init(crt: String, key: String) {
            self.crt = crt
            self.key = key
        }
    }

    public var clusterID: String
    public var clusterSecret: String
    public var bootstrapToken: String
    /// Exactly one of the two encryption secrets is set.
    public var secretboxEncryptionSecret: String?
    public var aescbcEncryptionSecret: String?
    public var trustdToken: String
    public var etcd: CertAndKey
    public var k8s: CertAndKey
    public var k8sAggregator: CertAndKey
    /// The service-account signing key (base64 PEM); no certificate.
    public var k8sServiceAccountKey: String
    public var os: CertAndKey

    public init(clusterID: String, clusterSecret: String, bootstrapToken: String,
                secretboxEncryptionSecret: String?, aescbcEncryptionSecret: String?, trustdToken: String,
                etcd: CertAndKey, k8s: CertAndKey, k8sAggregator: CertAndKey, k8sServiceAccountKey: String,
                os: CertAndKey) {
        self.clusterID = clusterID
        self.clusterSecret = clusterSecret
        self.bootstrapToken = bootstrapToken
        self.secretboxEncryptionSecret = secretboxEncryptionSecret
        self.aescbcEncryptionSecret = aescbcEncryptionSecret
        self.trustdToken = trustdToken
        self.etcd = etcd
        self.k8s = k8s
        self.k8sAggregator = k8sAggregator
        self.k8sServiceAccountKey = k8sServiceAccountKey
        self.os = os
    }
}
