"""The whole history of one document, for the person reading it: received, filed (by the
machine, by a cover sheet or reference, or into the inbox), assigned, moved, its type changed,
undone, quality control passed or failed with its note, the batch released, notes written.

Collected from what the product already keeps: the document row (received, the routing the
pipeline recorded), the `decisions` (every person's placement and type change), the scan
batch's document (quality control) and batch (release), and the notes. The audit log is not
needed for any of these: each change above leaves its own record, written in the same
transaction as the change (the audit log is the data protection officer's view of who
*read* what, which this page does not show).

People are named by their display name (the login only where the account has none or is
gone); what the machine did is marked as such (actor None). The caller has opened the
document through the access guard and audits that read: the history is part of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import BatchDocument, Document, ScanBatch, as_utc
from .corrections import PLACEMENTS
from .notes import NoteView, list_notes
from .users import people_names

MACHINE = "efile"  # the actor the pipeline writes as


@dataclass(frozen=True)
class Entry:
    """One step: `kind` says what happened (received, filed, inbox, assign, move, reclassify,
    undo, qc, released, note), `data` the particulars the page shows."""

    at: datetime
    kind: str
    actor: str | None  # a login; None: the machine
    actor_name: str | None
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"at": self.at.isoformat(), "kind": self.kind, "actor": self.actor,
                "actor_name": self.actor_name, **self.data}


def _first_placement(doc: Document) -> tuple[str, str | None]:
    """How the pipeline placed the document when it was filed: (by, Aktenzeichen or None).
    A person's later assignment overwrites `routing.by`; the first placement decision still
    says where the document was before it (an assignment always came from the inbox)."""
    routing = (doc.fields or {}).get("routing") or {}
    first = next((d for d in doc.decisions if d.kind in PLACEMENTS), None)
    if first is None:
        by = routing.get("by") or ("inbox" if doc.efile is None else "automatic")
        return by, doc.efile.aktenzeichen if doc.efile else None
    if first.kind == "assign":
        return "inbox", None
    by = routing.get("by")
    if by in (None, "person"):
        reasons = routing.get("reasons") or []
        by = "explicit" if reasons and str(reasons[0]).startswith("explicit reference") \
            else "automatic"
    return by, first.chosen.get("from")


def history(session: Session, doc: Document,
            notes: list[NoteView] | None = None) -> list[Entry]:
    """Every step of `doc`, newest first (`notes`: its notes, when the caller has them)."""
    fields = doc.fields or {}
    routing = fields.get("routing") or {}
    # the batch document that filed it (a later scan of the same paper names it as duplicate)
    scanned = session.execute(
        select(BatchDocument, ScanBatch).join(ScanBatch)
        .where(BatchDocument.document_id == doc.id)
        .order_by(BatchDocument.status == "duplicate", BatchDocument.id)).first()
    steps: list[tuple[datetime, str, str | None, dict]] = []

    received = {"source": doc.source, "source_name": doc.source_name}
    operator = None
    if scanned is not None:
        bd, batch = scanned
        received["batch_id"] = batch.id
        operator = batch.operator
    steps.append((doc.created_at, "received", operator, received))
    by, efile = _first_placement(doc)
    if by == "inbox":
        item_reasons = routing.get("reasons") or []
        steps.append((doc.created_at, "inbox", None, {"reasons": item_reasons}))
    else:
        steps.append((doc.created_at, "filed", None, {
            "by": by, "efile": efile, "reasons": routing.get("reasons") or [],
            "type_check": routing.get("type_check")}))

    for d in doc.decisions:
        chosen = d.chosen or {}
        data = {k: chosen.get(k) for k in ("efile", "from", "reason", "doc_type", "from_type",
                                           "undoes_kind") if k in chosen}
        if d.kind == "reclassify" and "from_type" not in data:
            data["from_type"] = (d.machine or {}).get("type")
        steps.append((d.at, d.kind, d.actor, data))

    if scanned is not None:
        bd, batch = scanned
        if bd.qc_state in ("passed", "failed") and bd.qc_at is not None:
            steps.append((bd.qc_at, "qc", bd.qc_by, {"state": bd.qc_state, "note": bd.qc_note,
                                                     "why": bd.qc_reason}))
        elif bd.qc_state == "pending":
            steps.append((doc.created_at, "qc_pending", None, {"why": bd.qc_reason}))
        if batch.released_at is not None:
            steps.append((batch.released_at, "released", batch.released_by,
                          {"batch_id": batch.id}))

    for n in list_notes(session, doc) if notes is None else notes:
        steps.append((n.at, "note", n.author, {"text": n.text, "note_id": n.id}))

    logins = {a for _, _, a, _ in steps if a and a != MACHINE}
    names = people_names(session, logins)
    entries = [Entry(as_utc(at), kind, None if a in (None, MACHINE) else a,
                     None if a in (None, MACHINE) else names.get(a, a), data)
               for at, kind, a, data in steps]
    # newest first; steps of the same moment keep the order they happened in (received
    # before filed, both at the moment of filing)
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(entries, key=lambda e: (e.at, order[id(e)]), reverse=True)


def efile_timeline(session: Session, aktenzeichen: str, documents: list[Document]) -> list[Entry]:
    """The e-file's timeline, newest first: each readable document's arrival, and every
    assignment, move or undo that brought one of them into this e-file, with who did it.
    `documents` are those the reader may read (the caller's access-checked list)."""
    steps: list[tuple[datetime, str, str | None, dict]] = []
    for d in documents:
        by, first_efile = _first_placement(d)
        steps.append((d.created_at, "received", None, {
            "document_id": d.id, "source": d.source, "document_date": d.document_date,
            # where the pipeline put it: here, the inbox, or another e-file (moved here since)
            "first": "inbox" if by == "inbox" else (
                "here" if first_efile == aktenzeichen else "elsewhere")}))
        for dec in d.decisions:
            chosen = dec.chosen or {}
            if dec.kind in PLACEMENTS + ("undo",) and chosen.get("efile") == aktenzeichen:
                steps.append((dec.at, dec.kind, dec.actor, {
                    "document_id": d.id, "from": chosen.get("from"),
                    "reason": chosen.get("reason"), "undoes_kind": chosen.get("undoes_kind")}))
    names = people_names(session, {a for _, _, a, _ in steps if a and a != MACHINE})
    entries = [Entry(as_utc(at), kind, a, names.get(a, a) if a else None, data)
               for at, kind, a, data in steps]
    return sorted(entries, key=lambda e: e.at, reverse=True)
