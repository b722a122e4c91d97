"""PDF pages as pictures (pypdfium2): for looking at a page (cover sheet codes, blank pages,
previews), never to replace it in the archive copy."""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2 as pdfium
from PIL import Image


def page_images(pdf: bytes, dpi: float, *, limit: int | None = None) -> Iterator[Image.Image]:
    """Greyscale renderings of the pages, in order, at `dpi` (at most `limit` pages)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc) if limit is None else min(limit, len(doc))):
            yield doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        doc.close()
