import Diagnostics
import Foundation

/// Ed25519 client certificate signed by a CA given as base64-PEM cert/key (the bundle's `os` CA), as
/// Talos issues the admin certificate of a talosconfig.
public enum ClientCertificateIssuer {
    public static func issue(caCertBase64PEM: String, caKeyBase64PEM: String, commonName: String,
                             organizations: [String], notBefore: Date, validity: TimeInterval)
        throws -> (certificatePEM: String, privateKeyPEM: String) {
        guard let caCertPEM = caCertBase64PEM.base64DecodedUTF8, let caKeyPEM = caKeyBase64PEM.base64DecodedUTF8 else {
            throw Diagnostic.error("the CA certificate or key is not base64-encoded PEM")
        }
        let caCert: X509Certificate, caKey: X509Key
        do {
            caCert = try X509Certificate.parse(pem: caCertPEM)
            caKey = try X509Key.parse(pem: caKeyPEM)
        } catch {
            throw Diagnostic.error("the CA certificate or key does not parse: \(error)")
        }
        guard caCert.matches(caKey) else { throw Diagnostic.error("the CA key does not match the CA certificate") }
        do {
            let key = try X509Key.generate(.ed25519)
            let cert = try X509Certificate.create(profile: .client, organizations: organizations, commonName: commonName,
                                                  publicKeyOf: key, issuer: (caCert, caKey), signingKey: caKey,
                                                  notBefore: notBefore, notAfter: notBefore.addingTimeInterval(validity))
            return (try cert.pem(), try key.pem())
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw Diagnostic.error("issuing the client certificate failed: \(error)")
        }
    }

    /// The certificate's expiry (the cache reissues a talosconfig within 30 days of it).
    public static func notAfter(ofCertificatePEM pem: String) throws -> Date {
        do {
            return try X509Certificate.parse(pem: pem).notAfter
        } catch {
            throw Diagnostic.error("cannot read the certificate's expiry: \(error)")
        }
    }
}
