"""An MRZ band cut into its lines, and each line into its fixed-pitch character cells.

Why cells: tesseract's LSTM model, even with the MRZ alphabet as its whitelist, reads a long
run of '<' fillers with the wrong count and often as K, C, E or S ("CHE<<<<<KK" for
"CHE<<<<<<<<<<<4"), which shifts every field after it. The MRZ, though, is printed in
OCR-B at a fixed pitch with no spaces: every character, filler or not, is one blob of ink in
its own cell. So the cells are counted on the image (connected components at a regular
pitch), the fillers among them recognised by their shape (a chevron: ink at the middle of
its left side, at the top and bottom of its right side, nothing in between), and tesseract's
characters, with the pixel columns its box output gives them, placed into the cells by a
monotone alignment (`place`). The line then has its exact width, fillers where the image
has chevrons, and tesseract's reading of every other cell. Nothing is invented: a cell
tesseract gave no character is '?', and the check digits decide whether the line holds.

Only numpy, scipy and Pillow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps
from scipy import ndimage

from .mrzband import _grey, _otsu, deskew

LINE_HEIGHT = 34  # pixels of ink a line is scaled to (tesseract reads best at 30-40)
WORK_WIDTH = 900  # a small band is scaled up to this before its lines are looked for
FILLERISH = set("<KCEG6LRS")  # what tesseract reads a filler as
WIDTHS = (30, 36, 44)  # characters in a line of TD1, TD2 and MRV-B, TD3 and MRV-A


@dataclass(frozen=True)
class Line:
    image: Image.Image  # grey, LINE_HEIGHT of ink, white margin
    cells: list[float]  # x centre of every character cell, in `image` pixels
    fillers: list[bool]  # per cell: a '<' by its shape

    @property
    def pitch(self) -> float:
        return float(np.median(np.diff(self.cells))) if len(self.cells) > 1 else 1.0


def _dark(grey: Image.Image, size: int = 31) -> np.ndarray:
    a = np.asarray(grey, dtype=np.float32)
    return a < ndimage.uniform_filter(a, size=size) - 12


def _rows(dark: np.ndarray) -> list[tuple[int, int]]:
    """The band's text lines as runs of rows with ink, the short ones (specks, the edge of
    the print above) left out."""
    prof = dark.sum(axis=1)
    on = prof > max(2, 0.08 * prof.max()) if prof.size and prof.max() else []
    runs, start = [], None
    for y, o in enumerate([*on, False]):
        if o and start is None:
            start = y
        elif not o and start is not None:
            runs.append((start, y))
            start = None
    if not runs:
        return []
    tallest = max(b - t for t, b in runs)
    return [(t, b) for t, b in runs if b - t >= 0.45 * tallest]


def lines(crop: Image.Image, *, limit: int = 3) -> list[Line]:
    """The band's last `limit` lines (the MRZ is the band's bottom lines), each levelled,
    scaled to LINE_HEIGHT and cut to its ink, with its cells where they can be counted."""
    found = _cut(deskew(_grey(crop)), _local_ink, limit)
    if any(line.cells for line in found):
        return found
    # a document photographed on a dark ground (Luxembourg's specimen): the dark edge
    # decides mrzband.deskew's angle and merges the rows, so the band is levelled by its
    # strokes and its print taken as thin dark detail (black-hat), and of its rows those
    # that stand at a regular pitch are kept
    again = [ln for ln in _cut(level(_grey(crop)), _thin_ink, 8) if ln.cells][-limit:]
    return again or found


def _local_ink(grey: Image.Image) -> np.ndarray:
    return ndimage.binary_opening(_dark(grey, max(15, grey.height // 3 | 1)),
                                  structure=np.ones((2, 2)))


def _thin_ink(grey: Image.Image) -> np.ndarray:
    a = np.asarray(grey, dtype=np.float32)
    k = max(5, grey.height // 10)
    detail = ndimage.grey_closing(a, size=(k, k)) - a
    return detail > max(12.0, _otsu(detail))


def level(grey: Image.Image) -> Image.Image:
    """The band turned (within ±6°) so that its rows of print are sharpest, print taken as
    what is darker than its neighbourhood (mrzband.deskew's one threshold lets a dark
    background decide the angle)."""
    small = grey.resize((300, max(8, round(grey.height * 300 / grey.width))), Image.BILINEAR)
    ink = _dark(small, 15).astype(np.uint8)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-6, 6.01, 0.5):
        rows = ndimage.rotate(ink, angle, reshape=False, order=0).sum(axis=1).astype(float)
        if float(np.var(rows)) > best_score:
            best, best_score = float(angle), float(np.var(rows))
    if best == 0.0:
        return grey
    return grey.rotate(best, expand=True, fillcolor=255, resample=Image.BICUBIC)


def _cut(grey: Image.Image, ink_of: Callable[[Image.Image], np.ndarray], limit: int
         ) -> list[Line]:
    """The lines of a levelled band, its print found by `ink_of`."""
    if grey.width < WORK_WIDTH:
        scale = WORK_WIDTH / grey.width
        grey = grey.resize((WORK_WIDTH, max(1, round(grey.height * scale))), Image.LANCZOS)
    dark = ink_of(grey)
    out = []
    for top, bottom in _rows(dark)[-limit:]:
        cols = np.flatnonzero(dark[top:bottom].any(axis=0))
        if cols.size == 0:
            continue
        h = bottom - top
        pad = max(2, h // 4)
        piece = grey.crop((max(0, int(cols[0]) - pad), max(0, top - pad),
                           min(grey.width, int(cols[-1]) + 1 + pad), min(grey.height, bottom + pad)))
        s = LINE_HEIGHT / h
        piece = piece.resize((max(1, round(piece.width * s)), max(1, round(piece.height * s))),
                             Image.LANCZOS)
        piece = ImageOps.expand(ImageOps.autocontrast(piece, cutoff=1), border=12, fill=255)
        centres, fillers = cells(_dark(piece))
        out.append(Line(piece, centres, fillers))
    return out


def prepared(line: Line, how: str) -> Image.Image:
    """The line for tesseract: 'grey' as cut, 'local' (threshold against the neighbourhood)
    or 'otsu' (one threshold); the cells stay where they are."""
    if how == "grey":
        return line.image
    a = np.asarray(line.image, dtype=np.float32)
    ink = _dark(line.image) if how == "local" else a < _otsu(a)
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def _glyphs(ink: np.ndarray) -> list[list[int]]:
    """Boxes (x0, x1, y0, y1) of the line's blobs of ink, left to right; blobs one above the
    other (a character broken by a poor print) joined."""
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    h = ink.shape[0]
    boxes = []
    for i, sl in enumerate(ndimage.find_objects(labels)):
        if sl is None:
            continue
        y0, y1, x0, x1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        if y1 - y0 < 0.25 * h or (labels[sl] == i + 1).sum() < 0.02 * h * h:
            continue  # a speck of the security print
        boxes.append([x0, x1, y0, y1])
    boxes.sort()
    merged: list[list[int]] = []
    for b in boxes:
        if merged and min(merged[-1][1], b[1]) - max(merged[-1][0], b[0]) > 0.5 * min(
                b[1] - b[0], merged[-1][1] - merged[-1][0]):
            m = merged[-1]
            merged[-1] = [min(m[0], b[0]), max(m[1], b[1]), min(m[2], b[2]), max(m[3], b[3])]
        else:
            merged.append(b)
    return merged


def _is_filler(ink: np.ndarray, box: list[int], cap: int) -> bool:
    """A chevron '<': in thirds of its box, ink at the middle of the left side but not at its
    top or bottom, ink at the top and bottom of the right side but less in its middle. (K, C,
    E and the other letters tesseract puts for it have a full left side.)"""
    x0, x1, y0, y1 = box
    g = ink[y0:y1, x0:x1]
    gh, gw = g.shape
    if gh < 4 or gw < 3 or gh > 1.05 * cap:
        return False
    t, cw = max(1, gh // 3), max(1, gw // 3)
    left, right = g[:, :cw], g[:, gw - cw:]
    lt, lm, lb = left[:t].mean(), left[t:gh - t].mean(), left[gh - t:].mean()
    rt, rm, rb = right[:t].mean(), right[t:gh - t].mean(), right[gh - t:].mean()
    return bool(lm > 0.25 and lt < 0.15 and lb < 0.15 and rt > 0.2 and rb > 0.2
                and rm < 0.5 * min(rt, rb) + 0.05)


def cells(ink: np.ndarray) -> tuple[list[float], list[bool]]:
    """The centres of the line's character cells and which are fillers, or two empty lists
    when the blobs do not stand at one regular pitch (touching characters, a line of print
    that is no MRZ): then the line is read as tesseract reads it."""
    boxes = _glyphs(ink)
    if len(boxes) < 20:
        return [], []
    heights = sorted(b[3] - b[2] for b in boxes)
    cap = heights[int(len(heights) * 0.8)]
    centres = np.array([(b[0] + b[1]) / 2 for b in boxes])
    gaps = np.diff(centres)
    pitch = float(np.median(gaps))
    if pitch <= 0 or (np.abs(gaps / pitch - 1) > 0.45).any():
        return [], []
    return centres.tolist(), [_is_filler(ink, b, cap) for b in boxes]


def place(chars: list[tuple[str, int, int]], line: Line) -> str:
    """tesseract's characters (with their pixel columns) put into the line's cells: a
    monotone alignment that keeps each character near its own column and fillers in filler
    cells. A filler cell nothing lands in is '<' (the image shows a chevron there); any other
    cell nothing lands in is '?', which no check digit accepts. A '<' tesseract reads in a
    cell the shape test did not take for a filler stays '<' (faint print): the check digits
    decide."""
    if not line.cells:
        return "".join(c for c, _, _ in chars)
    n, m, pitch = len(line.cells), len(chars), line.pitch

    def cost(i: int, j: int) -> float:
        ch, x0, x1 = chars[i]
        away = min(2.0, abs((x0 + x1) / 2 - line.cells[j]) / pitch)
        if line.fillers[j]:
            kind = 0.0 if ch == "<" else 0.6 if ch in FILLERISH else 1.5
        else:  # a faint chevron the shape test missed, or a character read as one
            kind = 0.8 if ch == "<" else 0.0
        return kind + away

    inf = float("inf")
    best = np.full((m + 1, n + 1), inf)
    step = np.zeros((m + 1, n + 1), dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(m + 1):
        for j in range(n + 1):
            if i and j and best[i - 1, j - 1] + cost(i - 1, j - 1) < best[i, j]:
                best[i, j], step[i, j] = best[i - 1, j - 1] + cost(i - 1, j - 1), 1
            if i and best[i - 1, j] + 0.7 < best[i, j]:  # a character too many
                best[i, j], step[i, j] = best[i - 1, j] + 0.7, 2
            if j:  # a cell left empty: a filler's is cheap, tesseract drops those most
                c = best[i, j - 1] + (0.3 if line.fillers[j - 1] else 1.0)
                if c < best[i, j]:
                    best[i, j], step[i, j] = c, 3
    put: list[str | None] = [None] * n
    i, j = m, n
    while i or j:
        s = step[i, j]
        if s == 1:
            put[j - 1] = chars[i - 1][0]
            i, j = i - 1, j - 1
        elif s == 2:
            i -= 1
        else:
            j -= 1
    return "".join("<" if f else (c or "?") for c, f in zip(put, line.fillers, strict=True))


def lone_cells(line: Line, limit: int = 3) -> list[int]:
    """The cells that follow a run of two or more fillers and are none: the check digits at
    the ends of TD1's and TD3's lines. Read in a run of '<', the LSTM model tends to carry
    the run on over them (a 4 read as K), so these are read once more on their own."""
    f = line.fillers
    out = [j for j in range(2, len(f)) if not f[j] and f[j - 1] and f[j - 2]]
    return out[-limit:]


def cell_image(line: Line, j: int, how: str = "grey") -> Image.Image:
    """Cell j of the line alone, with a white margin, for tesseract to read as one character."""
    img = prepared(line, how)
    half = 0.6 * line.pitch
    x = line.cells[j]
    piece = img.crop((max(0, round(x - half)), 0, min(img.width, round(x + half)), img.height))
    return ImageOps.expand(piece, border=16, fill=255)


def fitted(placed: str) -> str:
    """A placed line with more cells than any MRZ width (a speck or the document's edge next
    to the print counted as a cell): the empty cells at its ends dropped down to the width."""
    for width in WIDTHS:
        if width < len(placed) <= width + 2:
            while len(placed) > width and placed[0] == "?":
                placed = placed[1:]
            while len(placed) > width and placed[-1] == "?":
                placed = placed[:-1]
    return placed
