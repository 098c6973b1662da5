/// The subcommands of talhelper's `gencommand`, and the `talosctl` verb each prints.
public enum GenCommandKind: String, CaseIterable, Sendable {
    case apply
    case upgrade
    case upgradeK8s = "upgrade-k8s"
    case bootstrap
    case kubeconfig
    case reset
    case health

    /// The `talosctl` subcommand the lines run.
    public var verb: String {
        self == .apply ? "apply-config" : rawValue
    }
}
