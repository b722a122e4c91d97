"""Quality control of scan batches (TR-03138): a person compares selected scans with the
paper before the paper may be destroyed.

Selected: every document the automatic checks flagged (problems, nearly-blank pages, low OCR
confidence, a batch whose page count does not match, a document held in the inbox because of
its cover sheet), plus a random sample of the rest (EFILE_QC_SAMPLE, default 3 %, at least
one document per batch). A batch is released, and its release recorded, only when every
selected document passed; a failed one must be scanned again first.
"""

from __future__ import annotations

import math
import os
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import EfileError, NotFound
from ..models import BatchDocument, Document, ScanBatch, utcnow
from .documents import get_document

LOW_OCR_CONFIDENCE = 60.0


class NotReleasable(EfileError):
    exit_code = 2
    http_status = 409


def sample_rate() -> float:
    return float(os.environ.get("EFILE_QC_SAMPLE", "0.03"))


def _flag(session: Session, d: BatchDocument, batch: ScanBatch) -> str | None:
    if d.status == "failed":
        return None  # nothing was filed: there is no scan to compare
    if d.problems:
        return "flagged: " + "; ".join(d.problems)
    if batch.notes:
        return "flagged: " + "; ".join(batch.notes)
    doc = session.get(Document, d.document_id) if d.document_id else None
    if doc is not None and doc.ocr_confidence is not None \
            and doc.ocr_confidence < LOW_OCR_CONFIDENCE:
        return f"flagged: low OCR confidence {doc.ocr_confidence:.0f}"
    return None


def select_for_qc(session: Session, batch: ScanBatch, *, rate: float | None = None) -> None:
    """Mark the batch's documents for quality control (idempotent for a batch)."""
    rate = sample_rate() if rate is None else rate
    rest = []
    for d in batch.documents:
        if d.status == "duplicate":
            continue
        reason = _flag(session, d, batch)
        if reason:
            d.qc_state, d.qc_reason = "pending", reason
        elif d.document_id:
            rest.append(d)
    if rest:
        k = max(1, math.ceil(len(rest) * rate))
        for d in random.Random(batch.id).sample(rest, min(k, len(rest))):
            d.qc_state, d.qc_reason = "pending", f"random sample ({rate:.0%})"
    session.flush()


def queue(session: Session, batch_id: str | None = None) -> list[BatchDocument]:
    q = select(BatchDocument).where(BatchDocument.qc_state == "pending")
    if batch_id:
        q = q.where(BatchDocument.batch_id.like(f"{batch_id}%"))
    return list(session.scalars(q.order_by(BatchDocument.batch_id, BatchDocument.seq)))


def _item(session: Session, document_ref: str) -> BatchDocument:
    doc = get_document(session, document_ref)
    item = session.scalar(select(BatchDocument).where(BatchDocument.document_id == doc.id))
    if item is None:
        raise NotFound(f"document {doc.id} was not scanned in a batch")
    return item


def decide(session: Session, document_ref: str, *, passed: bool, actor: str,
           note: str | None = None) -> BatchDocument:
    item = _item(session, document_ref)
    if item.qc_state == "none":
        item.qc_reason = "chosen by a person"
    item.qc_state = "passed" if passed else "failed"
    item.qc_by, item.qc_at, item.qc_note = actor, utcnow(), note
    session.flush()
    return item


def release(session: Session, batch: ScanBatch, *, actor: str) -> ScanBatch:
    if batch.released_at is not None:
        raise NotReleasable(f"batch {batch.id} was released on {batch.released_at:%Y-%m-%d} "
                            f"by {batch.released_by}")
    pending = [d for d in batch.documents if d.qc_state == "pending"]
    failed = [d for d in batch.documents if d.qc_state == "failed"]
    if pending or failed:
        parts = []
        if pending:
            parts.append(f"{len(pending)} document(s) still wait for quality control")
        if failed:
            parts.append(f"{len(failed)} failed it and must be scanned again")
        raise NotReleasable(f"batch {batch.id} cannot be released: {'; '.join(parts)}")
    batch.released_at, batch.released_by = utcnow(), actor
    session.flush()
    return batch
