"""Split a scanned stack into documents: cover sheets start a document and name its e-file;
blank pages (duplex backs) are dropped from the documents but stay in the original and are
logged; everything else is content.

Blank means no ink at all, not little ink: a light pencil note or a faint stamp is content.
The measure works at 150 dpi (2×2 averaging keeps a pencil stroke and halves a speck),
counts only dark pixels with dark neighbours (scanner specks are single dots), ignores a 4 %
margin (edge shadows, punch holes) and compares against the page's own paper tone, so
grey recycled paper and bleed-through from the other side (much lighter than any ink) stay
blank. Pages just above the threshold are kept and flagged as doubtful for quality control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from efile.coversheet import CoverSheet, NotACoverSheet, parse_payload
from pipelines.tools.barcodes import read_codes

BLANK_INK = 0.00003  # share of the page's area in connected dark pixels; below: blank
DOUBT_FACTOR = 4  # up to this multiple of BLANK_INK a kept page is flagged as doubtful
INK_CONTRAST = 45  # grey levels darker than the paper that count as ink


@dataclass
class PageVerdict:
    index: int
    kind: str  # cover | blank | content
    ink: float
    cover: CoverSheet | None = None
    problem: str | None = None  # an unreadable or foreign code on a would-be cover sheet
    doubtful: bool = False


@dataclass
class Segment:
    pages: list[int]  # content pages, in order
    cover: CoverSheet | None = None
    cover_page: int | None = None
    blanks: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    doubtful: list[int] = field(default_factory=list)


def ink_ratio(image: Image.Image) -> float:
    """Share of the page in connected dark pixels, measured at about 150 dpi (an A4 page
    1,240 pixels wide)."""
    g = image.convert("L")
    f = max(1, round(g.width / 1240))
    small = np.asarray(g.resize((max(1, g.width // f), max(1, g.height // f)), Image.BOX),
                       dtype=np.int16)
    h, w = small.shape
    m = int(min(h, w) * 0.04)
    a = small[m:h - m, m:w - m] if m else small
    paper = np.percentile(a, 90)
    dark = a < paper - INK_CONTRAST
    # keep dark pixels with at least two dark neighbours: strokes, not specks
    p = np.pad(dark, 1).astype(np.int8)
    neighbours = sum(np.roll(np.roll(p, dy, 0), dx, 1)
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)[1:-1, 1:-1]
    return float((dark & (neighbours >= 2)).mean())


def inspect_page(index: int, image: Image.Image, *, blank_ink: float = BLANK_INK) -> PageVerdict:
    ink = ink_ratio(image)
    if ink < blank_ink:
        return PageVerdict(index, "blank", ink)
    for code in read_codes(image):
        try:
            return PageVerdict(index, "cover", ink, cover=parse_payload(code.text))
        except NotACoverSheet:
            if code.text.startswith("EFILE-CS"):
                return PageVerdict(index, "cover", ink, problem=f"damaged cover sheet code "
                                                                  f"{code.text[:40]!r}")
    return PageVerdict(index, "content", ink, doubtful=ink < blank_ink * DOUBT_FACTOR)


def split(verdicts: list[PageVerdict]) -> list[Segment]:
    """Documents in scan order. Pages before the first cover sheet form a document of their
    own (routed by its content); a cover sheet without pages after it is reported."""
    segments: list[Segment] = []
    current = Segment([])
    for v in verdicts:
        if v.kind == "cover":
            if current.pages or current.cover or current.problems:
                segments.append(current)
            current = Segment([], v.cover, v.index, problems=[v.problem] if v.problem else [])
        elif v.kind == "blank":
            current.blanks.append(v.index)
        else:
            current.pages.append(v.index)
            if v.doubtful:
                current.doubtful.append(v.index)
    if current.pages or current.cover or current.problems:
        segments.append(current)
    for s in segments:
        if not s.pages:
            s.problems.append(f"cover sheet on page {(s.cover_page or 0) + 1} has no pages "
                              "after it")
    return segments
