"""Scan batches in the browser (issue 13): a scanning clerk (Scanstelle) prints a cover sheet
and a PATCH-T sheet, hands in a stack, watches it being processed (the page reloads itself:
no script), passes one document's quality control and fails another with a note, which the
batch page shows; the team lead (Teamleitung) sees the failed one with the way to move it,
and releases the batch once QC is done. Every page in German, every action audited under
the signed-in user. The stack is born-digital (two cover sheets, two pages): no OCR."""

from __future__ import annotations

import io
import re
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
from webhome import build

pytestmark = needs_chromium
TEAM_B = "ABH-2024-000202"  # Nowak, Piotr: team-b, tl.b's caseload


def _stack(tmp: Path) -> Path:
    """Cover sheet, payslip, cover sheet, landlord's confirmation: 4 pages, as scanned."""
    import pikepdf

    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples.born_digital import write_text_pdf

    stack = pikepdf.new()
    for doc_type, lines in (("payslip", ["Entgeltabrechnung April 2025", "Herr Piotr Nowak",
                                         "Bruttoverdienst 2.900,00 EUR"]),
                            ("landlord_confirmation", ["Wohnungsgeberbestätigung",
                                                       "Herr Piotr Nowak", "Einzug 01.04.2025"])):
        cover = pikepdf.open(io.BytesIO(render_pdf(CoverSheet(TEAM_B, doc_type), client=None,
                                                   type_name=None)))
        body = pikepdf.open(write_text_pdf(tmp / f"{doc_type}.pdf", [lines]))
        stack.pages.extend(cover.pages)
        stack.pages.extend(body.pages)
    path = tmp / "stapel-web.pdf"
    stack.save(path)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batchweb")
    use_home(tmp / "home")
    build(tmp)
    yield from serve(tmp, {"stack": _stack(tmp)})


def _checked(page, shots, name: str) -> None:
    assert_german(page)
    assert unlabelled_inputs(page) == []
    no_horizontal_scroll(page)
    shoot(page, shots, name)


def test_cover_sheets_print_for_scanning_staff_without_the_clients_name(chromium, site, shots):
    import pypdfium2

    from pipelines.steps.split import inspect_page

    page = open_as(chromium, site, "scan.1")
    page.goto(site["url"] + "/stapel")
    assert page.get_by_role("heading", name="Stapel einreichen").is_visible()
    _checked(page, shots, "b1-stapel-scanstelle")
    url = site["url"] + f"/stapel/deckblatt.pdf?aktenzeichen={TEAM_B}&typ=payslip"
    answer = page.request.get(url)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(answer.body())
    text = pdf[0].get_textpage().get_text_range()
    assert TEAM_B in text and "Nowak" not in text  # the clerk may not read the e-file
    cover = inspect_page(0, pdf[0].render(scale=150 / 72).to_pil()).cover
    assert (cover.aktenzeichen, cover.doc_type) == (TEAM_B, "payslip")
    separator = page.request.get(site["url"] + "/stapel/trennblatt.pdf")
    assert separator.status == 200 and separator.body()[:5] == b"%PDF-"

    page.get_by_label("Aktenzeichen").fill("ABH-1999-999999")
    page.get_by_role("button", name="Deckblatt erstellen").click()
    assert "Eine Akte mit dem Aktenzeichen ABH-1999-999999 gibt es nicht." in \
        page.get_by_role("alert").inner_text()
    assert_german(page)
    page.context.close()


def test_a_clerk_submits_and_checks_a_batch_and_the_team_lead_releases_it(chromium, site,
                                                                        shots):
    page = open_as(chromium, site, "scan.1")
    page.goto(site["url"] + "/stapel")
    page.set_input_files("#dateien", str(site["stack"]))
    page.get_by_label("Seiten laut Stapelzettel").fill("5")  # one too many: both flagged
    page.get_by_role("button", name="Stapel einreichen").click()
    page.wait_for_url(re.compile(r"/stapel/[0-9a-f]{32}\?erledigt=eingereicht"))
    batch_id = page.url.split("/stapel/")[1].split("?")[0]
    name = page.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(r"Stapel 1 vom \d\d\.\d\d\.\d{4}, scan\.1", name), name
    shoot(page, shots, "b2-stapel-in-arbeit")
    # the page reloads itself while the batch is processed, until its documents show
    page.get_by_text("Ausgewählt: auffällig: Seitenzahl weicht ab").first.wait_for(
        timeout=90_000)
    text = main_text(page)
    assert "4 von 5 erwarteten" in text and batch_id not in text
    rows = page.get_by_role("table", name="Dokumente des Stapels").get_by_role("row")
    first, second = rows.filter(has_text="Dokument 1"), rows.filter(has_text="Dokument 2")
    assert "abgelegt" in first.inner_text() and TEAM_B in second.inner_text()
    _checked(page, shots, "b3-stapel-qk")

    # a fail needs a note; then the note is shown with the document
    second.get_by_role("button", name="Nicht bestanden").click()
    assert "Bitte schreiben Sie in den Vermerk" in page.get_by_role("alert").inner_text()
    assert_german(page)
    first.get_by_role("button", name="Bestanden", exact=True).click()
    page.wait_for_url("**erledigt=bestanden*")
    second.get_by_label("Vermerk zu Dokument 2").fill("Seite 2 fehlt im Scan")
    second.get_by_role("button", name="Nicht bestanden").click()
    page.wait_for_url("**erledigt=nicht-bestanden*")
    assert "Vermerk: Seite 2 fehlt im Scan" in second.inner_text()
    assert "nicht bestanden am" in second.inner_text() and "durch scan.1" in second.inner_text()
    assert "Freigeben kann die Teamleitung" not in main_text(page)
    assert "1 Dokument(e) haben sie nicht bestanden" in main_text(page)
    _checked(page, shots, "b4-stapel-nicht-bestanden")
    page.goto(site["url"] + "/stapel")  # the list names the batch and shows the note too
    page.get_by_text("Dokumente des Stapels").first.click()
    assert name in main_text(page) and "Vermerk: Seite 2 fehlt im Scan" in main_text(page)
    assert_german(page)
    page.context.close()

    # the team lead: sees the failed document with the way to move it, cannot decide QC
    lead = open_as(chromium, site, "tl.b")
    lead.goto(site["url"] + f"/stapel/{batch_id}")
    lrows = lead.get_by_role("table", name="Dokumente des Stapels").get_by_role("row")
    move = lrows.filter(has_text="Dokument 2").get_by_role("link",
                                                          name="In andere Akte verschieben")
    assert move.get_attribute("href").endswith("#korrektur")
    assert lead.get_by_role("button", name="Bestanden", exact=True).count() == 0
    assert lead.get_by_role("button", name="Stapel freigeben").count() == 0
    _checked(lead, shots, "b5-stapel-teamleitung")

    # rescanned and checked again by the clerk; then the lead releases
    page = open_as(chromium, site, "scan.1")
    page.goto(site["url"] + f"/stapel/{batch_id}")
    row = page.get_by_role("table", name="Dokumente des Stapels").get_by_role("row") \
        .filter(has_text="Dokument 2")
    row.get_by_label("Vermerk zu Dokument 2").fill("nachgescannt, vollständig")
    row.get_by_role("button", name="Bestanden", exact=True).click()
    page.wait_for_url("**erledigt=bestanden*")
    assert "Freigeben kann die Teamleitung." in main_text(page)
    page.context.close()

    lead.reload()
    lead.get_by_role("button", name="Stapel freigeben").click()
    lead.wait_for_url("**erledigt=freigegeben")
    assert "Der Stapel ist freigegeben" in lead.get_by_role("status").inner_text()
    assert "durch tl.b" in main_text(lead)
    _checked(lead, shots, "b6-stapel-freigegeben")
    lead.context.close()

    from efile.context import get_context
    from efile.services.audit import Action, query

    with get_context().db.session() as s:
        seen = [(e.action, e.user_name, e.outcome, e.object_id) for e in
                reversed(query(s, limit=200)) if e.action in
                (Action.BATCH_SUBMIT, Action.QC_DECIDE, Action.BATCH_RELEASE)]
    assert [(a, u, o) for a, u, o, _ in seen] == [
        (Action.BATCH_SUBMIT, "scan.1", "ok"), (Action.QC_DECIDE, "scan.1", "ok"),
        (Action.QC_DECIDE, "scan.1", "ok"), (Action.QC_DECIDE, "scan.1", "ok"),
        (Action.BATCH_RELEASE, "tl.b", "ok")]
    assert seen[0][3] == seen[-1][3] == batch_id
