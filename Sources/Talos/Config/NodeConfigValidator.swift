import Diagnostics
import YAML

/// `talosctl validate` / talhelper's `validate nodeconfig` for a machine-config file: every document
/// checked against its Talos type (unknown fields, wrong types, unknown kinds), then the semantic checks
/// Talos makes for the runtime mode, each at the `file:line:col` of the value at fault.
public enum NodeConfigValidator {
    public enum Mode: String, Sendable, CaseIterable {
        case metal, cloud, container
    }

    public static func validate(_ bytes: [UInt8], file: String, mode: Mode) -> [Diagnostic] {
        let documents: [YAMLNode]
        do {
            documents = try YAML.parseStream(bytes, file: file).filter { !$0.isNull }
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            return [.error("\(error)", at: SourceLocation(file: file, line: 1, column: 1))]
        }
        var errors: [Diagnostic] = []
        for document in documents {
            do {
                _ = try ConfigEncoding.canonical(document: document)
            } catch let diagnostic as Diagnostic {
                errors.append(diagnostic)
            } catch let list as DiagnosticList {
                errors += list.diagnostics
            } catch {
                errors.append(.error("\(error)", at: document.location))
            }
        }
        guard errors.isEmpty else { return errors }
        let kinds = Set(documents.compactMap { $0.string("kind") })
        guard let config = documents.first(where: { $0["kind"] == nil }) else {
            if mode == .metal && !kinds.contains("UnattendedInstallConfig") {
                errors.append(.error("install instructions are required in metal mode", at: documents.first?.location))
            }
            return errors
        }
        let machine = config["machine"]
        let type = machine?.string("type") ?? ""
        if !["controlplane", "worker", "init"].contains(type) {
            errors.append(.error("machine.type: unknown machine type \"\(type)\" (expected controlplane, worker or init)",
                                 at: machine?["type"]?.location ?? config.location))
        }
        if let devices = machine?["network"]?["interfaces"]?.sequenceItems, !devices.isEmpty {
            errors += NetworkDeviceChecks.checkMachineConfig(devices, field: "machine.network.interfaces")
            // Talos: a shared IP moves between control planes only.
            if type == "worker" {
                for device in devices {
                    for vip in [device["vip"]] + (device["vlans"]?.sequenceItems ?? []).map({ $0["vip"] }) {
                        if let vip, !vip.isNull {
                            errors.append(.error("machine.network.interfaces: virtual (shared) IP is not allowed on non-controlplane nodes",
                                                 at: vip.location))
                        }
                    }
                }
            }
        }
        if !kinds.contains("KubeClusterConfig") {
            let endpoint = config["cluster"]?["controlPlane"]?["endpoint"]
            if let text = endpoint?.scalar?.text, !text.isEmpty {
                if (try? EndpointURL(text)) == nil {
                    errors.append(.error("cluster.controlPlane.endpoint: invalid URL \"\(text)\"", at: endpoint?.location))
                }
            } else {
                errors.append(.error("cluster.controlPlane.endpoint is required", at: config["cluster"]?.location ?? config.location))
            }
        }
        if mode == .metal && !kinds.contains("UnattendedInstallConfig") {
            let install = machine?["install"]
            if install == nil || install!.isNull {
                errors.append(.error("install instructions are required in metal mode", at: machine?.location ?? config.location))
            } else if (install?.string("disk") ?? "").isEmpty && (install?["diskSelector"]?.mappingPairs ?? []).isEmpty {
                errors.append(.error("machine.install: either install disk or diskSelector should be defined", at: install?.location))
            }
        }
        if let install = machine?["install"], !(install["extraKernelArgs"]?.sequenceItems ?? []).isEmpty,
           install.string("grubUseUKICmdline") == "true" {
            errors.append(.error("machine.install: install.extraKernelArgs and install.grubUseUKICmdline can't be used together",
                                 at: install["extraKernelArgs"]?.location))
        }
        return errors
    }
}
