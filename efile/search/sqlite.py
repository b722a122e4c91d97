"""Full-text search on SQLite FTS5 (the embedded default).

The index holds folded text (fold.py); FTS5's unicode61 tokenizer with prefix indexes does the
rest. Ranking is BM25 with the title weighted above the body; results are per document, the
best-matching page providing the snippet.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from .fold import fold
from .query import Query, Term

_TITLE_WEIGHT, _BODY_WEIGHT = 3.0, 1.0


def _term(t: Term) -> str:
    # folded words are \w+ only, so they can never break out of the quotes
    return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")


def to_fts5(q: Query) -> str:
    positives, negatives = [], []
    for group in q.groups:
        neg = [t for t in group if t.negated]
        pos = [t for t in group if not t.negated]
        negatives += [_term(t) for t in neg]
        if pos:
            positives.append("(" + " OR ".join(_term(t) for t in pos) + ")")
    expr = "(" + " AND ".join(positives) + ")"
    for n in negatives:
        expr += f" NOT {n}"
    return expr


def index_pages(session: Session, document_id: str, title: str, pages: list[tuple[int, str]]) -> None:
    session.execute(text("DELETE FROM search_pages WHERE document_id = :d"), {"d": document_id})
    session.execute(
        text("INSERT INTO search_pages (document_id, page_no, title, body) "
             "VALUES (:d, :p, :t, :b)"),
        [{"d": document_id, "p": no, "t": fold(title) if no == 1 else "", "b": fold(body)}
         for no, body in pages],
    )


def search_ids(session: Session, q: Query, limit: int, offset: int) -> list[tuple[str, int, float]]:
    """(document_id, best page, score) ordered by relevance, best first."""
    rows = session.execute(
        text(
            # MATERIALIZED: bm25() cannot run inside the aggregate SQLite would flatten it into
            "WITH m AS MATERIALIZED ("
            "  SELECT document_id, page_no, "
            f"        bm25(search_pages, 0, 0, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) AS r"
            "  FROM search_pages WHERE search_pages MATCH :q) "
            "SELECT document_id, page_no, MIN(r) AS r FROM m "
            "GROUP BY document_id ORDER BY r, document_id LIMIT :limit OFFSET :offset"
        ),
        {"q": to_fts5(q), "limit": limit, "offset": offset},
    ).all()
    return [(r[0], int(r[1]), round(-float(r[2]), 4)) for r in rows]
