"""A generated office of N documents in a PostgreSQL database, written in bulk (for
bench/search_latency.py).

The text comes from the labelled corpus of efile/samples: a few thousand realistic German
documents of every type (templates, with their own names, numbers and dates in them). Each
generated document is a template's pages with a line naming its client on the first page
(name, date of birth, Aktenzeichen), so client names and file numbers are as rare as in an
office, and the template words give the frequencies of real letters. Clients come from the
samples' name pools (Turkish, Syrian, Polish, Ukrainian, ... spellings), ten documents each on
average, spread over 8 teams; 3 % of documents wait in the inbox. They arrive day by day
from 2015 to autumn 2026, in that order (as an office's database grows: the newest rows
last), each dated up to three weeks before it arrived (the letter's date).

Only a few thousand templates and the clients are made in Python and sent with COPY; the
million rows of documents, pages and tsvectors are built inside PostgreSQL with INSERT ...
SELECT over generate_series (a document's tsvector = its client line's || its template's, so
no text is analysed a million times), and the GIN and date indexes are built once at the end.
The page and index tables are UNLOGGED (no write-ahead log: the database is thrown away
after the run), which changes nothing for reading them.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, text

from classifiers.taxonomy import load as load_taxonomy
from efile.samples.corpus import generate
from efile.samples.people import new_person
from efile.search.fold import fold
from efile.search.names import name_key

TEAMS = [f"team-{i}" for i in range(1, 9)]
DOCS_PER_CLIENT = 10
INBOX_SHARE = 0.03
FIRST_DAY, DAYS = date(2015, 1, 1), 4300  # to autumn 2026


@dataclass
class Office:
    """What the query set is drawn from."""

    documents: int
    clients: list[dict] = field(default_factory=list)  # with id and team
    template_texts: list[str] = field(default_factory=list)  # page texts of the templates
    seconds: dict[str, float] = field(default_factory=dict)


def _copy(engine: Engine, table: str, columns: list[str], rows: list[tuple]) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        raw.commit()
    finally:
        raw.close()


def _templates(n_seeds: int) -> list:
    docs = []
    for seed in range(1, n_seeds + 1):
        docs += [c.doc for c in generate(1000 + seed, 30)[0]]
    return docs


def _clients(rng: random.Random, n: int) -> list[dict]:
    seen_az: set[str] = set()
    seen_numbers: set[str] = set()
    out = []
    while len(out) < n:
        p = new_person(rng)
        numbers = [x for x in (p["passport"], p["passport_old"], p["azr"]) if x]
        if p["aktenzeichen"] in seen_az or seen_numbers.intersection(numbers) or \
                len(set(numbers)) < len(numbers):
            continue
        seen_az.add(p["aktenzeichen"])
        seen_numbers.update(numbers)
        p["id"] = len(out) + 1
        p["team"] = rng.choice(TEAMS)
        out.append(p)
    return out


def _sql(engine: Engine, *statements: str, params: dict | None = None) -> None:
    with engine.begin() as c:
        c.execute(text("SET LOCAL maintenance_work_mem = '2GB'"))
        c.execute(text("SET LOCAL work_mem = '256MB'"))
        for s in statements:
            c.execute(text(s), params or {})


def plan(documents: int, *, seed: int = 7, template_seeds: int = 4) -> tuple[Office, list]:
    """The office's clients and templates (deterministic: the same for the same arguments)."""
    t0 = time.perf_counter()
    office = Office(documents)
    templates = _templates(template_seeds)
    office.clients = _clients(random.Random(seed), max(100, documents // DOCS_PER_CLIENT))
    office.template_texts = [t.page_text(i) for t in templates for i in range(len(t.pages))]
    office.seconds["python"] = time.perf_counter() - t0
    return office, templates


def build(engine: Engine, documents: int) -> Office:
    """Fill the (migrated, empty) database with `documents` documents and their clients."""
    office, templates = plan(documents)

    t0 = time.perf_counter()
    restricted = {t.id for t in load_taxonomy().types if t.restricted}
    _sql(engine, "DROP INDEX ix_search_documents_tsv", "DROP INDEX ix_documents_dated",
         "ALTER TABLE search_documents SET UNLOGGED", "ALTER TABLE document_pages SET UNLOGGED",
         "CREATE UNLOGGED TABLE bench_templates (id int PRIMARY KEY, kind text, title text, "
         "pages int, restricted bool, title_folded text, body text, body_folded text, tsv tsvector)",
         "CREATE UNLOGGED TABLE bench_template_pages (template_id int, page_no int, text text)",
         "CREATE UNLOGGED TABLE bench_clients (person_id int PRIMARY KEY, line text, "
         "line_folded text, tsv tsvector)")
    rows, pages = [], []
    for i, t in enumerate(templates):
        body = t.text
        rows.append((i, t.kind, t.title, len(t.pages), t.kind in restricted, fold(t.title), body,
                     fold(body)))
        pages += [(i, n + 1, t.page_text(n)) for n in range(len(t.pages))]
    _copy(engine, "bench_templates", ["id", "kind", "title", "pages", "restricted",
                                      "title_folded", "body", "body_folded"], rows)
    _copy(engine, "bench_template_pages", ["template_id", "page_no", "text"], pages)
    clients = office.clients
    _copy(engine, "persons", ["id", "surname", "given_names", "name_folded", "name_key",
                              "birth_date", "nationality", "azr_number", "passport_numbers",
                              "created_at"],
          [(p["id"], p["surname"], p["given_names"], fold(f"{p['surname']} {p['given_names']}"),
            name_key(p["surname"], p["given_names"]), p["birth_iso"], p["nationality"],
            p["azr"] or None,
            json.dumps([x for x in (p["passport_old"], p["passport"]) if x]), "2015-01-01")
           for p in clients])
    _copy(engine, "efiles", ["id", "aktenzeichen", "person_id", "team", "status", "created_at"],
          [(p["id"], p["aktenzeichen"], p["id"], p["team"], "open", "2015-01-01") for p in clients])
    _copy(engine, "person_identifiers", ["person_id", "kind", "value"],
          [(p["id"], kind, v) for p in clients for kind, v in
           (("passport", p["passport"]), ("passport", p["passport_old"]), ("azr", p["azr"])) if v])
    lines = [(p["id"], f"Betreff: {p['given_names']} {p['surname']}, geb. {p['birth_date']}, "
              f"Az. {p['aktenzeichen']}") for p in clients]
    _copy(engine, "bench_clients", ["person_id", "line", "line_folded"],
          [(i, line, fold(line)) for i, line in lines])
    office.seconds["copy"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _sql(engine,
         "UPDATE bench_templates SET tsv = setweight(to_tsvector('german', title), 'A') || "
         "setweight(to_tsvector('simple', title_folded), 'A') || "
         "setweight(to_tsvector('german', body), 'B') || "
         "setweight(to_tsvector('simple', body_folded), 'B')",
         "UPDATE bench_clients SET tsv = setweight(to_tsvector('german', line), 'B') || "
         "setweight(to_tsvector('simple', line_folded), 'B')",
         "SELECT setseed(0.42)",
         # one row per document: which template, which client (NULL: inbox), which day
         "CREATE UNLOGGED TABLE bench_docs AS SELECT g, md5(g::text) AS id, "
         "floor(random() * :templates)::int AS template_id, "
         "CASE WHEN random() < :inbox THEN NULL ELSE 1 + floor(random() * :clients)::int END "
         "AS person_id, :first + ((g - 1)::bigint * :days / :n)::int AS arrived, "
         ":first + ((g - 1)::bigint * :days / :n)::int - floor(random() * 21)::int AS dated "
         "FROM generate_series(1, :n) g",
         params={"templates": len(templates), "inbox": INBOX_SHARE, "clients": len(clients),
                 "first": FIRST_DAY, "days": DAYS, "n": documents})
    _sql(engine,
         "INSERT INTO documents (id, efile_id, status, doc_type, type_confidence, restricted, "
         "title, source, source_name, media_type, page_count, language, ocr_confidence, "
         "original_sha256, original_key, original_size, archive_sha256, archive_key, "
         "archive_format, text_key, version, fields, document_date, created_at, updated_at) "
         "SELECT b.id, b.person_id, CASE WHEN b.person_id IS NULL THEN 'inbox' ELSE 'filed' END, "
         "t.kind, 0.93, t.restricted, t.title, 'scan', 'scan_' || b.g || '.pdf', "
         "'application/pdf', t.pages, 'deu', 91.5, md5(b.id || 'o') || md5(b.id || 'O'), "
         "'originals/' || b.id, 250000, md5(b.id || 'a') || md5(b.id || 'A'), "
         "'archive/' || b.id, 'PDF/A-2b', 'text/' || b.id, 1, '{}', b.dated, "
         "b.arrived + time '10:00', b.arrived + time '10:00' "
         "FROM bench_docs b JOIN bench_templates t ON t.id = b.template_id ORDER BY b.g",
         "INSERT INTO document_pages (document_id, page_no, text, text_source, ocr_confidence, "
         "rotation) SELECT b.id, p.page_no, CASE WHEN p.page_no = 1 AND c.line IS NOT NULL "
         "THEN c.line || E'\\n' || p.text ELSE p.text END, 'ocr', 91.5, 0 "
         "FROM bench_docs b JOIN bench_template_pages p ON p.template_id = b.template_id "
         "LEFT JOIN bench_clients c ON c.person_id = b.person_id ORDER BY b.g, p.page_no",
         "INSERT INTO search_documents (document_id, tsv) "
         "SELECT b.id, coalesce(c.tsv, ''::tsvector) || t.tsv FROM bench_docs b "
         "JOIN bench_templates t ON t.id = b.template_id "
         "LEFT JOIN bench_clients c ON c.person_id = b.person_id ORDER BY b.g")
    office.seconds["rows"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _sql(engine, "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
         "CREATE INDEX ix_documents_dated ON documents (document_date, id) "
         "INCLUDE (efile_id, restricted, doc_type, status)")
    office.seconds["gin"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    office.seconds["vacuum"] = time.perf_counter() - t0
    return office
