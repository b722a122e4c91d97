"""PATCH-T separator sheets: printed by efile at Kodak's geometry, found again on noisy,
skewed 300-dpi scans whichever way round the sheet was fed, and never on text pages, forms,
tables, cover sheets or passports."""

from __future__ import annotations

import os
import random
import subprocess

import numpy as np
import pypdfium2
import pytest
from conftest import EFILE_BIN
from PIL import Image, ImageDraw

from efile.coversheet import CoverSheet, render_patch_sheet, render_patch_t, render_pdf
from efile.samples import sample_set, scan_pages
from efile.samples.render import A4_PX, DPI, degrade, mm, scan_pdf_page
from pipelines.steps.split import inspect_page
from pipelines.tools.patchcode import find_patch_codes

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

INSPECT_DPI = 150  # what the batch looks at


def inspected(img: Image.Image) -> Image.Image:
    """A 300-dpi scan as the batch inspects it (pipelines/batch.py renders at 150 dpi)."""
    return img.resize((img.width // 2, img.height // 2), Image.BOX)


def printed(pdf: bytes, dpi: int = 600) -> np.ndarray:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return np.asarray(doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()


def test_the_sheet_has_kodak_geometry():
    page = printed(render_patch_t())
    px = 600 / 25.4
    assert page.shape == (round(297 * px), round(210 * px))  # A4 portrait
    top = page[: round(60 * px)] < 128
    rows = np.nonzero(top.any(axis=1))[0]
    runs = np.split(rows, np.nonzero(np.diff(rows) > 1)[0] + 1)
    widths = [len(r) / px for r in runs]  # bar thickness, top edge downwards
    gaps = [(b[0] - a[-1] - 1) / px for a, b in zip(runs, runs[1:], strict=False)]
    assert widths == pytest.approx([2.03, 5.08, 2.03, 5.08], abs=0.1)  # N W N W: PATCH-T
    assert gaps == pytest.approx([2.03] * 3, abs=0.1)
    assert rows[0] / px >= 6.35 and rows[-1] / px <= 95  # Kodak: 0.25–3.75 in from the edge
    cols = np.nonzero(top.any(axis=0))[0]
    assert (cols[-1] - cols[0]) / px >= 50.8  # bars at least 2 in long
    quiet = round(6.35 * px)  # and 0.25 in from any other printing
    assert not (page[rows[-1] + 1: rows[-1] + quiet] < 128).any()
    assert (np.flipud(page)[: round(60 * px)] < 128).any(axis=1).nonzero()[0][0] == rows[0]


@pytest.fixture(scope="module")
def clean_sheet() -> Image.Image:
    return Image.fromarray(printed(render_patch_t(), DPI)).resize(A4_PX)


@pytest.mark.parametrize("angle", [-2.0, -1.0, 0.0, 1.3, 2.0])
@pytest.mark.parametrize("strength", [1.0, 1.6])  # noise, specks and paper tone
def test_a_scanned_patch_t_sheet_is_a_separator(clean_sheet, angle, strength):
    scan = degrade(clean_sheet, random.Random(int(angle * 10) + 50), strength=strength,
                   angle=angle)
    v = inspect_page(0, inspected(scan), dpi=INSPECT_DPI)
    assert (v.kind, v.patch) == ("separator", "T")
    turned = inspect_page(0, inspected(scan.rotate(180)), dpi=INSPECT_DPI)
    assert (turned.kind, turned.patch) == ("separator", "T")  # fed the wrong way round


def test_other_patch_codes_are_read_as_what_they_are():
    for symbol in "12346":
        img = inspected(scan_pdf_page(render_patch_sheet(symbol), random.Random(7)))
        assert {p.symbol for p in find_patch_codes(img, INSPECT_DPI)} == {symbol}
        v = inspect_page(0, img, dpi=INSPECT_DPI)
        assert (v.kind, v.patch) == ("content", symbol)  # reported, never a separator


def ruled_form() -> Image.Image:
    """A form as offices print them: a black title band, boxes, a table with a heavy header
    rule, and writing lines every 8 mm."""
    img = Image.new("L", A4_PX, 255)
    d = ImageDraw.Draw(img)
    d.rectangle((mm(20), mm(15), mm(190), mm(27)), fill=0)  # title band
    for y in range(40, 120, 8):  # writing lines
        d.line((mm(25), mm(y), mm(185), mm(y)), fill=0, width=mm(0.3))
    for x in (25, 80, 130):  # boxes
        d.rectangle((mm(x), mm(125), mm(x + 40), mm(140)), outline=0, width=mm(0.5))
    d.rectangle((mm(25), mm(150), mm(185), mm(152)), fill=0)  # heavy table header rule
    for y in range(160, 260, 7):
        d.line((mm(25), mm(y), mm(185), mm(y)), fill=0, width=mm(0.25))
    for x in (25, 70, 120, 185):
        d.line((mm(x), mm(150), mm(x), mm(259)), fill=0, width=mm(0.25))
    return degrade(img, random.Random(4), angle=0.8)


def test_nothing_else_is_taken_for_a_patch():
    docs = sample_set(seed=11, persons=1)  # letter, form, payslip table, application, passport
    pages = [p for d in docs for p in scan_pages(d, seed=3)]
    assert any(d.kind == "passport" for d in docs)
    cover = scan_pdf_page(render_pdf(CoverSheet("ABH-2026-000123", "payslip"),
                                     client="Test, Person", type_name=None), random.Random(2))
    for img in [*pages, cover, ruled_form()]:
        assert find_patch_codes(img) == []
        assert inspect_page(0, inspected(img), dpi=INSPECT_DPI).kind != "separator"
    assert inspect_page(0, inspected(cover), dpi=INSPECT_DPI).kind == "cover"


def test_efile_prints_a_patch_t_sheet(tmp_path):
    out = tmp_path / "trennblatt.pdf"
    env = dict(os.environ)
    res = subprocess.run([EFILE_BIN, "coversheet", "--patch-t", "-o", str(out)], env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    page = Image.fromarray(printed(out.read_bytes(), INSPECT_DPI))
    assert inspect_page(0, page, dpi=INSPECT_DPI).kind == "separator"
    res = subprocess.run([EFILE_BIN, "coversheet", "ABH-2026-000123", "--patch-t", "-o",
                          str(out)], env=env, capture_output=True, text=True)
    assert res.returncode == 2 and "names no file number" in res.stderr
