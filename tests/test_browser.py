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
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EFILE_BIN, use_home
from webhome import MARKER, PASSWORD, _no_ocr, build

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} missing: install Debian's chromium "
                                       "(deploy/setup.sh test does)")

VIEWPORT = {"width": 1366, "height": 768}
TEAM_B = "ABH-2024-000202"  # Nowak (L–Z): sb.b's caseload
TEAM_A = "ABH-2024-000101"  # Albers (A–K): sb.a's caseload
EXTRA_PAYSLIPS = 18  # with the home's three team-b documents: 21 hits, two pages of 20
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`efile serve` on a filled home; yields the base URL and the documents."""
    tmp = tmp_path_factory.mktemp("browserhome")
    use_home(tmp / "home")
    built = build(tmp)
    extras = _extras(tmp)
    port = _free_port()
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen([EFILE_BIN, "serve", "--port", str(port)], env=os.environ.copy(),
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/anmelden", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("efile serve did not come up:\n" + (tmp / "serve.log").read_text())
        time.sleep(0.2)
    yield {"url": url, "docs": built["docs"], **extras}
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # it only ever opens this test's own server; as root, or in a container without
        # user namespaces, Chromium's sandbox cannot start at all
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(request, tmp_path_factory) -> Path:
    folder = Path(os.environ.get("EFILE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    saved = ", ".join(sorted(p.name for p in folder.glob("*.png")))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # shown however pytest captures output
        print(f"\nscreenshots of the web UI: {folder} ({saved})")


_signed_in: dict[str, dict] = {}  # user -> the browser's cookies after the login form


def open_as(chromium, site, user: str | None, *, fresh: bool = False):  # noqa: ANN001, ANN201
    """A new browser window with its own cookies, at the start page. Signed in as `user`
    through the login form, once per user (Argon2 is slow on purpose), or again if `fresh`."""
    state = _signed_in.get(user) if user and not fresh else None
    page = chromium.new_context(viewport=VIEWPORT, locale="de-DE",
                                storage_state=state).new_page()
    page.set_default_timeout(10_000)
    if state:
        page.goto(site["url"] + "/")
    elif user:
        page.goto(site["url"] + "/anmelden")
        page.get_by_label("Benutzername").fill(user)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        assert "/anmelden" not in page.url, page.inner_text("main")
        if not fresh:
            _signed_in[user] = page.context.storage_state()
    return page


def shoot(page, shots: Path, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"{page.url}: {width}px wide, wider than the screen"


UNNAMED = re.compile(r"^\s*- (textbox|searchbox|combobox|button|checkbox|radio|link)( \[.*\])?:?$")


def unlabelled_inputs(page) -> list[str]:  # noqa: ANN001
    """Form controls without a <label> (or aria-label), and any control or link that the
    accessibility tree, as a screen reader gets it, shows without a name."""
    no_label = page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.outerHTML)""")
    tree = page.locator("body").aria_snapshot()
    return no_label + [line for line in tree.splitlines() if UNNAMED.match(line)]


# WCAG 2.1 contrast of every visible piece of text against the colour behind it: 4.5:1, or
# 3:1 for large text (24 px, or 18.66 px bold). Translucent grounds are resolved by walking
# up to the first opaque ancestor; placeholder and disabled text are exempt under WCAG.
LOW_CONTRAST_JS = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ground = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || !el.checkVisibility() || el.closest('.sr-only')) continue;
    const st = getComputedStyle(el);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const [a, b] = [lum(rgb(st.color).slice(0, 3)), lum(ground(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < need) out.push(`${n.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return out;
}"""


def main_text(page) -> str:  # noqa: ANN001
    return " ".join(page.inner_text("main").split())


def hits(page) -> int:  # noqa: ANN001
    """The number of hits the search page announces."""
    return int(page.locator("#total").inner_text().split()[0])


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
    assert page.url.endswith("/suche")  # a caseworker starts at the search
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
    assert page.get_by_label("Suchbegriffe").input_value() == f"{MARKER} typ:rental_contract"
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
    assert "scan.1" in text  # who scanned
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
    assert page.get_by_role("status").inner_text() == f"Dokument der Akte {TEAM_B} zugeordnet."
    assert page.get_by_role("article").filter(has=letter).count() == 0
    assert page.get_by_role("article").count() == 1  # the home's other inbox document stays
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
    assert page.url.endswith("/stapel")
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
    assert page.url.endswith("/stapel")
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
    ("sb.a", "/dokument/{scanned}"), ("dsb.1", "/")])
def test_pages_fit_the_screen_label_every_input_and_keep_contrast(chromium, site, user, path):
    page = open_as(chromium, site, user)
    page.goto(site["url"] + path.format(**site))
    no_horizontal_scroll(page)
    assert unlabelled_inputs(page) == []
    assert page.evaluate(LOW_CONTRAST_JS) == []
    assert page.locator("h1").count() == 1
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
