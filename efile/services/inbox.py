"""The inbox (Klärfälle): documents the pipeline could not file with certainty, until a
person assigns them to an e-file; and a person's corrections of a document's type.

Every decision is recorded beside what the machine had proposed (type, confidence,
suggested e-files), for the audit trail and as labels for the next training run.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from classifiers.taxonomy import load as load_taxonomy
from storage import ObjectStore

from ..errors import EfileError, NotFound
from ..models import Decision, Document, InboxItem, utcnow
from .documents import check_type, get_document, readable_title, type_name
from .efiles import get_efile
from .metadata_record import write_record


class AlreadyResolved(EfileError):
    exit_code = 2
    http_status = 409


def item_dict(item: InboxItem) -> dict:
    doc = item.document
    kind = doc.fields.get("classification", {})
    return {"item_id": item.id, "document_id": doc.id, "title": doc.title,
            "readable_title": readable_title(doc),
            "pages": doc.page_count, "source_name": doc.source_name, "state": item.state,
            "type": doc.doc_type, "type_name": type_name(doc.doc_type),
            "type_confidence": doc.type_confidence, "type_reasons": kind.get("reasons", []),
            "type_alternatives": kind.get("alternatives", []), "restricted": doc.restricted,
            "reasons": item.reasons, "suggestions": item.suggestions,
            "created_at": item.created_at.isoformat(), "resolved_to": item.resolved_to,
            "resolved_at": item.resolved_at.isoformat() if item.resolved_at else None,
            "identifiers": doc.fields.get("identifiers", {}),
            "preview": preview_text(doc)}


def preview_text(doc: Document, lines: int = 6) -> list[str]:
    """The first lines of the first page: often enough to decide without opening the PDF."""
    if not doc.pages:
        return []
    return [ln.strip() for ln in doc.pages[0].text.splitlines() if ln.strip()][:lines]


def waiting(allowed: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """Open items, of documents the reader may read (`allowed`: the access policy's
    condition over Document; None: all, for the administrator's CLI)."""
    return InboxItem.state == "open" if allowed is None else and_(InboxItem.state == "open",
                                                                  allowed)


def open_items(session: Session, limit: int | None = 100, *,
               allowed: ColumnElement[bool] | None = None) -> list[InboxItem]:
    q = (select(InboxItem).join(Document).where(waiting(allowed))
         .order_by(InboxItem.created_at, InboxItem.id).limit(limit))
    return list(session.scalars(q))


def count_waiting(session: Session, allowed: ColumnElement[bool] | None = None) -> int:
    """How many items are open (of documents `allowed` lets the reader read)."""
    return session.scalar(select(func.count()).select_from(InboxItem).join(Document)
                          .where(waiting(allowed)))


def last_assignment(session: Session, document_id: str, actor: str) -> dict | None:
    """What `actor` chose when they last assigned this document (None: they did not)."""
    return session.scalar(select(Decision.chosen).where(
        Decision.document_id == document_id, Decision.kind == "assign",
        Decision.actor == actor).order_by(Decision.id.desc()).limit(1))


def find_item(session: Session, ref: str) -> InboxItem:
    """An inbox item by its number or by its document's id (or id prefix)."""
    if ref.isdigit() and len(ref) < 10:
        item = session.get(InboxItem, int(ref))
        if item is None:
            raise NotFound(f"no inbox item {ref}")
        return item
    doc = get_document(session, ref)
    item = session.scalar(select(InboxItem).where(InboxItem.document_id == doc.id))
    if item is None:
        raise NotFound(f"document {doc.id} is not in the inbox")
    return item


def _machine(doc: Document) -> dict:
    """What the machine had said, frozen at the moment a person overrides it."""
    kind = doc.fields.get("classification", {})
    routing = doc.fields.get("routing", {})
    return {"doc_type": doc.doc_type, "type_confidence": doc.type_confidence,
            "type_layer": kind.get("layer"), "routed_by": routing.get("by"),
            "efile": doc.efile.aktenzeichen if doc.efile else None,
            "suggestions": [s.get("aktenzeichen") for s in routing.get("suggestions", [])]}


def _set_type(doc: Document, type_id: str) -> None:
    tax = load_taxonomy()
    doc.doc_type, doc.type_confidence = type_id, 1.0
    doc.restricted = tax.get(type_id).restricted


def assign(session: Session, store: ObjectStore, ref: str, aktenzeichen: str, *, actor: str,
           doc_type: str | None = None) -> InboxItem:
    """File an inbox document into the e-file a person chose (and, if given, set its type)."""
    item = find_item(session, ref)
    doc = item.document
    if item.state != "open":
        raise AlreadyResolved(f"document {doc.id} was already assigned to {item.resolved_to}")
    efile = get_efile(session, aktenzeichen)
    if doc_type:
        check_type(doc_type)
    machine = _machine(doc)
    if doc_type:
        _set_type(doc, doc_type)
    doc.efile, doc.status = efile, "filed"
    doc.fields = {**doc.fields, "routing": {**doc.fields.get("routing", {}), "by": "person",
                                            "assigned_to": efile.aktenzeichen,
                                            "assigned_by": actor}}
    item.state, item.resolved_at, item.resolved_to = "resolved", utcnow(), efile.aktenzeichen
    chosen = {"efile": efile.aktenzeichen}
    if doc_type:  # only a type a person named is a training label, never a silent accept
        chosen["doc_type"] = doc_type
    session.add(Decision(document_id=doc.id, kind="assign", actor=actor, machine=machine,
                         chosen=chosen))
    write_record(store, doc, reason="assign", actor=actor)
    session.flush()
    return item


def reclassify(session: Session, store: ObjectStore, ref: str, doc_type: str, *,
               actor: str) -> Document:
    doc = get_document(session, ref)
    check_type(doc_type)
    machine = _machine(doc)
    _set_type(doc, doc_type)
    session.add(Decision(document_id=doc.id, kind="reclassify", actor=actor, machine=machine,
                         chosen={"doc_type": doc_type}))
    write_record(store, doc, reason="reclassify", actor=actor)
    session.flush()
    return doc
