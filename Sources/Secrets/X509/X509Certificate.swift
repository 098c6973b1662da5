import COpenSSL
import FoundationEssentials
import Glibc

/// An X.509 certificate owned by this value.
final class X509Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { X509_free(pointer) }

    static func parse(pem: String) throws -> X509Certificate {
        guard let block = PEMBlock.parseAll(pem).first(where: { $0.label == "CERTIFICATE" }) else {
            throw LibCrypto.Failure("no PEM CERTIFICATE block")
        }
        return try parse(der: block.der)
    }

    static func parse(der: [UInt8]) throws -> X509Certificate {
        let cert: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &p, buffer.count)
        }
        guard let cert else { throw LibCrypto.Failure("the CERTIFICATE block is not a valid X.509 certificate") }
        return X509Certificate(cert)
    }

    /// What a certificate's issuer contributes to it: the issuer's subject name (DER) and its subject key
    /// identifier, which becomes the authority key identifier, as Go's crypto/x509 writes it.
    struct Issuer {
        var subjectName: [UInt8]
        var keyIdentifier: [UInt8]?

        init(subjectName: ArraySlice<UInt8>, keyIdentifier: ArraySlice<UInt8>?) {
            self.subjectName = Array(subjectName)
            if let keyIdentifier { self.keyIdentifier = Array(keyIdentifier) }
        }

        init(_ certificate: X509Certificate) throws {
            var out: UnsafeMutablePointer<UInt8>?
            let length = i2d_X509_NAME(X509_get_subject_name(certificate.pointer), &out)
            guard length > 0, let out else { throw LibCrypto.Failure("issuer name") }
            defer { CRYPTO_free(out, #fileID, #line) }
            subjectName = Array(UnsafeBufferPointer(start: out, count: Int(length)))
            keyIdentifier = X509_get0_subject_key_id(certificate.pointer).map { id in
                Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(id), count: Int(ASN1_STRING_length(id))))
            }
        }
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
                       issuer: Issuer?, signingKey: X509Key,
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
        var issuerName: OpaquePointer?
        if let issuer {
            issuerName = issuer.subjectName.withUnsafeBufferPointer { buffer in
                var p: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_X509_NAME(nil, &p, buffer.count)
            }
            guard issuerName != nil else { throw LibCrypto.Failure("the issuer's subject name does not parse") }
        }
        defer { X509_NAME_free(issuerName) }
        guard X509_set_subject_name(cert, name) == 1, X509_set_issuer_name(cert, issuerName ?? name) == 1
        else { throw LibCrypto.Failure("names") }
        guard ASN1_TIME_set(X509_getm_notBefore(cert), time_t(notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(cert), time_t(notAfter.timeIntervalSince1970)) != nil
        else { throw LibCrypto.Failure("validity") }
        if let raw = subjectKey.ed25519PublicKey {
            // The subjectPublicKeyInfo straight from the raw key: X509_set_pubkey would run an encoder.
            guard let info = X509_get_X509_PUBKEY(cert), let bits = CRYPTO_malloc(32, #fileID, #line) else { throw LibCrypto.Failure("public key") }
            bits.copyMemory(from: raw, byteCount: 32)
            guard X509_PUBKEY_set0_param(info, OBJ_nid2obj(NID_ED25519), V_ASN1_UNDEF, nil, bits.assumingMemoryBound(to: UInt8.self), 32) == 1 else {
                CRYPTO_free(bits, #fileID, #line)
                throw LibCrypto.Failure("public key")
            }
        } else {
            guard X509_set_pubkey(cert, subjectKey.pointer) == 1 else { throw LibCrypto.Failure("public key") }
        }

        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, cert, cert, nil, nil, 0)
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
            if let issuer { try addAuthorityKeyIdentifier(issuer, to: cert) }
        }
        // Ed25519 signs without a separate digest; ECDSA and RSA use SHA-256 as Go does.
        let digest = signingKey.algorithm == .ed25519 ? nil : EVP_sha256()
        guard X509_sign(cert, signingKey.pointer, digest) > 0 else { throw LibCrypto.Failure("signing failed") }
        if let stream = SeededRandomStream.current, signingKey.algorithm == .ecdsaP256 {
            return try DeterministicECDSA.resign(result, privateScalar: try signingKey.p256PrivateScalar(), stream: stream)
        }
        return result
    }

    /// The authority key identifier extension (key id only), as `keyid:always` writes it: OpenSSL's
    /// config-string path would want the issuer as a parsed `X509`.
    private static func addAuthorityKeyIdentifier(_ issuer: Issuer, to cert: OpaquePointer) throws {
        guard let keyIdentifier = issuer.keyIdentifier else {
            throw LibCrypto.Failure("the issuing CA certificate has no subject key identifier")
        }
        guard let authority = AUTHORITY_KEYID_new() else { throw LibCrypto.Failure("authority key identifier") }
        defer { AUTHORITY_KEYID_free(authority) }
        guard let id = ASN1_OCTET_STRING_new() else { throw LibCrypto.Failure("authority key identifier") }
        authority.pointee.keyid = id
        guard ASN1_OCTET_STRING_set(id, keyIdentifier, Int32(keyIdentifier.count)) == 1,
              X509_add1_ext_i2d(cert, NID_authority_key_identifier, UnsafeMutableRawPointer(authority), 0, UInt(X509V3_ADD_APPEND)) == 1
        else { throw LibCrypto.Failure("authority key identifier") }
    }
}
