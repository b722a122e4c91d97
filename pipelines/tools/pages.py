"""PDF pages as pictures (pypdfium2): for looking at a page (cover sheet codes, blank pages,
previews), never to replace it in the archive copy."""

from __future__ import annotations

from collections.abc import Iterator

from PIL import Image

from . import pdfium


def page_images(pdf: bytes, dpi: float, *, limit: int | None = None,
                grayscale: bool = True) -> Iterator[Image.Image]:
    """Renderings of the pages (greyscale unless asked), in order, at `dpi` (at most `limit`
    pages), made under the process-wide PDFium lock (tools/pdfium.py: PDFium is not
    thread-safe)."""
    return pdfium.page_images(pdf, dpi, limit=limit, grayscale=grayscale)
