"""Search over documents: one query language, one result shape, per-backend engines.

Access is part of the query: `allowed` (a condition over Document from the access policy)
is ANDed into the ranked query, the count and the facets, so nothing the user may not read
is counted, ranked or shown in a snippet.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from ..errors import ConfigError
from ..models import Document
from . import postgres as _postgres
from . import sqlite as _sqlite
from .hits import load_hits
from .identify import identify
from .query import parse
from .result import FacetValue, Hit, SearchResult
from .spellings import Spellings, widen
from .terms import Query
from .where import conditions
from .window import order_page

_BERLIN = ZoneInfo("Europe/Berlin")  # the office's day: what "received on" means


def _engine(session: Session):  # noqa: ANN202 - the backend module
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return _sqlite
    if name == "postgresql":
        return _postgres
    raise ConfigError(f"full-text search is not available on {name} in this version")


def document_date(fields: dict, created_at: datetime) -> date:
    """The letter's date as the pipeline read it, else the day it was received. A printed
    date after the next year is a misread and is ignored."""
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=ZoneInfo("UTC"))
    received = created_at.astimezone(_BERLIN).date()
    printed = (fields.get("identifiers") or {}).get("letter_date")
    try:
        d = date.fromisoformat(printed) if printed else None
    except ValueError:
        d = None
    return d if d and 1900 <= d.year <= received.year + 1 else received


def index_document(session: Session, doc: Document) -> None:
    if doc.document_date is None:
        doc.document_date = document_date(doc.fields or {}, doc.created_at or datetime.now(_BERLIN))
    body = "\n\n".join(p.text for p in sorted(doc.pages, key=lambda p: p.page_no))
    _engine(session).index_document(session, doc.id, doc.title, body)


def search(session: Session, query: str | Query, *, allowed: ColumnElement[bool] | None = None,
           limit: int = 20, offset: int = 0, spellings: Spellings | None = None) -> SearchResult:
    """One page of the documents matching `query` among those `allowed` (a condition over
    Document; None: all), with the total and the facets of the whole set (see window.py for
    how a very large set is bounded). `spellings`: the names of the clients the query named,
    as the register writes them (spellings.py), looked for too."""
    q = parse(query) if isinstance(query, str) else query
    q = identify(session, widen(q, spellings or {}), allowed)
    engine = _engine(session)
    where = conditions(q, engine.contains, allowed)
    page = order_page(session, engine, q.ranked_groups, where, limit, offset)
    return SearchResult(query=query if isinstance(query, str) else "",
                        hits=load_hits(session, q, page.rows), total=page.total,
                        total_exact=page.exact, limit=limit, offset=offset, order=page.order,
                        facets=page.facets)


__all__ = ["FacetValue", "Hit", "Query", "SearchResult", "index_document", "parse", "search"]
