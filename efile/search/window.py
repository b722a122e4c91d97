"""Which documents a page shows, in what order, with what count and facets.

One query reads the newest WINDOW + 1 matching documents the user may read (id, type, date;
by the date index, newest first). When they are all of them (the usual case) the count and
the facets are exact, and the window is ranked by relevance. When there are more, counting
or ranking every match of a common word among a million documents would read every
matching row; instead the count says "more than WINDOW", the facets count the newest
WINDOW, those are ranked by relevance and the rest follow newest first, so every page of the
list is a slice of one order whatever the page size. Queries of filters only list newest
first. Every part of this runs with the same condition: matches AND filters AND allowed.

WINDOW is the backend's: PostgreSQL bounds the work (postgres.WINDOW); SQLite, the embedded
default for a desk-sized archive, counts and ranks everything (None).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import ModuleType

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from .hits import type_name
from .result import FacetValue
from .terms import Term


@dataclass
class Page:
    rows: list[tuple[str, float | None]]  # (document id, score) of this page, in order
    total: int
    exact: bool
    order: str
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _facets(rows: list) -> dict[str, list[FacetValue]]:
    types = Counter(r[1] for r in rows)
    years = Counter(r[2].year for r in rows if r[2] is not None)
    return {"type": [FacetValue(t, type_name(t), n)
                     for t, n in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))],
            "year": [FacetValue(y, str(y), n) for y, n in sorted(years.items(), reverse=True)]}


def order_page(session: Session, engine: ModuleType, groups: tuple[tuple[Term, ...], ...],
               where: ColumnElement[bool], limit: int, offset: int) -> Page:
    window: int | None = engine.WINDOW
    rows = engine.newest(session, groups, where, None if window is None else window + 1)
    exact = window is None or len(rows) <= window
    rows = rows[:window] if window is not None else rows
    if groups:
        scores = engine.scores(session, groups, [r[0] for r in rows])
        # best first; equal scores newest first (rows are newest first, sort is stable)
        ordered = sorted(((r[0], scores.get(r[0], 0.0)) for r in rows), key=lambda x: -x[1])
        order = "relevance" if exact else f"relevance among the newest {window}, then newest first"
    else:
        ordered = [(r[0], None) for r in rows]
        order = "newest first"
    page: list[tuple[str, float | None]] = ordered[offset:offset + limit]
    if not exact and len(page) < limit:
        # past the window: newest first, after the window's documents
        beyond = engine.newest(session, groups, where, limit - len(page), max(offset, len(rows)))
        page += [(r[0], None) for r in beyond]
    return Page(page, len(rows), exact, order, _facets(rows))
