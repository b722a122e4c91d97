"""The scan batch register: what each batch held and what became of every document."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import BatchDocument, ScanBatch
from .lookup import by_id


def get_batch(session: Session, batch_id: str | None) -> ScanBatch:
    """By id or unambiguous prefix (6+ characters); the newest batch when no id is given."""
    if batch_id is not None:
        return by_id(session, ScanBatch, batch_id, "scan batch")
    batch = session.scalar(select(ScanBatch).order_by(ScanBatch.created_at.desc()).limit(1))
    if batch is None:
        raise NotFound("no scan batch yet")
    return batch


def scanned_before(session: Session, sha256: str, *, outside: str) -> BatchDocument | None:
    """A document record of another batch (not `outside`) made from the same scan file."""
    return session.scalar(select(BatchDocument).where(BatchDocument.source_sha256 == sha256,
                                                      BatchDocument.batch_id != outside))


def list_batches(session: Session, limit: int = 100, *,
                 allowed: ColumnElement[bool] | None = None) -> list[ScanBatch]:
    """Newest first; `allowed`: the access policy's condition over ScanBatch."""
    q = select(ScanBatch).order_by(ScanBatch.created_at.desc()).limit(limit)
    return list(session.scalars(q if allowed is None else q.where(allowed)))


def batch_dict(b: ScanBatch, *, documents: bool = True) -> dict:
    out = {"batch_id": b.id, "operator": b.operator, "profile": b.profile, "status": b.status,
           "expected_pages": b.expected_pages, "pages_found": b.pages_found,
           "counts": b.counts, "notes": b.notes, "created_at": b.created_at.isoformat(),
           "finished_at": b.finished_at.isoformat() if b.finished_at else None,
           "released_at": b.released_at.isoformat() if b.released_at else None,
           "released_by": b.released_by}
    if documents:
        out["documents"] = [
            {"seq": d.seq, "source_name": d.source_name, "pages": d.pages, "cover": d.cover,
             "cover_page": d.cover_page, "blanks": d.blanks, "problems": d.problems,
             "status": d.status, "document_id": d.document_id, "efile": d.efile,
             "error": d.error, "qc": qc_dict(d)} for d in b.documents]
    return out


def qc_dict(d) -> dict:  # noqa: ANN001 - a BatchDocument
    return {"state": d.qc_state, "reason": d.qc_reason, "by": d.qc_by,
            "at": d.qc_at.isoformat() if d.qc_at else None, "note": d.qc_note}
