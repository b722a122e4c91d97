"""Quality control of scan batches (TR-03138): a person compares selected scans with the
paper before the paper may be destroyed.

Selected: every document the automatic checks flagged (problems, nearly-blank pages, low OCR
confidence, a batch whose page count does not match, a document held in the inbox because of
its cover sheet), plus a random sample of the rest (EFILE_QC_SAMPLE, default 3 %, at least
one document per batch). A batch is released, and its release recorded, only when every
selected document passed; a failed one must be scanned again first.

Why a document was selected (`qc_reason`) is read only by people (the batch page, `efile qc
list`, the final transfer note): it is written in German here, at the source ("Stichprobe" =
random sample, "auffällig" = flagged). Who decides and who releases is always an account
that exists, is active and holds the permission (`qc.decide`, `qc.release`): never a name
typed in.
"""

from __future__ import annotations

import math
import os
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access.models import User
from ..access.policy import Policy
from ..errors import EfileError, Forbidden, NotFound
from ..models import BatchDocument, Document, ScanBatch, utcnow
from .documents import get_document

LOW_OCR_CONFIDENCE = 60.0
FLAGGED = "auffällig: "  # the prefix of a reason the automatic checks gave
CHOSEN_BY_PERSON = "von einer Person ausgewählt"


class NotReleasable(EfileError):
    """The batch cannot be released (yet): `pending` and `failed` documents, or it was
    released already (`released`), so the web can say it in German."""

    exit_code = 2
    http_status = 409

    def __init__(self, message: str, *, pending: int = 0, failed: int = 0,
                 released: bool = False, processing: bool = False) -> None:
        super().__init__(message)
        self.pending, self.failed, self.released = pending, failed, released
        self.processing = processing

    def german(self) -> str:
        if self.processing:
            return "Der Stapel wird noch verarbeitet."
        if self.released:
            return "Der Stapel ist bereits freigegeben."
        parts = []
        if self.pending:
            parts.append(f"{self.pending} Dokument(e) warten noch auf die Qualitätskontrolle")
        if self.failed:
            parts.append(f"{self.failed} Dokument(e) haben sie nicht bestanden und müssen neu "
                         "gescannt werden")
        return "Der Stapel kann noch nicht freigegeben werden: " + "; ".join(parts) + "."


def sample_rate() -> float:
    return float(os.environ.get("EFILE_QC_SAMPLE", "0.03"))


def sample_reason(rate: float) -> str:
    return f"Stichprobe ({rate * 100:.0f} %)"


def _flag(session: Session, d: BatchDocument, batch: ScanBatch) -> str | None:
    if d.status == "failed":
        return None  # nothing was filed: there is no scan to compare
    if d.problems:
        return FLAGGED + "; ".join(d.problems)
    if batch.notes:
        return FLAGGED + "; ".join(batch.notes)
    doc = session.get(Document, d.document_id) if d.document_id else None
    if doc is not None and doc.ocr_confidence is not None \
            and doc.ocr_confidence < LOW_OCR_CONFIDENCE:
        return f"{FLAGGED}niedrige OCR-Sicherheit ({doc.ocr_confidence:.0f})"
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
            d.qc_state, d.qc_reason = "pending", sample_reason(rate)
    session.flush()


def queue(session: Session, batch_id: str | None = None) -> list[BatchDocument]:
    q = select(BatchDocument).where(BatchDocument.qc_state == "pending")
    if batch_id:
        q = q.where(BatchDocument.batch_id.like(f"{batch_id}%"))
    return list(session.scalars(q.order_by(BatchDocument.batch_id, BatchDocument.seq)))


def entitled(session: Session, policy: Policy, username: str, permission: str) -> User:
    """The account that decides or releases: it must exist (NotFound, exit code 4), be active
    and hold `permission` (Forbidden, exit code 77). The CLI's --user names it; the web takes
    the signed-in user, whose permission was checked already."""
    user = session.get(User, username)
    if user is None:
        raise NotFound(f"no user {username}: quality control is recorded under an existing "
                       "account")
    if not user.active:
        raise Forbidden(f"user {username} is deactivated")
    if permission not in policy.permissions(user.roles):
        raise Forbidden(f"{username} may not do this ({permission})")
    return user


def item_of(session: Session, document_ref: str) -> BatchDocument:
    doc = get_document(session, document_ref)
    item = session.scalar(select(BatchDocument).where(BatchDocument.document_id == doc.id))
    if item is None:
        raise NotFound(f"document {doc.id} was not scanned in a batch")
    return item


def decide(session: Session, document_ref: str, *, passed: bool, actor: str,
           note: str | None = None, batch_id: str | None = None) -> BatchDocument:
    """Record a person's QC result; `batch_id`: the document must belong to that batch (the
    web's form names both). A decision after the release would change what was attested."""
    item = item_of(session, document_ref)
    if batch_id is not None and item.batch_id != batch_id:
        raise NotFound(f"document {item.document_id} is not part of batch {batch_id}")
    if item.batch.released_at is not None:
        raise NotReleasable(f"batch {item.batch_id} was released: its quality control is "
                            "closed", released=True)
    if item.qc_state == "none":
        item.qc_reason = CHOSEN_BY_PERSON
    item.qc_state = "passed" if passed else "failed"
    item.qc_by, item.qc_at, item.qc_note = actor, utcnow(), note
    session.flush()
    return item


def release(session: Session, batch: ScanBatch, *, actor: str) -> ScanBatch:
    if batch.released_at is not None:
        raise NotReleasable(f"batch {batch.id} was released on {batch.released_at:%Y-%m-%d} "
                            f"by {batch.released_by}", released=True)
    if batch.status == "processing":
        raise NotReleasable(f"batch {batch.id} is still being processed", processing=True)
    pending = [d for d in batch.documents if d.qc_state == "pending"]
    failed = [d for d in batch.documents if d.qc_state == "failed"]
    if pending or failed:
        parts = []
        if pending:
            parts.append(f"{len(pending)} document(s) still wait for quality control")
        if failed:
            parts.append(f"{len(failed)} failed it and must be scanned again")
        raise NotReleasable(f"batch {batch.id} cannot be released: {'; '.join(parts)}",
                            pending=len(pending), failed=len(failed))
    batch.released_at, batch.released_by = utcnow(), actor
    session.flush()
    return batch


def qc_of_document(session: Session, document_id: str) -> dict | None:
    """The QC state of a scanned document for its own page (state, why chosen, by whom, the
    note), or None for a document that came in no batch."""
    item = session.scalar(select(BatchDocument).where(BatchDocument.document_id == document_id))
    if item is None:
        return None
    return {"batch_id": item.batch_id, "state": item.qc_state, "reason": item.qc_reason,
            "by": item.qc_by, "at": item.qc_at.isoformat() if item.qc_at else None,
            "note": item.qc_note}
