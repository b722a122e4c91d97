"""Cover sheets (Deckblätter): a printed page laid on top of a document before scanning. Its
QR code names the e-file (and optionally the document type and procedure); in a scan batch
it starts a new document and routes it (an explicit reference). The same data is printed in
words, so a person can check the sheet against the paper.

Payload: `EFILE-CS1;az=ABH-2026-000123;type=payslip;proc=P-17` (type and proc optional).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import InputRejected

PREFIX = "EFILE-CS1"


@dataclass(frozen=True)
class CoverSheet:
    aktenzeichen: str
    doc_type: str | None = None
    procedure: str | None = None

    def payload(self) -> str:
        parts = [PREFIX, f"az={self.aktenzeichen}"]
        if self.doc_type:
            parts.append(f"type={self.doc_type}")
        if self.procedure:
            parts.append(f"proc={self.procedure}")
        for p in parts:
            if ";" in p[p.find("=") + 1:]:
                raise InputRejected(f"cover sheet field must not contain ';': {p}")
        return ";".join(parts)


class NotACoverSheet(ValueError):
    pass


def parse_payload(text: str) -> CoverSheet:
    """The cover sheet a QR code's text describes; NotACoverSheet for any other code."""
    parts = text.strip().split(";")
    if parts[0] != PREFIX:
        raise NotACoverSheet(f"not an efile cover sheet code: {text[:40]!r}")
    fields = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    if not fields.get("az"):
        raise NotACoverSheet("cover sheet code without an Aktenzeichen")
    return CoverSheet(fields["az"], fields.get("type") or None, fields.get("proc") or None)


def render_pdf(sheet: CoverSheet, *, client: str | None, type_name: str | None) -> bytes:
    """An A4 PDF: large QR code, the data in words, and what to do with the sheet. `client`:
    the person's name (and birth date) for someone who may see the e-file, else None: the
    sheet names only the Aktenzeichen."""
    import segno
    from fpdf import FPDF

    from .samples.born_digital import font_path

    qr = segno.make(sheet.payload(), error="h")  # 30 % of the code may be dirty or torn
    png = io.BytesIO()
    qr.save(png, kind="png", scale=12, border=4)
    pdf = FPDF(format="A4")
    pdf.set_title(f"Deckblatt {sheet.aktenzeichen}")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.add_page()
    pdf.set_font("DejaVu", size=26)
    pdf.cell(0, 14, "DECKBLATT · Scan-Trennblatt", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(png.getvalue()), x=55, y=40, w=100)
    pdf.set_y(150)
    pdf.set_font("DejaVu", size=20)
    pdf.cell(0, 12, f"Aktenzeichen: {sheet.aktenzeichen}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=14)
    rows = [f"Person: {client}"] if client else []
    if sheet.doc_type:
        rows.append(f"Dokumentart: {type_name or sheet.doc_type} ({sheet.doc_type})")
    if sheet.procedure:
        rows.append(f"Vorgang: {sheet.procedure}")
    rows.append(f"Erstellt: {datetime.now(UTC).astimezone().strftime('%d.%m.%Y %H:%M')}")
    for r in rows:
        pdf.cell(0, 9, r, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(230)
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, "Dieses Blatt vor die erste Seite des Dokuments legen und mit scannen. "
                   "Es beginnt ein neues Dokument und ordnet es der genannten Akte zu. "
                   "Das Deckblatt selbst wird nicht Teil des Dokuments.")
    return bytes(pdf.output())


# -- PATCH-T separator sheets ------------------------------------------------------------------
# Kodak patch code geometry (A-61599): narrow bars and spaces 0.08 in, wide bars 0.20 in,
# read from the leading edge; PATCH-T (transfer) is narrow, wide, narrow, wide. The other
# patches are scanner control sheets (image levels, colour toggle): printable for tests.
PATCHES = {"1": "WWNN", "2": "WNNW", "3": "WNWN", "4": "NWWN", "6": "NNWW", "T": "NWNW"}
_NARROW_MM, _WIDE_MM = 0.08 * 25.4, 0.20 * 25.4
_EDGE_MM = 12.0  # Kodak: at least 0.25 in (6.35 mm) from the leading edge, within 3.75 in
_BAR_MM = 170.0  # at least 2 in; across the sheet, so every patch-reader position sees it


def render_patch_t() -> bytes:
    """An A4 PATCH-T separator sheet: the patch near the top edge and, turned round, near the
    bottom edge, so the sheet separates whichever way it is fed; a label in the middle."""
    return render_patch_sheet("T")


def render_patch_sheet(symbol: str) -> bytes:
    """An A4 sheet with the patch code `symbol` (1 2 3 4 6 T) at both short edges."""
    from fpdf import FPDF

    from .samples.born_digital import font_path

    pdf = FPDF(format="A4")  # 210 × 297 mm
    pattern = PATCHES[symbol]
    pdf.set_title(f"Trennblatt PATCH-{symbol}" if symbol == "T" else f"Patch {symbol}")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_fill_color(0, 0, 0)
    x0 = (210 - _BAR_MM) / 2

    def bars(from_edge: float, direction: int) -> None:
        y = from_edge
        for i, kind in enumerate(pattern):
            width = _WIDE_MM if kind == "W" else _NARROW_MM
            top = y if direction > 0 else y - width
            pdf.rect(x0, top, _BAR_MM, width, style="F")
            y += direction * (width + (_NARROW_MM if i < 3 else 0))

    bars(_EDGE_MM, +1)  # read from the top edge downwards
    bars(297 - _EDGE_MM, -1)  # read from the bottom edge upwards: the sheet turned round
    pdf.set_y(105)
    pdf.set_font("DejaVu", size=40)
    if symbol != "T":  # a control sheet, not a separator
        pdf.cell(0, 20, f"PATCH {symbol}", align="C")
        return bytes(pdf.output())
    pdf.cell(0, 20, "TRENNBLATT", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=28)
    pdf.cell(0, 16, "PATCH-T", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(160)
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 7, "Zwischen zwei Dokumente legen und mit scannen. Das Blatt beendet das "
                   "vorige Dokument und beginnt ein neues; zugeordnet wird das neue Dokument "
                   "nach seinem Inhalt. Das Trennblatt selbst wird nicht Teil eines Dokuments.",
                   align="C")
    pdf.set_y(200)
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(0, 5, "In Originalgröße drucken (100 %, ohne Anpassen an die Seite) und nicht "
                   "kopieren: Kopierer verbreitern die Balken. Balken nicht beschriften.",
                   align="C")
    return bytes(pdf.output())
