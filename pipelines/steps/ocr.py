"""OCR one page, turning it upright first when it was scanned sideways or upside down.

Orientation detection costs a second tesseract pass, so it runs only when the first pass
reads badly (few words or low confidence): an upright page, the normal case, pays nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from classifiers import mrz, mrz_repair
from classifiers.mrz_viz import visual_dispute
from pipelines.tools import mrzband, tesseract

from .normalise import PageJob, _pnm

LOW_CONFIDENCE = 60.0
FEW_WORDS = 15
MIN_OSD_CONFIDENCE = 2.0


@dataclass(frozen=True)
class PageResult:
    index: int
    text: str
    source: str  # ocr | born-digital | none
    confidence: float | None = None
    words: int = 0
    rotate: int = 0  # clockwise degrees added to the page's /Rotate to show it upright
    text_pdf: bytes | None = None  # the invisible text layer to graft
    mrz: dict | None = None  # the machine readable zone, parsed and checked (classifiers.mrz)


def _reads_badly(r: tesseract.PageOcr) -> bool:
    return r.words < FEW_WORDS or (r.confidence or 0) < LOW_CONFIDENCE


def ocr_page(job: PageJob, languages: str) -> PageResult:
    if job.image is None:
        return PageResult(job.index, job.text or "", "born-digital")
    image, suffix = job.image, job.image_suffix
    result = tesseract.ocr_page(image, suffix, languages=languages, dpi=job.dpi)
    rotate = 0
    if _reads_badly(result):
        orient = tesseract.detect_orientation(job.image, job.image_suffix)
        if orient and orient.rotate and orient.confidence >= MIN_OSD_CONFIDENCE:
            upright = Image.open(io.BytesIO(job.image)).rotate(-orient.rotate, expand=True)
            second = tesseract.ocr_page(_pnm(upright), ".pnm", languages=languages, dpi=job.dpi)
            if (second.confidence or 0) > (result.confidence or 0):  # garbage has more "words"
                result, rotate, image, suffix = second, orient.rotate, _pnm(upright), ".pnm"
    source = "ocr" if result.words else "none"
    return PageResult(job.index, result.text.strip(), source, result.confidence, result.words,
                      rotate, result.text_pdf, read_mrz(result, image))


def read_mrz(result: tesseract.PageOcr, image: bytes) -> dict | None:
    """The page's MRZ (see _find_mrz), a valid one disputed when the visual zone prints its
    document number otherwise (classifiers/mrz_viz.py: what check digits cannot see)."""
    found = _find_mrz(result, image)
    if found and found["valid"]:
        doubt = visual_dispute(found["document_number"], result.text)
        if doubt:
            found["disputed"] = f"document number {found['document_number']} in the MRZ, {doubt}"
    return found


def _find_mrz(result: tesseract.PageOcr, image: bytes) -> dict | None:
    """The page's MRZ, from the text layer if it reads there with every check digit, else
    read again from the image: the band around tesseract's MRZ box, levelled, scaled and
    read with the MRZ alphabet only (OCR of the whole page confuses 0/O and eats fillers;
    the check digits decide which reading counts)."""
    if result.mrz_box is None:
        return None
    found = mrz.find(result.text)
    if found and found[0].valid:
        return {**found[0].to_dict(), "read_from": "text"}
    again = _read_band(image, result.mrz_box)
    if again and (again.valid or not found):
        return {**again.to_dict(), "read_from": "image"}
    return {**found[0].to_dict(), "read_from": "text"} if found else None


def _read_band(image: bytes, box: tuple[int, int, int, int]) -> mrz.Mrz | None:
    page = Image.open(io.BytesIO(image))
    left, top, right, bottom = box
    pad = max(20, (bottom - top) // 4)
    crop = page.crop((max(0, left - pad), max(0, top - pad),
                      min(page.width, right + pad), min(page.height, bottom + pad)))
    best = None
    for variant in ("as scanned", "grey", "otsu"):
        prepared = crop if variant == "as scanned" else mrzband.prepare(crop, variant)
        text = tesseract.read_mrz(prepared, psm=6)
        found = mrz.find(text)
        if found and found[0].valid:
            return found[0]
        lines = [ln for ln in text.splitlines() if len(ln.strip()) >= 20]
        repaired = mrz_repair.repair_group(lines) if len(lines) in (2, 3) else None
        if repaired is not None and repaired.valid:
            return repaired
        best = best or (found[0] if found else repaired)
    return best
