"""Render sample documents as 300-dpi scans: paper tone, noise, specks, blur, skew.

The result looks like the output of an office scanner, not like a clean PDF render, so OCR
quality measured on it means something. Fonts come from Debian's fonts-dejavu-core.
"""

from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .documents import Line, SampleDocument

DPI = 300
A4_PX = (2480, 3508)  # 210 x 297 mm at 300 dpi
MARGIN_MM = 22.0
_FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation2"]
_FONTS = {
    (False, False): ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
    (True, False): ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
    (False, True): ["DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"],
    (True, True): ["DejaVuSansMono-Bold.ttf", "LiberationMono-Bold.ttf"],
}


class FontMissing(RuntimeError):
    pass


def mm(v: float) -> int:
    return round(v / 25.4 * DPI)


@lru_cache(maxsize=64)
def _font(size_pt: int, bold: bool, mono: bool) -> ImageFont.FreeTypeFont:
    for name in _FONTS[(bold, mono)]:
        for d in _FONT_DIRS:
            p = Path(d) / name
            if p.exists():
                return ImageFont.truetype(str(p), round(size_pt / 72 * DPI))
    raise FontMissing("no TrueType font found: install the Debian package fonts-dejavu-core")


def render_page(lines: list[Line]) -> Image.Image:
    """A clean page (8-bit grayscale, white paper, black text)."""
    img = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(img)
    y = mm(MARGIN_MM)
    for line in lines:
        font = _font(line.size, line.bold, line.mono)
        y += mm(line.gap_before)
        if line.text:
            draw.text((mm(MARGIN_MM + line.indent), y), line.text, font=font, fill=0)
        y += round(line.size / 72 * DPI * 1.45)
    return img


def degrade(img: Image.Image, rng: random.Random, *, strength: float = 1.0,
            angle: float | None = None) -> Image.Image:
    """Make a clean page look scanned: skew (softening edges), paper tone, noise and specks."""
    if angle is None:
        angle = rng.uniform(-1.2, 1.2) * strength
    # bilinear resampling of the skew also softens glyph edges the way scanner optics do
    img = img.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)
    np_rng = np.random.default_rng(rng.randrange(2**32))
    a = np.asarray(img, dtype=np.float32)
    paper = rng.uniform(232, 248)
    a = a * (paper / 255.0)  # paper is never pure white
    a += np_rng.standard_normal(a.shape, dtype=np.float32) * np.float32(7.0 * strength)
    n_specks = int(600 * strength)
    ys = np_rng.integers(0, a.shape[0], n_specks)
    xs = np_rng.integers(0, a.shape[1], n_specks)
    a[ys, xs] = np_rng.uniform(0, 120, n_specks)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def scan_pages(doc: SampleDocument, seed: int = 0, strength: float = 1.0,
               rotate_180: set[int] | None = None) -> list[Image.Image]:
    rng = random.Random(f"{seed}:{doc.title}")
    pages = []
    for i, lines in enumerate(doc.pages):
        page = degrade(render_page(lines), rng, strength=strength)
        if rotate_180 and i in rotate_180:
            page = page.rotate(180)
        pages.append(page)
    return pages


def save_scan(pages: list[Image.Image], path: Path) -> Path:
    """Save as the scanner would: TIFF (multi-page), PNG, JPEG, by the path's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".tif", ".tiff"):
        pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_adobe_deflate",
                      dpi=(DPI, DPI))
    elif suffix == ".png":
        if len(pages) != 1:
            raise ValueError("PNG holds one page; use .tif for multi-page scans")
        pages[0].save(path, dpi=(DPI, DPI), optimize=False)
    elif suffix in (".jpg", ".jpeg"):
        if len(pages) != 1:
            raise ValueError("JPEG holds one page; use .tif for multi-page scans")
        pages[0].save(path, dpi=(DPI, DPI), quality=88)
    elif suffix == ".pdf":
        import img2pdf

        bufs = []
        for p in pages:
            b = io.BytesIO()
            p.save(b, format="PNG", dpi=(DPI, DPI))
            bufs.append(b.getvalue())
        path.write_bytes(img2pdf.convert(bufs))
    else:
        raise ValueError(f"unsupported scan format {suffix}")
    return path


def scan_pdf_page(pdf: bytes, rng: random.Random, page: int = 0) -> Image.Image:
    """A printed PDF page (a cover sheet efile made) as the scanner sees it: 300 dpi, grey,
    skewed, noisy."""
    from pipelines.tools import pdfium  # PDFium under its process-wide lock

    with pdfium.document(pdf) as doc:
        img = pdfium.render_page(doc[page], scale=DPI / 72, grayscale=True).convert("L")
    return degrade(img.resize(A4_PX), rng)


def blank_page(rng: random.Random, note: str | None = None) -> Image.Image:
    """The back of a sheet: nothing but paper, or a light pencil note."""
    from PIL import ImageDraw

    img = Image.new("L", A4_PX, 255)
    if note:
        ImageDraw.Draw(img).text((mm(120), mm(250)), note, font=_font(10, False, False), fill=195)
    return degrade(img, rng)
