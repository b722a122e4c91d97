"""The document page in a real browser (issue 13): a caseworker opens a document from the
e-file by its readable title, writes a note (Vermerk) and sees it with their name, downloads
the archive copy and the original with readable file names, changes the type, and reads the
history; every page German (support/german.py), screenshots of each step, the page as printed.
Debian's headless Chromium through Playwright, against `efile serve` on a born-digital home."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import (
    main_text,
    needs_chromium,
    no_horizontal_scroll,
    open_as,
    serve,
    shoot,
    unlabelled_inputs,
)
from conftest import use_home
from support.german import assert_german
from webhome import _no_ocr, build

pytestmark = needs_chromium
TEAM_A = "ABH-2024-000101"  # Albers (A–K): sb.a's caseload
TITLE = "Verdienstabrechnung vom 28.02.2025"
FILE = f"Verdienstabrechnung_2025-02-28_{TEAM_A}"


def _payslip(tmp: Path) -> str:
    """A payslip with a printed date, named as the scanner names its files."""
    from efile.context import get_context
    from efile.samples.born_digital import write_text_pdf
    from pipelines.process import ingest_file

    pdf = write_text_pdf(tmp / "stapel-0815-002.pdf", [[
        "Entgeltabrechnung Februar 2025", "Frau Karin Albers", "Berlin, den 28.02.2025",
        "Bruttoverdienst 3.250,00 EUR"]])
    r = ingest_file(get_context(), str(pdf), efile=TEAM_A, source="upload", ocr_pages=_no_ocr,
                    doc_type="payslip")
    assert r.status == "filed", r
    return r.document_id


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("documenthome")
    use_home(tmp / "home")
    built = build(tmp)
    yield from serve(tmp, {"docs": built["docs"], "payslip": _payslip(tmp)})


def _check(page, where: str) -> None:
    assert_german(page, where)
    assert unlabelled_inputs(page) == []
    no_horizontal_scroll(page)


def test_a_caseworker_works_on_a_document(chromium, site, shots):
    doc = site["payslip"]
    page = open_as(chromium, site, "sb.a")
    page.goto(site["url"] + f"/akte/{TEAM_A}")
    _check(page, "Akte")
    assert "Türkei (TUR)" in main_text(page)  # the nationality by name
    page.get_by_role("link", name=TITLE).first.click()  # the title, not the file name
    page.wait_for_url(f"**/dokument/{doc}")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "stapel-0815-002.pdf" in main_text(page)  # the file name, as secondary information
    _check(page, "Dokument")
    page.wait_for_timeout(1000)  # Chromium's PDF viewer draws the page in its own time
    shoot(page, shots, "d1-dokument")

    # a note, shown with the caseworker's name, also in the history
    page.get_by_label("Neuer Vermerk").fill("Arbeitgeber angerufen:\nBescheinigung folgt.")
    page.get_by_role("button", name="Vermerk speichern").click()
    page.wait_for_url("**vermerk=gespeichert*")
    assert page.get_by_role("status").first.inner_text() == "Der Vermerk wurde gespeichert."
    notes = page.locator("#vermerke li")
    assert notes.count() == 1
    assert "SB.A" in notes.first.inner_text()
    assert notes.first.locator(".note-text").inner_text() == \
        "Arbeitgeber angerufen:\nBescheinigung folgt."
    history = page.get_by_role("region", name="Verlauf")
    assert "SB.A hat einen Vermerk geschrieben" in history.inner_text()
    _check(page, "Dokument mit Vermerk")
    page.locator("#vermerke").scroll_into_view_if_needed()
    shoot(page, shots, "d2-vermerk")

    # downloads with the names a person files them under
    with page.expect_download() as got:
        page.get_by_role("link", name="Archivkopie herunterladen").click()
    assert got.value.suggested_filename == f"{FILE}.pdf"
    assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as got:
        page.get_by_role("link", name="Original herunterladen").click()
    assert got.value.suggested_filename == f"{FILE}_Original.pdf"

    # change the type from the classification card
    page.get_by_role("link", name="Typ ändern").click()
    assert page.url.endswith("#k-typ")
    page.get_by_label("Neuer Dokumenttyp").select_option(label="Arbeitgeberbescheinigung")
    page.locator("#k-tgrund").fill("ist eine Bescheinigung des Arbeitgebers")
    page.get_by_role("button", name="Typ ändern").click()
    page.wait_for_url("**korrigiert=typ*")
    assert page.get_by_role("status").first.inner_text() == "Der Dokumenttyp wurde geändert."
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Arbeitgeberbescheinigung vom 28.02.2025"
    text = " ".join(page.get_by_role("region", name="Verlauf").inner_text().split())
    assert "SB.A hat den Typ geändert von Verdienstabrechnung in Arbeitgeberbescheinigung" \
        in text
    assert "Grund: ist eine Bescheinigung des Arbeitgebers" in text
    assert "sb.a" not in text  # the name, not the login
    _check(page, "Dokument nach Typänderung")
    page.get_by_role("region", name="Verlauf").scroll_into_view_if_needed()
    shoot(page, shots, "d3-verlauf")

    # on paper: facts, history and notes, no forms
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Vermerk speichern").is_visible()
    assert page.get_by_role("region", name="Verlauf").is_visible()
    page.pdf(path=str(shots / "d4-druck.pdf"))
    page.emulate_media(media="screen")
    page.context.close()


def test_the_registry_sees_the_inbox_document_in_german(chromium, site, shots):
    page = open_as(chromium, site, "reg.1")
    page.goto(site["url"] + f"/dokument/{site['docs']['inbox'].id}")
    text = main_text(page)
    assert "automatisch in den Posteingang gelegt: ohne Aktenzeichen eingegangen" in text
    _check(page, "Posteingangsdokument")
    shoot(page, shots, "d5-posteingang-dokument")
    page.context.close()
