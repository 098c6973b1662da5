import Diagnostics
import Secrets
import YAML

/// Talos's machine-config generator (`pkg/machinery/config/generate`): cluster name, endpoint,
/// Kubernetes version, secrets and options in, a controlplane or worker `MachineConfig` out.
public struct ConfigGenerator: Sendable {
    public var clusterName: String
    /// The control plane endpoint URL, e.g. `https://10.0.0.10:6443`.
    public var endpoint: String
    /// With or without a leading `v`.
    public var kubernetesVersion: String
    public var secrets: SecretsBundle
    public var contract: TalosVersionContract
    public var options: GeneratorOptions

    public init(clusterName: String, endpoint: String, kubernetesVersion: String, secrets: SecretsBundle,
                contract: TalosVersionContract, options: GeneratorOptions = GeneratorOptions()) {
        self.clusterName = clusterName
        self.endpoint = endpoint
        self.kubernetesVersion = kubernetesVersion
        self.secrets = secrets
        self.contract = contract
        self.options = options
    }

    public static let defaultIPv4PodSubnet = "10.244.0.0/16"
    public static let defaultIPv4ServiceSubnet = "10.96.0.0/12"
    public static let defaultIPv6PodSubnet = "fc00:db8:10::/56"
    public static let defaultIPv6ServiceSubnet = "fc00:db8:20::/112"

    public func generate(_ type: MachineType) throws -> MachineConfig {
        let k8s = kubernetesVersion.hasPrefix("v") ? String(kubernetesVersion.dropFirst()) : kubernetesVersion
        guard !k8s.isEmpty else { throw Diagnostic.error("kubernetes version must be specified") }
        let features = contract.features
        let controlPlane = type == .controlplane

        // Upstream's order: v1alpha1, the v1.14+ machine documents, registries, network, Kubernetes.
        var documents = [try v1alpha1Document(type, kubernetes: k8s, features: features, controlPlane: controlPlane)]
        documents += try machineDocuments(features: features)
        if features.multidocNetworkConfig {
            documents += registryMirrorDocuments()
            documents.append(.mapping([
                YAMLPair("apiVersion", .string("v1alpha1")),
                YAMLPair("kind", .string("HostnameConfig")),
                YAMLPair("auto", .string("stable")),
            ]))
        }
        if features.kubeSpanMultidoc, let kubeSpan = options.kubeSpanEnabled {
            documents.append(.mapping([
                YAMLPair("apiVersion", .string("v1alpha1")),
                YAMLPair("kind", .string("KubeSpanConfig")),
                YAMLPair("enabled", .bool(kubeSpan)),
            ]))
        }
        documents += try kubernetesDocuments(type, kubernetes: k8s, features: features)
        return try MachineConfig(documents: documents)
    }

    // MARK: - The v1alpha1 document

    var podSubnets: [String] {
        options.podSubnets ?? [IPAddressSyntax.isIPv6(endpoint) ? Self.defaultIPv6PodSubnet : Self.defaultIPv4PodSubnet]
    }

    var serviceSubnets: [String] {
        options.serviceSubnets ?? [IPAddressSyntax.isIPv6(endpoint) ? Self.defaultIPv6ServiceSubnet : Self.defaultIPv4ServiceSubnet]
    }

    /// From v1.14 (`multidocKubernetes`) most of this document moved to documents of their own; what stays
    /// is the machine's identity, CA, cert SANs and disk quota, and the cluster's token and etcd CA.
    private func v1alpha1Document(_ type: MachineType, kubernetes k8s: String, features: ContractFeatures,
                                  controlPlane: Bool) throws -> YAMLNode {
        let endpointURL = try EndpointURL(endpoint)
        let legacy = !features.multidocKubernetes
        var machine = Mapping()
        machine["type"] = .string(type.rawValue)
        machine["token"] = .string(secrets.trustdToken)
        machine["ca"] = certAndKey(secrets.os, withKey: controlPlane)
        machine["certSANs"] = .strings(options.machineCertSANs ?? options.additionalSANs)
        if legacy {
            var kubelet = Mapping()
            kubelet["image"] = .string("ghcr.io/siderolabs/kubelet:v\(k8s)")
            if features.kubeletSeccompDefault { kubelet["defaultRuntimeSeccompProfileEnabled"] = .bool(true) }
            if features.kubeletManifestsDirectoryDisabled { kubelet["disableManifestsDirectory"] = .bool(true) }
            machine["kubelet"] = kubelet.node
        }
        if !features.kubeSpanMultidoc {
            var network: [YAMLPair] = []
            if let kubeSpan = options.kubeSpanEnabled { network.append(YAMLPair("kubespan", .mapping([YAMLPair("enabled", .bool(kubeSpan))]))) }
            machine["network"] = .mapping(network)
        }
        if legacy {
            var install = Mapping()
            if !options.installDisk.isEmpty { install["disk"] = .string(options.installDisk) }
            if !options.installImage.isEmpty { install["image"] = .string(options.installImage) }
            install["wipe"] = .bool(false)
            if !options.installExtraKernelArgs.isEmpty { install["extraKernelArgs"] = .strings(options.installExtraKernelArgs) }
            if features.grubUseUKICmdline { install["grubUseUKICmdline"] = .bool(true) }
            machine["install"] = install.node
            if !options.sysctls.isEmpty {
                machine["sysctls"] = .mapping(options.sysctls.map { YAMLPair($0.key, .string($0.value)) })
            }
        }
        if !features.multidocNetworkConfig && !options.registryMirrors.isEmpty {
            machine["registries"] = .mapping([YAMLPair("mirrors", .mapping(options.registryMirrors.map {
                YAMLPair($0.key, .mapping([YAMLPair("endpoints", .strings($0.value))]))
            }))])
        }
        var machineFeatures = Mapping()
        if features.rbacAndKeyUsageFeatures {
            machineFeatures["rbac"] = .bool(true)
            machineFeatures["apidCheckExtKeyUsage"] = .bool(true)
        }
        if features.stableHostnameFeature { machineFeatures["stableHostname"] = .bool(true) }
        if features.diskQuotaSupport { machineFeatures["diskQuotaSupport"] = .bool(true) }
        if legacy && features.kubePrism {
            machineFeatures["kubePrism"] = .mapping([YAMLPair("enabled", .bool(true)), YAMLPair("port", .int(features.kubePrismPort))])
        }
        if legacy && features.hostDNS {
            var hostDNS = [YAMLPair("enabled", .bool(true))]
            if features.hostDNSForwardKubeDNSToHost { hostDNS.append(YAMLPair("forwardKubeDNSToHost", .bool(true))) }
            machineFeatures["hostDNS"] = .mapping(hostDNS)
        }
        machine["features"] = machineFeatures.node
        if legacy && controlPlane && features.excludeFromExternalLoadBalancerLabel {
            machine["nodeLabels"] = .mapping([YAMLPair("node.kubernetes.io/exclude-from-external-load-balancers", .string(""))])
        }

        var cluster = Mapping()
        cluster["token"] = .string(secrets.bootstrapToken)
        if controlPlane { cluster["etcd"] = .mapping([YAMLPair("ca", certAndKey(secrets.etcd, withKey: true))]) }
        guard legacy else {
            return versionedDocument(machine: machine, cluster: cluster)
        }
        cluster["id"] = .string(secrets.clusterID)
        cluster["secret"] = .string(secrets.clusterSecret)
        var controlPlaneConfig = Mapping()
        controlPlaneConfig["endpoint"] = .string(endpoint)
        if controlPlane && options.localAPIServerPort != 0 {
            controlPlaneConfig["localAPIServerPort"] = .int(options.localAPIServerPort)
        }
        cluster["controlPlane"] = controlPlaneConfig.node
        if controlPlane || features.clusterNameForWorkers { cluster["clusterName"] = .string(clusterName) }
        var network = Mapping()
        network["dnsDomain"] = .string(options.dnsDomain)
        network["podSubnets"] = .strings(podSubnets)
        network["serviceSubnets"] = .strings(serviceSubnets)
        if let cni = options.customCNIURL, !cni.isEmpty {
            network["cni"] = .mapping([YAMLPair("name", .string("custom")), YAMLPair("urls", .strings([cni]))])
        }
        cluster["network"] = network.node
        cluster["ca"] = certAndKey(secrets.k8s, withKey: controlPlane)
        if controlPlane {
            if features.secretboxEncryption, let secretbox = secrets.secretboxEncryptionSecret {
                cluster["secretboxEncryptionSecret"] = .string(secretbox)
            }
            cluster["aggregatorCA"] = certAndKey(secrets.k8sAggregator, withKey: true)
            cluster["serviceAccount"] = .mapping([YAMLPair("key", .string(secrets.k8sServiceAccountKey))])
            cluster["apiServer"] = apiServer(kubernetes: k8s, endpointHost: endpointURL.hostname, features: features)
            cluster["controllerManager"] = image("registry.k8s.io/kube-controller-manager:v\(k8s)")
            cluster["proxy"] = image("registry.k8s.io/kube-proxy:v\(k8s)")
            cluster["scheduler"] = image("registry.k8s.io/kube-scheduler:v\(k8s)")
            if options.allowSchedulingOnControlPlanes { cluster["allowSchedulingOnControlPlanes"] = .bool(true) }
        }
        var discovery = Mapping()
        discovery["enabled"] = .bool(options.discoveryEnabled)
        if features.discoveryKubernetesRegistryDisabled {
            discovery["registries"] = .mapping([YAMLPair("kubernetes", .mapping([YAMLPair("disabled", .bool(true))]))])
        }
        cluster["discovery"] = discovery.node

        return versionedDocument(machine: machine, cluster: cluster)
    }

    /// The v1alpha1 document around its machine and cluster sections (legacy contracts fill in more of both).
    private func versionedDocument(machine: Mapping, cluster: Mapping) -> YAMLNode {
        .mapping([
            YAMLPair("version", .string("v1alpha1")),
            YAMLPair("debug", .bool(options.debug)),
            YAMLPair("persist", .bool(true)),
            YAMLPair("machine", machine.node),
            YAMLPair("cluster", cluster.node),
        ])
    }

    private func apiServer(kubernetes k8s: String, endpointHost: String, features: ContractFeatures) -> YAMLNode {
        var sans: [String] = []
        if features.endpointHostInAPIServerSANs { sans.append(endpointHost) }
        sans += options.additionalSANs
        var apiServer = Mapping()
        apiServer["image"] = .string("registry.k8s.io/kube-apiserver:v\(k8s)")
        apiServer["certSANs"] = .strings(sans)
        if features.disablePodSecurityPolicy { apiServer["disablePodSecurityPolicy"] = .bool(true) }
        if features.podSecurityAdmission {
            apiServer["admissionControl"] = .sequence([.mapping([
                YAMLPair("name", .string("PodSecurity")),
                YAMLPair("configuration", Self.podSecurityConfiguration),
            ])])
        }
        if features.apiServerAuditPolicy { apiServer["auditPolicy"] = Self.defaultAuditPolicy }
        return apiServer.node
    }

    /// Kubernetes' Pod Security admission defaults Talos ships.
    static let podSecurityConfiguration: YAMLNode = .mapping([
        YAMLPair("apiVersion", .string("pod-security.admission.config.k8s.io/v1alpha1")),
        YAMLPair("kind", .string("PodSecurityConfiguration")),
        YAMLPair("defaults", .mapping([
            YAMLPair("enforce", .string("baseline")),
            YAMLPair("enforce-version", .string("latest")),
            YAMLPair("audit", .string("restricted")),
            YAMLPair("audit-version", .string("latest")),
            YAMLPair("warn", .string("restricted")),
            YAMLPair("warn-version", .string("latest")),
        ])),
        YAMLPair("exemptions", .mapping([
            YAMLPair("usernames", .sequence([])),
            YAMLPair("runtimeClasses", .sequence([])),
            YAMLPair("namespaces", .strings(["kube-system"])),
        ])),
    ])

    static let defaultAuditPolicy: YAMLNode = .mapping([
        YAMLPair("apiVersion", .string("audit.k8s.io/v1")),
        YAMLPair("kind", .string("Policy")),
        YAMLPair("rules", .sequence([.mapping([YAMLPair("level", .string("Metadata"))])])),
    ])

    /// One `RegistryMirrorConfig` per host, ordered by name as upstream sorts them.
    private func registryMirrorDocuments() -> [YAMLNode] {
        options.registryMirrors.keys.sorted().map { host in
            .mapping([
                YAMLPair("apiVersion", .string("v1alpha1")),
                YAMLPair("kind", .string("RegistryMirrorConfig")),
                YAMLPair("name", .string(host)),
                YAMLPair("endpoints", .sequence(options.registryMirrors[host]!.map { .mapping([YAMLPair("url", .string($0))]) })),
            ])
        }
    }

    private func certAndKey(_ pair: SecretsBundle.CertAndKey, withKey: Bool) -> YAMLNode {
        var pairs = [YAMLPair("crt", .string(pair.crt))]
        if withKey { pairs.append(YAMLPair("key", .string(pair.key))) }
        return .mapping(pairs)
    }

    private func image(_ reference: String) -> YAMLNode { .mapping([YAMLPair("image", .string(reference))]) }
}

/// An ordered mapping under construction (field order does not matter: encoding puts fields in Talos's order).
private struct Mapping {
    private var pairs: [YAMLPair] = []

    subscript(key: String) -> YAMLNode? {
        get { pairs.first { $0.key.scalar?.text == key }?.value }
        set {
            pairs.removeAll { $0.key.scalar?.text == key }
            if let newValue { pairs.append(YAMLPair(key, newValue)) }
        }
    }

    var node: YAMLNode { .mapping(pairs) }
}
