"""The German web UI in a real browser: Debian's headless Chromium, driven by Playwright,
against `efile serve` started on a test home (three clients in three teams, a scan batch
with its transfer note, an inbox letter with a suggestion, enough documents to page).

Covers: sign-in and sign-out, search with a facet and paging, a document (PDF view, text,
classification, transfer note), one-click assignment from the inbox, a caseworker of another
team finding nothing (search: 0 hits; the direct address: the German 404 page), the keyboard
(skip link, tab order), a label on every input, and no horizontal scrolling at 1366×768.
Screenshots of the main pages go to $EFILE_SCREENSHOTS (default: a pytest temporary folder);
the run prints where."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browsing import (
    LOW_CONTRAST_JS,
    hits,
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
from webhome import MARKER, PASSWORD, _no_ocr, build

pytestmark = needs_chromium
TEAM_B = "ABH-2024-000202"  # Nowak (L–Z): sb.b's caseload
TEAM_A = "ABH-2024-000101"  # Albers (A–K): sb.a's caseload
# with the home's three team-b documents and the two in team B's inbox (a letter naming Nowak,
# the post naming his Aktenzeichen): 21 hits, two pages of 20
EXTRA_PAYSLIPS = 16
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]


def _extras(tmp: Path) -> dict:
    """What the UI shows beyond the API matrix's home: a scanned batch under a cover sheet
    (transfer note), a letter waiting in the inbox with a suggestion, payslips to page."""
    import pikepdf

    from efile.context import get_context
    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples.born_digital import write_text_pdf
    from pipelines.batch import run_batch
    from pipelines.process import ingest_file

    ctx = get_context()
    cover = render_pdf(CoverSheet(TEAM_A, "payslip"), client="Albers, Karin",
                       type_name="Entgeltabrechnung")
    body = write_text_pdf(tmp / "lohn.pdf", [["Entgeltabrechnung Februar 2025",
                                              "Frau Karin Albers", "Bruttoverdienst 3.250,00 EUR",
                                              f"Stichwort {MARKER} geheimwortkilo"]])
    stack = tmp / "stapel-0001.pdf"
    with pikepdf.open(io.BytesIO(cover)) as pdf, pikepdf.open(body) as content:
        pdf.pages.extend(content.pages)
        pdf.save(stack)
    batch = run_batch(ctx, [str(stack)], operator="scan.1", expected_pages=2, ocr_pages=_no_ocr)
    scanned = batch.documents[0]
    assert scanned["status"] == "filed", batch

    letter = write_text_pdf(tmp / "post.pdf", [["Wohnungsgeberbestätigung", "Herrn Piotr Nowak",
                                                f"Aktenzeichen {TEAM_B}",
                                                f"Stichwort {MARKER} geheimwortlima"]])
    post = ingest_file(ctx, str(letter), efile=None, source="upload", ocr_pages=_no_ocr,
                       doc_type="landlord_confirmation", hold="Posteingang ohne Deckblatt")
    assert post.status == "inbox", post

    for i in range(EXTRA_PAYSLIPS):
        year = 2023 + i % 3
        pdf = write_text_pdf(tmp / f"lohn-{i}.pdf", [[
            f"Entgeltabrechnung {MONTHS[i % 12]} {year}", "Herr Piotr Nowak",
            f"Abrechnungsdatum 28.{i % 12 + 1:02d}.{year}", f"Stichwort {MARKER}"]])
        r = ingest_file(ctx, str(pdf), efile=TEAM_B, source="upload", ocr_pages=_no_ocr,
                        doc_type="payslip")
        assert r.status == "filed", r
    return {"batch_id": batch.batch_id, "scanned": scanned["document_id"],
            "post": post.document_id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`efile serve` on a filled home; yields the base URL and the documents."""
    tmp = tmp_path_factory.mktemp("browserhome")
    use_home(tmp / "home")
    built = build(tmp)
    yield from serve(tmp, {"docs": built["docs"], "inbox": built["docs"]["inbox"].id,
                           **_extras(tmp)})


# -- the tests ---------------------------------------------------------------------------------

def test_login_in_german_with_a_refused_attempt_first(chromium, site, shots):
    page = open_as(chromium, site, None)
    page.goto(site["url"] + "/suche")
    assert "/anmelden" in page.url  # not signed in: to the login, the page to come back to kept
    assert page.get_by_role("heading", name="Anmelden").is_visible()
    assert unlabelled_inputs(page) == []
    no_horizontal_scroll(page)
    shoot(page, shots, "01-anmelden")
    page.get_by_label("Benutzername").fill("sb.b")
    page.get_by_label("Passwort").fill("falsches-Passwort-123")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").inner_text() == "Benutzername oder Passwort ist falsch."
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/suche")
    assert page.get_by_role("button", name="Abmelden").is_visible()
    page.context.close()


def test_search_with_a_facet_and_paging(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    assert page.url == site["url"] + "/"  # a caseworker's start page holds the search box
    page.get_by_label("Suchbegriffe").fill(MARKER)
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/suche?q=*")
    assert hits(page) == 21
    results = page.get_by_role("list", name="Treffer", exact=True)
    assert results.get_by_role("listitem").count() == 20
    assert page.locator("mark").first.inner_text() == MARKER  # the snippet marks the word
    no_horizontal_scroll(page)
    shoot(page, shots, "02-suche")

    page.get_by_role("link", name="Weiter").click()
    assert "Seite 2 von 2" in main_text(page)
    assert results.get_by_role("listitem").count() == 1
    page.get_by_role("link", name="Zurück").click()
    assert results.get_by_role("listitem").count() == 20

    facets = page.get_by_role("complementary", name="Treffer eingrenzen")
    facets.get_by_role("link", name="Mietvertrag").click()
    assert hits(page) == 1
    assert page.get_by_label("Suchbegriffe").input_value() == MARKER  # the filter: no ids typed
    assert "geheimwortecho" in main_text(page)  # the rental contract's own word
    facets.get_by_role("link", name="Filter Dokumenttyp entfernen").click()
    assert hits(page) == 21
    page.context.close()


def test_a_document_shows_pdf_text_classification_and_transfer_note(chromium, site, shots):
    page = open_as(chromium, site, "sb.a")
    page.get_by_label("Suchbegriffe").fill("geheimwortkilo")
    page.get_by_label("Suchbegriffe").press("Enter")
    assert hits(page) == 1
    page.get_by_role("list", name="Treffer", exact=True).get_by_role("link").first.click()
    page.wait_for_url(f"**/dokument/{site['scanned']}")
    frame = page.locator("iframe")
    src = frame.get_attribute("src")
    assert src.split("#")[0] == f"/dokument/{site['scanned']}/pdf"
    assert frame.get_attribute("title").startswith("PDF-Ansicht")
    pdf = page.request.get(site["url"] + src.split("#")[0])
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    text = main_text(page)
    assert "Bruttoverdienst 3.250,00 EUR" in text  # the page text
    assert page.get_by_role("heading", name="Klassifikation").is_visible()
    assert "Verdienstabrechnung" in text and "Deckblatt" in text  # the type the cover names
    assert page.get_by_role("heading", name="Transfervermerk").is_visible()
    assert "SCAN.1" in text  # who scanned, by the name of their account (issue 13)
    no_horizontal_scroll(page)
    page.wait_for_timeout(1500)  # Chromium's PDF viewer draws the page in its own time
    shoot(page, shots, "04-dokument")

    page.get_by_role("link", name=TEAM_A).first.click()
    page.wait_for_url(f"**/akte/{TEAM_A}")
    text = main_text(page)
    assert "Albers, Karin" in text and "02.01.1980" in text
    assert page.get_by_role("heading", name="Zeitleiste").is_visible()
    assert "Verdienstabrechnung" in text and "Arbeitsvertrag" in text
    assert "Ärztliches Attest" not in text  # restricted: sb.a lacks the right
    no_horizontal_scroll(page)
    shoot(page, shots, "03-akte")
    page.context.close()


def test_one_click_assignment_from_the_inbox(chromium, site, shots):
    page = open_as(chromium, site, "reg.1")
    page.goto(site["url"] + "/eingang")
    letter = page.get_by_role("heading", name="Wohnungsgeberbestätigung")
    item = page.get_by_role("article").filter(has=letter)
    assert item.count() == 1
    assert "Posteingang ohne Deckblatt" in item.inner_text()
    assert unlabelled_inputs(page) == []
    no_horizontal_scroll(page)
    shoot(page, shots, "05-eingang")
    item.get_by_role("button", name=f"Zuordnen zu {TEAM_B}").click()
    page.wait_for_url("**/eingang?zugeordnet=*")
    status = page.get_by_role("status")
    assert status.inner_text().startswith(f"Dokument der Akte {TEAM_B} (Nowak, Piotr) zugeordnet.")
    assert status.get_by_role("button", name="Rückgängig machen").count() == 1
    assert page.get_by_role("article").filter(has=letter).count() == 0
    assert page.get_by_role("article").count() == 2  # the home's other inbox documents stay
    page.context.close()

    # the team's caseworker finds it in the e-file now
    page = open_as(chromium, site, "sb.b")
    page.goto(site["url"] + f"/akte/{TEAM_B}")
    page.locator(f"a[href='/dokument/{site['post']}']").first.click()
    page.wait_for_url(f"**/dokument/{site['post']}")
    assert f"Akte {TEAM_B}" in main_text(page)
    page.context.close()


def test_a_caseworker_of_another_team_sees_nothing_of_it(chromium, site, shots):
    page = open_as(chromium, site, "sb.a")
    page.get_by_label("Suchbegriffe").fill("geheimwortcharlie")  # team b's payslip
    page.get_by_role("button", name="Suchen").click()
    assert hits(page) == 0
    assert "geheimwortcharlie" not in page.inner_text("main").replace(
        page.get_by_label("Suchbegriffe").input_value(), "")
    answer = page.goto(site["url"] + f"/dokument/{site['docs']['b_payslip'].id}")
    assert answer.status == 404
    assert page.get_by_role("heading", name="Nicht gefunden").is_visible()
    assert "geheimwortcharlie" not in page.content()
    shoot(page, shots, "07-nicht-gefunden")
    pdf = page.request.get(site["url"] + f"/dokument/{site['docs']['b_payslip'].id}/pdf")
    assert pdf.status == 404
    answer = page.goto(site["url"] + f"/akte/{TEAM_B}")
    assert answer.status == 404 and "Nowak" not in page.content()
    page.context.close()


def test_scanning_staff_see_their_batch(chromium, site, shots):
    page = open_as(chromium, site, "scan.1")
    page.goto(site["url"] + "/stapel")
    table = page.get_by_role("table", name="Scan-Stapel", exact=True)
    row = table.get_by_role("row").filter(has_text="scan.1")
    assert row.count() == 1
    assert "fertig" in row.inner_text() and "2 / 2" in row.inner_text()
    page.get_by_text("Dokumente des Stapels").first.click()
    no_horizontal_scroll(page)
    shoot(page, shots, "06-stapel")
    page.get_by_role("link", name="Dokument 1").click()
    assert "Transfervermerk" in main_text(page)  # scanning staff read their own batch
    page.context.close()

    page = open_as(chromium, site, "op.1")  # operators watch batches, never their content
    page.goto(site["url"] + "/stapel")
    page.get_by_text("Dokumente des Stapels").first.click()
    assert "Dokument 1" in main_text(page)
    assert page.get_by_role("link", name="Dokument 1").count() == 0
    page.context.close()


def test_keyboard_skip_link_and_tab_order(chromium, site):
    page = open_as(chromium, site, "sb.b")
    page.goto(site["url"] + "/suche")
    focused = "document.activeElement.id || document.activeElement.innerText"
    assert page.evaluate(focused) == "q"  # an empty search page: type at once
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Suchen"
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("Nowak")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche?q=Nowak*")
    assert hits(page) > 0

    # a results page leaves the focus at the start: skip link, then the form, then the hits
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "q"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Suchen"
    page.keyboard.press("Tab")  # past the facets to the first hit, by keyboard alone
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.context.close()


@pytest.mark.parametrize("user, path", [
    ("sb.b", "/suche?q=Sonnenblume"), ("sb.b", f"/akte/{TEAM_B}"), ("reg.1", "/eingang"),
    ("scan.1", "/stapel"), ("op.1", "/"), ("sb.b", "/dokument/0000"), (None, "/anmelden"),
    ("sb.a", "/dokument/{scanned}"), ("dsb.1", "/"),
    # every role's start page and the pages of issue 13, each in German
    ("sb.b", "/"), ("tl.b", "/"), ("reg.1", "/"), ("scan.1", "/"), ("adm.1", "/"),
    ("sb.b", "/eingang"), ("reg.1", "/eingang/{inbox}"), ("op.1", "/kennzahlen"),
    ("dsb.1", "/protokoll/notzugriffe"), ("scan.1", "/stapel/{batch_id}"),
    ("tl.b", "/stapel/{batch_id}"), ("sb.a", "/dokument/{scanned}/druck"),
    ("sb.b", "/suche?q=Ozturk+1979-05-02"), ("sb.b", "/suche?q=%22ungeschlossen"),
    ("sb.b", "/gibt-es-nicht"), (None, "/suche")])
def test_pages_fit_the_screen_label_every_input_and_keep_contrast(chromium, site, user, path):
    page = open_as(chromium, site, user)
    page.goto(site["url"] + path.format(**site))
    no_horizontal_scroll(page)
    assert unlabelled_inputs(page) == []
    assert page.evaluate(LOW_CONTRAST_JS) == []
    assert page.locator("h1").count() == 1
    assert_german(page, f"{path} as {user}")
    page.context.close()


def test_logout_ends_the_session(chromium, site):
    page = open_as(chromium, site, "sb.b", fresh=True)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden")
    page.goto(site["url"] + "/suche?q=Nowak")
    assert "/anmelden" in page.url
    page.go_back()  # the browser's history holds no readable copy either
    page.goto(site["url"] + f"/dokument/{site['docs']['b_payslip'].id}")
    assert "/anmelden" in page.url and "geheimwortcharlie" not in page.content()
    page.context.close()


def test_screenshots_were_saved(shots):
    names = {p.stem for p in shots.glob("*.png")}
    assert {"01-anmelden", "02-suche", "03-akte", "04-dokument", "05-eingang",
            "06-stapel"} <= names, names


def test_a_refusal_says_in_german_which_right_is_missing_and_does_not_loop(chromium, site):
    page = open_as(chromium, site, "scan.1")
    answer = page.goto(site["url"] + "/eingang")
    assert answer.status == 403
    text = main_text(page)
    assert "Keine Berechtigung" in text and "inbox.read oder inbox.read_team" in text, text
    assert page.get_by_role("link", name="Zur Startseite").get_attribute("href") == "/"
    assert_german(page)
    page.context.close()
