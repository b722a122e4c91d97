"""OCR each page of a scan file once. Finding document boundaries by content needs every
page's text before the documents exist; the documents cut from the stack then go through the
ingest process, which OCRs its pages. `reuse` hands the ingest process the results already
made, by page of the scan file, so no page is read twice (tesseract is ~1 s a page; the rest
of boundary finding is milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .normalise import PageJob
from .ocr import PageResult

OcrPages = Callable[[list[PageJob]], list[PageResult]]


def reuse(done: dict[int, PageResult], pages: list[int], ocr: OcrPages) -> OcrPages:
    """An OCR function for a document made of the scan file's `pages` (in order): page k of
    the document is page `pages[k]` of the scan file; what `done` holds for it is reused,
    anything else is read by `ocr`."""

    def run(jobs: list[PageJob]) -> list[PageResult]:
        out: list[PageResult | None] = []
        missing = []
        for n, job in enumerate(jobs):
            known = done.get(pages[job.index]) if job.index < len(pages) else None
            out.append(replace(known, index=job.index) if known else None)
            if known is None:
                missing.append(n)
        for n, result in zip(missing, ocr([jobs[n] for n in missing]) if missing else [],
                             strict=True):
            out[n] = result
        return out  # type: ignore[return-value]  # every slot filled above

    return run
