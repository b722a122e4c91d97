"""Full-text search on SQLite FTS5 (the embedded default).

One index row per document: its title and all its pages, folded (fold.py); FTS5's unicode61
tokenizer with prefix indexes does the rest. Ranking is BM25 with the title weighted above
the body. The embedded default serves a desk-sized archive, so every match is counted and
ranked (WINDOW None; PostgreSQL bounds that work, see window.py).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from ..models import Document
from . import where as where_mod
from .fold import fold
from .terms import Term

WINDOW: int | None = None
_TITLE_WEIGHT, _BODY_WEIGHT = 3.0, 1.0
_FTS = table("search_documents", column("document_id"), column("title"), column("body"))
_TABLE = literal_column("search_documents")


def _term(t: Term) -> str:
    # folded words are \w+ only, so they can never break out of the quotes
    return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")


def to_fts5(groups: tuple[tuple[Term, ...], ...]) -> str:
    return " AND ".join("(" + " OR ".join(_term(t) for t in g) + ")" for g in groups)


def index_document(session: Session, document_id: str, title: str, body: str) -> None:
    session.execute(text("DELETE FROM search_documents WHERE document_id = :d"), {"d": document_id})
    session.execute(text("INSERT INTO search_documents (document_id, title, body) "
                         "VALUES (:d, :t, :b)"),
                    {"d": document_id, "t": fold(title), "b": fold(body)})


def _matching(expr: str):  # noqa: ANN202 - a Select of document ids
    return select(_FTS.c.document_id).where(_TABLE.op("MATCH")(expr))


def contains(term: Term) -> ColumnElement[bool]:
    return Document.id.in_(_matching(to_fts5(((term,),))))


def matches(groups: tuple[tuple[Term, ...], ...]) -> ColumnElement[bool]:
    return Document.id.in_(_matching(to_fts5(groups)))


def newest(session: Session, groups: tuple[tuple[Term, ...], ...], where: ColumnElement[bool],
           limit: int | None, offset: int = 0) -> list:
    """(id, type, date) of the matching documents passing `where`, newest first."""
    stmt = where_mod.newest(and_(matches(groups), where) if groups else where)
    return list(session.execute(stmt.limit(limit).offset(offset)).all())


def scores(session: Session, groups: tuple[tuple[Term, ...], ...],
           ids: list[str]) -> dict[str, float]:
    """BM25 of the given documents (higher is better). FTS5 computes it while matching, so
    every match is scored and the wanted ones kept: fine at the embedded default's size."""
    wanted = set(ids)
    score = func.bm25(_TABLE, 0.0, _TITLE_WEIGHT, _BODY_WEIGHT)
    rows = session.execute(select(_FTS.c.document_id, score)
                           .where(_TABLE.op("MATCH")(to_fts5(groups))))
    return {r[0]: round(-float(r[1]), 4) for r in rows if r[0] in wanted}
