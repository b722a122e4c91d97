"""Configuration from the environment (see DESIGN.md: contracts)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pkcs11Key:
    """A seal key in a hardware security module, reached through its PKCS#11 library."""

    module: Path  # the vendor's PKCS#11 library (SoftHSM2 in the tests)
    token: str
    key_label: str  # the key and its certificate carry this label
    pin: str


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    storage_url: str
    ocr_languages: str = "deu+eng"
    ocr_workers: int = 2
    max_image_pixels: int = 180_000_000  # ~A0 at 300 dpi; larger images are refused
    aktenzeichen_pattern: str = r"\bABH-\d{4}-\d{6}\b"  # the office's file-number format
    # TR-03138: the seal key (PKCS#12), its passphrase, a timestamp authority, trust roots
    seal_pkcs12: Path | None = None
    seal_passphrase: str | None = None
    tsa_url: str | None = None
    seal_trust: Path | None = None
    seal_pkcs11: Pkcs11Key | None = None  # an HSM instead of the PKCS#12 file
    procedure_doc: str = "Verfahrensdokumentation ersetzendes Scannen, Version 1.0"
    # applicant uploads: clamd as `unix:/path` or `tcp:host:port` (unset: no malware scan)
    clamd: str | None = None
    clamd_timeout: float = 60.0
    upload_max_bytes: int = 50 * 1024 * 1024
    upload_max_pages: int = 300
    # the intake check runs in a child process with these limits (a file that loops, balloons
    # or crashes a parser is refused, the server or worker goes on); both grow with the size
    parse_timeout_s: float = 30.0
    parse_memory_mb: int = 1024
    # OpenID Connect sign-in through the city's identity provider (unset: local accounts only)
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_redirect_url: str | None = None  # unset: derived from the request
    # a team learns of new documents: POSTed here as JSON, HMAC-signed with the secret
    webhook_url: str | None = None
    webhook_secret: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("EFILE_HOME", "./var")).expanduser().resolve()
        return cls(
            home=home,
            database_url=env.get("EFILE_DATABASE_URL") or f"sqlite:///{home / 'efile.db'}",
            storage_url=env.get("EFILE_STORAGE_URL") or f"file://{home / 'objects'}",
            ocr_languages=env.get("EFILE_OCR_LANGUAGES", "deu+eng"),
            ocr_workers=int(env.get("EFILE_OCR_WORKERS") or os.cpu_count() or 1),
            max_image_pixels=int(env.get("EFILE_MAX_IMAGE_PIXELS", 180_000_000)),
            aktenzeichen_pattern=env.get("EFILE_AKTENZEICHEN_PATTERN") or cls.aktenzeichen_pattern,
            seal_pkcs12=Path(env["EFILE_SEAL_PKCS12"]) if env.get("EFILE_SEAL_PKCS12") else None,
            seal_passphrase=env.get("EFILE_SEAL_PASSPHRASE") or None,
            tsa_url=env.get("EFILE_TSA_URL") or None,
            seal_trust=Path(env["EFILE_SEAL_TRUST"]) if env.get("EFILE_SEAL_TRUST") else None,
            seal_pkcs11=Pkcs11Key(Path(env["EFILE_SEAL_PKCS11_MODULE"]),
                                  env.get("EFILE_SEAL_PKCS11_TOKEN", ""),
                                  env.get("EFILE_SEAL_PKCS11_KEY", ""),
                                  env.get("EFILE_SEAL_PKCS11_PIN", ""))
            if env.get("EFILE_SEAL_PKCS11_MODULE") else None,
            procedure_doc=env.get("EFILE_PROCEDURE_DOC") or cls.procedure_doc,
            clamd=env.get("EFILE_CLAMD") or None,
            clamd_timeout=float(env.get("EFILE_CLAMD_TIMEOUT") or cls.clamd_timeout),
            upload_max_bytes=int(env.get("EFILE_UPLOAD_MAX_BYTES") or cls.upload_max_bytes),
            upload_max_pages=int(env.get("EFILE_UPLOAD_MAX_PAGES") or cls.upload_max_pages),
            parse_timeout_s=float(env.get("EFILE_PARSE_TIMEOUT_S") or cls.parse_timeout_s),
            parse_memory_mb=int(env.get("EFILE_PARSE_MEMORY_MB") or cls.parse_memory_mb),
            oidc_issuer=env.get("EFILE_OIDC_ISSUER") or None,
            oidc_client_id=env.get("EFILE_OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("EFILE_OIDC_CLIENT_SECRET") or None,
            oidc_redirect_url=env.get("EFILE_OIDC_REDIRECT_URL") or None,
            webhook_url=env.get("EFILE_WEBHOOK_URL") or None,
            webhook_secret=env.get("EFILE_WEBHOOK_SECRET") or None,
        )
