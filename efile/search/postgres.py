"""Full-text search on PostgreSQL.

One index row per document (title and all its pages). Its tsvector holds the text twice:
with the `german` configuration over the text as printed (stemming: Arbeitsverträge finds
Arbeitsvertrag) and with `simple` over the text folded exactly as on SQLite (fold.py: Mueller
finds Müller, MÜLLER, Muller never). A query term matches either. Folding is done in Python
rather than with the unaccent extension because unaccent maps ü→u where German spelling
needs ü→ue. Titles weigh more than bodies.

Counting and ranking every match of a common word among a million documents means reading
every matching row; the newest WINDOW matches are counted, faceted and ranked instead, the
rest follow newest first (window.py). They are found one of two ways, chosen by the
planner's estimate of how many documents match the words (from its statistics of the
tsvector column): few, and the GIN index hands over their ids, whose rows are then read and
filtered; many, and the documents are read newest first along the date index (which carries
what the access condition and the facets need), each checked against its tsvector until
enough are found. The first costs a row per match, the second a row per document read until
WINDOW are found; they meet near sqrt(2 · WINDOW · documents) matches. PostgreSQL's own
choice between the two is thrown off by the access condition, whose subqueries it prices as
if they ran again for every row (bench/RESULTS.md has the figures).
"""

from __future__ import annotations

import json
import math
from functools import reduce

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import String

from ..models import Document
from . import where as where_mod
from .fold import fold
from .terms import Term

WINDOW: int | None = 200
_SD = table("search_documents", column("document_id"), column("tsv"))
_GERMAN, _SIMPLE = literal_column("'german'::regconfig"), literal_column("'simple'::regconfig")


def _phrase(words: tuple[str, ...], prefix: bool) -> str:
    # words are \w+ only, so they can never carry tsquery operators or quotes
    parts = [f"'{w}'" for w in words]
    if prefix:
        parts[-1] += ":*"
    return " <-> ".join(parts)


def _term(t: Term) -> ColumnElement:
    german = func.to_tsquery(_GERMAN, _phrase(t.raw or t.words, t.prefix))
    return german.op("||")(func.to_tsquery(_SIMPLE, _phrase(t.words, t.prefix)))


def tsquery(groups: tuple[tuple[Term, ...], ...]) -> ColumnElement:
    """A tsquery with every user word a bound parameter: groups AND'ed, terms OR'ed."""
    ors = [reduce(lambda a, b: a.op("||")(b), [_term(t) for t in g]) for g in groups]
    return reduce(lambda a, b: a.op("&&")(b), ors)


_TSV = ("setweight(to_tsvector('german', :t), 'A') || setweight(to_tsvector('simple', :tf), 'A')"
        " || setweight(to_tsvector('german', :b), 'B') || setweight(to_tsvector('simple', :bf), 'B')")


def index_document(session: Session, document_id: str, title: str, body: str) -> None:
    session.execute(
        text(f"INSERT INTO search_documents (document_id, tsv) VALUES (:d, {_TSV}) "
             "ON CONFLICT (document_id) DO UPDATE SET tsv = excluded.tsv"),
        {"d": document_id, "t": title, "tf": fold(title), "b": body, "bf": fold(body)})


def _matching(q: ColumnElement):  # noqa: ANN202 - a Select of document ids
    return select(_SD.c.document_id).where(_SD.c.tsv.op("@@")(q))


def contains(term: Term) -> ColumnElement[bool]:
    return Document.id.in_(_matching(tsquery(((term,),))))


def matches(groups: tuple[tuple[Term, ...], ...]) -> ColumnElement[bool]:
    return Document.id.in_(_matching(tsquery(groups)))


def _estimate(session: Session, q: ColumnElement) -> float:
    """The planner's estimate of the documents matching q (no query runs)."""
    compiled = _matching(q).compile(dialect=session.get_bind().dialect)
    conn = session.connection()
    plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _few_enough(session: Session, q: ColumnElement) -> int | None:
    """How many matching ids to fetch from the index, or None: too many, read by date."""
    documents = session.execute(text(
        "SELECT reltuples FROM pg_class WHERE oid = 'documents'::regclass")).scalar() or 0
    crossover = max(2000, int(math.sqrt(2 * (WINDOW or 1) * max(documents, 1))))
    return crossover if _estimate(session, q) <= crossover else None


def newest(session: Session, groups: tuple[tuple[Term, ...], ...], where: ColumnElement[bool],
           limit: int | None, offset: int = 0) -> list:
    """(id, type, date) of the matching documents passing `where`, newest first."""
    # a search reads a few thousand rows at most: parallel workers cost more to start than
    # they save, and compete with the other users' searches for the cores
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    if not groups:
        return list(session.execute(where_mod.newest(where).limit(limit).offset(offset)).all())
    q = tsquery(groups)
    cap = _few_enough(session, q)
    if cap is not None:
        # a misjudged estimate costs at most the crossover's worth of ids, then the other way
        ids = session.scalars(_matching(q).limit(cap + 1)).all()
        if len(ids) <= cap:
            if not ids:
                return []
            in_ids = Document.id == any_(bindparam("match_ids", list(ids), type_=ARRAY(String)))
            return list(session.execute(where_mod.newest(and_(in_ids, where))
                                        .limit(limit).offset(offset)).all())
    return list(session.execute(where_mod.newest(and_(matches(groups), where))
                                .limit(limit).offset(offset)).all())


def scores(session: Session, groups: tuple[tuple[Term, ...], ...],
           ids: list[str]) -> dict[str, float]:
    """ts_rank of the given documents (at most WINDOW of them, read by primary key)."""
    if not ids:
        return {}
    # normalisation 1: divide by 1 + log(length), so a long file does not win by length alone
    score = func.ts_rank(_SD.c.tsv, tsquery(groups), 1)
    rows = session.execute(select(_SD.c.document_id, score).where(_SD.c.document_id.in_(ids)))
    return {r[0]: round(float(r[1]), 4) for r in rows}
