"""A test CA and seal certificate, made by the tests themselves (never a real key)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stadt Test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, issuer: x509.Name | None, key, signing_key, *, ca: bool,
          now: datetime) -> x509.Certificate:
    usage = (x509.KeyUsage(False, False, False, False, False, True, True, False, False) if ca
             else x509.KeyUsage(True, True, False, False, False, False, False, False, False))
    return (x509.CertificateBuilder().subject_name(_name(subject))
            .issuer_name(issuer or _name(subject)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True)  # the seal: signature + non-repudiation
            .sign(signing_key, hashes.SHA256()))


def make_seal_pki(folder: Path, passphrase: bytes = b"test-only") -> dict[str, Path]:
    """Root CA (trust anchor, PEM) and a seal certificate with its key (PKCS#12)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Test-CA Ausländerbehörde", None, ca_key, ca_key, ca=True, now=now)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert("Siegel Scanstelle ABH", ca.subject, key, ca_key, ca=False, now=now)
    p12 = folder / "seal.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, [ca], serialization.BestAvailableEncryption(passphrase)))
    root = folder / "root.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return {"pkcs12": p12, "root": root, "passphrase": passphrase}
