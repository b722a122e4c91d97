"""One intake check for every path (#21, #12): the same verdict for a file whichever way it
came, the intended differences of the portal written as a policy, Flate bombs refused before
any reader inflates them, the check and the sanitiser in a bounded child, reasons without
Python object text, and the original stored before any of it."""

from __future__ import annotations

import io
import time
import tracemalloc
import zlib

import pikepdf
import pytest
from pikepdf import Array, Name

from efile.config import Settings
from efile.context import get_context
from efile.samples.born_digital import write_text_pdf
from pipelines.process import ingest_file, pooled_ocr
from pipelines.steps.inflate import inflated_size
from pipelines.steps.intake import examine_bounded
from pipelines.steps.reasons import library_words
from pipelines.steps.validate import PORTAL, STAFF, Limits, check_input, policy_for

LETTER = [["Mietvertrag über die Wohnung Lindenstraße 4, 2. OG links",
           "Mieter: Frau Olena Kovalenko, geboren am 14.03.1988"]]


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> bytes:
    return write_text_pdf(tmp_path_factory.mktemp("intake") / "miete.pdf", LETTER).read_bytes()


def _zeros_deflated(n: int, levels: int = 1) -> bytes:
    """n zero bytes, deflated `levels` times, made in chunks (never n bytes at once)."""
    c = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    data = b"".join(c.compress(chunk) for _ in range(n >> 20)) + c.flush()
    for _ in range(levels - 1):
        data = zlib.compress(data, 9)
    return data


def _with_content_bomb(letter: bytes, inflated: int, levels: int = 1) -> bytes:
    """The letter with one more content stream on its page: `inflated` bytes of spaces that
    every reader inflates whole and parses (a Flate bomb)."""
    with pikepdf.open(io.BytesIO(letter)) as pdf:
        bomb = pikepdf.Stream(pdf, _zeros_deflated(inflated, levels))
        bomb.Filter = Array([Name.FlateDecode] * levels) if levels > 1 else Name.FlateDecode
        pdf.pages[0].contents_add(bomb)
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


@pytest.mark.parametrize("levels", [1, 2])
def test_flate_bomb_refused_before_a_reader_inflates_it(letter, levels):
    bomb = _with_content_bomb(letter, 300 << 20, levels)  # 300 MB, from < 1 MB
    assert len(bomb) < (1 << 20)
    tracemalloc.start()
    t = time.monotonic()
    try:
        v = check_input(bomb, "miete.pdf", Limits(), STAFF)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not v.accepted and v.code == "inflation_bomb", (v.code, v.reason)
    assert v.reason.startswith("PDF streams inflate to more than 256 MB (object ")
    assert "Bitte speichern oder drucken Sie das Dokument neu" in v.applicant_message
    assert type(v.error()).__name__ == "TooLarge" and v.error().code == "inflation_bomb"
    assert peak < 40 << 20  # chunks of 4 MB per level, never the 300 MB
    assert time.monotonic() - t < 5


def test_inflation_counted_in_chunks_and_damage_ends_a_stream():
    data = _zeros_deflated(10 << 20)
    assert inflated_size(data, 1, 100 << 20) == 10 << 20
    assert inflated_size(data, 1, 1 << 20) <= (1 << 20) + (4 << 20)  # stops just past budget
    assert inflated_size(data[: len(data) // 2] + b"garbage", 1, 100 << 20) < 10 << 20
    assert inflated_size(b"not zlib at all", 1, 100) == 0


def test_an_ordinary_letter_inflates_far_below_the_budget(letter):
    v = check_input(letter, "miete.pdf", Limits(), PORTAL)
    assert v.accepted and v.media_type == "application/pdf" and v.pages == 1
    assert not v.repair and not v.doubts


def test_the_portal_is_stricter_where_the_applicant_can_send_again(letter):
    """The policy table of the README: bytes before the header and a missing end-of-file
    marker are refused on the portal, repaired and held for a person on staff paths."""
    junk_first = b"Scanned by ACME Capture 7.2\r\n" + letter
    v = check_input(junk_first, "a.pdf", Limits(), PORTAL)
    assert (v.accepted, v.code) == (False, "polyglot")
    v = check_input(junk_first, "a.pdf", Limits(), STAFF)
    assert v.accepted and v.repair and v.notes == ["29 bytes before the PDF header ignored"]

    cut = letter[: letter.rindex(b"%%EOF")]
    v = check_input(cut, "a.pdf", Limits(), PORTAL)
    assert (v.accepted, v.code) == (False, "truncated")
    v = check_input(cut, "a.pdf", Limits(), STAFF)
    assert v.accepted and v.repair and "may have been cut short" in v.doubts[0]

    # a program or a web page before the header is refused on every path
    for prefix, code in ((b"MZ\x90\x00" + bytes(60), "executable"),
                         (b"<html><script>x()</script>", "html")):
        for policy in (PORTAL, STAFF):
            v = check_input(prefix + letter, "a.pdf", Limits(), policy)
            assert (v.accepted, v.code) == (False, code), (policy.name, v.reason)
    assert policy_for("upload") is PORTAL
    assert {policy_for(s) for s in ("scan", "ingest", "watch", "mail")} == {STAFF}


def test_reasons_name_no_python_objects():
    e = RuntimeError("stream <_io.BytesIO object at 0x7f3a12345678>: unable to find trailer "
                     "dictionary while recovering damaged file\nsecond line")
    assert library_words(e) == "unable to find trailer dictionary while recovering damaged file"
    assert library_words(ValueError("")) == "ValueError"
    v = check_input(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "x.pdf")
    assert v.code == "corrupt" and "<_io." not in v.reason and " at 0x" not in v.reason


def test_bounded_examination_refuses_what_it_cannot_finish_in_time(letter):
    settings = Settings.from_env({"EFILE_HOME": "/tmp/unused", "EFILE_PARSE_TIMEOUT_S": "0.05"})
    bomb = _with_content_bomb(letter, 300 << 20)  # ~0.5 s to count through: past the limit
    ex = examine_bounded(bomb, "miete.pdf", Limits(), STAFF, settings)
    assert not ex.accepted and ex.verdict.code == "parse_timeout"
    assert "Die Datei ist beschädigt" in ex.verdict.applicant_message
    ex = examine_bounded(letter, "miete.pdf", Limits(), PORTAL, Settings.from_env(
        {"EFILE_HOME": "/tmp/unused"}))
    assert ex.accepted and ex.content is None and ex.media_type == "application/pdf"


def _jpeg_cut_short() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", (800, 600), 200).save(buf, "JPEG", quality=90)
    return buf.getvalue()[:-2000]


def test_one_verdict_on_every_path_and_the_original_kept(fresh_home, tmp_path, letter):
    """A JPEG cut short was 'tesseract failed' on the scan path and accepted on the upload
    path; now both refuse it by its code, after storing it."""
    ctx = get_context()
    ocr = pooled_ocr("deu+eng", 1)
    path = tmp_path / "pass.jpg"
    path.write_bytes(_jpeg_cut_short())
    for source in ("scan", "upload"):
        item = ingest_file(ctx, str(path), efile=None, source=source, ocr_pages=ocr)
        assert (item.status, item.code) == ("failed", "truncated"), (source, item.error)
        assert item.error.startswith("image is damaged or truncated")
        assert ctx.store.get(item.original_key) == path.read_bytes()
    # staff take a letter without its end-of-file marker, repaired, and hold it for a person
    cut = tmp_path / "miete.pdf"
    cut.write_bytes(letter[: letter.rindex(b"%%EOF")])
    item = ingest_file(ctx, str(cut), efile=None, source="scan", ocr_pages=ocr)
    assert item.status == "inbox", item
    assert any("may have been cut short" in n for n in item.notes), item.notes
    cut.write_bytes(cut.read_bytes() + b"\n")  # other bytes: not a duplicate of the one filed
    item = ingest_file(ctx, str(cut), efile=None, source="upload", ocr_pages=ocr)
    assert (item.status, item.code) == ("failed", "truncated")


def test_staff_ingested_pdfs_lose_their_active_content_too(fresh_home, tmp_path, letter):
    """#12: only portal uploads were sanitised; a PDF from the hot folder or `efile ingest`
    kept its JavaScript in the archive copy the browser shows."""
    ctx = get_context()
    with pikepdf.open(io.BytesIO(letter)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
            S=Name.JavaScript, JS=pikepdf.String("app.launchURL('http://x.invalid')")))
        path = tmp_path / "mit-skript.pdf"
        pdf.save(path)
    item = ingest_file(ctx, str(path), efile=None, source="ingest",
                       ocr_pages=pooled_ocr("deu+eng", 1))
    assert item.status in ("filed", "inbox") and item.document_id, item
    assert any("JavaScript" in x for x in item.sanitised), item.sanitised
    from efile.models import Document
    with ctx.db.session() as s:
        doc = s.get(Document, item.document_id)
        original, archive = ctx.store.get(doc.original_key), ctx.store.get(doc.archive_key)
    assert original == path.read_bytes()  # the original byte for byte
    assert b"/JavaScript" not in archive and b"launchURL" not in archive


def test_a_valid_mrz_the_visual_zone_disputes_is_never_filed_on(fresh_home):
    """#14: the check digit cannot tell L from 1; a real specimen read 1898902C3 for
    L898902C3 "valid". The page prints L898902C3: the MRZ is disputed, the document waits
    in the inbox naming both, although the MRZ's number is a registered client's."""
    from datetime import date

    from classifiers.doctype import Classification
    from efile.services.efiles import add_efile
    from pipelines.steps.ocr import PageResult, read_mrz
    from pipelines.steps.route import route_document
    from pipelines.tools.tesseract import PageOcr

    ctx = get_context()
    with ctx.db.session() as s:
        add_efile(s, "ABH-2026-000042", surname="Eriksson", given_names="Anna Maria",
                  birth_date=date(1974, 8, 12), passports=["1898902C3"])
    text = ("PASSPORT / PASSEPORT  Type P  Code UTO  Passport No. L898902C3\n"
            "ERIKSSON  ANNA MARIA  12 AUG 1974\n"
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "1898902C36UTO7408122F1204159ZE184226B<<<<<10\n")
    mrz = read_mrz(PageOcr(b"", text, 90.0, 30, mrz_box=(0, 0, 10, 10)), b"")
    assert mrz["valid"] and mrz["document_number"] == "1898902C3"
    assert "L898902C3 printed on the page" in mrz["disputed"]
    page = PageResult(0, text, "ocr", 90.0, 30, mrz=mrz)
    kind = Classification("passport", "Reisepass", 1.0, "mrz")
    route = route_document(ctx, [page], kind, explicit=None)
    assert route.efile is None and route.reasons[0].startswith(
        "the MRZ is in doubt (document number 1898902C3 in the MRZ, L898902C3 printed on the page)")
    mrz.pop("disputed")  # the same page without the dispute files on the MRZ
    assert route_document(ctx, [PageResult(0, text, "ocr", 90.0, 30, mrz=mrz)], kind,
                          explicit=None).efile == "ABH-2026-000042"
