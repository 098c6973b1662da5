/// The official Talos system extensions and board overlays by Talos minor release: the facts talhelper's
/// validator checks `schematic.customization.systemExtensions.officialExtensions` and `schematic.overlay`
/// against (`checkNodeSchematic`).
///
/// Where the facts come from: the extension and overlay images Sidero Labs publishes for each Talos
/// release (`ghcr.io/siderolabs/extensions:<version>` and `ghcr.io/siderolabs/overlays:<version>`, listed
/// at github.com/siderolabs/extensions and github.com/siderolabs/overlays), as recorded by talhelper's
/// release catalogue up to Talos v1.14.0 (August 2026). talhelper embeds that catalogue per patch release
/// and needs no network; this table keeps only each name and the first and last Talos minor release that
/// ships it (nil: still shipped by the newest one), authored here from those facts.
///
/// Granularity is the minor release: a name that appeared in a later patch of a minor (e.g. v1.8.2) is
/// accepted for the whole minor. A release newer than the last catalogued minor uses that minor's set, as
/// talhelper falls back to its latest catalogued release.
public enum OfficialExtensionCatalogue {
    struct Entry: Sendable {
        let name: String
        let firstMinor: Int
        let lastMinor: Int?
        init(_ name: String, _ firstMinor: Int, _ lastMinor: Int?) {
            self.name = name
            self.firstMinor = firstMinor
            self.lastMinor = lastMinor
        }
        func ships(minor: Int) -> Bool { minor >= firstMinor && minor <= (lastMinor ?? Int.max) }
    }

    /// The newest Talos minor release the catalogue knows.
    static let newestCataloguedMinor = 14

    static let extensions: [Entry] = [
        .init("siderolabs/amazon-ena", 10, nil),
        .init("siderolabs/amd-ucode", 2, nil),
        .init("siderolabs/amdgpu", 9, nil),
        .init("siderolabs/amdgpu-firmware", 6, 8),
        .init("siderolabs/binfmt-misc", 6, nil),
        .init("siderolabs/bird2", 12, nil),
        .init("siderolabs/bnx2-bnx2x", 2, nil),
        .init("siderolabs/btrfs", 6, nil),
        .init("siderolabs/chelsio-drivers", 6, nil),
        .init("siderolabs/chelsio-firmware", 6, nil),
        .init("siderolabs/cloudflared", 9, nil),
        .init("siderolabs/crun", 8, nil),
        .init("siderolabs/ctr", 10, nil),
        .init("siderolabs/drbd", 3, nil),
        .init("siderolabs/dvb-cx23885", 9, nil),
        .init("siderolabs/dvb-m88ds3103", 11, nil),
        .init("siderolabs/ecr-credential-provider", 6, nil),
        .init("siderolabs/fuse3", 6, nil),
        .init("siderolabs/gasket-driver", 3, nil),
        .init("siderolabs/glibc", 9, nil),
        .init("siderolabs/gpio-pinctrl", 12, nil),
        .init("siderolabs/gvisor", 2, nil),
        .init("siderolabs/gvisor-debug", 7, nil),
        .init("siderolabs/hailort", 11, nil),
        .init("siderolabs/harbor-credential-provider", 14, nil),
        .init("siderolabs/hello-world-service", 2, nil),
        .init("siderolabs/hyperv-guest-agent", 14, nil),
        .init("siderolabs/i915", 9, nil),
        .init("siderolabs/i915-ucode", 4, 8),
        .init("siderolabs/intel-ice-firmware", 6, nil),
        .init("siderolabs/intel-npu", 13, nil),
        .init("siderolabs/intel-ucode", 2, nil),
        .init("siderolabs/iscsi-tools", 4, nil),
        .init("siderolabs/joydev", 13, nil),
        .init("siderolabs/kata-containers", 7, nil),
        .init("siderolabs/kata-containers-snp", 14, nil),
        .init("siderolabs/lldpd", 9, nil),
        .init("siderolabs/mdadm", 6, nil),
        .init("siderolabs/mei", 8, nil),
        .init("siderolabs/mellanox-mstflint", 12, nil),
        .init("siderolabs/metal-agent", 9, nil),
        .init("siderolabs/multipath-tools", 12, nil),
        .init("siderolabs/nebula", 10, nil),
        .init("siderolabs/netbird", 12, nil),
        .init("siderolabs/newt", 11, nil),
        .init("siderolabs/nfs-utils", 12, nil),
        .init("siderolabs/nfsd", 10, nil),
        .init("siderolabs/nfsrahead", 11, nil),
        .init("siderolabs/nonfree-kmod-nvidia", 5, 7),
        .init("siderolabs/nonfree-kmod-nvidia-lts", 8, nil),
        .init("siderolabs/nonfree-kmod-nvidia-production", 8, nil),
        .init("siderolabs/nut-client", 2, nil),
        .init("siderolabs/nvidia-container-toolkit", 2, 7),
        .init("siderolabs/nvidia-container-toolkit-lts", 8, nil),
        .init("siderolabs/nvidia-container-toolkit-production", 8, nil),
        .init("siderolabs/nvidia-fabricmanager", 2, 7),
        .init("siderolabs/nvidia-fabricmanager-lts", 8, nil),
        .init("siderolabs/nvidia-fabricmanager-production", 8, nil),
        .init("siderolabs/nvidia-gdrdrv-device", 12, nil),
        .init("siderolabs/nvidia-open-gpu-kernel-modules", 2, 7),
        .init("siderolabs/nvidia-open-gpu-kernel-modules-lts", 8, nil),
        .init("siderolabs/nvidia-open-gpu-kernel-modules-production", 8, nil),
        .init("siderolabs/nvme-cli", 10, nil),
        .init("siderolabs/panfrost", 10, nil),
        .init("siderolabs/px-fuse", 13, nil),
        .init("siderolabs/qemu-guest-agent", 5, nil),
        .init("siderolabs/qlogic-firmware", 6, nil),
        .init("siderolabs/realtek-firmware", 6, nil),
        .init("siderolabs/revpi-firmware", 10, nil),
        .init("siderolabs/rockchip-rknn", 13, nil),
        .init("siderolabs/soci-snapshotter", 12, nil),
        .init("siderolabs/spin", 7, nil),
        .init("siderolabs/stargz-snapshotter", 6, nil),
        .init("siderolabs/tailscale", 5, nil),
        .init("siderolabs/tenstorrent", 11, nil),
        .init("siderolabs/thunderbolt", 5, nil),
        .init("siderolabs/trident-iscsi-tools", 12, nil),
        .init("siderolabs/uhid", 13, nil),
        .init("siderolabs/uinput", 8, nil),
        .init("siderolabs/usb-audio-drivers", 12, nil),
        .init("siderolabs/usb-modem-drivers", 5, nil),
        .init("siderolabs/util-linux-tools", 6, nil),
        .init("siderolabs/v4l-uvc-drivers", 7, nil),
        .init("siderolabs/vc4", 10, nil),
        .init("siderolabs/vmtoolsd-guest-agent", 7, nil),
        .init("siderolabs/wasmedge", 7, nil),
        .init("siderolabs/xdma-driver", 10, nil),
        .init("siderolabs/xe", 12, nil),
        .init("siderolabs/xe-guest-utilities", 6, 6),
        .init("siderolabs/xen-guest-agent", 7, nil),
        .init("siderolabs/youki", 10, nil),
        .init("siderolabs/zerotier", 10, nil),
        .init("siderolabs/zfs", 5, nil)
    ]

    /// Overlays: name → image (one image per name), with the minors that ship it.
    static let overlays: [(entry: Entry, image: String)] = [
        (.init("bananapi_m64", 7, nil), "siderolabs/sbc-allwinner"),
        (.init("friendlyelec-cm3588-nas", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("helios64", 8, nil), "siderolabs/sbc-rockchip"),
        (.init("jetson_nano", 7, nil), "siderolabs/sbc-jetson"),
        (.init("libretech_all_h3_cc_h5", 7, nil), "siderolabs/sbc-allwinner"),
        (.init("nanopi-r4s", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("nanopi-r5s", 8, nil), "siderolabs/sbc-rockchip"),
        (.init("odroid-m1", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("orangepi-5", 9, nil), "siderolabs/sbc-rockchip"),
        (.init("orangepi-5-max", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("orangepi-5-plus", 10, nil), "siderolabs/sbc-rockchip"),
        (.init("orangepi-r1-plus-lts", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("pine64", 7, nil), "siderolabs/sbc-allwinner"),
        (.init("radxa-zero-3e", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("revpi_generic", 10, nil), "siderolabs/sbc-raspberrypi"),
        (.init("rock3b", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("rock4cplus", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("rock4se", 8, nil), "siderolabs/sbc-rockchip"),
        (.init("rock5a", 10, nil), "siderolabs/sbc-rockchip"),
        (.init("rock5b", 9, nil), "siderolabs/sbc-rockchip"),
        (.init("rock5b-plus", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("rock5t", 12, nil), "siderolabs/sbc-rockchip"),
        (.init("rock64", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("rockpi4", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("rockpi4c", 7, nil), "siderolabs/sbc-rockchip"),
        (.init("rockpro64", 10, nil), "siderolabs/sbc-rockchip"),
        (.init("rpi_5", 12, nil), "siderolabs/sbc-raspberrypi"),
        (.init("rpi_generic", 7, nil), "siderolabs/sbc-raspberrypi"),
        (.init("turingrk1", 9, nil), "siderolabs/sbc-rockchip")
    ]

    /// The newest patch release of each catalogued minor (v1.<key>.<value>), as of August 2026: a newer
    /// patch is one talhelper's catalogue does not know yet (it warns that it "might not be compatible").
    static let newestPatch: [Int: Int] = [2: 9, 3: 7, 4: 8, 5: 6, 6: 8, 7: 7, 8: 4, 9: 6, 10: 9, 11: 6, 12: 11, 13: 9, 14: 0]

    /// The minor whose set a release is checked against (newer than the catalogue: the newest set).
    static func cataloguedMinor(_ minor: Int) -> Int { min(minor, newestCataloguedMinor) }

    /// The official extension names shipped with Talos `v1.<minor>`.
    public static func extensionNames(minor: Int) -> [String] {
        let minor = cataloguedMinor(minor)
        return extensions.filter { $0.ships(minor: minor) }.map(\.name)
    }

    public static func isOfficialExtension(_ name: String, minor: Int) -> Bool {
        let minor = cataloguedMinor(minor)
        return extensions.contains { $0.name == name && $0.ships(minor: minor) }
    }

    /// The Talos minors that ship an extension (nil when it never was an official one).
    public static func shippingRange(ofExtension name: String) -> ClosedRange<Int>? {
        extensions.first { $0.name == name }.map { $0.firstMinor...($0.lastMinor ?? newestCataloguedMinor) }
    }

    /// Whether `v1.<minor>` ships an overlay called `name` from `image`.
    public static func isOfficialOverlay(name: String, image: String, minor: Int) -> Bool {
        let minor = cataloguedMinor(minor)
        return overlays.contains { $0.entry.name == name && $0.image == image && $0.entry.ships(minor: minor) }
    }

    /// The known name nearest to `name` (fewest single-character edits; ties go to the first in order),
    /// to suggest when a name is unknown.
    public static func closest(to name: String, among names: [String]) -> String? {
        names.min { EditDistance.between(name, $0) < EditDistance.between(name, $1) }
    }
}
