import Foundation
import Secrets
import Testing
import TestSupport

/// age files written by the real `age` CLI decrypt natively, and our files decrypt with `age -d`.
@Suite struct AgeInteropTests {
    static let age = URL(fileURLWithPath: "/usr/bin/age")
    static let ageKeygen = URL(fileURLWithPath: "/usr/bin/age-keygen")

    /// A fresh key file made by age-keygen, and its identity.
    static func makeKey(in directory: TemporaryDirectory, name: String = "key.txt") throws -> (URL, AgeIdentity) {
        let keyFile = directory.url.appendingPathComponent(name)
        let result = try runProcess(ageKeygen, ["-o", keyFile.path])
        #expect(result.status == 0)
        let identities = try AgeKeyLocator.identities(environment: [:], extraKeyFiles: [keyFile])
        return (keyFile, try #require(identities.first))
    }

    static func payload(_ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }

    @Test(arguments: [0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024])
    func decryptsFilesFromAgeCLI(size: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (_, identity) = try Self.makeKey(in: directory)
        let plain = Self.payload(size)
        for armor in [false, true] {
            let result = try runProcess(Self.age, (armor ? ["-a"] : []) + ["-r", identity.recipient], stdin: Data(plain))
            #expect(result.status == 0)
            let decrypted = try AgeFile.decrypt(Array(result.stdout), identities: [identity])
            #expect(decrypted == plain, "size \(size) armored \(armor)")
        }
    }

    @Test func ageCLIDecryptsOurFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (keyFile, identity) = try Self.makeKey(in: directory)
        let (_, other) = try Self.makeKey(in: directory, name: "other.txt")
        for size in [0, 5, 64 * 1024, 64 * 1024 + 7] {
            for armored in [false, true] {
                let plain = Self.payload(size)
                let sealed = try AgeFile.encrypt(plain, recipients: [try AgeRecipient.parse(other.recipient),
                                                                     try AgeRecipient.parse(identity.recipient)], armored: armored)
                let result = try runProcess(Self.age, ["-d", "-i", keyFile.path], stdin: Data(sealed))
                #expect(result.status == 0, "\(result.stderrString)")
                #expect(Array(result.stdout) == plain)
            }
        }
    }

    @Test func wrongKeyAndTruncationAreErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (_, identity) = try Self.makeKey(in: directory)
        let (_, wrong) = try Self.makeKey(in: directory, name: "wrong.txt")
        let result = try runProcess(Self.age, ["-r", identity.recipient], stdin: Data(Self.payload(70_000)))
        let sealed = Array(result.stdout)
        #expect(throws: (any Error).self) { try AgeFile.decrypt(sealed, identities: [wrong]) }
        #expect(throws: (any Error).self) { try AgeFile.decrypt(sealed, identities: []) }
        #expect(throws: (any Error).self) { try AgeFile.decrypt(Array(sealed.dropLast(100)), identities: [identity]) }
        // Cut exactly at a chunk boundary: the remaining chunk is not marked last, so it must fail.
        let payloadStart = sealed.count - (70_000 + 2 * 16) - 16
        #expect(throws: (any Error).self) {
            try AgeFile.decrypt(Array(sealed.prefix(payloadStart + 16 + 65_536 + 16)), identities: [identity])
        }
        var tampered = sealed
        tampered[sealed.count - 10] ^= 1
        #expect(throws: (any Error).self) { try AgeFile.decrypt(tampered, identities: [identity]) }
    }
}
