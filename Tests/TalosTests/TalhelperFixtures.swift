import Foundation
@testable import Talos
import Secrets

/// A small talconfig used across the talhelper tests.
enum TalhelperFixtures {
    static func talconfig(talosVersion: String = "v1.11.6", kubernetesVersion: String = "v1.31.1", extraTop: String = "",
                          extraNode: String = "", interfaces: Bool = true, nodePatch: Bool = true) -> String {
        """
        clusterName: home
        talosVersion: \(talosVersion)
        kubernetesVersion: \(kubernetesVersion)
        endpoint: https://10.0.0.10:6443
        domain: home.arpa
        allowSchedulingOnControlPlanes: true
        additionalApiServerCertSans:
          - k8s.home.arpa
        clusterPodNets:
          - 10.42.0.0/16
        clusterSvcNets:
          - 10.43.0.0/16
        \(extraTop)
        controlPlane:
          certSANs:
            - cp.home.arpa
          patches:
            - |-
              machine:
                sysctls:
                  net.core.somaxconn: "65535"
          nodeLabels:
            role: control
        worker:
          nodeTaints:
            dedicated: "gpu:NoSchedule"
        nodes:
          - hostname: cp1
            ipAddress: 10.0.0.11
            controlPlane: true
            installDisk: /dev/sda
            certSANs:
              - cp1.home.arpa
            nameservers:
              - 1.1.1.1
        \(interfaces ? interfacesBlock : "")
        \(nodePatch ? nodePatchBlock : "")
        \(extraNode)
          - hostname: w1
            ipAddress: 10.0.0.21, 10.0.0.22
            controlPlane: false
            installDiskSelector:
              size: ">= 100GB"
            schematic:
              customization:
                extraKernelArgs:
                  - net.ifnames=0
                systemExtensions:
                  officialExtensions:
                    - siderolabs/i915
        """
    }

    static let interfacesBlock = """
            networkInterfaces:
              - interface: eth0
                addresses:
                  - 10.0.0.11/24
                routes:
                  - network: 0.0.0.0/0
                    gateway: 10.0.0.1
        """

    static let nodePatchBlock = """
            patches:
              - |-
                - op: add
                  path: /machine/kubelet/extraArgs
                  value:
                    rotate-server-certificates: "true"
        """

    static func load(_ text: String, environment: [String: String] = [:], strict: Bool = false,
                     file: String = "talconfig.yaml") throws -> (TalhelperConfig, [Diagnostics.Diagnostic]) {
        try TalhelperConfig.load(Array(text.utf8), file: file, environment: environment, strict: strict)
    }
}

import Diagnostics
