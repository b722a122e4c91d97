"""Configuration from the environment (see DESIGN.md: contracts)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
    procedure_doc: str = "Verfahrensdokumentation ersetzendes Scannen, Version 1.0"

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
            procedure_doc=env.get("EFILE_PROCEDURE_DOC") or cls.procedure_doc,
        )
