"""Page text: the single test of whether a PDF page already carries real text (so it needs no
OCR: the born-digital fast path), and extraction of born-digital text for the archive record.

Real text is enough characters, nearly all of them printable, with most of its letters in
word-like runs of three or more. OCR of a sideways page or of noise yields mostly one- and
two-letter scraps and symbols: measured on the sample scans, 19-26 % of the letters sit in
word-like runs, against 97 % read upright. Text no reader sees (render mode 3: an OCR layer
someone else made) must read better still to be trusted.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pdfplumber

from pipelines.tools import pdfium
from pipelines.tools.pdfium import raw as pdfium_c

MIN_TEXT_CHARS = 20
MIN_WORDLIKE = 0.5  # share of the letters that sit in word-like runs, for visible text
MIN_WORDLIKE_INVISIBLE = 0.7  # for a page whose text is all invisible (an OCR layer)
MIN_PRINTABLE = 0.95

_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_VOWELS = set("aeiouyäöüáàâéèêëíìîïóòôúùûæøåœ")
_REPEATS = re.compile(r"(.)\1\1", re.I)
_JUNK = {"Cc", "Co", "Cn", "Cs"}  # control, private-use (unmapped glyphs), unassigned
_INVISIBLE = {pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP}


def _wordlike(run: str) -> bool:
    """A run of letters that could be a word of a European language: it has a vowel, no
    letter three times in a row, and is lower case, upper case or capitalised."""
    shape_ok = run.islower() or run.isupper() or (run[0].isupper() and run[1:].islower())
    return shape_ok and not _REPEATS.search(run) and any(c in _VOWELS for c in run.lower())


def page_has_real_text(text: str, *, invisible: bool = False,
                       min_chars: int = MIN_TEXT_CHARS) -> bool:
    """True when a page's text layer holds readable text, not a stray page number or the
    garbage a broken font or a bad OCR layer yields. Used for every input, scan or upload."""
    stripped = "".join(text.split())
    letters = sum(ch.isalnum() for ch in stripped)
    if letters < max(1, min_chars) or letters < 0.5 * len(stripped):
        return False
    junk = sum(ch == "\ufffd" or unicodedata.category(ch) in _JUNK for ch in stripped)
    if junk > (1 - MIN_PRINTABLE) * len(stripped):
        return False
    runs = _LETTER_RUNS.findall(text)
    in_words = sum(len(r) for r in runs if len(r) >= 3 and _wordlike(r))
    share = in_words / max(1, sum(map(len, runs)))
    return share >= (MIN_WORDLIKE_INVISIBLE if invisible else MIN_WORDLIKE)


def _all_text_invisible(page: pdfium.PdfPage) -> bool:
    """True when no text on the page is painted (stops at the first text that is)."""
    with pdfium.locked():
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) not in _INVISIBLE:
                return False
    return True


_DRAWN = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH,
          pdfium_c.FPDF_PAGEOBJ_SHADING]


def _only_text(page: pdfium.PdfPage) -> bool:
    """True when the page holds text objects and nothing else: no image a scanner made, no
    drawing that could be outlined lettering. OCR could read no more than its text layer."""
    with pdfium.locked():
        return not any(True for _ in page.get_objects(filter=_DRAWN, max_depth=4))


def real_page_text(page: pdfium.PdfPage) -> str | None:
    """The page's text when it is real text (see page_has_real_text), else None. Call it
    inside `pdfium.document` (which holds the PDFium lock). A short text ("Anlage 3", a
    separator page) is real when the page holds nothing but text: OCR cost a second a page
    to read the same words (30 s for a 30-page file of such pages)."""
    text = pdfium.page_text(page)
    if not page_has_real_text(text) and not (page_has_real_text(text, min_chars=1)
                                             and _only_text(page)):
        return None
    if _all_text_invisible(page) and not page_has_real_text(text, invisible=True):
        return None
    return text


def has_real_text(pdf: bytes | Path | str) -> bool:
    """True when every page of the PDF carries real text: the document needs no OCR."""
    with pdfium.document(pdf) as doc:
        return len(doc) > 0 and all(real_page_text(doc[i]) is not None for i in range(len(doc)))


def extract_page_texts(pdf: bytes, indexes: list[int]) -> dict[int, str]:
    """Text of the given pages (0-based) with pdfplumber's layout-aware extraction."""
    if not indexes:
        return {}
    out = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i in indexes:
            out[i] = doc.pages[i].extract_text() or ""
    return out
