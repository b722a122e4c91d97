"""The view copy: what the browser's PDF viewer shows when the archive copy is heavy.

A scanned page's archive copy keeps the scan's pixels (300 dpi, lossless where it came so):
measured on the generated two-page scans, 12.8 MB in grey and 40 MB in colour, which a
caseworker's viewer loads page by page over the office network. The view copy renders each
page at 110 dpi into a JPEG (quality 60, colour kept), about 0.5–0.9 MB for the same two
pages; the archive copy stays what is downloaded, exported and verified. Born-digital and
light documents get none: their archive copy is already light.
"""

from __future__ import annotations

import io

import img2pdf
from PIL import Image

from pipelines.tools.pages import page_images

VIEW_DPI = 110
VIEW_QUALITY = 60
HEAVY = 1_500_000  # bytes of archive copy from which a view copy pays
MIN_GAIN = 0.5  # kept only when at most half the archive copy's size


def view_copy(archive_pdf: bytes) -> bytes | None:
    """A light PDF for viewing, or None when the archive copy is light already (or the view
    copy would not be much lighter). One page at a time: a 500-page scan holds its JPEGs
    (about 100 KB each), never its rendered pages, in memory."""
    if len(archive_pdf) < HEAVY:
        return None
    jpegs = []
    for image in page_images(archive_pdf, VIEW_DPI, grayscale=False):
        rgb = image.convert("RGB")
        if _grey(rgb):
            rgb = rgb.convert("L")  # a grey scan stays grey: a third of the bytes
        buf = io.BytesIO()
        rgb.save(buf, format="JPEG", quality=VIEW_QUALITY, optimize=True, dpi=(VIEW_DPI,) * 2)
        jpegs.append(buf.getvalue())
    view = img2pdf.convert(jpegs)  # JPEG embedded as it is; page size from the dpi
    return view if len(view) <= MIN_GAIN * len(archive_pdf) else None


def _grey(image: Image.Image) -> bool:
    """No colour to speak of: every channel within a few levels of the others (sampled)."""
    small = image.resize((64, 64))
    return all(max(p) - min(p) <= 12 for p in small.getdata())
