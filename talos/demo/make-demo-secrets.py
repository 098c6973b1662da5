#!/usr/bin/env python3
"""Makes a fresh Talos secrets bundle in talhelper's talsecret.yaml shape, for the DEMO fleet only.

Used once to create talos/clusters/*/talsecret.sops.yaml (then encrypted with sops for the demo age
key). talos-batch never runs this; real clusters make their bundle with `talhelper gensecret`.
Needs Python's `cryptography` package.
"""
import base64
import datetime
import os
import secrets
import string
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=3650)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def token() -> str:
    alphabet = string.ascii_lowercase + string.digits
    pick = lambda n: "".join(secrets.choice(alphabet) for _ in range(n))
    return f"{pick(6)}.{pick(16)}"


def ca(organization, key):
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)] if organization else [])
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(os.urandom(16), "big") >> 1)
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, algorithm)
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def ec_key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def ed25519_key_pem(key) -> bytes:
    # Talos labels its PKCS#8 Ed25519 keys "ED25519 PRIVATE KEY".
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return pem.replace(b"-----BEGIN PRIVATE KEY-----", b"-----BEGIN ED25519 PRIVATE KEY-----") \
              .replace(b"-----END PRIVATE KEY-----", b"-----END ED25519 PRIVATE KEY-----")


def main() -> None:
    lines = []
    lines += ["cluster:", f"    id: {b64(os.urandom(32))}", f"    secret: {b64(os.urandom(32))}"]
    lines += ["secrets:", f"    bootstraptoken: {token()}", f"    secretboxencryptionsecret: {b64(os.urandom(32))}"]
    lines += ["trustdinfo:", f"    token: {token()}", "certs:"]
    for name, organization in (("etcd", "etcd"), ("k8s", "kubernetes"), ("k8saggregator", None)):
        key = ec.generate_private_key(ec.SECP256R1())
        lines += [f"    {name}:", f"        crt: {b64(ca(organization, key))}", f"        key: {b64(ec_key_pem(key))}"]
    account = ec.generate_private_key(ec.SECP256R1())
    lines += ["    k8sserviceaccount:", f"        key: {b64(ec_key_pem(account))}"]
    os_key = ed25519.Ed25519PrivateKey.generate()
    lines += ["    os:", f"        crt: {b64(ca('talos', os_key))}", f"        key: {b64(ed25519_key_pem(os_key))}"]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
