"""Scan batches: a realistic stack (cover sheets and PATCH-T sheets printed by efile, scanned
at 300 dpi with noise, document pages, duplex blanks, a back with a light pencil note) cut
into exactly the right documents, routed by the cover sheets (or by content after a PATCH-T
sheet), blanks dropped, separators recorded, pages counted."""

from __future__ import annotations

import random

import pypdfium2
import pytest
from conftest import EFILE_BIN, create_efiles
from PIL import Image, ImageDraw

from efile.context import get_context
from efile.coversheet import CoverSheet, parse_payload, render_pdf
from efile.samples import scan_pages
from efile.samples.render import A4_PX, blank_page, degrade, save_scan, scan_pdf_page
from pipelines.steps.split import ink_ratio, inspect_page


def scanned_cover(sheet: CoverSheet, rng: random.Random) -> Image.Image:
    return scan_pdf_page(render_pdf(sheet, client="Test, Person", type_name=None), rng)


def blank(rng: random.Random, note: str | None = None) -> Image.Image:
    return blank_page(rng, note)


def test_blank_pages_and_faint_content_are_told_apart():
    rng = random.Random(3)
    assert inspect_page(0, blank(rng)).kind == "blank"
    assert ink_ratio(blank(rng)) == 0.0
    assert inspect_page(0, blank(rng, "gesehen 3.3.")).kind == "content"
    stamp = Image.new("L", A4_PX, 255)
    ImageDraw.Draw(stamp).ellipse((1500, 2600, 1900, 3000), outline=170, width=5)
    assert inspect_page(0, degrade(stamp, rng)).kind == "content"


def test_cover_sheet_code_round_trips_through_a_noisy_scan():
    sheet = CoverSheet("ABH-2026-000123", "payslip", "P-17")
    v = inspect_page(0, scanned_cover(sheet, random.Random(1)))
    assert v.kind == "cover" and v.cover == sheet
    assert parse_payload(sheet.payload()) == sheet


@pytest.fixture(scope="module")
def stack(samples, tmp_path_factory):
    rng = random.Random(7)
    a, b = sorted({s.doc.person["aktenzeichen"]: s.doc.person for s in samples}.values(),
                  key=lambda p: p["aktenzeichen"])
    page = {(s.doc.person["aktenzeichen"], s.doc.kind): scan_pages(s.doc, seed=5)[0]
            for s in samples}
    pages = [
        scanned_cover(CoverSheet(a["aktenzeichen"], "payslip"), rng),        # 1
        page[(a["aktenzeichen"], "payslip")],                                 # 2
        blank(rng),                                                           # 3 duplex back
        scanned_cover(CoverSheet(b["aktenzeichen"]), rng),                    # 4
        page[(b["aktenzeichen"], "landlord_confirmation")],                   # 5
        blank(rng, "Eingang 3.3. geprüft"),                                   # 6 pencil: kept
        scanned_cover(CoverSheet("ABH-2099-000001"), rng),                    # 7 unknown file
        page[(a["aktenzeichen"], "employer_certificate")],                    # 8
    ]
    path = tmp_path_factory.mktemp("batch") / "stapel-0001.tif"
    save_scan(pages, path)
    return path, a, b


def test_a_batch_is_cut_at_its_cover_sheets_and_routed_by_them(fresh_home, samples, stack):
    from pipelines.flows import run_scan_batch

    path, a, b = stack
    create_efiles(samples)
    result = run_scan_batch([str(path)], operator="scan.mueller", expected_pages=9)
    docs = result["documents"]
    assert [(d["pages"], d["blanks"], d["cover_page"]) for d in docs] == [
        ([2], [3], 1), ([5, 6], [], 4), ([8], [], 7)]
    first, second, third = docs
    assert (first["status"], first["efile"]) == ("filed", a["aktenzeichen"])
    assert (second["status"], second["efile"]) == ("filed", b["aktenzeichen"])
    assert third["status"] == "inbox" and third["efile"] is None
    assert result["pages_found"] == 8 and result["status"] == "attention"
    assert result["notes"] == ["Seitenzahl weicht ab: 8 Seiten gescannt, 9 erwartet"]
    with get_context().db.session() as s:
        from efile.models import Document, InboxItem

        payslip = s.get(Document, first["document_id"])
        assert payslip.doc_type == "payslip" and payslip.page_count == 1
        assert payslip.fields["classification"]["layer"] == "explicit"
        assert s.get(Document, second["document_id"]).page_count == 2  # the pencil back stays
        item = s.query(InboxItem).filter_by(document_id=third["document_id"]).one()
        assert "names ABH-2099-000001, which is no known e-file" in item.reasons[0]

    # quality control: the page-count mismatch flags every document of the batch
    assert [d["qc"] for d in docs] == ["auffällig: Seitenzahl weicht ab: 8 Seiten gescannt, "
                                       "9 erwartet"] * 3
    from efile.services.batches import get_batch
    from efile.services.qc import NotReleasable, decide, queue, release

    with get_context().db.session() as s:
        assert len(queue(s, result["batch_id"])) == 3
        with pytest.raises(NotReleasable, match="3 document.s. still wait"):
            release(s, get_batch(s, result["batch_id"]), actor="qs.lead")
        decide(s, first["document_id"], passed=True, actor="qs.a")
        decide(s, second["document_id"][:10], passed=True, actor="qs.a")
        decide(s, third["document_id"], passed=False, actor="qs.a", note="Seite 2 fehlt")
        with pytest.raises(NotReleasable, match="1 failed it and must be scanned again"):
            release(s, get_batch(s, result["batch_id"]), actor="qs.lead")
        decide(s, third["document_id"], passed=True, actor="qs.b", note="nachgescannt")
        batch = release(s, get_batch(s, result["batch_id"]), actor="qs.lead")
        assert batch.released_by == "qs.lead" and batch.released_at is not None
        with pytest.raises(NotReleasable, match="was released"):
            release(s, batch, actor="qs.lead")

    # the same stack again: recognised, nothing filed twice
    again = run_scan_batch([str(path)], operator="scan.mueller")
    (dup,) = again["documents"]
    assert dup["status"] == "duplicate"
    assert dup["problems"][0].startswith("diese Scandatei wurde bereits in Stapel 1 vom ")
    assert dup["problems"][0].endswith(", scan.mueller verarbeitet")


def test_batch_status_and_coversheet_commands(fresh_home, samples, tmp_path):
    import os
    import subprocess

    create_efiles(samples)
    az = samples[0].doc.person["aktenzeichen"]
    env = {k: v for k, v in os.environ.items()}
    sheet = tmp_path / "deckblatt.pdf"
    subprocess.run([EFILE_BIN, "coversheet", az, "--type", "payslip", "-o", str(sheet)],
                   env=env, check=True, capture_output=True)
    img = pypdfium2.PdfDocument(sheet.read_bytes())[0].render(scale=150 / 72).to_pil()
    assert inspect_page(0, img).cover == CoverSheet(az, "payslip")
    res = subprocess.run([EFILE_BIN, "coversheet", az, "--type", "nonsense", "-o", str(sheet)],
                         env=env, capture_output=True, text=True)
    assert res.returncode == 2 and "unknown document type 'nonsense'" in res.stderr
    res = subprocess.run([EFILE_BIN, "batch", "status", "--json"], env=env, capture_output=True,
                         text=True)
    assert res.returncode == 4 and "no scan batch yet" in res.stderr


def test_a_clean_batch_still_gets_its_random_sample(fresh_home):
    from efile.models import BatchDocument, ScanBatch
    from efile.services.qc import select_for_qc

    with get_context().db.session() as s:
        batch = ScanBatch(id="b1", operator="x", notes=[])
        s.add(batch)
        batch.documents = [BatchDocument(seq=i, status="filed", document_id=f"d{i}",
                                         source_name="s.tif", source_sha256="0" * 64,
                                         problems=[]) for i in range(100)]
        s.flush()
        select_for_qc(s, batch, rate=0.03)
        chosen = [d for d in batch.documents if d.qc_state == "pending"]
        assert len(chosen) == 3 and all(d.qc_reason == "Stichprobe (3 %)" for d in chosen)


def test_a_truncated_stack_fails_alone_and_is_kept(fresh_home, tmp_path):
    from pipelines.flows import run_scan_batch

    rng = random.Random(5)
    whole = save_scan([blank(rng) for _ in range(3)], tmp_path / "ganz.tif")
    cut = tmp_path / "abgebrochen.tif"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    result = run_scan_batch([str(cut), str(whole)], operator="scan.c")
    (failed,) = result["documents"]  # the whole stack held only blank pages: no document
    assert failed["status"] == "failed" and failed["source_name"] == "abgebrochen.tif"
    assert failed["error"].startswith("image is damaged or truncated")
    assert result["pages_found"] == 3 and result["status"] == "attention"
    from storage.keys import original_key

    assert get_context().store.get(original_key(failed["source_sha256"])) == cut.read_bytes()


@pytest.fixture(scope="module")
def stack_with_separators(samples, tmp_path_factory):
    """Cover sheets and PATCH-T sheets (efile's own PDF, printed and scanned) in one stack."""
    from efile.coversheet import render_patch_t

    rng = random.Random(11)
    a, b = sorted({s.doc.person["aktenzeichen"]: s.doc.person for s in samples}.values(),
                  key=lambda p: p["aktenzeichen"])
    doc = {(s.doc.person["aktenzeichen"], s.doc.kind): scan_pages(s.doc, seed=5)
           for s in samples}

    def patch_t() -> Image.Image:
        return scan_pdf_page(render_patch_t(), rng)

    pages = [
        scanned_cover(CoverSheet(a["aktenzeichen"], "payslip"), rng),        # 1
        *doc[(a["aktenzeichen"], "payslip")],                                 # 2
        blank(rng),                                                           # 3 duplex back
        patch_t(),                                                            # 4 separator
        *doc[(b["aktenzeichen"], "residence_application")],                   # 5, 6
        patch_t(),                                                            # 7 separator
        blank(rng),                                                           # 8 its back
        scanned_cover(CoverSheet(b["aktenzeichen"], "employer_certificate"), rng),  # 9
        *doc[(b["aktenzeichen"], "employer_certificate")],                    # 10
        patch_t(),                                                            # 11 at the end
    ]
    path = tmp_path_factory.mktemp("batch-t") / "stapel-0002.tif"
    save_scan(pages, path)
    return path, a, b


def test_patch_t_sheets_separate_and_are_recorded(fresh_home, samples, stack_with_separators):
    from efile.models import Document
    from efile.services.batches import batch_dict, get_batch
    from pipelines.batch import run_batch
    from pipelines.process import pooled_ocr

    path, a, b = stack_with_separators
    create_efiles(samples)
    ctx = get_context()
    read: list[int] = []
    ocr = pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers)
    result = run_batch(ctx, [str(path)], operator="scan.post", expected_pages=11,
                       ocr_pages=lambda jobs: read.append(len(jobs)) or ocr(jobs))
    docs = result.documents
    assert [(d["pages"], d["blanks"], d["cover_page"], d["separators"]) for d in docs] == [
        ([2], [3], 1, []),
        ([5, 6], [], 4, [4]),  # started by the separator on page 4, routed by its content
        ([10], [8], 9, [7, 11]),  # the separator before the cover sheet and the one at the end
    ]
    assert [(d["status"], d["efile"]) for d in docs] == [
        ("filed", a["aktenzeichen"]), ("filed", b["aktenzeichen"]), ("filed", b["aktenzeichen"])]
    assert result.pages_found == 11 and result.notes == [] and sum(read) == 4
    with ctx.db.session() as s:
        types = [(s.get(Document, d["document_id"]).doc_type,
                  s.get(Document, d["document_id"]).page_count) for d in docs]
        assert types == [("payslip", 1), ("residence_application", 2),
                         ("employer_certificate", 1)]
        kept = batch_dict(get_batch(s, result.batch_id))["documents"]  # the batch register
    assert [(d["cover_page"], d["cover"]) for d in kept] == [
        (1, {"aktenzeichen": a["aktenzeichen"], "doc_type": "payslip", "procedure": None}),
        (4, {"separator": "PATCH-T", "separator_pages": [4]}),
        (9, {"aktenzeichen": b["aktenzeichen"], "doc_type": "employer_certificate",
             "procedure": None, "separator_pages": [7, 11]})]


def test_a_stack_without_its_end_of_file_marker_is_repaired_and_held(fresh_home, tmp_path):
    """Staff paths take a PDF cut short (qpdf repairs it) but a person checks it is whole: each
    document of the stack goes to the inbox saying so (the portal refuses such a file)."""
    from efile.samples.born_digital import write_text_pdf
    from pipelines.flows import run_scan_batch

    letter = write_text_pdf(tmp_path / "brief.pdf", [[
        "Meldebescheinigung", "Frau Olena Kovalenko, geboren am 14.03.1988",
        "wohnt seit dem 01.08.2024 in der Lindenstraße 4."]]).read_bytes()
    cut = tmp_path / "stapel-0003.pdf"
    cut.write_bytes(letter[: letter.rindex(b"%%EOF")])
    result = run_scan_batch([str(cut)], operator="scan.c")
    (doc,) = result["documents"]
    assert doc["status"] == "inbox", doc
    assert any("may have been cut short" in p for p in doc["problems"]), doc["problems"]
