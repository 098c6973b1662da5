import FoundationEssentials
import Glibc
import Diagnostics
import SystemKit
import YAML

/// The documents Talos's generator writes beside the v1alpha1 one from v1.14 (`generate/init.go`,
/// `worker.go`, `block.go`, `security_profile.go`, `kubernetes.go`), each in upstream's order.
extension ConfigGenerator {
    /// Discovery, install, host DNS, sysctls, EPHEMERAL volume, trim and security profile: what comes before
    /// the registry and network documents.
    func machineDocuments(features: ContractFeatures) throws -> [YAMLNode] {
        guard features.multidocKubernetes else { return [] }
        var documents: [YAMLNode] = []
        if options.discoveryEnabled {
            documents.append(Self.document("DiscoveryServiceConfig", [
                YAMLPair("name", .string("default")),
                YAMLPair("endpoint", .string("https://discovery.talos.dev/")),
            ]))
        }
        documents.append(Self.document("DiscoveryIdentityConfig", [
            YAMLPair("clusterID", .string(secrets.clusterID)),
            YAMLPair("clusterSecret", .string(secrets.clusterSecret)),
        ]))
        if !options.installDisk.isEmpty {
            var installer: [YAMLPair] = []
            if !options.installImage.isEmpty { installer.append(YAMLPair("image", .string(options.installImage))) }
            documents.append(Self.document("UnattendedInstallConfig", [
                YAMLPair("installer", .mapping(installer)),
                YAMLPair("provisioning", .mapping([
                    YAMLPair("diskSelector", .mapping([
                        YAMLPair("match", .string("disk.dev_path == \(Self.goQuoted(options.installDisk))")),
                    ])),
                    YAMLPair("wipe", .bool(false)),
                ])),
            ]))
        }
        if features.hostDNS {
            var hostDNS = [YAMLPair("enabled", .bool(true))]
            if features.hostDNSForwardKubeDNSToHost { hostDNS.append(YAMLPair("forwardKubeDNSToHost", .bool(true))) }
            documents.append(Self.document("ResolverConfig", [YAMLPair("hostDNS", .mapping(hostDNS))]))
        }
        if !options.sysctls.isEmpty {
            documents.append(Self.document("SysctlConfig", [
                YAMLPair("params", .mapping(options.sysctls.map { YAMLPair($0.key, .string($0.value)) })),
            ]))
        }
        documents.append(Self.document("VolumeConfig", [
            YAMLPair("name", .string("EPHEMERAL")),
            YAMLPair("mount", .mapping([YAMLPair("secure", .bool(true))])),
        ]))
        documents.append(Self.document("FilesystemTrimConfig", [YAMLPair("interval", .string("168h0m0s"))]))
        documents.append(Self.document("SecurityProfileConfig", [YAMLPair("workloadIsolation", .bool(true))]))
        return documents
    }

    /// The Kubernetes documents every node has (`generateKubernetesUniversalConfigs`), then the control
    /// plane's own (`generateKubernetesControlplaneConfigs`).
    func kubernetesDocuments(_ type: MachineType, kubernetes k8s: String, features: ContractFeatures) throws -> [YAMLNode] {
        guard features.multidocKubernetes else { return [] }
        let controlPlane = type == .controlplane
        var labels: [YAMLPair] = []
        var node: [YAMLPair] = [YAMLPair("nodeIP", .mapping([]))]
        if controlPlane {
            labels.append(YAMLPair("node-role.kubernetes.io/control-plane", .string("")))
            if features.excludeFromExternalLoadBalancerLabel {
                labels.append(YAMLPair("node.kubernetes.io/exclude-from-external-load-balancers", .string("")))
            }
            node.append(YAMLPair("labels", .mapping(labels)))
            if !options.allowSchedulingOnControlPlanes {
                node.append(YAMLPair("taints", .mapping([YAMLPair("node-role.kubernetes.io/control-plane", .string("NoSchedule"))])))
            }
        }
        let k8sCA = try Self.pem(secrets.k8s.crt, "the Kubernetes CA certificate")
        var documents: [YAMLNode] = [
            Self.document("KubeClusterConfig", [
                YAMLPair("clusterName", .string(clusterName)),
                YAMLPair("endpoint", .string(endpoint)),
            ]),
            Self.document("KubeNodeConfig", node),
            Self.document("KubeletConfig", [
                YAMLPair("image", .string("ghcr.io/siderolabs/kubelet:v\(k8s)")),
                YAMLPair("config", .mapping([])),
                YAMLPair("defaultRuntimeSeccompProfileEnabled", .bool(true)),
            ]),
            Self.document("KubeNetworkConfig", [
                YAMLPair("dnsDomain", .string(options.dnsDomain)),
                YAMLPair("podSubnets", .strings(podSubnets)),
                YAMLPair("serviceSubnets", .strings(serviceSubnets)),
            ]),
            Self.document("KubeAPIServerCAConfig", controlPlane
                ? [YAMLPair("issuingCA", .mapping([
                    YAMLPair("cert", .string(k8sCA)),
                    YAMLPair("key", .string(try Self.pem(secrets.k8s.key, "the Kubernetes CA key"))),
                ]))]
                : [YAMLPair("acceptedCAs", .strings([k8sCA]))]),
            Self.document("KubePrismConfig", [YAMLPair("port", .int(features.kubePrismPort))]),
        ]
        guard controlPlane else { return documents }

        documents.append(Self.document("KubeAggregatorCAConfig", [YAMLPair("issuingCA", .mapping([
            YAMLPair("cert", .string(try Self.pem(secrets.k8sAggregator.crt, "the aggregator CA certificate"))),
            YAMLPair("key", .string(try Self.pem(secrets.k8sAggregator.key, "the aggregator CA key"))),
        ]))]))
        documents.append(Self.document("KubeAdmissionControlConfig", [
            YAMLPair("name", .string("PodSecurity")),
            YAMLPair("configuration", Self.podSecurityConfiguration),
        ]))
        documents.append(Self.document("KubeAuditPolicyConfig", [YAMLPair("configuration", Self.defaultAuditPolicy)]))
        documents.append(Self.document("KubeAuthenticationConfig", [YAMLPair("configuration", Self.defaultAuthentication)]))
        documents.append(Self.document("KubeAuthorizerConfig", [YAMLPair("name", .string("node")), YAMLPair("type", .string("Node"))]))
        documents.append(Self.document("KubeAuthorizerConfig", [YAMLPair("name", .string("rbac")), YAMLPair("type", .string("RBAC"))]))
        var providers: [YAMLNode] = []
        for (name, secret) in [("key2", secrets.secretboxEncryptionSecret), ("key1", secrets.aescbcEncryptionSecret)] {
            guard let secret, !secret.isEmpty else { continue }
            providers.append(.mapping([YAMLPair("secretbox", .mapping([YAMLPair("keys", .sequence([.mapping([
                YAMLPair("name", .string(name)), YAMLPair("secret", .string(secret)),
            ])]))]))]))
        }
        documents.append(Self.document("KubeEtcdEncryptionConfig", [YAMLPair("config", .mapping([
            YAMLPair("resources", .sequence([.mapping([
                YAMLPair("providers", .sequence(providers)),
                YAMLPair("resources", .strings(["secrets"])),
            ])])),
        ]))]))
        documents.append(Self.document("KubeServiceAccountConfig", [YAMLPair("issuer", .mapping([
            YAMLPair("privateKey", .string(try Self.pem(secrets.k8sServiceAccountKey, "the service account key"))),
            YAMLPair("issuerURL", .string(endpoint)),
        ]))]))
        var apiServer = [YAMLPair("image", .string("registry.k8s.io/kube-apiserver:v\(k8s)"))]
        if options.localAPIServerPort != 0 { apiServer.append(YAMLPair("apiPort", .int(options.localAPIServerPort))) }
        if !options.additionalSANs.isEmpty { apiServer.append(YAMLPair("certExtraSANs", .strings(options.additionalSANs))) }
        documents.append(Self.document("KubeAPIServerConfig", apiServer))
        documents.append(Self.document("KubeControllerManagerConfig", [YAMLPair("image", .string("registry.k8s.io/kube-controller-manager:v\(k8s)"))]))
        documents.append(Self.document("KubeSchedulerConfig", [
            YAMLPair("image", .string("registry.k8s.io/kube-scheduler:v\(k8s)")), YAMLPair("config", .mapping([])),
        ]))
        documents.append(Self.document("KubeProxyConfig", [
            YAMLPair("image", .string("registry.k8s.io/kube-proxy:v\(k8s)")), YAMLPair("config", .mapping([])),
        ]))
        let customCNI = options.customCNIURL.flatMap { $0.isEmpty ? nil : $0 }
        if customCNI == nil {
            documents.append(Self.document("KubeFlannelCNIConfig", [
                YAMLPair("backendType", .string("vxlan")), YAMLPair("backendPort", .int(4789)),
            ]))
        }
        documents.append(Self.document("KubeCoreDNSConfig", [YAMLPair("enabled", .bool(true))]))
        if let customCNI {
            documents.append(Self.document("KubeExternalManifestConfig", [
                YAMLPair("name", .string("custom-cni")), YAMLPair("url", .string(customCNI)),
            ]))
        }
        return documents
    }

    /// Kubernetes' structured authentication defaults Talos ships (anonymous access to health endpoints only).
    static let defaultAuthentication: YAMLNode = .mapping([
        YAMLPair("anonymous", .mapping([
            YAMLPair("conditions", .sequence(["/livez", "/readyz", "/healthz"].map { .mapping([YAMLPair("path", .string($0))]) })),
            YAMLPair("enabled", .bool(true)),
        ])),
        YAMLPair("jwt", .sequence([])),
    ])

    static func document(_ kind: String, _ fields: [YAMLPair]) -> YAMLNode {
        .mapping([YAMLPair("apiVersion", .string("v1alpha1")), YAMLPair("kind", .string(kind))] + fields)
    }

    /// The multi-document types hold PEM text where the v1alpha1 document holds it base64-encoded.
    static func pem(_ base64: String, _ what: String) throws -> String {
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic.error("secrets bundle: \(what) is not base64-encoded PEM")
        }
        return text
    }

    /// Go's `%q` for the strings a disk path can hold.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(cFormat: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
