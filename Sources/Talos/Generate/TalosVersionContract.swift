import Diagnostics

/// A Talos release's config-generation contract (`pkg/machinery/config/contract.go`): what the generator
/// writes for that release. Every difference between releases is a flag of `features`, nowhere else.
public struct TalosVersionContract: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The releases whose contract is known: Talos's stability goldens cover each of them.
    public static let supported: [TalosVersionContract] = (3...15).map { TalosVersionContract(major: 1, minor: $0) }
    public static var oldest: TalosVersionContract { supported.first! }
    public static var newest: TalosVersionContract { supported.last! }

    /// `v1.12.3`, `1.12`, `v1.12.0-beta.1` → v1.12. A release newer than the newest known one is an error
    /// (its contract may differ in ways this generator does not know), as is one older than v1.3.
    public static func parse(_ version: String) throws -> TalosVersionContract {
        let text = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]),
              let minor = Int(parts[1].prefix { $0.isNumber }), !parts[1].isEmpty,
              parts[1].first!.isNumber else {
            throw Diagnostic.error("error parsing version \"\(version)\": expected vMAJOR.MINOR[.PATCH]")
        }
        let contract = TalosVersionContract(major: major, minor: minor)
        if contract > newest {
            throw Diagnostic.error("unsupported Talos version \"\(version)\": it is newer than \(newest), the newest supported (supported are \(oldest) to \(newest))")
        }
        guard supported.contains(contract) else {
            throw Diagnostic.error("unsupported Talos version \"\(version)\": supported are \(oldest) to \(newest)")
        }
        return contract
    }

    public var description: String { "v\(major).\(minor)" }

    public static func < (a: TalosVersionContract, b: TalosVersionContract) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    /// Upstream's `contract.Greater(TalosVersion1_x)`.
    func greater(than minor: Int) -> Bool { self > TalosVersionContract(major: 1, minor: minor) }

    /// This contract's features.
    var features: ContractFeatures { ContractFeatures(self) }
}

/// What the generator writes for one contract, each flag named as upstream's contract method and set
/// from the same `Greater` comparison, so the releases' differences read side by side.
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
    /// `machine.features.diskQuotaSupport` (from v1.5).
    var diskQuotaSupport: Bool
    /// `machine.features.kubePrism` on port 7445 (from v1.6).
    var kubePrism: Bool
    /// `machine.features.hostDNS` (from v1.7).
    var hostDNS: Bool
    /// `hostDNS.forwardKubeDNSToHost` (from v1.8).
    var hostDNSForwardKubeDNSToHost: Bool
    /// Workers get `cluster.clusterName` (from v1.8).
    var clusterNameForWorkers: Bool
    /// Control planes get the exclude-from-external-load-balancers label (from v1.8).
    var excludeFromExternalLoadBalancerLabel: Bool
    /// From v1.14 the Kubernetes settings, discovery, host DNS, install and sysctls are their own documents
    /// (`KubeClusterConfig`, `KubeletConfig`, `DiscoveryIdentityConfig`, `ResolverConfig`,
    /// `UnattendedInstallConfig`, `SysctlConfig`, …) and the v1alpha1 document keeps only what has no
    /// document yet; an EPHEMERAL `VolumeConfig`, a weekly `FilesystemTrimConfig` and workload isolation
    /// (`SecurityProfileConfig`) are on by default.
    var multidocKubernetes: Bool

    // Features every supported contract (v1.3+) has.
    let podSecurityAdmission = true
    let kubeletSeccompDefault = true
    let kubeletManifestsDirectoryDisabled = true
    let discoveryKubernetesRegistryDisabled = true
    let apiServerAuditPolicy = true
    let secretboxEncryption = true
    let kubePrismPort = 7445

    init(_ contract: TalosVersionContract) {
        rbacAndKeyUsageFeatures = !contract.greater(than: 11)
        stableHostnameFeature = !contract.greater(than: 11)
        disablePodSecurityPolicy = !contract.greater(than: 11)
        endpointHostInAPIServerSANs = !contract.greater(than: 11)
        grubUseUKICmdline = contract.greater(than: 11)
        multidocNetworkConfig = contract.greater(than: 11)
        kubeSpanMultidoc = contract.greater(than: 12)
        diskQuotaSupport = contract.greater(than: 4)
        kubePrism = contract.greater(than: 5)
        hostDNS = contract.greater(than: 6)
        hostDNSForwardKubeDNSToHost = contract.greater(than: 7)
        clusterNameForWorkers = contract.greater(than: 7)
        excludeFromExternalLoadBalancerLabel = contract.greater(than: 7)
        multidocKubernetes = contract.greater(than: 13)
    }
}
