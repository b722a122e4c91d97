"""Page text: the single test of whether a page already carries real text, and extraction of
born-digital text for the archive record."""

from __future__ import annotations

import io

import pdfplumber

MIN_TEXT_CHARS = 20


def page_has_real_text(text: str) -> bool:
    """True when a page's text layer holds readable text, not just a stray page number or
    the garbage an empty text layer sometimes yields. Used for every input, scan or upload."""
    letters = sum(ch.isalnum() for ch in text)
    return letters >= MIN_TEXT_CHARS and letters >= 0.5 * len(text.strip())


def extract_page_texts(pdf: bytes, indexes: list[int]) -> dict[int, str]:
    """Text of the given pages (0-based) with pdfplumber's layout-aware extraction."""
    if not indexes:
        return {}
    out = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i in indexes:
            out[i] = doc.pages[i].extract_text() or ""
    return out
