"""Generated sample scans of realistic ABH documents with their ground truth (tests, demo,
benchmarks). Nothing is downloaded: text, layout and scan defects are all made here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .documents import SampleDocument, sample_set
from .render import save_scan, scan_pages

# how each kind is saved, as scanners and people deliver them
FORMATS = {
    "employer_certificate": ".jpg",
    "landlord_confirmation": ".png",
    "payslip": ".tif",
    "residence_application": ".tif",  # two pages: a multi-page TIFF
    "passport": ".pdf",  # an image-only PDF from a scanner
}


@dataclass(frozen=True)
class SampleFile:
    path: Path
    doc: SampleDocument


def slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def write_samples(folder: Path, *, seed: int = 2026, persons: int = 2,
                  upside_down: set[str] | None = None) -> list[SampleFile]:
    """Write one scan per sample document into `folder`. `upside_down` names document kinds
    whose first page is fed into the scanner the wrong way round."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[SampleFile] = []
    seen: set[Path] = set()
    for doc in sample_set(seed=seed, persons=persons):
        rot = {0} if upside_down and doc.kind in upside_down else None
        pages = scan_pages(doc, seed=seed, rotate_180=rot)
        path = folder / f"{slug(doc.title)}{FORMATS[doc.kind]}"
        n = 2
        while path in seen:  # two clients of the same name: never overwrite a scan
            path = folder / f"{slug(doc.title)}-{n}{FORMATS[doc.kind]}"
            n += 1
        seen.add(path)
        save_scan(pages, path)
        files.append(SampleFile(path, doc))
    return files


__all__ = ["SampleDocument", "SampleFile", "sample_set", "save_scan", "scan_pages", "write_samples"]
