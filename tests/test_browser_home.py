"""Each role's start page, the figures page (Kennzahlen) and /docs in headless Chromium
(issue 13): German words only, a label on every input, no horizontal scrolling at 1366×768,
the favicon served, and Swagger UI showing the API's operations under our CSP with nothing
loaded from another site. Screenshots go to $EFILE_SCREENSHOTS (see tests/browsing.py)."""

from __future__ import annotations

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
TEAM_B = "ABH-2024-000202"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from efile.context import get_context
    from efile.models import ScanBatch

    tmp = tmp_path_factory.mktemp("homebrowser")
    use_home(tmp / "home")
    built = build(tmp)
    with get_context().db.session() as s:
        s.add(ScanBatch(operator="scan.1", status="attention", expected_pages=3, pages_found=2))
    yield from serve(tmp, {"docs": built["docs"]})


def _checked(page, shots, name: str) -> None:
    assert_german(page, name)
    assert unlabelled_inputs(page) == [], name
    no_horizontal_scroll(page)
    shoot(page, shots, name)


@pytest.mark.parametrize(("user", "sees"), [
    ("sb.b", ["Neu in meinen Akten", "Suche in den E-Akten"]),
    ("tl.b", ["Neu in meinen Akten", "Posteingang meines Teams"]),
    ("reg.1", ["Posteingang", "Zum Posteingang", "Suche in den E-Akten"]),
    ("scan.1", ["Meine offenen Stapel"]),
    ("op.1", ["Kennzahlen", "Zu den Kennzahlen"]),
    ("dsb.1", ["Datenschutz", "Notzugriffe prüfen"]),
    ("adm.1", ["Benutzerkonten"]),
])
def test_each_role_has_its_start_page(chromium, site, shots, user, sees):
    page = open_as(chromium, site, user)
    assert page.url == site["url"] + "/"
    text = main_text(page)
    for words in sees:
        assert words in text, (user, words, text[:500])
    _checked(page, shots, f"h-start-{user}")
    page.context.close()


def test_a_caseworker_goes_from_the_start_page_to_a_new_document(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    new = page.get_by_role("table", name="Neu abgelegte Dokumente")
    assert new.get_by_role("row").count() >= 2  # the header and the team's documents
    new.get_by_role("link", name=TEAM_B).first.click()
    page.wait_for_url(f"**/akte/{TEAM_B}")
    page.go_back()
    page.get_by_label("Suchbegriffe").fill("Nowak")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/suche?q=*")
    page.context.close()


def test_the_navigation_names_what_the_person_may_use(chromium, site):
    expect = {"sb.b": ["Suche", "Posteingang"], "reg.1": ["Suche", "Posteingang"],
              "scan.1": ["Scan-Stapel"], "op.1": ["Scan-Stapel", "Kennzahlen"],
              "dsb.1": ["Kennzahlen", "Notzugriffe"]}
    for user, links in expect.items():
        page = open_as(chromium, site, user)
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        assert nav.get_by_role("link").all_inner_texts() == links, user
        assert page.get_by_role("button", name="Abmelden").is_visible()
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
        page.context.close()


def test_the_figures_page(chromium, site, shots):
    page = open_as(chromium, site, "op.1")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Kennzahlen").click()
    page.wait_for_url("**/kennzahlen")
    text = main_text(page)
    for words in ("Dokumente nach Status", "Fehlgeschlagene Dateien", "Abgewiesene Uploads",
                  "Stapel mit Handlungsbedarf", "Seitenzahl weicht ab", "Durchsatz"):
        assert words in text, words
    assert "Nowak" not in page.content() and TEAM_B not in page.content()
    assert page.locator("meter").count() == 24
    _checked(page, shots, "h-kennzahlen")
    page.context.close()


def test_docs_shows_the_api_operations_from_our_own_server(chromium, site, shots):
    page = open_as(chromium, site, None)
    elsewhere, refused = [], []
    page.on("request", lambda r: elsewhere.append(r.url)
            if not r.url.startswith(site["url"]) and not r.url.startswith("data:") else None)
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(site["url"] + "/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20  # every route of the API
    assert page.get_by_text("/api/figures").first.is_visible()
    assert elsewhere == [] and refused == [], (elsewhere, refused)
    shoot(page, shots, "h-docs")
    icon = page.request.get(site["url"] + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    page.context.close()


def test_an_unknown_address_is_a_german_page_with_the_favicon(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    answer = page.goto(site["url"] + "/gibt-es-nicht")
    assert answer.status == 404 and "Nicht gefunden" in main_text(page)
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(site["url"] + href).status == 200
    _checked(page, shots, "h-404")
    page.context.close()
