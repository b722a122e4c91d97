"""Search finds people (issue 13), in a real browser: Debian's headless Chromium against
`efile serve` on the web tests' home (tests/webhome.py) plus two clients whose names the
office writes in many ways: Öztürk (team B; foreign letters write "Ozturk") and Иванова
(team A; "Iwanowa" in German documents, "Ivanova" in English ones).

Covers: the matching e-files above the document hits, each linking its Akte; a name in
another spelling or script, finding the letters that print the register's spelling too; a birth date as ISO, German and short German date; document hits
linking their e-file; a caseworker of another team getting for a client's name exactly what
an unknown name gives; facets by their German names that filter without writing machine ids
into the box, and long type names inside the facet column; query errors in German; the
API's additive `persons`. Every page opened passes assert_german."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from browsing import hits, main_text, needs_chromium, no_horizontal_scroll, open_as, serve, shoot
from conftest import use_home
from support.german import assert_german
from webhome import _no_ocr, build

pytestmark = needs_chromium
OZTURK = "ABH-2024-000404"  # Öztürk, Ayşe: team B
IVANOVA = "ABH-2024-000505"  # Иванова, Олена: team A
LONG_TYPE = "employer_declaration"  # "Erklärung zum Beschäftigungsverhältnis"


def _clients(tmp: Path) -> dict:
    from efile.context import get_context
    from efile.samples.born_digital import write_text_pdf
    from efile.services.efiles import add_efile
    from pipelines.process import ingest_file

    ctx = get_context()
    with ctx.db.session() as s:
        add_efile(s, OZTURK, surname="Öztürk", given_names="Ayşe", birth_date=date(1979, 5, 2),
                  nationality="TUR", team="team-b", passports=["U7654321"])
        add_efile(s, IVANOVA, surname="Иванова", given_names="Олена",
                  birth_date=date(1990, 1, 1), nationality="RUS", team="team-a")
    docs = {}
    for key, az, doc_type, lines in [
        ("o_contract", OZTURK, "employment_contract",
         ["Arbeitsvertrag", "Frau Ayşe Öztürk, geboren am 02.05.1979", "Stichwort geheimwortlima"]),
        ("o_declaration", OZTURK, LONG_TYPE,
         ["Erklärung zum Beschäftigungsverhältnis", "Frau Öztürk arbeitet seit 2023 bei uns",
          "Stichwort geheimwortlima"]),
        ("i_payslip", IVANOVA, "payslip",
         ["Entgeltabrechnung März 2025", "Frau Olena Iwanowa", "Stichwort geheimwortmike"]),
    ]:
        pdf = write_text_pdf(tmp / f"{key}.pdf", [lines])
        r = ingest_file(ctx, str(pdf), efile=az, source="upload", ocr_pages=_no_ocr,
                        doc_type=doc_type)
        assert r.status == "filed", r
        docs[key] = r.document_id
    return docs


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("searchhome")
    use_home(tmp / "home")
    built = build(tmp)
    yield from serve(tmp, {"docs": built["docs"], "mine": _clients(tmp)})


def search(page, site, q: str, **params: str) -> None:
    from urllib.parse import urlencode

    page.goto(site["url"] + "/suche?" + urlencode({"q": q, **params}))
    assert_german(page)
    no_horizontal_scroll(page)


def persons(page) -> list[str]:
    """The lines of the "Passende Akten" block, as a person reads them."""
    block = page.get_by_role("region", name="Passende Akten")
    if block.count() == 0:
        return []
    return [" ".join(t.split()) for t in block.get_by_role("listitem").all_inner_texts()]


def test_a_name_in_another_spelling_finds_the_client_above_the_hits(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    page.goto(site["url"] + "/suche")
    page.get_by_label("Suchbegriffe").fill("Ozturk")  # as a foreign letter writes it
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/suche?q=Ozturk")
    assert_german(page)
    assert persons(page) == [
        f"Öztürk, Ayşe, geb. 02.05.1979, Türkei (TUR), {OZTURK} · Team 2 (L–Z)"]
    # the letters printing the name as the register spells it are found too, marked
    assert hits(page) == 2
    assert page.locator("mark").first.inner_text() == "Öztürk"
    no_horizontal_scroll(page)
    shoot(page, shots, "suche-01-ozturk")
    for q in ("Öztürk", "OZTURK", "Oeztuerk", "ayse ozturk", "U7654321", OZTURK.lower()):
        search(page, site, q)
        assert [p.split(",")[0] for p in persons(page)] == ["Öztürk"], q
    page.get_by_role("region", name="Passende Akten").get_by_role("link").click()
    page.wait_for_url(f"**/akte/{OZTURK}")
    assert_german(page)
    assert "Öztürk, Ayşe" in main_text(page)
    page.context.close()


def test_iwanowa_finds_the_client_written_in_cyrillic(chromium, site, shots):
    page = open_as(chromium, site, "sb.a")
    for q in ("Iwanowa", "Ivanova", "Иванова", "iwanowa olena"):
        search(page, site, q)
        assert persons(page) == [
            f"Иванова, Олена, geb. 01.01.1990, Russische Föderation (RUS), {IVANOVA} "
            "· Team 1 (A–K)"], q
    search(page, site, "Iwanow")  # the masculine form is another person
    assert persons(page) == []
    search(page, site, "Iwanowa")
    shoot(page, shots, "suche-02-iwanowa")
    # the document hit (the payslip says "Iwanowa") links its e-file
    assert hits(page) == 1
    page.get_by_role("list", name="Treffer", exact=True).get_by_role(
        "link", name=f"Akte {IVANOVA}").click()
    page.wait_for_url(f"**/akte/{IVANOVA}")
    assert_german(page)
    page.context.close()


def test_a_birth_date_finds_the_client_and_the_letters_that_print_it(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    for q in ("1979-05-02", "02.05.1979", "2.5.1979"):
        search(page, site, q)
        assert [p.split(",")[0] for p in persons(page)] == ["Öztürk"], q
        assert hits(page) == 1, q  # the contract printing "geboren am 02.05.1979"
        assert "geheimwortlima" in main_text(page)
    shoot(page, shots, "suche-03-geburtsdatum")
    search(page, site, "Öztürk 03.05.1979")  # name and date must both hold
    assert persons(page) == []
    page.context.close()


def test_another_teams_client_answers_like_an_unknown_name(chromium, site):
    page = open_as(chromium, site, "sb.a")  # team A: Öztürk is team B's
    answers = []
    for q in ("Öztürk", "Ozturk", "02.05.1979", "U7654321", OZTURK, "Niemandsname"):
        search(page, site, q)
        answers.append((persons(page), hits(page),
                        main_text(page).replace(page.get_by_label("Suchbegriffe").input_value(),
                                                "…")))
        assert "Öztürk" not in page.inner_html("main").replace(f"value=\"{q}\"", "")
    assert answers[:-1] == [answers[-1]] * (len(answers) - 1)
    assert answers[-1][:2] == ([], 0)
    page.context.close()


def test_facets_name_types_in_german_and_keep_the_box_as_typed(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    search(page, site, "geheimwortlima")
    assert hits(page) == 2
    facets = page.get_by_role("complementary", name="Treffer eingrenzen")
    facets.get_by_role("link", name="Erklärung zum Beschäftigungsverhältnis").click()
    page.wait_for_load_state()
    assert_german(page)
    assert hits(page) == 1
    assert page.get_by_label("Suchbegriffe").input_value() == "geheimwortlima"
    assert LONG_TYPE not in main_text(page)
    chips = page.get_by_role("list", name="Gewählte Filter")
    assert chips.inner_text().startswith("Dokumenttyp: Erklärung zum Beschäftigungsverhältnis")
    # the long name wraps inside the facet column
    column = facets.bounding_box()
    for box in [a.bounding_box() for a in facets.get_by_role("link").all()]:
        assert box["x"] + box["width"] <= column["x"] + column["width"] + 1
    no_horizontal_scroll(page)
    shoot(page, shots, "suche-04-facette")
    # a new search keeps the filter (shown as the chip), the chip removes it
    page.get_by_label("Suchbegriffe").fill("Öztürk")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_load_state()
    assert hits(page) == 1 and chips.count() == 1
    chips.get_by_role("link").click()
    page.wait_for_load_state()
    assert_german(page)
    assert hits(page) == 2 and page.get_by_role("list", name="Gewählte Filter").count() == 0
    page.context.close()


def test_query_errors_are_german(chromium, site, shots):
    page = open_as(chromium, site, "sb.b")
    for q, says in [("typ:Liebesbrief", "ist kein Dokumenttyp"),
                    ("geb:31.02.1979", "ist kein Kalenderdatum"),
                    ("typ:Aufenthaltstitel", "passt zu mehreren Dokumenttypen"),
                    ("Ar*", "Ein Präfix braucht mindestens 3 Buchstaben")]:
        search(page, site, q)
        alert = page.get_by_role("alert").inner_text()
        assert says in alert and "efile types" not in alert, (q, alert)
    shoot(page, shots, "suche-05-fehler")
    search(page, site, "Öztürk", typ="kein typ:az:ABH")  # a forged facet value is dropped
    assert hits(page) == 2
    page.context.close()


def test_the_api_lists_the_persons_too(chromium, site):
    page = open_as(chromium, site, "sb.b")
    body = page.request.get(site["url"] + "/api/search", params={"q": "Ozturk"}).json()
    assert body["persons"] == [{"aktenzeichen": OZTURK, "surname": "Öztürk",
                                "given_names": "Ayşe", "birth_date": "1979-05-02",
                                "nationality": "TUR", "team": "team-b", "matched": "name"}]
    assert {"hits", "total", "facets"} <= set(body)  # the rest as before
    page.context.close()
    page = open_as(chromium, site, "sb.a")
    body = page.request.get(site["url"] + "/api/search", params={"q": "Ozturk"}).json()
    assert body["persons"] == [] and body["total"] == 0
    page.context.close()
    # every search is audited with what it found, persons included
    from sqlalchemy import select

    from efile.context import get_context
    from efile.models import AuditEvent

    with get_context().db.session() as s:
        found = [(e.user_name, e.details.get("persons")) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "search").order_by(AuditEvent.seq))
            if e.details.get("query") == "Ozturk"]
    assert ("sb.b", 1) in found and ("sb.a", 0) in found
