"""Casework in a real browser (issue 13): the misfile guard, moving a document between
e-files, and a caseworker clearing the team's inbox after looking the client up — each as
the people who do it would, on `efile serve`, in German.

The home: tests/webhome.py's three clients (with Nowak's inbox letter), and the namesakes
Hüseyin and Ahmad Öztürk (team B, L–Z by the folded surname: Ö → O). A scan batch lays
Hüseyin's cover sheet (rental contract) on Ahmad's Wohnungsgeberbestätigung, which names
Ahmad with his birth date: the guard must hold it, whatever the cover sheet says."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from browsing import main_text, needs_chromium, no_horizontal_scroll, open_as, serve, shoot
from conftest import use_home
from support.german import assert_german
from webhome import _no_ocr, build

pytestmark = needs_chromium

HUESEYIN, AHMAD = "ABH-2023-000010", "ABH-2023-000011"
ALBERS, NOWAK = "ABH-2024-000101", "ABH-2024-000202"
REASON = "Geburtsdatum gehört zu Ahmad, nicht zu Hüseyin"


def _extras(tmp: Path) -> dict:
    import pikepdf

    from efile.context import get_context
    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples.born_digital import write_text_pdf
    from efile.services.efiles import add_efile
    from pipelines.batch import run_batch
    from pipelines.process import ingest_file

    ctx = get_context()
    with ctx.db.session() as s:
        add_efile(s, HUESEYIN, surname="Öztürk", given_names="Hüseyin",
                  birth_date=date(1975, 3, 14), nationality="TUR")
        add_efile(s, AHMAD, surname="Öztürk", given_names="Ahmad",
                  birth_date=date(1998, 9, 2), nationality="TUR")
    # the silent misfile: Hüseyin's cover sheet on Ahmad's page
    cover = render_pdf(CoverSheet(HUESEYIN, "rental_contract"), client="Öztürk, Hüseyin",
                       type_name="Mietvertrag")
    body = write_text_pdf(tmp / "wgb.pdf", [[
        "Wohnungsgeberbestätigung nach § 19 BMG", "Familienname: Öztürk", "Vornamen: Ahmad",
        "Geburtsdatum: 02.09.1998", "Einzug am 01.03.2026", "Stichwort geheimwortjuliett"]])
    stack = tmp / "stapel-0815.pdf"
    with pikepdf.open(io.BytesIO(cover)) as pdf, pikepdf.open(body) as content:
        pdf.pages.extend(content.pages)
        pdf.save(stack)
    batch = run_batch(ctx, [str(stack)], operator="scan.1", expected_pages=2,
                      ocr_pages=_no_ocr)
    held = batch.documents[0]
    assert held["status"] == "inbox", batch  # the guard, before any browser
    # a payslip filed into Hüseyin's e-file that is Ahmad's (it names no one: no guard)
    slip = write_text_pdf(tmp / "lohn-a.pdf", [[
        "Entgeltabrechnung März 2026", "Personalnummer 4711", "Bruttoverdienst 2.400,00 EUR",
        "Stichwort geheimwortkilo"]])
    misfiled = ingest_file(ctx, str(slip), efile=HUESEYIN, source="upload", ocr_pages=_no_ocr,
                           doc_type="payslip")
    # a letter in Albers' e-file (team A) that belongs to Nowak (team B)
    letter = write_text_pdf(tmp / "brief.pdf", [[
        "Arbeitgeberbescheinigung", "Firma Beispiel GmbH", "Stichwort geheimwortlima"]])
    crossing = ingest_file(ctx, str(letter), efile=ALBERS, source="upload", ocr_pages=_no_ocr,
                           doc_type="employer_certificate")
    return {"held": held["document_id"], "misfiled": misfiled.document_id,
            "crossing": crossing.document_id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("caseworkhome")
    use_home(tmp / "home")
    built = build(tmp)
    yield from serve(tmp, {"docs": built["docs"], **_extras(tmp)})


def _listed(page, site, az: str) -> str:
    page.goto(site["url"] + f"/akte/{az}")
    return page.content()


def test_a_contradicting_cover_sheet_lands_in_the_inbox_naming_both(chromium, site, shots):
    page = open_as(chromium, site, "reg.1")
    page.goto(site["url"] + "/eingang")
    item = page.locator("article").filter(has=page.locator(
        f"a[href='/dokument/{site['held']}']"))
    assert item.count() == 1
    text = " ".join(item.inner_text().split())
    assert HUESEYIN in text and AHMAD in text and "Ahmad" in text, text
    assert_german(page)
    no_horizontal_scroll(page)
    shoot(page, shots, "20-eingang-widerspruch")
    # nothing of it in Hüseyin's e-file, where the cover sheet pointed
    page = open_as(chromium, site, "sb.b")
    assert site["held"] not in _listed(page, site, HUESEYIN)
    page.context.close()


def test_a_moved_document_leaves_the_first_file_and_appears_in_the_second(chromium, site, shots):
    doc = site["misfiled"]
    page = open_as(chromium, site, "sb.b")
    assert doc in _listed(page, site, HUESEYIN) and doc not in _listed(page, site, AHMAD)
    page.goto(site["url"] + f"/dokument/{doc}")
    assert_german(page)
    page.get_by_label("Aktenzeichen der richtigen Akte").fill(AHMAD)
    page.get_by_label("Grund", exact=True).first.fill(REASON)
    page.get_by_role("button", name="Weiter zur Bestätigung").click()
    page.wait_for_load_state()
    confirm = main_text(page)
    assert "Öztürk, Ahmad" in confirm and "geb. 02.09.1998" in confirm, confirm
    assert_german(page)
    shoot(page, shots, "21-verschieben-bestaetigen")
    page.get_by_role("button", name="Ja, in die Akte von Öztürk, Ahmad verschieben").click()
    page.wait_for_url("**korrigiert=verschoben")
    assert "Das Dokument wurde verschoben." in main_text(page)
    assert doc not in _listed(page, site, HUESEYIN) and doc in _listed(page, site, AHMAD)
    page.context.close()

    # across teams: team A gives Nowak's letter back, the registry files it into Nowak's
    crossing = site["crossing"]
    page = open_as(chromium, site, "sb.a")
    page.goto(site["url"] + f"/dokument/{crossing}")
    page.get_by_label("Grund", exact=True).first.fill("Gehört zu Herrn Nowak, nicht zu Frau Albers")
    page.get_by_role("button", name="Stattdessen zurück in den Posteingang").click()
    page.get_by_role("button", name="Ja, in den Posteingang zurückgeben").click()
    page.wait_for_load_state()
    assert crossing not in _listed(page, site, ALBERS)
    page.context.close()
    page = open_as(chromium, site, "reg.1")
    page.goto(site["url"] + f"/eingang/{crossing}")
    page.get_by_label("Aktenzeichen", exact=True).fill(NOWAK)
    page.get_by_role("button", name="Weiter zur Bestätigung").click()
    page.get_by_role("button", name="Ja, der Akte von Nowak, Piotr zuordnen").click()
    page.wait_for_url("**/eingang?zugeordnet=*")
    page.context.close()
    page = open_as(chromium, site, "sb.a")
    assert crossing not in _listed(page, site, ALBERS)
    assert page.goto(site["url"] + f"/dokument/{crossing}").status == 404  # not team A's now
    page.context.close()
    page = open_as(chromium, site, "sb.b")
    assert crossing in _listed(page, site, NOWAK)
    page.context.close()


def test_a_caseworker_clears_a_team_inbox_item_after_looking_the_client_up(chromium, site, shots):
    letter = site["docs"]["inbox_b"].id  # proposes Nowak's e-file (team B)
    other = site["docs"]["inbox"].id  # proposes nothing: the registry's alone
    page = open_as(chromium, site, "sb.a")  # team A: not theirs
    page.goto(site["url"] + "/eingang")
    assert "Posteingang meines Teams" in main_text(page)
    assert letter not in page.content() and other not in page.content()
    page.context.close()

    page = open_as(chromium, site, "sb.b")
    page.goto(site["url"] + "/eingang")
    assert letter in page.content() and other not in page.content()
    assert_german(page)
    shoot(page, shots, "22-eingang-team")
    item = page.locator("article").filter(has=page.locator(f"a[href='/dokument/{letter}']"))
    item.get_by_role("link", name="Person suchen und zuordnen").click()
    page.wait_for_url(f"**/eingang/{letter}")
    # a wrong Aktenzeichen first: the item again, the input kept, in German
    page.get_by_label("Aktenzeichen", exact=True).fill("ABH-2024-999999")
    page.get_by_role("button", name="Weiter zur Bestätigung").click()
    page.wait_for_load_state()
    assert "Keine Akte mit dem Aktenzeichen ABH-2024-999999" in main_text(page)
    assert page.get_by_label("Aktenzeichen", exact=True).input_value() == "ABH-2024-999999"
    assert_german(page)
    # the lookup by name and birth date
    page.get_by_label("Name, Geburtsdatum oder Nummer (Pass, AZR, Aktenzeichen)").fill(
        "Nowak 06.05.1975")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state()
    found = page.get_by_role("list", name="Gefundene Personen")
    assert found.get_by_role("button").count() == 1
    button = found.get_by_role("button", name=f"Nowak, Piotr, geb. 06.05.1975, {NOWAK}")
    assert_german(page)
    shoot(page, shots, "23-person-gesucht")
    button.click()
    page.wait_for_load_state()
    confirm = main_text(page)
    assert "Nowak, Piotr" in confirm and "geb. 06.05.1975" in confirm
    assert_german(page)
    page.get_by_role("button", name="Ja, der Akte von Nowak, Piotr zuordnen").click()
    page.wait_for_url("**/eingang?zugeordnet=*")
    assert f"Dokument der Akte {NOWAK} (Nowak, Piotr) zugeordnet." in main_text(page)
    assert letter not in page.locator("article").all_inner_texts().__str__()
    assert letter in _listed(page, site, NOWAK)
    # and taken back: the item returns to the team's inbox
    page.goto(site["url"] + f"/eingang?zugeordnet={letter}")
    page.get_by_label("Falsch zugeordnet? Grund").fill("Versehentlich zugeordnet, bitte prüfen")
    page.get_by_role("button", name="Rückgängig machen").click()
    page.get_by_role("button", name="Ja, rückgängig machen").click()
    page.wait_for_load_state()
    page.goto(site["url"] + "/eingang")
    assert letter in page.content()
    page.context.close()
