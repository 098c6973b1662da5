/// One output file of a generation step: its name inside the output folder, bytes and mode.
public struct GeneratedFile: Sendable, Hashable {
    public var name: String
    public var contents: [UInt8]
    public var mode: UInt32

    public init(name: String, contents: [UInt8], mode: UInt32) {
        self.name = name
        self.contents = contents
        self.mode = mode
    }
}
