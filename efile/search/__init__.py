"""Search over document text: one query language, one result shape, per-backend engines."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ConfigError
from ..models import Document, DocumentPage
from . import postgres as _postgres
from . import sqlite as _sqlite
from .query import Query, parse
from .snippet import make_snippet


@dataclass(frozen=True)
class Hit:
    document_id: str
    score: float
    snippet: str
    title: str
    efile: str | None
    page: int
    doc_type: str
    status: str

    def to_dict(self) -> dict:
        return asdict(self)


def _engine(session: Session):  # noqa: ANN202
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return _sqlite
    if name == "postgresql":
        return _postgres
    raise ConfigError(f"full-text search is not available on {name} in this version")


def index_document(session: Session, doc: Document) -> None:
    _engine(session).index_pages(session, doc.id, doc.title, [(p.page_no, p.text) for p in doc.pages])


def search(session: Session, query: str | Query, *, limit: int = 20, offset: int = 0) -> list[Hit]:
    q = parse(query) if isinstance(query, str) else query
    ranked = _engine(session).search_ids(session, q, limit, offset)
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    page_text = {
        (p.document_id, p.page_no): p.text
        for p in session.scalars(select(DocumentPage).where(DocumentPage.document_id.in_(ids)))
    }
    hits = []
    for doc_id, page_no, score in ranked:
        d = docs[doc_id]
        hits.append(Hit(
            document_id=doc_id, score=score, title=d.title,
            snippet=make_snippet(page_text.get((doc_id, page_no), ""), q.positive_terms),
            efile=d.efile.aktenzeichen if d.efile else None, page=page_no,
            doc_type=d.doc_type, status=d.status,
        ))
    return hits


__all__ = ["Hit", "Query", "index_document", "parse", "search"]
