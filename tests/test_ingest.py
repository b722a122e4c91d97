"""The spine end to end on generated 300-dpi scans: OCR quality, PDF/A archive copies,
originals kept byte for byte, rotation, multi-page input, idempotent re-ingest."""

from __future__ import annotations

import io
import re
from collections import Counter

import pdfplumber
import pikepdf
import pytest
from pikepdf.pdfa import validate_written

from classifiers.mrz import transliterate
from efile.context import get_context
from efile.models import Document, InboxItem
from efile.services.documents import get_document, read_file


def words(text: str) -> Counter:
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def recall(truth: str, found: str) -> float:
    t, f = words(truth), words(found)
    return sum(min(n, f[w]) for w, n in t.items()) / sum(t.values())


def _doc(s, result) -> Document:
    return get_document(s, result["document_id"])


def test_every_sample_is_filed_into_its_efile(home, ingested, samples):
    for sample in samples:
        r = ingested["by_path"][str(sample.path)]
        assert r["status"] == "filed", str(r)[:3000]
        assert r["efile"] == sample.doc.person["aktenzeichen"]
        assert r["pages"] == len(sample.doc.pages)
        assert r["error"] is None


def test_ocr_finds_at_least_95_percent_of_the_printed_words(home, ingested, samples):
    with get_context().db.session() as s:
        for sample in samples:
            doc = _doc(s, ingested["by_path"][str(sample.path)])
            text = "\n".join(p.text for p in doc.pages)
            score = recall(sample.doc.text, text)
            assert score >= 0.95, f"{sample.path.name}: {score:.3f}"
            assert all(p.text_source == "ocr" for p in doc.pages)


def test_upside_down_page_is_turned_and_read(home, ingested, samples):
    sample = next(s for s in samples if s.doc.kind == "landlord_confirmation")
    with get_context().db.session() as s:
        doc = _doc(s, ingested["by_path"][str(sample.path)])
        assert doc.pages[0].rotation == 180
        assert recall(sample.doc.text, doc.pages[0].text) >= 0.95
        assert "page 1 turned 180° to read upright" in doc.fields["processing_notes"]
        pdf = pikepdf.open(io.BytesIO(read_file(get_context().store, doc)))
        assert int(pdf.pages[0].obj.get("/Rotate", 0)) == 180


def test_archive_copy_is_valid_pdfa_with_searchable_text(home, ingested, samples):
    ctx = get_context()
    with ctx.db.session() as s:
        for sample in samples[:5]:
            doc = _doc(s, ingested["by_path"][str(sample.path)])
            data = read_file(ctx.store, doc)
            assert doc.archive_format == "PDF/A-2b"
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert len(pdf.pages) == len(sample.doc.pages)
                assert pdf.open_metadata().pdfa_status == "2B"
            report = validate_written(io.BytesIO(data), "2b")
            assert report.passed, report.summary()
            with pdfplumber.open(io.BytesIO(data)) as p:
                layer = "\n".join(page.extract_text() or "" for page in p.pages)
            # the invisible text layer is where a PDF viewer's search looks
            assert recall(sample.doc.text, layer) >= 0.9, sample.path.name


def test_archive_keeps_scanned_images_losslessly(home, ingested, samples):
    jpeg = next(s for s in samples if s.path.suffix == ".jpg")
    ctx = get_context()
    with ctx.db.session() as s:
        data = read_file(ctx.store, _doc(s, ingested["by_path"][str(jpeg.path)]))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (image,) = [pikepdf.PdfImage(x) for x in pdf.pages[0].images.values()]
        assert image.filters == ["/DCTDecode"]  # the scanner's JPEG, not re-encoded
        assert image.obj.read_raw_bytes() == jpeg.path.read_bytes()


def test_original_is_kept_byte_for_byte(home, ingested, samples):
    ctx = get_context()
    with ctx.db.session() as s:
        for sample in samples:
            doc = _doc(s, ingested["by_path"][str(sample.path)])
            assert read_file(ctx.store, doc, original=True) == sample.path.read_bytes()


def test_passport_mrz_is_read_and_every_check_digit_holds(home, ingested, samples):
    """The whole-page OCR garbles MRZ characters (0/O, fillers); the zone is read again from
    the image with the MRZ alphabet and only a reading whose check digits hold counts."""
    with get_context().db.session() as s:
        for sample in (x for x in samples if x.doc.kind == "passport"):
            doc = _doc(s, ingested["by_path"][str(sample.path)])
            zone = doc.fields["mrz"]
            assert zone["valid"] and zone["format"] == "TD3" and zone["kind"] == "passport"
            assert zone["document_number"] == sample.doc.person["passport"]
            assert zone["birth_date"] == sample.doc.person["birth_iso"]
            assert zone["nationality"] == sample.doc.person["nationality"]  # P0L read as POL
            assert zone["surname"] == transliterate(sample.doc.person["surname"])
        others = [x for x in samples if x.doc.kind != "passport"]
        assert all("mrz" not in _doc(s, ingested["by_path"][str(x.path)]).fields for x in others)


def test_multipage_tiff_keeps_page_order(home, ingested, samples):
    app = next(s for s in samples if s.doc.kind == "residence_application")
    with get_context().db.session() as s:
        doc = _doc(s, ingested["by_path"][str(app.path)])
        assert [p.page_no for p in doc.pages] == [1, 2]
        assert "Angaben zur Person" in doc.pages[0].text
        assert "Erklärungen" in doc.pages[1].text


def test_reingest_is_idempotent(home, ingested, samples):
    from pipelines.flows import run_ingest

    ctx = get_context()
    with ctx.db.session() as s:
        before = s.query(Document).count()
    again = run_ingest([str(samples[0].path), str(samples[0].path)],
                       efile=samples[0].doc.person["aktenzeichen"])
    first = ingested["by_path"][str(samples[0].path)]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert {r["document_id"] for r in again} == {first["document_id"]}
    with ctx.db.session() as s:
        assert s.query(Document).count() == before


def test_without_efile_a_document_waits_in_the_inbox(fresh_home, tmp_path):
    from efile.samples.born_digital import write_text_pdf
    from pipelines.flows import run_ingest

    pdf = write_text_pdf(tmp_path / "brief.pdf", [["Sehr geehrte Frau Müller,",
                                                   "anbei die Gehaltsnachweise für Oktober."]])
    (r,) = run_ingest([str(pdf)])
    assert r["status"] == "inbox" and r["efile"] is None
    with get_context().db.session() as s:
        doc = get_document(s, r["document_id"])
        assert doc.status == "inbox" and doc.efile is None
        item = s.query(InboxItem).filter_by(document_id=doc.id).one()
        assert item.state == "open" and item.reasons
        # born-digital text is taken as it is: no OCR
        assert doc.pages[0].text_source == "born-digital"
        assert doc.pages[0].text.startswith("Sehr geehrte Frau Müller,")


@pytest.mark.parametrize("query", ["Ivanova", "IVANOVA", "ivanova"])
def test_search_finds_ocr_text(home, ingested, query):
    from efile.search import search

    with get_context().db.session() as s:
        hits = search(s, query).hits
    person = next(p for p in ingested["persons"].values() if p["surname"] == "Ivanova")
    assert len(hits) == 5  # each of her five documents names her
    assert {h.efile for h in hits} == {person["aktenzeichen"]}
    assert all("<mark>" in h.snippet for h in hits)


def test_routing_without_a_reference(fresh_home, samples, tmp_path):
    """No --efile: a passport whose valid MRZ matches a client's passport and birth date is
    filed automatically; the application form (Aktenzeichen + name + date of birth +
    passport number) and the employer's letter (Aktenzeichen, name, date of birth) too; a
    payslip naming her without any number or birth date, and a letter naming only the
    Aktenzeichen, wait in the inbox (the latter with the right suggestion); nothing lands in
    a wrong e-file."""
    from conftest import create_efiles

    from efile.samples.born_digital import write_text_pdf
    from pipelines.flows import run_ingest

    persons = create_efiles(samples)
    ivanova = next(p for p in persons.values() if p["surname"] == "Ivanova")
    mine = {s.doc.kind: s for s in samples if s.doc.person is ivanova or
            s.doc.person["aktenzeichen"] == ivanova["aktenzeichen"]}
    only_number = write_text_pdf(tmp_path / "nachreichung.pdf", [[
        "Nachreichung von Unterlagen", f"Aktenzeichen: {ivanova['aktenzeichen']}",
        "Sehr geehrte Damen und Herren,", "anbei erhalten Sie die angeforderten Unterlagen",
        "zu dem oben genannten Vorgang. Mit freundlichen Grüßen"]])
    picked = [mine["passport"].path, mine["residence_application"].path,
              mine["employer_certificate"].path, mine["payslip"].path, only_number]
    results = {r["path"]: r for r in run_ingest([str(p) for p in picked])}
    passport, application, letter, payslip, short = (results[str(p)] for p in picked)
    assert (passport["status"], passport["efile"]) == ("filed", ivanova["aktenzeichen"])
    assert (application["status"], application["efile"]) == ("filed", ivanova["aktenzeichen"])
    assert (letter["status"], letter["efile"]) == ("filed", ivanova["aktenzeichen"])
    assert payslip["status"] == short["status"] == "inbox"
    assert (passport["doc_type"], application["doc_type"], letter["doc_type"],
            payslip["doc_type"]) == ("passport", "residence_application",
                                     "employer_certificate", "payslip")
    with get_context().db.session() as s:
        doc = get_document(s, passport["document_id"])
        assert doc.fields["routing"]["by"] == "automatic" and "MRZ" in doc.fields["routing"]["reasons"][0]
        assert doc.fields["classification"]["layer"] == "mrz"
        item = s.query(InboxItem).filter_by(document_id=short["document_id"]).one()
        assert item.suggestions[0]["aktenzeichen"] == ivanova["aktenzeichen"]
        assert "a person confirms" in item.reasons[0]
        item = s.query(InboxItem).filter_by(document_id=payslip["document_id"]).one()
        assert "no identifier found" in item.reasons[0] and item.suggestions == []


def test_explicit_reference_contradicted_by_the_mrz_goes_to_the_inbox(fresh_home, samples):
    """A passport scanned under the wrong client's Aktenzeichen: its valid MRZ names someone
    else, so it is not filed into the wrong immigration file."""
    from conftest import create_efiles

    from pipelines.flows import run_ingest

    persons = create_efiles(samples)
    owner, other = list(persons.values())[:2]
    passport = next(s for s in samples if s.doc.kind == "passport"
                    and s.doc.person["aktenzeichen"] == owner["aktenzeichen"])
    (r,) = run_ingest([str(passport.path)], efile=other["aktenzeichen"])
    assert r["status"] == "inbox" and r["efile"] is None
    with get_context().db.session() as s:
        item = s.query(InboxItem).filter_by(document_id=r["document_id"]).one()
        assert item.reasons[0].startswith(f"the reference says {other['aktenzeichen']}, but")
        assert owner["aktenzeichen"] in item.reasons[0]
        assert item.suggestions[0]["aktenzeichen"] == owner["aktenzeichen"]


def test_no_symbol_coding_compression_anywhere(home, ingested):
    """TR-03138: never lossy JBIG2 (symbol coding can swap a 6 for an 8). No archive copy
    holds a JBIG2 image, and nothing in the code asks for one."""
    import io
    from pathlib import Path

    import pikepdf

    from efile.models import Document

    ctx = get_context()
    with ctx.db.session() as s:
        docs = list(s.query(Document))
    assert docs
    for doc in docs:
        with pikepdf.open(io.BytesIO(ctx.store.get(doc.archive_key))) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    filters = obj.get("/Filter")
                    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) \
                        else [str(filters)] if filters is not None else []
                    assert "/JBIG2Decode" not in names, doc.id
    root = Path(__file__).resolve().parent.parent
    for py in [*root.glob("pipelines/**/*.py"), *root.glob("efile/**/*.py")]:
        assert "jbig2" not in py.read_text().lower(), py
