"""Full-text search on PostgreSQL.

Each page is indexed twice in one tsvector: with the `german` configuration over the text as
printed (stemming: Arbeitsverträge finds Arbeitsvertrag) and with `simple` over the text
folded exactly as on SQLite (fold.py: Mueller finds Müller, MÜLLER, Muller never). A query
term matches either. Folding is done in Python rather than with the unaccent extension
because unaccent maps ü→u where German spelling needs ü→ue. Titles weigh more than bodies;
results are per document, the best page providing the snippet.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from .fold import fold
from .query import Query, Term


def _phrase(words: tuple[str, ...], prefix: bool) -> str:
    # words are \w+ only, so they can never carry tsquery operators or quotes
    parts = [f"'{w}'" for w in words]
    if prefix:
        parts[-1] += ":*"
    return " <-> ".join(parts)


def to_sql(q: Query) -> tuple[str, dict[str, str]]:
    """A tsquery expression in SQL with every user word a bound parameter."""
    params: dict[str, str] = {}

    def term(t: Term) -> str:
        n = len(params) // 2
        params[f"g{n}"] = _phrase(t.raw or t.words, t.prefix)
        params[f"s{n}"] = _phrase(t.words, t.prefix)
        return f"(to_tsquery('german', :g{n}) || to_tsquery('simple', :s{n}))"

    parts = []
    for group in q.groups:
        pos = [term(t) for t in group if not t.negated]
        parts += [f"!!{term(t)}" for t in group if t.negated]
        if pos:
            parts.append("(" + " || ".join(pos) + ")")
    return " && ".join(parts), params


_TSV = ("setweight(to_tsvector('german', :t), 'A') || setweight(to_tsvector('simple', :tf), 'A')"
        " || setweight(to_tsvector('german', :b), 'B') || setweight(to_tsvector('simple', :bf), 'B')")


def index_pages(session: Session, document_id: str, title: str, pages: list[tuple[int, str]]) -> None:
    session.execute(text("DELETE FROM search_pages WHERE document_id = :d"), {"d": document_id})
    rows = []
    for no, body in pages:
        t = title if no == 1 else ""
        rows.append({"d": document_id, "p": no, "t": t, "tf": fold(t), "b": body, "bf": fold(body)})
    session.execute(text(f"INSERT INTO search_pages (document_id, page_no, tsv) "
                         f"VALUES (:d, :p, {_TSV})"), rows)


def search_ids(session: Session, q: Query, limit: int, offset: int) -> list[tuple[str, int, float]]:
    expr, params = to_sql(q)
    rows = session.execute(
        text(
            "WITH query AS MATERIALIZED (SELECT " + expr + " AS q) "
            "SELECT document_id, page_no, score FROM ("
            "  SELECT document_id, page_no, ts_rank(tsv, query.q) AS score, row_number() OVER ("
            "    PARTITION BY document_id ORDER BY ts_rank(tsv, query.q) DESC, page_no) AS rn"
            "  FROM search_pages, query WHERE tsv @@ query.q"
            ") ranked WHERE rn = 1 ORDER BY score DESC, document_id LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": limit, "offset": offset},
    ).all()
    return [(r[0], int(r[1]), round(float(r[2]), 4)) for r in rows]
