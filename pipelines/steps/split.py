"""Split a scanned stack into documents by the sheets laid into it. Every page is one of:

- a cover sheet (QR code, efile/coversheet.py): starts a document and names its e-file;
- a PATCH-T separator (pipelines/tools/patchcode.py): ends the document before it and starts
  a new one, routed by its content;
- blank (a duplex back): dropped from the documents;
- content.

Cover, separator and blank pages stay in the original (the stored scan file) and in the batch
record, never in a document. A separator that starts nothing new (right after a cover sheet
or another separator, at the start or the end of the stack) is recorded with the document
next to it and splits nothing. Other patch codes (1, 2, 3, 4, 6: scanner control sheets for
image levels and colour toggling) are recognised and reported, but the page stays in its
document: efile gives them no meaning, and a page is never dropped on a guess about one. A
cover sheet with a patch printed on it (so that the scanner's own reader splits too) is a
cover sheet: its code names the e-file.

Where the stack holds several documents without sheets between them (a whole paper file),
pipelines/steps/boundaries.py finds them by content and `cut` makes them segments.

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
from pipelines.tools.patchcode import find_patch_codes

BLANK_INK = 0.00003  # share of the page's area in connected dark pixels; below: blank
DOUBT_FACTOR = 4  # up to this multiple of BLANK_INK a kept page is flagged as doubtful
INK_CONTRAST = 45  # grey levels darker than the paper that count as ink


@dataclass
class PageVerdict:
    index: int
    kind: str  # cover | separator | blank | content
    ink: float
    cover: CoverSheet | None = None
    problem: str | None = None  # an unreadable or foreign code on a would-be cover sheet
    doubtful: bool = False
    patch: str | None = None  # the patch code read on the page: T (separator), 1 2 3 4 6


@dataclass
class Segment:
    pages: list[int]  # content pages, in order
    cover: CoverSheet | None = None
    cover_page: int | None = None
    blanks: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    doubtful: list[int] = field(default_factory=list)
    separators: list[int] = field(default_factory=list)  # PATCH-T sheets recorded with it
    patches: dict[int, str] = field(default_factory=dict)  # content pages with other patches

    @property
    def empty(self) -> bool:
        """Nothing that makes a document or needs reporting (blanks and separators only)."""
        return not (self.pages or self.cover or self.problems)


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


def inspect_page(index: int, image: Image.Image, *, blank_ink: float = BLANK_INK,
                 dpi: float | None = None) -> PageVerdict:
    """`dpi`: the image's resolution (None: an A4 page is assumed, for the patch code's size)."""
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
    patches = find_patch_codes(image, dpi)
    if any(p.separator for p in patches):
        return PageVerdict(index, "separator", ink, patch="T")
    return PageVerdict(index, "content", ink, doubtful=ink < blank_ink * DOUBT_FACTOR,
                       patch=patches[0].symbol if patches else None)


def split(verdicts: list[PageVerdict]) -> list[Segment]:
    """Documents in scan order. Pages before the first cover sheet or separator form a
    document of their own (routed by its content); a cover sheet without pages after it is
    reported."""
    segments: list[Segment] = []
    current = Segment([])
    for v in verdicts:
        starts = v.kind == "cover" or (v.kind == "separator" and not current.empty)
        if starts:
            if not current.empty:
                segments.append(current)
                current = Segment([])
            # blanks and separators seen since the last document go with the new one
            current = Segment([], blanks=current.blanks, separators=current.separators)
            if v.kind == "cover":
                current.cover, current.cover_page = v.cover, v.index
                current.problems = [v.problem] if v.problem else []
            else:
                current.separators.append(v.index)
        elif v.kind == "separator":  # nothing to end: after a cover sheet, a separator, or first
            current.separators.append(v.index)
        elif v.kind == "blank":
            current.blanks.append(v.index)
        else:
            current.pages.append(v.index)
            if v.doubtful:
                current.doubtful.append(v.index)
            if v.patch:
                current.patches[v.index] = v.patch
    if not current.empty:
        segments.append(current)
    elif segments:  # a separator or blank backs after the last document: recorded with it
        segments[-1].blanks += current.blanks
        segments[-1].separators += current.separators
    for s in segments:
        if not s.pages:
            s.problems.append(f"cover sheet on page {(s.cover_page or 0) + 1} has no pages "
                              "after it")
    return segments


def cut(segment: Segment, starts: list[int]) -> list[Segment]:
    """A segment cut into documents beginning at the pages `starts` (its first page first).
    The cover sheet and separators stay with the first document; a blank page goes with
    the document of the sheet before it (a duplex back)."""
    parts = []
    for n, first in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else None
        pages = [p for p in segment.pages if p >= first and (end is None or p < end)]
        parts.append(Segment(pages, doubtful=[p for p in segment.doubtful if p in pages],
                             patches={p: s for p, s in segment.patches.items() if p in pages}))
    head = parts[0]
    head.cover, head.cover_page = segment.cover, segment.cover_page
    head.separators, head.problems = list(segment.separators), list(segment.problems)
    for b in segment.blanks:
        owner = max((p for p in parts if p.pages[0] < b), key=lambda p: p.pages[0],
                    default=parts[0])
        owner.blanks.append(b)
    return parts
