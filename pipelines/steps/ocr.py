"""OCR one page, turning it upright first when it was scanned sideways or upside down.

Orientation detection costs a second tesseract pass, so it runs only when the first pass
reads badly (few words or low confidence): an upright page, the normal case, pays nothing.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from PIL import Image

from classifiers.mrz_viz import printed_as_encoded, visual_dispute
from pipelines.tools import tesseract

from . import mrz_read
from .normalise import PageJob, _pnm

LOW_CONFIDENCE = 60.0
FEW_WORDS = 15
MIN_OSD_CONFIDENCE = 2.0
# re-reading an MRZ band may take this share of the page pass's time (issue #14: an identity
# page costs at most twice one tesseract pass)
MRZ_BUDGET = 1.0


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
    started = time.monotonic()
    result = tesseract.ocr_page(image, suffix, languages=languages, dpi=job.dpi)
    page_s = time.monotonic() - started
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
                      rotate, result.text_pdf, read_mrz(result, image, MRZ_BUDGET * page_s))


def read_mrz(result: tesseract.PageOcr, image: bytes, budget_s: float | None = None
             ) -> dict | None:
    """The page's MRZ (steps/mrz_read.py), a valid one disputed when the visual zone prints
    its document number otherwise (classifiers/mrz_viz.py: what check digits cannot see)."""
    found = mrz_read.read_mrz(result, image, budget_s=budget_s)
    if found and found.get("rivals"):
        # readings disagree (L and 1 weigh the same in the check sum): the one whose number
        # the visual zone prints as encoded, when exactly one is, is the document's
        printed = [r for r in found["rivals"] if printed_as_encoded(r["document_number"],
                                                                    result.text)]
        found = {**printed[0], "confirmed_by": "visual zone"} if len(printed) == 1 else found
    if found and found["valid"] and not found.get("disputed"):
        doubt = visual_dispute(found["document_number"], result.text)
        if doubt:
            found["disputed"] = f"document number {found['document_number']} in the MRZ, {doubt}"
    return found
