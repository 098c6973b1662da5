import Cache
import Testing

@Suite struct SizeAndDurationTests {
    @Test(arguments: [
        ("500MB", Int64(500_000_000)), ("2GiB", Int64(2 << 30)), ("1.5G", Int64(1_500_000_000)),
        ("4096", Int64(4096)), ("10 kB", Int64(10_000)), ("3KiB", Int64(3072)), ("0", Int64(0)),
        ("1mib", Int64(1 << 20)), ("7B", Int64(7)), ("1TB", Int64(1_000_000_000_000)),
    ])
    func sizes(text: String, bytes: Int64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "MB", "5XB", "-1GB", "1..5MB", "GiB5", "1e3"])
    func badSizes(text: String) {
        #expect(throws: CacheError.self) { try ByteSize.parse(text) }
    }

    @Test(arguments: [
        ("12h", 43_200.0), ("30d", 2_592_000.0), ("90m", 5400.0), ("45s", 45.0), ("2w", 1_209_600.0),
        ("1d12h", 129_600.0), ("0.5h", 1800.0),
    ])
    func durations(text: String, seconds: Double) throws {
        #expect(try DurationText.parse(text) == seconds)
    }

    @Test(arguments: ["", "12", "h", "3y", "1d 2", "d1"])
    func badDurations(text: String) {
        #expect(throws: CacheError.self) { try DurationText.parse(text) }
    }

    @Test func formatting() {
        #expect(ByteSize.format(512) == "512 B")
        #expect(ByteSize.format(1536) == "1.5 KiB")
        #expect(ByteSize.format(3 << 30) == "3.0 GiB")
        #expect(DurationText.format(45) == "45s")
        #expect(DurationText.format(93_784) == "1d 2h")
    }
}
