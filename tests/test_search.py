"""Search as a caseworker uses it, on the backend under test: words across a document's
pages, filters (az:, typ:, geb:, von:/bis:, numbers typed as words), paging, facets, and the
access condition applied to hits, counts, facets and snippets alike.

The office is the labelled corpus of efile/samples (realistic German documents of every type
for fourteen clients in two teams), filed through the same service the pipeline uses, with
the identifiers the pipeline would read off each text. No OCR: search is about the index."""

from __future__ import annotations

import hashlib
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import use_home
from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers.identifiers import extract
from efile import search as search_mod
from efile.context import get_context
from efile.errors import InvalidQuery
from efile.models import Document, EFile, new_id
from efile.samples.corpus import generate
from efile.search import search
from efile.search.fold import fold_words
from efile.services.documents import DocumentDraft, PageRecord, file_document
from efile.services.efiles import add_efile

TEAMS = ("team-a", "team-b")
TODAY = datetime.now(ZoneInfo("Europe/Berlin")).date()


def _draft(title: str, pages: list[str], doc_type: str, efile: str | None) -> DocumentDraft:
    text = "\n\n".join(pages)
    sha = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return DocumentDraft(
        id=new_id(), title=title, source="upload", source_name=f"{title}.pdf",
        media_type="application/pdf", original_sha256=sha, original_key=f"originals/{sha}",
        original_size=len(text), archive_sha256=sha, archive_key=f"archive/{sha}",
        archive_format="PDF/A-2b", text_key=None, doc_type=doc_type, efile=efile,
        pages=[PageRecord(i + 1, t, "born-digital") for i, t in enumerate(pages)],
        fields={"identifiers": extract(text).to_dict()})


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    home = tmp_path_factory.mktemp("search")
    use_home(home)
    corpus, register = generate(11, 1)
    team_of = {p["aktenzeichen"]: TEAMS[i % 2] for i, p in enumerate(register)}
    docs: list[dict] = []  # the truth every assertion is checked against
    with get_context().db.session() as s:
        for p in register:
            add_efile(s, p["aktenzeichen"], surname=p["surname"], given_names=p["given_names"],
                      birth_date=date.fromisoformat(p["date_of_birth"]),
                      nationality=p["nationality"], team=team_of[p["aktenzeichen"]],
                      passports=p["passport_numbers"].split(";"),
                      azr_number=p["azr_number"] or None)
        for c in corpus:
            pages = [c.doc.page_text(i) for i in range(len(c.doc.pages))]
            d = file_document(s, _draft(c.doc.title, pages, c.doc.kind, c.expected_efile))
            docs.append({"id": d.id, "efile": c.expected_efile, "type": c.doc.kind,
                         "team": team_of.get(c.expected_efile), "date": d.document_date,
                         "text": "\n".join(pages)})
    return {"home": home, "docs": docs, "register": register, "team_of": team_of}


@pytest.fixture
def s(office):
    use_home(office["home"])  # another test may have pointed the product elsewhere
    with get_context().db.session() as session:
        yield session


@contextmanager
def scratch():
    """A session whose changes are thrown away at the end."""
    with get_context().db.engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


def _ids(result) -> set[str]:
    return {h.document_id for h in result.hits}


def _all(s, query: str, **kw) -> list:
    """Every hit of a query, page by page (as a client pages through)."""
    hits, offset = [], 0
    while True:
        r = search(s, query, limit=7, offset=offset, **kw)
        hits += r.hits
        if r.next_offset is None:
            return hits
        offset = r.next_offset


def test_words_are_found_anywhere_in_the_document(office):
    """The name on page 1 and the notice period on page 3 of the same contract: found, with
    the snippet from the page that shows most of what was asked for."""
    from efile.services.efiles import get_efile

    use_home(office["home"])
    with scratch() as s:
        _contract_over_three_pages(s, get_efile(s, "ABH-2024-272982"))
        r = search(s, "OEZDEMIR Kündigungsfrist")
        assert r.total == 1 and r.order == "relevance"
        (hit,) = r.hits
        assert hit.efile == "ABH-2024-272982" and hit.person == "Özdemir, Mustafa"
        assert hit.page == 1 and "<mark>Özdemir</mark>" in hit.snippet
        assert search(s, "Kündigungsfrist").hits[0].page == 3
        # a word to leave out is left out of the whole document, whichever page carries it
        assert search(s, "Özdemir Kündigungsfrist -Bruttogehalt").total == 0


def _contract_over_three_pages(s: Session, e: EFile) -> None:
    file_document(s, _draft("Arbeitsvertrag Özdemir", [
        f"Arbeitsvertrag\nzwischen der Wupper Software AG und Herrn {e.person.given_names} "
        f"{e.person.surname}, geboren am {e.person.birth_date:%d.%m.%Y}",
        "§ 4 Vergütung\nDas Bruttogehalt beträgt 3.850 Euro monatlich.",
        "§ 9 Kündigung\nDie Kündigungsfrist beträgt drei Monate zum Quartalsende."],
        "employment_contract", e.aktenzeichen))


def test_aktenzeichen_filter_lists_the_efile_newest_first(office, s):
    az = "ABH-2024-950742"
    mine = [d for d in office["docs"] if d["efile"] == az]
    r = search(s, f"az:{az}")
    assert r.order == "newest first" and r.total == len(mine) == 5
    assert [h.score for h in r.hits] == [None] * 5
    dates = [h.date for h in r.hits]
    assert dates == sorted(dates, reverse=True)
    assert {h.document_id for h in r.hits} == {d["id"] for d in mine}
    # in small letters, as typed in a hurry; and with words
    assert search(s, f"az:{az.lower()}").total == 5
    contract = search(s, f"az:{az} Arbeitsvertrag")
    assert contract.hits[0].doc_type == "employment_contract"
    assert search(s, "az:ABH-1999-000000").total == 0


@pytest.mark.parametrize("typ", ["employment_contract", "arbeitsvertrag", "Arbeitsvertrag",
                                 '"Arbeitsvertrag"'])
def test_type_filter_by_id_or_german_name(office, s, typ):
    r = search(s, f"typ:{typ}")
    assert r.total == 1 and r.hits[0].doc_type == "employment_contract"
    assert r.hits[0].type_name == "Arbeitsvertrag"


def test_type_filter_repeated_takes_either_and_names_resolve(office, s):
    r = search(s, "typ:payslip typ:Kontoauszug")
    assert {h.doc_type for h in r.hits} == {"payslip", "bank_statement"}
    assert search(s, "typ:Duldung").hits[0].doc_type == "duldung"
    assert search(s, 'typ:"Ärztliches Attest"').hits[0].doc_type == "medical_attest"
    everything_else = search(s, "-typ:passport az:ABH-2024-272982")
    assert "passport" not in {h.doc_type for h in everything_else.hits}
    assert everything_else.total == 4 - 1


def test_date_of_birth_in_iso_or_german_form(office, s):
    p = next(p for p in office["register"] if p["aktenzeichen"] == "ABH-2021-005444")
    born = date.fromisoformat(p["date_of_birth"])
    expected = {d["id"] for d in office["docs"] if d["efile"] == p["aktenzeichen"]}
    for q in (f"geb:{born.isoformat()}", f"geb:{born:%d.%m.%Y}", f"geb:{born.day}.{born.month}.{born.year}"):
        assert {h.document_id for h in _all(s, q)} >= expected, q
    assert {h.document_id for h in _all(s, f"geb:{born:%d.%m.%Y} typ:decision")} == {
        d["id"] for d in office["docs"] if d["efile"] == p["aktenzeichen"] and d["type"] == "decision"}


def test_dates_are_the_printed_letter_date_else_the_day_received(office, s):
    printed = [d for d in office["docs"] if d["date"] != TODAY]
    assert printed, "the corpus prints letter dates"
    contract = next(d for d in office["docs"] if d["type"] == "employment_contract")
    assert contract["date"] == date(2024, 12, 7)  # "Wuppertal, 7. Dezember 2024" on it
    in_2024 = {d["id"] for d in office["docs"] if d["date"].year == 2024}
    for q in ("von:2024 bis:2024", "datum:2024", "von:01.01.2024 bis:31.12.2024",
              "von:2024-01 bis:12.2024"):
        assert {h.document_id for h in _all(s, q)} == in_2024, q
    assert {h.document_id for h in _all(s, "datum:2024-12")} == {
        d["id"] for d in office["docs"] if (d["date"].year, d["date"].month) == (2024, 12)}
    # a document without a printed date counts from the day it arrived
    received = {d["id"] for d in office["docs"] if d["date"] == TODAY}
    assert received <= {h.document_id for h in _all(s, f"von:{TODAY:%d.%m.%Y}")}
    assert not received & {h.document_id for h in _all(s, f"bis:{TODAY - timedelta(days=400)}")}


def test_passport_and_azr_numbers_typed_as_words_find_the_client(office):
    p = next(p for p in office["register"] if p["aktenzeichen"] == "ABH-2021-005444")
    theirs = {d["id"] for d in office["docs"] if d["efile"] == p["aktenzeichen"]}
    passport = p["passport_numbers"].split(";")[0]
    use_home(office["home"])
    with scratch() as s:
        for q in (passport, passport.lower(), f"pass:{passport}", p["azr_number"],
                  f"azr:{p['azr_number']}", p["aktenzeichen"], f"{passport} -Kündigung"):
            assert {h.document_id for h in _all(s, q)} == theirs, q
        # the employer's declaration prints the passport number: highlighted in its snippet
        declaration = next(h for h in search(s, passport).hits
                           if h.doc_type == "employer_declaration")
        assert f"<mark>{passport}</mark>" in declaration.snippet
        # a letter in the inbox that prints the number is found too
        file_document(s, _draft("Nachreichung", [
            f"Sehr geehrte Damen und Herren,\nanbei die Kopie des Passes Nr. {passport}."],
            "other", None))
        r = search(s, passport)
        assert r.total == len(theirs) + 1 and any(h.efile is None for h in r.hits)
        # excluding the number keeps an inbox letter that does not print it
        other = file_document(s, _draft("Nachreichung 2", [
            "Sehr geehrte Damen und Herren,\nanbei die Nachreichung der Unterlagen."],
            "other", None))
        assert {h.document_id for h in _all(s, f"Nachreichung -{passport}")} == {other.id}
        # a code that is nobody's number is a word like any other
        assert search(s, "X9Y8Z7W6").total == 0


def test_access_condition_limits_hits_counts_facets_and_snippets(office, s):
    team_a = {az for az, t in office["team_of"].items() if t == "team-a"}
    allowed = Document.efile_id.in_(select(EFile.id).where(EFile.aktenzeichen.in_(team_a)))
    readable = [d for d in office["docs"] if d["efile"] in team_a]
    unreadable = [d for d in office["docs"] if d["efile"] not in team_a]
    # a word most documents of both teams carry (a stop word: no stemming to second-guess)
    word = "und"
    everyone = search(s, word)
    r = search(s, word, allowed=allowed)
    assert 0 < r.total < everyone.total
    seen = {h.document_id for h in _all(s, word, allowed=allowed)}
    assert seen == {d["id"] for d in readable if word in fold_words(d["text"])}
    assert unreadable and any(word in fold_words(d["text"]) for d in unreadable)
    assert sum(f.count for f in r.facets["type"]) == r.total == sum(f.count for f in r.facets["year"])
    assert dict(Counter(d["type"] for d in readable if d["id"] in seen)) == {
        f.value: f.count for f in r.facets["type"]}
    # another team's client by name or by passport number: nothing, not even a count
    other = next(p for p in office["register"] if p["aktenzeichen"] not in team_a)
    for q in (other["surname"], other["passport_numbers"].split(";")[0],
              f"az:{other['aktenzeichen']}", f"geb:{other['date_of_birth']}"):
        hidden = search(s, q, allowed=allowed)
        assert (hidden.total, hidden.hits, hidden.facets["type"]) == (0, [], []), q
    assert all(other["surname"] not in h.snippet for h in _all(s, word, allowed=allowed))


def test_paging_covers_every_hit_once(office, s):
    r = search(s, "und", limit=5)
    pages = _all(s, "und")
    assert len(pages) == r.total == len({h.document_id for h in pages}) > 10
    assert r.to_dict()["next_offset"] == 5 and len(r.to_dict()["hits"]) == 5
    assert search(s, "und", limit=5, offset=r.total).hits == []


def test_ranking_window_keeps_pages_stable(office, s, monkeypatch):
    """A common word among many documents: the newest few are ranked, the rest follow by
    date; each page is a slice of the one order, whatever the page size."""
    engine = search_mod._engine(s)
    monkeypatch.setattr(engine, "WINDOW", 4)
    r = search(s, "und", limit=100)
    assert r.order == "relevance among the newest 4, then newest first"
    assert all(h.score is not None for h in r.hits[:4]) and all(h.score is None for h in r.hits[4:])
    rest = [h.date for h in r.hits[4:]]
    assert rest == sorted(rest, reverse=True)
    assert [h.document_id for h in _all(s, "und")] == [h.document_id for h in r.hits]


@pytest.mark.parametrize(("query", "message"), [
    ("x" * 501, "too long"),
    (" ".join(f"wort{i}" for i in range(31)), "too many terms"),
    ("ab*", "at least 3 letters"),
    ("von:2024-13", "not a date of the calendar"),
    ("geb:31.02.1990", "not a date of the calendar"),
    ("von:gestern", "not a date; write a year"),
    ("von:2025 bis:2024", "exclude each other"),
    ("typ:", "needs a value"),
    ("typ:Aufenthaltstitel", "fits several document types"),
    ("typ:Liebesbrief", "no document type"),
    ("pass:C01X-00T47", "not a passport number"),
    ("azr:12345", "not an AZR number"),
    ("geb:1990 geb:1991", "given twice"),
    ("-Kündigung", "at least one word or filter"),
])
def test_bad_queries_say_what_is_wrong(s, query, message):
    with pytest.raises(InvalidQuery, match=message):
        search(s, query)


def test_migration_moves_the_page_index_to_documents(tmp_path):
    """A database indexed per page (revision 0006) is re-indexed per document, with the
    documents' dates filled in."""
    from alembic import command
    from sqlalchemy import text

    from efile.config import Settings
    from efile.db import Database, _alembic_config

    use_home(tmp_path / "old")
    db = Database(Settings.from_env().database_url, auto_migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0006")
        conn.execute(text("INSERT INTO documents (id, status, doc_type, title, source, "
                          "source_name, media_type, page_count, original_sha256, original_key, "
                          "original_size, archive_sha256, archive_key, archive_format, version, "
                          "fields, restricted, created_at, updated_at) VALUES ('d1', 'inbox', "
                          "'other', 'Brief', 'upload', 'b.pdf', 'application/pdf', 2, 'x', 'k', "
                          "1, 'y', 'a', 'PDF', 1, :f, false, :t, :t)"),
                     {"f": '{"identifiers": {"letter_date": "2023-05-04"}}',
                      "t": datetime(2026, 1, 2, 23, 30, tzinfo=ZoneInfo("UTC"))})
        for no, body in ((1, "Sehr geehrte Frau Müller,"), (2, "die Kündigungsfrist endet.")):
            conn.execute(text("INSERT INTO document_pages (document_id, page_no, text, "
                              "text_source, rotation) VALUES ('d1', :n, :b, 'ocr', 0)"),
                         {"n": no, "b": body})
    db.dispose()
    use_home(tmp_path / "old")  # opening it migrates to the newest revision
    with get_context().db.session() as s:
        r = search(s, "Mueller Kündigungsfrist")
        assert [(h.document_id, h.date, h.page) for h in r.hits] == [("d1", "2023-05-04", 1)]


def test_postgres_finds_the_newest_matches_either_way(office, s, monkeypatch):
    """PostgreSQL reads a rare word's matches from the index and a common word's documents
    newest first along the date index; both ways give the same hits, counts and facets."""
    from efile.search import postgres

    if s.get_bind().dialect.name != "postgresql":
        pytest.skip("the two strategies are PostgreSQL's")
    team_a = {az for az, t in office["team_of"].items() if t == "team-a"}
    allowed = Document.efile_id.in_(select(EFile.id).where(EFile.aktenzeichen.in_(team_a)))
    queries = ["und", "Aufenthalt*", '"geboren am"', "az:ABH-2024-950742 und"]
    by_index = [search(s, q, allowed=allowed, limit=50).to_dict() for q in queries]
    monkeypatch.setattr(postgres, "_few_enough", lambda *_: None)
    by_date = [search(s, q, allowed=allowed, limit=50).to_dict() for q in queries]
    assert by_index == by_date
    assert all(r["total"] for r in by_date)
