import FoundationEssentials
import Glibc
import YAML

/// A talosctl client config (`talosconfig`) as Talos's client package writes it (yaml.v3, 4-space indent).
public struct Talosconfig: Sendable, Hashable {
    public var context: String
    public var endpoints: [String]
    public var nodes: [String]
    /// The OS CA certificate, base64 of PEM (as the secrets bundle holds it).
    public var caBase64: String
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(context: String, endpoints: [String], nodes: [String], caBase64: String,
                certificatePEM: String, privateKeyPEM: String) {
        self.context = context
        self.endpoints = endpoints
        self.nodes = nodes
        self.caBase64 = caBase64
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    public func encoded() -> String {
        var entry = [YAMLPair("endpoints", .strings(endpoints))]
        if !nodes.isEmpty { entry.append(YAMLPair("nodes", .strings(nodes))) }
        entry.append(YAMLPair("ca", .string(caBase64)))
        entry.append(YAMLPair("crt", .string(Data(certificatePEM.utf8).base64EncodedString())))
        entry.append(YAMLPair("key", .string(Data(privateKeyPEM.utf8).base64EncodedString())))
        let root = YAMLNode.mapping([
            YAMLPair("context", .string(context)),
            YAMLPair("contexts", .mapping([YAMLPair(context, .mapping(entry))])),
        ])
        return YAMLEmitter(indent: 4).emit(root)
    }

    /// talhelper's talosconfig for a cluster: endpoints are the control planes' addresses, nodes all nodes'.
    public static func forCluster(_ config: TalhelperConfig, caBase64: String, certificatePEM: String,
                                  privateKeyPEM: String) -> Talosconfig {
        Talosconfig(context: config.clusterName,
                    endpoints: config.nodes.filter(\.controlPlane).flatMap(\.ipAddresses),
                    nodes: config.nodes.flatMap(\.ipAddresses),
                    caBase64: caBase64, certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
    }

    /// The admin certificate talosconfig carries: O=os:admin, valid one year (talhelper's default TTL).
    public static let adminOrganization = "os:admin"
    public static let adminValidity: TimeInterval = 365 * 24 * 60 * 60
}
