"""Find the machine readable zone (MRZ) band on a page image, independently of tesseract.

The MRZ is two or three lines of fixed-pitch OCR-B, dark on light, spanning most of the
document's width near one edge. On a downscaled copy, a black-hat (dark detail smaller than
a character) followed by a horizontal gradient lights up text; closing with a wide kernel
joins the characters of a line and the lines of the band into one wide blob, which is what
distinguishes the MRZ from ordinary text and from patterned security paper (its strokes are
thin and its gradient weak and scattered). The same is done on the image turned by 90° for
documents photographed sideways; a band read upside down is turned by 180° by the reader.
Only numpy, scipy and Pillow: no OpenCV needed for this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps
from scipy import ndimage

WORK_WIDTH = 600  # pixels: the band finder's working size (small images are scaled up)
MIN_WIDTH_SHARE = 0.30  # a band spans at least this share of the image's width
MIN_ASPECT = 3.5  # width / height of a band of two or three lines


@dataclass(frozen=True)
class Band:
    box: tuple[int, int, int, int]  # left, top, right, bottom in the turned image's pixels
    turn: int  # degrees counter-clockwise the image was turned before cropping (0 or 90)
    score: float

    def crop(self, image: Image.Image, pad: float = 0.12) -> Image.Image:
        """The band cut from the (turned) image with a margin around it."""
        img = image.rotate(self.turn, expand=True) if self.turn else image
        left, top, right, bottom = self.box
        px = int((bottom - top) * pad) + 4
        return img.crop((max(0, left - px), max(0, top - px),
                         min(img.width, right + px), min(img.height, bottom + px)))


def _grey(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        bg = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(bg, image)
    return ImageOps.grayscale(image)


def _otsu(a: np.ndarray) -> float:
    hist, edges = np.histogram(a, bins=256, range=(float(a.min()), float(a.max()) + 1e-6))
    p = hist.astype(float) / max(1, hist.sum())
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * omega - mu) ** 2 / np.maximum(omega * (1 - omega), 1e-12)
    return float(edges[int(np.argmax(between))])


def _blobs(grey: np.ndarray) -> list[tuple[tuple[int, int, int, int], float]]:
    """Wide horizontal blobs of dense text on a grey image of WORK_WIDTH columns."""
    a = grey.astype(np.float32)
    h, w = a.shape
    blackhat = ndimage.grey_closing(a, size=(7, 15)) - a
    grad = np.abs(ndimage.sobel(blackhat, axis=1))
    grad = (grad - grad.min()) / max(1e-6, float(grad.max() - grad.min())) * 255
    grad = ndimage.grey_closing(grad, size=(3, 17))
    mask = (grad > _otsu(grad)).astype(np.uint8)
    # closing (max then min filter: the fast form of a binary closing), then an opening that
    # removes thin bridges to neighbouring print
    mask = ndimage.minimum_filter(ndimage.maximum_filter(mask, size=(5, 21)), size=(5, 21))
    mask = ndimage.maximum_filter(ndimage.minimum_filter(mask, size=(5, 7)), size=(5, 7))
    labels, _ = ndimage.label(mask)
    lines = []
    for sl in ndimage.find_objects(labels):
        if sl is None:
            continue
        y0, y1, x0, x1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        if x1 - x0 >= MIN_WIDTH_SHARE * w * 0.8 and x1 - x0 >= 6 * (y1 - y0):
            lines.append([x0, y0, x1, y1, float(mask[sl].mean())])
    out = []
    for x0, y0, x1, y1, fill in _merge_lines(lines):
        bw, bh = x1 - x0, y1 - y0
        if bw < MIN_WIDTH_SHARE * w or bw < MIN_ASPECT * bh or bh < 6:
            continue
        # the MRZ lies in the lower part of its document: a gentle preference, not a rule
        lower = 1.0 + 0.3 * ((y0 + y1) / 2 / h)
        out.append(((int(x0), int(y0), int(x1), int(y1)), bw / w * fill * lower))
    return out


def _merge_lines(lines: list[list[float]]) -> list[list[float]]:
    """Join text lines that sit one under the other with the same width into one band
    (two or three MRZ lines; a line on its own is kept too, the reader decides)."""
    lines.sort(key=lambda b: b[1])
    bands: list[list[float]] = []
    for x0, y0, x1, y1, fill in lines:
        for b in bands:
            overlap = min(b[2], x1) - max(b[0], x0)
            height = max(b[3] - b[1], y1 - y0)
            line_h = (b[3] - b[1]) / b[5]
            if (overlap > 0.8 * max(b[2] - b[0], x1 - x0) and y0 - b[3] < 1.6 * line_h
                    and b[5] < 3 and height < 4 * line_h + (y1 - y0)):
                b[:5] = [min(b[0], x0), b[1], max(b[2], x1), max(b[3], y1), (b[4] + fill) / 2]
                b[5] += 1
                break
        else:
            bands.append([x0, y0, x1, y1, fill, 1])
    return [b[:5] for b in bands]


def find_bands(image: Image.Image, *, limit: int = 3) -> list[Band]:
    """Candidate MRZ bands, most likely first: upright and turned by 90°."""
    grey = _grey(image)
    bands = []
    for turn in (0, 90):
        g = grey.rotate(turn, expand=True) if turn else grey
        scale = WORK_WIDTH / g.width
        small = g.resize((WORK_WIDTH, max(1, round(g.height * scale))), Image.BILINEAR)
        for (x0, y0, x1, y1), score in _blobs(np.asarray(small)):
            box = (int(x0 / scale), int(y0 / scale), int(x1 / scale) + 1, int(y1 / scale) + 1)
            bands.append(Band(box, turn, score))
    bands.sort(key=lambda b: -b.score)
    return bands[:limit]


def find_bands_any_angle(image: Image.Image, *, limit: int = 3) -> list[Band]:
    """find_bands, and when nothing is found, again on the image turned by a few degrees
    (a phone photo taken at a slant: its lines do not make wide level blobs)."""
    bands = find_bands(image, limit=limit)
    if bands:
        return bands
    for angle in (8, -8, 15, -15):
        turned = _grey(image).rotate(angle, expand=True, fillcolor=255, resample=Image.BILINEAR)
        found = [Band(b.box, b.turn, b.score) for b in find_bands(turned, limit=limit)]
        if found:
            return [_Turned(b.box, b.turn, b.score, angle) for b in found]
    return []


@dataclass(frozen=True)
class _Turned(Band):
    """A band found on the image turned by a small angle first."""
    angle: float = 0.0

    def crop(self, image: Image.Image, pad: float = 0.12) -> Image.Image:
        turned = _grey(image).rotate(self.angle, expand=True, fillcolor=255,
                                     resample=Image.BICUBIC)
        return Band(self.box, self.turn, self.score).crop(turned, pad)


# -- preparing a band for OCR ------------------------------------------------------------------

READ_WIDTH = 1100  # pixels: a 44-character line then has characters about 30 px high


def _projection_score(binary: np.ndarray) -> float:
    rows = binary.sum(axis=1).astype(float)
    return float(np.var(rows))


def deskew(grey: Image.Image) -> Image.Image:
    """Level the band: the angle (within ±5°) whose rows of ink are sharpest."""
    small = grey.resize((300, max(8, round(grey.height * 300 / grey.width))), Image.BILINEAR)
    a = np.asarray(small, dtype=np.float32)
    dark = a < _otsu(a)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-5, 5.01, 0.5):
        turned = ndimage.rotate(dark.astype(np.uint8), angle, reshape=False, order=0)
        score = _projection_score(turned)
        if score > best_score:
            best, best_score = float(angle), score
    if best == 0.0:
        return grey
    return grey.rotate(best, expand=True, fillcolor=255, resample=Image.BICUBIC)


def prepare(crop: Image.Image, variant: str, width: int = READ_WIDTH) -> Image.Image:
    """The band ready for tesseract: grey, level, scaled to `width`, then
    'otsu' (global threshold), 'local' (threshold against the neighbourhood: glare and
    patterned paper) or 'grey' (contrast stretched only)."""
    grey = deskew(_grey(crop))
    scale = width / grey.width
    grey = grey.resize((width, max(1, round(grey.height * scale))), Image.LANCZOS)
    if variant == "grey":
        return ImageOps.autocontrast(grey, cutoff=1)
    a = np.asarray(grey, dtype=np.float32)
    if variant == "local":
        mean = ndimage.uniform_filter(a, size=41)
        out = a > mean - 12
    else:
        out = a > _otsu(a)
    out = ndimage.binary_opening(~out, structure=np.ones((2, 2)))  # specks of the pattern
    return Image.fromarray(np.where(out, 0, 255).astype(np.uint8))


def split_lines(binary: Image.Image) -> list[Image.Image]:
    """The band's text lines, top to bottom, cut where the rows hold no ink."""
    a = np.asarray(binary) < 128
    rows = a.sum(axis=1)
    ink = rows > max(2, 0.02 * a.shape[1])
    lines, start = [], None
    for y, on in enumerate([*ink, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 8:
                lines.append((start, y))
            start = None
    if not lines:
        return []
    tallest = max(b - t for t, b in lines)
    out = []
    for top, bottom in lines:
        if bottom - top < 0.5 * tallest:
            continue
        pad = (bottom - top) // 3
        out.append(binary.crop((0, max(0, top - pad), binary.width,
                                min(binary.height, bottom + pad))))
    return out
