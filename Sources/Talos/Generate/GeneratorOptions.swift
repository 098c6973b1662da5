/// The options of Talos's config generator (`generate.With…`) that talos-batch supports.
public struct GeneratorOptions: Sendable, Hashable {
    /// Extra API server certificate SANs; also the machine cert SANs unless `machineCertSANs` is set.
    public var additionalSANs: [String] = []
    /// Machine certificate SANs when they differ from `additionalSANs` (talhelper sets them separately).
    public var machineCertSANs: [String]?
    public var allowSchedulingOnControlPlanes = false
    public var dnsDomain = "cluster.local"
    /// Empty leaves the field out, as upstream does when no disk is given.
    public var installDisk = ""
    public var installImage = ""
    public var installExtraKernelArgs: [String] = []
    /// 0 leaves the default (6443) implicit.
    public var localAPIServerPort = 0
    public var sysctls: [String: String] = [:]
    /// A custom CNI manifest URL (`cni: {name: custom, urls: [...]}`).
    public var customCNIURL: String?
    /// Registry host → mirror endpoints.
    public var registryMirrors: [String: [String]] = [:]
    /// Pod and service subnets; nil picks Talos's defaults (IPv6 ones when the endpoint is an IPv6 address).
    public var podSubnets: [String]?
    public var serviceSubnets: [String]?
    public var debug = false
    /// Cluster discovery (`cluster.discovery.enabled`).
    public var discoveryEnabled = true
    /// KubeSpan, when set: `machine.network.kubespan` until v1.12, a `KubeSpanConfig` document from v1.13.
    public var kubeSpanEnabled: Bool?

    public init() {}
}
