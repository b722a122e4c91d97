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
        )
