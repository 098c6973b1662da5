import Diagnostics
@testable import Secrets
import Testing

@Suite struct AgeTests {
    @Test func bech32RoundTripAndChecksum() throws {
        let identity = try AgeIdentity.generate()
        let parsed = try AgeIdentity.parse(identity.secretKeyString)
        #expect(parsed.recipient == identity.recipient)
        #expect(identity.recipient.hasPrefix("age1"))
        // Flip one data character: the checksum must catch it.
        var chars = Array(identity.recipient)
        chars[10] = chars[10] == "q" ? "p" : "q"
        #expect(throws: Diagnostic.self) { try AgeRecipient.parse(String(chars)) }
        var secret = Array(identity.secretKeyString)
        secret[20] = secret[20] == "Q" ? "P" : "Q"
        do {
            _ = try AgeIdentity.parse(String(secret))
            Issue.record("bad checksum accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("checksum"))
            #expect(!error.message.contains(String(secret)))
        }
    }

    @Test func knownRecipientOfKnownKey() throws {
        // Vector: age-keygen output (public key printed alongside the secret key).
        let identity = try AgeIdentity.parse("AGE-SECRET-KEY-1NTN4ZNVKZXVT6FW40NCLKVVJH7SU8DAF4LHXF6V8L82DEGFMR79QVGWDZW")
        #expect(identity.recipient == "age1c0y539h9t3jwqzj30dy08cv7qyc683rv5ar6q4c6egqmqsrnld9ss430k3")
    }

    @Test func encryptDecryptRoundTrip() throws {
        let identity = try AgeIdentity.generate()
        let recipient = try AgeRecipient.parse(identity.recipient)
        for size in [0, 1, 65_536, 65_537, 200_000] {
            let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
            for armored in [false, true] {
                let sealed = try AgeFile.encrypt(plain, recipients: [recipient], armored: armored)
                #expect(try AgeFile.decrypt(sealed, identities: [identity]) == plain)
            }
        }
    }

    @Test func headerTamperingIsDetected() throws {
        let identity = try AgeIdentity.generate()
        let sealed = try AgeFile.encrypt(Array("hello".utf8), recipients: [try AgeRecipient.parse(identity.recipient)], armored: false)
        let text = String(decoding: sealed, as: UTF8.self)
        // Add an unknown stanza: the file key still unwraps but the header MAC no longer matches.
        let modified = text.replacingOccurrences(of: "\n---", with: "\n-> unknown arg\n\n---")
        do {
            _ = try AgeFile.decrypt(Array(modified.utf8), identities: [identity])
            Issue.record("modified header accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("MAC"))
        }
    }

    @Test func keyFilesWithCommentsAndSeveralKeys() throws {
        let a = try AgeIdentity.generate(), b = try AgeIdentity.generate()
        let text = "# created: now\n# public key: \(a.recipient)\n\(a.secretKeyString)\n\n  \(b.secretKeyString)  \n"
        let keys = try AgeKeyLocator.parseKeys(text, source: "keys.txt", multiplePerLine: false)
        #expect(keys.map(\.recipient) == [a.recipient, b.recipient])
        let inline = try AgeKeyLocator.parseKeys("\(a.secretKeyString),\(b.secretKeyString)", source: "SOPS_AGE_KEY", multiplePerLine: true)
        #expect(inline.count == 2)
        do {
            _ = try AgeKeyLocator.parseKeys("# c\nAGE-SECRET-KEY-1QQQ\n", source: "k.txt", multiplePerLine: false)
            Issue.record("bad key accepted")
        } catch let error as Diagnostic {
            #expect(error.location?.line == 2)
        }
    }
}

extension AgeTests {
    /// A plugin or post-quantum identity in a key file is kept as a note, not an error that hides the rest.
    @Test func unsupportedIdentityLinesDoNotStopTheOthers() throws {
        let good = try AgeIdentity.generate()
        let text = "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n\(good.secretKeyString)\n"
        let identities = try AgeKeyLocator.parseKeys(text, source: "keys.txt", multiplePerLine: false)
        #expect(identities.count == 2)
        #expect(identities[0].unusableReason?.contains("keys.txt:1: an age plugin") == true)
        #expect(identities[1].recipient == good.recipient)
    }
}
