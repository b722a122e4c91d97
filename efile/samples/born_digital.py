"""Born-digital PDFs (text layer, embedded font), as applicants' portals and e-mail deliver them."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from .render import _FONT_DIRS

FONT = "DejaVuSans.ttf"


def font_path() -> Path:
    font = next((Path(d) / FONT for d in _FONT_DIRS if (Path(d) / FONT).exists()), None)
    if font is None:
        raise FileNotFoundError("DejaVuSans.ttf missing: install fonts-dejavu-core")
    return font


def write_text_pdf(path: Path, pages: list[list[str]], *, title: str = "") -> Path:
    pdf = FPDF(format="A4")
    pdf.set_title(title or path.stem)
    pdf.add_font("DejaVu", fname=str(font_path()))
    for lines in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=11)
        for line in lines:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
