"""Examine an incoming file before any reader of ours renders it, the same on every path:
the intake check (steps/validate.py), the repair by qpdf it asks for, and the sanitiser
(steps/sanitise.py: active content out), together in a bounded worker (tools/bounded.py),
so a file that loops, balloons or crashes a parser costs one child process and comes back
as a refusal with its code, never as a dead server or worker.

The original is not touched here: the caller has stored it before (steps/store.py) and
builds the archive copy from `content` when that is set.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import pikepdf

from efile.config import Settings
from efile.errors import InputRejected
from pipelines.tools import pdfium
from pipelines.tools.bounded import ParseCrashed, ParseMemory, ParseTimeout, run_bounded

from .reasons import library_words
from .sanitise import sanitise
from .validate import Limits, Policy, Verdict, applicant_message, check_input

PDF = "application/pdf"
PROBE_DPI = 12  # a thumbnail: PDFium still interprets every operator and image of the page


@dataclass
class Examined:
    verdict: Verdict
    content: bytes | None = None  # what the archive copy is built from, if not the original
    media_type: str | None = None  # of `content` (a HEIC photo becomes a JPEG)
    sanitised: list[str] = field(default_factory=list)  # what the sanitiser took out

    @property
    def accepted(self) -> bool:
        return self.verdict.accepted


def _refused(code: str, reason: str, limits: Limits, notes: list[str] | None = None) -> Examined:
    return Examined(Verdict(False, code=code, reason=reason,
                            applicant_message=applicant_message(code, limits),
                            notes=list(notes or [])))


def _repaired(data: bytes) -> bytes:
    """The PDF as qpdf reads it, written anew: from its header, with an end-of-file marker
    and cross-reference table, without the encryption only an owner password guarded."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


def _probe_pdfium(pdf: bytes) -> None:
    """PDFium must read what qpdf read (the stricter verdict wins): every page opened, its
    text extracted and drawn as a thumbnail, here in the bounded child, so a page that hangs
    or crashes PDFium costs the child and not the server, where PDFium runs under one lock
    for every request (tools/pdfium.py)."""
    with pdfium.document(pdf) as doc:
        for i in range(len(doc)):
            page = doc[i]
            pdfium.page_text(page)
            pdfium.render_page(page, scale=PROBE_DPI / 72, grayscale=True, may_draw_forms=True)


def examine(data: bytes, name: str, limits: Limits, policy: Policy) -> Examined:
    """The verdict and the bytes to go on with (runs in the bounded child)."""
    verdict = check_input(data, name, limits, policy)
    if not verdict.accepted:
        return Examined(verdict)
    content = None
    try:
        if verdict.repair and verdict.media_type == PDF:
            content = _repaired(data)
        clean = sanitise(content or data, verdict.media_type)
        if clean.changed:
            content = clean.data
        if verdict.media_type == PDF:
            _probe_pdfium(content or data)
    except pikepdf.PdfError as e:
        return _refused("damaged_pdf", f"PDF cannot be repaired ({library_words(e)})",
                        limits, verdict.notes)
    except pdfium.PdfiumError as e:
        words = library_words(e)
        if "password" in words.lower():
            return _refused("encrypted", f"PDF is encrypted in a way that cannot be opened "
                                         f"(PDFium: {words})", limits, verdict.notes)
        return _refused("corrupt", f"corrupt PDF: qpdf reads it, PDFium cannot ({words})",
                        limits, verdict.notes)
    except InputRejected as e:
        return _refused(getattr(e, "code", None) or "damaged_pdf", str(e), limits, verdict.notes)
    return Examined(verdict, content, clean.media_type if content else verdict.media_type,
                    clean.removed)


def examine_bounded(data: bytes, name: str, limits: Limits, policy: Policy,
                    settings: Settings) -> Examined:
    """`examine` in a child with a wall-time and a memory cap. The caps grow with the file:
    the child holds it, qpdf's copy and the sanitised copy at once."""
    size_mb = len(data) / 2**20
    timeout_s = settings.parse_timeout_s + size_mb / 10
    try:
        return run_bounded(examine, data, name, limits, policy, timeout_s=timeout_s,
                           memory_mb=settings.parse_memory_mb + math.ceil(3 * size_mb))
    except (ParseTimeout, ParseMemory, ParseCrashed) as e:
        return _refused(e.code, str(e), limits)
