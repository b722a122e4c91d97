"""Electronic seal (PAdES) over archive copies and batch manifests, with pyHanko.

The key is the office's seal certificate as a PKCS#12 file (EFILE_SEAL_PKCS12, passphrase in
EFILE_SEAL_PASSPHRASE), or a key that never leaves a hardware security module, reached through
PKCS#11 (EFILE_SEAL_PKCS11_MODULE, the token's label EFILE_SEAL_PKCS11_TOKEN, the key's and
certificate's label EFILE_SEAL_PKCS11_KEY, the user PIN EFILE_SEAL_PKCS11_PIN); an RFC 3161
timestamp is added when EFILE_TSA_URL names a timestamp authority. Verification trusts the
roots in EFILE_SEAL_TRUST (PEM).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from efile.config import Pkcs11Key
from efile.errors import ConfigError

FIELD = "Siegel"


@dataclass(frozen=True)
class SealConfig:
    pkcs12: Path | None
    passphrase: bytes | None
    tsa_url: str | None = None
    pkcs11: Pkcs11Key | None = None


@dataclass
class SealStatus:
    present: bool
    intact: bool = False  # the signed bytes hash to what the signature says
    valid: bool = False  # the signature verifies with the signer's key
    trusted: bool = False  # the signer's certificate chains to a configured root
    covers_whole_file: bool = False  # nothing was appended after sealing
    signer: str | None = None
    signed_at: str | None = None
    timestamped: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.valid and self.trusted \
            and self.covers_whole_file


def _signer(cfg: SealConfig):  # noqa: ANN202 - pyhanko's signer
    from pyhanko.sign import signers

    if not cfg.pkcs12.is_file():
        raise ConfigError(f"seal key {cfg.pkcs12} not found (EFILE_SEAL_PKCS12)")
    signer = signers.SimpleSigner.load_pkcs12(str(cfg.pkcs12), passphrase=cfg.passphrase)
    if signer is None:
        raise ConfigError(f"cannot open the seal key {cfg.pkcs12}: wrong passphrase or not "
                          "PKCS#12 (EFILE_SEAL_PASSPHRASE)")
    return signer


def _hsm_session(key: Pkcs11Key):  # noqa: ANN202 - a python-pkcs11 session
    from pyhanko.sign import pkcs11

    if not key.module.is_file():
        raise ConfigError(f"PKCS#11 module {key.module} not found (EFILE_SEAL_PKCS11_MODULE)")
    try:
        return pkcs11.open_pkcs11_session(str(key.module),
                                          token_criteria=pkcs11.TokenCriteria(label=key.token),
                                          user_pin=key.pin)
    except Exception as e:
        raise ConfigError(f"cannot open the seal key's token {key.token!r} through "
                          f"{key.module}: {type(e).__name__} {e}".strip()) from e


def seal_pdf(pdf: bytes, cfg: SealConfig, *, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason,
                                        subfilter=fields.SigSeedSubFilter.PADES)
    stamper = timestamps.HTTPTimeStamper(cfg.tsa_url) if cfg.tsa_url else None
    if cfg.pkcs11 is None:
        return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta,
                                signer=_signer(cfg), timestamper=stamper).getvalue()
    from pkcs11.exceptions import MechanismInvalid
    from pyhanko.sign.pkcs11 import PKCS11Signer

    session = _hsm_session(cfg.pkcs11)
    try:  # the private key stays in the module: only the digest goes in, the signature out
        # a token without hash-and-sign mechanisms for its key (SoftHSM2 and many HSMs with
        # EC keys) gets the digest computed here and signed raw
        for raw in (False, True):
            signer = PKCS11Signer(session, cert_label=cfg.pkcs11.key_label,
                                  key_label=cfg.pkcs11.key_label, use_raw_mechanism=raw)
            try:
                return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta,
                                        signer=signer, timestamper=stamper).getvalue()
            except MechanismInvalid:
                if raw:
                    raise
        raise AssertionError("unreachable")
    finally:
        session.close()


def load_roots(pem: Path | None) -> list:
    if pem is None:
        return []
    from asn1crypto import pem as pem_mod
    from asn1crypto import x509

    data = pem.read_bytes()
    if not pem_mod.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _, _, der in pem_mod.unarmor(data, multiple=True)]


def check_pdf_seal(pdf: bytes, roots: list) -> SealStatus:
    import logging

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # findings are reported, not logged
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        sigs = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as e:  # noqa: BLE001 - a damaged file is a finding, not a crash
        return SealStatus(False, problems=[f"the file cannot be read as PDF: {e}"])
    if not sigs:
        return SealStatus(False, problems=["no seal in the file"])
    sig = sigs[-1]
    status = SealStatus(True, signer=sig.signer_cert.subject.human_friendly)
    try:
        v = validate_pdf_signature(sig, ValidationContext(trust_roots=roots))
    except (SignatureValidationError, ValueError) as e:
        status.problems.append(f"seal cannot be validated: {e}")
        return status
    status.intact, status.valid, status.trusted = bool(v.intact), bool(v.valid), bool(v.trusted)
    status.covers_whole_file = v.coverage is not None and v.coverage.name == "ENTIRE_FILE"
    status.signed_at = v.signer_reported_dt.isoformat() if v.signer_reported_dt else None
    status.timestamped = v.timestamp_validity is not None
    if not status.intact:
        status.problems.append("the sealed bytes were changed after sealing")
    elif not status.valid:
        status.problems.append("the seal's signature does not verify")
    if not status.trusted:
        status.problems.append("the seal certificate does not chain to a trusted root "
                               "(EFILE_SEAL_TRUST)")
    if status.intact and not status.covers_whole_file:
        status.problems.append("data was appended to the file after sealing")
    return status
