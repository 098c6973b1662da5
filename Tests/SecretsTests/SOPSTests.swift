import Diagnostics
import Foundation
@testable import Secrets
import Testing
import YAML

@Suite struct SOPSTests {
    @Test func goFloatFormatting() {
        #expect(GoNumbers.yamlFloat(1.5) == "1.5")
        #expect(GoNumbers.yamlFloat(1_000_000) == "1e+06")
        #expect(GoNumbers.yamlFloat(1_234_567.5) == "1.2345675e+06")
        #expect(GoNumbers.yamlFloat(123_456.7) == "123456.7")
        #expect(GoNumbers.yamlFloat(0.00001) == "1e-05")
        #expect(GoNumbers.yamlFloat(0.0001) == "0.0001")
        #expect(GoNumbers.yamlFloat(1e300) == "1e+300")
        #expect(GoNumbers.yamlFloat(-0.0) == "-0")
        #expect(GoNumbers.yamlFloat(.infinity) == ".inf")
        #expect(GoNumbers.fixedFloat(1e21) == "1000000000000000000000")
        #expect(GoNumbers.fixedFloat(0.000015) == "0.000015")
        #expect(GoNumbers.parseInt("0x1F") == 31 && GoNumbers.parseInt("012") == 10 && GoNumbers.parseInt("1_000") == 1000)
    }

    @Test func encryptDecryptRoundTripWithComments() throws {
        let identity = try AgeIdentity.generate()
        let document = try YAML.parseDocument("a: 1\nb:\n    c: [x, true, 2.5]\n    d_unencrypted: keep\ne: \"\"\n", file: "t.yaml")
        let encrypted = try SOPSFile.encrypt(document, recipients: [try AgeRecipient.parse(identity.recipient)], now: Date())
        #expect(SOPSFile.isEncrypted(Array(encrypted.utf8)))
        #expect(encrypted.contains("d_unencrypted: keep"))
        let plain = try SOPSFile.decrypt(Array(encrypted.utf8), file: "t.yaml", identities: [identity])
        #expect(plain == "a: 1\nb:\n    c:\n        - x\n        - true\n        - 2.5\n    d_unencrypted: keep\ne: \"\"\n")
        // Changing the unencrypted value breaks the MAC.
        let tampered = encrypted.replacingOccurrences(of: "d_unencrypted: keep", with: "d_unencrypted: kept")
        do {
            _ = try SOPSFile.decrypt(Array(tampered.utf8), file: "t.yaml", identities: [identity])
            Issue.record("tampered plain value accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("MAC mismatch"))
        }
        // A value moved to another key fails authentication (the key path is the additional data).
        let lines = encrypted.components(separatedBy: "\n")
        let aValue = lines.first { $0.hasPrefix("a: ") }!.dropFirst(3)
        let moved = encrypted.replacingOccurrences(of: "e: \"\"", with: "e: \(aValue)")
        do {
            _ = try SOPSFile.decrypt(Array(moved.utf8), file: "t.yaml", identities: [identity])
            Issue.record("moved value accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("'e' cannot be decrypted"))
            #expect(error.location?.line != nil)
        }
    }

    @Test func plainFilesAreNotEncrypted() {
        #expect(!SOPSFile.isEncrypted(Array("a: 1\n".utf8)))
        #expect(!SOPSFile.isEncrypted(Array("sops: just a key\n".utf8)))
        #expect(throws: Diagnostic.self) { try SOPSFile.decrypt(Array("a: 1\n".utf8), file: "p.yaml", identities: []) }
    }

    /// sops reads its metadata's text fields into strings: a list or mapping there makes the file
    /// unreadable to sops ("cannot unmarshal !!seq into string"), so it is an error at the value; another
    /// `version` or `recipient` text is not (sops decrypts such a file too).
    @Test func metadataTextFieldsMustBeScalars() throws {
        let identity = try AgeIdentity.generate()
        let document = try YAML.parseDocument("a: 1\n", file: "t.yaml")
        let encrypted = try SOPSFile.encrypt(document, recipients: [try AgeRecipient.parse(identity.recipient)], now: Date())
        let versionLine = encrypted.components(separatedBy: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("version: ") }!
        let listed = encrypted.replacingOccurrences(of: versionLine, with: "    version: [3]")
        do {
            _ = try SOPSFile.decrypt(Array(listed.utf8), file: "t.yaml", identities: [identity])
            Issue.record("a list as the sops version accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("sops metadata `version`: expected a string, found a list"), "\(error.message)")
            #expect(error.location?.line != nil && error.location?.column == 14, "\(String(describing: error.location))")
        }
        let renumbered = encrypted.replacingOccurrences(of: versionLine, with: "    version: 9.9.9")
        #expect(try SOPSFile.decrypt(Array(renumbered.utf8), file: "t.yaml", identities: [identity]) == "a: 1\n")
    }
}
