"""Build the archive copy: the normalised PDF with the OCR text layers grafted on, pages turned
upright, written as PDF/A-2b and validated by pikepdf's PDF/A checker as it is written.

A document that cannot be made valid PDF/A (e.g. a born-digital PDF with unembedded fonts)
is archived as a plain PDF and says so; it is never silently claimed to be PDF/A.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name, Pdf, Stream
from pikepdf.pdfa import PdfaError
from pikepdf.pdfa import save as save_pdfa

from storage import sha256_bytes

from .normalise import Normalised
from .ocr import PageResult

PDFA = "PDF/A-2b"


@dataclass
class Archive:
    pdf: bytes
    sha256: str
    format: str  # PDF/A-2b | PDF
    notes: list[str] = field(default_factory=list)
    sealed: bool = False  # carries the office's PAdES seal (scan batches, steps/transfer.py)


def _display_matrix(rotate: int, mediabox: list[float], src_w: float, src_h: float) -> list[float]:
    """Matrix taking the upright text page (src_w × src_h) onto the page's unrotated user
    space, for a page displayed with /Rotate = rotate (clockwise)."""
    x0, y0, x1, y1 = mediabox
    w, h = x1 - x0, y1 - y0
    disp_w, disp_h = (h, w) if rotate in (90, 270) else (w, h)
    sx, sy = disp_w / src_w, disp_h / src_h
    # (u, v) displayed -> (x, y) unrotated; then the scaling of the text page into (u, v)
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, 1, -1, 0, w, 0),
        180: (-1, 0, 0, -1, w, h),
        270: (0, -1, 1, 0, 0, h),
    }[rotate]
    return [a * sx, b * sx, c * sy, d * sy, e + x0, f + y0]


def _graft(pdf: Pdf, page: pikepdf.Page, text_pdf: bytes, rotate: int, n: int) -> None:
    with pikepdf.open(io.BytesIO(text_pdf)) as tp:
        src = tp.pages[0]
        sx0, sy0, sx1, sy1 = [float(v) for v in src.mediabox]
        form = pdf.copy_foreign(src.as_form_xobject())
    name = Name(f"/OCRText{n}")
    if Name.Resources not in page.obj:
        page.obj[Name.Resources] = pikepdf.Dictionary()
    resources = page.obj[Name.Resources]
    if Name.XObject not in resources:
        resources[Name.XObject] = pikepdf.Dictionary()
    resources[Name.XObject][name] = form
    mediabox = [float(v) for v in page.mediabox]
    m = _display_matrix(rotate, mediabox, sx1 - sx0, sy1 - sy0)
    # isolate the existing content's graphics state from the text layer
    page.contents_add(Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(Stream(pdf, b"\nQ\n"))
    cm = " ".join(f"{v:.6f}" for v in m)
    page.contents_add(Stream(pdf, f"q {cm} cm {name} Do Q\n".encode()))


def _drop_open_view(pdf: Pdf, notes: list[str]) -> None:
    """An /OpenAction that only jumps to a page or sets the zoom carries no content, but the
    PDF/A validator cannot vouch for it; anything else (scripts, launches) is left for the
    sanitiser to judge, so the document is not silently claimed to be PDF/A."""
    action = pdf.Root.get(Name.OpenAction)
    if action is None:
        return
    is_dest = isinstance(action, pikepdf.Array)
    is_goto = isinstance(action, pikepdf.Dictionary) and action.get(Name.S) == Name.GoTo
    if is_dest or is_goto:
        del pdf.Root[Name.OpenAction]
        notes.append("opening view (/OpenAction) removed for PDF/A")


def _assemble(norm: Normalised, results: list[PageResult], notes: list[str], *,
              for_pdfa: bool) -> Pdf:
    """The normalised PDF, opened afresh from its bytes, with the OCR text layers grafted on
    and pages turned upright. The caller closes it."""
    pdf = pikepdf.open(io.BytesIO(norm.pdf))
    if for_pdfa:
        _drop_open_view(pdf, notes)
    for r in sorted(results, key=lambda r: r.index):
        page = pdf.pages[r.index]
        job = norm.pages[r.index]
        total = (job.rotation + r.rotate) % 360
        if r.rotate:
            page.obj[Name.Rotate] = total
            notes.append(f"page {r.index + 1} turned {r.rotate}° to read upright")
        if r.text_pdf and r.words:
            _graft(pdf, page, r.text_pdf, total, r.index)
    return pdf


PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"


def _drop_pdfa_claims(pdf: Pdf, notes: list[str]) -> None:
    """A plain-PDF copy must not say it is PDF/A: an input that claimed PDF/A and failed
    validation loses its XMP PDF/A identification and its PDF/A output intents (other
    output intents, e.g. PDF/X, stay)."""
    intents = pdf.Root.get(Name.OutputIntents)
    if isinstance(intents, pikepdf.Array):
        keep = [oi for oi in intents
                if not str(oi.get(Name.S, "")).startswith("/GTS_PDFA")]
        if len(keep) != len(intents):
            notes.append("the input's PDF/A output intent removed: it is not valid PDF/A")
            if keep:
                pdf.Root.OutputIntents = pikepdf.Array(keep)
            else:
                del pdf.Root[Name.OutputIntents]
    if Name.Metadata not in pdf.Root:
        return
    raw = bytes(pdf.Root.Metadata.read_bytes()) if isinstance(pdf.Root.Metadata, Stream) else b""
    if b"pdfa/ns/id" not in raw:
        return
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in [k for k in meta if k.startswith(PDFA_ID)]:
                del meta[key]
        still = bytes(pdf.Root.Metadata.read_bytes())
    except Exception:  # noqa: BLE001 - unreadable XMP: dropped below, never kept with a claim
        still = raw
    if b"pdfaid:part" in still or b"pdfa/ns/id/}part" in still or b"pdfaid:conformance" in still:
        del pdf.Root[Name.Metadata]
        notes.append("the input's XMP metadata removed: it claimed PDF/A and could not be "
                     "corrected")
    else:
        notes.append("the input's PDF/A identification removed: it is not valid PDF/A")


def build_archive(norm: Normalised, results: list[PageResult]) -> Archive:
    """PDF/A-2b when pikepdf's validator approves the bytes written; else a plain PDF built
    again from the untouched normalised bytes (the PDF/A attempt changes the document it
    works on: output intent, XMP identification), without any PDF/A claim."""
    notes: list[str] = []
    pdfa_notes: list[str] = []
    fmt, findings = "PDF", ""
    buf = io.BytesIO()
    with _assemble(norm, results, pdfa_notes, for_pdfa=True) as pdf:
        try:
            save_pdfa(pdf, buf, "2b")
            fmt = PDFA
            notes = pdfa_notes
        except PdfaError as e:
            findings = "; ".join(str(f) for f in list(e.report.findings)[:3])
    if fmt != PDFA:
        notes.append(f"not valid PDF/A, archived as plain PDF: {findings}")
        buf = io.BytesIO()
        with _assemble(norm, results, notes, for_pdfa=False) as plain:
            _drop_pdfa_claims(plain, notes)
            plain.save(buf)
    data = buf.getvalue()
    return Archive(data, sha256_bytes(data), fmt, notes)
