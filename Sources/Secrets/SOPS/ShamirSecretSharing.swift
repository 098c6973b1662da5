/// Shamir's secret sharing over GF(2^8) as sops' shamir package (HashiCorp Vault's) does it: the field is
/// AES's, x^8 + x^4 + x^3 + x + 1; each share is the secret's bytes evaluated on one polynomial per byte,
/// followed by its one-byte x coordinate. Only combining is needed to decrypt.
enum ShamirSecretSharing {
    enum Failure: Error, Equatable {
        case tooFewParts, unequalLengths, duplicatePart
    }

    /// a · b in GF(2^8), bit by bit, without branches on secret data.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var accumulator: UInt8 = 0
        for bit in (0..<8).reversed() {
            let aOrZero = (0 &- ((b >> UInt8(bit)) & 1)) & a
            let reduction = (0 &- (accumulator >> 7)) & 0x1B
            accumulator = aOrZero ^ (reduction ^ (accumulator &+ accumulator))
        }
        return accumulator
    }

    /// a^254, the inverse of a non-zero a (a^255 = 1).
    static func inverse(_ a: UInt8) -> UInt8 {
        var result: UInt8 = 1, base = a, exponent = 254
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }

    /// `parts` shares of which any `threshold` rebuild the secret: per byte a random polynomial of degree
    /// threshold - 1 with the byte as its constant, evaluated at distinct random non-zero x coordinates.
    static func split(_ secret: [UInt8], parts: Int, threshold: Int) throws -> [[UInt8]] {
        guard parts >= threshold, threshold >= 2, parts <= 255, !secret.isEmpty else { throw Failure.tooFewParts }
        var coordinates: [UInt8] = []
        while coordinates.count < parts {
            let candidate = try LibCrypto.randomBytes(1)[0]
            if candidate != 0 && !coordinates.contains(candidate) { coordinates.append(candidate) }
        }
        var shares = coordinates.map { _ in [UInt8]() }
        for byte in secret {
            let coefficients = [byte] + (try LibCrypto.randomBytes(threshold - 1))
            for (index, x) in coordinates.enumerated() {
                // Horner's rule from the highest coefficient.
                var value: UInt8 = 0
                for coefficient in coefficients.reversed() { value = multiply(value, x) ^ coefficient }
                shares[index].append(value)
            }
        }
        return zip(shares, coordinates).map { $0 + [$1] }
    }

    /// The secret: each byte the Lagrange interpolation of the parts' bytes at x = 0.
    static func combine(_ parts: [[UInt8]]) throws(Failure) -> [UInt8] {
        guard parts.count >= 2, let length = parts.first?.count, length >= 2 else { throw .tooFewParts }
        guard parts.allSatisfy({ $0.count == length }) else { throw .unequalLengths }
        let xs = parts.map { $0[length - 1] }
        guard Set(xs).count == xs.count else { throw .duplicatePart }
        var secret = [UInt8](repeating: 0, count: length - 1)
        for index in secret.indices {
            var value: UInt8 = 0
            for i in parts.indices {
                var basis: UInt8 = 1
                for j in parts.indices where j != i {
                    // (0 - x_j) / (x_i - x_j); subtraction is XOR.
                    basis = multiply(basis, multiply(xs[j], inverse(xs[i] ^ xs[j])))
                }
                value ^= multiply(parts[i][index], basis)
            }
            secret[index] = value
        }
        return secret
    }
}
