"""PDFium (pypdfium2), the one door to it: every PDFium call of the product goes through here.

PDFium is not thread-safe: no two PDFium calls may run at the same time in one process, not
even on different documents (pypdfium2's documentation, "Incompatibility with Threading";
doing so crashes or corrupts the process). The product calls it from several threads at once
(the web server's threadpool for portal uploads, Prefect's ThreadPoolTaskRunner, the OCR
pool); six parallel uploads of 6-page PDFs segfaulted `efile serve` (#12). So all work on a
PDFium document runs while holding one process-wide lock, from opening to closing, and every
object PDFium allocated (document, page, text page, bitmap) is closed inside it: pypdfium2
otherwise frees them from a garbage-collection finaliser, at any moment, in any thread.

Why a lock and not a process pool: what PDFium does for us is short (reading the text of a
born-digital page: milliseconds; rendering a scan page for OCR: ~0.1 s against ~1 s of
tesseract, which runs in its own processes outside the lock). Measured with
bench/upload_throughput.py (bench/RESULTS.md), the lock costs nothing measurable, while a
process per call would cost a process start and a copy of the PDF.

Verdicts on the other native libraries the product calls from threads (checked with the
same concern; no lock needed, each for the reason given):
- pikepdf/qpdf: a `Pdf` object must not be used by two threads at once, but separate `Pdf`
  objects are independent (qpdf keeps no global mutable state). Every step opens its own
  `Pdf` from bytes and closes it before returning; none is stored or shared.
- zxing-cpp (pipelines/tools/barcodes.py): `read_barcodes` is a pure function over the image
  it is given, with no shared reader state; safe from any number of threads.
- PIL decoders: each `Image` object is decoded by its own decoder state; images are never
  shared between threads. `Image.MAX_IMAGE_PIXELS` is a process global that every caller
  sets to the same configured limit, so the race on it is harmless.
- tesseract: a separate process per page (pipelines/tools/tesseract.py), nothing shared.

EFILE_TEST_PDFIUM_UNLOCKED=1 switches the lock off. It exists only for
tests/test_native_threads.py, which shows that without the lock the same work crashes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

PdfiumError = pdfium.PdfiumError
PdfDocument = pdfium.PdfDocument
PdfPage = pdfium.PdfPage
raw = pdfium_c

# re-entrant: a helper that holds it may call another helper that takes it again
_LOCK = threading.RLock()


def locked() -> AbstractContextManager:
    """The process-wide PDFium lock, for raw calls on a page opened with `document`."""
    if os.environ.get("EFILE_TEST_PDFIUM_UNLOCKED") == "1":
        return nullcontext()
    return _LOCK


@contextmanager
def document(pdf: bytes | Path | str) -> Iterator[pdfium.PdfDocument]:
    """The PDF opened in PDFium, for the duration of the `with` block, which holds the
    process-wide lock throughout: keep the block to PDFium work, and take nothing PDFium
    made out of it (copy bitmaps with `render_page`). Closed, with everything opened from it,
    on leaving the block."""
    with locked():
        doc = pdfium.PdfDocument(pdf)
        try:
            yield doc
        finally:
            doc.close()


def render_page(page: pdfium.PdfPage, **render_options: Any) -> Image.Image:
    """The page as a PIL image that owns its pixels: PIL shares memory with a PDFium bitmap,
    so the bitmap is copied and freed here, under the lock (call inside `document`)."""
    with locked():
        bitmap = page.render(**render_options)
        try:
            return bitmap.to_pil().copy()
        finally:
            bitmap.close()


def page_text(page: pdfium.PdfPage) -> str:
    """All text of the page as PDFium reads it, line ends as "\\n"."""
    with locked():
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_images(pdf: bytes, dpi: float, *, limit: int | None = None,
                grayscale: bool = True) -> Iterator[Image.Image]:
    """Renderings of the pages (greyscale unless asked), in order, at `dpi` (at most `limit`
    pages). The lock is held while a page is rendered, not while the caller looks at it: the document is
    opened for each page, so nothing of PDFium's lives between the pages a generator yields."""
    with document(pdf) as doc:
        count = len(doc) if limit is None else min(limit, len(doc))
    for i in range(count):
        with document(pdf) as doc:
            image = render_page(doc[i], scale=dpi / 72, grayscale=grayscale)
        yield image
