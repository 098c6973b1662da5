import Diagnostics

/// A Talos release's config-generation contract (`pkg/machinery/config/contract.go`): what the generator
/// writes for that release. Every difference between releases is a row in `features`, nowhere else.
public struct TalosVersionContract: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let supported: [TalosVersionContract] = (8...13).map { TalosVersionContract(major: 1, minor: $0) }

    /// `v1.12.3`, `1.12`, `v1.12.0-beta.1` → v1.12; errors for anything outside v1.8–v1.13.
    public static func parse(_ version: String) throws -> TalosVersionContract {
        let text = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]),
              let minor = Int(parts[1].prefix { $0.isNumber }), !parts[1].isEmpty,
              parts[1].first!.isNumber else {
            throw Diagnostic.error("error parsing version \"\(version)\": expected vMAJOR.MINOR[.PATCH]")
        }
        let contract = TalosVersionContract(major: major, minor: minor)
        guard supported.contains(contract) else {
            throw Diagnostic.error("unsupported Talos version \"\(version)\": supported are v1.8 to v1.13")
        }
        return contract
    }

    public var description: String { "v\(major).\(minor)" }

    public static func < (a: TalosVersionContract, b: TalosVersionContract) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    /// This contract's row of the feature table.
    var features: ContractFeatures { ContractFeatures.table[self] ?? ContractFeatures.table[Self.supported.last!]! }
}

/// What the generator writes for one contract. Upstream spells these as `contract.Greater(v1.x)` checks;
/// here they are one row per release so the differences can be read side by side.
struct ContractFeatures: Sendable, Hashable {
    /// `machine.features.rbac` and `apidCheckExtKeyUsage` written (hidden from v1.12).
    var rbacAndKeyUsageFeatures: Bool
    /// `machine.features.stableHostname` (until v1.11; later a HostnameConfig document says `auto: stable`).
    var stableHostnameFeature: Bool
    /// `cluster.apiServer.disablePodSecurityPolicy: true` (until v1.11).
    var disablePodSecurityPolicy: Bool
    /// The endpoint's host name leads the API server cert SANs (until v1.11).
    var endpointHostInAPIServerSANs: Bool
    /// `machine.install.grubUseUKICmdline: true` (from v1.12).
    var grubUseUKICmdline: Bool
    /// Registry mirrors as `RegistryMirrorConfig` documents and a `HostnameConfig` document (from v1.12).
    var multidocNetworkConfig: Bool
    /// KubeSpan lives in its own document, so an empty `machine.network` is no longer written (from v1.13).
    var kubeSpanMultidoc: Bool

    // Features every supported contract (v1.8+) has; kept as data so the generator reads no version.
    var podSecurityAdmission = true
    var kubeletSeccompDefault = true
    var kubeletManifestsDirectoryDisabled = true
    var discoveryKubernetesRegistryDisabled = true
    var apiServerAuditPolicy = true
    var secretboxEncryption = true
    var diskQuotaSupport = true
    var kubePrismPort = 7445
    var hostDNSForwardKubeDNSToHost = true
    var clusterNameForWorkers = true
    var excludeFromExternalLoadBalancerLabel = true

    static let table: [TalosVersionContract: ContractFeatures] = {
        let v1_8 = ContractFeatures(rbacAndKeyUsageFeatures: true, stableHostnameFeature: true, disablePodSecurityPolicy: true,
                                    endpointHostInAPIServerSANs: true, grubUseUKICmdline: false, multidocNetworkConfig: false,
                                    kubeSpanMultidoc: false)
        let v1_12 = ContractFeatures(rbacAndKeyUsageFeatures: false, stableHostnameFeature: false, disablePodSecurityPolicy: false,
                                     endpointHostInAPIServerSANs: false, grubUseUKICmdline: true, multidocNetworkConfig: true,
                                     kubeSpanMultidoc: false)
        var v1_13 = v1_12
        v1_13.kubeSpanMultidoc = true
        return [
            TalosVersionContract(major: 1, minor: 8): v1_8,
            TalosVersionContract(major: 1, minor: 9): v1_8,
            TalosVersionContract(major: 1, minor: 10): v1_8,
            TalosVersionContract(major: 1, minor: 11): v1_8,
            TalosVersionContract(major: 1, minor: 12): v1_12,
            TalosVersionContract(major: 1, minor: 13): v1_13,
        ]
    }()
}
