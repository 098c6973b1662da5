/// What the secrets path needs from a certificate, read straight from its DER: that it has the shape of an
/// X.509 certificate (RFC 5280 §4.1: tbsCertificate, signatureAlgorithm, signature; the tbsCertificate's
/// fields in order), its subject public key, its subject name and its subject key identifier.
///
/// `d2i_X509` would decode every name, time and extension and set up a provider key for the public key,
/// costing a few hundred microseconds per certificate; none of that is needed to check a key against it.
struct CertificateDER {
    enum KeyType: Equatable { case ed25519, p256, other }

    let der: [UInt8]
    let keyType: KeyType
    /// The subjectPublicKey bits: 32 raw bytes for Ed25519, the uncompressed point for P-256.
    let publicKey: ArraySlice<UInt8>
    /// The subject Name, whole DER element (the issuer name of certificates this CA signs).
    let subjectName: ArraySlice<UInt8>
    /// The subjectKeyIdentifier extension's key id, when present.
    let subjectKeyIdentifier: ArraySlice<UInt8>?
    /// The validity's notAfter, as seconds since 1970 (nil when it is not a UTCTime or GeneralizedTime
    /// of the form RFC 5280 §4.1.2.5 prescribes).
    let notAfter: Int?

    init?(_ der: [UInt8]) {
        var outer = DER(der)
        guard let certificate = outer.read(DER.sequence), outer.isAtEnd else { return nil }
        var parts = outer.children(of: certificate)
        guard let tbs = parts.read(DER.sequence), parts.read(DER.sequence) != nil, parts.read(DER.bitString) != nil,
              parts.isAtEnd else { return nil }
        var fields = parts.children(of: tbs)
        if fields.nextTag == 0xa0 { guard fields.read(0xa0) != nil else { return nil } }   // version
        guard fields.read(DER.integer) != nil,                     // serialNumber
              fields.read(DER.sequence) != nil,                    // signature
              fields.read(DER.sequence) != nil,                    // issuer
              let validity = fields.read(DER.sequence),
              let subject = fields.read(DER.sequence),
              let spki = fields.read(DER.sequence) else { return nil }
        var keyIdentifier: ArraySlice<UInt8>?
        if fields.nextTag == 0x81 { guard fields.read(0x81) != nil else { return nil } }   // issuerUniqueID
        if fields.nextTag == 0x82 { guard fields.read(0x82) != nil else { return nil } }   // subjectUniqueID
        if fields.nextTag == 0xa3 {
            guard let wrapper = fields.read(0xa3) else { return nil }
            var list = fields.children(of: wrapper)
            guard let extensions = list.read(DER.sequence), list.isAtEnd else { return nil }
            guard let found = Self.subjectKeyIdentifier(in: list.children(of: extensions)) else { return nil }
            keyIdentifier = found
        }
        guard fields.isAtEnd else { return nil }

        var key = fields.children(of: spki)
        guard let algorithm = key.read(DER.sequence), let bits = key.read(DER.bitString), key.isAtEnd,
              let publicKey = key.octetAlignedBits(bits) else { return nil }
        var algorithmFields = key.children(of: algorithm)
        guard let oid = algorithmFields.read(DER.objectIdentifier) else { return nil }
        let parameter = algorithmFields.isAtEnd ? nil : algorithmFields.read()
        guard algorithmFields.isAtEnd else { return nil }
        let oidBytes = key.slice(oid.contents)
        if oidBytes.elementsEqual(KnownOID.ed25519), parameter == nil, publicKey.count == 32 {
            keyType = .ed25519
        } else if oidBytes.elementsEqual(KnownOID.ecPublicKey), let parameter, parameter.tag == DER.objectIdentifier,
                  key.slice(parameter.contents).elementsEqual(KnownOID.prime256v1), publicKey.count == 65, publicKey.first == 4 {
            keyType = .p256
        } else {
            keyType = .other
        }
        var times = fields.children(of: validity)
        _ = times.read()
        notAfter = times.read().flatMap { Self.seconds(of: $0, in: times) }
        self.der = der
        self.publicKey = publicKey
        subjectName = fields.slice(subject.whole)
        subjectKeyIdentifier = keyIdentifier
    }

    /// `YYMMDDHHMMSSZ` (UTCTime, years 1950–2049) or `YYYYMMDDHHMMSSZ` (GeneralizedTime) in seconds since 1970.
    private static func seconds(of element: DER.Element, in reader: DER) -> Int? {
        let text = reader.slice(element.contents)
        let digits = text.dropLast()
        guard text.last == UInt8(ascii: "Z"), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let numbers = digits.map { Int($0) - 48 }
        func number(_ start: Int, _ count: Int) -> Int { numbers[start..<(start + count)].reduce(0) { $0 * 10 + $1 } }
        let year: Int, rest: Int
        switch (element.tag, numbers.count) {
        case (0x17, 12): year = number(0, 2) < 50 ? 2000 + number(0, 2) : 1900 + number(0, 2); rest = 2
        case (0x18, 14): year = number(0, 4); rest = 4
        default: return nil
        }
        let month = number(rest, 2), day = number(rest + 2, 2)
        let hour = number(rest + 4, 2), minute = number(rest + 6, 2), second = number(rest + 8, 2)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // Days from the civil date (proleptic Gregorian), as in Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Walks the Extensions sequence: the key id (nil when absent), or nil when an extension is malformed.
    private static func subjectKeyIdentifier(in extensions: DER) -> ArraySlice<UInt8>?? {
        // 2.5.29.14
        let subjectKeyIdentifierOID: [UInt8] = [0x55, 0x1d, 0x0e]
        var list = extensions
        var found: ArraySlice<UInt8>?
        while !list.isAtEnd {
            guard let element = list.read(DER.sequence) else { return nil }
            var fields = list.children(of: element)
            guard let oid = fields.read(DER.objectIdentifier) else { return nil }
            if fields.nextTag == 0x01 { guard fields.read(0x01) != nil else { return nil } }   // critical
            guard let value = fields.read(DER.octetString), fields.isAtEnd else { return nil }
            if fields.slice(oid.contents).elementsEqual(subjectKeyIdentifierOID) {
                var inner = fields.children(of: value)
                guard let keyID = inner.read(DER.octetString), inner.isAtEnd else { return nil }
                found = inner.slice(keyID.contents)
            }
        }
        return .some(found)
    }
}
