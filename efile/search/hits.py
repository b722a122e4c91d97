"""The hits of one page: each document with its e-file, client, type, date and a snippet from
the page that shows most of what was looked for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from classifiers.taxonomy import load as load_taxonomy

from ..models import Document, DocumentPage, EFile
from .result import Hit
from .snippet import highlight_spans, make_snippet
from .terms import Query


def type_name(type_id: str) -> str:
    tax = load_taxonomy()
    return tax.get(type_id).name if type_id in tax else type_id


def load_hits(session: Session, q: Query, ranked: list[tuple[str, float | None]]) -> list[Hit]:
    ids = [r[0] for r in ranked]
    if not ids:
        return []
    docs = {d.id: d for d in session.scalars(
        select(Document).where(Document.id.in_(ids))
        .options(selectinload(Document.efile).selectinload(EFile.person)))}
    pages: dict[str, list[tuple[int, str]]] = {}
    for doc_id, no, body in session.execute(
            select(DocumentPage.document_id, DocumentPage.page_no, DocumentPage.text)
            .where(DocumentPage.document_id.in_(ids)).order_by(DocumentPage.page_no)):
        pages.setdefault(doc_id, []).append((no, body))
    terms = q.positive_terms
    hits = []
    for doc_id, score in ranked:
        d = docs[doc_id]
        doc_pages = pages.get(doc_id) or [(1, "")]
        # the page showing most of what was looked for; the first page when none does
        no, body = max(doc_pages, key=lambda p: (len(highlight_spans(p[1], terms)), -p[0]))
        hits.append(Hit(
            document_id=doc_id, score=score, snippet=make_snippet(body, terms), title=d.title,
            efile=d.efile.aktenzeichen if d.efile else None,
            person=d.efile.person.display_name if d.efile else None, page=no,
            doc_type=d.doc_type, type_name=type_name(d.doc_type),
            date=d.document_date.isoformat() if d.document_date else None, status=d.status))
    return hits
