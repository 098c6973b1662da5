/// A private key in one of the shapes Talos writes, read from DER without OpenSSL's generic decoders:
/// Ed25519 as PKCS#8 (RFC 8410), P-256 as SEC1 (RFC 5915) naming its curve, RSA as PKCS#1 (RFC 8017).
/// Any other shape is `nil` here and goes through `X509Key.parse`.
enum PrivateKeyDER {
    case ed25519(seed: ArraySlice<UInt8>)
    case p256(scalar: ArraySlice<UInt8>, embeddedPublicKey: ArraySlice<UInt8>?)
    case rsa(modulus: ArraySlice<UInt8>, prime1: ArraySlice<UInt8>, prime2: ArraySlice<UInt8>)

    init?(label: String, der: [UInt8]) {
        var outer = DER(der)
        guard let key = outer.read(DER.sequence), outer.isAtEnd else { return nil }
        var fields = outer.children(of: key)
        switch label {
        case "ED25519 PRIVATE KEY", "PRIVATE KEY":
            guard let version = fields.read(DER.integer), let number = fields.unsignedInteger(version),
                  number.count == 1, number.first! <= 1,
                  let algorithm = fields.read(DER.sequence), let wrapped = fields.read(DER.octetString) else { return nil }
            var algorithmFields = fields.children(of: algorithm)
            guard let oid = algorithmFields.read(DER.objectIdentifier), algorithmFields.isAtEnd,
                  fields.slice(oid.contents).elementsEqual(KnownOID.ed25519) else { return nil }
            var inner = fields.children(of: wrapped)
            guard let seed = inner.read(DER.octetString), inner.isAtEnd, seed.contents.count == 32 else { return nil }
            // Optional attributes [0] and public key [1] (PKCS#8 v2).
            if fields.nextTag == 0xa0 { guard fields.read(0xa0) != nil else { return nil } }
            if fields.nextTag == 0x81 { guard fields.read(0x81) != nil else { return nil } }
            guard fields.isAtEnd else { return nil }
            self = .ed25519(seed: fields.slice(seed.contents))
        case "EC PRIVATE KEY":
            guard let version = fields.read(DER.integer), fields.slice(version.contents).elementsEqual([1]),
                  let scalar = fields.read(DER.octetString), (1...32).contains(scalar.contents.count),
                  let parameters = fields.read(0xa0) else { return nil }
            var curve = fields.children(of: parameters)
            guard let oid = curve.read(DER.objectIdentifier), curve.isAtEnd,
                  fields.slice(oid.contents).elementsEqual(KnownOID.prime256v1) else { return nil }
            var embedded: ArraySlice<UInt8>?
            if fields.nextTag == 0xa1 {
                guard let wrapper = fields.read(0xa1) else { return nil }
                var bits = fields.children(of: wrapper)
                guard let element = bits.read(DER.bitString), bits.isAtEnd, let point = bits.octetAlignedBits(element) else { return nil }
                embedded = point
            }
            guard fields.isAtEnd else { return nil }
            self = .p256(scalar: fields.slice(scalar.contents), embeddedPublicKey: embedded)
        case "RSA PRIVATE KEY":
            // version 0 (two primes), n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p
            guard let version = fields.read(DER.integer), fields.slice(version.contents).elementsEqual([0]) else { return nil }
            var numbers: [ArraySlice<UInt8>] = []
            for _ in 0..<8 {
                guard let element = fields.read(DER.integer), let value = fields.unsignedInteger(element) else { return nil }
                numbers.append(value)
            }
            guard fields.isAtEnd else { return nil }
            self = .rsa(modulus: numbers[0], prime1: numbers[3], prime2: numbers[4])
        default:
            return nil
        }
    }
}
