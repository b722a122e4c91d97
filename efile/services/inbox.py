"""The inbox (Klärfälle): documents the pipeline could not file with certainty, until a
person assigns them to an e-file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import EfileError, NotFound
from ..models import InboxItem, utcnow
from .documents import get_document
from .efiles import get_efile


class AlreadyResolved(EfileError):
    exit_code = 2
    http_status = 409


def item_dict(item: InboxItem) -> dict:
    doc = item.document
    return {"document_id": doc.id, "title": doc.title, "pages": doc.page_count,
            "source_name": doc.source_name, "state": item.state, "reasons": item.reasons,
            "suggestions": item.suggestions, "created_at": item.created_at.isoformat(),
            "resolved_to": item.resolved_to,
            "identifiers": doc.fields.get("identifiers", {})}


def open_items(session: Session, limit: int = 100) -> list[InboxItem]:
    q = (select(InboxItem).where(InboxItem.state == "open")
         .order_by(InboxItem.created_at, InboxItem.id).limit(limit))
    return list(session.scalars(q))


def assign(session: Session, document_ref: str, aktenzeichen: str) -> InboxItem:
    """File an inbox document into the e-file a person chose."""
    doc = get_document(session, document_ref)
    item = session.scalar(select(InboxItem).where(InboxItem.document_id == doc.id))
    if item is None:
        raise NotFound(f"document {doc.id} is not in the inbox")
    if item.state != "open":
        raise AlreadyResolved(f"document {doc.id} was already assigned to {item.resolved_to}")
    efile = get_efile(session, aktenzeichen)
    doc.efile, doc.status = efile, "filed"
    doc.fields = {**doc.fields, "routing": {**doc.fields.get("routing", {}), "by": "person",
                                            "assigned_to": efile.aktenzeichen}}
    item.state, item.resolved_at, item.resolved_to = "resolved", utcnow(), efile.aktenzeichen
    session.flush()
    return item
