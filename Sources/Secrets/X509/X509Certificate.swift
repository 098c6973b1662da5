import COpenSSL
import Foundation

/// An X.509 certificate owned by this value.
final class X509Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { X509_free(pointer) }

    static func parse(pem: String) throws -> X509Certificate {
        guard let block = PEMBlock.parseAll(pem).first(where: { $0.label == "CERTIFICATE" }) else {
            throw LibCrypto.Failure("no PEM CERTIFICATE block")
        }
        let cert: OpaquePointer? = block.der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &p, buffer.count)
        }
        guard let cert else { throw LibCrypto.Failure("the CERTIFICATE block is not a valid X.509 certificate") }
        return X509Certificate(cert)
    }

    func matches(_ key: X509Key) -> Bool {
        X509_check_private_key(pointer, key.pointer) == 1
    }

    var notAfter: Date {
        get throws {
            guard let time = X509_get0_notAfter(pointer) else { throw LibCrypto.Failure("certificate without notAfter") }
            var tm = tm()
            guard ASN1_TIME_to_tm(time, &tm) == 1 else { throw LibCrypto.Failure("unreadable notAfter") }
            return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
        }
    }

    func pem() throws -> String {
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(pointer, &out)
        guard length > 0, let out else { throw LibCrypto.Failure("certificate encoding failed") }
        defer { CRYPTO_free(out, #fileID, #line) }
        return PEMBlock(label: "CERTIFICATE", der: Array(UnsafeBufferPointer(start: out, count: Int(length)))).encoded
    }

    /// What a certificate is for; the extensions follow what Go's crypto/x509 writes for Talos' templates.
    enum Profile {
        /// Self-signed CA: key usage digitalSignature+keyCertSign (critical), EKU server+client auth,
        /// basic constraints CA:TRUE (critical), subject key identifier.
        case certificateAuthority
        /// Client certificate: key usage digitalSignature (critical), EKU client auth, authority key id.
        case client
    }

    /// Builds and signs a certificate. `issuer` nil means self-signed with `key`.
    static func create(profile: Profile, organizations: [String], commonName: String?, publicKeyOf subjectKey: X509Key,
                       issuer: (certificate: X509Certificate, key: X509Key)?, signingKey: X509Key,
                       notBefore: Date, notAfter: Date) throws -> X509Certificate {
        guard let cert = X509_new() else { throw LibCrypto.Failure("X509_new") }
        let result = X509Certificate(cert)
        guard X509_set_version(cert, 2) == 1 else { throw LibCrypto.Failure("certificate version") }
        // A random positive 128-bit serial, as Go's Talos tooling makes.
        let serialBytes = try LibCrypto.randomBytes(16)
        guard let serial = BN_bin2bn(serialBytes, 16, nil) else { throw LibCrypto.Failure("serial") }
        defer { BN_free(serial) }
        guard let serialASN1 = BN_to_ASN1_INTEGER(serial, nil) else { throw LibCrypto.Failure("serial") }
        defer { ASN1_INTEGER_free(serialASN1) }
        guard X509_set_serialNumber(cert, serialASN1) == 1 else { throw LibCrypto.Failure("serial") }

        guard let name = X509_NAME_new() else { throw LibCrypto.Failure("name") }
        defer { X509_NAME_free(name) }
        for (index, organization) in organizations.enumerated() {
            // Go writes all organizations as one multi-valued RDN.
            guard X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, organization, -1, -1, index == 0 ? 0 : -1) == 1 else {
                throw LibCrypto.Failure("subject organization")
            }
        }
        if let commonName, !commonName.isEmpty {
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1 else {
                throw LibCrypto.Failure("subject common name")
            }
        }
        guard X509_set_subject_name(cert, name) == 1,
              X509_set_issuer_name(cert, issuer.map { X509_get_subject_name($0.certificate.pointer) } ?? name) == 1
        else { throw LibCrypto.Failure("names") }
        guard ASN1_TIME_set(X509_getm_notBefore(cert), time_t(notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(cert), time_t(notAfter.timeIntervalSince1970)) != nil
        else { throw LibCrypto.Failure("validity") }
        guard X509_set_pubkey(cert, subjectKey.pointer) == 1 else { throw LibCrypto.Failure("public key") }

        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, issuer?.certificate.pointer ?? cert, cert, nil, nil, 0)
        func add(_ nid: Int32, _ value: String) throws {
            guard let ext = X509V3_EXT_conf_nid(nil, &ctx, nid, value) else { throw LibCrypto.Failure("extension \(nid)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(cert, ext, -1) == 1 else { throw LibCrypto.Failure("extension \(nid)") }
        }
        switch profile {
        case .certificateAuthority:
            try add(NID_key_usage, "critical,digitalSignature,keyCertSign")
            try add(NID_ext_key_usage, "serverAuth,clientAuth")
            try add(NID_basic_constraints, "critical,CA:TRUE")
            try add(NID_subject_key_identifier, "hash")
        case .client:
            try add(NID_key_usage, "critical,digitalSignature")
            try add(NID_ext_key_usage, "clientAuth")
            if issuer != nil { try add(NID_authority_key_identifier, "keyid:always") }
        }
        // Ed25519 signs without a separate digest; ECDSA and RSA use SHA-256 as Go does.
        let digest = signingKey.algorithm == .ed25519 ? nil : EVP_sha256()
        guard X509_sign(cert, signingKey.pointer, digest) > 0 else { throw LibCrypto.Failure("signing failed") }
        return result
    }
}
